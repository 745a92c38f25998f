//! Invoice lines for the council's finance system: one flat row per line of every provider's
//! invoice for a period, issued or draft (saying which). Export only: invoices are issued in
//! Homeward, never imported.
//!
//! The columns sum to the reconciliation's figures per provider: `planned_minutes` to planned,
//! `verified_minutes` to delivered, `charged_minutes` and `amount_pence` to invoiced.

use crate::Format;
use homeward_domain::{
    Invoice, InvoiceId, InvoiceLine, InvoicePeriod, ProviderId, starts_like_a_formula,
};
use serde::Serialize;
use std::borrow::Cow;
use std::io::{self, Write};

/// One line to export, with the invoice it is on.
#[derive(Debug, Clone, Copy)]
pub struct InvoiceLineExport<'a> {
    /// The provider.
    pub provider_id: &'a ProviderId,
    /// Its name.
    pub provider_name: &'a str,
    /// `issued` or `draft`.
    pub status: &'a str,
    /// The issued invoice's id; none for a draft.
    pub invoice_id: Option<&'a InvoiceId>,
    /// The period.
    pub period: InvoicePeriod,
    /// The line.
    pub line: &'a InvoiceLine,
}

impl<'a> InvoiceLineExport<'a> {
    /// Every line of `invoice`, as one provider's invoice to export.
    pub fn lines_of(
        invoice: &'a Invoice,
        provider_name: &'a str,
        status: &'a str,
        invoice_id: Option<&'a InvoiceId>,
    ) -> impl Iterator<Item = InvoiceLineExport<'a>> + 'a {
        invoice.lines.iter().map(move |line| InvoiceLineExport {
            provider_id: &invoice.provider_id,
            provider_name,
            status,
            invoice_id,
            period: invoice.period,
            line,
        })
    }
}

/// The row as written: money in pence, time in minutes, ids and codes as text, blanks for none.
#[derive(Serialize)]
struct InvoiceLineRow<'a> {
    provider_id: &'a str,
    provider: Cow<'a, str>,
    status: &'a str,
    invoice_id: &'a str,
    period_starts_on: String,
    period_ends_on: String,
    line: u32,
    kind: &'a str,
    contract_id: &'a str,
    contract_kind: &'a str,
    visit_id: &'a str,
    person_id: &'a str,
    referral_id: &'a str,
    date: String,
    planned_minutes: u32,
    verified_minutes: u32,
    counted_minutes: u32,
    charged_minutes: u32,
    rate_pence: i64,
    amount_pence: i64,
    note: Cow<'a, str>,
}

/// The CSV header, written even when there are no lines.
pub const INVOICE_LINE_COLUMNS: &[&str] = &[
    "provider_id",
    "provider",
    "status",
    "invoice_id",
    "period_starts_on",
    "period_ends_on",
    "line",
    "kind",
    "contract_id",
    "contract_kind",
    "visit_id",
    "person_id",
    "referral_id",
    "date",
    "planned_minutes",
    "verified_minutes",
    "counted_minutes",
    "charged_minutes",
    "rate_pence",
    "amount_pence",
    "note",
];

/// `text` as a spreadsheet will show it and never run it: a cell that would begin a formula
/// gets a leading apostrophe, which spreadsheets take as "this is text". The register refuses
/// such names, so this guards only what reached it before that rule or by another way.
fn spreadsheet_text(text: &str) -> Cow<'_, str> {
    if starts_like_a_formula(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

impl<'a> From<&InvoiceLineExport<'a>> for InvoiceLineRow<'a> {
    fn from(export: &InvoiceLineExport<'a>) -> Self {
        let line = export.line;
        let text = |id: Option<&'a str>| id.unwrap_or_default();
        InvoiceLineRow {
            provider_id: export.provider_id.as_str(),
            provider: spreadsheet_text(export.provider_name),
            status: export.status,
            invoice_id: text(export.invoice_id.map(InvoiceId::as_str)),
            period_starts_on: export.period.starts_on().to_string(),
            period_ends_on: export.period.ends_on().to_string(),
            line: line.number,
            kind: line.kind.code(),
            contract_id: text(line.contract_id.as_ref().map(|id| id.as_str())),
            contract_kind: text(line.contract_kind.map(|kind| kind.code())),
            visit_id: text(line.visit_id.as_ref().map(|id| id.as_str())),
            person_id: text(line.person_id.as_ref().map(|id| id.as_str())),
            referral_id: text(line.referral_id.as_ref().map(|id| id.as_str())),
            date: line.date.to_string(),
            planned_minutes: line.planned_minutes,
            verified_minutes: line.verified_minutes,
            counted_minutes: line.counted_minutes,
            charged_minutes: line.charged_minutes,
            rate_pence: line.rate.0,
            amount_pence: line.amount.0,
            note: spreadsheet_text(&line.note),
        }
    }
}

