//! Dated visits on [`SqlStore`]: listing them, and cancelling and adding them in one audited
//! transaction. The audit event is one per change (`visits`, action `plan`), listing the ids
//! cancelled and added: a visit row never changes but for its status, so its id is enough to
//! find what was added (a demo fortnight is 60,000 visits: their columns would be 18 MB).

use super::SqlStore;
use super::{call_events, corrections, history};
use crate::sql::audit::{self, AuditEvent};
use crate::sql::read;
use crate::sql::row::StoredRow;
use crate::sql::time::stored_timestamp;
use crate::sql::values::SqlValue;
use crate::sql::{TableRecord, write};
use crate::{CallEventOutcome, CallEventResult, CallTiming, SentCallEvent, VisitStore};
use crate::{RecordKind, StoreError, VisitChangeOutcome, VisitChanges, VisitFilter, checks};
use async_trait::async_trait;
use homeward_domain::{CallEvent, Correction, ProviderId, RosterStop};
use homeward_domain::{FieldError, Invalid, RosterStatus, Visit, VisitId, VisitStatus};
use jiff::Timestamp;
use sqlx::any::AnyRow;
use sqlx::{Any, Transaction};

/// An open write transaction.
type Write = Transaction<'static, Any>;

/// The visits `filter` picks, in order of start.
pub(super) async fn list(store: &SqlStore, filter: &VisitFilter) -> Result<Vec<Visit>, StoreError> {
    let (conditions, values) = conditions(filter);
    let sql = format!(
        "SELECT {} FROM {} WHERE {} ORDER BY {}",
        Visit::COLUMNS.join(", "),
        Visit::TABLE,
        conditions,
        Visit::order_by(store.text_order()),
    );
    fetch(store, &sql, values)
        .await?
        .iter()
        .map(|row| Visit::from_row(&StoredRow::with_id_column(row, Visit::KIND, "id")?))
        .collect()
}

/// Runs `sql` with `values` as its parameters and returns every row.
pub(super) async fn fetch(
    store: &SqlStore,
    sql: &str,
    values: Vec<SqlValue>,
) -> Result<Vec<AnyRow>, StoreError> {
    let mut query = sqlx::query(sql);
    for value in values {
        query = value.bind_to(query);
    }
    query
        .fetch_all(&store.pool)
        .await
        .map_err(StoreError::database)
}

/// The `WHERE` conditions on the `visits` table that `filter` makes, with their values as
/// parameters `$1`, `$2`, ….
pub(super) fn conditions(filter: &VisitFilter) -> (String, Vec<SqlValue>) {
    let mut conditions = vec!["visit_date >= $1".to_owned(), "visit_date <= $2".to_owned()];
    let mut values = vec![SqlValue::date(filter.from), SqlValue::date(filter.until)];
    let narrowed = [
        (
            "provider_id",
            filter.provider_id.as_ref().map(|id| id.as_str()),
        ),
        ("person_id", filter.person_id.as_ref().map(|id| id.as_str())),
        (
            "package_id",
            filter.package_id.as_ref().map(|id| id.as_str()),
        ),
    ];
    for (column, id) in narrowed {
        if let Some(id) = id {
            values.push(SqlValue::text(id));
            conditions.push(format!("{column} = ${}", values.len()));
        }
    }
    if let Some(worker) = &filter.worker_id {
        values.push(SqlValue::text(worker.as_str()));
        let worker_at = values.len();
        values.push(SqlValue::text(RosterStatus::Published.as_str()));
        conditions.push(format!(
            "id IN (SELECT s.visit_id FROM roster_stops s JOIN rosters r ON r.id = s.roster_id \
             WHERE s.worker_id = ${worker_at} AND r.status = ${})",
            values.len()
        ));
    }
    if filter.planned_only {
        values.push(SqlValue::text(VisitStatus::Planned.as_str()));
        conditions.push(format!("status = ${}", values.len()));
    }
    (conditions.join(" AND "), values)
}

/// Cancels and adds, as [`crate::Store::change_visits`] describes.
pub(super) async fn change(
    store: &SqlStore,
    changes: &VisitChanges,
    now: Timestamp,
    actor: &str,
) -> Result<VisitChangeOutcome, StoreError> {
    checks::validate_batch(&changes.add)?;
    for (index, visit) in changes.add.iter().enumerate() {
        let mut errors = Vec::new();
        if visit.status != VisitStatus::Planned {
            errors.push(FieldError::new("status", "a new visit is planned"));
        }
        if visit.dated.starts_at < now {
            errors.push(FieldError::new(
                "starts_at",
                "a new visit cannot start in the past",
            ));
        }
        if !errors.is_empty() {
            return Err(StoreError::Invalid {
                kind: RecordKind::Visit,
                index,
                id: visit.id.to_string(),
                errors: Invalid(errors),
            });
        }
    }
    if changes.is_empty() {
        return Ok(VisitChangeOutcome::default());
    }
    let mut transaction = store.begin_write().await?;
    let cancelled = cancel_planned(&mut transaction, &changes.cancel, now).await?;
    if let Err(error) = write::insert_in_chunks(&mut transaction, &changes.add).await {
        transaction.rollback().await.ok();
        return Err(explain_failure(store, changes, now, error).await);
    }
    let quoted = |id: &str| serde_json::Value::from(id).to_string();
    let added: Vec<String> = changes
        .add
        .iter()
        .map(|visit| quoted(visit.id.as_str()))
        .collect();
    let cancelled_ids: Vec<String> = cancelled.iter().map(|id| quoted(id)).collect();
    let mut event = AuditEvent::batch(
        actor,
        "plan",
        RecordKind::Visit.plural(),
        changes.add.len() + cancelled.len(),
        format!(
            "added {} visits, cancelled {}",
            changes.add.len(),
            cancelled.len()
        ),
    );
    event.before = Some(format!("{{\"cancelled\":[{}]}}", cancelled_ids.join(",")));
    event.after = Some(format!("{{\"added\":[{}]}}", added.join(",")));
    audit::append(&mut transaction, store.now(), event)
        .await
        .map_err(StoreError::database)?;
    transaction.commit().await.map_err(StoreError::database)?;
    Ok(VisitChangeOutcome {
        added: changes.add.len(),
        cancelled: cancelled.len(),
    })
}

