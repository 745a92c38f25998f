//! People receiving care, placed around their area's centre, each with one running package
//! delivered by a provider that covers the area.

use crate::pattern_builder;
use crate::providers::MarketPlan;
use crate::random::{chance, normal, pick, stream, suffix, weighted_index};
use crate::{Progress, names};
use homeward_domain::{
    Area, CarePackage, FundingRoute, LotPosition, NhsNumber, PackageId, Person, PersonId, Skill,
    SupportReason,
};
use homeward_preset::Preset;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeSet;

const QUARTER_HOUR: u32 = 15;
/// How far people live from the area's centre (standard deviation, km): wider where rural.
const URBAN_SPREAD_KM: f64 = 1.3;
const RURAL_SPREAD_KM: f64 = 3.5;
/// Turnover: the seeds report about 40% of cases a year, so packages are a year or two old on average.
const MEAN_PACKAGE_AGE_DAYS: f64 = 550.0;
/// The lead is offered each package first, the secondary next: they end up with more of the area.
const LEAD_WEIGHT: f64 = 2.0;
const SECONDARY_WEIGHT: f64 = 1.5;
/// Rounds of fitting the quotas to the areas' demand and the providers' shares; it converges fast.
const FITTING_ROUNDS: usize = 50;

/// The people and packages of the demo, and who delivers each package.
pub(crate) struct Placed {
    pub people: Vec<Person>,
    pub packages: Vec<CarePackage>,
    /// For each package, the index of its provider in the market plan.
    pub package_provider: Vec<usize>,
    /// For each package, the index of its person.
    pub package_person: Vec<usize>,
}

pub(crate) fn generate(
    preset: &Preset,
    areas: &[Area],
    plan: &MarketPlan,
    seed: u64,
    progress: &mut dyn Progress,
) -> Placed {
    let mut rng = stream(seed, "people");
    let total_customers: u32 = preset.areas.iter().map(|area| area.customers).sum();
    progress.stage("people", u64::from(total_customers));
    let quotas = area_quotas(preset, areas, plan);
    let mut references = BTreeSet::new();
    let initials: String = preset
        .council
        .name
        .split_whitespace()
        .filter_map(|word| word.chars().next())
        .filter(char::is_ascii_uppercase)
        .collect();
    let mut placed = Placed {
        people: Vec::new(),
        packages: Vec::new(),
        package_provider: Vec::new(),
        package_person: Vec::new(),
    };
    for (area_index, (area, spec)) in areas.iter().zip(&preset.areas).enumerate() {
        let sizes = package_sizes(&mut rng, spec.customers, spec.weekly_hours * 60);
        let mut assigned = vec![0.0; plan.providers.len()];
        for weekly_minutes in sizes {
            let person = person(&mut rng, preset, area, &initials, &mut references);
            let provider_index = choose_provider(&mut rng, &quotas[area_index], &assigned);
            assigned[provider_index] += f64::from(weekly_minutes);
            let package = package(
                &mut rng,
                preset,
                &person,
                plan,
                provider_index,
                weekly_minutes,
            );
            placed.package_provider.push(provider_index);
            placed.package_person.push(placed.people.len());
            placed.people.push(person);
            placed.packages.push(package);
            progress.advance(1);
        }
    }
    placed
}

/// Sizes in carer minutes for `customers` packages adding up to exactly `total_minutes`:
/// a right-skewed spread around the area's mean, in quarter hours, at least half an hour each.
fn package_sizes(rng: &mut ChaCha8Rng, customers: u32, total_minutes: u32) -> Vec<u32> {
    if customers == 0 {
        return Vec::new();
    }
    let total_quarters = total_minutes / QUARTER_HOUR;
    let minimum = 2;
    let draws: Vec<f64> = (0..customers)
        .map(|_| (0.55 * normal(rng)).exp().min(5.0))
        .collect();
    let sum: f64 = draws.iter().sum();
    let mut quarters: Vec<u32> = draws
        .iter()
        .map(|draw| ((draw / sum * f64::from(total_quarters)).round() as u32).max(minimum))
        .collect();
    // Rounding leaves the total a little off: walk it back a quarter hour at a time.
    let mut difference =
        i64::from(total_quarters) - quarters.iter().map(|&q| i64::from(q)).sum::<i64>();
    let mut index = rng.random_range(0..quarters.len());
    while difference != 0 {
        if difference > 0 {
            quarters[index] += 1;
            difference -= 1;
        } else if quarters[index] > minimum {
            quarters[index] -= 1;
            difference += 1;
        }
        index = (index + 1) % quarters.len();
    }
    quarters.into_iter().map(|q| q * QUARTER_HOUR).collect()
}

