//! Care workers for each branch, enough to cover the branch's packages at the preset's weekly hours.

use crate::people::Placed;
use crate::providers::MarketPlan;
use crate::random::{chance, normal, pick, stream, suffix};
use crate::{Progress, names};
use homeward_domain::{CareWorker, EmploymentKind, Skill, TravelMode, WorkerId};
use homeward_preset::Preset;
use rand_chacha::ChaCha8Rng;

/// Paid time beyond contact time: travel between visits takes about a seventh of a care
/// worker's day, so branches employ that much more than their packages' hours.
const TRAVEL_ALLOWANCE: f64 = 1.15;

/// How far care workers live from their branch (standard deviation, km), by how they travel.
fn home_spread_km(mode: TravelMode) -> f64 {
    match mode {
        TravelMode::Car => 4.0,
        TravelMode::Bike => 2.0,
        TravelMode::Foot => 1.0,
    }
}

pub(crate) fn generate(
    preset: &Preset,
    plan: &MarketPlan,
    placed: &Placed,
    seed: u64,
    progress: &mut dyn Progress,
) -> Vec<CareWorker> {
    let mut rng = stream(seed, "workers");
    let branch_minutes = branch_minutes(plan, placed);
    let minutes_per_worker = f64::from(preset.workforce.weekly_hours_per_worker * 60);
    let wanted: Vec<u64> = branch_minutes
        .iter()
        .map(|minutes| {
            (minutes * TRAVEL_ALLOWANCE / minutes_per_worker)
                .ceil()
                .max(1.0) as u64
        })
        .collect();
    progress.stage("care workers", wanted.iter().sum());
    let mut workers = Vec::new();
    for (branch_index, branch) in plan.branches.iter().enumerate() {
        let in_house = plan.providers[plan.branch_owner[branch_index]]
            .provider
            .in_house;
        for _ in 0..wanted[branch_index] {
            let travel_mode = travel_mode(&mut rng, preset);
            let spread = home_spread_km(travel_mode);
            let (employment, guaranteed_hours, contracted_hours) =
                employment(&mut rng, preset, in_house);
            workers.push(CareWorker {
                id: WorkerId::from_suffix(&suffix(&mut rng, 12)).expect("valid suffix"),
                branch_id: branch.id.clone(),
                name: names::worker(&mut rng),
                home: branch
                    .location
                    .offset_km(normal(&mut rng) * spread, normal(&mut rng) * spread),
                travel_mode,
                skills: skills(&mut rng),
                employment,
                guaranteed_weekly_minutes: guaranteed_hours * 60,
                contracted_weekly_minutes: contracted_hours * 60,
            });
            progress.advance(1);
        }
    }
    workers
}

/// Carer minutes a week each branch delivers: every package goes to its provider's branch
/// nearest the person.
fn branch_minutes(plan: &MarketPlan, placed: &Placed) -> Vec<f64> {
    let mut minutes = vec![0.0; plan.branches.len()];
    for (package_index, package) in placed.packages.iter().enumerate() {
        let person = &placed.people[placed.package_person[package_index]];
        let provider = &plan.providers[placed.package_provider[package_index]];
        let nearest = provider.branches.iter().copied().min_by(|&a, &b| {
            let distance =
                |branch: usize| plan.branches[branch].location.distance_km(person.location);
            distance(a).total_cmp(&distance(b))
        });
        if let Some(branch) = nearest {
            minutes[branch] += f64::from(package.weekly_minutes());
        }
    }
    minutes
}

fn travel_mode(rng: &mut ChaCha8Rng, preset: &Preset) -> TravelMode {
    let workforce = &preset.workforce;
    if !chance(rng, workforce.share_without_car) {
        TravelMode::Car
    } else if chance(rng, workforce.share_cycling_without_car) {
        TravelMode::Bike
    } else {
        TravelMode::Foot
    }
}

/// The kind of contract and its guaranteed and contracted hours. Council staff are never on
/// zero hours.
fn employment(rng: &mut ChaCha8Rng, preset: &Preset, in_house: bool) -> (EmploymentKind, u32, u32) {
    let typical = preset.workforce.weekly_hours_per_worker;
    // Hours spread around the preset's typical week: part-time to full-time.
    let contracted = *pick(
        rng,
        &[
            (typical * 2 / 3, 0.25),
            (typical, 0.5),
            (typical * 4 / 3, 0.25),
        ],
    );
    let workforce = &preset.workforce;
    let zero_hours = if in_house {
        0.0
    } else {
        workforce.zero_hours_share
    };
    let guaranteed = if in_house {
        0.5
    } else {
        workforce.guaranteed_hours_share
    };
    let kind = *pick(
        rng,
        &[
            (EmploymentKind::ZeroHours, zero_hours),
            (EmploymentKind::GuaranteedHours, guaranteed),
            (
                EmploymentKind::FixedHours,
                (1.0 - zero_hours - guaranteed).max(0.0),
            ),
        ],
    );
    match kind {
        EmploymentKind::ZeroHours => (kind, 0, contracted),
        EmploymentKind::GuaranteedHours => (kind, (contracted / 2).max(1), contracted),
        EmploymentKind::FixedHours => (kind, contracted, contracted),
    }
}

fn skills(rng: &mut ChaCha8Rng) -> Vec<Skill> {
    let held = [
        (Skill::Medication, 0.7),
        (Skill::Dementia, 0.6),
        (Skill::Hoist, 0.5),
        (Skill::Diabetes, 0.4),
        (Skill::EndOfLife, 0.3),
        (Skill::Epilepsy, 0.2),
        (Skill::DelegatedHealthTasks, 0.15),
        (Skill::BehaviourSupport, 0.1),
    ];
    let mut skills: Vec<Skill> = held
        .iter()
        .filter(|(_, share)| chance(rng, *share))
        .map(|(skill, _)| *skill)
        .collect();
    skills.sort();
    skills
}
