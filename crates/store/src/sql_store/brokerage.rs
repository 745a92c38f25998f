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

use super::SqlStore;
use crate::sql::audit::{self, AuditEvent};
use crate::sql::brokerage::{
    self as sql, CAPACITY_COLUMNS, RESPONSE_COLUMNS, StoredOffer, capacity_key,
    capacity_references, capacity_values, response_values, validate_capacity,
};
use crate::sql::values::SqlValue;
use crate::sql::{TableRecord, json, read, write};
use crate::violation::{Violation, violation_of};
use crate::{
    AnswerOutcome, CapacityReturn, Incentive, Placement, ReablementEpisode, RecordKind,
    ReferralRecord, ReferralStatus, StoreError, checks,
};
use homeward_domain::brokerage::{Offer, OfferResponse, ReablementOutcome, Referral};
use homeward_domain::{CarePackage, FieldError, Invalid, OfferId, ProviderId, ReferralId};
use jiff::Timestamp;
use jiff::civil::Date;
use sqlx::{Any, AnyConnection, Transaction};

/// An open write transaction.
type Write = Transaction<'static, Any>;

/// A record of `kind` breaking one rule, on `field`.
fn invalid(kind: RecordKind, id: &str, field: &str, message: impl Into<String>) -> StoreError {
    StoreError::Invalid {
        kind,
        index: 0,
        id: id.to_owned(),
        errors: Invalid(vec![FieldError::new(field, message.into())]),
    }
}

/// A record's own rules, as the store reports them.
fn validate<T: TableRecord>(record: &T) -> Result<(), StoreError> {
    checks::validate_batch(std::slice::from_ref(record))
}

