//! Importing call events in bulk on [`SqlStore`]: the demo's simulated history of past visits,
//! hundreds of thousands of check-ins and check-outs stored in one transaction with one audit
//! event (`import`, `call-events`, how many and over which days), as imports of the register
//! are. Events as they arrive from phones and systems go through `record_call_events`, one
//! audit event each.

use super::SqlStore;
use super::call_events::locked;
use crate::sql::audit::{self, AuditEvent};
use crate::sql::call_events::{StoredCallEvent, visit_standings};
use crate::sql::{Reference, write};
use crate::{RecordKind, StoreError};
use homeward_domain::{CallEvent, Visit};
use jiff::Timestamp;

/// Stores `events`, each received at its own time, as [`crate::Store::import_call_events`]
/// describes: each in its visit's provider's key space, none for a visit on an issued invoice.
pub(super) async fn import(
    store: &SqlStore,
    events: &[(CallEvent, Timestamp)],
    actor: &str,
) -> Result<usize, StoreError> {
    for (index, (event, _)) in events.iter().enumerate() {
        event.validate().map_err(|errors| StoreError::Invalid {
            kind: RecordKind::CallEvent,
            index,
            id: event.key.as_str().to_owned(),
            errors,
        })?;
    }
    if events.is_empty() {
        return Ok(0);
    }
    let mut transaction = store.begin_write().await?;
    let mut visits: Vec<&str> = events
        .iter()
        .map(|(event, _)| event.visit_id.as_str())
        .collect();
    visits.sort_unstable();
    visits.dedup();
    let standings = visit_standings(&mut transaction, &visits).await?;
    let mut rows = Vec::with_capacity(events.len());
    for (index, (event, received_at)) in events.iter().enumerate() {
        let refusal = match standings.get(event.visit_id.as_str()) {
            None => Some(StoreError::MissingReference {
                kind: RecordKind::CallEvent,
                index,
                id: event.key.as_str().to_owned(),
                field: Some("visit_id"),
                message: Reference::to::<Visit>("visit_id", event.visit_id.as_str())
                    .missing_message(),
            }),
            Some(standing) if standing.invoiced => Some(locked(event)),
            Some(standing) => {
                rows.push(StoredCallEvent {
                    provider_id: standing.provider_id.clone(),
                    event: event.clone(),
                    received_at: *received_at,
                });
                None
            }
        };
        if let Some(refusal) = refusal {
            transaction.rollback().await.ok();
            return Err(refusal);
        }
    }
    if let Err(error) = write::insert_in_chunks(&mut transaction, &rows).await {
        transaction.rollback().await.ok();
        // Again one by one, rolled back, to name the event at fault.
        let mut retry = store.begin_write().await?;
        for (index, row) in rows.iter().enumerate() {
            retry = store.insert_or_explain(retry, row, index).await?;
        }
        retry.rollback().await.ok();
        return Err(StoreError::database_in(
            "importing call events failed",
            error,
        ));
    }
    let first = events.iter().map(|(event, _)| event.at).min();
    let last = events.iter().map(|(event, _)| event.at).max();
    let mut event = AuditEvent::batch(
        actor,
        "import",
        RecordKind::CallEvent.plural(),
        rows.len(),
        format!("imported {} call events", rows.len()),
    );
    event.after = Some(
        serde_json::json!({
            "count": rows.len(),
            "first_at": first.map(|at| at.to_string()),
            "last_at": last.map(|at| at.to_string()),
        })
        .to_string(),
    );
    audit::append(&mut transaction, store.now(), event)
        .await
        .map_err(StoreError::database)?;
    transaction.commit().await.map_err(StoreError::database)?;
    Ok(rows.len())
}
