//! Care packages.

use super::{Problems, Record};
use crate::Kind;
use crate::values::{Hours, optional};
use homeward_domain::{
    CarePackage, Invalid, PackageId, PersonId, ProviderId, Skill, WeeklyPattern, format_code_list,
    parse_code_list, parse_date,
};
use serde::{Deserialize, Serialize};

/// A package's row. `weekly_hours` is written for reading and checked against the pattern on import.
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
        if let (Some(pattern), Some(stated)) = (&pattern, row.weekly_hours)
            && pattern.weekly_carer_minutes() != stated.0
        {
            let minutes = pattern.weekly_carer_minutes();
            problems.take::<()>(Err(homeward_domain::FieldError::new(
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
            })
        })();
        if let Some(record) = &record {
            problems.check(record.validate());
        }
        problems.finish(record)
    }
}
