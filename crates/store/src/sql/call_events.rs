//! Call events as stored: the event, the provider whose key space its key is in (its visit's
//! provider), and when the store took it.

use super::row::StoredRow;
use super::values::SqlValue;
use super::{Reference, TableRecord, read, write};
use crate::{RecordKind, StoreError};
use homeward_domain::{
    CallEvent, CallEventKind, CallNote, CareTask, CareWorker, EventKey, Invalid, ProviderId, Visit,
    VisitId, WorkerId, format_code_list, parse_code_list,
};
use jiff::Timestamp;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use std::collections::{HashMap, HashSet};

/// A call event, its visit's provider and when it was received. Keyed by the provider and the
/// sender's key together: each provider's keys are its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StoredCallEvent {
    pub(crate) provider_id: ProviderId,
    pub(crate) event: CallEvent,
    pub(crate) received_at: Timestamp,
}

impl StoredCallEvent {
    /// The event's name in the audit trail, unique across providers: `prv_…/key`.
    pub(crate) fn audit_id(&self) -> String {
        format!("{}/{}", self.provider_id, self.event.key.as_str())
    }
}

impl TableRecord for StoredCallEvent {
    const KIND: RecordKind = RecordKind::CallEvent;
    const TABLE: &'static str = "call_events";
    // The key is (provider_id, event_key); errors name an event by its key alone, as its
    // sender knows it.
    const COLUMNS: &'static [&'static str] = &[
        "event_key",
        "provider_id",
        "visit_id",
        "worker_id",
        "kind",
        "at",
        "latitude_e6",
        "longitude_e6",
        "received_at",
        "tasks",
        "note",
    ];

    fn order_by(text_order: &str) -> String {
        format!("at{text_order}, event_key{text_order}, provider_id{text_order}")
    }

    fn id(&self) -> &str {
        self.event.key.as_str()
    }

    fn validate(&self) -> Result<(), Invalid> {
        self.event.validate()
    }

    fn values(&self) -> Vec<SqlValue> {
        let event = &self.event;
        let (latitude, longitude) = match event.location {
            Some(point) => (
                Some(i64::from(point.latitude_e6())),
                Some(i64::from(point.longitude_e6())),
            ),
            None => (None, None),
        };
        let tasks: Vec<CareTask> = event.tasks.iter().copied().collect();
        vec![
            SqlValue::text(event.key.as_str()),
            SqlValue::text(self.provider_id.as_str()),
            SqlValue::text(event.visit_id.as_str()),
            SqlValue::text(event.worker_id.as_str()),
            SqlValue::text(event.kind.code()),
            SqlValue::timestamp(event.at),
            SqlValue::OptionalInteger(latitude),
            SqlValue::OptionalInteger(longitude),
            SqlValue::timestamp(self.received_at),
            SqlValue::Text(format_code_list(&tasks)),
            SqlValue::optional_text(event.note.as_ref().map(CallNote::as_str)),
        ]
    }

    fn references(&self) -> Vec<Reference> {
        vec![
            Reference::to::<Visit>("visit_id", self.event.visit_id.as_str()),
            Reference::to::<CareWorker>("worker_id", self.event.worker_id.as_str()),
        ]
    }

    fn from_row(row: &StoredRow<'_>) -> Result<Self, StoreError> {
        let location = match (
            row.optional_integer("latitude_e6")?,
            row.optional_integer("longitude_e6")?,
        ) {
            (Some(_), Some(_)) => Some(row.coordinates("latitude_e6", "longitude_e6")?),
            (None, None) => None,
            _ => {
                return Err(row.corrupt("latitude_e6", "set without its longitude, or the reverse"));
            }
        };
        Ok(StoredCallEvent {
            provider_id: row.parse("provider_id", ProviderId::parse)?,
            event: CallEvent {
                key: row.parse("event_key", EventKey::parse)?,
                visit_id: row.parse("visit_id", VisitId::parse)?,
                worker_id: row.parse("worker_id", WorkerId::parse)?,
                kind: row.parse("kind", CallEventKind::parse)?,
                at: row.timestamp("at")?,
                location,
                tasks: row
                    .parse("tasks", parse_code_list::<CareTask>)?
                    .into_iter()
                    .collect(),
                note: row.parse_optional("note", CallNote::parse)?.flatten(),
            },
            received_at: row.timestamp("received_at")?,
        })
    }
}

/// What storing an event needs to know of its visit: whose key space the event's key is in,
/// and whether the visit is on an issued invoice (its times locked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct VisitStanding {
    pub(crate) provider_id: ProviderId,
    pub(crate) invoiced: bool,
}

