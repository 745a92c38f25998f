//! Referrals: a request for care to start.

use crate::codes::{code_enum, impl_code_list};
use crate::{
    AreaId, CarePackage, FieldError, FundingRoute, Invalid, Person, PersonId, ReferralId, Skill,
    WeeklyPattern,
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
    /// The needs a package meets: its visits and skills, and the person's complex needs.
    pub fn of_package(package: &CarePackage, person: &Person) -> Needs {
        Needs {
            pattern: package.pattern.clone(),
            skills: package.skills.clone(),
            complex: person.complex_needs,
        }
    }

    /// Commissioned carer minutes a week.
    pub fn weekly_minutes(&self) -> u32 {
        self.pattern.weekly_carer_minutes()
    }
}

/// How care a person is referred for is funded: as they are funded, except that a self-funder
/// who comes to the council for care has it arranged by the council.
pub fn referral_funding(person: &Person) -> FundingRoute {
    match person.funding_route {
        FundingRoute::SelfFunder => FundingRoute::CouncilArranged,
        route => route,
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

/// How long after a referral is made a broker may still record it: the pick-up clock starts on
/// the day it was made, so a referral backdated further would falsify the council's figures.
pub const MAX_REFERRAL_AGE_DAYS: i32 = 28;
/// How far ahead of the referral care may be needed by.
pub const MAX_NEEDED_BY_DAYS: i32 = 182;
/// How far ahead of the referral a planned hospital discharge may be.
pub const MAX_DISCHARGE_DAYS: i32 = 90;

impl Referral {
    /// Checks the rules a referral taken in on `today` (a UK date) must meet: those of
    /// [`Referral::validate`], and dates that a real referral can have — made today or in the
    /// last [`MAX_REFERRAL_AGE_DAYS`], care needed within [`MAX_NEEDED_BY_DAYS`] of it and a
    /// discharge within [`MAX_DISCHARGE_DAYS`].
    pub fn validate_on(&self, today: Date) -> Result<(), Invalid> {
        let mut errors = match self.validate() {
            Ok(()) => Vec::new(),
            Err(invalid) => invalid.0,
        };
        let days_after = |date: Date, days: i32| date.saturating_add(jiff::Span::new().days(days));
        let days_before = |date: Date, days: i32| date.saturating_sub(jiff::Span::new().days(days));
        let earliest = days_before(today, MAX_REFERRAL_AGE_DAYS);
        if self.referred_on > today {
            errors.push(FieldError::new(
                "referred_on",
                format!("The referral date cannot be after today ({today})"),
            ));
        } else if self.referred_on < earliest {
            errors.push(FieldError::new(
                "referred_on",
                format!(
                    "The referral date must be within the last {MAX_REFERRAL_AGE_DAYS} days \
                     (on or after {earliest})"
                ),
            ));
        }
        if self.needed_by > days_after(self.referred_on, MAX_NEEDED_BY_DAYS) {
            errors.push(FieldError::new(
                "needed_by",
                format!(
                    "Care must be needed within {MAX_NEEDED_BY_DAYS} days of the referral (by {})",
                    days_after(self.referred_on, MAX_NEEDED_BY_DAYS)
                ),
            ));
        }
        if let Some(discharge) = self.discharge_on
            && discharge > days_after(self.referred_on, MAX_DISCHARGE_DAYS)
        {
            errors.push(FieldError::new(
                "discharge_on",
                format!(
                    "The discharge must be planned within {MAX_DISCHARGE_DAYS} days of the \
                     referral (by {})",
                    days_after(self.referred_on, MAX_DISCHARGE_DAYS)
                ),
            ));
        }
        // One message per field, the first found, as the forms show them.
        let mut seen = std::collections::BTreeSet::new();
        errors.retain(|error| seen.insert(error.field.clone()));
        Invalid::check(errors)
    }

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

    fn fields_on(referral: &Referral, today: Date) -> Vec<String> {
        referral
            .validate_on(today)
            .err()
            .map(|invalid| invalid.0.into_iter().map(|error| error.field).collect())
            .unwrap_or_default()
    }

    #[test]
    fn a_referral_is_made_today_or_in_the_last_four_weeks() {
        // Made on Monday 2 September 2019, discharge on the 4th, needed by the 5th.
        let referral = referral(AccessRoute::HospitalDischarge);
        assert!(fields_on(&referral, Date::constant(2019, 9, 2)).is_empty());
        // 28 days later is the last day it may be recorded: 2 September + 28 = 30 September.
        assert!(fields_on(&referral, Date::constant(2019, 9, 30)).is_empty());
        assert_eq!(
            fields_on(&referral, Date::constant(2019, 10, 1)),
            ["referred_on"]
        );
        // Recorded the day before it was made.
        assert_eq!(
            fields_on(&referral, Date::constant(2019, 9, 1)),
            ["referred_on"]
        );
        let mut ancient = referral.clone();
        ancient.referred_on = Date::constant(1000, 1, 1);
        ancient.needed_by = Date::constant(1000, 1, 2);
        ancient.discharge_on = Some(Date::constant(1000, 1, 1));
        assert_eq!(
            fields_on(&ancient, Date::constant(2026, 12, 7)),
            ["referred_on"]
        );
    }

    #[test]
    fn care_and_discharge_dates_stay_near_the_referral() {
        let today = Date::constant(2019, 9, 2);
        let mut far = referral(AccessRoute::HospitalDischarge);
        // 2 September + 182 days = 2 March 2020: the last day care may be needed by.
        far.needed_by = Date::constant(2020, 3, 2);
        // 2 September + 90 days = 1 December 2019: the last day for a planned discharge.
        far.discharge_on = Some(Date::constant(2019, 12, 1));
        assert!(fields_on(&far, today).is_empty());
        far.needed_by = Date::constant(2020, 3, 3);
        far.discharge_on = Some(Date::constant(2019, 12, 2));
        assert_eq!(fields_on(&far, today), ["needed_by", "discharge_on"]);
        far.needed_by = Date::constant(9999, 12, 31);
        assert_eq!(fields_on(&far, today)[0], "needed_by");
    }

    #[test]
    fn a_field_gets_one_message() {
        // Needed before it was made, and in the future beyond the bound: the first one stands.
        let mut bad = referral(AccessRoute::Community);
        bad.referred_on = Date::constant(2019, 9, 10);
        bad.needed_by = Date::constant(2019, 9, 9);
        let invalid = bad.validate_on(Date::constant(2019, 9, 2)).unwrap_err();
        let fields: Vec<&str> = invalid.0.iter().map(|error| error.field.as_str()).collect();
        assert_eq!(fields, ["needed_by", "referred_on"]);
    }
}
