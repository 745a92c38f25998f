//! [`SqlStore`]: the one implementation of [`Store`], the same SQL on either backend.

mod brokerage;
mod call_events;
mod corrections;
mod history;
mod password_changes;
mod rosters;
mod sign_ins;
mod visits;
// Payments (issue 6).
mod invoices;

use crate::IssuedInvoice;
use crate::sql::access::{self, ACCOUNT_COLUMNS, TOKEN_COLUMNS};
use crate::sql::audit::{self, AuditEvent};
use crate::sql::brokerage::{self as brokerage_sql, StoredOffer};
use crate::sql::time::stored_timestamp;
use crate::sql::{Reference, TableRecord, counts, demand, json, read, write};
use crate::violation::{Violation, violation_of};
use crate::{
    AccessEvent, AnswerOutcome, ApiToken, AuditFilter, AuditPage, Backend, CallEventOutcome,
    CapacityReturn, Incentive, NewSession, Placement, ReablementEpisode, RecordKind, Records,
    ReferralRecord, ReferralStatus, RegisterCounts, RosterSummary, Session, Store, StoreError,
    VisitChangeOutcome, VisitChanges, VisitFilter, checks, postgres, sqlite,
};
// Call-event ingestion (issue 6).
use crate::{AccountSession, PasswordChange};
use crate::{CallEventResult, CallTiming, SentCallEvent};
use async_trait::async_trait;
use homeward_domain::Correction;
use homeward_domain::InvoicePeriod;
use homeward_domain::brokerage::{Offer, OfferResponse, ReablementOutcome, Referral};
use homeward_domain::{
    Account, AccountId, Area, AreaDemand, AreaId, Award, Branch, BranchId, CallEvent, CarePackage,
    CareWorker, Contract, Council, Email, Market, OfferId, Person, Provider, ProviderId,
    ReferralId, Roster, RosterId, RosterStop, TokenId, Visit, VisitId, WorkerId,
};
use jiff::Timestamp;
use jiff::civil::Date;
use sqlx::migrate::Migrator;
use sqlx::{Any, AnyConnection, AnyPool, Transaction};
use std::collections::HashSet;

