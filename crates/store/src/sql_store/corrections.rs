//! Manual corrections on [`SqlStore`]: each stored in its own audited transaction, refused for
//! a visit already on an issued invoice — checked under the writer lock, which issuing an
//! invoice takes too, so the two cannot race.

use super::SqlStore;
use super::visits::{conditions, fetch};
use crate::sql::audit::{self, AuditEvent};
use crate::sql::row::StoredRow;
use crate::sql::{TableRecord, json};
use crate::{RecordKind, StoreError, VisitFilter, checks};
use homeward_domain::Correction;

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
    let mut transaction = store.insert_or_explain(transaction, correction, 0).await?;
    let mut event = AuditEvent::record(
        actor,
        "correct",
        RecordKind::Correction,
        correction.id.as_str(),
        None,
        Some(json::object(Correction::COLUMNS, &correction.values())),
    );
    event.summary = format!(
        "corrected the times of visit {} ({})",
        correction.visit_id,
        correction.reason.code()
    );
    audit::append(&mut transaction, event)
        .await
        .map_err(StoreError::database)?;
    transaction.commit().await.map_err(StoreError::database)
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
