//! Areas: the centroid in micro-degrees, the boundary as the domain's text form.

use super::TableRecord;
use super::row::StoredRow;
use super::values::SqlValue;
use crate::{RecordKind, StoreError};
use homeward_domain::{Area, AreaId, FieldError, Invalid, Tier, format_boundary, parse_boundary};

impl TableRecord for Area {
    const KIND: RecordKind = RecordKind::Area;
    const TABLE: &'static str = "areas";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "name",
        "centroid_latitude_e6",
        "centroid_longitude_e6",
        "boundary",
        "tier",
        "rural",
        "district",
        "hard_to_serve",
    ];

    fn order_by(text_order: &str) -> String {
        format!("tier, name{text_order}, id{text_order}")
    }

    fn id(&self) -> &str {
        self.id.as_str()
    }

    fn validate(&self) -> Result<(), Invalid> {
        Area::validate(self)
    }

    fn values(&self) -> Vec<SqlValue> {
        let [latitude, longitude] = SqlValue::coordinates(self.centroid);
        let boundary = self
            .boundary
            .as_deref()
            .map(|points| format_boundary(Some(points)));
        vec![
            SqlValue::text(self.id.as_str()),
            SqlValue::text(&self.name),
            latitude,
            longitude,
            SqlValue::OptionalText(boundary),
            SqlValue::Integer(i64::from(self.tier.number())),
            SqlValue::flag(self.rural),
            SqlValue::text(&self.district),
            SqlValue::flag(self.hard_to_serve),
        ]
    }

    fn from_row(row: &StoredRow<'_>) -> Result<Self, StoreError> {
        let tier_number = row.integer("tier")?;
        let tier = Tier::from_number(tier_number).ok_or_else(|| {
            row.corrupt("tier", format!("{tier_number} is not a tier from 1 to 4"))
        })?;
        Ok(Area {
            id: row.parse("id", AreaId::parse)?,
            name: row.text("name")?,
            centroid: row.coordinates("centroid_latitude_e6", "centroid_longitude_e6")?,
            boundary: row.parse_optional("boundary", parse_stored_boundary)?,
            tier,
            rural: row.flag("rural")?,
            district: row.text("district")?,
            hard_to_serve: row.flag("hard_to_serve")?,
        })
    }
}

/// A stored boundary is never blank: no boundary is NULL.
fn parse_stored_boundary(
    text: &str,
    field: &str,
) -> Result<Vec<homeward_domain::Coordinates>, FieldError> {
    parse_boundary(text, field)?.ok_or_else(|| FieldError::new(field, "is blank instead of NULL"))
}
