//! Call events on [`SqlStore`]: stored once per idempotency key in the key space of the visit's
//! provider, each with its audit event (`call-event`, `create`) in the same transaction, many
//! at once in one transaction; refused for a visit on an issued invoice.

use super::SqlStore;
use super::visits::fetch;
use crate::sql::audit::{self, AuditEvent};
use crate::sql::call_events::{StoredCallEvent, VisitStanding, stored_under, visits_and_workers};
use crate::sql::rosters::StopRow;
use crate::sql::row::StoredRow;
use crate::sql::values::SqlValue;
use crate::sql::{Reference, TableRecord, json, write};
use crate::{
    CallEventOutcome, CallEventResult, CallTiming, RecordKind, SentCallEvent, StoreError,
    VisitFilter,
};
use homeward_domain::{
    Branch, CallEvent, CallEventKind, CareWorker, EventKey, ProviderId, RosterStatus, RosterStop,
    Visit, VisitId, WorkerId,
};
use jiff::Timestamp;
use sqlx::AnyConnection;
use sqlx::Row;
use sqlx::any::AnyRow;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Stores `event` unless its key is taken in its provider's key space: by the same event (a
/// retry, answered [`CallEventOutcome::AlreadyStored`]) or by another
/// ([`StoreError::Duplicate`]). A batch of one.
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
/// Under the writer lock, before writing anything, it reads in one statement which of the
/// batch's visits exist, with their providers and whether they are invoiced, and which of its
/// workers exist; then what is stored under its keys in each provider's key space (a statement
/// for each provider); and
/// decides every event from those; the new ones are then inserted together and audited
/// together. Deciding first means no insert can fail on a constraint, so one bad event cannot
/// abort the transaction for the rest (on PostgreSQL a failed statement ends the transaction).
pub(super) async fn record_all(
    store: &SqlStore,
    batch: &[SentCallEvent],
    received_at: Timestamp,
) -> Result<Vec<CallEventResult>, StoreError> {
    let mut outcomes: Vec<Option<CallEventResult>> = batch
        .iter()
        .enumerate()
        .map(|(index, sent)| {
            sent.event.validate().err().map(|errors| {
                Err(StoreError::Invalid {
                    kind: RecordKind::CallEvent,
                    index,
                    id: sent.event.key.as_str().to_owned(),
                    errors,
                })
            })
        })
        .collect();
    let undecided: Vec<usize> = (0..batch.len())
        .filter(|&index| outcomes[index].is_none())
        .collect();
    if undecided.is_empty() {
        return Ok(outcomes.into_iter().flatten().collect());
    }

    let mut transaction = store.begin_write().await?;
    let (standings, workers) = references(&mut transaction, batch, &undecided).await?;
    let stored = stored_under_keys(&mut transaction, batch, &undecided, &standings).await?;

    // The index of the event of this batch that took each new (provider, key).
    let mut taken: HashMap<(&ProviderId, &str), usize> = HashMap::new();
    let mut new: Vec<StoredCallEvent> = Vec::new();
    let mut new_indexes: Vec<usize> = Vec::new();
    for &index in &undecided {
        let event = &batch[index].event;
        let key = event.key.as_str();
        let has_worker = workers.contains(event.worker_id.as_str());
        let Some(standing) = standings.get(event.visit_id.as_str()) else {
            outcomes[index] = Some(Err(missing(index, event, false, has_worker)));
            continue;
        };
        let provider = &standing.provider_id;
        let earlier = stored
            .get(&(provider.clone(), key.to_owned()))
            .map(|stored| (&stored.event, stored.received_at))
            .or_else(|| {
                taken
                    .get(&(provider, key))
                    .map(|&first| (&batch[first].event, received_at))
            });
        let outcome = match earlier {
            Some((earlier, received_at)) if earlier == event => {
                Ok(CallEventOutcome::AlreadyStored { received_at })
            }
            Some(_) => Err(StoreError::Duplicate {
                kind: RecordKind::CallEvent,
                index,
                id: key.to_owned(),
            }),
            None if !has_worker => Err(missing(index, event, true, false)),
            None if standing.invoiced => Err(locked(event)),
            None => {
                taken.insert((provider, key), index);
                new_indexes.push(index);
                new.push(StoredCallEvent {
                    provider_id: provider.clone(),
                    event: event.clone(),
                    received_at,
                });
                Ok(CallEventOutcome::Stored)
            }
        };
        outcomes[index] = Some(outcome);
    }

    if !new.is_empty() {
        write::insert_in_few_shapes(&mut transaction, &new)
            .await
            .map_err(|error| {
                StoreError::database_in(format!("storing {} call events failed", new.len()), error)
            })?;
        let audit_ids: Vec<String> = new.iter().map(StoredCallEvent::audit_id).collect();
        let created = new
            .iter()
            .zip(&new_indexes)
            .zip(&audit_ids)
            .map(|((record, &index), audit_id)| {
                AuditEvent::record(
                    &batch[index].actor,
                    "create",
                    RecordKind::CallEvent,
                    audit_id,
                    None,
                    Some(json::object(StoredCallEvent::COLUMNS, &record.values())),
                )
            })
            .collect();
        audit::append_all(&mut transaction, store.now(), created)
            .await
            .map_err(StoreError::database)?;
    }
    transaction.commit().await.map_err(StoreError::database)?;
    Ok(outcomes.into_iter().flatten().collect())
}

