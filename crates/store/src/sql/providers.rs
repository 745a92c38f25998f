//! Providers: services and admissions as `;`-separated text.

use super::TableRecord;
use super::lists::parse_in_order;
use super::row::StoredRow;
use super::values::SqlValue;
use crate::{RecordKind, StoreError};
use homeward_domain::{
    Admission, CharterStage, CqcLocationId, CqcRating, Invalid, Provider, ProviderId, Service,
    format_code_list, parse_code_list,
};

impl TableRecord for Provider {
    const KIND: RecordKind = RecordKind::Provider;
    const TABLE: &'static str = "providers";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "name",
        "cqc_location_id",
        "cqc_rating",
        "services",
        "charter_stage",
        "in_house",
        "admissions",
    ];

    fn id(&self) -> &str {
        self.id.as_str()
    }

    fn validate(&self) -> Result<(), Invalid> {
        Provider::validate(self)
    }

    fn values(&self) -> Vec<SqlValue> {
        vec![
            SqlValue::text(self.id.as_str()),
            SqlValue::text(&self.name),
            SqlValue::optional_text(self.cqc_location_id.as_ref().map(CqcLocationId::as_str)),
            SqlValue::text(self.cqc_rating.code()),
            SqlValue::Text(format_code_list(&self.services)),
            SqlValue::text(self.charter_stage.code()),
            SqlValue::flag(self.in_house),
            SqlValue::Text(Admission::format_list(&self.admissions)),
        ]
    }

    fn from_row(row: &StoredRow<'_>) -> Result<Self, StoreError> {
        Ok(Provider {
            id: row.parse("id", ProviderId::parse)?,
            name: row.text("name")?,
            cqc_location_id: row.parse_optional("cqc_location_id", CqcLocationId::parse)?,
            cqc_rating: row.parse("cqc_rating", CqcRating::parse)?,
            services: row.parse("services", |text, field| {
                parse_in_order(text, field, parse_code_list::<Service>)
            })?,
            charter_stage: row.parse("charter_stage", CharterStage::parse)?,
            in_house: row.flag("in_house")?,
            admissions: row.parse("admissions", |text, field| {
                parse_in_order(text, field, Admission::parse_list)
            })?,
        })
    }
}
