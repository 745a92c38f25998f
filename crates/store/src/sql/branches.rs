//! Branches: a provider's offices, each in an area.

use super::row::StoredRow;
use super::values::SqlValue;
use super::{Reference, TableRecord};
use crate::{RecordKind, StoreError};
use homeward_domain::{Area, AreaId, Branch, BranchId, Invalid, Provider, ProviderId};

impl TableRecord for Branch {
    const KIND: RecordKind = RecordKind::Branch;
    const TABLE: &'static str = "branches";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "provider_id",
        "name",
        "area_id",
        "latitude_e6",
        "longitude_e6",
    ];

    fn id(&self) -> &str {
        self.id.as_str()
    }

    fn validate(&self) -> Result<(), Invalid> {
        Branch::validate(self)
    }

    fn values(&self) -> Vec<SqlValue> {
        let [latitude, longitude] = SqlValue::coordinates(self.location);
        vec![
            SqlValue::text(self.id.as_str()),
            SqlValue::text(self.provider_id.as_str()),
            SqlValue::text(&self.name),
            SqlValue::text(self.area_id.as_str()),
            latitude,
            longitude,
        ]
    }

    fn references(&self) -> Vec<Reference> {
        vec![
            Reference::to::<Provider>("provider_id", self.provider_id.as_str()),
            Reference::to::<Area>("area_id", self.area_id.as_str()),
        ]
    }

    fn from_row(row: &StoredRow<'_>) -> Result<Self, StoreError> {
        Ok(Branch {
            id: row.parse("id", BranchId::parse)?,
            provider_id: row.parse("provider_id", ProviderId::parse)?,
            name: row.text("name")?,
            area_id: row.parse("area_id", AreaId::parse)?,
            location: row.coordinates("latitude_e6", "longitude_e6")?,
        })
    }
}