/// The stored visits (with their standing) and workers that the events at `indexes` of
/// `batch` refer to.
async fn references(
    transaction: &mut AnyConnection,
    batch: &[SentCallEvent],
    indexes: &[usize],
) -> Result<(HashMap<String, VisitStanding>, HashSet<String>), StoreError> {
    let mut visits: Vec<&str> = indexes
        .iter()
        .map(|&index| batch[index].event.visit_id.as_str())
        .collect();
    visits.sort_unstable();
    visits.dedup();
    let mut workers: Vec<&str> = indexes
        .iter()
        .map(|&index| batch[index].event.worker_id.as_str())
        .collect();
    workers.sort_unstable();
    workers.dedup();
    visits_and_workers(transaction, &visits, &workers).await
}

/// What is stored under the keys of the events at `indexes` of `batch`, each in its visit's
/// provider's key space, by (provider, key).
async fn stored_under_keys(
    transaction: &mut AnyConnection,
    batch: &[SentCallEvent],
    indexes: &[usize],
    standings: &HashMap<String, VisitStanding>,
) -> Result<HashMap<(ProviderId, String), StoredCallEvent>, StoreError> {
    // By provider, in order, so that statements come in the same order from batch to batch.
    let mut keys: BTreeMap<&ProviderId, Vec<&str>> = BTreeMap::new();
    for &index in indexes {
        let event = &batch[index].event;
        if let Some(standing) = standings.get(event.visit_id.as_str()) {
            keys.entry(&standing.provider_id)
                .or_default()
                .push(event.key.as_str());
        }
    }
    let mut stored = HashMap::new();
    for (provider, keys) in keys {
        for record in stored_under(transaction, provider, &keys).await? {
            let key = (
                record.provider_id.clone(),
                record.event.key.as_str().to_owned(),
            );
            stored.insert(key, record);
        }
    }
    Ok(stored)
}

/// The refusal of `event`, at `index` of its batch, for a visit or worker not stored.
fn missing(index: usize, event: &CallEvent, has_visit: bool, has_worker: bool) -> StoreError {
    let mut missing = Vec::new();
    // The visit is named first when both are missing, as the message names it first.
    let field = if has_visit { "worker_id" } else { "visit_id" };
    if !has_visit {
        missing.push(Reference::to::<Visit>("visit_id", event.visit_id.as_str()).missing_message());
    }
    if !has_worker {
        missing.push(
            Reference::to::<CareWorker>("worker_id", event.worker_id.as_str()).missing_message(),
        );
    }
    StoreError::MissingReference {
        kind: RecordKind::CallEvent,
        index,
        id: event.key.as_str().to_owned(),
        field: Some(field),
        message: missing.join("; "),
    }
}

/// The refusal of a new event for a visit on an issued invoice: its times are locked, as
/// corrections of it are.
pub(super) fn locked(event: &CallEvent) -> StoreError {
    StoreError::Locked {
        kind: RecordKind::Visit,
        id: event.visit_id.to_string(),
        reason: "it is on an issued invoice, so its times can no longer change".into(),
    }
}

/// The visit `id` with its stops on published rosters (by part), in one statement: who was
/// given it to make.
pub(super) async fn visit_with_published_stops(
    store: &SqlStore,
    id: &VisitId,
) -> Result<Option<(Visit, Vec<RosterStop>)>, StoreError> {
    let columns: Vec<String> = Visit::COLUMNS
        .iter()
        .map(|column| format!("v.{column}"))
        .collect();
    let sql = format!(
        "SELECT {}, s.part AS stop_part, s.worker_id AS stop_worker_id, \
         s.starts_at AS stop_starts_at, s.travel_minutes AS stop_travel_minutes \
         FROM {} v LEFT JOIN {} s ON s.visit_id = v.id \
         AND s.roster_id IN (SELECT id FROM rosters WHERE status = $2) \
         WHERE v.id = $1 ORDER BY s.part",
        columns.join(", "),
        Visit::TABLE,
        StopRow::TABLE,
    );
    let values = vec![
        SqlValue::text(id.as_str()),
        SqlValue::text(RosterStatus::Published.as_str()),
    ];
    let rows = fetch(store, &sql, values).await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let visit = Visit::from_row(&StoredRow::with_id_column(first, RecordKind::Visit, "id")?)?;
    let mut stops = Vec::new();
    for row in &rows {
        let row = StoredRow::with_id_column(row, RecordKind::Visit, "id")?;
        let Some(part) = row.optional_integer("stop_part")? else {
            continue;
        };
        stops.push(RosterStop {
            visit_id: visit.id.clone(),
            part: u8::try_from(part).map_err(|_| row.corrupt("stop_part", "is not 0 or 1"))?,
            worker_id: row.parse("stop_worker_id", WorkerId::parse)?,
            starts_at: row.timestamp("stop_starts_at")?,
            travel_minutes: u16::try_from(row.integer("stop_travel_minutes")?)
                .map_err(|_| row.corrupt("stop_travel_minutes", "is out of range"))?,
        });
    }
    Ok(Some((visit, stops)))
}

/// The event stored in `provider`'s key space under `key`, and when it was received.
pub(super) async fn one(
    store: &SqlStore,
    provider: &ProviderId,
    key: &EventKey,
) -> Result<Option<(CallEvent, Timestamp)>, StoreError> {
    let mut connection = store.pool.acquire().await.map_err(StoreError::database)?;
    let stored = stored_under(&mut connection, provider, &[key.as_str()]).await?;
    Ok(stored
        .into_iter()
        .next()
        .map(|stored| (stored.event, stored.received_at)))
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
