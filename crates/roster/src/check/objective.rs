//! What was made, part by part, and the objective recomputed from it and the runs walked.

use std::collections::{BTreeMap, BTreeSet};

use crate::{Objective, Problem, Weights, Worker};

use super::parts::part_count;
use super::walk::RunFacts;

/// A visit part made by a worker at a start time.
#[derive(Debug, Clone, Copy)]
pub(super) struct Made {
    pub(super) visit: usize,
    pub(super) part: u8,
    pub(super) worker: usize,
    pub(super) start: f64,
}

/// How often each part of a visit is made, and its first making.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Cover {
    pub(super) count: [usize; 2],
    pub(super) first: [Option<Made>; 2],
}

impl Cover {
    pub(super) fn parts_made(&self) -> usize {
        self.count.iter().filter(|&&n| n > 0).count()
    }
}

/// How each visit's parts are made.
pub(super) fn cover(problem: &Problem, made: &[Made]) -> Vec<Cover> {
    let mut cover = vec![Cover::default(); problem.visits.len()];
    for m in made {
        let c = &mut cover[m.visit];
        let part = usize::from(m.part);
        c.count[part] += 1;
        c.first[part].get_or_insert(*m);
    }
    cover
}

pub(super) fn objective(
    problem: &Problem,
    made: &[Made],
    cover: &[Cover],
    runs: &[RunFacts],
) -> Objective {
    let used: Vec<&RunFacts> = runs.iter().filter(|r| r.has_visit).collect();
    let mut working = vec![0.0; problem.workers.len()];
    for run in &used {
        working[run.worker] = run.working;
    }
    let (lateness, max_lateness) = lateness(problem, made);
    let mut objective = Objective {
        total: 0.0,
        unassigned: unmade_priority(problem, cover),
        vehicles: used
            .iter()
            .map(|r| problem.workers[r.worker].fixed_cost)
            .sum(),
        lateness,
        max_lateness,
        travel: used.iter().map(|r| r.travel).sum(),
        continuity: continuity(problem, made),
        shortfall: shortfall(&problem.workers, &working),
        fairness: fairness(&problem.workers, &working),
    };
    objective.total = weighted(&problem.weights, &objective);
    objective
}

/// Σ priority of the visits not made in full.
fn unmade_priority(problem: &Problem, cover: &[Cover]) -> f64 {
    problem
        .visits
        .iter()
        .zip(cover)
        .filter(|(v, c)| c.parts_made() < usize::from(part_count(v)))
        .map(|(v, _)| v.priority)
        .sum()
}

/// Σ and largest of max(0, start − window.end) over made parts.
fn lateness(problem: &Problem, made: &[Made]) -> (f64, f64) {
    made.iter()
        .map(|m| (m.start - problem.visits[m.visit].window.end).max(0.0))
        .fold((0.0, 0.0), |(sum, max), late| {
            (sum + late, f64::max(max, late))
        })
}

/// Σ over people of (distinct workers − 1), plus parts made by a carer outside `preferred`.
fn continuity(problem: &Problem, made: &[Made]) -> f64 {
    let mut seen: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    let mut strangers = 0_usize;
    for m in made {
        let visit = &problem.visits[m.visit];
        if let Some(person) = &visit.person {
            seen.entry(person.as_str()).or_default().insert(m.worker);
        }
        if !visit.preferred.is_empty() && !visit.preferred.contains(&problem.workers[m.worker].id) {
            strangers += 1;
        }
    }
    let extra: usize = seen.values().map(|workers| workers.len() - 1).sum();
    (extra + strangers) as f64
}

fn shortfall(workers: &[Worker], working: &[f64]) -> f64 {
    workers
        .iter()
        .zip(working)
        .map(|(w, t)| (w.guaranteed_time - t).max(0.0))
        .sum()
}

fn fairness(workers: &[Worker], working: &[f64]) -> f64 {
    let shares: Vec<f64> = workers
        .iter()
        .zip(working)
        .filter(|(w, _)| w.contracted_time > 0.0)
        .map(|(w, t)| 100.0 * t / w.contracted_time)
        .collect();
    if shares.len() < 2 {
        return 0.0;
    }
    let high = shares.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let low = shares.iter().copied().fold(f64::INFINITY, f64::min);
    high - low
}

fn weighted(w: &Weights, o: &Objective) -> f64 {
    w.unassigned * o.unassigned
        + w.vehicle * o.vehicles
        + w.lateness * o.lateness
        + w.max_lateness * o.max_lateness
        + w.travel * o.travel
        + w.continuity * o.continuity
        + w.shortfall * o.shortfall
        + w.fairness * o.fairness
}

pub(super) fn parts_of(o: &Objective) -> [f64; 9] {
    [
        o.total,
        o.unassigned,
        o.vehicles,
        o.lateness,
        o.max_lateness,
        o.travel,
        o.continuity,
        o.shortfall,
        o.fairness,
    ]
}
