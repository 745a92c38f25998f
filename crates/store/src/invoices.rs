//! What the store holds of payments: invoices as issued, with their lines.

use homeward_domain::{Invoice, InvoiceId};
use jiff::Timestamp;

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
