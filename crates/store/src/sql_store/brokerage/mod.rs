//! Brokerage on [`SqlStore`]: referrals, offers and answers, placements, reablement episodes,
//! capacity returns and incentives.
//!
//! Every write is one transaction taken with [`SqlStore::begin_write`] (one writer at a time on
//! either backend), with its audit events inside it. Changes that may race (moving a referral,
//! answering an offer, placing a referral) are conditional UPDATEs: the row's state at the moment
//! of writing decides, and a change that finds it moved on writes and audits nothing.
//!
//! Audit events name the record by kind and id: `referral` (`create`, `move`, `place`, `close`),
//! `offer` (`create`, `answer`), `package` and `incentive` (`create`, by a placement),
//! `reablement-episode` (`start`, `end`, named by its referral) and `capacity-return` (`create`,
//! `update`, named `branch/area/week`), each with the stored columns before and after.
//!
//! The trait's implementation is here, with the helpers every brokerage write shares; the
//! writes themselves are in one module per record: `referrals`, `intake` (a new person with their
//! referral), `placements`, `reablement` and `capacity`.

mod capacity;
mod intake;
mod placements;
mod reablement;
mod referrals;

use super::SqlStore;
use crate::BrokerageStore;
use crate::sql::audit::{self, AuditEvent};
use crate::sql::brokerage::{self as sql};
use crate::sql::values::SqlValue;
use crate::sql::{TableRecord, json, read, write};
use crate::{AnswerOutcome, Page, RecordKind, ReferralStart, StoreError, checks};
use async_trait::async_trait;
use homeward_domain::brokerage::{
    CapacityReturn, Incentive, Placement, ReablementEpisode, ReferralRecord, ReferralStatus,
};
use homeward_domain::brokerage::{Offer, OfferResponse, ReablementOutcome, Referral};
use homeward_domain::{CarePackage, FieldError, Invalid, OfferId, Person, ProviderId, ReferralId};
use jiff::Timestamp;
use jiff::civil::Date;
use sqlx::{Any, AnyConnection, Transaction};

/// An open write transaction.
pub(super) type Write = Transaction<'static, Any>;

/// A record of `kind` breaking one rule, on `field`.
pub(super) fn invalid(
    kind: RecordKind,
    id: &str,
    field: &str,
    message: impl Into<String>,
) -> StoreError {
    StoreError::Invalid {
        kind,
        index: 0,
        id: id.to_owned(),
        errors: Invalid(vec![FieldError::new(field, message.into())]),
    }
}

/// A record's own rules, as the store reports them.
pub(super) fn validate<T: TableRecord>(record: &T) -> Result<(), StoreError> {
    checks::validate_batch(std::slice::from_ref(record))
}

/// `values` with the value of each of `columns` (in `all`) replaced by the one given.
pub(super) fn replaced(
    all: &[&str],
    values: &[SqlValue],
    columns: &[&str],
    new: impl IntoIterator<Item = SqlValue>,
) -> Vec<SqlValue> {
    let mut values = values.to_vec();
    for (column, value) in columns.iter().zip(new) {
        let index = all
            .iter()
            .position(|name| name == column)
            .expect("the column is one of the table's");
        values[index] = value;
    }
    values
}

/// Appends an audit event made at `at` inside the write.
pub(super) async fn append(
    connection: &mut AnyConnection,
    at: Timestamp,
    event: AuditEvent<'_>,
) -> Result<(), StoreError> {
    audit::append(connection, at, event)
        .await
        .map_err(StoreError::database)
}

/// The audit event of creating `record`, with its stored columns after.
pub(super) fn created<'a, T: TableRecord>(actor: &'a str, record: &'a T) -> AuditEvent<'a> {
    AuditEvent::record(
        actor,
        "create",
        T::KIND,
        record.id(),
        None,
        Some(json::object(T::COLUMNS, &record.values())),
    )
}

impl SqlStore {
    /// Inserts `record` (at `index` in its batch) inside `transaction`; on failure rolls back
    /// and explains the failure in terms of the record.
    pub(super) async fn insert_or_explain<T: TableRecord>(
        &self,
        mut transaction: Write,
        record: &T,
        index: usize,
    ) -> Result<Write, StoreError> {
        match write::insert_rows(&mut transaction, std::slice::from_ref(record)).await {
            Ok(()) => Ok(transaction),
            Err(error) => {
                // Roll back first: the explanation reads the stored records, and on PostgreSQL
                // the failed transaction can run nothing more.
                transaction.rollback().await.ok();
                Err(self.explain_insert_failure(error, index, record).await)
            }
        }
    }

