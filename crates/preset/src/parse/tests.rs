//! Tests of preset parsing: the built-in presets, and faulty files refused with each problem named.

use super::builtin::BUILTIN;
use super::*;
use homeward_domain::{ChargeBasis, Tier};

#[test]
fn every_builtin_preset_parses() {
    for name in builtin_names() {
        let preset = builtin(name).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(preset.id, name);
        assert_eq!(preset.council.preset, name);
    }
}

#[test]
fn west_sussex_has_the_seed_table() {
    let preset = builtin("west-sussex-2019").unwrap();
    let count = |tier| preset.areas.iter().filter(|area| area.tier == tier).count();
    assert_eq!(
        (
            count(Tier::Level1),
            count(Tier::Level2),
            count(Tier::Level3)
        ),
        (20, 9, 6)
    );
    assert_eq!(
        preset.areas.iter().map(|area| area.customers).sum::<u32>(),
        1_907
    );
    assert_eq!(
        preset
            .areas
            .iter()
            .map(|area| area.weekly_hours)
            .sum::<u32>(),
        23_572
    );
    let bognor_east = &preset.areas[0];
    assert_eq!(
        (
            bognor_east.name.as_str(),
            bognor_east.customers,
            bognor_east.weekly_hours
        ),
        ("Bognor East", 113, 1_206)
    );
}

#[test]
fn west_sussex_levels_agree_with_the_tier_rules() {
    let preset = builtin("west-sussex-2019").unwrap();
    for area in &preset.areas {
        let classified =
            preset
                .council
                .tier_rules
                .classify(area.customers, area.weekly_hours * 60, area.rural);
        assert_eq!(classified, area.tier, "{}", area.name);
    }
}

#[test]
fn unknown_presets_list_the_choices() {
    let error = builtin("kent-2020").unwrap_err();
    assert!(error.problems[0].contains("west-sussex-2019"));
}

fn west_sussex_text_with(replace: &str, with: &str) -> String {
    let text = BUILTIN[0].1;
    assert!(text.contains(replace), "fixture text missing: {replace}");
    text.replacen(replace, with, 1)
}

#[test]
fn malformed_toml_reports_the_line() {
    let text = west_sussex_text_with("customers = 113", "customers = many");
    let error = parse("broken.toml", &text).unwrap_err();
    assert_eq!(error.preset, "broken.toml");
    assert!(error.problems[0].contains("line"), "{}", error.problems[0]);
}

#[test]
fn bad_values_name_the_record_and_field() {
    let text = west_sussex_text_with("weekly_hours = 1206", "weekly_hours = 0");
    let text = text.replacen("tier = 1", "tier = 7", 1).replacen(
        "zero_hours_share = 0.61",
        "zero_hours_share = 1.61",
        1,
    );
    let problems = parse("broken.toml", &text).unwrap_err().problems;
    assert!(
        problems
            .iter()
            .any(|problem| problem.starts_with("areas[0] (Bognor East).weekly_hours:")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|problem| problem.starts_with("areas[0] (Bognor East).tier: 7 is not a tier")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|problem| problem.starts_with("workforce.zero_hours_share:")),
        "{problems:?}"
    );
}

#[test]
fn charging_terms_are_read_and_checked() {
    let preset = builtin("west-sussex-2019").unwrap();
    assert_eq!(preset.charging.spot.basis, ChargeBasis::Actual);
    assert_eq!(preset.charging.block.basis, ChargeBasis::Planned);
    let text = west_sussex_text_with(
        "spot = { basis = \"actual\", increment_minutes = 5,",
        "spot = { basis = \"booked\", increment_minutes = 0,",
    );
    let problems = parse("broken.toml", &text).unwrap_err().problems;
    assert!(
        problems
            .iter()
            .any(|problem| problem.starts_with("charging.spot.basis: 'booked' is not one of")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|problem| problem.starts_with("charging.spot.increment_minutes: must be from 1")),
        "{problems:?}"
    );
}

#[test]
fn unknown_fields_are_refused() {
    let text = west_sussex_text_with(
        "district = \"Arun\"",
        "district = \"Arun\"\ncolour = \"blue\"",
    );
    let error = parse("broken.toml", &text).unwrap_err();
    assert!(
        error.problems[0].contains("colour"),
        "{}",
        error.problems[0]
    );
}

#[test]
fn duplicate_area_names_and_bad_funding_mix_are_refused() {
    let text = west_sussex_text_with("name = \"Bognor West\"", "name = \"Bognor East\"").replacen(
        "isf = 0.05",
        "isf = 0.15",
        1,
    );
    let problems = parse("broken.toml", &text).unwrap_err().problems;
    assert!(
        problems
            .iter()
            .any(|problem| problem.contains("the name is used twice")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|problem| problem.starts_with("demand.funding_mix: shares add up")),
        "{problems:?}"
    );
}
