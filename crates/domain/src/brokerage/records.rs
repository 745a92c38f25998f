//! What brokerage keeps of a referral once it is made: where it stands, how it was placed, its
//! reablement episode, and the capacity returns and early-start incentives around it.
//!
//! These are the records brokerage works with, not a storage detail: the application decides on
//! them and the store keeps them as they are.

use super::{ReablementOutcome, Referral, StepKind};
use crate::{
    AreaId, BranchId, FieldError, Invalid, OfferId, PackageId, Pence, ProviderId, ReferralId,
};
use jiff::Timestamp;
use jiff::civil::Date;

/// Where a referral stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReferralStatus {
    /// In a reablement episode, before any cascade.
    Reablement,
    /// Being offered down the cascade.
    Offering,
    /// Placed: a package exists and starts on the placement's date.
    Placed,
    /// Nobody left to ask: on the waiting list.
    Unplaced,
    /// Closed without a package (no further care after reablement, or withdrawn).
    Closed,
}

impl ReferralStatus {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            ReferralStatus::Reablement => "reablement",
            ReferralStatus::Offering => "offering",
            ReferralStatus::Placed => "placed",
            ReferralStatus::Unplaced => "unplaced",
            ReferralStatus::Closed => "closed",
        }
    }

    /// The status with this code.
    pub fn from_code(code: &str) -> Option<ReferralStatus> {
        [
            Self::Reablement,
            Self::Offering,
            Self::Placed,
            Self::Unplaced,
            Self::Closed,
        ]
        .into_iter()
        .find(|status| status.code() == code)
    }
}

/// A placement: who won the referral, with which offer, and the package it made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// The winning offer.
    pub offer_id: OfferId,
    /// Its provider.
    pub provider_id: ProviderId,
    /// The step it was won at.
    pub step: StepKind,
    /// The package created.
    pub package_id: PackageId,
    /// The first day of care: the pick-up clock stops here.
    pub started_on: Date,
    /// When it was placed.
    pub placed_at: Timestamp,
}

/// A reablement episode of a referral.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReablementEpisode {
    /// The referral that went to reablement.
    pub referral_id: ReferralId,
    /// The first day.
    pub started_on: Date,
    /// The last day and the outcome, once it has ended.
    pub ended: Option<(Date, ReablementOutcome)>,
    /// The onward referral it made, if any.
    pub onward_referral_id: Option<ReferralId>,
}

/// A referral with where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralRecord {
    /// The referral.
    pub referral: Referral,
    /// Its status.
    pub status: ReferralStatus,
    /// Its placement, while it stands placed.
    pub placement: Option<Placement>,
    /// When the referral was recorded: set by the store when it is created, to the microsecond.
    pub created_at: Timestamp,
}

/// A branch's weekly capacity return: hours of new care it can take on in an area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapacityReturn {
    /// The branch.
    pub branch_id: BranchId,
    /// The provider of the branch.
    pub provider_id: ProviderId,
    /// The area.
    pub area_id: AreaId,
    /// The Monday of the week it is for.
    pub week_of: Date,
    /// Hours a week of new care it can take on.
    pub hours: u32,
    /// When it was returned.
    pub returned_at: Timestamp,
}

/// An early-start incentive earned by a placement, to be paid with the provider's invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incentive {
    /// The referral placed early.
    pub referral_id: ReferralId,
    /// The provider earning it.
    pub provider_id: ProviderId,
    /// The amount.
    pub amount: Pence,
    /// Days from referral to the first visit.
    pub pickup_days: i32,
    /// The day care started (the placement's first day): the incentive is paid with the
    /// provider's invoice for the period holding it.
    pub starts_on: Date,
}

impl CapacityReturn {
    /// A capacity return's own rules: its week is named by its Monday
    /// ([`super::starts_a_capacity_week`]).
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut errors = Vec::new();
        if !super::starts_a_capacity_week(self.week_of) {
            errors.push(FieldError::new(
                "week_of",
                "A capacity return is for a week starting on a Monday",
            ));
        }
        Invalid::check(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn capacity(week_of: Date) -> CapacityReturn {
        CapacityReturn {
            branch_id: BranchId::from_suffix("branch").unwrap(),
            provider_id: ProviderId::from_suffix("provider").unwrap(),
            area_id: AreaId::from_suffix("area").unwrap(),
            week_of,
            hours: 10,
            returned_at: Timestamp::UNIX_EPOCH,
        }
    }

    #[test]
    fn a_capacity_return_names_its_week_by_its_monday() {
        assert!(capacity(date(2026, 12, 7)).validate().is_ok());
        let errors = capacity(date(2026, 12, 8)).validate().unwrap_err();
        assert_eq!(errors.0[0].field, "week_of");
    }
}
