//! The register on [`SqlStore`]: replacing it whole, inserting a batch of one kind, updating an
//! area, and its reads (whole tables, and records by id for the scope checks).

use super::{MIGRATOR, SqlStore, call_events};
use crate::sql::audit::{self, AuditEvent};
use crate::sql::brokerage::{self as brokerage_sql, StoredOffer};
use crate::sql::{TableRecord, counts, demand, json, read, write};
use crate::{
    Backend, Page, RecordKind, Records, RegisterCounts, RegisterStore, StoreError, checks,
};
use async_trait::async_trait;
use homeward_domain::brokerage::{Incentive, ReablementEpisode, ReferralRecord};
use homeward_domain::{
    Area, AreaDemand, AreaId, Award, Branch, BranchId, CarePackage, CareWorker, Contract,
    Correction, Council, Market, Person, PersonId, Provider, ProviderId, Visit, WorkerId,
};
use jiff::Timestamp;
use jiff::civil::Date;
use sqlx::AnyConnection;

/// Tables in the order they can be emptied: children before the records they refer to.
///
/// The register, and first the visits and brokerage records that refer to it (referrals name people,
/// areas and providers; capacity returns branches). Accounts, sessions and API tokens survive a
/// replacement, and nothing here is referred to by them through a foreign key (an account's
/// scope id is not one).
const DELETE_ORDER: [&str; 22] = [
    Correction::TABLE,
    // Invoices refer to visits, contracts, people and referrals.
    crate::sql::invoices::StoredLine::TABLE,
    crate::sql::invoices::InvoiceHeader::TABLE,
    crate::sql::rosters::StopRow::TABLE,
    crate::sql::rosters::UnmadeRow::TABLE,
    crate::sql::rosters::RosterRow::TABLE,
    crate::sql::call_events::StoredCallEvent::TABLE,
    Visit::TABLE,
    Incentive::TABLE,
    brokerage_sql::CAPACITY_TABLE,
    ReablementEpisode::TABLE,
    StoredOffer::TABLE,
    ReferralRecord::TABLE,
    CareWorker::TABLE,
    CarePackage::TABLE,
    Person::TABLE,
    Contract::TABLE,
    Award::TABLE,
    Branch::TABLE,
    Provider::TABLE,
    Area::TABLE,
    Council::TABLE,
];

impl SqlStore {
    /// Inserts `records` one by one in one transaction, so a failure names its record; a
    /// single-row kind (the council) replaces what is stored.
    async fn insert_batch<T: TableRecord>(
        &self,
        records: &[T],
        actor: &str,
    ) -> Result<(), StoreError> {
        checks::validate_batch(records)?;
        if records.is_empty() {
            return Ok(());
        }
        let mut transaction = self.begin_write().await?;
        if T::SINGLE_ROW {
            write::delete_all(&mut transaction, T::TABLE)
                .await
                .map_err(StoreError::database)?;
        }
        for (index, record) in records.iter().enumerate() {
            if let Err(error) =
                write::insert_rows(&mut transaction, std::slice::from_ref(record)).await
            {
                // Roll back first: the explanation reads the stored records, and on PostgreSQL
                // the failed transaction can run nothing more.
                transaction.rollback().await.ok();
                return Err(self.explain_insert_failure(error, index, record).await);
            }
        }
        // Imported records are care data entering the register: the event keeps what was stored,
        // record by record, so the trail says which records the import made, not only how many.
        let stored: Vec<String> = records
            .iter()
            .map(|record| json::object(T::COLUMNS, &record.values()))
            .collect();
        let mut event = AuditEvent::batch(
            actor,
            "import",
            T::KIND.plural(),
            records.len(),
            format!("imported {} {}", records.len(), T::KIND.plural()),
        );
        event.after = Some(format!("[{}]", stored.join(",")));
        audit::append(&mut transaction, self.now(), event)
            .await
            .map_err(StoreError::database)?;
        transaction.commit().await.map_err(StoreError::database)
    }
}

