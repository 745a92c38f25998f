//! Call events as stored: the event, and when the store took it.

use super::row::StoredRow;
use super::values::SqlValue;
use super::{Reference, TableRecord};
use crate::{RecordKind, StoreError};
use homeward_domain::{
    CallEvent, CallEventKind, CallNote, CareTask, CareWorker, EventKey, Invalid, Visit, VisitId,
    WorkerId, format_code_list, parse_code_list,
};
use jiff::Timestamp;

/// A call event and when it was received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StoredCallEvent {
    pub(crate) event: CallEvent,
    pub(crate) received_at: Timestamp,
}

impl TableRecord for StoredCallEvent {
    const KIND: RecordKind = RecordKind::CallEvent;
    const TABLE: &'static str = "call_events";
    const COLUMNS: &'static [&'static str] = &[
        "event_key",
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
        format!("at{text_order}, event_key{text_order}")
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
