//! Lot awards.

use super::{Problems, Record};
use crate::Kind;
use homeward_domain::{AreaId, Award, AwardId, Invalid, LotPosition, ProviderId, parse_date};
use serde::{Deserialize, Serialize};

/// An award's row.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AwardRow {
    id: String,
    area_id: String,
    provider_id: String,
    position: String,
    starts_on: String,
}

impl Record for Award {
    type Row = AwardRow;
    const KIND: Kind = Kind::Awards;

    fn to_row(&self) -> AwardRow {
        AwardRow {
            id: self.id.to_string(),
            area_id: self.area_id.to_string(),
            provider_id: self.provider_id.to_string(),
            position: self.position.code().into(),
            starts_on: self.starts_on.to_string(),
        }
    }

    fn from_row(row: AwardRow) -> Result<Self, Invalid> {
        let mut problems = Problems::default();
        let id = problems.take(AwardId::parse(&row.id, "id"));
        let area_id = problems.take(AreaId::parse(&row.area_id, "area_id"));
        let provider_id = problems.take(ProviderId::parse(&row.provider_id, "provider_id"));
        let position = problems.take(LotPosition::parse(&row.position, "position"));
        let starts_on = problems.take(parse_date(&row.starts_on, "starts_on"));
        let record = (|| {
            Some(Award {
                id: id?,
                area_id: area_id?,
                provider_id: provider_id?,
                position: position?,
                starts_on: starts_on?,
            })
        })();
        problems.finish(record)
    }
}
