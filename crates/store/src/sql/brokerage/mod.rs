//! Brokerage records: referrals with their status and placement, offers with their answers,
//! reablement episodes, capacity returns and incentives; their columns, how a record becomes
//! values, how a row becomes a record, and the statements particular to them.
//!
//! One module per record; the statements that write more than one record are the store's
//! (`sql_store::brokerage`).

mod capacity;
mod incentives;
mod offers;
mod reablement;
mod referrals;

pub(crate) use capacity::*;
pub(crate) use offers::*;
pub(crate) use reablement::*;
pub(crate) use referrals::*;
