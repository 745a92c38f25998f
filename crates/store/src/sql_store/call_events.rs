//! Call events on [`SqlStore`]: stored once per idempotency key, each with its audit event
//! (`call-event`, `create`) in the same transaction, many at once in one transaction.

use super::SqlStore;
use super::visits::fetch;
use crate::sql::audit::{self, AuditEvent};
use crate::sql::call_events::StoredCallEvent;
use crate::sql::row::StoredRow;
use crate::sql::values::SqlValue;
use crate::sql::{Reference, TableRecord, json, read, write};
use crate::{
    CallEventOutcome, CallEventResult, CallTiming, RecordKind, SentCallEvent, StoreError,
    VisitFilter,
};
use homeward_domain::{
    Branch, CallEvent, CallEventKind, CareWorker, ProviderId, VisitId, WorkerId,
};
use jiff::Timestamp;
use sqlx::AnyConnection;
use sqlx::Row;
use sqlx::any::AnyRow;
use std::collections::{HashMap, HashSet};

/// Stores `event` unless its key is taken: by the same event (a retry, answered
/// [`CallEventOutcome::AlreadyStored`]) or by another ([`StoreError::Duplicate`]). A batch of
/// one.
pub(super) async fn record(
    store: &SqlStore,
    event: &CallEvent,
    received_at: Timestamp,
    actor: &str,
) -> Result<CallEventOutcome, StoreError> {
    let sent = SentCallEvent {
        event: event.clone(),
        actor: actor.to_owned(),
    };
    let mut outcomes = record_all(store, std::slice::from_ref(&sent), received_at).await?;
    outcomes.pop().expect("one outcome for one event")
}

/// Stores the events of `batch` in one transaction, each audited and decided on its own, as
/// [`crate::Store::record_call_events`] describes.
///
/// Under the writer lock, before writing anything, it reads in one statement each what is
/// stored under the batch's keys and which of its visits and workers exist, and decides every
/// event from those; the new ones are then inserted together and audited together. Deciding
/// first means no insert can fail on a constraint, so one bad event cannot abort the
/// transaction for the rest (on PostgreSQL a failed statement ends the transaction).
pub(super) async fn record_all(
    store: &SqlStore,
    batch: &[SentCallEvent],
    received_at: Timestamp,
) -> Result<Vec<CallEventResult>, StoreError> {
    let records: Vec<StoredCallEvent> = batch
        .iter()
        .map(|sent| StoredCallEvent {
            event: sent.event.clone(),
            received_at,
        })
        .collect();
    let mut outcomes: Vec<Option<CallEventResult>> = records
        .iter()
        .enumerate()
        .map(|(index, record)| {
            record.validate().err().map(|errors| {
                Err(StoreError::Invalid {
                    kind: RecordKind::CallEvent,
                    index,
                    id: record.id().to_owned(),
                    errors,
                })
            })
        })
        .collect();
    let undecided: Vec<usize> = (0..records.len())
        .filter(|&index| outcomes[index].is_none())
        .collect();
    if undecided.is_empty() {
        return Ok(outcomes.into_iter().flatten().collect());
    }

    let mut transaction = store.begin_write().await?;
    let keys: Vec<&str> = undecided.iter().map(|&index| records[index].id()).collect();
    let stored: HashMap<String, StoredCallEvent> =
        read::among::<StoredCallEvent>(&mut transaction, &keys)
            .await?
            .into_iter()
            .map(|record| (record.id().to_owned(), record))
            .collect();
    let existing = existing_references(&mut transaction, &records, &undecided).await?;

    // The index of the event of this batch that took each new key.
    let mut taken: HashMap<&str, usize> = HashMap::new();
    let mut new: Vec<usize> = Vec::new();
    for &index in &undecided {
        let record = &records[index];
        let key = record.id();
        let duplicate = || StoreError::Duplicate {
            kind: RecordKind::CallEvent,
            index,
            id: key.to_owned(),
        };
        let earlier = stored
            .get(key)
            .map(|stored| (&stored.event, stored.received_at))
            .or_else(|| {
                taken
                    .get(key)
                    .map(|&first| (&records[first].event, received_at))
            });
        let outcome = match earlier {
            Some((event, received_at)) if *event == record.event => {
                Ok(CallEventOutcome::AlreadyStored { received_at })
            }
            Some(_) => Err(duplicate()),
            None => {
                let missing: Vec<String> = record
                    .references()
                    .iter()
                    .filter(|reference| {
                        !existing
                            .get(reference.table)
                            .is_some_and(|ids| ids.contains(&reference.id))
                    })
                    .map(Reference::missing_message)
                    .collect();
                if missing.is_empty() {
                    taken.insert(key, index);
                    new.push(index);
                    Ok(CallEventOutcome::Stored)
                } else {
                    Err(StoreError::MissingReference {
                        kind: RecordKind::CallEvent,
                        index,
                        id: key.to_owned(),
                        message: missing.join("; "),
                    })
                }
            }
        };
        outcomes[index] = Some(outcome);
    }

    if !new.is_empty() {
        let rows: Vec<StoredCallEvent> = new.iter().map(|&index| records[index].clone()).collect();
        write::insert_in_few_shapes(&mut transaction, &rows)
            .await
            .map_err(|error| {
                StoreError::Database(format!(
                    "storing {} call events failed: {error}",
                    rows.len()
                ))
            })?;
        let created = new
            .iter()
            .map(|&index| {
                let record = &records[index];
                AuditEvent::record(
                    &batch[index].actor,
                    "create",
                    RecordKind::CallEvent,
                    record.id(),
                    None,
                    Some(json::object(StoredCallEvent::COLUMNS, &record.values())),
                )
            })
            .collect();
        audit::append_all(&mut transaction, created)
            .await
            .map_err(StoreError::database)?;
    }
    transaction.commit().await.map_err(StoreError::database)?;
    Ok(outcomes.into_iter().flatten().collect())
}

