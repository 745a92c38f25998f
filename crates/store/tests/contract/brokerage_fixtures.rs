//! Brokerage records built by hand on the fixture market: referrals of its people, offers to
//! its providers, placements and capacity returns of its branches.

use super::fixtures::{self, area_id, package, person_id, provider_id};
use homeward_domain::brokerage::{AccessRoute, Needs, Offer, Referral, StepKind};
use homeward_domain::brokerage::{CapacityReturn, Placement};
use homeward_domain::{
    BranchId, CarePackage, FundingRoute, OfferId, PackageId, ReferralId, Skill, WeeklyPattern,
};
use homeward_store::Store;
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use std::sync::Arc;

/// The account the brokerage records are made by.
pub const BROKER: &str = "acc_broker";

/// The market the brokerage records refer to.
pub async fn with_market(store: &Arc<dyn Store>) {
    store
        .replace_market(&fixtures::market(), "homeward demo")
        .await
        .unwrap();
}

/// The day the fixture's referrals are made.
pub const REFERRED_ON: Date = Date::constant(2019, 8, 5);

pub fn referral_id(suffix: &str) -> ReferralId {
    ReferralId::from_suffix(suffix).unwrap()
}

pub fn offer_id(suffix: &str) -> OfferId {
    OfferId::from_suffix(suffix).unwrap()
}

pub fn branch_id(suffix: &str) -> BranchId {
    BranchId::from_suffix(suffix).unwrap()
}

/// `minutes` after 09:00 UTC on the day the referrals are made, plus `micros`.
pub fn instant(minutes: i64, micros: i64) -> Timestamp {
    "2019-08-05T09:00:00Z".parse::<Timestamp>().unwrap()
        + SignedDuration::from_mins(minutes)
        + SignedDuration::from_micros(micros)
}

/// A referral from the community for Ada, in Bognor East, with skills in no particular order.
pub fn referral(suffix: &str) -> Referral {
    Referral {
        id: referral_id(suffix),
        person_id: person_id("ada1"),
        area_id: area_id("bognor-east"),
        route: AccessRoute::Community,
        needs: Needs {
            pattern: WeeklyPattern::parse("daily 08:00 45m x2; Mon-Fri 19:30 30m").unwrap(),
            skills: vec![Skill::Hoist, Skill::Dementia],
            complex: true,
        },
        funding_route: FundingRoute::CouncilArranged,
        reablement_potential: false,
        referred_on: REFERRED_ON,
        needed_by: Date::constant(2019, 8, 12),
        discharge_on: None,
    }
}

/// A hospital discharge for Cyd, in Midhurst, with reablement potential.
pub fn discharge(suffix: &str) -> Referral {
    Referral {
        id: referral_id(suffix),
        person_id: person_id("cyd3"),
        area_id: area_id("midhurst"),
        route: AccessRoute::HospitalDischarge,
        needs: Needs {
            pattern: WeeklyPattern::parse("Tue,Fri 10:00 1h").unwrap(),
            skills: vec![],
            complex: false,
        },
        funding_route: FundingRoute::ContinuingHealthCare,
        reablement_potential: true,
        referred_on: REFERRED_ON,
        needed_by: Date::constant(2019, 8, 7),
        discharge_on: Some(Date::constant(2019, 8, 6)),
    }
}

/// An unanswered offer to `provider`, sent `sent` minutes into the day, open for four hours.
pub fn offer(suffix: &str, provider: &str, step_index: usize, step: StepKind, sent: i64) -> Offer {
    Offer {
        id: offer_id(suffix),
        provider_id: provider_id(provider),
        step_index,
        step,
        sent_at: instant(sent, 0),
        deadline: instant(sent + 4 * 60, 0),
        response: None,
    }
}

/// The placement of a referral with `offer`'s provider, starting on 8 August 2019.
pub fn placement(offer: &Offer, package_suffix: &str, placed: i64) -> Placement {
    Placement {
        offer_id: offer.id.clone(),
        provider_id: offer.provider_id.clone(),
        step: offer.step,
        package_id: PackageId::from_suffix(package_suffix).unwrap(),
        started_on: Date::constant(2019, 8, 8),
        placed_at: instant(placed, 123),
    }
}

/// The package a placement makes for Ada, delivered by the placement's provider.
pub fn placed_package(placement: &Placement) -> CarePackage {
    let mut package = package(
        placement
            .package_id
            .as_str()
            .trim_start_matches(PackageId::PREFIX)
            .trim_start_matches('_'),
        "ada1",
        "daily 08:00 45m x2; Mon-Fri 19:30 30m",
        placement.started_on,
        None,
    );
    package.provider_id = Some(placement.provider_id.clone());
    package
}

/// A return from Downs Home Care's Bognor branch.
pub fn capacity(area: &str, week_of: Date, hours: u32, returned: i64) -> CapacityReturn {
    CapacityReturn {
        branch_id: branch_id("downs-bognor"),
        provider_id: provider_id("ab-z"),
        area_id: area_id(area),
        week_of,
        hours,
        returned_at: instant(returned, 0),
    }
}
