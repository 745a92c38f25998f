//! The pick-up clock: days from referral to the first visit, and their spread by area.

use super::referral::AccessRoute;
use crate::{AreaId, ReferralId, Tier};
use jiff::civil::Date;
use std::collections::BTreeMap;

/// A placed package's pick-up: when it was referred and when care started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pickup {
    /// The referral.
    pub referral_id: ReferralId,
    /// The person's area.
    pub area_id: AreaId,
    /// The area's tier.
    pub tier: Tier,
    /// How the referral came.
    pub route: AccessRoute,
    /// The day of the referral.
    pub referred_on: Date,
    /// The day of the first visit.
    pub started_on: Date,
}

impl Pickup {
    /// Whole days from referral to the first visit (0 when care started the same day).
    pub fn days(&self) -> i32 {
        (self.started_on - self.referred_on).get_days()
    }
}

/// How pick-up times are spread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Distribution {
    /// How many packages.
    pub count: usize,
    /// The median, in days (nearest rank).
    pub median_days: i32,
    /// The 90th percentile, in days (nearest rank).
    pub p90_days: i32,
    /// The longest, in days.
    pub max_days: i32,
    /// How many started within the target.
    pub within_target: usize,
}

/// The spread of `days` against a target in days; `None` for no packages.
pub fn distribution(days: &[i32], target_days: i32) -> Option<Distribution> {
    if days.is_empty() {
        return None;
    }
    let mut sorted = days.to_vec();
    sorted.sort_unstable();
    // Nearest rank: the value at position ⌈p × n⌉, counting from 1.
    let rank = |percent: usize| sorted[(sorted.len() * percent).div_ceil(100).max(1) - 1];
    Some(Distribution {
        count: sorted.len(),
        median_days: rank(50),
        p90_days: rank(90),
        max_days: sorted[sorted.len() - 1],
        within_target: sorted.iter().filter(|days| **days <= target_days).count(),
    })
}

/// The spread of pick-up times in each area.
pub fn by_area(pickups: &[Pickup], target_days: i32) -> BTreeMap<AreaId, Distribution> {
    let mut days: BTreeMap<AreaId, Vec<i32>> = BTreeMap::new();
    for pickup in pickups {
        days.entry(pickup.area_id.clone())
            .or_default()
            .push(pickup.days());
    }
    days.into_iter()
        .filter_map(|(area, days)| distribution(&days, target_days).map(|spread| (area, spread)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_median_and_ninetieth_percentile() {
        // Sorted: 0 1 2 3 3 4 8 9 12 20. Median: rank 5 → 3. 90th: rank 9 → 12.
        let spread = distribution(&[3, 12, 0, 8, 1, 20, 3, 2, 9, 4], 3).unwrap();
        assert_eq!(
            (
                spread.count,
                spread.median_days,
                spread.p90_days,
                spread.max_days,
                spread.within_target
            ),
            (10, 3, 12, 20, 5)
        );
        assert_eq!(distribution(&[7], 3).unwrap().p90_days, 7);
        assert_eq!(distribution(&[], 3), None);
    }

    #[test]
    fn days_count_whole_calendar_days() {
        let pickup = Pickup {
            referral_id: ReferralId::from_suffix("test").unwrap(),
            area_id: AreaId::from_suffix("test").unwrap(),
            tier: Tier::Level1,
            route: AccessRoute::Community,
            referred_on: Date::constant(2019, 3, 29),
            started_on: Date::constant(2019, 4, 2),
        };
        assert_eq!(pickup.days(), 4);
        let grouped = by_area(
            &[
                pickup.clone(),
                Pickup {
                    started_on: Date::constant(2019, 3, 29),
                    ..pickup
                },
            ],
            3,
        );
        assert_eq!(grouped.values().next().unwrap().median_days, 0);
    }
}
