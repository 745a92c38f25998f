//! The checks from raw records into the validated model: each field checked, each problem
//! noted with its record and field, and the [`Preset`] built when there are none.

use crate::model::{
    AreaSpec, BrokerageSpec, ChargingSpec, DemandSpec, EarlyStartIncentive, InHouseSpec,
    MarketSpec, Preset, RatesSpec, ShareGroup, WorkforceSpec,
};
use homeward_domain::brokerage::{AwardRule, CascadeRules, ReablementPolicy, Step, StepKind};
use homeward_domain::{
    ChargeBasis, ChargeTerms, CharterStage, Coordinates, Council, FundingRoute, TierRules,
};
use std::collections::BTreeMap;

use super::checks::Checks;
use super::raw::{
    RawArea, RawBrokerage, RawCharging, RawDemand, RawMarket, RawPreset, RawTerms, RawWorkforce,
};

impl RawPreset {
    pub(super) fn into_preset(self, checks: &mut Checks) -> Option<Preset> {
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
