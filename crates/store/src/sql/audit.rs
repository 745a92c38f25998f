//! The audit trail: one event per write transaction, written inside it, and the pages of it
//! that the interface lists.
//!
//! Batch writes (`import`, `replace-market`) record the kind as its plural (`people`, `market`)
//! and how many records they wrote; changes to one record (`create`, `update`, `revoke`, and
//! brokerage's `move`, `answer`, `place`, `start`, `end`, `close`) record its kind (`area`,
//! `account`, `api-token`, `referral`, `offer`, …), its id and its stored fields before and
//! after, as JSON objects (see [`super::json`]).

use super::row::StoredRow;
use super::time::{parse_timestamp, stored_timestamp};
use crate::{AuditFilter, AuditPage, RecordKind, StoreError};
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::{Query, QueryScalar};
use sqlx::{Any, AnyConnection, AnyPool, Row};

/// The most events one page holds, whatever the caller asks for.
pub(crate) const MAX_PAGE: u64 = 500;

/// What a write did, for the audit trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AuditEvent<'a> {
    /// Who did it, as the caller names them.
    pub(crate) actor: &'a str,
    /// What was done: `import`, `replace-market`, `create`, `update`, `revoke`, and for
    /// brokerage `move`, `answer`, `place`, `start`, `end`, `close`.
    pub(crate) action: &'a str,
    /// The kind of records written: plural for a batch (`people`, or `market` for the whole
    /// register), singular for one record (`area`).
    pub(crate) record_kind: &'a str,
    /// The record's id, when one record changed.
    pub(crate) record_id: Option<&'a str>,
    /// How many records were written.
    pub(crate) record_count: usize,
    /// A sentence for people reading the trail.
    pub(crate) summary: String,
    /// The record's stored fields before the change, as a JSON object.
    pub(crate) before: Option<String>,
    /// The record's stored fields after the change, as a JSON object.
    pub(crate) after: Option<String>,
}

impl<'a> AuditEvent<'a> {
    /// A write of `record_count` records of a kind at once, named by `record_kind`'s plural.
    pub(crate) fn batch(
        actor: &'a str,
        action: &'a str,
        record_kind: &'a str,
        record_count: usize,
        summary: String,
    ) -> Self {
        Self {
            actor,
            action,
            record_kind,
            record_id: None,
            record_count,
            summary,
            before: None,
            after: None,
        }
    }

    /// A change to one record of `kind`, with its stored fields before and after as JSON.
    pub(crate) fn record(
        actor: &'a str,
        action: &'a str,
        kind: RecordKind,
        id: &'a str,
        before: Option<String>,
        after: Option<String>,
    ) -> Self {
        let verb = match action {
            "create" => "created",
            "update" => "updated",
            "revoke" => "revoked",
            "move" => "moved",
            "answer" => "answered",
            "place" => "placed",
            "start" => "started",
            "end" => "ended",
            "close" => "closed",
            "issue" => "issued",
            other => other,
        };
        Self {
            actor,
            action,
            record_kind: kind.name(),
            record_id: Some(id),
            record_count: 1,
            summary: format!("{verb} {kind} {id}"),
            before,
            after,
        }
    }
}

/// Appends `event` as made at `at` (the store's clock), numbered one past the last event. Callers hold the write lock (SQLite's by
/// `BEGIN IMMEDIATE`, PostgreSQL's by `postgres::BEGIN_WRITE`), so the number cannot be taken
/// twice and the trail has no gaps.
pub(crate) async fn append(
    connection: &mut AnyConnection,
    at: jiff::Timestamp,
    event: AuditEvent<'_>,
) -> Result<(), sqlx::Error> {
    let at = stored_timestamp(at);
    let query = sqlx::query(
        "INSERT INTO audit_events \
         (sequence, at, actor, action, record_kind, record_id, record_count, summary, before_json, after_json) \
         SELECT COALESCE(MAX(sequence), 0) + 1, $1, $2, $3, $4, $5, $6, $7, $8, $9 FROM audit_events",
    );
    bind_event(query, at, event).execute(connection).await?;
    Ok(())
}

/// Binds `event`'s columns after `sequence`, in [`COLUMNS`] order, with `at` as its time.
fn bind_event<'q>(
    query: Query<'q, Any, AnyArguments<'q>>,
    at: String,
    event: AuditEvent<'_>,
) -> Query<'q, Any, AnyArguments<'q>> {
    query
        .bind(at)
        .bind(event.actor.to_owned())
        .bind(event.action.to_owned())
        .bind(event.record_kind.to_owned())
        .bind(event.record_id.map(str::to_owned))
        .bind(i64::try_from(event.record_count).unwrap_or(i64::MAX))
        .bind(event.summary)
        .bind(event.before)
        .bind(event.after)
}

