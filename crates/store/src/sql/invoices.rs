//! Issued invoices: a header row per invoice and a row per line.

use super::row::StoredRow;
use super::values::SqlValue;
use super::{Reference, TableRecord};
use crate::{RecordKind, StoreError};
use homeward_domain::brokerage::ReferralRecord;
use homeward_domain::{
    Contract, ContractId, ContractKind, FieldError, Invalid, InvoiceId, InvoiceLine, InvoicePeriod,
    LineKind, Pence, Person, PersonId, Provider, ProviderId, ReferralId, Visit, VisitId,
};
use jiff::Timestamp;

/// An issued invoice's header: who, for when, when issued, and what it came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct InvoiceHeader {
    pub(crate) id: InvoiceId,
    pub(crate) provider_id: ProviderId,
    pub(crate) period: InvoicePeriod,
    pub(crate) issued_at: Timestamp,
    pub(crate) issued_by: String,
    pub(crate) line_count: u32,
    pub(crate) total: Pence,
}

impl TableRecord for InvoiceHeader {
    const KIND: RecordKind = RecordKind::Invoice;
    const TABLE: &'static str = "invoices";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "provider_id",
        "period_starts_on",
        "period_ends_on",
        "issued_at",
        "issued_by",
        "line_count",
        "total_pence",
    ];

    fn order_by(text_order: &str) -> String {
        format!("period_starts_on{text_order}, provider_id{text_order}")
    }

    fn id(&self) -> &str {
        self.id.as_str()
    }

    fn validate(&self) -> Result<(), Invalid> {
        Ok(())
    }

    fn values(&self) -> Vec<SqlValue> {
        vec![
            SqlValue::text(self.id.as_str()),
            SqlValue::text(self.provider_id.as_str()),
            SqlValue::date(self.period.starts_on()),
            SqlValue::date(self.period.ends_on()),
            SqlValue::timestamp(self.issued_at),
            SqlValue::text(&self.issued_by),
            SqlValue::count(self.line_count),
            SqlValue::Integer(self.total.0),
        ]
    }

    fn references(&self) -> Vec<Reference> {
        vec![Reference::to::<Provider>(
            "provider_id",
            self.provider_id.as_str(),
        )]
    }

    fn from_row(row: &StoredRow<'_>) -> Result<Self, StoreError> {
        let starts_on = row.date("period_starts_on")?;
        let period = InvoicePeriod::containing(starts_on);
        if period.starts_on() != starts_on || period.ends_on() != row.date("period_ends_on")? {
            return Err(row.corrupt("period_starts_on", "is not the start of an invoice period"));
        }
        Ok(InvoiceHeader {
            id: row.parse("id", InvoiceId::parse)?,
            provider_id: row.parse("provider_id", ProviderId::parse)?,
            period,
            issued_at: row.timestamp("issued_at")?,
            issued_by: row.text("issued_by")?,
            line_count: row.count("line_count")?,
            total: Pence(row.integer("total_pence")?),
        })
    }
}

/// One line of an issued invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StoredLine {
    pub(crate) invoice_id: InvoiceId,
    pub(crate) line: InvoiceLine,
}

impl TableRecord for StoredLine {
    const KIND: RecordKind = RecordKind::Invoice;
    const TABLE: &'static str = "invoice_lines";
    const COLUMNS: &'static [&'static str] = &[
        "invoice_id",
        "line_number",
        "kind",
        "contract_id",
        "contract_kind",
        "visit_id",
        "person_id",
        "referral_id",
        "line_date",
        "planned_minutes",
        "verified_minutes",
        "counted_minutes",
        "charged_minutes",
        "rate_pence",
        "amount_pence",
        "note",
    ];

    fn order_by(text_order: &str) -> String {
        format!("invoice_id{text_order}, line_number")
    }

    fn id(&self) -> &str {
        self.invoice_id.as_str()
    }

    fn validate(&self) -> Result<(), Invalid> {
        Ok(())
    }

    fn values(&self) -> Vec<SqlValue> {
        let line = &self.line;
        vec![
            SqlValue::text(self.invoice_id.as_str()),
            SqlValue::count(line.number),
            SqlValue::text(line.kind.code()),
            SqlValue::optional_text(line.contract_id.as_ref().map(ContractId::as_str)),
            SqlValue::optional_text(line.contract_kind.map(ContractKind::code)),
            SqlValue::optional_text(line.visit_id.as_ref().map(VisitId::as_str)),
            SqlValue::optional_text(line.person_id.as_ref().map(PersonId::as_str)),
            SqlValue::optional_text(line.referral_id.as_ref().map(ReferralId::as_str)),
            SqlValue::date(line.date),
            SqlValue::count(line.planned_minutes),
            SqlValue::count(line.verified_minutes),
            SqlValue::count(line.counted_minutes),
            SqlValue::count(line.charged_minutes),
            SqlValue::Integer(line.rate.0),
            SqlValue::Integer(line.amount.0),
            SqlValue::text(&line.note),
        ]
    }

    fn references(&self) -> Vec<Reference> {
        let line = &self.line;
        let mut references = Vec::new();
        if let Some(id) = &line.contract_id {
            references.push(Reference::to::<Contract>("contract_id", id.as_str()));
        }
        if let Some(id) = &line.visit_id {
            references.push(Reference::to::<Visit>("visit_id", id.as_str()));
        }
        if let Some(id) = &line.person_id {
            references.push(Reference::to::<Person>("person_id", id.as_str()));
        }
        if let Some(id) = &line.referral_id {
            references.push(Reference::to::<ReferralRecord>("referral_id", id.as_str()));
        }
        references
    }

    fn from_row(row: &StoredRow<'_>) -> Result<Self, StoreError> {
        Ok(StoredLine {
            invoice_id: row.parse("invoice_id", InvoiceId::parse)?,
            line: InvoiceLine {
                number: row.count("line_number")?,
                kind: row.parse("kind", LineKind::parse)?,
                contract_id: row.parse_optional("contract_id", ContractId::parse)?,
                contract_kind: row.parse_optional("contract_kind", ContractKind::parse)?,
                visit_id: row.parse_optional("visit_id", VisitId::parse)?,
                person_id: row.parse_optional("person_id", PersonId::parse)?,
                referral_id: row.parse_optional("referral_id", ReferralId::parse)?,
                date: row.date("line_date")?,
                planned_minutes: row.count("planned_minutes")?,
                verified_minutes: row.count("verified_minutes")?,
                counted_minutes: row.count("counted_minutes")?,
                charged_minutes: row.count("charged_minutes")?,
                rate: Pence(row.integer("rate_pence")?),
                amount: Pence(row.integer("amount_pence")?),
                note: row.text("note")?,
            },
        })
    }
}

/// The problem with an invoice's header against its lines, if any: the stored line count and
/// total are what the lines add up to.
pub(crate) fn header_problem(header: &InvoiceHeader, lines: &[InvoiceLine]) -> Option<FieldError> {
    let total: i64 = lines.iter().map(|line| line.amount.0).sum();
    if header.line_count as usize != lines.len() {
        Some(FieldError::new(
            "line_count",
            format!(
                "is {} but {} lines are stored",
                header.line_count,
                lines.len()
            ),
        ))
    } else if header.total.0 != total {
        Some(FieldError::new(
            "total_pence",
            format!("is {} but the lines add up to {total}", header.total.0),
        ))
    } else {
        None
    }
}
