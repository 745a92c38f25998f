//! Persistence of the market register behind one interface, [`Store`], with two backends:
//! SQLite (a single file, the default) and PostgreSQL.
//!
//! Key points:
//! - Callers hold an `Arc<dyn Store>` from [`connect`] and never see SQL or sqlx types.
//! - Every write is one transaction: a batch is stored whole or not at all.
//! - Both backends run the same portable SQL and the same migrations (`migrations/`), and the same
//!   contract test suite (`tests/contract.rs`) runs against each.
//! - Values are stored as integers and text only, so both backends return identical records.
//! - Errors name the record at fault by kind, 0-based index in its batch and id ([`StoreError`]).
//! - [`testing::TestDatabase`] gives tests, here and in other crates, a real database of their own.

mod checks;
mod connect;
mod error;
mod postgres;
mod record_kind;
mod sql;
mod sql_store;
mod sqlite;
pub mod testing;
mod violation;

pub use connect::connect;
pub use error::StoreError;
pub use record_kind::RecordKind;

use async_trait::async_trait;
use homeward_domain::{
    Area, AreaDemand, AreaId, Award, Branch, CarePackage, CareWorker, Contract, Council, Market,
    Person, Provider,
};
use jiff::civil::Date;

/// Records of one kind, written together in one transaction.
#[derive(Debug, Clone, PartialEq)]
pub enum Records {
    /// The council (at most one is stored; writing replaces it).
    Council(Council),
    /// Areas.
    Areas(Vec<Area>),
    /// Providers.
    Providers(Vec<Provider>),
    /// Branches.
    Branches(Vec<Branch>),
    /// Lot awards.
    Awards(Vec<Award>),
    /// Contracts.
    Contracts(Vec<Contract>),
    /// People receiving care.
    People(Vec<Person>),
    /// Care packages.
    Packages(Vec<CarePackage>),
    /// Care workers.
    Workers(Vec<CareWorker>),
}

/// How many records of each kind the store holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RegisterCounts {
    /// Areas.
    pub areas: u64,
    /// Providers.
    pub providers: u64,
    /// Branches.
    pub branches: u64,
    /// Lot awards.
    pub awards: u64,
    /// Contracts.
    pub contracts: u64,
    /// People.
    pub people: u64,
    /// Packages.
    pub packages: u64,
    /// Care workers.
    pub workers: u64,
}

/// Which database a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite, one file.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// The market register's storage.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Which database this is.
    fn backend(&self) -> Backend;

    /// Brings the schema up to date; safe to run again.
    async fn migrate(&self) -> Result<(), StoreError>;

    /// Replaces the whole register with `market` in one transaction; `actor` is audited.
    async fn replace_market(&self, market: &Market, actor: &str) -> Result<(), StoreError>;

    /// Inserts `records` in one transaction, after what is stored; on any failure nothing changes
    /// and the error names the record (its index in the batch) and the field.
    async fn insert(&self, records: Records, actor: &str) -> Result<(), StoreError>;

    /// The council, if one is stored.
    async fn council(&self) -> Result<Option<Council>, StoreError>;

    /// Areas, ordered by tier then name.
    async fn areas(&self) -> Result<Vec<Area>, StoreError>;

    /// Providers, ordered by id.
    async fn providers(&self) -> Result<Vec<Provider>, StoreError>;

    /// Branches, ordered by id.
    async fn branches(&self) -> Result<Vec<Branch>, StoreError>;

    /// Lot awards, ordered by id.
    async fn awards(&self) -> Result<Vec<Award>, StoreError>;

    /// Contracts, ordered by id.
    async fn contracts(&self) -> Result<Vec<Contract>, StoreError>;

    /// People, ordered by id.
    async fn people(&self) -> Result<Vec<Person>, StoreError>;

    /// Packages, ordered by id.
    async fn packages(&self) -> Result<Vec<CarePackage>, StoreError>;

    /// Care workers, ordered by id.
    async fn workers(&self) -> Result<Vec<CareWorker>, StoreError>;

    /// Each area's customers and weekly minutes from the packages running on `date`
    /// (started on or before it, not ended before it); areas without demand are absent.
    async fn area_demand(&self, date: Date) -> Result<Vec<(AreaId, AreaDemand)>, StoreError>;

    /// How many records of each kind are stored.
    async fn counts(&self) -> Result<RegisterCounts, StoreError>;
}
