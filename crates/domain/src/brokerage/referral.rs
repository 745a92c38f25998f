//! Referrals: a request for care to start.

use crate::codes::{code_enum, impl_code_list};
use crate::{
    AreaId, FieldError, FundingRoute, Invalid, PersonId, ReferralId, Skill, WeeklyPattern,
};
use jiff::civil::Date;

code_enum! {
    /// How a referral reached the council.
    pub enum AccessRoute {
        /// From the community: a GP, a neighbour, a social worker's review.
        Community => "community", "Community";
        /// On discharge from hospital.
        HospitalDischarge => "hospital-discharge", "Hospital discharge";
        /// Onward from a reablement episode, with the needs it left.
        EndOfReablement => "end-of-reablement", "End of reablement";
        /// The person or their family asked.
        SelfOrFamily => "self-or-family", "Self or family";
        /// Through a safeguarding enquiry.
        Safeguarding => "safeguarding", "Safeguarding";
    }
}

impl_code_list!(AccessRoute);

/// The care a referral asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Needs {
    /// The visits each week, in Europe/London local time (carers per visit included).
    pub pattern: WeeklyPattern,
    /// Skills the visits need.
    pub skills: Vec<Skill>,
    /// Complex needs, which carry the complexity enhancement.
    pub complex: bool,
}

impl Needs {
    /// Commissioned carer minutes a week.
    pub fn weekly_minutes(&self) -> u32 {
        self.pattern.weekly_carer_minutes()
    }
}

/// A referral for home care.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referral {
    /// Stable id.
    pub id: ReferralId,
    /// Who needs care.
    pub person_id: PersonId,
    /// Where they live (the person's area when referred).
    pub area_id: AreaId,
    /// How the referral came.
    pub route: AccessRoute,
    /// What care.
    pub needs: Needs,
    /// Who pays.
    pub funding_route: FundingRoute,
    /// Whether the assessment found the person could benefit from reablement.
    pub reablement_potential: bool,
    /// The day the referral was made: the pick-up clock starts here.
    pub referred_on: Date,
    /// The day care is needed by.
    pub needed_by: Date,
    /// For hospital discharges, the planned discharge date.
    pub discharge_on: Option<Date>,
}

impl Referral {
    /// Checks the rules a referral must meet.
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut errors = Vec::new();
        if self.needed_by < self.referred_on {
            errors.push(FieldError::new(
                "needed_by",
                "Care cannot be needed before the referral was made",
            ));
        }
        match (self.route, self.discharge_on) {
            (AccessRoute::HospitalDischarge, None) => {
                errors.push(FieldError::new(
                    "discharge_on",
                    "Enter the planned discharge date",
                ));
            }
            (AccessRoute::HospitalDischarge, Some(discharge)) if discharge < self.referred_on => {
                errors.push(FieldError::new(
                    "discharge_on",
                    "The discharge date cannot be before the referral",
                ));
            }
            (route, Some(_)) if route != AccessRoute::HospitalDischarge => {
                errors.push(FieldError::new(
                    "discharge_on",
                    "Only a hospital discharge has a discharge date",
                ));
            }
            _ => {}
        }
        if matches!(self.funding_route, FundingRoute::SelfFunder) {
            errors.push(FieldError::new(
                "funding_route",
                "The council does not broker care for self-funders",
            ));
        }
        Invalid::check(errors)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn referral(route: AccessRoute) -> Referral {
        Referral {
            id: ReferralId::from_suffix("test").unwrap(),
            person_id: PersonId::from_suffix("test").unwrap(),
            area_id: AreaId::from_suffix("test").unwrap(),
            route,
            needs: Needs {
                pattern: WeeklyPattern::parse("daily 08:00 45m; daily 19:30 30m").unwrap(),
                skills: vec![],
                complex: false,
            },
            funding_route: FundingRoute::CouncilArranged,
            reablement_potential: true,
            referred_on: Date::constant(2019, 9, 2),
            needed_by: Date::constant(2019, 9, 5),
            discharge_on: (route == AccessRoute::HospitalDischarge)
                .then_some(Date::constant(2019, 9, 4)),
        }
    }

    #[test]
    fn a_referral_is_valid_and_counts_its_hours() {
        let referral = referral(AccessRoute::HospitalDischarge);
        assert!(referral.validate().is_ok());
        assert_eq!(referral.needs.weekly_minutes(), 7 * 75);
    }

    #[test]
    fn dates_and_routes_are_checked() {
        let mut bad = referral(AccessRoute::HospitalDischarge);
        bad.needed_by = Date::constant(2019, 9, 1);
        bad.discharge_on = None;
        bad.funding_route = FundingRoute::SelfFunder;
        let fields: Vec<String> = bad
            .validate()
            .unwrap_err()
            .0
            .into_iter()
            .map(|error| error.field)
            .collect();
        assert_eq!(fields, ["needed_by", "discharge_on", "funding_route"]);
        let mut community = referral(AccessRoute::Community);
        community.discharge_on = Some(Date::constant(2019, 9, 4));
        assert_eq!(community.validate().unwrap_err().0[0].field, "discharge_on");
    }
}
