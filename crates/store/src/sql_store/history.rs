//! Importing call events in bulk on [`SqlStore`]: the demo's simulated history of past visits,
//! hundreds of thousands of check-ins and check-outs stored in one transaction with one audit
//! event (`import`, `call-events`, how many and over which days), as imports of the register
//! are. Events as they arrive from phones and systems go through `record_call_events`, one
//! audit event each.

use super::SqlStore;
use crate::sql::audit::{self, AuditEvent};
use crate::sql::call_events::StoredCallEvent;
use crate::sql::write;
use crate::{RecordKind, StoreError, checks};
use homeward_domain::CallEvent;
use jiff::Timestamp;

/// Stores `events`, each received at its own time, as [`crate::Store::import_call_events`]
/// describes.
pub(super) async fn import(
    store: &SqlStore,
    events: &[(CallEvent, Timestamp)],
    actor: &str,
) -> Result<usize, StoreError> {
    let rows: Vec<StoredCallEvent> = events
        .iter()
        .map(|(event, received_at)| StoredCallEvent {
            event: event.clone(),
            received_at: *received_at,
        })
        .collect();
    for (index, (event, _)) in events.iter().enumerate() {
        event.validate().map_err(|errors| StoreError::Invalid {
            kind: RecordKind::CallEvent,
            index,
            id: event.key.as_str().to_owned(),
            errors,
        })?;
    }
    checks::validate_batch(&rows)?;
    if rows.is_empty() {
        return Ok(0);
    }
    let mut transaction = store.begin_write().await?;
    if let Err(error) = write::insert_in_chunks(&mut transaction, &rows).await {
        transaction.rollback().await.ok();
        // Again one by one, rolled back, to name the event at fault.
        let mut retry = store.begin_write().await?;
        for (index, row) in rows.iter().enumerate() {
            retry = store.insert_or_explain(retry, row, index).await?;
        }
        retry.rollback().await.ok();
        return Err(StoreError::Database(format!(
            "importing call events failed: {error}"
        )));
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
    audit::append(&mut transaction, event)
        .await
        .map_err(StoreError::database)?;
    transaction.commit().await.map_err(StoreError::database)?;
    Ok(rows.len())
}
