//! Reading a preset file: TOML into raw records, then checks into the validated model.

use crate::model::{
    AreaSpec, BrokerageSpec, ChargingSpec, DemandSpec, EarlyStartIncentive, InHouseSpec,
    MarketSpec, Preset, RatesSpec, ShareGroup, WorkforceSpec,
};
use homeward_domain::brokerage::{AwardRule, CascadeRules, ReablementPolicy, Step, StepKind};
use homeward_domain::{
    ChargeBasis, ChargeTerms, CharterStage, Coordinates, Council, FundingRoute, Pence, Tier,
    TierRules, parse_date,
};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The presets built into Homeward, by name, from `presets/` at the repository root.
const BUILTIN: [(&str, &str); 5] = [
    (
        "west-sussex-2019",
        include_str!("../../../presets/west-sussex-2019.toml"),
    ),
    (
        "oxfordshire-2014",
        include_str!("../../../presets/oxfordshire-2014.toml"),
    ),
    (
        "norfolk-2014",
        include_str!("../../../presets/norfolk-2014.toml"),
    ),
    (
        "nottinghamshire-2013",
        include_str!("../../../presets/nottinghamshire-2013.toml"),
    ),
    (
        "worcestershire-2019",
        include_str!("../../../presets/worcestershire-2019.toml"),
    ),
];

/// A preset that cannot be used, with every problem found.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("preset {preset} is not valid:\n  {}", problems.join("\n  "))]
pub struct PresetError {
    /// The preset's name or file.
    pub preset: String,
    /// Each problem, naming the record and field.
    pub problems: Vec<String>,
}

/// The names of the built-in presets.
pub fn builtin_names() -> impl Iterator<Item = &'static str> {
    BUILTIN.iter().map(|(name, _)| *name)
}

/// A built-in preset by name.
pub fn builtin(name: &str) -> Result<Preset, PresetError> {
    match BUILTIN.iter().find(|(builtin, _)| *builtin == name) {
        Some((name, text)) => parse(name, text),
        None => Err(PresetError {
            preset: name.to_owned(),
            problems: vec![format!(
                "no such preset; choose one of: {}",
                builtin_names().collect::<Vec<_>>().join(", ")
            )],
        }),
    }
}

/// A built-in preset by name, or a preset file when `name_or_path` ends in `.toml`.
pub fn load(name_or_path: &str) -> Result<Preset, PresetError> {
    if !name_or_path.ends_with(".toml") {
        return builtin(name_or_path);
    }
    let text = std::fs::read_to_string(Path::new(name_or_path)).map_err(|error| PresetError {
        preset: name_or_path.to_owned(),
        problems: vec![format!("cannot read the file: {error}")],
    })?;
    parse(name_or_path, &text)
}

/// Parses and checks a preset's text; `origin` names it in errors.
pub fn parse(origin: &str, text: &str) -> Result<Preset, PresetError> {
    let raw: RawPreset = toml::from_str(text).map_err(|error| PresetError {
        preset: origin.to_owned(),
        problems: vec![error.to_string().trim().replace('\n', "\n  ")],
    })?;
    let mut checks = Checks::default();
    let preset = raw.into_preset(&mut checks);
    match preset {
        Some(preset) if checks.problems.is_empty() => Ok(preset),
        _ => Err(PresetError {
            preset: origin.to_owned(),
            problems: checks.problems,
        }),
    }
}

#[derive(Default)]
struct Checks {
    problems: Vec<String>,
}

impl Checks {
    fn fail(&mut self, path: impl std::fmt::Display, message: impl std::fmt::Display) {
        self.problems.push(format!("{path}: {message}"));
    }

    fn share(&mut self, path: &str, value: f64) -> f64 {
        if !(0.0..=1.0).contains(&value) {
            self.fail(path, format!("{value} must be a share between 0 and 1"));
        }
        value
    }

    fn date(&mut self, path: &str, text: &str) -> Option<jiff::civil::Date> {
        parse_date(text, path)
            .map_err(|error| self.fail(path, error.message))
            .ok()
    }

