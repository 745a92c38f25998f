//! Tiers of areas, after West Sussex's 2019 levels, and the rule that classifies an area.

use crate::codes::{code_enum, impl_code_list};

code_enum! {
    /// How an area is served (West Sussex 2019).
    pub enum Tier {
        /// Level 1: urban, high volume; a lead and a secondary provider.
        Level1 => "1", "Level 1: urban, high volume";
        /// Level 2: smaller volume, more rural; a lead provider only.
        Level2 => "2", "Level 2: smaller volume, rural";
        /// Level 3: occasional need in large rural areas; the dynamic market and community options.
        Level3 => "3", "Level 3: occasional need";
        /// Level 4: the reserve; the dynamic market only.
        Level4 => "4", "Level 4: reserve";
    }
}

impl_code_list!(Tier);

impl Tier {
    /// The tier's number, 1 to 4.
    pub fn number(self) -> u8 {
        match self {
            Tier::Level1 => 1,
            Tier::Level2 => 2,
            Tier::Level3 => 3,
            Tier::Level4 => 4,
        }
    }

    /// The tier with this number, 1 to 4.
    pub fn from_number(number: i64) -> Option<Tier> {
        match number {
            1 => Some(Tier::Level1),
            2 => Some(Tier::Level2),
            3 => Some(Tier::Level3),
            4 => Some(Tier::Level4),
            _ => None,
        }
    }
}

/// Thresholds that turn an area's volume and rurality into a tier; each preset states its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TierRules {
    /// Weekly hours at or above which an urban area is Level 1.
    pub level1_min_weekly_hours: u32,
    /// Weekly hours at or above which a rural area is Level 1 (rural runs need more volume).
    pub rural_level1_min_weekly_hours: u32,
    /// Weekly hours at or above which an area is at least Level 2.
    pub level2_min_weekly_hours: u32,
    /// Customers at or above which an area is at least Level 2, whatever its hours.
    pub level2_min_customers: u32,
}

impl TierRules {
    /// West Sussex 2019: Level 1 areas run 700–1,300 hours, Level 2 240–450, Level 3 10–150.
    /// The thresholds sit in the gaps between those bands.
    pub fn west_sussex() -> TierRules {
        TierRules {
            level1_min_weekly_hours: 600,
            rural_level1_min_weekly_hours: 900,
            level2_min_weekly_hours: 200,
            level2_min_customers: 15,
        }
    }

    /// The tier of an area with this many customers and weekly minutes of care.
    ///
    /// No current demand means reserve (Level 4); the rest is volume first, with rural areas
    /// needing more volume for Level 1.
    pub fn classify(&self, customers: u32, weekly_minutes: u32, rural: bool) -> Tier {
        let weekly_hours = weekly_minutes / 60;
        if customers == 0 && weekly_minutes == 0 {
            return Tier::Level4;
        }
        let level1_min = if rural {
            self.rural_level1_min_weekly_hours
        } else {
            self.level1_min_weekly_hours
        };
        if weekly_hours >= level1_min {
            Tier::Level1
        } else if weekly_hours >= self.level2_min_weekly_hours
            || customers >= self.level2_min_customers
        {
            Tier::Level2
        } else {
            Tier::Level3
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn west_sussex_bands_classify_as_the_seed_table() {
        let rules = TierRules::west_sussex();
        // (customers, weekly hours, rural, seed level): the edges of each band in the 2019 table.
        let cases = [
            (50, 731, false, Tier::Level1), // East Grinstead, the smallest Level 1 by hours
            (110, 1_335, false, Tier::Level1), // Bognor West, the largest
            (42, 454, true, Tier::Level2),  // Midhurst & Petworth
            (18, 228, true, Tier::Level2),  // Crawley Down
            (11, 109, true, Tier::Level3),  // Mid Sussex Rural North
            (8, 153, true, Tier::Level3),   // Horsham Rural North
            (1, 8, true, Tier::Level3),     // Mid Sussex Rural South
        ];
        for (customers, hours, rural, expected) in cases {
            assert_eq!(
                rules.classify(customers, hours * 60, rural),
                expected,
                "{customers} customers, {hours} h"
            );
        }
    }

    #[test]
    fn rurality_raises_the_bar_for_level_1_and_no_demand_is_reserve() {
        let rules = TierRules::west_sussex();
        assert_eq!(rules.classify(60, 700 * 60, false), Tier::Level1);
        assert_eq!(rules.classify(60, 700 * 60, true), Tier::Level2);
        assert_eq!(rules.classify(0, 0, true), Tier::Level4);
        assert_eq!(rules.classify(16, 100 * 60, true), Tier::Level2);
    }

    #[test]
    fn tier_numbers_round_trip() {
        for tier in Tier::ALL {
            assert_eq!(Tier::from_number(i64::from(tier.number())), Some(*tier));
            assert_eq!(Tier::from_code(tier.code()), Some(*tier));
        }
        assert_eq!(Tier::from_number(5), None);
    }
}
