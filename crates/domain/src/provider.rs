//! Providers of home care and what the council knows of them.

use crate::codes::{code_enum, impl_code_list};
use crate::validation::required_text;
use crate::{FieldError, Invalid, ProviderId};
use jiff::civil::Date;
use std::fmt;

/// A Care Quality Commission location id, such as `1-134558905`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CqcLocationId(String);

impl CqcLocationId {
    /// Parses `1-` followed by 8 to 11 digits, for `field`.
    pub fn parse(text: &str, field: &str) -> Result<Self, FieldError> {
        let text = text.trim();
        let valid = text.strip_prefix("1-").is_some_and(|digits| {
            (8..=11).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit())
        });
        if valid {
            Ok(Self(text.to_owned()))
        } else {
            Err(FieldError::new(
                field,
                format!("'{text}' is not a CQC location id such as 1-134558905"),
            ))
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CqcLocationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

code_enum! {
    /// A CQC overall rating of a location.
    pub enum CqcRating {
        /// Outstanding.
        Outstanding => "outstanding", "Outstanding";
        /// Good.
        Good => "good", "Good";
        /// Requires improvement.
        RequiresImprovement => "requires-improvement", "Requires improvement";
        /// Inadequate.
        Inadequate => "inadequate", "Inadequate";
        /// Registered but not yet rated.
        NotRated => "not-rated", "No published rating";
    }
}

code_enum! {
    /// A service a provider offers.
    pub enum Service {
        /// Personal care at home.
        PersonalCare => "personal-care", "Personal care";
        /// Reablement.
        Reablement => "reablement", "Reablement";
        /// Specialist dementia care.
        DementiaCare => "dementia", "Dementia care";
        /// End of life care.
        EndOfLife => "end-of-life", "End of life care";
        /// Night sitting and night visits.
        NightCare => "night-care", "Night care and night sitting";
        /// Live-in care.
        LiveIn => "live-in", "Live-in care";
        /// Complex care, including NHS continuing health care.
        ComplexCare => "complex-care", "Complex care";
        /// Support for people with a learning disability.
        LearningDisability => "learning-disability", "Learning disability support";
    }
}

code_enum! {
    /// How far a provider meets the Unison Ethical Care Charter.
    pub enum CharterStage {
        /// Not signed up.
        None => "none", "Not signed up";
        /// Stage 1: commission by need, no 15-minute personal care visits, travel paid, sick pay.
        Stage1 => "1", "Stage 1";
        /// Stage 2: continuity of carers, no enforced zero-hours contracts, paid training.
        Stage2 => "2", "Stage 2";
        /// Stage 3: at least the Living Wage, occupational sick pay.
        Stage3 => "3", "Stage 3";
    }
}

code_enum! {
    /// The route by which a provider is admitted to sell to the council.
    pub enum AdmissionRoute {
        /// A framework agreement or approved provider list, closed between tenders.
        Framework => "framework", "Framework";
        /// A dynamic market (the Procurement Act 2023 name for a dynamic purchasing system),
        /// open to new providers at any time.
        DynamicMarket => "dynamic-market", "Dynamic market";
    }
}

impl_code_list!(Service, CqcRating, CharterStage, AdmissionRoute);

/// A provider's admission to a framework or the dynamic market, from a date.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Admission {
    /// Which route.
    pub route: AdmissionRoute,
    /// The date admitted.
    pub admitted_on: Date,
}

impl Admission {
    /// Parses `route@YYYY-MM-DD` items separated by `;`.
    pub fn parse_list(text: &str, field: &str) -> Result<Vec<Admission>, FieldError> {
        let mut admissions = Vec::new();
        for item in text
            .split(';')
            .map(str::trim)
            .filter(|item| !item.is_empty())
        {
            let Some((route, date)) = item.split_once('@') else {
                return Err(FieldError::new(
                    field,
                    format!("'{item}' must be route@YYYY-MM-DD, e.g. dynamic-market@2020-04-01"),
                ));
            };
            admissions.push(Admission {
                route: AdmissionRoute::parse(route, field)?,
                admitted_on: crate::parse_date(date, field)?,
            });
        }
        admissions.sort();
        Ok(admissions)
    }

    /// Formats a list as [`Admission::parse_list`] reads it.
    pub fn format_list(admissions: &[Admission]) -> String {
        admissions
            .iter()
            .map(|admission| format!("{}@{}", admission.route.code(), admission.admitted_on))
            .collect::<Vec<_>>()
            .join(";")
    }
}

/// A provider of home care.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provider {
    /// Stable id.
    pub id: ProviderId,
    /// Trading name.
    pub name: String,
    /// CQC location id of the registered location, when registered.
    pub cqc_location_id: Option<CqcLocationId>,
    /// The latest CQC overall rating.
    pub cqc_rating: CqcRating,
    /// Services offered, sorted.
    pub services: Vec<Service>,
    /// Ethical Care Charter stage met in its contract terms.
    pub charter_stage: CharterStage,
    /// Run by the council itself or its arm's-length company (Worcestershire, Norfolk).
    pub in_house: bool,
    /// Frameworks and dynamic markets the provider is admitted to.
    pub admissions: Vec<Admission>,
}

impl Provider {
    /// Checks the rules a stored provider must meet.
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut errors = Vec::new();
        if let Err(error) = required_text(&self.name, "name", 120) {
            errors.push(error);
        }
        if self.services.is_empty() {
            errors.push(FieldError::new(
                "services",
                "must list at least one service",
            ));
        }
        if self.cqc_location_id.is_none() && self.cqc_rating != CqcRating::NotRated {
            errors.push(FieldError::new(
                "cqc_rating",
                "a rating needs a CQC location id",
            ));
        }
        Invalid::check(errors)
    }

    /// Whether the provider may receive offers through `route`.
    pub fn is_admitted_to(&self, route: AdmissionRoute) -> bool {
        self.admissions
            .iter()
            .any(|admission| admission.route == route)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cqc_location_ids_have_the_cqc_shape() {
        assert_eq!(
            CqcLocationId::parse("1-134558905", "cqc").unwrap().as_str(),
            "1-134558905"
        );
        for bad in ["134558905", "1-1345", "2-134558905", "1-13455890a"] {
            assert_eq!(
                CqcLocationId::parse(bad, "cqc_location_id")
                    .unwrap_err()
                    .field,
                "cqc_location_id"
            );
        }
    }

    #[test]
    fn admissions_round_trip_sorted() {
        let admissions = Admission::parse_list(
            "dynamic-market@2020-04-01; framework@2015-04-01",
            "admissions",
        )
        .unwrap();
        assert_eq!(
            Admission::format_list(&admissions),
            "framework@2015-04-01;dynamic-market@2020-04-01"
        );
        assert!(
            Admission::parse_list("dps", "admissions")
                .unwrap_err()
                .message
                .contains("route@")
        );
        assert!(Admission::parse_list("dps@2020-01-01", "admissions").is_err());
    }

    #[test]
    fn a_rating_needs_a_location_and_services_are_required() {
        let provider = Provider {
            id: ProviderId::parse("prov_test", "id").unwrap(),
            name: "Downs Home Care".into(),
            cqc_location_id: None,
            cqc_rating: CqcRating::Good,
            services: vec![],
            charter_stage: CharterStage::Stage1,
            in_house: false,
            admissions: vec![],
        };
        let Invalid(errors) = provider.validate().unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|error| error.field.as_str()).collect();
        assert_eq!(fields, ["services", "cqc_rating"]);
    }
}
