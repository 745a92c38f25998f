//! The finance export: a period's invoice lines for the council's finance system, every
//! provider's in turn (or one provider's), issued lines where the invoice is issued and draft
//! lines otherwise. The reconciliation page's download and `homeward export invoices` both
//! write it, from the invoices the page reconciles.

use crate::invoicing::{self, provider_names};
use homeward_domain::{InvoicePeriod, ProviderId};
use homeward_interchange::{Format, InvoiceLineExport, write_invoice_lines};
use homeward_store::{Store, StoreError};
use jiff::Timestamp;

/// Why the export could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Writing the lines failed.
    #[error(transparent)]
    Write(#[from] std::io::Error),
}

/// Writes the invoice lines of `period` (only `provider`'s when one is given) to `out` in
/// `format`, the invoices drafted as they stand at `now`.
pub async fn write_invoice_lines_of(
    store: &dyn Store,
    period: InvoicePeriod,
    provider: Option<&ProviderId>,
    format: Format,
    out: &mut Vec<u8>,
    now: Timestamp,
) -> Result<(), ExportError> {
    let invoices = invoicing::invoices(store, period, provider, now).await?;
    let names = provider_names(store).await?;
    let lines: Vec<InvoiceLineExport<'_>> = invoices
        .iter()
        .flat_map(|invoice| {
            let name = names
                .get(&invoice.invoice.provider_id)
                .map_or("", String::as_str);
            InvoiceLineExport::lines_of(
                &invoice.invoice,
                name,
                invoice.status.code(),
                invoice.invoice_id(),
            )
        })
        .collect();
    write_invoice_lines(&lines, format, out)?;
    Ok(())
}