/// The columns [`append_all`] writes, in its order.
const COLUMNS: [&str; 10] = [
    "sequence",
    "at",
    "actor",
    "action",
    "record_kind",
    "record_id",
    "record_count",
    "summary",
    "before_json",
    "after_json",
];

/// Appends `events` in order, numbered on from the last event, in statements of a few sizes
/// ([`super::write::statement_sizes`]): a batch of writes audited record by record (call events ingested
/// together) costs a few statements, not one each. Callers hold the write lock, as for
/// [`append`].
pub(crate) async fn append_all(
    connection: &mut AnyConnection,
    at: jiff::Timestamp,
    events: Vec<AuditEvent<'_>>,
) -> Result<(), sqlx::Error> {
    if events.is_empty() {
        return Ok(());
    }
    let last: i64 =
        sqlx::query_scalar("SELECT CAST(COALESCE(MAX(sequence), 0) AS BIGINT) FROM audit_events")
            .fetch_one(&mut *connection)
            .await?;
    let at = stored_timestamp(at);
    let sizes =
        super::write::statement_sizes(events.len(), super::write::MAX_PARAMETERS / COLUMNS.len());
    let mut sequence = last;
    let mut events = events.into_iter();
    for size in sizes {
        let chunk: Vec<AuditEvent<'_>> = events.by_ref().take(size).collect();
        let sql = super::write::insert_sql("audit_events", &COLUMNS, chunk.len());
        let mut query = sqlx::query(&sql);
        for event in chunk {
            sequence += 1;
            query = bind_event(query.bind(sequence), at.clone(), event);
        }
        query.execute(&mut *connection).await?;
    }
    Ok(())
}

/// The events matching `filter`, newest first, at most [`MAX_PAGE`] from `offset`, and how
/// many match in all.
pub(crate) async fn page(
    pool: &AnyPool,
    filter: &AuditFilter,
    offset: u64,
    limit: u64,
) -> Result<AuditPage, StoreError> {
    let conditions = [
        ("actor", &filter.actor),
        ("action", &filter.action),
        ("record_kind", &filter.record_kind),
        ("record_id", &filter.record_id),
    ];
    let mut clauses = Vec::new();
    let mut parameters = Vec::new();
    for (column, value) in conditions {
        if let Some(value) = value {
            parameters.push(value.clone());
            clauses.push(format!("{column} = ${}", parameters.len()));
        }
    }
    let filter_sql = if clauses.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", clauses.join(" AND "))
    };

    let count_sql = format!("SELECT COUNT(*) FROM audit_events{filter_sql}");
    let mut count: QueryScalar<'_, Any, i64, AnyArguments<'_>> = sqlx::query_scalar(&count_sql);
    for parameter in &parameters {
        count = count.bind(parameter.clone());
    }
    let total = count.fetch_one(pool).await.map_err(StoreError::database)?;

    let limit = limit.min(MAX_PAGE);
    let events = if limit == 0 {
        Vec::new()
    } else {
        let page_sql = format!(
            "SELECT sequence, at, actor, action, record_kind, record_id, record_count, before_json, after_json \
             FROM audit_events{filter_sql} ORDER BY sequence DESC LIMIT ${} OFFSET ${}",
            parameters.len() + 1,
            parameters.len() + 2
        );
        let mut query: Query<'_, Any, AnyArguments<'_>> = sqlx::query(&page_sql);
        for parameter in &parameters {
            query = query.bind(parameter.clone());
        }
        let offset = i64::try_from(offset).unwrap_or(i64::MAX);
        let rows = query
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .bind(offset)
            .fetch_all(pool)
            .await
            .map_err(StoreError::database)?;
        rows.iter().map(event_from_row).collect::<Result<_, _>>()?
    };
    Ok(AuditPage {
        events,
        total: u64::try_from(total).unwrap_or_default(),
    })
}

/// An event as the interface shows it.
fn event_from_row(row: &AnyRow) -> Result<crate::AuditEvent, StoreError> {
    let sequence: i64 = row.try_get("sequence").map_err(StoreError::database)?;
    let stored = StoredRow::keyed_by(row, RecordKind::AuditEvent, sequence.to_string());
    Ok(crate::AuditEvent {
        sequence,
        at: stored.parse("at", parse_timestamp)?,
        actor: stored.text("actor")?,
        action: stored.text("action")?,
        record_kind: stored.text("record_kind")?,
        record_id: stored.optional_text("record_id")?,
        record_count: stored.integer("record_count")?,
        before: stored.optional_text("before_json")?,
        after: stored.optional_text("after_json")?,
    })
}
