//! What the store holds of payments: invoices as issued, with their lines.

use crate::StoreError;
use async_trait::async_trait;
use homeward_domain::{Invoice, InvoiceId};
use homeward_domain::{InvoicePeriod, ProviderId, VisitId};
use jiff::Timestamp;
use std::collections::HashSet;

/// An invoice as issued by the provider: its lines are fixed from then on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedInvoice {
    /// Stable id.
    pub id: InvoiceId,
    /// The provider, the period and the lines.
    pub invoice: Invoice,
    /// When it was issued.
    pub issued_at: Timestamp,
    /// Who issued it (an account id).
    pub issued_by: String,
}

/// Issued invoices: once issued, an invoice and the times of its visits are fixed.
#[async_trait]
pub trait InvoiceStore: Send + Sync + 'static {
    /// Stores an issued invoice with its lines in one transaction, audited as `issue` (kind
    /// `invoice`, the header's columns after: provider, period, issued at and by, line count
    /// and total). A second invoice for the same provider and period is
    /// [`StoreError::Duplicate`] whose id is `provider/period-start`, and so is a line whose
    /// visit is on an issued invoice already (its id the visit's); an invoice breaking
    /// [`homeward_domain::Invoice::validate`] is [`StoreError::Invalid`]; a provider, contract,
    /// visit, person or referral that is not stored is [`StoreError::MissingReference`] naming
    /// the line by its index. On any failure nothing is stored.
    async fn issue_invoice(&self, invoice: &IssuedInvoice, actor: &str) -> Result<(), StoreError>;

    /// The invoice issued to `provider_id` for `period`, with its lines in order.
    async fn issued_invoice(
        &self,
        provider_id: &ProviderId,
        period: &InvoicePeriod,
    ) -> Result<Option<IssuedInvoice>, StoreError>;

    /// Every invoice issued for `period`, by provider id, each with its lines in order.
    async fn issued_invoices(
        &self,
        period: &InvoicePeriod,
    ) -> Result<Vec<IssuedInvoice>, StoreError>;

    /// Which of `visits` are on an issued invoice: once invoiced, a visit's times are locked.
    async fn invoiced_visits(&self, visits: &[VisitId]) -> Result<HashSet<VisitId>, StoreError>;
}
