//! The council whose market Homeward runs, and its market rules.

use crate::validation::required_text;
use crate::{FieldError, Invalid, LotPosition, Tier, TierRules};
use jiff::civil::Date;

/// The commissioning council and the rules of its market, as its preset sets them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Council {
    /// Full name ("West Sussex County Council"), shown in the page header.
    pub name: String,
    /// The preset the market was built from (`west-sussex-2019`), or `custom`.
    pub preset: String,
    /// The date the register describes: customers and hours are counted on it.
    pub reference_date: Date,
    /// Thresholds that classify areas into tiers.
    pub tier_rules: TierRules,
    /// Tiers whose areas have a lead provider.
    pub lead_tiers: Vec<Tier>,
    /// Tiers whose areas also have a secondary provider.
    pub secondary_tiers: Vec<Tier>,
    /// The most lots one provider may hold.
    pub lot_cap_per_provider: u32,
}

impl Council {
    /// Whether areas of `tier` have a provider in `position`.
    pub fn tier_has_position(&self, tier: Tier, position: LotPosition) -> bool {
        match position {
            LotPosition::Lead => self.lead_tiers.contains(&tier),
            LotPosition::Secondary => self.secondary_tiers.contains(&tier),
        }
    }

    /// Checks the rules a stored council must meet.
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut errors = Vec::new();
        if let Err(error) = required_text(&self.name, "name", 120) {
            errors.push(error);
        }
        if let Err(error) = required_text(&self.preset, "preset", 60) {
            errors.push(error);
        }
        if self.lot_cap_per_provider == 0 {
            errors.push(FieldError::new(
                "lot_cap_per_provider",
                "must be at least 1",
            ));
        }
        if let Some(tier) = self
            .secondary_tiers
            .iter()
            .find(|tier| !self.lead_tiers.contains(tier))
        {
            errors.push(FieldError::new(
                "secondary_tiers",
                format!("tier {} has a secondary but no lead", tier.number()),
            ));
        }
        let rules = &self.tier_rules;
        if rules.level2_min_weekly_hours > rules.level1_min_weekly_hours
            || rules.level1_min_weekly_hours > rules.rural_level1_min_weekly_hours
        {
            errors.push(FieldError::new(
                "tier_rules",
                "thresholds must rise: level 2 ≤ level 1 ≤ rural level 1",
            ));
        }
        Invalid::check(errors)
    }

    /// West Sussex 2019's rules, for tests and examples.
    pub fn example_west_sussex() -> Council {
        Council {
            name: "West Sussex County Council".into(),
            preset: "west-sussex-2019".into(),
            reference_date: Date::constant(2019, 8, 7),
            tier_rules: TierRules::west_sussex(),
            lead_tiers: vec![Tier::Level1, Tier::Level2],
            secondary_tiers: vec![Tier::Level1],
            lot_cap_per_provider: 4,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn west_sussex_example_is_valid_and_has_its_lots() {
        let council = Council::example_west_sussex();
        assert!(council.validate().is_ok());
        assert!(council.tier_has_position(Tier::Level1, LotPosition::Secondary));
        assert!(!council.tier_has_position(Tier::Level2, LotPosition::Secondary));
        assert!(!council.tier_has_position(Tier::Level3, LotPosition::Lead));
    }

    #[test]
    fn a_secondary_needs_a_lead_and_the_cap_is_positive() {
        let mut council = Council::example_west_sussex();
        council.secondary_tiers.push(Tier::Level3);
        council.lot_cap_per_provider = 0;
        let Invalid(errors) = council.validate().unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|error| error.field.as_str()).collect();
        assert_eq!(fields, ["lot_cap_per_provider", "secondary_tiers"]);
    }
}
