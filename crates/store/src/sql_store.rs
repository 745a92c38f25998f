//! [`SqlStore`]: the one implementation of [`Store`], the same SQL on either backend.

use crate::sql::audit::{self, AuditEvent};
use crate::sql::{TableRecord, counts, demand, read, write};
use crate::violation::{Violation, violation_of};
use crate::{Backend, Records, RegisterCounts, Store, StoreError, checks, postgres, sqlite};
use async_trait::async_trait;
use homeward_domain::{
    Area, AreaDemand, AreaId, Award, Branch, CarePackage, CareWorker, Contract, Council, Market,
    Person, Provider,
};
use jiff::civil::Date;
use sqlx::migrate::Migrator;
use sqlx::{Any, AnyConnection, AnyPool, Transaction};

/// The schema, the same files for both backends, built into the binary.
static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// Tables in the order they can be emptied: children before the records they refer to.
const DELETE_ORDER: [&str; 9] = [
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

/// A store on an sqlx Any pool, SQLite or PostgreSQL.
pub(crate) struct SqlStore {
    pool: AnyPool,
    backend: Backend,
}

impl SqlStore {
    /// A store on `pool`, which is connected to `backend`.
    pub(crate) fn new(pool: AnyPool, backend: Backend) -> Self {
        Self { pool, backend }
    }

    /// The collation clause that makes text sort by bytes on this backend.
    fn text_order(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => sqlite::TEXT_ORDER,
            Backend::Postgres => postgres::TEXT_ORDER,
        }
    }

    /// Starts a write transaction, one writer at a time on either backend.
    ///
    /// On SQLite the first statement of every write transaction is itself a write, which takes
    /// the file's write lock (waiting out the busy timeout) before anything is read.
    async fn begin_write(&self) -> Result<Transaction<'static, Any>, StoreError> {
        let mut transaction = self.pool.begin().await.map_err(StoreError::database)?;
        if self.backend == Backend::Postgres {
            sqlx::query(postgres::SERIALISE_WRITERS)
                .execute(&mut *transaction)
                .await
                .map_err(StoreError::database)?;
        }
        Ok(transaction)
    }

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
        let event = AuditEvent {
            actor,
            action: "import",
            record_kind: T::KIND.plural(),
            record_count: records.len(),
            summary: format!("imported {} {}", records.len(), T::KIND.plural()),
        };
        audit::append(&mut transaction, event)
            .await
            .map_err(StoreError::database)?;
        transaction.commit().await.map_err(StoreError::database)
    }

    /// Turns the failure to insert `record`, at `index` in its batch, into an error about it.
    async fn explain_insert_failure<T: TableRecord>(
        &self,
        error: sqlx::Error,
        index: usize,
        record: &T,
    ) -> StoreError {
        let id = record.id().to_owned();
        match violation_of(self.backend, &error) {
            Some(Violation::Unique) => StoreError::Duplicate {
                kind: T::KIND,
                index,
                id,
            },
            Some(Violation::ForeignKey) => {
                let message = self
                    .missing_references(record)
                    .await
                    .unwrap_or_else(|| error.to_string());
                StoreError::MissingReference {
                    kind: T::KIND,
                    index,
                    id,
                    message,
                }
            }
            None => StoreError::Database(format!(
                "storing {} at index {index} ({id}) failed: {error}",
                T::KIND
            )),
        }
    }

    /// Which of `record`'s references are not stored, as a sentence; `None` if that cannot be
    /// told (the database gives no field, so each reference is looked up).
    async fn missing_references<T: TableRecord>(&self, record: &T) -> Option<String> {
        let mut missing = Vec::new();
        for reference in record.references() {
            if !read::exists(&self.pool, reference.table, &reference.id)
                .await
                .ok()?
            {
                missing.push(reference.missing_message());
            }
        }
        (!missing.is_empty()).then(|| missing.join("; "))
    }

    /// Every stored record of type `T`, in its listing order.
    async fn list<T: TableRecord>(&self) -> Result<Vec<T>, StoreError> {
        read::list(&self.pool, self.text_order()).await
    }
}

/// Empties the register and writes `market` in bulk, with its audit event.
async fn write_market(
    connection: &mut AnyConnection,
    market: &Market,
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
    let event = AuditEvent {
        actor,
        action: "replace-market",
        record_kind: "market",
        record_count,
        summary,
    };
    audit::append(connection, event).await
}

#[async_trait]
impl Store for SqlStore {
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
        // Everything that could name a record is checked first; what fails after that is the
        // database itself.
        checks::check_market(market)?;
        let mut transaction = self.begin_write().await?;
        write_market(&mut transaction, market, actor)
            .await
            .map_err(|error| {
                StoreError::Database(format!("replacing the register failed: {error}"))
            })?;
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

    async fn counts(&self) -> Result<RegisterCounts, StoreError> {
        counts::counts(&self.pool).await
    }
}