/// The standing of each stored visit among `ids`, by id, read in as few statements as the
/// parameter limit allows (inside the write, so that an invoice issued meanwhile is seen).
pub(crate) async fn visit_standings(
    connection: &mut AnyConnection,
    ids: &[&str],
) -> Result<HashMap<String, VisitStanding>, StoreError> {
    let mut found = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(write::MAX_PARAMETERS) {
        let chunk = read::padded(chunk);
        let sql = visits_sql(1, chunk.len());
        let mut query = sqlx::query(&sql);
        for id in chunk {
            query = query.bind(id.to_owned());
        }
        let rows = query
            .fetch_all(&mut *connection)
            .await
            .map_err(StoreError::database)?;
        for row in &rows {
            let (id, standing) = standing_of(row)?;
            found.insert(id, standing);
        }
    }
    Ok(found)
}

/// The standing of each stored visit among `visits`, and which of `workers` are stored: in one
/// statement when both lists fit in one (as a batch of call events from phones does), so that
/// the writer pays one round trip for both.
pub(crate) async fn visits_and_workers(
    connection: &mut AnyConnection,
    visits: &[&str],
    workers: &[&str],
) -> Result<(HashMap<String, VisitStanding>, HashSet<String>), StoreError> {
    let (padded_visits, padded_workers) = (read::padded(visits), read::padded(workers));
    if visits.is_empty()
        || workers.is_empty()
        || padded_visits.len() + padded_workers.len() > write::MAX_PARAMETERS
    {
        let standings = visit_standings(connection, visits).await?;
        let stored_workers = read::ids_among(connection, CareWorker::TABLE, workers).await?;
        return Ok((standings, stored_workers));
    }
    let first_worker = padded_visits.len() + 1;
    let numbers: Vec<String> = (first_worker..first_worker + padded_workers.len())
        .map(|n| format!("${n}"))
        .collect();
    let sql = format!(
        "{} UNION ALL SELECT 'worker' AS kind, w.id, NULL AS provider_id, 0 AS invoiced \
         FROM {} w WHERE w.id IN ({})",
        visits_sql(1, padded_visits.len()),
        CareWorker::TABLE,
        numbers.join(", ")
    );
    let mut query = sqlx::query(&sql);
    for id in padded_visits.into_iter().chain(padded_workers) {
        query = query.bind(id.to_owned());
    }
    let rows = query
        .fetch_all(&mut *connection)
        .await
        .map_err(StoreError::database)?;
    let mut standings = HashMap::with_capacity(visits.len());
    let mut stored_workers = HashSet::with_capacity(workers.len());
    for row in &rows {
        let kind: String = row.try_get("kind").map_err(StoreError::database)?;
        if kind == "worker" {
            stored_workers.insert(row.try_get("id").map_err(StoreError::database)?);
        } else {
            let (id, standing) = standing_of(row)?;
            standings.insert(id, standing);
        }
    }
    Ok((standings, stored_workers))
}

/// `SELECT` of the visits whose ids are parameters `$first` on, `count` of them, each with its
/// provider and how many issued invoice lines hold it.
fn visits_sql(first: usize, count: usize) -> String {
    let numbers: Vec<String> = (first..first + count).map(|n| format!("${n}")).collect();
    format!(
        "SELECT 'visit' AS kind, v.id, v.provider_id, \
         (SELECT COUNT(*) FROM invoice_lines l WHERE l.visit_id = v.id) AS invoiced \
         FROM visits v WHERE v.id IN ({})",
        numbers.join(", ")
    )
}

/// A visit's id and standing from a row of [`visits_sql`].
fn standing_of(row: &AnyRow) -> Result<(String, VisitStanding), StoreError> {
    let row = StoredRow::with_id_column(row, RecordKind::Visit, "id")?;
    Ok((
        row.text("id")?,
        VisitStanding {
            provider_id: row.parse("provider_id", ProviderId::parse)?,
            invoiced: row.integer("invoiced")? > 0,
        },
    ))
}

/// The events stored in `provider`'s key space under any of `keys`, in no particular order.
pub(crate) async fn stored_under(
    connection: &mut AnyConnection,
    provider: &ProviderId,
    keys: &[&str],
) -> Result<Vec<StoredCallEvent>, StoreError> {
    let mut stored = Vec::new();
    // One parameter is the provider.
    for chunk in keys.chunks(write::MAX_PARAMETERS - 1) {
        let chunk = read::padded(chunk);
        let numbers: Vec<String> = (2..chunk.len() + 2).map(|n| format!("${n}")).collect();
        let sql = format!(
            "SELECT {} FROM {} WHERE provider_id = $1 AND event_key IN ({})",
            StoredCallEvent::COLUMNS.join(", "),
            StoredCallEvent::TABLE,
            numbers.join(", ")
        );
        let mut query = sqlx::query(&sql).bind(provider.as_str().to_owned());
        for key in chunk {
            query = query.bind(key.to_owned());
        }
        for row in query
            .fetch_all(&mut *connection)
            .await
            .map_err(StoreError::database)?
        {
            let row = StoredRow::with_id_column(&row, RecordKind::CallEvent, "event_key")?;
            stored.push(StoredCallEvent::from_row(&row)?);
        }
    }
    Ok(stored)
}
