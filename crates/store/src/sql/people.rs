//! People receiving care.

use super::row::StoredRow;
use super::values::SqlValue;
use super::{Reference, TableRecord};
use crate::{RecordKind, StoreError};
use homeward_domain::{
    Area, AreaId, FundingRoute, Invalid, NhsNumber, Person, PersonId, SupportReason,
};

impl TableRecord for Person {
    const KIND: RecordKind = RecordKind::Person;
    const TABLE: &'static str = "people";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "council_reference",
        "nhs_number",
        "name",
        "area_id",
        "latitude_e6",
        "longitude_e6",
        "funding_route",
        "support_reason",
        "complex_needs",
    ];

    fn id(&self) -> &str {
        self.id.as_str()
    }

    fn validate(&self) -> Result<(), Invalid> {
        Person::validate(self)
    }

    fn values(&self) -> Vec<SqlValue> {
        let [latitude, longitude] = SqlValue::coordinates(self.location);
        vec![
            SqlValue::text(self.id.as_str()),
            SqlValue::text(&self.council_reference),
            SqlValue::optional_text(self.nhs_number.as_ref().map(NhsNumber::as_str)),
            SqlValue::text(&self.name),
            SqlValue::text(self.area_id.as_str()),
            latitude,
            longitude,
            SqlValue::text(self.funding_route.code()),
            SqlValue::text(self.support_reason.code()),
            SqlValue::flag(self.complex_needs),
        ]
    }

    fn references(&self) -> Vec<Reference> {
        vec![Reference::to::<Area>("area_id", self.area_id.as_str())]
    }

    fn from_row(row: &StoredRow<'_>) -> Result<Self, StoreError> {
        Ok(Person {
            id: row.parse("id", PersonId::parse)?,
            council_reference: row.text("council_reference")?,
            nhs_number: row.parse_optional("nhs_number", NhsNumber::parse)?,
            name: row.text("name")?,
            area_id: row.parse("area_id", AreaId::parse)?,
            location: row.coordinates("latitude_e6", "longitude_e6")?,
            funding_route: row.parse("funding_route", FundingRoute::parse)?,
            support_reason: row.parse("support_reason", SupportReason::parse)?,
            complex_needs: row.flag("complex_needs")?,
        })
    }
}
