//! The SQL both backends run: one module per kind of record (its columns, how a record becomes
//! values and how a row becomes a record), and the generic statements built from them.

pub(crate) mod access;
mod areas;
pub(crate) mod audit;
mod awards;
mod branches;
pub(crate) mod brokerage;
pub(crate) mod call_events;
mod contracts;
mod corrections;
mod council;
pub(crate) mod counts;
pub(crate) mod demand;
pub(crate) mod json;
mod lists;
mod packages;
mod people;
mod providers;
pub(crate) mod read;
mod record;
pub(crate) mod rosters;
pub(crate) mod row;
pub(crate) mod time;
pub(crate) mod values;
pub(crate) mod visits;
mod workers;
pub(crate) mod write;
// Payments.
pub(crate) mod invoices;

pub(crate) use record::{Reference, TableRecord};