/// Writes `lines` to `out` in `format`: CSV with its header row (even with no lines), or a
/// pretty JSON array of objects with the same fields.
pub fn write_invoice_lines(
    lines: &[InvoiceLineExport<'_>],
    format: Format,
    out: &mut dyn Write,
) -> io::Result<()> {
    let rows: Vec<InvoiceLineRow<'_>> = lines.iter().map(InvoiceLineRow::from).collect();
    match format {
        Format::Csv => {
            let mut writer = csv::WriterBuilder::new()
                .has_headers(false)
                .from_writer(out);
            writer
                .write_record(INVOICE_LINE_COLUMNS)
                .map_err(io::Error::other)?;
            for row in &rows {
                writer.serialize(row).map_err(io::Error::other)?;
            }
            writer.flush()
        }
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &rows).map_err(io::Error::other)?;
            out.write_all(b"\n")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use homeward_domain::{LineKind, Pence, VisitId};
    use jiff::civil::Date;

    fn line() -> InvoiceLine {
        InvoiceLine {
            number: 1,
            kind: LineKind::Visit,
            contract_id: None,
            contract_kind: None,
            visit_id: Some(VisitId::from_suffix("visit-a1").unwrap()),
            person_id: None,
            referral_id: None,
            date: Date::constant(2026, 4, 14),
            planned_minutes: 30,
            verified_minutes: 32,
            counted_minutes: 0,
            charged_minutes: 35,
            rate: Pence(1_800),
            amount: Pence(1_050),
            note: "actual time 32 min, 35 chargeable; no enhancement".into(),
        }
    }

    #[test]
    fn a_line_is_one_row_under_the_header_and_the_same_fields_in_json() {
        let provider = ProviderId::from_suffix("care").unwrap();
        let line = line();
        let export = InvoiceLineExport {
            provider_id: &provider,
            provider_name: "Downs Care, Ltd",
            status: "draft",
            invoice_id: None,
            period: InvoicePeriod::containing(Date::constant(2026, 4, 14)),
            line: &line,
        };
        let mut csv = Vec::new();
        write_invoice_lines(&[export], Format::Csv, &mut csv).unwrap();
        let csv = String::from_utf8(csv).unwrap();
        let mut rows = csv.lines();
        assert_eq!(rows.next().unwrap(), INVOICE_LINE_COLUMNS.join(","));
        assert_eq!(
            rows.next().unwrap(),
            "prov_care,\"Downs Care, Ltd\",draft,,2026-04-06,2026-05-03,1,visit,,,vis_visit-a1,,,\
             2026-04-14,30,32,0,35,1800,1050,\"actual time 32 min, 35 chargeable; no enhancement\""
        );
        let mut json = Vec::new();
        write_invoice_lines(&[export], Format::Json, &mut json).unwrap();
        let json: serde_json::Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(json[0]["amount_pence"], 1_050);
        assert_eq!(json[0]["status"], "draft");
        let mut empty = Vec::new();
        write_invoice_lines(&[], Format::Csv, &mut empty).unwrap();
        assert_eq!(
            String::from_utf8(empty).unwrap().trim_end(),
            INVOICE_LINE_COLUMNS.join(",")
        );
    }

    #[test]
    fn a_name_a_spreadsheet_would_run_is_written_as_text() {
        let provider = ProviderId::from_suffix("care").unwrap();
        let mut line = line();
        line.note = "-1+1".into();
        let line = line;
        let export = InvoiceLineExport {
            provider_id: &provider,
            provider_name: "=HYPERLINK(\"http://evil.example\")",
            status: "draft",
            invoice_id: None,
            period: InvoicePeriod::containing(Date::constant(2026, 4, 14)),
            line: &line,
        };
        let mut csv = Vec::new();
        write_invoice_lines(&[export], Format::Csv, &mut csv).unwrap();
        let csv = String::from_utf8(csv).unwrap();
        let row = csv.lines().nth(1).unwrap();
        assert!(
            row.starts_with("prov_care,\"'=HYPERLINK(\"\"http://evil.example\"\")\",draft,"),
            "{row}"
        );
        assert!(row.ends_with(",'-1+1"), "{row}");
        // Amounts are numbers, never text: a negative one stays a number.
        let mut refund = line.clone();
        refund.amount = Pence(-1_050);
        refund.note = String::new();
        let export = InvoiceLineExport {
            provider_name: "Downs Care",
            line: &refund,
            ..export
        };
        let mut csv = Vec::new();
        write_invoice_lines(&[export], Format::Csv, &mut csv).unwrap();
        assert!(String::from_utf8(csv).unwrap().contains(",1800,-1050,"));
    }
}