/// Empties the register and writes `market` in bulk, with its audit event.
async fn write_market(
    connection: &mut AnyConnection,
    market: &Market,
    at: Timestamp,
    actor: &str,
) -> Result<(), sqlx::Error> {
    for table in DELETE_ORDER {
        write::delete_all(connection, table).await?;
    }
    write::insert_rows(connection, std::slice::from_ref(&market.council)).await?;
    write::insert_in_chunks(connection, &market.areas).await?;
    write::insert_in_chunks(connection, &market.providers).await?;
    write::insert_in_chunks(connection, &market.branches).await?;
    write::insert_in_chunks(connection, &market.awards).await?;
    write::insert_in_chunks(connection, &market.contracts).await?;
    write::insert_in_chunks(connection, &market.people).await?;
    write::insert_in_chunks(connection, &market.packages).await?;
    write::insert_in_chunks(connection, &market.workers).await?;
    let record_count = market.areas.len()
        + market.providers.len()
        + market.branches.len()
        + market.awards.len()
        + market.contracts.len()
        + market.people.len()
        + market.packages.len()
        + market.workers.len();
    let summary = format!(
        "replaced the register with {} ({}): {} areas, {} providers, {} branches, {} awards, {} contracts, \
         {} people, {} packages, {} workers",
        market.council.name,
        market.council.preset,
        market.areas.len(),
        market.providers.len(),
        market.branches.len(),
        market.awards.len(),
        market.contracts.len(),
        market.people.len(),
        market.packages.len(),
        market.workers.len(),
    );
    let event = AuditEvent::batch(actor, "replace-market", "market", record_count, summary);
    audit::append(connection, at, event).await
}

#[async_trait]
impl RegisterStore for SqlStore {
    fn backend(&self) -> Backend {
        self.backend
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        MIGRATOR
            .run(&self.pool)
            .await
            .map_err(|error| StoreError::Migration(error.to_string()))
    }

    async fn replace_market(&self, market: &Market, actor: &str) -> Result<(), StoreError> {
        checks::check_market(market)?;
        let mut transaction = self.begin_write().await?;
        write_market(&mut transaction, market, self.now(), actor)
            .await
            .map_err(|error| StoreError::database_in("replacing the register failed", error))?;
        transaction.commit().await.map_err(StoreError::database)
    }

    async fn insert(&self, records: Records, actor: &str) -> Result<(), StoreError> {
        match records {
            Records::Council(council) => {
                self.insert_batch(std::slice::from_ref(&council), actor)
                    .await
            }
            Records::Areas(areas) => self.insert_batch(&areas, actor).await,
            Records::Providers(providers) => self.insert_batch(&providers, actor).await,
            Records::Branches(branches) => self.insert_batch(&branches, actor).await,
            Records::Awards(awards) => self.insert_batch(&awards, actor).await,
            Records::Contracts(contracts) => self.insert_batch(&contracts, actor).await,
            Records::People(people) => self.insert_batch(&people, actor).await,
            Records::Packages(packages) => self.insert_batch(&packages, actor).await,
            Records::Workers(workers) => self.insert_batch(&workers, actor).await,
        }
    }

    async fn council(&self) -> Result<Option<Council>, StoreError> {
        Ok(self.list::<Council>().await?.into_iter().next())
    }

    async fn areas(&self) -> Result<Vec<Area>, StoreError> {
        self.list().await
    }

    async fn providers(&self) -> Result<Vec<Provider>, StoreError> {
        self.list().await
    }

    async fn branches(&self) -> Result<Vec<Branch>, StoreError> {
        self.list().await
    }

    async fn awards(&self) -> Result<Vec<Award>, StoreError> {
        self.list().await
    }

    async fn contracts(&self) -> Result<Vec<Contract>, StoreError> {
        self.list().await
    }

