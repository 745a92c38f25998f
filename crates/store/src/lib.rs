//! Persistence of the market register, of brokerage (referrals, offers, placements, reablement,
//! capacity returns, incentives), of dated visits and their call events, rosters and invoices,
//! and of the accounts, sessions and API tokens that reach it and the audit trail of changes to
//! it, behind one interface, [`Store`] — the sum of one trait per aggregate — with two backends:
//! SQLite (a single file, the default) and PostgreSQL.
//!
//! Key points:
//! - Callers hold an `Arc<dyn Store>` from [`connect`] and never see SQL or sqlx types.
//! - Each aggregate's trait and the types only the store needs live in a module of their own
//!   ([`RegisterStore`], [`AccessStore`], [`BrokerageStore`], [`VisitStore`], [`RosterStore`],
//!   [`InvoiceStore`]); `sql_store/` implements each, `sql/` holds the rows and statements.
//! - The store reads no clock of its own: what it stamps (audit events, new accounts and
//!   referrals) comes from the clock [`connect`] was given, or from the caller.
//! - Every write is one transaction: a batch is stored whole or not at all.
//! - Both backends run the same portable SQL and the same migrations (`migrations/`), and the same
//!   contract test suite (`tests/contract.rs`) runs against each.
//! - Values are stored as integers and text only, so both backends return identical records;
//!   instants are UTC text to the microsecond (`2026-11-25T09:30:00.123456Z`), which sorts as
//!   time does.
//! - Every audited write numbers its event one past the last, under a lock that lets one
//!   audited writer in at a time, so the trail has no gaps.
//! - Errors name the record at fault by kind, 0-based index in its batch and id ([`StoreError`]).
//! - [`testing::TestDatabase`] gives tests, here and in other crates, a real database of their own.

mod access;
pub mod baseline;
mod brokerage;
mod call_events;
mod checks;
mod connect;
mod error;
mod invoices;
mod page;
mod postgres;
mod record_kind;
mod register;
mod rosters;
mod sql;
mod sql_store;
mod sqlite;
pub mod testing;
mod violation;
mod visits;

pub use access::{
    AccessEvent, AccessStore, AccountSession, ApiToken, AuditEvent, AuditFilter, AuditPage,
    NewSession, PasswordChange, Session,
};
pub use brokerage::{AnswerOutcome, BrokerageStore, ReferralStart};
pub use call_events::{CallEventResult, CallTiming, SentCallEvent};
pub use connect::connect;
pub use error::StoreError;
pub use invoices::{InvoiceStore, IssuedInvoice};
pub use page::Page;
pub use record_kind::RecordKind;
pub use register::{Backend, Records, RegisterCounts, RegisterStore};
pub use rosters::{RosterStore, RosterSummary};
pub use visits::{CallEventOutcome, VisitChangeOutcome, VisitChanges, VisitFilter, VisitStore};

/// All of the store: the sum of its aggregates' traits, so that callers hold one
/// `Arc<dyn Store>` and call any of them.
///
/// Each aggregate's trait lives in its own module with its record types: [`RegisterStore`],
/// [`AccessStore`], [`BrokerageStore`], [`VisitStore`], [`RosterStore`] and [`InvoiceStore`].
/// A type that implements them all is a `Store`; nothing implements it by hand.
pub trait Store:
    RegisterStore + AccessStore + BrokerageStore + VisitStore + RosterStore + InvoiceStore
{
}

impl<T> Store for T where
    T: RegisterStore + AccessStore + BrokerageStore + VisitStore + RosterStore + InvoiceStore
{
}

/// The store's traits, for callers that name their methods through a generic or a path:
/// `use homeward_store::prelude::*;`.
pub mod prelude {
    pub use crate::{
        AccessStore, BrokerageStore, InvoiceStore, RegisterStore, RosterStore, Store, VisitStore,
    };
}
