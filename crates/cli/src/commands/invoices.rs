//! `homeward export invoices --period DATE`: every provider's invoice lines for a four-weekly
//! period, for the council's finance system: issued lines where the invoice is issued, draft
//! lines otherwise (the `status` column says which). The app's finance export writes them, as it
//! does the reconciliation page's download, from the invoices the page reconciles.

use anyhow::anyhow;
use homeward_domain::InvoicePeriod;
use homeward_interchange::Format;
use homeward_store::Store;

/// Writes the lines of the period holding `period` (any day of it), provider by provider.
pub async fn write(
    store: &dyn Store,
    period: &str,
    format: Format,
    out: &mut Vec<u8>,
) -> anyhow::Result<()> {
    let period = InvoicePeriod::parse(period, "period").map_err(|error| anyhow!("--{error}"))?;
    let now = homeward_app::Clock::system().now();
    homeward_app::finance_export::write_invoice_lines_of(store, period, None, format, out, now)
        .await?;
    Ok(())
}