fn person(
    rng: &mut ChaCha8Rng,
    preset: &Preset,
    area: &Area,
    initials: &str,
    references: &mut BTreeSet<String>,
) -> Person {
    let spread = if area.rural {
        RURAL_SPREAD_KM
    } else {
        URBAN_SPREAD_KM
    };
    let location = area
        .centroid
        .offset_km(normal(rng) * spread, normal(rng) * spread);
    let funding_route = *pick(rng, &preset.demand.funding_mix);
    let support_reason = *pick(
        rng,
        &[
            (SupportReason::PhysicalSupport, 0.60),
            (SupportReason::MemoryAndCognition, 0.18),
            (SupportReason::MentalHealth, 0.07),
            (SupportReason::LearningDisability, 0.06),
            (SupportReason::SocialSupport, 0.05),
            (SupportReason::SensorySupport, 0.04),
        ],
    );
    let council_reference = loop {
        let candidate = format!("{initials}{:07}", rng.random_range(0..10_000_000));
        if references.insert(candidate.clone()) {
            break candidate;
        }
    };
    Person {
        id: PersonId::from_suffix(&suffix(rng, 12)).expect("valid suffix"),
        council_reference,
        nhs_number: Some(test_range_nhs_number(rng)),
        name: names::person(rng),
        area_id: area.id.clone(),
        location,
        funding_route,
        support_reason,
        complex_needs: funding_route == FundingRoute::ContinuingHealthCare
            || chance(rng, preset.demand.complex_needs_share),
    }
}

/// An NHS number in the 999 range, which the NHS keeps for testing and never issues.
fn test_range_nhs_number(rng: &mut ChaCha8Rng) -> NhsNumber {
    loop {
        let mut digits = vec![9, 9, 9];
        digits.extend((0..6).map(|_| rng.random_range(0..10u32)));
        if let Some(check) = NhsNumber::check_digit(&digits) {
            digits.push(check);
            let text: String = digits
                .iter()
                .map(|digit| char::from_digit(*digit, 10).unwrap_or('0'))
                .collect();
            return NhsNumber::parse(&text, "nhs_number").expect("check digit computed");
        }
    }
}

/// How many minutes each provider should take in each area: the area's demand split among the
/// providers covering it so that, over all areas, each provider comes close to its share.
/// Iterative proportional fitting, starting from coverage weighted by lot position.
fn area_quotas(preset: &Preset, areas: &[Area], plan: &MarketPlan) -> Vec<Vec<f64>> {
    let demand: Vec<f64> = preset
        .areas
        .iter()
        .map(|area| f64::from(area.weekly_hours) * 60.0)
        .collect();
    let total: f64 = demand.iter().sum();
    let targets: Vec<f64> = plan
        .providers
        .iter()
        .map(|planned| planned.share * total)
        .collect();
    let mut quotas: Vec<Vec<f64>> = areas
        .iter()
        .enumerate()
        .map(|(area_index, area)| {
            let lead = plan.holder(area, LotPosition::Lead);
            let secondary = plan.holder(area, LotPosition::Secondary);
            (0..plan.providers.len())
                .map(|index| match () {
                    _ if !plan.providers[index].covered_areas.contains(&area_index) => 0.0,
                    _ if Some(index) == lead => LEAD_WEIGHT,
                    _ if Some(index) == secondary => SECONDARY_WEIGHT,
                    _ => 1.0,
                })
                .collect()
        })
        .collect();
    for _ in 0..FITTING_ROUNDS {
        for (provider, target) in targets.iter().enumerate() {
            let column: f64 = quotas.iter().map(|row| row[provider]).sum();
            if column > 0.0 {
                quotas
                    .iter_mut()
                    .for_each(|row| row[provider] *= target / column);
            }
        }
        for (row, area_demand) in quotas.iter_mut().zip(&demand) {
            let sum: f64 = row.iter().sum();
            if sum > 0.0 {
                row.iter_mut().for_each(|quota| *quota *= area_demand / sum);
            }
        }
    }
    quotas
}

