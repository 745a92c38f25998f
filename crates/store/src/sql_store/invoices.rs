//! Issued invoices on [`SqlStore`]: stored with their lines in one audited transaction, at
//! most one per provider and period, and read back whole.
//!
//! The audit event (`invoice`, `issue`) holds the header's columns (provider, period, when and
//! by whom, the line count and the total), not every line: lines never change once issued, so
//! the invoice's id finds them, and a county provider's period runs to thousands of lines.

use super::SqlStore;
use super::visits::fetch;
use crate::InvoiceStore;
use crate::sql::audit::{self, AuditEvent};
use crate::sql::invoices::{InvoiceHeader, StoredLine, header_problem};
use crate::sql::row::StoredRow;
use crate::sql::values::SqlValue;
use crate::sql::{TableRecord, json, write};
use crate::violation::{Violation, violation_of};
use crate::{IssuedInvoice, RecordKind, StoreError};
use async_trait::async_trait;
use homeward_domain::{InvoiceLine, InvoicePeriod, ProviderId, VisitId};
use std::collections::{BTreeMap, HashSet};

/// Visits asked about in one statement, well under both backends' parameter limits.
const VISITS_A_QUERY: usize = 200;

/// The key a second invoice for the same provider and period clashes on.
fn period_key(provider_id: &ProviderId, period: &InvoicePeriod) -> String {
    format!("{provider_id}/{}", period.starts_on())
}

/// Stores `issued`, as [`crate::Store::issue_invoice`] describes.
pub(super) async fn issue(
    store: &SqlStore,
    issued: &IssuedInvoice,
    actor: &str,
) -> Result<(), StoreError> {
    let invoice = &issued.invoice;
    invoice.validate().map_err(|errors| StoreError::Invalid {
        kind: RecordKind::Invoice,
        index: 0,
        id: issued.id.to_string(),
        errors,
    })?;
    let header = InvoiceHeader {
        id: issued.id.clone(),
        provider_id: invoice.provider_id.clone(),
        period: invoice.period,
        issued_at: issued.issued_at,
        issued_by: issued.issued_by.clone(),
        line_count: invoice.lines.len() as u32,
        total: invoice.total(),
    };
    let lines: Vec<StoredLine> = invoice
        .lines
        .iter()
        .map(|line| StoredLine {
            invoice_id: issued.id.clone(),
            line: line.clone(),
        })
        .collect();
    let mut transaction = store.begin_write().await?;
    // Under the writer lock nobody else issues meanwhile; the unique index stands behind this.
    let taken = sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM invoices WHERE provider_id = $1 AND period_starts_on = $2",
    )
    .bind(invoice.provider_id.as_str().to_owned())
    .bind(invoice.period.starts_on().to_string())
    .fetch_one(&mut *transaction)
    .await
    .map_err(StoreError::database)?;
    if taken > 0 {
        transaction.rollback().await.ok();
        return Err(StoreError::Duplicate {
            kind: RecordKind::Invoice,
            index: 0,
            id: period_key(&invoice.provider_id, &invoice.period),
        });
    }
    let mut transaction = store.insert_or_explain(transaction, &header, 0).await?;
    if let Err(error) = write::insert_in_chunks(&mut transaction, &lines).await {
        transaction.rollback().await.ok();
        return Err(explain_line_failure(store, &lines, error).await);
    }
    let event = AuditEvent::record(
        actor,
        "issue",
        RecordKind::Invoice,
        header.id.as_str(),
        None,
        Some(json::object(InvoiceHeader::COLUMNS, &header.values())),
    );
    audit::append(&mut transaction, store.now(), event)
        .await
        .map_err(StoreError::database)?;
    transaction.commit().await.map_err(StoreError::database)
}

/// Names the line whose insert failed: the first that refers to a missing record, or the
/// first whose visit is already on an issued invoice.
async fn explain_line_failure(
    store: &SqlStore,
    lines: &[StoredLine],
    error: sqlx::Error,
) -> StoreError {
    for (index, stored) in lines.iter().enumerate() {
        if let Some(missing) = store.missing_in(stored.references()).await {
            return StoreError::MissingReference {
                kind: RecordKind::Invoice,
                index,
                id: stored.invoice_id.to_string(),
                field: Some(missing.field),
                message: missing.message,
            };
        }
    }
    if violation_of(store.backend, &error) == Some(Violation::Unique) {
        let visits: Vec<VisitId> = lines
            .iter()
            .filter_map(|stored| stored.line.visit_id.clone())
            .collect();
        if let Ok(invoiced) = invoiced_visits(store, &visits).await {
            let clash = lines.iter().enumerate().find(|(_, stored)| {
                stored
                    .line
                    .visit_id
                    .as_ref()
                    .is_some_and(|visit| invoiced.contains(visit))
            });
            if let Some((index, stored)) = clash {
                return StoreError::Duplicate {
                    kind: RecordKind::Invoice,
                    index,
                    id: stored
                        .line
                        .visit_id
                        .clone()
                        .map(|id| id.to_string())
                        .unwrap_or_default(),
                };
            }
        }
    }
    StoreError::database_in("storing invoice lines failed", error)
}