/// Cancels those of `ids` that are planned and start at or after `now`; returns their ids.
async fn cancel_planned<'a>(
    transaction: &mut Write,
    ids: &'a [VisitId],
    now: Timestamp,
) -> Result<Vec<&'a str>, StoreError> {
    let mut cancelled = Vec::new();
    for id in ids {
        let done = sqlx::query(
            "UPDATE visits SET status = $1 WHERE id = $2 AND status = $3 AND starts_at >= $4",
        )
        .bind(VisitStatus::Cancelled.as_str())
        .bind(id.as_str().to_owned())
        .bind(VisitStatus::Planned.as_str())
        .bind(stored_timestamp(now))
        .execute(&mut **transaction)
        .await
        .map_err(StoreError::database)?;
        if done.rows_affected() == 1 {
            cancelled.push(id.as_str());
        }
    }
    Ok(cancelled)
}

/// The visits go in by the hundred; when a statement fails, the change is made again one
/// visit at a time, and rolled back, to name the visit at fault.
async fn explain_failure(
    store: &SqlStore,
    changes: &VisitChanges,
    now: Timestamp,
    error: sqlx::Error,
) -> StoreError {
    let retry = async {
        let mut transaction = store.begin_write().await?;
        cancel_planned(&mut transaction, &changes.cancel, now).await?;
        for (index, visit) in changes.add.iter().enumerate() {
            transaction = store.insert_or_explain(transaction, visit, index).await?;
        }
        transaction.rollback().await.ok();
        Ok::<(), StoreError>(())
    };
    match retry.await {
        Err(explained) => explained,
        Ok(()) => StoreError::database_in("storing visits failed", error),
    }
}

#[async_trait]
impl VisitStore for SqlStore {
    async fn visits(&self, filter: &VisitFilter) -> Result<Vec<Visit>, StoreError> {
        list(self, filter).await
    }

    async fn visit(&self, id: &VisitId) -> Result<Option<Visit>, StoreError> {
        let mut connection = self.pool.acquire().await.map_err(StoreError::database)?;
        Ok(read::stored_by_id::<Visit>(&mut connection, id.as_str())
            .await?
            .map(|(visit, _)| visit))
    }

    async fn change_visits(
        &self,
        changes: &VisitChanges,
        now: Timestamp,
        actor: &str,
    ) -> Result<VisitChangeOutcome, StoreError> {
        change(self, changes, now, actor).await
    }

    async fn record_call_event(
        &self,
        event: &CallEvent,
        received_at: Timestamp,
        actor: &str,
    ) -> Result<CallEventOutcome, StoreError> {
        call_events::record(self, event, received_at, actor).await
    }

    async fn call_events(&self, visit_id: &VisitId) -> Result<Vec<CallEvent>, StoreError> {
        call_events::of_visit(self, visit_id).await
    }

    async fn call_events_of(&self, filter: &VisitFilter) -> Result<Vec<CallEvent>, StoreError> {
        call_events::of_visits(self, filter).await
    }

    async fn call_timings_of(&self, filter: &VisitFilter) -> Result<Vec<CallTiming>, StoreError> {
        call_events::timings_of_visits(self, filter).await
    }

    async fn record_call_events(
        &self,
        events: &[SentCallEvent],
        received_at: Timestamp,
    ) -> Result<Vec<CallEventResult>, StoreError> {
        call_events::record_all(self, events, received_at).await
    }

    async fn correct_visit(&self, correction: &Correction, actor: &str) -> Result<(), StoreError> {
        corrections::correct(self, correction, actor).await
    }

    async fn corrections_of(&self, filter: &VisitFilter) -> Result<Vec<Correction>, StoreError> {
        corrections::of_visits(self, filter).await
    }

    async fn import_call_events(
        &self,
        events: &[(CallEvent, Timestamp)],
        actor: &str,
    ) -> Result<usize, StoreError> {
        history::import(self, events, actor).await
    }

    async fn visit_with_published_stops(
        &self,
        id: &VisitId,
    ) -> Result<Option<(Visit, Vec<RosterStop>)>, StoreError> {
        call_events::visit_with_published_stops(self, id).await
    }

    async fn stored_call_event(
        &self,
        provider: &ProviderId,
        key: &homeward_domain::EventKey,
    ) -> Result<Option<(CallEvent, Timestamp)>, StoreError> {
        call_events::one(self, provider, key).await
    }
}
