//! `homeward export invoices --period DATE`: every provider's invoice lines for a four-weekly
//! period, for the council's finance system: issued lines where the invoice is issued, draft
//! lines otherwise (the `status` column says which), from the same reckoning as the
//! reconciliation page.

use anyhow::anyhow;
use homeward_app::invoicing;
use homeward_domain::InvoicePeriod;
use homeward_interchange::{Format, InvoiceLineExport, write_invoice_lines};
use homeward_store::Store;
use std::collections::HashMap;

/// Writes the lines of the period holding `period` (any day of it), provider by provider.
pub async fn write(
    store: &dyn Store,
    period: &str,
    format: Format,
    out: &mut Vec<u8>,
) -> anyhow::Result<()> {
    let period = InvoicePeriod::parse(period, "period").map_err(|error| anyhow!("--{error}"))?;
    let invoices = invoicing::invoices(store, period, None, jiff::Timestamp::now()).await?;
    let names: HashMap<_, _> = store
        .providers()
        .await?
        .into_iter()
        .map(|provider| (provider.id, provider.name))
        .collect();
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
