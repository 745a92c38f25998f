//! The provider market: providers sized by the preset's shares, their branches, the areas they
//! cover and the lots awarded to them.

use crate::names;
use crate::random::{chance, normal, pick, stream, suffix, weighted_index};
use homeward_domain::{
    Admission, AdmissionRoute, Area, Award, AwardId, Branch, BranchId, CharterStage, CqcLocationId,
    CqcRating, LotPosition, Provider, ProviderId, Service,
};
use homeward_preset::Preset;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeSet;

/// Weekly hours a branch typically runs; more hours mean more branches.
const HOURS_PER_BRANCH: f64 = 700.0;
const MAX_BRANCHES: usize = 6;
/// How far from a branch a provider will take packages.
const COVERAGE_KM: f64 = 12.0;

/// A provider with what the generator needs to know of it.
pub(crate) struct PlannedProvider {
    pub provider: Provider,
    /// Its target share of the council's hours.
    pub share: f64,
    /// Indices into the plan's branches.
    pub branches: Vec<usize>,
    /// Indices into the areas it takes packages in.
    pub covered_areas: Vec<usize>,
}

/// The market before any people are placed.
pub(crate) struct MarketPlan {
    pub providers: Vec<PlannedProvider>,
    pub branches: Vec<Branch>,
    /// For each branch, the index of its provider.
    pub branch_owner: Vec<usize>,
    pub awards: Vec<Award>,
}

impl MarketPlan {
    /// The provider holding `position` in the area, if any.
    pub fn holder(&self, area: &Area, position: LotPosition) -> Option<usize> {
        let award = self
            .awards
            .iter()
            .find(|award| award.area_id == area.id && award.position == position)?;
        self.providers
            .iter()
            .position(|planned| planned.provider.id == award.provider_id)
    }
}

pub(crate) fn plan(preset: &Preset, areas: &[Area], seed: u64) -> MarketPlan {
    let mut rng = stream(seed, "providers");
    let shares = shares(preset);
    let mut taken_names = BTreeSet::new();
    let mut taken_locations = BTreeSet::new();
    let mut providers = Vec::new();
    for (index, share) in shares.iter().enumerate() {
        let in_house = preset
            .market
            .in_house
            .as_ref()
            .filter(|_| index == 0 && shares.len() > preset.market.providers as usize);
        let name = match in_house {
            Some(spec) => spec.name.clone(),
            None => names::provider(&mut rng, &mut taken_names),
        };
        let dynamic_market =
            in_house.is_none() && chance(&mut rng, preset.market.dynamic_market_share);
        providers.push(PlannedProvider {
            provider: provider(
                &mut rng,
                preset,
                name,
                in_house.map(|spec| spec.charter_stage),
                dynamic_market,
                &mut taken_locations,
            ),
            share: *share,
            branches: Vec::new(),
            covered_areas: Vec::new(),
        });
    }
    let demand: Vec<f64> = preset
        .areas
        .iter()
        .map(|area| f64::from(area.weekly_hours))
        .collect();
    let total_hours: f64 = demand.iter().sum();
    let mut branches = Vec::new();
    let mut branch_owner = Vec::new();
    for (provider_index, planned) in providers.iter_mut().enumerate() {
        let wanted = ((planned.share * total_hours / HOURS_PER_BRANCH).round() as usize)
            .clamp(1, MAX_BRANCHES);
        let mut weights = demand.clone();
        for _ in 0..wanted {
            let Some(area_index) = weighted_index(&mut rng, &weights) else {
                break;
            };
            weights[area_index] = 0.0;
            let area = &areas[area_index];
            planned.branches.push(branches.len());
            branch_owner.push(provider_index);
            branches.push(Branch {
                id: BranchId::from_suffix(&suffix(&mut rng, 10)).expect("valid suffix"),
                provider_id: planned.provider.id.clone(),
                name: format!("{}, {}", planned.provider.name, area.name),
                area_id: area.id.clone(),
                location: area
                    .centroid
                    .offset_km(normal(&mut rng) * 0.8, normal(&mut rng) * 0.8),
            });
        }
    }
    cover_areas(&mut providers, &branches, areas, preset);
    let awards = award_lots(&mut rng, preset, areas, &providers);
    MarketPlan {
        providers,
        branches,
        branch_owner,
        awards,
    }
}

/// Each provider's share of hours: the in-house provider first, then the preset's groups, then
/// the rest with a long tail.
fn shares(preset: &Preset) -> Vec<f64> {
    let market = &preset.market;
    let mut shares = Vec::new();
    let in_house_share = market.in_house.as_ref().map_or(0.0, |spec| spec.share);
    if market.in_house.is_some() {
        shares.push(in_house_share);
    }
    let mut grouped = 0;
    let mut grouped_share = 0.0;
    for group in &market.share_groups {
        // A gentle slope inside each group so its members differ in size.
        let weights: Vec<f64> = (0..group.providers)
            .map(|index| 1.0 - 0.04 * f64::from(index))
            .collect();
        let total: f64 = weights.iter().sum();
        shares.extend(weights.iter().map(|weight| group.share * weight / total));
        grouped += group.providers;
        grouped_share += group.share;
    }
    let rest = market.providers - grouped;
    let rest_share = (1.0 - in_house_share - grouped_share).max(0.0);
    let weights: Vec<f64> = (0..rest)
        .map(|index| 1.0 / (f64::from(index) + 3.0))
        .collect();
    let total: f64 = weights.iter().sum();
    shares.extend(weights.iter().map(|weight| rest_share * weight / total));
    shares
}