/// `values` with the value of each of `columns` (in `all`) replaced by the one given.
fn replaced(
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

/// Appends an audit event inside the write.
async fn append(connection: &mut AnyConnection, event: AuditEvent<'_>) -> Result<(), StoreError> {
    audit::append(connection, event)
        .await
        .map_err(StoreError::database)
}

/// The audit event of creating `record`, with its stored columns after.
fn created<'a, T: TableRecord>(actor: &'a str, record: &'a T) -> AuditEvent<'a> {
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

/// Stores a new referral standing at `status`, created now.
pub(super) async fn create_referral(
    store: &SqlStore,
    referral: &Referral,
    status: ReferralStatus,
    actor: &str,
) -> Result<(), StoreError> {
    let record = ReferralRecord {
        referral: referral.clone(),
        status,
        placement: None,
        created_at: Timestamp::now(),
    };
    validate(&record)?;
    let transaction = store.begin_write().await?;
    let mut transaction = store.insert_or_explain(transaction, &record, 0).await?;
    append(&mut transaction, created(actor, &record)).await?;
    transaction.commit().await.map_err(StoreError::database)
}

/// Moves the referral `id` from `from` to `to` if it stands at `from`.
pub(super) async fn move_referral(
    store: &SqlStore,
    id: &ReferralId,
    from: ReferralStatus,
    to: ReferralStatus,
    actor: &str,
) -> Result<bool, StoreError> {
    let mut transaction = store.begin_write().await?;
    let moved = sql::move_status(&mut transaction, id, from, to)
        .await
        .map_err(StoreError::database)?;
    // Read after the move: a referral that is not stored is an error, one that moved on is not.
    let (mut transaction, _, after) = store.stored_referral(transaction, id).await?;
    if !moved {
        transaction.rollback().await.ok();
        return Ok(false);
    }
    let before = replaced(
        ReferralRecord::COLUMNS,
        &after,
        &["status"],
        [SqlValue::text(from.code())],
    );
    let mut event = AuditEvent::record(
        actor,
        "move",
        RecordKind::Referral,
        id.as_str(),
        Some(json::object(ReferralRecord::COLUMNS, &before)),
        Some(json::object(ReferralRecord::COLUMNS, &after)),
    );
    event.summary = format!("moved referral {id} from {} to {}", from.code(), to.code());
    append(&mut transaction, event).await?;
    transaction.commit().await.map_err(StoreError::database)?;
    Ok(true)
}

/// Stores offers of the referral `referral_id`, one audit event each.
pub(super) async fn create_offers(
    store: &SqlStore,
    offers: &[Offer],
    referral_id: &ReferralId,
    actor: &str,
) -> Result<(), StoreError> {
    let stored: Vec<StoredOffer> = offers
        .iter()
        .map(|offer| StoredOffer {
            referral_id: referral_id.clone(),
            offer: offer.clone(),
        })
        .collect();
    checks::validate_batch(&stored)?;
    if stored.is_empty() {
        return Ok(());
    }
    let transaction = store.begin_write().await?;
    let (mut transaction, _, _) = store.stored_referral(transaction, referral_id).await?;
    for (index, offer) in stored.iter().enumerate() {
        transaction = store.insert_or_explain(transaction, offer, index).await?;
    }
    for offer in &stored {
        append(&mut transaction, created(actor, offer)).await?;
    }
    transaction.commit().await.map_err(StoreError::database)
}

/// Records `provider_id`'s answer to offer `offer_id` if it is still open to them at `at`.
pub(super) async fn answer_offer(
    store: &SqlStore,
    offer_id: &OfferId,
    provider_id: &ProviderId,
    response: &OfferResponse,
    at: Timestamp,
    actor: &str,
) -> Result<AnswerOutcome, StoreError> {
    let mut transaction = store.begin_write().await?;
    let before = read::stored_by_id::<StoredOffer>(&mut transaction, offer_id.as_str()).await?;
    // The UPDATE's conditions decide: the offer is this provider's, unanswered and open at `at`.
    let recorded = sql::answer(
        &mut transaction,
        offer_id,
        provider_id,
        response,
        at,
        store.text_order(),
    )
    .await
    .map_err(StoreError::database)?;
    let Some((_, before)) = before.filter(|_| recorded) else {
        transaction.rollback().await.ok();
        return Ok(AnswerOutcome::NotOpen);
    };
    let after = replaced(
        StoredOffer::COLUMNS,
        &before,
        &RESPONSE_COLUMNS,
        response_values(Some((at, response))),
    );
    let event = AuditEvent::record(
        actor,
        "answer",
        RecordKind::Offer,
        offer_id.as_str(),
        Some(json::object(StoredOffer::COLUMNS, &before)),
        Some(json::object(StoredOffer::COLUMNS, &after)),
    );
    append(&mut transaction, event).await?;
    transaction.commit().await.map_err(StoreError::database)?;
    Ok(AnswerOutcome::Recorded)
}

/// Places the referral `referral_id` if it is still being offered: the placement, the package
/// and the incentive in one transaction.
pub(super) async fn place_referral(
    store: &SqlStore,
    placement: &Placement,
    referral_id: &ReferralId,
    package: &CarePackage,
    incentive: Option<&Incentive>,
    actor: &str,
) -> Result<bool, StoreError> {
    validate(package)?;
    if placement.package_id != package.id {
        return Err(invalid(
            RecordKind::Referral,
            referral_id.as_str(),
            "package_id",
            format!(
                "The placement names package {} but the package is {}",
                placement.package_id, package.id
            ),
        ));
    }
    if package.agreed_hourly_rate.is_some() && !placement.step.is_broadcast() {
        // Only a broadcast step's award weighs a quote; one placed by a single provider pays
        // the contract's rate.
        return Err(invalid(
            RecordKind::Package,
            package.id.as_str(),
            "agreed_hourly_rate_pence",
            format!(
                "A package placed at the {} step pays the contract's rate: only a dynamic \
                 market, community options or spot placement agrees a rate",
                placement.step.label().to_lowercase()
            ),
        ));
    }
    if let Some(incentive) = incentive {
        validate(incentive)?;
        if &incentive.referral_id != referral_id {
            return Err(invalid(
                RecordKind::Incentive,
                incentive.referral_id.as_str(),
                "referral_id",
                format!("The incentive is not for referral {referral_id}"),
            ));
        }
        if incentive.starts_on != placement.started_on {
            return Err(invalid(
                RecordKind::Incentive,
                incentive.referral_id.as_str(),
                "starts_on",
                format!(
                    "The incentive's care starts on the placement's first day, {}",
                    placement.started_on
                ),
            ));
        }
    }
    let transaction = store.begin_write().await?;
    let (mut transaction, _, before) = store.stored_referral(transaction, referral_id).await?;
    // The one statement that decides between concurrent placements: only one finds the
    // referral still being offered.
    let placed = match sql::place(&mut transaction, referral_id, placement).await {
        Ok(placed) => placed,
        Err(error) => {
            transaction.rollback().await.ok();
            return Err(store.explain_single_insert_failure(
                error,
                RecordKind::Referral,
                referral_id.as_str(),
                referral_id.to_string(),
                Some(format!(
                    "placed_provider_id {} does not exist",
                    placement.provider_id
                )),
            ));
        }
    };
    if !placed {
        transaction.rollback().await.ok();
        return Ok(false);
    }
    let (transaction, _, after) = store.stored_referral(transaction, referral_id).await?;
    let mut transaction = store.insert_or_explain(transaction, package, 0).await?;
    if let Some(incentive) = incentive {
        transaction = store.insert_or_explain(transaction, incentive, 0).await?;
    }
    let mut event = AuditEvent::record(
        actor,
        "place",
        RecordKind::Referral,
        referral_id.as_str(),
        Some(json::object(ReferralRecord::COLUMNS, &before)),
        Some(json::object(ReferralRecord::COLUMNS, &after)),
    );
    event.summary = format!(
        "placed referral {referral_id} with {} (offer {}, package {})",
        placement.provider_id, placement.offer_id, placement.package_id
    );
    append(&mut transaction, event).await?;
    append(&mut transaction, created(actor, package)).await?;
    if let Some(incentive) = incentive {
        append(&mut transaction, created(actor, incentive)).await?;
    }
    transaction.commit().await.map_err(StoreError::database)?;
    Ok(true)
}

/// Starts a reablement episode for a referral standing in reablement.
pub(super) async fn start_reablement(
    store: &SqlStore,
    episode: &ReablementEpisode,
    actor: &str,
) -> Result<(), StoreError> {
    validate(episode)?;
    let transaction = store.begin_write().await?;
    let (transaction, referral, _) = store
        .stored_referral(transaction, &episode.referral_id)
        .await?;
    if referral.status != ReferralStatus::Reablement {
        transaction.rollback().await.ok();
        return Err(invalid(
            RecordKind::ReablementEpisode,
            episode.referral_id.as_str(),
            "referral_id",
            format!(
                "Referral {} is {}, not in reablement",
                episode.referral_id,
                referral.status.code()
            ),
        ));
    }
    let transaction = start_episode(store, transaction, episode, actor).await?;
    transaction.commit().await.map_err(StoreError::database)
}

/// Inserts `episode` within `transaction`, audited as its `start`.
async fn start_episode(
    store: &SqlStore,
    transaction: Write,
    episode: &ReablementEpisode,
    actor: &str,
) -> Result<Write, StoreError> {
    let mut transaction = store.insert_or_explain(transaction, episode, 0).await?;
    let mut event = created(actor, episode);
    event.action = "start";
    event.summary = format!("started reablement for referral {}", episode.referral_id);
    append(&mut transaction, event).await?;
    Ok(transaction)
}

/// Stores `referral` in reablement with its `episode`, in one transaction.
pub(super) async fn refer_to_reablement(
    store: &SqlStore,
    referral: &Referral,
    episode: &ReablementEpisode,
    actor: &str,
) -> Result<(), StoreError> {
    if episode.referral_id != referral.id {
        return Err(invalid(
            RecordKind::ReablementEpisode,
            episode.referral_id.as_str(),
            "referral_id",
            format!("The episode is not referral {}'s", referral.id),
        ));
    }
    let record = ReferralRecord {
        referral: referral.clone(),
        status: ReferralStatus::Reablement,
        placement: None,
        created_at: Timestamp::now(),
    };
    validate(&record)?;
    validate(episode)?;
    let transaction = store.begin_write().await?;
    let mut transaction = store.insert_or_explain(transaction, &record, 0).await?;
    append(&mut transaction, created(actor, &record)).await?;
    let transaction = start_episode(store, transaction, episode, actor).await?;
    transaction.commit().await.map_err(StoreError::database)
}

/// Ends the open reablement episode of `referral_id`, stores the onward referral if any, and
/// closes the first referral.
pub(super) async fn end_reablement(
    store: &SqlStore,
    referral_id: &ReferralId,
    ended_on: Date,
    outcome: ReablementOutcome,
    onward: Option<&Referral>,
    actor: &str,
) -> Result<(), StoreError> {
    let onward = onward.map(|referral| ReferralRecord {
        referral: referral.clone(),
        status: ReferralStatus::Offering,
        placement: None,
        created_at: Timestamp::now(),
    });
    if let Some(onward) = &onward {
        validate(onward)?;
        if &onward.referral.id == referral_id {
            return Err(invalid(
                RecordKind::Referral,
                onward.referral.id.as_str(),
                "id",
                "The onward referral must be a new referral",
            ));
        }
    }
    let mut transaction = store.begin_write().await?;
    let episode_id = referral_id.as_str();
    let Some((episode, before)) =
        read::stored_by_id::<ReablementEpisode>(&mut transaction, episode_id).await?
    else {
        transaction.rollback().await.ok();
        return Err(StoreError::NotFound {
            kind: RecordKind::ReablementEpisode,
            id: episode_id.to_owned(),
        });
    };
    let refusal = match episode.ended {
        Some((ended, _)) => Some(format!("The reablement episode ended on {ended} already")),
        None if ended_on < episode.started_on => Some(format!(
            "The episode cannot end before it started, on {}",
            episode.started_on
        )),
        None => None,
    };
    if let Some(message) = refusal {
        transaction.rollback().await.ok();
        return Err(invalid(
            RecordKind::ReablementEpisode,
            episode_id,
            "ended_on",
            message,
        ));
    }

    if let Some(onward) = &onward {
        transaction = store.insert_or_explain(transaction, onward, 0).await?;
        append(&mut transaction, created(actor, onward)).await?;
    }

    let onward_id = onward.as_ref().map(|onward| &onward.referral.id);
    sql::end_episode(&mut transaction, referral_id, ended_on, outcome, onward_id)
        .await
        .map_err(StoreError::database)?;
    let after = replaced(
        ReablementEpisode::COLUMNS,
        &before,
        &["ended_on", "outcome", "onward_referral_id"],
        [
            SqlValue::date(ended_on),
            SqlValue::text(outcome.code()),
            SqlValue::optional_text(onward_id.map(ReferralId::as_str)),
        ],
    );
    let mut event = AuditEvent::record(
        actor,
        "end",
        RecordKind::ReablementEpisode,
        episode_id,
        Some(json::object(ReablementEpisode::COLUMNS, &before)),
        Some(json::object(ReablementEpisode::COLUMNS, &after)),
    );
    event.summary = format!(
        "ended reablement for referral {referral_id}: {}",
        outcome.code()
    );
    append(&mut transaction, event).await?;

    let (mut transaction, first, before) = store.stored_referral(transaction, referral_id).await?;
    sql::move_status(
        &mut transaction,
        referral_id,
        first.status,
        ReferralStatus::Closed,
    )
    .await
    .map_err(StoreError::database)?;
    let after = replaced(
        ReferralRecord::COLUMNS,
        &before,
        &["status"],
        [SqlValue::text(ReferralStatus::Closed.code())],
    );
    let event = AuditEvent::record(
        actor,
        "close",
        RecordKind::Referral,
        referral_id.as_str(),
        Some(json::object(ReferralRecord::COLUMNS, &before)),
        Some(json::object(ReferralRecord::COLUMNS, &after)),
    );
    append(&mut transaction, event).await?;
    transaction.commit().await.map_err(StoreError::database)
}

/// Stores a capacity return, replacing the one for the same branch, area and week.
pub(super) async fn put_capacity_return(
    store: &SqlStore,
    capacity: &CapacityReturn,
    actor: &str,
) -> Result<(), StoreError> {
    let key = capacity_key(capacity);
    validate_capacity(capacity).map_err(|errors| StoreError::Invalid {
        kind: RecordKind::CapacityReturn,
        index: 0,
        id: key.clone(),
        errors,
    })?;
    let mut transaction = store.begin_write().await?;
    let branch_provider = sql::branch_provider(&mut transaction, &capacity.branch_id)
        .await
        .map_err(StoreError::database)?;
    let refusal = match branch_provider {
        None => Some(StoreError::MissingReference {
            kind: RecordKind::CapacityReturn,
            index: 0,
            id: key.clone(),
            message: format!("branch_id {} does not exist", capacity.branch_id),
        }),
        Some(provider) if provider != capacity.provider_id.as_str() => Some(invalid(
            RecordKind::CapacityReturn,
            &key,
            "provider_id",
            format!(
                "Branch {} belongs to {provider}, not {}",
                capacity.branch_id, capacity.provider_id
            ),
        )),
        Some(_) => None,
    };
    if let Some(error) = refusal {
        transaction.rollback().await.ok();
        return Err(error);
    }
    let before = sql::stored_capacity(&mut transaction, capacity).await?;
    let written = async {
        sql::delete_capacity(&mut transaction, capacity).await?;
        sql::insert_capacity(&mut transaction, capacity).await
    }
    .await;
    if let Err(error) = written {
        transaction.rollback().await.ok();
        let reference = store.missing_in(capacity_references(capacity)).await;
        return Err(match violation_of(store.backend, &error) {
            Some(Violation::ForeignKey) => StoreError::MissingReference {
                kind: RecordKind::CapacityReturn,
                index: 0,
                id: key,
                message: reference.unwrap_or_else(|| error.to_string()),
            },
            _ => StoreError::Database(format!("storing capacity-return {key} failed: {error}")),
        });
    }
    let event = AuditEvent::record(
        actor,
        if before.is_some() { "update" } else { "create" },
        RecordKind::CapacityReturn,
        &key,
        before
            .as_ref()
            .map(|before| json::object(CAPACITY_COLUMNS, &capacity_values(before))),
        Some(json::object(CAPACITY_COLUMNS, &capacity_values(capacity))),
    );
    append(&mut transaction, event).await?;
    transaction.commit().await.map_err(StoreError::database)
}
