//! Whole-generator tests on the real presets.

use super::*;
use homeward_domain::{LotPosition, TravelMode, area_demand, check_awards};
use std::collections::HashMap;

fn west_sussex(seed: u64) -> (Preset, Market) {
    let preset = homeward_preset::builtin("west-sussex-2019").unwrap();
    let market = generate(&preset, seed, &mut NoProgress);
    (preset, market)
}

#[test]
fn the_same_seed_gives_the_same_market_and_another_seed_another() {
    let (_, first) = west_sussex(1);
    let (_, again) = west_sussex(1);
    let (_, other) = west_sussex(2);
    assert_eq!(first, again);
    assert_ne!(first.people, other.people);
    assert_eq!(first.areas, other.areas, "areas come from the preset alone");
}

#[test]
fn every_preset_area_gets_its_customers_and_hours_exactly() {
    for name in homeward_preset::builtin_names() {
        let preset = homeward_preset::builtin(name).unwrap();
        let market = generate(&preset, 1, &mut NoProgress);
        let demand = area_demand(
            &market.people,
            &market.packages,
            preset.council.reference_date,
        );
        for (area, spec) in market.areas.iter().zip(&preset.areas) {
            let figures = demand.get(&area.id).copied().unwrap_or_default();
            assert_eq!(figures.customers, spec.customers, "{name}: {}", area.name);
            assert_eq!(
                figures.weekly_minutes,
                spec.weekly_hours * 60,
                "{name}: {}",
                area.name
            );
        }
    }
}

#[test]
fn every_record_meets_the_domain_rules() {
    for name in homeward_preset::builtin_names() {
        let preset = homeward_preset::builtin(name).unwrap();
        let market = generate(&preset, 7, &mut NoProgress);
        market.council.validate().unwrap();
        market
            .areas
            .iter()
            .for_each(|record| record.validate().unwrap());
        market
            .providers
            .iter()
            .for_each(|record| record.validate().unwrap());
        market
            .branches
            .iter()
            .for_each(|record| record.validate().unwrap());
        market.contracts.iter().for_each(|record| {
            record
                .validate()
                .unwrap_or_else(|error| panic!("{name}: {error}"))
        });
        market
            .people
            .iter()
            .for_each(|record| record.validate().unwrap());
        market
            .packages
            .iter()
            .for_each(|record| record.validate().unwrap());
        market
            .workers
            .iter()
            .for_each(|record| record.validate().unwrap());
        assert!(
            check_awards(&market.awards, &market.areas, &market.council).is_empty(),
            "{name}"
        );
    }
}

#[test]
fn west_sussex_lots_follow_the_levels() {
    let (_, market) = west_sussex(1);
    let count = |position| {
        market
            .awards
            .iter()
            .filter(|award| award.position == position)
            .count()
    };
    // 20 Level 1 areas with a lead and a secondary, 9 Level 2 with a lead only.
    assert_eq!(count(LotPosition::Lead), 29);
    assert_eq!(count(LotPosition::Secondary), 20);
}

#[test]
fn packages_average_about_ten_hours_and_peak_morning_and_evening() {
    let (_, market) = west_sussex(1);
    let total_minutes: u32 = market
        .packages
        .iter()
        .map(|package| package.weekly_minutes())
        .sum();
    let mean_hours = f64::from(total_minutes) / 60.0 / market.packages.len() as f64;
    assert!((10.0..14.0).contains(&mean_hours), "{mean_hours}");
    let mut visits_by_hour = [0u32; 24];
    for package in &market.packages {
        for slot in package.pattern.slots() {
            visits_by_hour[slot.start().hour() as usize] += slot.visits_per_week();
        }
    }
    let morning: u32 = visits_by_hour[7..10].iter().sum();
    let evening: u32 = visits_by_hour[19..22].iter().sum();
    let afternoon: u32 = visits_by_hour[13..16].iter().sum();
    assert!(
        morning > 3 * afternoon && evening > 3 * afternoon,
        "{visits_by_hour:?}"
    );
}

/// The share of all commissioned hours held by the `count` largest providers.
fn share_of_largest(preset_name: &str, seed: u64, count: usize) -> f64 {
    let preset = homeward_preset::builtin(preset_name).unwrap();
    let market = generate(&preset, seed, &mut NoProgress);
    let mut minutes: HashMap<_, u32> = HashMap::new();
    for package in &market.packages {
        *minutes
            .entry(package.provider_id.clone().unwrap())
            .or_default() += package.weekly_minutes();
    }
    let mut sizes: Vec<u32> = minutes.into_values().collect();
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    let total: u32 = sizes.iter().sum();
    f64::from(sizes.iter().take(count).sum::<u32>()) / f64::from(total)
}

#[test]
fn providers_are_sized_by_the_preset_shares() {
    for seed in 1..=4 {
        // Nottinghamshire: seven of the 30 framework providers hold over 60% of the business.
        let top_seven = share_of_largest("nottinghamshire-2013", seed, 7);
        assert!(
            (0.58..0.68).contains(&top_seven),
            "seed {seed}: {top_seven}"
        );
        // Oxfordshire: ten providers deliver half of the council's purchased care.
        let top_ten = share_of_largest("oxfordshire-2014", seed, 10);
        assert!((0.46..0.58).contains(&top_ten), "seed {seed}: {top_ten}");
    }
}

#[test]
fn workers_cover_the_hours_and_some_have_no_car() {
    let (preset, market) = west_sussex(1);
    let contracted: u32 = market
        .workers
        .iter()
        .map(|worker| worker.contracted_weekly_minutes)
        .sum();
    let commissioned: u32 = preset.areas.iter().map(|area| area.weekly_hours * 60).sum();
    assert!(contracted >= commissioned, "{contracted} < {commissioned}");
    let without_car = market
        .workers
        .iter()
        .filter(|worker| worker.travel_mode != TravelMode::Car)
        .count();
    let share = without_car as f64 / market.workers.len() as f64;
    assert!((0.05..0.16).contains(&share), "{share}");
}

#[test]
fn slugs_make_valid_stable_ids() {
    assert_eq!(slug("Selsey & Witterings"), "selsey-witterings");
    assert_eq!(slug("Crawley NE"), "crawley-ne");
    assert_eq!(slug("Bo"), "boxx");
}

#[test]
fn contracts_charge_under_the_presets_terms_for_their_kind() {
    for name in ["west-sussex-2019", "norfolk-2014"] {
        let preset = homeward_preset::builtin(name).unwrap();
        let market = generate(&preset, 3, &mut crate::NoProgress);
        for contract in &market.contracts {
            assert_eq!(
                contract.charge_terms,
                preset.charging.terms_for(contract.kind),
                "{name} {}",
                contract.id
            );
        }
    }
    // Norfolk's blocks are among them, so more than one kind's terms are exercised.
    let norfolk = homeward_preset::builtin("norfolk-2014").unwrap();
    let market = generate(&norfolk, 3, &mut crate::NoProgress);
    assert!(
        market
            .contracts
            .iter()
            .any(|contract| contract.kind == homeward_domain::ContractKind::Block)
    );
}