    /// The stored referral `id` and its columns, read inside a write; [`StoreError::NotFound`]
    /// (after rolling back) when there is none.
    async fn stored_referral(
        &self,
        transaction: Write,
        id: &ReferralId,
    ) -> Result<(Write, ReferralRecord, Vec<SqlValue>), StoreError> {
        let mut transaction = transaction;
        match read::stored_by_id::<ReferralRecord>(&mut transaction, id.as_str()).await? {
            Some((record, values)) => Ok((transaction, record, values)),
            None => {
                transaction.rollback().await.ok();
                Err(StoreError::NotFound {
                    kind: RecordKind::Referral,
                    id: id.to_string(),
                })
            }
        }
    }
}

#[async_trait]
impl BrokerageStore for SqlStore {
    async fn create_referral(
        &self,
        referral: &Referral,
        status: ReferralStatus,
        actor: &str,
    ) -> Result<(), StoreError> {
        referrals::create_referral(self, referral, status, actor).await
    }

    async fn create_person_and_referral(
        &self,
        new_person: Option<&Person>,
        referral: &Referral,
        start: &ReferralStart,
        actor: &str,
    ) -> Result<(), StoreError> {
        intake::create_person_and_referral(self, new_person, referral, start, actor).await
    }

    async fn referral(&self, id: &ReferralId) -> Result<Option<ReferralRecord>, StoreError> {
        sql::referral(&self.pool, id).await
    }

    async fn referrals(
        &self,
        status: Option<ReferralStatus>,
    ) -> Result<Vec<ReferralRecord>, StoreError> {
        sql::referrals(&self.pool, status, self.text_order()).await
    }

    async fn referrals_page(
        &self,
        status: Option<ReferralStatus>,
        offset: u64,
        limit: u64,
    ) -> Result<Page<ReferralRecord>, StoreError> {
        sql::referrals_page(&self.pool, status, offset, limit, self.text_order()).await
    }

    async fn move_referral(
        &self,
        id: &ReferralId,
        from: ReferralStatus,
        to: ReferralStatus,
        actor: &str,
    ) -> Result<bool, StoreError> {
        referrals::move_referral(self, id, from, to, actor).await
    }

    async fn create_offers(
        &self,
        offers: &[Offer],
        referral_id: &ReferralId,
        actor: &str,
    ) -> Result<(), StoreError> {
        referrals::create_offers(self, offers, referral_id, actor).await
    }

    async fn offers(&self, referral_id: &ReferralId) -> Result<Vec<Offer>, StoreError> {
        sql::offers(&self.pool, referral_id, self.text_order()).await
    }

    async fn provider_offers(
        &self,
        provider_id: &ProviderId,
        open_only: bool,
    ) -> Result<Vec<(Offer, ReferralRecord)>, StoreError> {
        sql::provider_offers(&self.pool, provider_id, open_only, self.text_order()).await
    }

    async fn offer(
        &self,
        offer_id: &OfferId,
    ) -> Result<Option<(Offer, ReferralRecord)>, StoreError> {
        sql::offer(&self.pool, offer_id, self.text_order()).await
    }

    async fn answer_offer(
        &self,
        offer_id: &OfferId,
        provider_id: &ProviderId,
        response: &OfferResponse,
        at: Timestamp,
        actor: &str,
    ) -> Result<AnswerOutcome, StoreError> {
        referrals::answer_offer(self, offer_id, provider_id, response, at, actor).await
    }

    async fn place_referral(
        &self,
        placement: &Placement,
        referral_id: &ReferralId,
        package: &CarePackage,
        incentive: Option<&Incentive>,
        actor: &str,
    ) -> Result<bool, StoreError> {
        placements::place_referral(self, placement, referral_id, package, incentive, actor).await
    }

    async fn start_reablement(
        &self,
        episode: &ReablementEpisode,
        actor: &str,
    ) -> Result<(), StoreError> {
        reablement::start_reablement(self, episode, actor).await
    }

    async fn end_reablement(
        &self,
        referral_id: &ReferralId,
        ended_on: Date,
        outcome: ReablementOutcome,
        onward: Option<&Referral>,
        actor: &str,
    ) -> Result<(), StoreError> {
        reablement::end_reablement(self, referral_id, ended_on, outcome, onward, actor).await
    }

    async fn reablement_episode(
        &self,
        referral_id: &ReferralId,
    ) -> Result<Option<ReablementEpisode>, StoreError> {
        sql::episode(&self.pool, referral_id).await
    }

    async fn put_capacity_return(
        &self,
        capacity: &CapacityReturn,
        actor: &str,
    ) -> Result<(), StoreError> {
        capacity::put_capacity_return(self, capacity, actor).await
    }

    async fn capacity_returns(&self, week_of: Date) -> Result<Vec<CapacityReturn>, StoreError> {
        sql::capacity_returns(&self.pool, week_of, self.text_order()).await
    }

    async fn incentives(&self) -> Result<Vec<Incentive>, StoreError> {
        self.list().await
    }
}