/// The ids, by table, that the events at `indexes` of `records` refer to and that are stored.
async fn existing_references(
    transaction: &mut AnyConnection,
    records: &[StoredCallEvent],
    indexes: &[usize],
) -> Result<HashMap<&'static str, HashSet<String>>, StoreError> {
    let mut wanted: HashMap<&'static str, HashSet<String>> = HashMap::new();
    for &index in indexes {
        for reference in records[index].references() {
            wanted
                .entry(reference.table)
                .or_default()
                .insert(reference.id);
        }
    }
    // In table order, so that the statement's text is the same from one batch to the next.
    let mut lists: Vec<(&'static str, Vec<&str>)> = wanted
        .iter()
        .map(|(table, ids)| (*table, ids.iter().map(String::as_str).collect()))
        .collect();
    lists.sort_by_key(|(table, _)| *table);
    read::ids_among_tables(transaction, &lists).await
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

/// The timing columns of the same events as [`of_visits`], in the same order.
pub(super) async fn timings_of_visits(
    store: &SqlStore,
    filter: &VisitFilter,
) -> Result<Vec<CallTiming>, StoreError> {
    let (conditions, values) = super::visits::conditions(filter);
    let sql = format!(
        "SELECT visit_id, worker_id, kind, at FROM {} WHERE visit_id IN (SELECT id FROM visits WHERE {}) ORDER BY {}",
        StoredCallEvent::TABLE,
        conditions,
        StoredCallEvent::order_by(store.text_order()),
    );
    fetch(store, &sql, values)
        .await?
        .iter()
        .map(|row| {
            let visit_id =
                row.try_get::<String, _>("visit_id")
                    .map_err(|error| StoreError::Corrupt {
                        kind: RecordKind::CallEvent,
                        id: "(unreadable)".to_owned(),
                        message: format!("visit_id: {error}"),
                    })?;
            // Named by its visit: the key is not read.
            let row =
                StoredRow::keyed_by(row, RecordKind::CallEvent, format!("of visit {visit_id}"));
            Ok(CallTiming {
                visit_id: VisitId::parse(&visit_id, "visit_id")
                    .map_err(|error| row.corrupt("visit_id", error.message))?,
                worker_id: row.parse("worker_id", WorkerId::parse)?,
                kind: row.parse("kind", CallEventKind::parse)?,
                at: row.timestamp("at")?,
            })
        })
        .collect()
}

fn events_from(rows: &[AnyRow]) -> Result<Vec<CallEvent>, StoreError> {
    rows.iter()
        .map(|row| {
            let row = StoredRow::with_id_column(row, RecordKind::CallEvent, "event_key")?;
            StoredCallEvent::from_row(&row).map(|stored| stored.event)
        })
        .collect()
}

/// The care worker `id` and the provider of their branch, in one statement.
pub(super) async fn worker_with_provider(
    store: &SqlStore,
    id: &WorkerId,
) -> Result<Option<(CareWorker, ProviderId)>, StoreError> {
    let columns: Vec<String> = CareWorker::COLUMNS
        .iter()
        .map(|column| format!("w.{column}"))
        .collect();
    let sql = format!(
        "SELECT {}, b.provider_id AS provider_id FROM {} w JOIN {} b ON b.id = w.branch_id \
         WHERE w.id = $1",
        columns.join(", "),
        CareWorker::TABLE,
        Branch::TABLE,
    );
    let Some(row) = sqlx::query(&sql)
        .bind(id.as_str().to_owned())
        .fetch_optional(&store.pool)
        .await
        .map_err(StoreError::database)?
    else {
        return Ok(None);
    };
    let stored = StoredRow::new(&row, RecordKind::Worker)?;
    let worker = CareWorker::from_row(&stored)?;
    let provider = stored.parse("provider_id", ProviderId::parse)?;
    Ok(Some((worker, provider)))
}
