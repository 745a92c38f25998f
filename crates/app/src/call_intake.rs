//! Taking in a check-in or check-out for a signed-in account: the one way in for the care
//! worker's phone page and for `POST /api/v1/call-events`, so both check the same scope and
//! reach the store the same way, through the group-committing ingester.

use crate::{Inadmissible, Ingester, Receipt, visibility};
use homeward_domain::{Account, CallEvent, ProviderId};
use homeward_store::{CallEventOutcome, SentCallEvent, Store, StoreError};
use jiff::Timestamp;

/// Why an event was not taken.
#[derive(Debug)]
pub enum Refusal {
    /// A field is wrong: the message says how (the API answers 422; a page shows it by the
    /// field).
    Invalid {
        /// The field at fault (`worker_id`, `at`, `tasks`, …).
        field: String,
        /// What is wrong.
        message: String,
    },
    /// The visit is not one the sender may record, or does not exist (404).
    VisitNotFound,
    /// The event cannot be taken as things stand (409): the visit was cancelled, is on an
    /// issued invoice, or the key is taken by another event. The message says which.
    Conflict(String),
    /// The store failed (500); logged, never shown.
    Failed(StoreError),
}

/// Records `event` for `account` and answers once it is durably stored (or was before).
///
/// The rules, in order: the event's own (tasks only on a check-out); the worker must be one the
/// account may see, by id (a provider's own staff, a care worker themselves), else `worker_id`
/// is invalid; the visit must be the worker's provider's, else it is not found; then
/// [`crate::admit`] at `now`: the visit is not cancelled, the event's time is believable for it
/// (else `at` is invalid) and its worker is rostered to it on a published roster (else
/// `worker_id` is invalid); the store then refuses a visit on an issued invoice and another
/// event under a used key. A refused event that is one already stored, sent again (its answer
/// was lost), is answered as stored. The sender is audited as the account.
pub async fn record_for(
    store: &dyn Store,
    ingester: &Ingester,
    account: &Account,
    event: CallEvent,
    now: Timestamp,
) -> Result<Receipt, Refusal> {
    if let Err(errors) = event.validate() {
        let first = errors.0.into_iter().next().expect("Invalid is never empty");
        return Err(Refusal::Invalid {
            field: first.field,
            message: first.message,
        });
    }
    // The visit is read with who was given it on published rosters, used only once the visit
    // is found to be in scope.
    let (worker, visit) = tokio::join!(
        visibility::worker_with_provider(store, account, &event.worker_id),
        store.visit_with_published_stops(&event.visit_id),
    );
    let Some((_, provider)) = worker.map_err(Refusal::Failed)? else {
        return Err(Refusal::Invalid {
            field: "worker_id".to_owned(),
            message:
                "worker_id must be one of your care workers (a care worker sends only their own)"
                    .to_owned(),
        });
    };
    let (visit, published) = visit
        .map_err(Refusal::Failed)?
        .filter(|(visit, _)| visit.provider_id == provider)
        .ok_or(Refusal::VisitNotFound)?;
    if let Err(refused) = crate::admit(&event, &visit, &published, now) {
        return match stored_before(store, &provider, &event).await? {
            Some(receipt) => Ok(receipt),
            None => Err(match refused {
                Inadmissible::Invalid(error) => Refusal::Invalid {
                    field: error.field,
                    message: error.message,
                },
                Inadmissible::Cancelled => Refusal::Conflict("The visit was cancelled.".to_owned()),
            }),
        };
    }
    let sent = SentCallEvent {
        event,
        actor: account.id.to_string(),
    };
    ingester.record(sent).await.map_err(|error| match error {
        StoreError::Duplicate { .. } => {
            Refusal::Conflict("The key is already used for a different event.".to_owned())
        }
        StoreError::Locked { reason, .. } => {
            Refusal::Conflict(format!("The visit cannot take more events: {reason}."))
        }
        // The visit or worker was removed between the checks and the write.
        StoreError::MissingReference {
            field: Some("worker_id"),
            message,
            ..
        } => Refusal::Invalid {
            field: "worker_id".to_owned(),
            message,
        },
        StoreError::MissingReference { .. } => Refusal::VisitNotFound,
        StoreError::Invalid { errors, .. } => {
            let first = errors.0.into_iter().next().expect("Invalid is never empty");
            Refusal::Invalid {
                field: first.field,
                message: first.message,
            }
        }
        other => Refusal::Failed(other),
    })
}

/// The receipt of `event` if the very same event is stored already under its key in
/// `provider`'s key space: a sender whose answer was lost sends again, perhaps after the
/// visit's window has closed or its roster changed, and is told it is stored, as before.
async fn stored_before(
    store: &dyn Store,
    provider: &ProviderId,
    event: &CallEvent,
) -> Result<Option<Receipt>, Refusal> {
    let stored = store
        .stored_call_event(provider, &event.key)
        .await
        .map_err(Refusal::Failed)?;
    Ok(stored
        .filter(|(stored, _)| stored == event)
        .map(|(_, received_at)| Receipt {
            outcome: CallEventOutcome::AlreadyStored { received_at },
            received_at,
        }))
}
