//! Lot awards. The lot rules across awards (`check_awards`) belong to the caller: a single award
//! has no rules of its own to check here.

use super::row::StoredRow;
use super::values::SqlValue;
use super::{Reference, TableRecord};
use crate::{RecordKind, StoreError};
use homeward_domain::{Area, AreaId, Award, AwardId, Invalid, LotPosition, Provider, ProviderId};

impl TableRecord for Award {
    const KIND: RecordKind = RecordKind::Award;
    const TABLE: &'static str = "awards";
    const COLUMNS: &'static [&'static str] =
        &["id", "area_id", "provider_id", "position", "starts_on"];

    fn id(&self) -> &str {
        self.id.as_str()
    }

    fn validate(&self) -> Result<(), Invalid> {
        Ok(())
    }

    fn values(&self) -> Vec<SqlValue> {
        vec![
            SqlValue::text(self.id.as_str()),
            SqlValue::text(self.area_id.as_str()),
            SqlValue::text(self.provider_id.as_str()),
            SqlValue::text(self.position.code()),
            SqlValue::date(self.starts_on),
        ]
    }

    fn references(&self) -> Vec<Reference> {
        vec![
            Reference::to::<Area>("area_id", self.area_id.as_str()),
            Reference::to::<Provider>("provider_id", self.provider_id.as_str()),
        ]
    }

    fn from_row(row: &StoredRow<'_>) -> Result<Self, StoreError> {
        Ok(Award {
            id: row.parse("id", AwardId::parse)?,
            area_id: row.parse("area_id", AreaId::parse)?,
            provider_id: row.parse("provider_id", ProviderId::parse)?,
            position: row.parse("position", LotPosition::parse)?,
            starts_on: row.date("starts_on")?,
        })
    }
}