    async fn people(&self) -> Result<Vec<Person>, StoreError> {
        self.list().await
    }

    async fn packages(&self) -> Result<Vec<CarePackage>, StoreError> {
        self.list().await
    }

    async fn workers(&self) -> Result<Vec<CareWorker>, StoreError> {
        self.list().await
    }

    async fn area_demand(&self, date: Date) -> Result<Vec<(AreaId, AreaDemand)>, StoreError> {
        demand::area_demand(&self.pool, date, self.text_order()).await
    }

    async fn register_version(&self) -> Result<i64, StoreError> {
        sqlx::query_scalar::<_, i64>(
            "SELECT CAST(COALESCE(MAX(sequence), 0) AS BIGINT) FROM audit_events",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(StoreError::database)
    }

    async fn counts(&self) -> Result<RegisterCounts, StoreError> {
        counts::counts(&self.pool).await
    }

    async fn update_area(&self, area: &Area, actor: &str) -> Result<(), StoreError> {
        let id = area.id.as_str();
        area.validate().map_err(|errors| StoreError::Invalid {
            kind: RecordKind::Area,
            index: 0,
            id: id.to_owned(),
            errors,
        })?;
        let values = area.values();
        let mut transaction = self.begin_write().await?;
        let stored = read::row_by_id::<Area>(&mut transaction, id)
            .await
            .map_err(StoreError::database)?;
        let Some(stored) = stored else {
            transaction.rollback().await.ok();
            return Err(StoreError::NotFound {
                kind: RecordKind::Area,
                id: id.to_owned(),
            });
        };
        let before = json::row_values(&stored, Area::COLUMNS, &values).map_err(|error| {
            StoreError::Corrupt {
                kind: RecordKind::Area,
                id: id.to_owned(),
                message: error.to_string(),
            }
        })?;
        if before == values {
            transaction.rollback().await.ok();
            return Ok(());
        }
        write::update_row(&mut transaction, area)
            .await
            .map_err(|error| {
                StoreError::database_in(format!("updating area {id} failed"), error)
            })?;
        let event = AuditEvent::record(
            actor,
            "update",
            RecordKind::Area,
            id,
            Some(json::object(Area::COLUMNS, &before)),
            Some(json::object(Area::COLUMNS, &values)),
        );
        audit::append(&mut transaction, self.now(), event)
            .await
            .map_err(StoreError::database)?;
        transaction.commit().await.map_err(StoreError::database)
    }

    async fn person(&self, id: &PersonId) -> Result<Option<Person>, StoreError> {
        read::one(&self.pool, id.as_str()).await
    }

    async fn person_packages(&self, person_id: &PersonId) -> Result<Vec<CarePackage>, StoreError> {
        read::list_where(
            &self.pool,
            "person_id",
            person_id.as_str(),
            self.text_order(),
        )
        .await
    }

    async fn provider(&self, id: &ProviderId) -> Result<Option<Provider>, StoreError> {
        read::one(&self.pool, id.as_str()).await
    }

    async fn provider_branches(&self, provider_id: &ProviderId) -> Result<Vec<Branch>, StoreError> {
        read::list_where(
            &self.pool,
            "provider_id",
            provider_id.as_str(),
            self.text_order(),
        )
        .await
    }

    async fn people_page(&self, offset: u64, limit: u64) -> Result<Page<Person>, StoreError> {
        read::page(&self.pool, offset, limit, self.text_order()).await
    }

    async fn worker(&self, id: &WorkerId) -> Result<Option<CareWorker>, StoreError> {
        read::one(&self.pool, id.as_str()).await
    }

    async fn branch(&self, id: &BranchId) -> Result<Option<Branch>, StoreError> {
        read::one(&self.pool, id.as_str()).await
    }

    async fn worker_with_provider(
        &self,
        id: &WorkerId,
    ) -> Result<Option<(CareWorker, ProviderId)>, StoreError> {
        call_events::worker_with_provider(self, id).await
    }
}
