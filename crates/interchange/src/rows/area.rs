//! Areas, with their current demand alongside.

use super::{Problems, Record};
use crate::Kind;
use crate::values::{Degrees, Hours};
use homeward_domain::{
    Area, AreaDemand, AreaId, Coordinates, FieldError, Invalid, Tier, format_boundary,
    parse_boundary,
};
use serde::{Deserialize, Serialize};

/// An area and its demand. On export the demand is counted from the register's people and
/// packages; on import it is read but not stored, since it follows from them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaRecord {
    /// The area.
    pub area: Area,
    /// Its customers and weekly hours.
    pub demand: AreaDemand,
}

/// The row: the first four columns are the seed tables' own (`area,tier,customers,weekly_hours`).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AreaRow {
    area: String,
    tier: u8,
    #[serde(default)]
    customers: Option<u32>,
    #[serde(default)]
    weekly_hours: Option<Hours>,
    #[serde(default)]
    providers: Option<u32>,
    id: String,
    district: String,
    rural: bool,
    hard_to_serve: bool,
    latitude: Degrees,
    longitude: Degrees,
    #[serde(default)]
    boundary: String,
}

impl Record for AreaRecord {
    type Row = AreaRow;
    const KIND: Kind = Kind::Areas;

    fn to_row(&self) -> AreaRow {
        let area = &self.area;
        AreaRow {
            area: area.name.clone(),
            tier: area.tier.number(),
            customers: Some(self.demand.customers),
            weekly_hours: Some(Hours(self.demand.weekly_minutes)),
            providers: Some(self.demand.providers),
            id: area.id.to_string(),
            district: area.district.clone(),
            rural: area.rural,
            hard_to_serve: area.hard_to_serve,
            latitude: Degrees::from_micro(area.centroid.latitude_e6()),
            longitude: Degrees::from_micro(area.centroid.longitude_e6()),
            boundary: format_boundary(area.boundary.as_deref()),
        }
    }

    fn from_row(row: AreaRow) -> Result<Self, Invalid> {
        let mut problems = Problems::default();
        let id = problems.take(AreaId::parse(&row.id, "id"));
        let tier = problems.take(Tier::from_number(i64::from(row.tier)).ok_or_else(|| {
            FieldError::new("tier", format!("{} is not a tier from 1 to 4", row.tier))
        }));
        let centroid = problems.take(Coordinates::parse(
            &row.latitude.0,
            &row.longitude.0,
            "latitude",
            "longitude",
        ));
        let boundary = problems.take(parse_boundary(&row.boundary, "boundary"));
        let record = (|| {
            Some(AreaRecord {
                area: Area {
                    id: id?,
                    name: row.area.trim().to_owned(),
                    centroid: centroid?,
                    boundary: boundary?,
                    tier: tier?,
                    rural: row.rural,
                    district: row.district.trim().to_owned(),
                    hard_to_serve: row.hard_to_serve,
                },
                demand: AreaDemand {
                    customers: row.customers.unwrap_or(0),
                    weekly_minutes: row.weekly_hours.unwrap_or_default().0,
                    providers: row.providers.unwrap_or(0),
                },
            })
        })();
        if let Some(record) = &record {
            problems.check(record.area.validate());
        }
        problems.finish(record)
    }
}