/// The invoice issued to `provider_id` for `period`, if any.
pub(super) async fn one(
    store: &SqlStore,
    provider_id: &ProviderId,
    period: &InvoicePeriod,
) -> Result<Option<IssuedInvoice>, StoreError> {
    let headers = headers(
        store,
        "provider_id = $1 AND period_starts_on = $2",
        vec![
            SqlValue::text(provider_id.as_str()),
            SqlValue::date(period.starts_on()),
        ],
    )
    .await?;
    let Some(header) = headers.into_iter().next() else {
        return Ok(None);
    };
    let mut lines = lines(
        store,
        "invoice_id = $1",
        vec![SqlValue::text(header.id.as_str())],
    )
    .await?;
    let own = lines.remove(header.id.as_str()).unwrap_or_default();
    assemble(header, own).map(Some)
}

/// Every invoice issued for `period`, by provider id.
pub(super) async fn of_period(
    store: &SqlStore,
    period: &InvoicePeriod,
) -> Result<Vec<IssuedInvoice>, StoreError> {
    let starts_on = || vec![SqlValue::date(period.starts_on())];
    let headers = headers(store, "period_starts_on = $1", starts_on()).await?;
    let mut lines = lines(
        store,
        "invoice_id IN (SELECT id FROM invoices WHERE period_starts_on = $1)",
        starts_on(),
    )
    .await?;
    headers
        .into_iter()
        .map(|header| {
            let own = lines.remove(header.id.as_str()).unwrap_or_default();
            assemble(header, own)
        })
        .collect()
}

/// Which of `visits` are on an issued invoice.
pub(super) async fn invoiced_visits(
    store: &SqlStore,
    visits: &[VisitId],
) -> Result<HashSet<VisitId>, StoreError> {
    let mut invoiced = HashSet::new();
    for chunk in visits.chunks(VISITS_A_QUERY) {
        let placeholders: Vec<String> = (1..=chunk.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            "SELECT visit_id FROM invoice_lines WHERE visit_id IN ({})",
            placeholders.join(", ")
        );
        let values = chunk.iter().map(|id| SqlValue::text(id.as_str())).collect();
        for row in fetch(store, &sql, values).await? {
            let row = StoredRow::with_id_column(&row, RecordKind::Invoice, "visit_id")?;
            invoiced.insert(row.parse("visit_id", VisitId::parse)?);
        }
    }
    Ok(invoiced)
}

/// The headers `conditions` picks, by period then provider.
async fn headers(
    store: &SqlStore,
    conditions: &str,
    values: Vec<SqlValue>,
) -> Result<Vec<InvoiceHeader>, StoreError> {
    let sql = format!(
        "SELECT {} FROM {} WHERE {conditions} ORDER BY {}",
        InvoiceHeader::COLUMNS.join(", "),
        InvoiceHeader::TABLE,
        InvoiceHeader::order_by(store.text_order()),
    );
    fetch(store, &sql, values)
        .await?
        .iter()
        .map(|row| InvoiceHeader::from_row(&StoredRow::new(row, RecordKind::Invoice)?))
        .collect()
}

/// The lines `conditions` picks, by invoice id, each invoice's in order.
async fn lines(
    store: &SqlStore,
    conditions: &str,
    values: Vec<SqlValue>,
) -> Result<BTreeMap<String, Vec<InvoiceLine>>, StoreError> {
    let sql = format!(
        "SELECT {} FROM {} WHERE {conditions} ORDER BY {}",
        StoredLine::COLUMNS.join(", "),
        StoredLine::TABLE,
        StoredLine::order_by(store.text_order()),
    );
    let mut lines: BTreeMap<String, Vec<InvoiceLine>> = BTreeMap::new();
    for row in fetch(store, &sql, values).await? {
        let row = StoredRow::with_id_column(&row, RecordKind::Invoice, "invoice_id")?;
        let stored = StoredLine::from_row(&row)?;
        lines
            .entry(stored.invoice_id.to_string())
            .or_default()
            .push(stored.line);
    }
    Ok(lines)
}

/// An invoice from its header and lines, checked against each other.
fn assemble(header: InvoiceHeader, lines: Vec<InvoiceLine>) -> Result<IssuedInvoice, StoreError> {
    if let Some(problem) = header_problem(&header, &lines) {
        return Err(StoreError::Corrupt {
            kind: RecordKind::Invoice,
            id: header.id.to_string(),
            message: problem.to_string(),
        });
    }
    Ok(IssuedInvoice {
        id: header.id,
        invoice: homeward_domain::Invoice {
            provider_id: header.provider_id,
            period: header.period,
            lines,
        },
        issued_at: header.issued_at,
        issued_by: header.issued_by,
    })
}

#[async_trait]
impl InvoiceStore for SqlStore {
    async fn issue_invoice(&self, invoice: &IssuedInvoice, actor: &str) -> Result<(), StoreError> {
        issue(self, invoice, actor).await
    }

    async fn issued_invoice(
        &self,
        provider_id: &ProviderId,
        period: &InvoicePeriod,
    ) -> Result<Option<IssuedInvoice>, StoreError> {
        one(self, provider_id, period).await
    }

    async fn issued_invoices(
        &self,
        period: &InvoicePeriod,
    ) -> Result<Vec<IssuedInvoice>, StoreError> {
        of_period(self, period).await
    }

    async fn invoiced_visits(&self, visits: &[VisitId]) -> Result<HashSet<VisitId>, StoreError> {
        invoiced_visits(self, visits).await
    }
}