/// The schema, the same files for both backends, built into the binary.
static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// Tables in the order they can be emptied: children before the records they refer to.
///
/// The register, and first the visits and brokerage records that refer to it (referrals name people,
/// areas and providers; capacity returns branches). Accounts, sessions and API tokens survive a
/// replacement, and nothing here is referred to by them through a foreign key (an account's
/// scope id is not one).
const DELETE_ORDER: [&str; 22] = [
    Correction::TABLE,
    // Payments (issue 6): invoices refer to visits, contracts, people and referrals.
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

/// A store on sqlx Any pools, SQLite or PostgreSQL.
pub(crate) struct SqlStore {
    /// For reads, and the writes that are not audited (sessions).
    pool: AnyPool,
    /// One connection for the audited writes, which take turns under one lock anyway
    /// ([`SqlStore::begin_write`]): a writer waits only for other writers, never behind the
    /// readers queueing for `pool` (with many requests reading at once, the call-event
    /// ingester's every transaction waited its turn among them).
    writer: AnyPool,
    backend: Backend,
}

impl SqlStore {
    /// A store on `pool` and `writer` (a pool of one connection), both connected to `backend`.
    pub(crate) fn new(pool: AnyPool, writer: AnyPool, backend: Backend) -> Self {
        Self {
            pool,
            writer,
            backend,
        }
    }

    /// The collation clause that makes text sort by bytes on this backend.
    fn text_order(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => sqlite::TEXT_ORDER,
            Backend::Postgres => postgres::TEXT_ORDER,
        }
    }

    /// Starts an audited write transaction, one writer at a time on either backend, so that
    /// the audit sequence (MAX + 1) is never taken twice and has no gaps.
    ///
    /// On SQLite `BEGIN IMMEDIATE` takes the file's write lock (waiting out the busy timeout)
    /// before anything is read, so a transaction that reads before it writes cannot find its
    /// snapshot stale. On PostgreSQL the same round trip that begins takes the store's writer lock.
    async fn begin_write(&self) -> Result<Transaction<'static, Any>, StoreError> {
        let begin = match self.backend {
            Backend::Sqlite => sqlite::BEGIN_WRITE,
            Backend::Postgres => postgres::BEGIN_WRITE,
        };
        self.writer
            .begin_with(begin)
            .await
            .map_err(StoreError::database)
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
        self.missing_in(record.references()).await
    }

    /// Which of `references` are not stored, as a sentence; `None` if none is missing or that
    /// cannot be told.
    async fn missing_in(&self, references: Vec<Reference>) -> Option<String> {
        let mut missing = Vec::new();
        for reference in references {
            if !read::exists(&self.pool, reference.table, &reference.id)
                .await
                .ok()?
            {
                missing.push(reference.missing_message());
            }
        }
        (!missing.is_empty()).then(|| missing.join("; "))
    }

    /// Turns the failure to insert one record of `kind` with `id` into an error about it:
    /// a unique violation names `taken` (the id or value already stored), a foreign key
    /// violation `reference` (the field and the id that does not exist).
    fn explain_single_insert_failure(
        &self,
        error: sqlx::Error,
        kind: RecordKind,
        id: &str,
        taken: String,
        reference: Option<String>,
    ) -> StoreError {
        match violation_of(self.backend, &error) {
            Some(Violation::Unique) => StoreError::Duplicate {
                kind,
                index: 0,
                id: taken,
            },
            Some(Violation::ForeignKey) => StoreError::MissingReference {
                kind,
                index: 0,
                id: id.to_owned(),
                message: reference.unwrap_or_else(|| error.to_string()),
            },
            None => StoreError::Database(format!("storing {kind} {id} failed: {error}")),
        }
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
    let event = AuditEvent::batch(actor, "replace-market", "market", record_count, summary);
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

    async fn create_account(
        &self,
        account: &Account,
        password_hash: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        let id = account.id.as_str();
        account.validate().map_err(|errors| StoreError::Invalid {
            kind: RecordKind::Account,
            index: 0,
            id: id.to_owned(),
            errors,
        })?;
        let created_at = stored_timestamp(Timestamp::now());
        let mut transaction = self.begin_write().await?;
        if let Err(error) =
            access::insert_account(&mut transaction, account, password_hash, &created_at).await
        {
            transaction.rollback().await.ok();
            // The address is what people can change; the id is only taken by a clash of
            // random ids.
            let taken = match access::email_taken(&self.pool, &account.email).await {
                Ok(true) => account.email.to_string(),
                _ => id.to_owned(),
            };
            return Err(self.explain_single_insert_failure(
                error,
                RecordKind::Account,
                id,
                taken,
                None,
            ));
        }
        let after = json::object(
            ACCOUNT_COLUMNS,
            &access::account_values(account, &created_at),
        );
        let event = AuditEvent::record(actor, "create", RecordKind::Account, id, None, Some(after));
        audit::append(&mut transaction, event)
            .await
            .map_err(StoreError::database)?;
        transaction.commit().await.map_err(StoreError::database)
    }

    async fn put_account(
        &self,
        account: &Account,
        password_hash: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        let id = account.id.as_str();
        account.validate().map_err(|errors| StoreError::Invalid {
            kind: RecordKind::Account,
            index: 0,
            id: id.to_owned(),
            errors,
        })?;
        let Some(before) = self.account(&account.id).await? else {
            return self.create_account(account, password_hash, actor).await;
        };
        let mut transaction = self.begin_write().await?;
        let created_at = access::account_created_at(&mut transaction, &account.id)
            .await
            .map_err(StoreError::database)?
            .unwrap_or_default();
        if let Err(error) = access::update_account(&mut transaction, account, password_hash).await {
            transaction.rollback().await.ok();
            return Err(self.explain_single_insert_failure(
                error,
                RecordKind::Account,
                id,
                account.email.to_string(),
                None,
            ));
        }
        let event = AuditEvent::record(
            actor,
            "update",
            RecordKind::Account,
            id,
            Some(json::object(
                ACCOUNT_COLUMNS,
                &access::account_values(&before, &created_at),
            )),
            Some(json::object(
                ACCOUNT_COLUMNS,
                &access::account_values(account, &created_at),
            )),
        );
        audit::append(&mut transaction, event)
            .await
            .map_err(StoreError::database)?;
        transaction.commit().await.map_err(StoreError::database)
    }

    async fn account(&self, id: &AccountId) -> Result<Option<Account>, StoreError> {
        access::account(&self.pool, id).await
    }

    async fn account_for_sign_in(
        &self,
        email: &Email,
    ) -> Result<Option<(Account, String)>, StoreError> {
        access::account_for_sign_in(&self.pool, email).await
    }

    async fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        access::accounts(&self.pool, self.text_order()).await
    }

    async fn create_session(&self, session: &NewSession, client: &str) -> Result<(), StoreError> {
        sign_ins::create_session(self, session, client).await
    }

    async fn session(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<Session>, StoreError> {
        access::session(&self.pool, token_hash, now, self.text_order()).await
    }

    async fn touch_session(&self, token_hash: &str, at: Timestamp) -> Result<(), StoreError> {
        access::touch_session(&self.pool, token_hash, at, self.text_order()).await
    }

    async fn account_sessions(
        &self,
        account_id: &AccountId,
        now: Timestamp,
    ) -> Result<Vec<AccountSession>, StoreError> {
        access::account_sessions(&self.pool, account_id, now, self.text_order()).await
    }

    async fn end_other_sessions(
        &self,
        account_id: &AccountId,
        kept_hash: &str,
        client: &str,
    ) -> Result<u64, StoreError> {
        sign_ins::end_other_sessions(self, account_id, kept_hash, client).await
    }

    async fn delete_session(&self, token_hash: &str, client: &str) -> Result<(), StoreError> {
        sign_ins::delete_session(self, token_hash, client).await
    }

    async fn change_password(
        &self,
        change: &PasswordChange,
        client: &str,
    ) -> Result<u64, StoreError> {
        password_changes::change_password(self, change, client).await
    }

    async fn create_api_token(
        &self,
        token: &ApiToken,
        token_hash: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        let id = token.id.as_str();
        let mut transaction = self.begin_write().await?;
        if let Err(error) = access::insert_token(&mut transaction, token, token_hash).await {
            transaction.rollback().await.ok();
            return Err(self.explain_single_insert_failure(
                error,
                RecordKind::ApiToken,
                id,
                id.to_owned(),
                Some(format!("account_id {} does not exist", token.account_id)),
            ));
        }
        let after = json::object(TOKEN_COLUMNS, &access::token_values(token));
        let event =
            AuditEvent::record(actor, "create", RecordKind::ApiToken, id, None, Some(after));
        audit::append(&mut transaction, event)
            .await
            .map_err(StoreError::database)?;
        transaction.commit().await.map_err(StoreError::database)
    }

    async fn api_tokens(&self, account_id: &AccountId) -> Result<Vec<ApiToken>, StoreError> {
        access::tokens(&self.pool, account_id, self.text_order()).await
    }

    async fn api_token_account(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<(ApiToken, Account)>, StoreError> {
        access::token_account(&self.pool, token_hash, now, self.text_order()).await
    }

    async fn revoke_api_token(
        &self,
        id: &TokenId,
        account_id: &AccountId,
        at: Timestamp,
        actor: &str,
    ) -> Result<bool, StoreError> {
        let mut transaction = self.begin_write().await?;
        let Some(token) = access::live_token(&mut transaction, id, account_id).await? else {
            transaction.rollback().await.ok();
            return Ok(false);
        };
        access::revoke_token(&mut transaction, id, at)
            .await
            .map_err(StoreError::database)?;
        let before = json::object(TOKEN_COLUMNS, &access::token_values(&token));
        let revoked = ApiToken {
            revoked_at: Some(at),
            ..token
        };
        let after = json::object(TOKEN_COLUMNS, &access::token_values(&revoked));
        let event = AuditEvent::record(
            actor,
            "revoke",
            RecordKind::ApiToken,
            id.as_str(),
            Some(before),
            Some(after),
        );
        audit::append(&mut transaction, event)
            .await
            .map_err(StoreError::database)?;
        transaction.commit().await.map_err(StoreError::database)?;
        Ok(true)
    }

    async fn record_access_event(&self, event: &AccessEvent) -> Result<(), StoreError> {
        sign_ins::record(self, event).await
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
        // The stored columns as they are, even ones the area's rules would now refuse.
        let before = json::row_values(&stored, Area::COLUMNS, &values).map_err(|error| {
            StoreError::Corrupt {
                kind: RecordKind::Area,
                id: id.to_owned(),
                message: error.to_string(),
            }
        })?;
        // Nothing to change is nothing to write, nor to audit.
        if before == values {
            transaction.rollback().await.ok();
            return Ok(());
        }
        write::update_row(&mut transaction, area)
            .await
            .map_err(|error| StoreError::Database(format!("updating area {id} failed: {error}")))?;
        let event = AuditEvent::record(
            actor,
            "update",
            RecordKind::Area,
            id,
            Some(json::object(Area::COLUMNS, &before)),
            Some(json::object(Area::COLUMNS, &values)),
        );
        audit::append(&mut transaction, event)
            .await
            .map_err(StoreError::database)?;
        transaction.commit().await.map_err(StoreError::database)
    }

    async fn audit_events(
        &self,
        filter: &AuditFilter,
        offset: u64,
        limit: u64,
    ) -> Result<AuditPage, StoreError> {
        audit::page(&self.pool, filter, offset, limit).await
    }

    async fn create_referral(
        &self,
        referral: &Referral,
        status: ReferralStatus,
        actor: &str,
    ) -> Result<(), StoreError> {
        brokerage::create_referral(self, referral, status, actor).await
    }

    async fn referral(&self, id: &ReferralId) -> Result<Option<ReferralRecord>, StoreError> {
        brokerage_sql::referral(&self.pool, id).await
    }

    async fn referrals(
        &self,
        status: Option<ReferralStatus>,
    ) -> Result<Vec<ReferralRecord>, StoreError> {
        brokerage_sql::referrals(&self.pool, status, self.text_order()).await
    }

    async fn move_referral(
        &self,
        id: &ReferralId,
        from: ReferralStatus,
        to: ReferralStatus,
        actor: &str,
    ) -> Result<bool, StoreError> {
        brokerage::move_referral(self, id, from, to, actor).await
    }

    async fn create_offers(
        &self,
        offers: &[Offer],
        referral_id: &ReferralId,
        actor: &str,
    ) -> Result<(), StoreError> {
        brokerage::create_offers(self, offers, referral_id, actor).await
    }

    async fn offers(&self, referral_id: &ReferralId) -> Result<Vec<Offer>, StoreError> {
        brokerage_sql::offers(&self.pool, referral_id, self.text_order()).await
    }

    async fn provider_offers(
        &self,
        provider_id: &ProviderId,
        open_only: bool,
    ) -> Result<Vec<(Offer, ReferralRecord)>, StoreError> {
        brokerage_sql::provider_offers(&self.pool, provider_id, open_only, self.text_order()).await
    }

    async fn offer(
        &self,
        offer_id: &OfferId,
    ) -> Result<Option<(Offer, ReferralRecord)>, StoreError> {
        brokerage_sql::offer(&self.pool, offer_id, self.text_order()).await
    }

    async fn answer_offer(
        &self,
        offer_id: &OfferId,
        provider_id: &ProviderId,
        response: &OfferResponse,
        at: Timestamp,
        actor: &str,
    ) -> Result<AnswerOutcome, StoreError> {
        brokerage::answer_offer(self, offer_id, provider_id, response, at, actor).await
    }

    async fn place_referral(
        &self,
        placement: &Placement,
        referral_id: &ReferralId,
        package: &CarePackage,
        incentive: Option<&Incentive>,
        actor: &str,
    ) -> Result<bool, StoreError> {
        brokerage::place_referral(self, placement, referral_id, package, incentive, actor).await
    }

    async fn refer_to_reablement(
        &self,
        referral: &Referral,
        episode: &ReablementEpisode,
        actor: &str,
    ) -> Result<(), StoreError> {
        brokerage::refer_to_reablement(self, referral, episode, actor).await
    }

    async fn start_reablement(
        &self,
        episode: &ReablementEpisode,
        actor: &str,
    ) -> Result<(), StoreError> {
        brokerage::start_reablement(self, episode, actor).await
    }

    async fn end_reablement(
        &self,
        referral_id: &ReferralId,
        ended_on: Date,
        outcome: ReablementOutcome,
        onward: Option<&Referral>,
        actor: &str,
    ) -> Result<(), StoreError> {
        brokerage::end_reablement(self, referral_id, ended_on, outcome, onward, actor).await
    }

    async fn reablement_episode(
        &self,
        referral_id: &ReferralId,
    ) -> Result<Option<ReablementEpisode>, StoreError> {
        brokerage_sql::episode(&self.pool, referral_id).await
    }

    async fn put_capacity_return(
        &self,
        capacity: &CapacityReturn,
        actor: &str,
    ) -> Result<(), StoreError> {
        brokerage::put_capacity_return(self, capacity, actor).await
    }

    async fn capacity_returns(&self, week_of: Date) -> Result<Vec<CapacityReturn>, StoreError> {
        brokerage_sql::capacity_returns(&self.pool, week_of, self.text_order()).await
    }

    async fn incentives(&self) -> Result<Vec<Incentive>, StoreError> {
        self.list().await
    }

    async fn visits(&self, filter: &VisitFilter) -> Result<Vec<Visit>, StoreError> {
        visits::list(self, filter).await
    }

    async fn visit(&self, id: &VisitId) -> Result<Option<Visit>, StoreError> {
        let mut connection = self.pool.acquire().await.map_err(StoreError::database)?;
        Ok(read::stored_by_id::<Visit>(&mut connection, id.as_str())
            .await?
            .map(|(visit, _)| visit))
    }

    async fn change_visits(
        &self,
        changes: &VisitChanges,
        now: Timestamp,
        actor: &str,
    ) -> Result<VisitChangeOutcome, StoreError> {
        visits::change(self, changes, now, actor).await
    }

    async fn record_call_event(
        &self,
        event: &CallEvent,
        received_at: Timestamp,
        actor: &str,
    ) -> Result<CallEventOutcome, StoreError> {
        call_events::record(self, event, received_at, actor).await
    }

    async fn call_events(&self, visit_id: &VisitId) -> Result<Vec<CallEvent>, StoreError> {
        call_events::of_visit(self, visit_id).await
    }

    async fn call_events_of(&self, filter: &VisitFilter) -> Result<Vec<CallEvent>, StoreError> {
        call_events::of_visits(self, filter).await
    }

    async fn call_timings_of(&self, filter: &VisitFilter) -> Result<Vec<CallTiming>, StoreError> {
        call_events::timings_of_visits(self, filter).await
    }

    async fn save_roster(
        &self,
        roster: &Roster,
        action: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        rosters::save(self, roster, action, actor).await
    }

    async fn roster(&self, id: &RosterId) -> Result<Option<Roster>, StoreError> {
        rosters::by_id(self, id).await
    }

    async fn branch_roster(
        &self,
        branch: &BranchId,
        date: Date,
    ) -> Result<Option<Roster>, StoreError> {
        rosters::of_branch_day(self, branch, date).await
    }

    async fn branch_rosters(
        &self,
        branch: &BranchId,
        from: Date,
        until: Date,
    ) -> Result<Vec<RosterSummary>, StoreError> {
        rosters::summaries(self, branch, from, until).await
    }

    async fn worker_stops(
        &self,
        worker: &WorkerId,
        from: Date,
        until: Date,
        published_only: bool,
    ) -> Result<Vec<RosterStop>, StoreError> {
        rosters::of_worker(self, worker, from, until, published_only).await
    }

    async fn roster_stops_of(
        &self,
        filter: &VisitFilter,
        published_only: bool,
    ) -> Result<Vec<RosterStop>, StoreError> {
        rosters::of_visits(self, filter, published_only).await
    }

    // Call-event ingestion (issue 6).

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

    async fn record_call_events(
        &self,
        events: &[SentCallEvent],
        received_at: Timestamp,
    ) -> Result<Vec<CallEventResult>, StoreError> {
        call_events::record_all(self, events, received_at).await
    }

    // Payments (issue 6).

    async fn issue_invoice(&self, invoice: &IssuedInvoice, actor: &str) -> Result<(), StoreError> {
        invoices::issue(self, invoice, actor).await
    }

    async fn issued_invoice(
        &self,
        provider_id: &ProviderId,
        period: &InvoicePeriod,
    ) -> Result<Option<IssuedInvoice>, StoreError> {
        invoices::one(self, provider_id, period).await
    }

    async fn issued_invoices(
        &self,
        period: &InvoicePeriod,
    ) -> Result<Vec<IssuedInvoice>, StoreError> {
        invoices::of_period(self, period).await
    }

    async fn invoiced_visits(&self, visits: &[VisitId]) -> Result<HashSet<VisitId>, StoreError> {
        invoices::invoiced_visits(self, visits).await
    }

    // Manual corrections of call monitoring.

    async fn correct_visit(&self, correction: &Correction, actor: &str) -> Result<(), StoreError> {
        corrections::correct(self, correction, actor).await
    }

    async fn corrections_of(&self, filter: &VisitFilter) -> Result<Vec<Correction>, StoreError> {
        corrections::of_visits(self, filter).await
    }

    async fn import_call_events(
        &self,
        events: &[(CallEvent, Timestamp)],
        actor: &str,
    ) -> Result<usize, StoreError> {
        history::import(self, events, actor).await
    }

    async fn stored_call_event(
        &self,
        provider: &ProviderId,
        key: &homeward_domain::EventKey,
    ) -> Result<Option<(CallEvent, Timestamp)>, StoreError> {
        call_events::one(self, provider, key).await
    }

    async fn visit_with_published_stops(
        &self,
        id: &VisitId,
    ) -> Result<Option<(Visit, Vec<RosterStop>)>, StoreError> {
        call_events::visit_with_published_stops(self, id).await
    }
}
