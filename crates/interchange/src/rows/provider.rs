//! Providers.

use super::{Problems, Record};
use crate::Kind;
use crate::values::optional;
use homeward_domain::{
    Admission, CharterStage, CqcLocationId, CqcRating, Invalid, Provider, ProviderId, Service,
    format_code_list, parse_code_list,
};
use serde::{Deserialize, Serialize};

/// A provider's row.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderRow {
    id: String,
    name: String,
    #[serde(default)]
    cqc_location_id: String,
    cqc_rating: String,
    services: String,
    charter_stage: String,
    in_house: bool,
    #[serde(default)]
    admissions: String,
}

impl Record for Provider {
    type Row = ProviderRow;
    const KIND: Kind = Kind::Providers;

    fn to_row(&self) -> ProviderRow {
        ProviderRow {
            id: self.id.to_string(),
            name: self.name.clone(),
            cqc_location_id: self
                .cqc_location_id
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            cqc_rating: self.cqc_rating.code().into(),
            services: format_code_list(&self.services),
            charter_stage: self.charter_stage.code().into(),
            in_house: self.in_house,
            admissions: Admission::format_list(&self.admissions),
        }
    }

    fn from_row(row: ProviderRow) -> Result<Self, Invalid> {
        let mut problems = Problems::default();
        let id = problems.take(ProviderId::parse(&row.id, "id"));
        let cqc_location_id = problems.take(
            optional(&row.cqc_location_id)
                .map(|text| CqcLocationId::parse(text, "cqc_location_id"))
                .transpose(),
        );
        let cqc_rating = problems.take(CqcRating::parse(&row.cqc_rating, "cqc_rating"));
        let services = problems.take(parse_code_list::<Service>(&row.services, "services"));
        let charter_stage = problems.take(CharterStage::parse(&row.charter_stage, "charter_stage"));
        let admissions = problems.take(Admission::parse_list(&row.admissions, "admissions"));
        let record = (|| {
            Some(Provider {
                id: id?,
                name: row.name.trim().to_owned(),
                cqc_location_id: cqc_location_id?,
                cqc_rating: cqc_rating?,
                services: services?,
                charter_stage: charter_stage?,
                in_house: row.in_house,
                admissions: admissions?,
            })
        })();
        if let Some(record) = &record {
            problems.check(record.validate());
        }
        problems.finish(record)
    }
}
