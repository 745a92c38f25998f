//! The improving search: ruin and recreate under simulated annealing (after SISR, Christiaens
//! & Vanden Berghe 2020). Each iteration ruins part of the current solution and recreates it;
//! the result replaces the current one by the annealing rule and the best one when better.

use std::time::Instant;

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::model::Model;
use crate::solve::cost::objective;
use crate::solve::insertion::Scratch;
use crate::solve::recreate::{Rules, rebuild};
use crate::solve::ruin::{self, StringRuin};
use crate::solve::state::State;
use crate::solve::{Limits, Progress};

/// Recreate skips 1% of insertion places (SISR's blink rate).
const RULES: Rules = Rules {
    blink_rate: 0.01,
    max_working: usize::MAX,
};

/// Search parameters.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Annealing {
    /// Starting and final temperature, as multiples of the average cost per visit.
    pub start: f64,
    pub end: f64,
    pub strings: StringRuin,
}

impl Default for Annealing {
    fn default() -> Self {
        Self {
            start: 10.0,
            end: 0.1,
            strings: StringRuin::default(),
        }
    }
}

/// Improves `state` until a limit; returns the best state found and the iterations made.
pub(crate) fn improve(
    model: &Model,
    initial: State,
    limits: &Limits,
    rng: &mut ChaCha8Rng,
    progress: &mut dyn Progress,
) -> (State, u64) {
    let began = Instant::now();
    let neighbours = ruin::neighbours(model);
    let annealing = Annealing::default();
    let mut scratch = Scratch::new(model);
    let mut current = initial;
    let mut current_cost = objective(model, &current).total;
    let mut best = current.clone();
    let mut best_cost = current_cost;
    let mut candidate = current.clone();
    let scale = cost_scale(model, &current);
    let (hot, cold) = (annealing.start * scale, annealing.end * scale);
    let mut removed = Vec::new();
    let mut touched = Vec::new();
    let mut iteration = 0u64;
    while iteration < limits.iterations {
        let elapsed = began.elapsed().as_secs_f64();
        if elapsed >= limits.seconds {
            break;
        }
        let done = (iteration as f64 / limits.iterations as f64).max(elapsed / limits.seconds);
        let temperature = hot * (cold / hot).powf(done);
        candidate.clone_from(&current);
        removed.clear();
        touched.clear();
        ruin_once(
            model,
            &mut candidate,
            &neighbours,
            &annealing,
            rng,
            &mut removed,
            &mut touched,
        );
        rebuild(
            model,
            &mut candidate,
            &mut scratch,
            &mut removed,
            &touched,
            RULES,
            rng,
        );
        iteration += 1;
        if !candidate.feasible {
            continue;
        }
        let cost = objective(model, &candidate).total;
        let threshold = current_cost - temperature * rng.random::<f64>().max(1e-300).ln();
        // An infeasible start (construction could not close every run) gives way to the first
        // feasible solution whatever its cost.
        if cost < threshold || !current.feasible {
            std::mem::swap(&mut current, &mut candidate);
            current_cost = cost;
            if cost < best_cost - 1e-9 || !best.feasible {
                best.clone_from(&current);
                best_cost = cost;
                progress.improved(iteration, elapsed, best_cost);
            }
        }
    }
    (best, iteration)
}

fn ruin_once(
    model: &Model,
    state: &mut State,
    neighbours: &[Vec<u32>],
    annealing: &Annealing,
    rng: &mut ChaCha8Rng,
    removed: &mut Vec<u32>,
    touched: &mut Vec<usize>,
) {
    let pick = rng.random_range(0..20);
    if pick == 0 && model.weights.vehicle > 0.0 {
        ruin::shortest_route(model, state, rng, removed, touched);
    } else if pick == 1 {
        let count = annealing.strings.average_removed as usize;
        ruin::random(model, state, count, rng, removed, touched);
    } else {
        ruin::strings(
            model,
            state,
            neighbours,
            &annealing.strings,
            rng,
            removed,
            touched,
        );
    }
}

/// Average weighted travel and lateness per visit, the unit of the annealing temperature.
fn cost_scale(model: &Model, state: &State) -> f64 {
    let parts = objective(model, state);
    let visits = model.visit_task_count().max(1) as f64;
    let w = &model.weights;
    let spread = w.travel * parts.travel + w.lateness * parts.lateness;
    (spread / visits).max(1e-3)
}
