//! Call events on [`SqlStore`]: stored once per idempotency key, each with its audit event
//! (`call-event`, `create`) in the same transaction.

use super::SqlStore;
use super::visits::fetch;
use crate::sql::audit::{self, AuditEvent};
use crate::sql::call_events::StoredCallEvent;
use crate::sql::row::StoredRow;
use crate::sql::values::SqlValue;
use crate::sql::{TableRecord, json, read};
use crate::{CallEventOutcome, RecordKind, StoreError, VisitFilter};
use homeward_domain::{CallEvent, VisitId};
use jiff::Timestamp;
use sqlx::any::AnyRow;

/// Stores `event` unless its key is taken: by the same event (a retry, answered
/// [`CallEventOutcome::AlreadyStored`]) or by another ([`StoreError::Duplicate`]).
pub(super) async fn record(
    store: &SqlStore,
    event: &CallEvent,
    received_at: Timestamp,
    actor: &str,
) -> Result<CallEventOutcome, StoreError> {
    let record = StoredCallEvent {
        event: event.clone(),
        received_at,
    };
    record.validate().map_err(|errors| StoreError::Invalid {
        kind: RecordKind::CallEvent,
        index: 0,
        id: event.key.as_str().to_owned(),
        errors,
    })?;
    let mut transaction = store.begin_write().await?;
    let stored =
        read::stored_by_id::<StoredCallEvent>(&mut transaction, event.key.as_str()).await?;
    if let Some((earlier, _)) = stored {
        transaction.rollback().await.ok();
        return if &earlier.event == event {
            Ok(CallEventOutcome::AlreadyStored {
                received_at: earlier.received_at,
            })
        } else {
            Err(StoreError::Duplicate {
                kind: RecordKind::CallEvent,
                index: 0,
                id: event.key.as_str().to_owned(),
            })
        };
    }
    let mut transaction = store.insert_or_explain(transaction, &record, 0).await?;
    let created = AuditEvent::record(
        actor,
        "create",
        RecordKind::CallEvent,
        record.id(),
        None,
        Some(json::object(StoredCallEvent::COLUMNS, &record.values())),
    );
    audit::append(&mut transaction, created)
        .await
        .map_err(StoreError::database)?;
    transaction.commit().await.map_err(StoreError::database)?;
    Ok(CallEventOutcome::Stored)
}

/// The call events of `visit_id`, in the order they happened.
pub(super) async fn of_visit(
    store: &SqlStore,
    visit_id: &VisitId,
) -> Result<Vec<CallEvent>, StoreError> {
    let sql = format!(
        "SELECT {} FROM {} WHERE visit_id = $1 ORDER BY {}",
        StoredCallEvent::COLUMNS.join(", "),
        StoredCallEvent::TABLE,
        StoredCallEvent::order_by(store.text_order()),
    );
    let rows = fetch(store, &sql, vec![SqlValue::text(visit_id.as_str())]).await?;
    events_from(&rows)
}

/// The call events of the visits `filter` picks, in the order they happened.
pub(super) async fn of_visits(
    store: &SqlStore,
    filter: &VisitFilter,
) -> Result<Vec<CallEvent>, StoreError> {
    let (conditions, values) = super::visits::conditions(filter);
    let sql = format!(
        "SELECT {} FROM {} WHERE visit_id IN (SELECT id FROM visits WHERE {}) ORDER BY {}",
        StoredCallEvent::COLUMNS.join(", "),
        StoredCallEvent::TABLE,
        conditions,
        StoredCallEvent::order_by(store.text_order()),
    );
    let rows = fetch(store, &sql, values).await?;
    events_from(&rows)
}

fn events_from(rows: &[AnyRow]) -> Result<Vec<CallEvent>, StoreError> {
    rows.iter()
        .map(|row| {
            let row = StoredRow::with_id_column(row, RecordKind::CallEvent, "event_key")?;
            StoredCallEvent::from_row(&row).map(|stored| stored.event)
        })
        .collect()
}
