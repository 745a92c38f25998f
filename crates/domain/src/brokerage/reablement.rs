//! Reablement first: which referrals go to reablement, and what its outcome sends onward.

use super::referral::{AccessRoute, Needs, Referral};
use crate::codes::{code_enum, impl_code_list};
use crate::{FieldError, ReferralId};
use jiff::civil::Date;

/// The longest a reablement episode runs.
pub const MAX_REABLEMENT_DAYS: i32 = 42;

code_enum! {
    /// A preset's rule for sending referrals to reablement first.
    pub enum ReablementPolicy {
        /// Everyone who can benefit (Norfolk: reablement as the gateway to home care).
        AllWhoCanBenefit => "all-who-can-benefit", "Everyone who can benefit";
        /// Only hospital discharges who can benefit.
        HospitalDischarges => "hospital-discharges", "Hospital discharges who can benefit";
        /// No one: referrals go straight to the cascade.
        None => "none", "No reablement first";
    }
}

code_enum! {
    /// How a reablement episode ended.
    pub enum ReablementOutcome {
        /// The person needs no further care.
        NoFurtherCare => "no-further-care", "No further care";
        /// Less care than first assessed.
        ReducedCare => "reduced-care", "Reduced care";
        /// The same care as first assessed.
        SameCare => "same-care", "Same care";
    }
}

impl_code_list!(ReablementPolicy, ReablementOutcome);

impl ReablementPolicy {
    /// Whether `referral` goes to reablement before the cascade. A referral coming out of
    /// reablement never goes back in.
    pub fn sends_to_reablement(self, referral: &Referral) -> bool {
        if !referral.reablement_potential || referral.route == AccessRoute::EndOfReablement {
            return false;
        }
        match self {
            ReablementPolicy::AllWhoCanBenefit => true,
            ReablementPolicy::HospitalDischarges => {
                referral.route == AccessRoute::HospitalDischarge
            }
            ReablementPolicy::None => false,
        }
    }
}

impl ReablementOutcome {
    /// The onward referral an episode's end makes, if any: a new referral on `ended_on` with the
    /// revised needs (the same needs for [`ReablementOutcome::SameCare`]).
    ///
    /// Reduced care must ask for less than the first referral, and an episode lasts at most six
    /// weeks; otherwise the error names the field.
    pub fn onward_referral(
        self,
        first: &Referral,
        onward_id: ReferralId,
        started_on: Date,
        ended_on: Date,
        revised: Option<Needs>,
    ) -> Result<Option<Referral>, FieldError> {
        let days = (ended_on - started_on).get_days();
        if ended_on < started_on {
            return Err(FieldError::new(
                "ended_on",
                "The episode cannot end before it started",
            ));
        }
        if days > MAX_REABLEMENT_DAYS {
            return Err(FieldError::new(
                "ended_on",
                "A reablement episode lasts at most six weeks",
            ));
        }
        let needs = match (self, revised) {
            (ReablementOutcome::NoFurtherCare, _) => return Ok(None),
            (ReablementOutcome::SameCare, _) => first.needs.clone(),
            (ReablementOutcome::ReducedCare, Some(needs))
                if needs.weekly_minutes() < first.needs.weekly_minutes() =>
            {
                needs
            }
            (ReablementOutcome::ReducedCare, Some(_)) => {
                return Err(FieldError::new(
                    "visit_pattern",
                    "Reduced care must be less than the care first referred",
                ));
            }
            (ReablementOutcome::ReducedCare, None) => {
                return Err(FieldError::new(
                    "visit_pattern",
                    "Enter the reduced care the person needs",
                ));
            }
        };
        Ok(Some(Referral {
            id: onward_id,
            route: AccessRoute::EndOfReablement,
            needs,
            reablement_potential: false,
            referred_on: ended_on,
            needed_by: ended_on,
            discharge_on: None,
            ..first.clone()
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::WeeklyPattern;
    use crate::brokerage::referral::tests::referral;

    #[test]
    fn norfolk_sends_everyone_who_can_benefit_and_others_only_discharges() {
        let community = referral(AccessRoute::Community);
        let discharge = referral(AccessRoute::HospitalDischarge);
        assert!(ReablementPolicy::AllWhoCanBenefit.sends_to_reablement(&community));
        assert!(!ReablementPolicy::HospitalDischarges.sends_to_reablement(&community));
        assert!(ReablementPolicy::HospitalDischarges.sends_to_reablement(&discharge));
        assert!(!ReablementPolicy::None.sends_to_reablement(&discharge));
        let mut no_potential = community.clone();
        no_potential.reablement_potential = false;
        assert!(!ReablementPolicy::AllWhoCanBenefit.sends_to_reablement(&no_potential));
        let onward = referral(AccessRoute::EndOfReablement);
        assert!(!ReablementPolicy::AllWhoCanBenefit.sends_to_reablement(&onward));
    }

    #[test]
    fn outcomes_make_the_onward_referral() {
        let first = referral(AccessRoute::HospitalDischarge);
        let id = || ReferralId::from_suffix("next").unwrap();
        let (start, end) = (Date::constant(2019, 9, 4), Date::constant(2019, 10, 9));
        assert_eq!(
            ReablementOutcome::NoFurtherCare
                .onward_referral(&first, id(), start, end, None)
                .unwrap(),
            None
        );
        let same = ReablementOutcome::SameCare
            .onward_referral(&first, id(), start, end, None)
            .unwrap()
            .unwrap();
        assert_eq!(
            (same.route, same.referred_on, &same.needs),
            (AccessRoute::EndOfReablement, end, &first.needs)
        );
        let less = Needs {
            pattern: WeeklyPattern::parse("daily 08:00 30m").unwrap(),
            skills: vec![],
            complex: false,
        };
        let reduced = ReablementOutcome::ReducedCare
            .onward_referral(&first, id(), start, end, Some(less.clone()))
            .unwrap()
            .unwrap();
        assert_eq!(reduced.needs, less);
        assert!(
            !reduced.reablement_potential,
            "an onward referral does not go back into reablement"
        );
    }

    #[test]
    fn episodes_are_six_weeks_at_most_and_reduced_means_less() {
        let first = referral(AccessRoute::Community);
        let id = || ReferralId::from_suffix("next").unwrap();
        let start = Date::constant(2019, 9, 4);
        let error = ReablementOutcome::SameCare
            .onward_referral(&first, id(), start, Date::constant(2019, 10, 17), None)
            .unwrap_err();
        assert_eq!(error.field, "ended_on");
        let more = Needs {
            pattern: WeeklyPattern::parse("daily 08:00 2h").unwrap(),
            skills: vec![],
            complex: false,
        };
        let error = ReablementOutcome::ReducedCare
            .onward_referral(&first, id(), start, start, Some(more))
            .unwrap_err();
        assert_eq!(error.field, "visit_pattern");
    }
}
