//! Contracts: a spot contract for every independent provider, block contracts for the largest
//! where the preset has blocks, a block for the council's own provider, and individual service
//! fund contracts where providers hold people's ISFs; each charges under the preset's terms for
//! its kind.

use crate::people::Placed;
use crate::providers::MarketPlan;
use crate::random::{stream, suffix};
use homeward_domain::{
    AreaId, Contract, ContractId, ContractKind, Enhancements, FundingRoute, Pence,
};
use homeward_preset::Preset;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;

/// Share of a provider's current hours in an area that a block guarantees.
const BLOCK_GUARANTEE: f64 = 0.8;

pub(crate) fn generate(
    preset: &Preset,
    plan: &MarketPlan,
    placed: &Placed,
    seed: u64,
) -> Vec<Contract> {
    let mut rng = stream(seed, "contracts");
    let rates = &preset.rates;
    let enhancements = Enhancements {
        unsocial_hours_bp: rates.unsocial_hours_enhancement_bp,
        rural_bp: rates.rural_enhancement_bp,
        complexity_bp: rates.complexity_enhancement_bp,
    };
    let minutes = minutes_by_provider_and_area(placed);
    let starts_on = preset.market.framework_from;
    let contract = |rng: &mut ChaCha8Rng,
                    provider: usize,
                    area: Option<AreaId>,
                    kind,
                    rate: Pence,
                    guaranteed: u32| Contract {
        id: ContractId::from_suffix(&suffix(rng, 10)).expect("valid suffix"),
        provider_id: plan.providers[provider].provider.id.clone(),
        area_id: area,
        kind,
        hourly_rate: rate,
        enhancements,
        guaranteed_weekly_minutes: guaranteed,
        charge_terms: preset.charging.terms_for(kind),
        starts_on,
        ends_on: None,
    };
    let mut contracts = Vec::new();
    // Providers by size, largest first: the block contracts go to the largest.
    let mut by_size: Vec<usize> = (0..plan.providers.len())
        .filter(|&index| !plan.providers[index].provider.in_house)
        .collect();
    by_size.sort_by(|&a, &b| plan.providers[b].share.total_cmp(&plan.providers[a].share));
    for &provider in &by_size {
        // Spot rates vary a little around the preset's figure, as negotiated rates do.
        let rate = Pence(rates.spot_hourly.0 + rng.random_range(-40..=40));
        contracts.push(contract(
            &mut rng,
            provider,
            None,
            ContractKind::Spot,
            rate,
            0,
        ));
    }
    let block_holders: Vec<usize> = by_size
        .iter()
        .copied()
        .take(preset.market.block_providers as usize)
        .collect();
    for block in 0..preset.market.block_contracts as usize {
        if block_holders.is_empty() {
            break;
        }
        let provider = block_holders[block % block_holders.len()];
        let round = block / block_holders.len();
        // Each holder's blocks go to its busiest areas, one block per area.
        let Some((area, area_minutes)) = minutes
            .get(&provider)
            .and_then(|areas| nth_busiest(areas, round))
        else {
            continue;
        };
        let guaranteed = ((area_minutes * BLOCK_GUARANTEE) / 60.0).round().max(1.0) as u32 * 60;
        contracts.push(contract(
            &mut rng,
            provider,
            Some(area),
            ContractKind::Block,
            rates.block_hourly,
            guaranteed,
        ));
    }
    for (index, planned) in plan.providers.iter().enumerate() {
        if planned.provider.in_house
            && let Some((area, area_minutes)) =
                minutes.get(&index).and_then(|areas| nth_busiest(areas, 0))
        {
            let guaranteed = ((area_minutes * BLOCK_GUARANTEE) / 60.0).round().max(1.0) as u32 * 60;
            contracts.push(contract(
                &mut rng,
                index,
                Some(area),
                ContractKind::Block,
                rates.block_hourly,
                guaranteed,
            ));
        }
    }
    let mut isf_holders: Vec<usize> = placed
        .packages
        .iter()
        .enumerate()
        .filter(|(index, _)| {
            placed.people[placed.package_person[*index]].funding_route
                == FundingRoute::IndividualServiceFund
        })
        .map(|(index, _)| placed.package_provider[index])
        .collect();
    isf_holders.sort();
    isf_holders.dedup();
    for provider in isf_holders {
        contracts.push(contract(
            &mut rng,
            provider,
            None,
            ContractKind::IndividualServiceFund,
            rates.spot_hourly,
            0,
        ));
    }
    contracts
}

/// Weekly minutes each provider delivers in each area, in a stable order.
fn minutes_by_provider_and_area(placed: &Placed) -> BTreeMap<usize, BTreeMap<AreaId, f64>> {
    let mut minutes: BTreeMap<usize, BTreeMap<AreaId, f64>> = BTreeMap::new();
    for (index, package) in placed.packages.iter().enumerate() {
        let area = placed.people[placed.package_person[index]].area_id.clone();
        *minutes
            .entry(placed.package_provider[index])
            .or_default()
            .entry(area)
            .or_default() += f64::from(package.weekly_minutes());
    }
    minutes
}

fn nth_busiest(areas: &BTreeMap<AreaId, f64>, rank: usize) -> Option<(AreaId, f64)> {
    let mut ranked: Vec<(&AreaId, &f64)> = areas.iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(a.1).then_with(|| a.0.cmp(b.0)));
    ranked
        .get(rank)
        .map(|(area, minutes)| ((*area).clone(), **minutes))
}
