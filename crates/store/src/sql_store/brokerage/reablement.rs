//! Reablement episodes on [`SqlStore`]: a referral sent to reablement with its episode, an
//! episode started for a referral standing there, and its end with any onward referral.

use super::{SqlStore, Write, append, created, invalid, replaced, validate};
use crate::sql::audit::AuditEvent;
use crate::sql::brokerage::{self as sql};
use crate::sql::values::SqlValue;
use crate::sql::{TableRecord, json, read};
use crate::{RecordKind, StoreError};
use homeward_domain::ReferralId;
use homeward_domain::brokerage::{ReablementEpisode, ReferralRecord, ReferralStatus};
use homeward_domain::brokerage::{ReablementOutcome, Referral};
use jiff::civil::Date;

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
pub(super) async fn start_episode(
    store: &SqlStore,
    transaction: Write,
    episode: &ReablementEpisode,
    actor: &str,
) -> Result<Write, StoreError> {
    let mut transaction = store.insert_or_explain(transaction, episode, 0).await?;
    let mut event = created(actor, episode);
    event.action = "start";
    event.summary = format!("started reablement for referral {}", episode.referral_id);
    append(&mut transaction, store.now(), event).await?;
    Ok(transaction)
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
        created_at: store.now(),
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
        append(&mut transaction, store.now(), created(actor, onward)).await?;
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
    append(&mut transaction, store.now(), event).await?;

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
    append(&mut transaction, store.now(), event).await?;
    transaction.commit().await.map_err(StoreError::database)
}
