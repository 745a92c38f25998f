//! People receiving care.

use super::{Problems, Record};
use crate::Kind;
use crate::values::{Degrees, optional};
use homeward_domain::{
    AreaId, Coordinates, FundingRoute, Invalid, NhsNumber, Person, PersonId, SupportReason,
};
use serde::{Deserialize, Serialize};

/// A person's row.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonRow {
    id: String,
    council_reference: String,
    #[serde(default)]
    nhs_number: String,
    name: String,
    area_id: String,
    latitude: Degrees,
    longitude: Degrees,
    funding_route: String,
    support_reason: String,
    complex_needs: bool,
}

impl Record for Person {
    type Row = PersonRow;
    const KIND: Kind = Kind::People;

    fn to_row(&self) -> PersonRow {
        PersonRow {
            id: self.id.to_string(),
            council_reference: self.council_reference.clone(),
            nhs_number: self
                .nhs_number
                .as_ref()
                .map(|number| number.as_str().to_owned())
                .unwrap_or_default(),
            name: self.name.clone(),
            area_id: self.area_id.to_string(),
            latitude: Degrees::from_micro(self.location.latitude_e6()),
            longitude: Degrees::from_micro(self.location.longitude_e6()),
            funding_route: self.funding_route.code().into(),
            support_reason: self.support_reason.code().into(),
            complex_needs: self.complex_needs,
        }
    }

    fn from_row(row: PersonRow) -> Result<Self, Invalid> {
        let mut problems = Problems::default();
        let id = problems.take(PersonId::parse(&row.id, "id"));
        let nhs_number = problems.take(
            optional(&row.nhs_number)
                .map(|text| NhsNumber::parse(text, "nhs_number"))
                .transpose(),
        );
        let area_id = problems.take(AreaId::parse(&row.area_id, "area_id"));
        let location = problems.take(Coordinates::parse(
            &row.latitude.0,
            &row.longitude.0,
            "latitude",
            "longitude",
        ));
        let funding_route = problems.take(FundingRoute::parse(&row.funding_route, "funding_route"));
        let support_reason =
            problems.take(SupportReason::parse(&row.support_reason, "support_reason"));
        let record = (|| {
            Some(Person {
                id: id?,
                council_reference: row.council_reference.trim().to_owned(),
                nhs_number: nhs_number?,
                name: row.name.trim().to_owned(),
                area_id: area_id?,
                location: location?,
                funding_route: funding_route?,
                support_reason: support_reason?,
                complex_needs: row.complex_needs,
            })
        })();
        if let Some(record) = &record {
            problems.check(record.validate());
        }
        problems.finish(record)
    }
}
