//! Dated visits: the local date and time as the pattern gives them, with the instant they make.

use super::row::StoredRow;
use super::values::SqlValue;
use super::{Reference, TableRecord};
use crate::{RecordKind, StoreError};
use homeward_domain::{
    CarePackage, DatedVisit, FieldError, Invalid, PackageId, Person, PersonId, Provider,
    ProviderId, Visit, VisitId, VisitStatus, format_clock, parse_clock,
};

impl TableRecord for Visit {
    const KIND: RecordKind = RecordKind::Visit;
    const TABLE: &'static str = "visits";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "package_id",
        "person_id",
        "provider_id",
        "visit_date",
        "local_start",
        "starts_at",
        "duration_minutes",
        "carers",
        "status",
    ];

    fn order_by(text_order: &str) -> String {
        format!("starts_at{text_order}, id{text_order}")
    }

    fn id(&self) -> &str {
        self.id.as_str()
    }

    fn validate(&self) -> Result<(), Invalid> {
        let mut errors = Vec::new();
        if self.dated.duration_minutes == 0 {
            errors.push(FieldError::new("duration_minutes", "must be at least 1"));
        }
        if !(1..=2).contains(&self.dated.carers) {
            errors.push(FieldError::new("carers", "must be 1 or 2"));
        }
        Invalid::check(errors)
    }

    fn values(&self) -> Vec<SqlValue> {
        let visit = &self.dated;
        vec![
            SqlValue::text(self.id.as_str()),
            SqlValue::text(visit.package_id.as_str()),
            SqlValue::text(visit.person_id.as_str()),
            SqlValue::text(self.provider_id.as_str()),
            SqlValue::date(visit.date),
            SqlValue::Text(format_clock(visit.local_start)),
            SqlValue::timestamp(visit.starts_at),
            SqlValue::count(u32::from(visit.duration_minutes)),
            SqlValue::count(u32::from(visit.carers)),
            SqlValue::text(self.status.as_str()),
        ]
    }

    fn references(&self) -> Vec<Reference> {
        vec![
            Reference::to::<CarePackage>("package_id", self.dated.package_id.as_str()),
            Reference::to::<Person>("person_id", self.dated.person_id.as_str()),
            Reference::to::<Provider>("provider_id", self.provider_id.as_str()),
        ]
    }

    fn from_row(row: &StoredRow<'_>) -> Result<Self, StoreError> {
        let small = |column: &str| -> Result<u16, StoreError> {
            let value = row.count(column)?;
            u16::try_from(value).map_err(|_| row.corrupt(column, format!("{value} is too large")))
        };
        let carers = small("carers")?;
        Ok(Visit {
            id: row.parse("id", VisitId::parse)?,
            provider_id: row.parse("provider_id", ProviderId::parse)?,
            dated: DatedVisit {
                package_id: row.parse("package_id", PackageId::parse)?,
                person_id: row.parse("person_id", PersonId::parse)?,
                date: row.date("visit_date")?,
                local_start: row.parse("local_start", parse_clock)?,
                starts_at: row.timestamp("starts_at")?,
                duration_minutes: small("duration_minutes")?,
                carers: u8::try_from(carers)
                    .map_err(|_| row.corrupt("carers", format!("{carers} is too large")))?,
            },
            status: row.parse("status", VisitStatus::parse)?,
        })
    }
}
