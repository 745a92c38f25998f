//! Lots and awards: lead and secondary providers per area, with the cap on lots per provider.

use crate::codes::{code_enum, impl_code_list};
use crate::{Area, AreaId, AwardId, Council, ProviderId};
use jiff::civil::Date;
use std::collections::HashMap;

code_enum! {
    /// A provider's place in an area's lot.
    pub enum LotPosition {
        /// First to be offered the area's packages.
        Lead => "lead", "Lead provider";
        /// Offered what the lead cannot take (West Sussex Level 1).
        Secondary => "secondary", "Secondary provider";
    }
}

impl_code_list!(LotPosition);

/// The award of an area's lot to a provider in a position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Award {
    /// Stable id.
    pub id: AwardId,
    /// The area (the lot).
    pub area_id: AreaId,
    /// The provider awarded.
    pub provider_id: ProviderId,
    /// Lead or secondary.
    pub position: LotPosition,
    /// The date the award starts.
    pub starts_on: Date,
}

/// A broken award rule, naming the award and the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwardIssue {
    /// The award that breaks the rule.
    pub award_id: AwardId,
    /// The field at fault.
    pub field: &'static str,
    /// What is wrong.
    pub message: String,
}

/// Checks a set of awards against the council's lot rules: the tier must have the position,
/// each area has at most one provider per position, a provider holds one position per area,
/// and no provider holds more lots than the cap.
pub fn check_awards(awards: &[Award], areas: &[Area], council: &Council) -> Vec<AwardIssue> {
    let tiers: HashMap<&AreaId, &Area> = areas.iter().map(|area| (&area.id, area)).collect();
    let mut issues = Vec::new();
    let mut held_positions: HashMap<(&AreaId, LotPosition), &AwardId> = HashMap::new();
    let mut provider_in_area: HashMap<(&AreaId, &ProviderId), &AwardId> = HashMap::new();
    let mut lots_per_provider: HashMap<&ProviderId, u32> = HashMap::new();
    for award in awards {
        let mut issue = |field, message: String| {
            issues.push(AwardIssue {
                award_id: award.id.clone(),
                field,
                message,
            })
        };
        let Some(area) = tiers.get(&award.area_id) else {
            issue("area_id", format!("area {} does not exist", award.area_id));
            continue;
        };
        if !council.tier_has_position(area.tier, award.position) {
            issue(
                "position",
                format!(
                    "{} areas have no {} provider",
                    area.tier.label(),
                    award.position.code()
                ),
            );
        }
        if let Some(other) = held_positions.insert((&award.area_id, award.position), &award.id) {
            issue(
                "position",
                format!(
                    "{} already holds the {} lot in {}",
                    other,
                    award.position.code(),
                    area.name
                ),
            );
        }
        if let Some(other) =
            provider_in_area.insert((&award.area_id, &award.provider_id), &award.id)
        {
            issue(
                "provider_id",
                format!("the provider already holds {} in {}", other, area.name),
            );
        }
        let held = lots_per_provider.entry(&award.provider_id).or_default();
        *held += 1;
        if *held > council.lot_cap_per_provider {
            issue(
                "provider_id",
                format!(
                    "the provider would hold more than the cap of {} lots",
                    council.lot_cap_per_provider
                ),
            );
        }
    }
    issues
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Coordinates, Tier};

    fn area(suffix: &str, tier: Tier) -> Area {
        Area {
            id: AreaId::from_suffix(suffix).unwrap(),
            name: suffix.into(),
            centroid: Coordinates::from_degrees(51.0, -0.5).unwrap(),
            boundary: None,
            tier,
            rural: false,
            district: "Test".into(),
            hard_to_serve: false,
        }
    }

    fn award(suffix: &str, area: &str, provider: &str, position: LotPosition) -> Award {
        Award {
            id: AwardId::from_suffix(suffix).unwrap(),
            area_id: AreaId::from_suffix(area).unwrap(),
            provider_id: ProviderId::from_suffix(provider).unwrap(),
            position,
            starts_on: Date::constant(2020, 4, 1),
        }
    }

    fn fields(issues: &[AwardIssue]) -> Vec<(&str, &'static str)> {
        issues
            .iter()
            .map(|issue| (issue.award_id.as_str(), issue.field))
            .collect()
    }

    #[test]
    fn west_sussex_lots_follow_the_tier() {
        let council = Council::example_west_sussex();
        let areas = [
            area("aaaa", Tier::Level1),
            area("bbbb", Tier::Level2),
            area("cccc", Tier::Level3),
        ];
        let good = [
            award("a001", "aaaa", "p001", LotPosition::Lead),
            award("a002", "aaaa", "p002", LotPosition::Secondary),
            award("a003", "bbbb", "p002", LotPosition::Lead),
        ];
        assert!(check_awards(&good, &areas, &council).is_empty());
        let bad = [
            award("a004", "bbbb", "p001", LotPosition::Secondary),
            award("a005", "cccc", "p001", LotPosition::Lead),
        ];
        assert_eq!(
            fields(&check_awards(&bad, &areas, &council)),
            [("awd_a004", "position"), ("awd_a005", "position")]
        );
    }

    #[test]
    fn one_provider_per_position_and_one_position_per_provider() {
        let council = Council::example_west_sussex();
        let areas = [area("aaaa", Tier::Level1)];
        let awards = [
            award("a001", "aaaa", "p001", LotPosition::Lead),
            award("a002", "aaaa", "p002", LotPosition::Lead),
            award("a003", "aaaa", "p001", LotPosition::Secondary),
        ];
        assert_eq!(
            fields(&check_awards(&awards, &areas, &council)),
            [("awd_a002", "position"), ("awd_a003", "provider_id")]
        );
    }

    #[test]
    fn the_cap_on_lots_per_provider_holds() {
        let mut council = Council::example_west_sussex();
        council.lot_cap_per_provider = 2;
        let areas = [
            area("aaaa", Tier::Level1),
            area("bbbb", Tier::Level1),
            area("cccc", Tier::Level1),
        ];
        let awards = [
            award("a001", "aaaa", "p001", LotPosition::Lead),
            award("a002", "bbbb", "p001", LotPosition::Lead),
            award("a003", "cccc", "p001", LotPosition::Secondary),
        ];
        assert_eq!(
            fields(&check_awards(&awards, &areas, &council)),
            [("awd_a003", "provider_id")]
        );
    }

    #[test]
    fn unknown_areas_are_named() {
        let council = Council::example_west_sussex();
        let awards = [award("a001", "zzzz", "p001", LotPosition::Lead)];
        assert_eq!(
            fields(&check_awards(&awards, &[], &council)),
            [("awd_a001", "area_id")]
        );
    }
}
