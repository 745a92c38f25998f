//! A preset file's records as TOML gives them, before any check: each refuses fields it does
//! not know.

use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPreset {
    pub(super) id: String,
    pub(super) council: String,
    pub(super) source: String,
    pub(super) reference_date: String,
    pub(super) lot_cap_per_provider: u32,
    pub(super) lead_tiers: Vec<i64>,
    pub(super) secondary_tiers: Vec<i64>,
    #[serde(default)]
    pub(super) assumptions: Vec<String>,
    pub(super) tier_rules: RawTierRules,
    pub(super) demand: RawDemand,
    pub(super) market: RawMarket,
    pub(super) rates: RawRates,
    pub(super) charging: RawCharging,
    pub(super) workforce: RawWorkforce,
    pub(super) brokerage: RawBrokerage,
    pub(super) areas: Vec<RawArea>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTierRules {
    pub(super) level1_min_weekly_hours: u32,
    pub(super) rural_level1_min_weekly_hours: u32,
    pub(super) level2_min_weekly_hours: u32,
    pub(super) level2_min_customers: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDemand {
    pub(super) double_handed_share: f64,
    pub(super) complex_needs_share: f64,
    pub(super) funding_mix: BTreeMap<String, f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMarket {
    pub(super) providers: u32,
    #[serde(default)]
    pub(super) share_groups: Vec<RawShareGroup>,
    pub(super) in_house: Option<RawInHouse>,
    #[serde(default)]
    pub(super) block_contracts: u32,
    #[serde(default)]
    pub(super) block_providers: u32,
    pub(super) dynamic_market_share: f64,
    pub(super) framework_from: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawShareGroup {
    pub(super) providers: u32,
    pub(super) share: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawInHouse {
    pub(super) name: String,
    pub(super) share: f64,
    pub(super) charter_stage: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRates {
    pub(super) spot_hourly_pence: i64,
    pub(super) block_hourly_pence: i64,
    pub(super) unsocial_hours_enhancement_bp: u32,
    pub(super) rural_enhancement_bp: u32,
    pub(super) complexity_enhancement_bp: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCharging {
    pub(super) spot: RawTerms,
    pub(super) block: RawTerms,
    pub(super) fund: RawTerms,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTerms {
    pub(super) basis: String,
    pub(super) increment_minutes: u16,
    pub(super) minimum_minutes: u16,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWorkforce {
    pub(super) weekly_hours_per_worker: u32,
    pub(super) share_without_car: f64,
    pub(super) share_cycling_without_car: f64,
    pub(super) zero_hours_share: f64,
    pub(super) guaranteed_hours_share: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBrokerage {
    pub(super) tier1: Vec<String>,
    pub(super) tier2: Vec<String>,
    pub(super) tier3: Vec<String>,
    pub(super) tier4: Vec<String>,
    pub(super) response_hours: BTreeMap<String, u32>,
    pub(super) award: RawAward,
    pub(super) reablement: String,
    pub(super) target_pickup_days: u32,
    pub(super) early_start_incentive: Option<RawIncentive>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAward {
    pub(super) quality_weight: u32,
    pub(super) price_weight: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawIncentive {
    pub(super) within_days: u32,
    pub(super) amount_pence: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawArea {
    pub(super) name: String,
    pub(super) tier: Option<i64>,
    pub(super) customers: u32,
    pub(super) weekly_hours: u32,
    pub(super) latitude: f64,
    pub(super) longitude: f64,
    #[serde(default)]
    pub(super) rural: bool,
    pub(super) district: String,
    #[serde(default)]
    pub(super) hard_to_serve: bool,
}