fn provider(
    rng: &mut ChaCha8Rng,
    preset: &Preset,
    name: String,
    in_house_stage: Option<CharterStage>,
    dynamic_market: bool,
    taken_locations: &mut BTreeSet<String>,
) -> Provider {
    let cqc_location_id = loop {
        let digits: u64 = rng.random_range(100_000_000..1_000_000_000);
        let candidate = format!("1-{digits}");
        if taken_locations.insert(candidate.clone()) {
            break CqcLocationId::parse(&candidate, "cqc_location_id").expect("valid CQC id");
        }
    };
    // Roughly the spread of CQC ratings of domiciliary care agencies in England.
    let cqc_rating = *pick(
        rng,
        &[
            (CqcRating::Outstanding, 0.04),
            (CqcRating::Good, 0.76),
            (CqcRating::RequiresImprovement, 0.16),
            (CqcRating::Inadequate, 0.01),
            (CqcRating::NotRated, 0.03),
        ],
    );
    let mut services = vec![Service::PersonalCare];
    let optional = [
        (Service::DementiaCare, 0.6),
        (Service::EndOfLife, 0.4),
        (Service::NightCare, 0.25),
        (Service::LiveIn, 0.15),
        (Service::ComplexCare, 0.3),
        (Service::LearningDisability, 0.2),
        (Service::Reablement, 0.1),
    ];
    for (service, share) in optional {
        if chance(rng, share) {
            services.push(service);
        }
    }
    let charter_stage = in_house_stage.unwrap_or_else(|| {
        *pick(
            rng,
            &[
                (CharterStage::None, 0.5),
                (CharterStage::Stage1, 0.3),
                (CharterStage::Stage2, 0.15),
                (CharterStage::Stage3, 0.05),
            ],
        )
    });
    if in_house_stage.is_some() {
        services.extend([Service::Reablement, Service::NightCare]);
    }
    services.sort();
    services.dedup();
    let framework_from = preset.market.framework_from;
    let mut admissions = vec![Admission {
        route: AdmissionRoute::Framework,
        admitted_on: framework_from,
    }];
    if dynamic_market {
        let days = rng.random_range(0..365);
        let admitted_on = framework_from
            .checked_add(jiff::Span::new().days(days))
            .unwrap_or(framework_from);
        admissions.push(Admission {
            route: AdmissionRoute::DynamicMarket,
            admitted_on,
        });
    }
    Provider {
        id: ProviderId::from_suffix(&suffix(rng, 10)).expect("valid suffix"),
        name,
        cqc_location_id: Some(cqc_location_id),
        cqc_rating,
        services,
        charter_stage,
        in_house: in_house_stage.is_some(),
        admissions,
    }
}

/// A provider covers the areas near its branches; the council's own provider covers every area,
/// and every area with demand is covered by at least the provider with the nearest branch.
fn cover_areas(
    providers: &mut [PlannedProvider],
    branches: &[Branch],
    areas: &[Area],
    preset: &Preset,
) {
    for planned in providers.iter_mut() {
        planned.covered_areas = (0..areas.len())
            .filter(|&area_index| {
                planned.provider.in_house
                    || planned.branches.iter().any(|&branch| {
                        branches[branch]
                            .location
                            .distance_km(areas[area_index].centroid)
                            <= COVERAGE_KM
                    })
            })
            .collect();
    }
    for (area_index, area) in areas.iter().enumerate() {
        let covered = providers
            .iter()
            .any(|planned| planned.covered_areas.contains(&area_index));
        if covered || preset.areas[area_index].customers == 0 {
            continue;
        }
        let nearest = (0..providers.len()).min_by(|&a, &b| {
            let distance = |index: usize| {
                providers[index]
                    .branches
                    .iter()
                    .map(|&branch| branches[branch].location.distance_km(area.centroid))
                    .fold(f64::INFINITY, f64::min)
            };
            distance(a).total_cmp(&distance(b))
        });
        if let Some(nearest) = nearest {
            providers[nearest].covered_areas.push(area_index);
        }
    }
}

/// Awards each area's lead and secondary lots, as its tier allows, to independent providers
/// covering the area, weighted by size, within the cap on lots per provider.
fn award_lots(
    rng: &mut ChaCha8Rng,
    preset: &Preset,
    areas: &[Area],
    providers: &[PlannedProvider],
) -> Vec<Award> {
    let council = &preset.council;
    let mut lots_held = vec![0u32; providers.len()];
    let mut awards = Vec::new();
    for (area_index, area) in areas.iter().enumerate() {
        let mut holders_here = Vec::new();
        for position in [LotPosition::Lead, LotPosition::Secondary] {
            if !council.tier_has_position(area.tier, position) {
                continue;
            }
            let weights: Vec<f64> = providers
                .iter()
                .enumerate()
                .map(|(index, planned)| {
                    let eligible = !planned.provider.in_house
                        && planned.covered_areas.contains(&area_index)
                        && lots_held[index] < council.lot_cap_per_provider
                        && !holders_here.contains(&index);
                    if eligible { planned.share } else { 0.0 }
                })
                .collect();
            let Some(winner) = weighted_index(rng, &weights) else {
                continue;
            };
            lots_held[winner] += 1;
            holders_here.push(winner);
            awards.push(Award {
                id: AwardId::from_suffix(&suffix(rng, 10)).expect("valid suffix"),
                area_id: area.id.clone(),
                provider_id: providers[winner].provider.id.clone(),
                position,
                starts_on: council.reference_date,
            });
        }
    }
    awards
}
