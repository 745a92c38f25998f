//! Referrals on [`SqlStore`]: storing one, moving it between statuses, sending its offers and
//! recording the answers.

use super::{SqlStore, append, created, replaced, validate};
use crate::sql::audit::AuditEvent;
use crate::sql::brokerage::{self as sql, RESPONSE_COLUMNS, StoredOffer, response_values};
use crate::sql::values::SqlValue;
use crate::sql::{TableRecord, json, read};
use crate::{AnswerOutcome, RecordKind, StoreError, checks};
use homeward_domain::brokerage::{Offer, OfferResponse, Referral};
use homeward_domain::brokerage::{ReferralRecord, ReferralStatus};
use homeward_domain::{OfferId, ProviderId, ReferralId};
use jiff::Timestamp;

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
        created_at: store.now(),
    };
    validate(&record)?;
    let transaction = store.begin_write().await?;
    let mut transaction = store.insert_or_explain(transaction, &record, 0).await?;
    append(&mut transaction, store.now(), created(actor, &record)).await?;
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
    append(&mut transaction, store.now(), event).await?;
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
        append(&mut transaction, store.now(), created(actor, offer)).await?;
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
    append(&mut transaction, store.now(), event).await?;
    transaction.commit().await.map_err(StoreError::database)?;
    Ok(AnswerOutcome::Recorded)
}
