//! The market register: the council, its areas, providers and their branches, lot awards,
//! contracts, the people receiving care, their packages and the care workers, read and written
//! through [`RegisterStore`].
//!
//! The register is replaced whole by an import, added to a kind at a time, and otherwise only
//! read; its reads by id serve the scope checks of every other aggregate (which branch a care
//! worker is in, whose provider that is), so they live here too.

use crate::{Page, StoreError};
use async_trait::async_trait;
use homeward_domain::{
    Area, AreaDemand, AreaId, Award, Branch, BranchId, CarePackage, CareWorker, Contract, Council,
    Market, Person, PersonId, Provider, ProviderId, WorkerId,
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
pub trait RegisterStore: Send + Sync + 'static {
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

    /// A number that grows with every audited write: the last audit sequence, 0 when none.
    /// Every change to the register is audited, so equal versions mean an unchanged register,
    /// which lets readers cache figures derived from it.
    async fn register_version(&self) -> Result<i64, StoreError>;

    /// How many records of each kind are stored.
    async fn counts(&self) -> Result<RegisterCounts, StoreError>;

    /// Replaces a stored area with `area` (same id), in one transaction with an audit event
    /// holding the area's stored columns before and after. `area` is checked first
    /// ([`StoreError::Invalid`], index 0); a missing area is [`StoreError::NotFound`]. An area
    /// stored as it is already changes nothing and is not audited.
    async fn update_area(&self, area: &Area, actor: &str) -> Result<(), StoreError>;

    /// One person, if stored.
    async fn person(&self, id: &PersonId) -> Result<Option<Person>, StoreError>;

    /// One person's packages, ordered by id.
    async fn person_packages(&self, person_id: &PersonId) -> Result<Vec<CarePackage>, StoreError>;

    /// One provider, if stored.
    async fn provider(&self, id: &ProviderId) -> Result<Option<Provider>, StoreError>;

    /// One provider's branches, ordered by id.
    async fn provider_branches(&self, provider_id: &ProviderId) -> Result<Vec<Branch>, StoreError>;

    /// `limit` people from `offset`, ordered by id as [`RegisterStore::people`] lists them,
    /// and how many people are stored.
    async fn people_page(&self, offset: u64, limit: u64) -> Result<Page<Person>, StoreError>;

    /// One care worker, if stored.
    async fn worker(&self, id: &WorkerId) -> Result<Option<CareWorker>, StoreError>;

    /// One branch, if stored.
    async fn branch(&self, id: &BranchId) -> Result<Option<Branch>, StoreError>;

    /// One care worker and the provider of their branch, in one lookup (the scope check of
    /// every call event needs both).
    async fn worker_with_provider(
        &self,
        id: &WorkerId,
    ) -> Result<Option<(CareWorker, ProviderId)>, StoreError>;
}
