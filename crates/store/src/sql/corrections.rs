//! Manual corrections of a visit's times, as stored (`migrations/0009_corrections.sql`).

use super::row::StoredRow;
use super::values::SqlValue;
use super::{Reference, TableRecord};
use crate::{RecordKind, StoreError};
use homeward_domain::{
    CallNote, Correction, CorrectionId, CorrectionReason, Invalid, Visit, VisitId,
};

impl TableRecord for Correction {
    const KIND: RecordKind = RecordKind::Correction;
    const TABLE: &'static str = "visit_corrections";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "visit_id",
        "check_in_at",
        "check_out_at",
        "reason",
        "note",
        "corrected_by",
        "corrected_at",
    ];

    fn order_by(text_order: &str) -> String {
        format!("visit_id{text_order}, corrected_at{text_order}, id{text_order}")
    }

    fn id(&self) -> &str {
        self.id.as_str()
    }

    fn validate(&self) -> Result<(), Invalid> {
        Correction::validate(self)
    }

    fn values(&self) -> Vec<SqlValue> {
        vec![
            SqlValue::text(self.id.as_str()),
            SqlValue::text(self.visit_id.as_str()),
            SqlValue::optional_timestamp(self.check_in),
            SqlValue::optional_timestamp(self.check_out),
            SqlValue::text(self.reason.code()),
            SqlValue::optional_text(self.note.as_ref().map(CallNote::as_str)),
            SqlValue::text(&self.corrected_by),
            SqlValue::timestamp(self.corrected_at),
        ]
    }

    fn references(&self) -> Vec<Reference> {
        vec![Reference::to::<Visit>("visit_id", self.visit_id.as_str())]
    }

    fn from_row(row: &StoredRow<'_>) -> Result<Self, StoreError> {
        let note = match row.optional_text("note")? {
            Some(text) => CallNote::parse(&text, "note")
                .map_err(|error| row.corrupt("note", error.message))?,
            None => None,
        };
        Ok(Correction {
            id: row.parse("id", CorrectionId::parse)?,
            visit_id: row.parse("visit_id", VisitId::parse)?,
            check_in: row.optional_timestamp("check_in_at")?,
            check_out: row.optional_timestamp("check_out_at")?,
            reason: row.parse("reason", CorrectionReason::parse)?,
            note,
            corrected_by: row.text("corrected_by")?,
            corrected_at: row.timestamp("corrected_at")?,
        })
    }
}