/// A provider covering the area, weighted by what is left of its quota there.
fn choose_provider(rng: &mut ChaCha8Rng, quotas: &[f64], assigned: &[f64]) -> usize {
    let weights: Vec<f64> = quotas
        .iter()
        .zip(assigned)
        .map(|(quota, assigned)| {
            if *quota > 0.0 {
                (quota - assigned).max(quota * 0.001)
            } else {
                0.0
            }
        })
        .collect();
    weighted_index(rng, &weights).unwrap_or(0)
}

fn package(
    rng: &mut ChaCha8Rng,
    preset: &Preset,
    person: &Person,
    plan: &MarketPlan,
    provider_index: usize,
    weekly_minutes: u32,
) -> CarePackage {
    let double_handed = weekly_minutes >= 7 * 60
        && weekly_minutes.is_multiple_of(30)
        && chance(rng, preset.demand.double_handed_share);
    let carers = if double_handed { 2 } else { 1 };
    let pattern = pattern_builder::build(rng, weekly_minutes, carers);
    let mut skills = Vec::new();
    let wanted = [
        (Skill::Medication, 0.30),
        (
            Skill::Dementia,
            if person.support_reason == SupportReason::MemoryAndCognition {
                0.9
            } else {
                0.08
            },
        ),
        (Skill::Diabetes, 0.12),
        (Skill::Epilepsy, 0.03),
        (
            Skill::DelegatedHealthTasks,
            if person.complex_needs { 0.4 } else { 0.03 },
        ),
        (Skill::Hoist, if double_handed { 0.9 } else { 0.04 }),
        (Skill::EndOfLife, 0.02),
        (
            Skill::BehaviourSupport,
            if person.support_reason == SupportReason::LearningDisability {
                0.3
            } else {
                0.0
            },
        ),
    ];
    for (skill, share) in wanted {
        if chance(rng, share) {
            skills.push(skill);
        }
    }
    skills.sort();
    let age_days = (-(1.0 - rng.random::<f64>()).ln() * MEAN_PACKAGE_AGE_DAYS).min(3_000.0) as i64;
    let reference_date = preset.council.reference_date;
    let starts_on = reference_date
        .checked_sub(jiff::Span::new().days(age_days))
        .unwrap_or(reference_date);
    CarePackage {
        id: PackageId::from_suffix(&suffix(rng, 12)).expect("valid suffix"),
        person_id: person.id.clone(),
        provider_id: Some(plan.providers[provider_index].provider.id.clone()),
        pattern,
        skills,
        starts_on,
        ends_on: None,
        // The register's standing packages were placed before the history begins, at the
        // contract's rate; the history's placements by quote carry theirs.
        agreed_hourly_rate: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_sizes_add_up_exactly_with_a_floor() {
        let mut rng = stream(1, "test");
        for (customers, hours) in [(113, 1_206), (1, 8), (4, 26), (2, 29), (50, 731)] {
            let sizes = package_sizes(&mut rng, customers, hours * 60);
            assert_eq!(sizes.len(), customers as usize);
            assert_eq!(sizes.iter().sum::<u32>(), hours * 60);
            assert!(sizes.iter().all(|&size| size >= 30 && size % 15 == 0));
        }
    }

    #[test]
    fn nhs_numbers_are_in_the_test_range() {
        let mut rng = stream(1, "test");
        for _ in 0..50 {
            assert!(test_range_nhs_number(&mut rng).as_str().starts_with("999"));
        }
    }
}
