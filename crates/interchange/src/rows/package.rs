//! Care packages.

use super::{Problems, Record};
use crate::Kind;
use crate::values::{Hours, NumberAsText, optional};
use homeward_domain::brokerage::MAX_HOURLY_RATE;
use homeward_domain::{
    CarePackage, FieldError, Invalid, PackageId, Pence, PersonId, ProviderId, Skill, WeeklyPattern,
    format_code_list, parse_code_list, parse_date,
};
use serde::{Deserialize, Serialize};

/// A package's row. `weekly_hours` is written for reading and checked against the pattern on
/// import. `agreed_hourly_rate_pence` is the rate a provider quoted to win the package at a
/// broadcast step, blank (CSV) or null (JSON) for a package that pays the contract's rate; files
/// written before it existed import without it.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackageRow {
    id: String,
    person_id: String,
    #[serde(default)]
    provider_id: String,
    #[serde(default)]
    weekly_hours: Option<Hours>,
    visit_pattern: String,
    #[serde(default)]
    skills: String,
    starts_on: String,
    #[serde(default)]
    ends_on: String,
    #[serde(default, serialize_with = "write_pence")]
    agreed_hourly_rate_pence: Option<NumberAsText>,
}

/// Writes an agreed rate as a whole number of pence, or nothing.
fn write_pence<S: serde::Serializer>(
    rate: &Option<NumberAsText>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match rate.as_ref().and_then(|text| text.0.parse::<i64>().ok()) {
        Some(pence) => serializer.serialize_some(&pence),
        None => serializer.serialize_none(),
    }
}

/// An agreed rate as written: blank for none, else whole pence (the range is the package's rule).
fn parse_agreed_rate(text: Option<&NumberAsText>) -> Result<Option<Pence>, FieldError> {
    let Some(text) = text.and_then(|text| optional(&text.0)) else {
        return Ok(None);
    };
    text.parse::<i64>()
        .map(|pence| Some(Pence(pence)))
        .map_err(|_| {
            FieldError::new(
                "agreed_hourly_rate_pence",
                format!(
                    "'{text}' is not a whole number of pence from 1 to {} (£{}.00 an hour)",
                    MAX_HOURLY_RATE.0,
                    MAX_HOURLY_RATE.0 / 100
                ),
            )
        })
}

impl Record for CarePackage {
    type Row = PackageRow;
    const KIND: Kind = Kind::Packages;

    fn to_row(&self) -> PackageRow {
        PackageRow {
            id: self.id.to_string(),
            person_id: self.person_id.to_string(),
            provider_id: self
                .provider_id
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            weekly_hours: Some(Hours(self.weekly_minutes())),
            visit_pattern: self.pattern.to_string(),
            skills: format_code_list(&self.skills),
            starts_on: self.starts_on.to_string(),
            ends_on: self
                .ends_on
                .map(|date| date.to_string())
                .unwrap_or_default(),
            agreed_hourly_rate_pence: self
                .agreed_hourly_rate
                .map(|rate| NumberAsText(rate.0.to_string())),
        }
    }

    fn from_row(row: PackageRow) -> Result<Self, Invalid> {
        let mut problems = Problems::default();
        let id = problems.take(PackageId::parse(&row.id, "id"));
        let person_id = problems.take(PersonId::parse(&row.person_id, "person_id"));
        let provider_id = problems.take(
            optional(&row.provider_id)
                .map(|text| ProviderId::parse(text, "provider_id"))
                .transpose(),
        );
        let pattern = problems.take(WeeklyPattern::parse(&row.visit_pattern));
        let skills = problems.take(parse_code_list::<Skill>(&row.skills, "skills"));
        let starts_on = problems.take(parse_date(&row.starts_on, "starts_on"));
        let ends_on = problems.take(
            optional(&row.ends_on)
                .map(|text| parse_date(text, "ends_on"))
                .transpose(),
        );
        let agreed_hourly_rate =
            problems.take(parse_agreed_rate(row.agreed_hourly_rate_pence.as_ref()));
        if let (Some(pattern), Some(stated)) = (&pattern, row.weekly_hours)
            && pattern.weekly_carer_minutes() != stated.0
        {
            let minutes = pattern.weekly_carer_minutes();
            problems.take::<()>(Err(FieldError::new(
                "weekly_hours",
                format!(
                    "says {} but the visit pattern adds up to {} hours",
                    stated.0 as f64 / 60.0,
                    minutes as f64 / 60.0
                ),
            )));
        }
        let record = (|| {
            Some(CarePackage {
                id: id?,
                person_id: person_id?,
                provider_id: provider_id?,
                pattern: pattern?,
                skills: skills?,
                starts_on: starts_on?,
                ends_on: ends_on?,
                agreed_hourly_rate: agreed_hourly_rate?,
            })
        })();
        if let Some(record) = &record {
            problems.check(record.validate());
        }
        problems.finish(record)
    }
}
