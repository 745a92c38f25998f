//! Manual corrections on [`SqlStore`]: each stored in its own audited transaction, refused for
//! a visit already on an issued invoice — checked under the writer lock, which issuing an
//! invoice takes too, so the two cannot race.

use super::SqlStore;
use super::visits::{conditions, fetch};
use crate::sql::audit::{self, AuditEvent};
use crate::sql::row::StoredRow;
use crate::sql::values::SqlValue;
use crate::sql::{TableRecord, json};
use crate::{RecordKind, StoreError, VisitFilter, checks};
use homeward_domain::Correction;
use sqlx::{AnyConnection, Row};

/// Stores `correction`, as [`crate::Store::correct_visit`] describes.
pub(super) async fn correct(
    store: &SqlStore,
    correction: &Correction,
    actor: &str,
) -> Result<(), StoreError> {
    checks::validate_batch(std::slice::from_ref(correction))?;
    let mut transaction = store.begin_write().await?;
    let invoiced: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM invoice_lines WHERE visit_id = $1")
            .bind(correction.visit_id.as_str().to_owned())
            .fetch_one(&mut *transaction)
            .await
            .map_err(StoreError::database)?;
    if invoiced > 0 {
        transaction.rollback().await.ok();
        return Err(StoreError::Locked {
            kind: RecordKind::Visit,
            id: correction.visit_id.to_string(),
            reason: "it is on an issued invoice, so its times can no longer change".into(),
        });
    }
    let before = replaced_times(store, &mut transaction, correction).await?;
    let mut transaction = store.insert_or_explain(transaction, correction, 0).await?;
    let mut event = AuditEvent::record(
        actor,
        "correct",
        RecordKind::Correction,
        correction.id.as_str(),
        Some(before),
        Some(json::object(Correction::COLUMNS, &correction.values())),
    );
    event.summary = format!(
        "corrected the times of visit {} ({})",
        correction.visit_id,
        correction.reason.code()
    );
    audit::append(&mut transaction, store.now(), event)
        .await
        .map_err(StoreError::database)?;
    transaction.commit().await.map_err(StoreError::database)
}

/// The times `correction` replaces, as a JSON object for its audit event's `before`: the
/// visit's standing correction (its latest) as stored, or without one the times monitoring
/// took from the phone, the first check-in's and the last check-out's (null when none).
async fn replaced_times(
    store: &SqlStore,
    connection: &mut AnyConnection,
    correction: &Correction,
) -> Result<String, StoreError> {
    let visit_id = correction.visit_id.as_str();
    let order = store.text_order();
    let standing_sql = format!(
        "SELECT {} FROM {} WHERE visit_id = $1 ORDER BY corrected_at{order} DESC, id{order} DESC LIMIT 1",
        Correction::COLUMNS.join(", "),
        Correction::TABLE,
    );
    let standing = sqlx::query(&standing_sql)
        .bind(visit_id.to_owned())
        .fetch_optional(&mut *connection)
        .await
        .map_err(StoreError::database)?;
    if let Some(row) = standing {
        // Read back as stored, column by column, whatever the rules would make of it now.
        let values = json::row_values(&row, Correction::COLUMNS, &correction.values())
            .map_err(StoreError::database)?;
        return Ok(json::object(Correction::COLUMNS, &values));
    }
    let phone_sql = format!(
        "SELECT MIN(CASE WHEN kind = 'check_in' THEN at END{order}) AS check_in_at, \
         MAX(CASE WHEN kind = 'check_out' THEN at END{order}) AS check_out_at \
         FROM call_events WHERE visit_id = $1"
    );
    let row = sqlx::query(&phone_sql)
        .bind(visit_id.to_owned())
        .fetch_one(&mut *connection)
        .await
        .map_err(StoreError::database)?;
    let time = |column: &str| -> Result<SqlValue, StoreError> {
        row.try_get::<Option<String>, _>(column)
            .map(SqlValue::OptionalText)
            .map_err(StoreError::database)
    };
    Ok(json::object(
        &["visit_id", "check_in_at", "check_out_at"],
        &[
            SqlValue::text(visit_id),
            time("check_in_at")?,
            time("check_out_at")?,
        ],
    ))
}

/// Every correction of the visits `filter` picks, by visit, then oldest first.
pub(super) async fn of_visits(
    store: &SqlStore,
    filter: &VisitFilter,
) -> Result<Vec<Correction>, StoreError> {
    let (conditions, values) = conditions(filter);
    let sql = format!(
        "SELECT {} FROM {} WHERE visit_id IN (SELECT id FROM visits WHERE {}) ORDER BY {}",
        Correction::COLUMNS.join(", "),
        Correction::TABLE,
        conditions,
        Correction::order_by(store.text_order())
    );
    fetch(store, &sql, values)
        .await?
        .iter()
        .map(|row| Correction::from_row(&StoredRow::new(row, RecordKind::Correction)?))
        .collect()
}
