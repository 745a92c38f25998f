//! Care packages: the pattern as its canonical text, with its weekly minutes alongside for
//! demand queries.

use super::lists::parse_in_order;
use super::row::StoredRow;
use super::values::SqlValue;
use super::{Reference, TableRecord};
use crate::{RecordKind, StoreError};
use homeward_domain::{
    CarePackage, FieldError, Invalid, PackageId, Pence, Person, PersonId, Provider, ProviderId,
    Skill, WeeklyPattern, format_code_list, parse_code_list,
};

impl TableRecord for CarePackage {
    const KIND: RecordKind = RecordKind::Package;
    const TABLE: &'static str = "packages";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "person_id",
        "provider_id",
        "visit_pattern",
        "weekly_minutes",
        "skills",
        "starts_on",
        "ends_on",
        "agreed_hourly_rate_pence",
    ];

    fn id(&self) -> &str {
        self.id.as_str()
    }

    fn validate(&self) -> Result<(), Invalid> {
        CarePackage::validate(self)
    }

    fn values(&self) -> Vec<SqlValue> {
        vec![
            SqlValue::text(self.id.as_str()),
            SqlValue::text(self.person_id.as_str()),
            SqlValue::optional_text(self.provider_id.as_ref().map(ProviderId::as_str)),
            SqlValue::Text(self.pattern.to_string()),
            SqlValue::count(self.weekly_minutes()),
            SqlValue::Text(format_code_list(&self.skills)),
            SqlValue::date(self.starts_on),
            SqlValue::optional_date(self.ends_on),
            SqlValue::OptionalInteger(self.agreed_hourly_rate.map(|rate| rate.0)),
        ]
    }

    fn references(&self) -> Vec<Reference> {
        let mut references = vec![Reference::to::<Person>(
            "person_id",
            self.person_id.as_str(),
        )];
        if let Some(provider_id) = &self.provider_id {
            references.push(Reference::to::<Provider>(
                "provider_id",
                provider_id.as_str(),
            ));
        }
        references
    }

    fn from_row(row: &StoredRow<'_>) -> Result<Self, StoreError> {
        let package = CarePackage {
            id: row.parse("id", PackageId::parse)?,
            person_id: row.parse("person_id", PersonId::parse)?,
            provider_id: row.parse_optional("provider_id", ProviderId::parse)?,
            pattern: row.parse("visit_pattern", parse_pattern)?,
            skills: row.parse("skills", |text, field| {
                parse_in_order(text, field, parse_code_list::<Skill>)
            })?,
            starts_on: row.date("starts_on")?,
            ends_on: row.optional_date("ends_on")?,
            agreed_hourly_rate: row.optional_integer("agreed_hourly_rate_pence")?.map(Pence),
        };
        // Demand is summed from the stored minutes, so they must agree with the pattern.
        let stored_minutes = row.count("weekly_minutes")?;
        if stored_minutes != package.weekly_minutes() {
            let message = format!(
                "{stored_minutes} but the visit pattern adds up to {}",
                package.weekly_minutes()
            );
            return Err(row.corrupt("weekly_minutes", message));
        }
        Ok(package)
    }
}

/// The domain's pattern parser, with the field its errors name.
pub(super) fn parse_pattern(text: &str, field: &str) -> Result<WeeklyPattern, FieldError> {
    WeeklyPattern::parse(text).map_err(|error| FieldError::new(field, error.message))
}