    fn pence(&mut self, path: &str, value: i64) -> Pence {
        if value <= 0 {
            self.fail(path, "must be more than zero pence");
        }
        Pence(value)
    }

    fn tier(&mut self, path: &str, number: i64) -> Option<Tier> {
        let tier = Tier::from_number(number);
        if tier.is_none() {
            self.fail(path, format!("{number} is not a tier from 1 to 4"));
        }
        tier
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPreset {
    id: String,
    council: String,
    source: String,
    reference_date: String,
    lot_cap_per_provider: u32,
    lead_tiers: Vec<i64>,
    secondary_tiers: Vec<i64>,
    #[serde(default)]
    assumptions: Vec<String>,
    tier_rules: RawTierRules,
    demand: RawDemand,
    market: RawMarket,
    rates: RawRates,
    charging: RawCharging,
    workforce: RawWorkforce,
    brokerage: RawBrokerage,
    areas: Vec<RawArea>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBrokerage {
    tier1: Vec<String>,
    tier2: Vec<String>,
    tier3: Vec<String>,
    tier4: Vec<String>,
    response_hours: BTreeMap<String, u32>,
    award: RawAward,
    reablement: String,
    target_pickup_days: u32,
    early_start_incentive: Option<RawIncentive>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAward {
    quality_weight: u32,
    price_weight: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIncentive {
    within_days: u32,
    amount_pence: i64,
}

impl RawBrokerage {
    fn into_spec(self, checks: &mut Checks) -> BrokerageSpec {
        let mut hours = BTreeMap::new();
        for (code, value) in &self.response_hours {
            match StepKind::parse(code, "brokerage.response_hours") {
                Ok(kind) if (1..=24 * 14).contains(value) => {
                    hours.insert(kind, *value);
                }
                Ok(_) => checks.fail(
                    format!("brokerage.response_hours.{code}"),
                    "must be from 1 to 336 hours",
                ),
                Err(error) => checks.fail(error.field, error.message),
            }
        }
        let mut ladder = |name: &str, codes: &[String]| -> Vec<Step> {
            let mut steps = Vec::new();
            for code in codes {
                match StepKind::parse(code, &format!("brokerage.{name}")) {
                    Ok(kind) if steps.iter().any(|step: &Step| step.kind == kind) => {
                        checks.fail(
                            format!("brokerage.{name}"),
                            format!("'{code}' is listed twice"),
                        );
                    }
                    Ok(kind) => match hours.get(&kind) {
                        Some(response_hours) => steps.push(Step {
                            kind,
                            response_hours: *response_hours,
                        }),
                        None => checks.fail(
                            "brokerage.response_hours",
                            format!("gives no hours for '{code}'"),
                        ),
                    },
                    Err(error) => checks.fail(error.field, error.message),
                }
            }
            if steps.is_empty() {
                checks.fail(format!("brokerage.{name}"), "needs at least one step");
            }
            steps
        };
        let ladders = [
            ladder("tier1", &self.tier1),
            ladder("tier2", &self.tier2),
            ladder("tier3", &self.tier3),
            ladder("tier4", &self.tier4),
        ];
        if self.award.quality_weight + self.award.price_weight != 100 {
            checks.fail(
                "brokerage.award",
                "quality_weight and price_weight must add up to 100",
            );
        }
        let reablement = ReablementPolicy::parse(&self.reablement, "brokerage.reablement")
            .map_err(|error| checks.fail(error.field, error.message))
            .unwrap_or(ReablementPolicy::None);
        let early_start_incentive = self.early_start_incentive.map(|raw| EarlyStartIncentive {
            within_days: raw.within_days,
            amount: checks.pence(
                "brokerage.early_start_incentive.amount_pence",
                raw.amount_pence,
            ),
        });
        BrokerageSpec {
            cascade: CascadeRules {
                ladders,
                award: AwardRule {
                    quality_weight: self.award.quality_weight,
                    price_weight: self.award.price_weight,
                },
            },
            reablement,
            target_pickup_days: self.target_pickup_days,
            early_start_incentive,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTierRules {
    level1_min_weekly_hours: u32,
    rural_level1_min_weekly_hours: u32,
    level2_min_weekly_hours: u32,
    level2_min_customers: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDemand {
    double_handed_share: f64,
    complex_needs_share: f64,
    funding_mix: BTreeMap<String, f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMarket {
    providers: u32,
    #[serde(default)]
    share_groups: Vec<RawShareGroup>,
    in_house: Option<RawInHouse>,
    #[serde(default)]
    block_contracts: u32,
    #[serde(default)]
    block_providers: u32,
    dynamic_market_share: f64,
    framework_from: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawShareGroup {
    providers: u32,
    share: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInHouse {
    name: String,
    share: f64,
    charter_stage: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRates {
    spot_hourly_pence: i64,
    block_hourly_pence: i64,
    unsocial_hours_enhancement_bp: u32,
    rural_enhancement_bp: u32,
    complexity_enhancement_bp: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCharging {
    spot: RawTerms,
    block: RawTerms,
    fund: RawTerms,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTerms {
    basis: String,
    increment_minutes: u16,
    minimum_minutes: u16,
}

impl RawCharging {
    fn into_spec(self, checks: &mut Checks) -> ChargingSpec {
        let mut terms = |name: &str, raw: RawTerms| {
            let path = format!("charging.{name}");
            let basis = ChargeBasis::parse(&raw.basis, "basis")
                .map_err(|error| checks.fail(format!("{path}.basis"), error.message))
                .unwrap_or(ChargeBasis::Actual);
            let terms = ChargeTerms {
                basis,
                increment_minutes: raw.increment_minutes,
                minimum_minutes: raw.minimum_minutes,
            };
            for problem in terms.problems() {
                // The contract's field names, as the preset spells them.
                let field = match problem.field.as_str() {
                    "charge_increment_minutes" => "increment_minutes",
                    _ => "minimum_minutes",
                };
                checks.fail(format!("{path}.{field}"), problem.message);
            }
            terms
        };
        ChargingSpec {
            spot: terms("spot", self.spot),
            block: terms("block", self.block),
            fund: terms("fund", self.fund),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWorkforce {
    weekly_hours_per_worker: u32,
    share_without_car: f64,
    share_cycling_without_car: f64,
    zero_hours_share: f64,
    guaranteed_hours_share: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawArea {
    name: String,
    tier: Option<i64>,
    customers: u32,
    weekly_hours: u32,
    latitude: f64,
    longitude: f64,
    #[serde(default)]
    rural: bool,
    district: String,
    #[serde(default)]
    hard_to_serve: bool,
}

impl RawPreset {
    fn into_preset(self, checks: &mut Checks) -> Option<Preset> {
        if self.id.trim().is_empty() {
            checks.fail("id", "is required");
        }
        let tier_rules = TierRules {
            level1_min_weekly_hours: self.tier_rules.level1_min_weekly_hours,
            rural_level1_min_weekly_hours: self.tier_rules.rural_level1_min_weekly_hours,
            level2_min_weekly_hours: self.tier_rules.level2_min_weekly_hours,
            level2_min_customers: self.tier_rules.level2_min_customers,
        };
        let lead_tiers = self
            .lead_tiers
            .iter()
            .enumerate()
            .filter_map(|(index, number)| checks.tier(&format!("lead_tiers[{index}]"), *number))
            .collect();
        let secondary_tiers = self
            .secondary_tiers
            .iter()
            .enumerate()
            .filter_map(|(index, number)| {
                checks.tier(&format!("secondary_tiers[{index}]"), *number)
            })
            .collect();
        let reference_date = checks.date("reference_date", &self.reference_date)?;
        let council = Council {
            name: self.council,
            preset: self.id.clone(),
            reference_date,
            tier_rules,
            lead_tiers,
            secondary_tiers,
            lot_cap_per_provider: self.lot_cap_per_provider,
        };
        if let Err(invalid) = council.validate() {
            for error in invalid.0 {
                checks.fail(error.field, error.message);
            }
        }
        let areas = self
            .areas
            .into_iter()
            .enumerate()
            .filter_map(|(index, area)| area.into_spec(index, &council.tier_rules, checks))
            .collect::<Vec<_>>();
        if areas.is_empty() {
            checks.fail("areas", "a preset needs at least one area");
        }
        let mut names = std::collections::HashSet::new();
        for area in &areas {
            if !names.insert(area.name.to_lowercase()) {
                checks.fail(format!("areas ({})", area.name), "the name is used twice");
            }
        }
        Some(Preset {
            id: self.id,
            source: self.source,
            council,
            areas,
            demand: self.demand.into_spec(checks),
            market: self.market.into_spec(checks)?,
            rates: RatesSpec {
                spot_hourly: checks.pence("rates.spot_hourly_pence", self.rates.spot_hourly_pence),
                block_hourly: checks
                    .pence("rates.block_hourly_pence", self.rates.block_hourly_pence),
                unsocial_hours_enhancement_bp: self.rates.unsocial_hours_enhancement_bp,
                rural_enhancement_bp: self.rates.rural_enhancement_bp,
                complexity_enhancement_bp: self.rates.complexity_enhancement_bp,
            },
            charging: self.charging.into_spec(checks),
            workforce: self.workforce.into_spec(checks),
            brokerage: self.brokerage.into_spec(checks),
            assumptions: self.assumptions,
        })
    }
}

impl RawArea {
    fn into_spec(self, index: usize, rules: &TierRules, checks: &mut Checks) -> Option<AreaSpec> {
        let path = format!("areas[{index}] ({})", self.name.trim());
        let problems_before = checks.problems.len();
        if self.name.trim().is_empty() {
            checks.fail(&path, "name is required");
        }
        if self.district.trim().is_empty() {
            checks.fail(format!("{path}.district"), "is required");
        }
        if self.customers > 0 && self.weekly_hours == 0 {
            checks.fail(
                format!("{path}.weekly_hours"),
                "customers need some hours of care",
            );
        }
        if self.weekly_hours > 0 && self.customers == 0 {
            checks.fail(
                format!("{path}.customers"),
                "hours of care need some customers",
            );
        }
        if self.customers > 0 && self.weekly_hours * 2 < self.customers {
            checks.fail(
                format!("{path}.weekly_hours"),
                "must give each customer at least 30 minutes a week",
            );
        }
        let centroid = Coordinates::from_degrees(self.latitude, self.longitude);
        if centroid.is_none() {
            checks.fail(
                format!("{path}.latitude"),
                "latitude and longitude must be valid degrees",
            );
        }
        let tier = match self.tier {
            Some(number) => checks.tier(&format!("{path}.tier"), number),
            None => Some(rules.classify(self.customers, self.weekly_hours * 60, self.rural)),
        };
        if checks.problems.len() > problems_before {
            return None;
        }
        Some(AreaSpec {
            name: self.name.trim().to_owned(),
            tier: tier?,
            customers: self.customers,
            weekly_hours: self.weekly_hours,
            centroid: centroid?,
            rural: self.rural,
            district: self.district.trim().to_owned(),
            hard_to_serve: self.hard_to_serve,
        })
    }
}

impl RawDemand {
    fn into_spec(self, checks: &mut Checks) -> DemandSpec {
        let mut funding_mix = Vec::new();
        for (code, share) in &self.funding_mix {
            match FundingRoute::parse(code, "demand.funding_mix") {
                Ok(route) => funding_mix.push((
                    route,
                    checks.share(&format!("demand.funding_mix.{code}"), *share),
                )),
                Err(error) => checks.fail(error.field, error.message),
            }
        }
        let total: f64 = funding_mix.iter().map(|(_, share)| share).sum();
        if (total - 1.0).abs() > 1e-6 {
            checks.fail(
                "demand.funding_mix",
                format!("shares add up to {total}, not 1"),
            );
        }
        funding_mix.sort_by_key(|(route, _)| *route);
        DemandSpec {
            double_handed_share: checks
                .share("demand.double_handed_share", self.double_handed_share),
            complex_needs_share: checks
                .share("demand.complex_needs_share", self.complex_needs_share),
            funding_mix,
        }
    }
}

impl RawMarket {
    fn into_spec(self, checks: &mut Checks) -> Option<MarketSpec> {
        if self.providers == 0 {
            checks.fail("market.providers", "must be at least 1");
        }
        let grouped: u32 = self.share_groups.iter().map(|group| group.providers).sum();
        let grouped_share: f64 = self.share_groups.iter().map(|group| group.share).sum();
        if grouped > self.providers {
            checks.fail(
                "market.share_groups",
                format!(
                    "name {grouped} providers but the market has {}",
                    self.providers
                ),
            );
        }
        let in_house = self.in_house.map(|raw| InHouseSpec {
            share: checks.share("market.in_house.share", raw.share),
            charter_stage: CharterStage::parse(&raw.charter_stage, "market.in_house.charter_stage")
                .map_err(|error| checks.fail(error.field, error.message))
                .unwrap_or(CharterStage::None),
            name: raw.name,
        });
        let in_house_share = in_house.as_ref().map_or(0.0, |spec| spec.share);
        if grouped_share + in_house_share > 1.0 + 1e-9 {
            checks.fail(
                "market.share_groups",
                "shares and the in-house share add up to more than 1",
            );
        }
        if grouped == self.providers && (grouped_share + in_house_share - 1.0).abs() > 1e-6 {
            checks.fail(
                "market.share_groups",
                "every provider is in a group, so the shares must add up to 1",
            );
        }
        if self.block_providers > self.providers
            || (self.block_contracts > 0) != (self.block_providers > 0)
        {
            checks.fail(
                "market.block_providers",
                "must be between 1 and the number of providers when there are block contracts",
            );
        }
        Some(MarketSpec {
            providers: self.providers,
            share_groups: self
                .share_groups
                .iter()
                .enumerate()
                .map(|(index, group)| ShareGroup {
                    providers: group.providers,
                    share: checks
                        .share(&format!("market.share_groups[{index}].share"), group.share),
                })
                .collect(),
            in_house,
            block_contracts: self.block_contracts,
            block_providers: self.block_providers,
            dynamic_market_share: checks
                .share("market.dynamic_market_share", self.dynamic_market_share),
            framework_from: checks.date("market.framework_from", &self.framework_from)?,
        })
    }
}

impl RawWorkforce {
    fn into_spec(self, checks: &mut Checks) -> WorkforceSpec {
        if !(1..=60).contains(&self.weekly_hours_per_worker) {
            checks.fail(
                "workforce.weekly_hours_per_worker",
                "must be between 1 and 60",
            );
        }
        if self.zero_hours_share + self.guaranteed_hours_share > 1.0 + 1e-9 {
            checks.fail(
                "workforce.guaranteed_hours_share",
                "zero-hours and guaranteed-hours shares add up to more than 1",
            );
        }
        WorkforceSpec {
            weekly_hours_per_worker: self.weekly_hours_per_worker,
            share_without_car: checks.share("workforce.share_without_car", self.share_without_car),
            share_cycling_without_car: checks.share(
                "workforce.share_cycling_without_car",
                self.share_cycling_without_car,
            ),
            zero_hours_share: checks.share("workforce.zero_hours_share", self.zero_hours_share),
            guaranteed_hours_share: checks.share(
                "workforce.guaranteed_hours_share",
                self.guaranteed_hours_share,
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            let classified = preset.council.tier_rules.classify(
                area.customers,
                area.weekly_hours * 60,
                area.rural,
            );
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
                .any(|problem| problem
                    .starts_with("charging.spot.increment_minutes: must be from 1")),
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
        let text = west_sussex_text_with("name = \"Bognor West\"", "name = \"Bognor East\"")
            .replacen("isf = 0.05", "isf = 0.15", 1);
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
}
