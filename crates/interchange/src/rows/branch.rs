//! Branches.

use super::{Problems, Record};
use crate::Kind;
use crate::values::Degrees;
use homeward_domain::{AreaId, Branch, BranchId, Coordinates, Invalid, ProviderId};
use serde::{Deserialize, Serialize};

/// A branch's row.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BranchRow {
    id: String,
    provider_id: String,
    name: String,
    area_id: String,
    latitude: Degrees,
    longitude: Degrees,
}

impl Record for Branch {
    type Row = BranchRow;
    const KIND: Kind = Kind::Branches;

    fn to_row(&self) -> BranchRow {
        BranchRow {
            id: self.id.to_string(),
            provider_id: self.provider_id.to_string(),
            name: self.name.clone(),
            area_id: self.area_id.to_string(),
            latitude: Degrees::from_micro(self.location.latitude_e6()),
            longitude: Degrees::from_micro(self.location.longitude_e6()),
        }
    }

    fn from_row(row: BranchRow) -> Result<Self, Invalid> {
        let mut problems = Problems::default();
        let id = problems.take(BranchId::parse(&row.id, "id"));
        let provider_id = problems.take(ProviderId::parse(&row.provider_id, "provider_id"));
        let area_id = problems.take(AreaId::parse(&row.area_id, "area_id"));
        let location = problems.take(Coordinates::parse(
            &row.latitude.0,
            &row.longitude.0,
            "latitude",
            "longitude",
        ));
        let record = (|| {
            Some(Branch {
                id: id?,
                provider_id: provider_id?,
                name: row.name.trim().to_owned(),
                area_id: area_id?,
                location: location?,
            })
        })();
        if let Some(record) = &record {
            problems.check(record.validate());
        }
        problems.finish(record)
    }
}
