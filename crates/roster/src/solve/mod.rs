//! Solving: build a first solution by cheapest insertion, then improve it by ruin and
//! recreate under simulated annealing until the time or iteration limit.

mod cost;
mod ejection;
#[cfg(test)]
mod fixtures;
mod fleet;
mod insertion;
mod output;
mod recreate;
mod ruin;
mod schedule;
mod search;
mod state;
mod walk;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::model::{Model, ProblemError, compile};
use crate::{Problem, Solution};

pub use schedule::schedule;

/// When to stop and how to draw random numbers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Wall-clock limit in seconds for the improving search.
    pub time_limit: f64,
    /// Iteration limit; with a time limit that does not bind, the same seed and iteration
    /// limit give the same solution.
    pub iterations: Option<u64>,
    /// Seed of the search's random numbers.
    pub seed: u64,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            time_limit: 10.0,
            iterations: None,
            seed: 1,
        }
    }
}

/// Share of the limits given to fleet minimisation when workers cost something. On the 56
/// Solomon instances the last worker comes off within 1.8 s, leaving the rest for travel
/// (decisions.md, "Search: SISR").
const FLEET_SHARE: f64 = 0.3;

/// Stopping rule as the search sees it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub seconds: f64,
    pub iterations: u64,
}

/// Told of each new best solution (for progress output); does nothing by default.
pub trait Progress {
    /// A better solution, after `iteration` iterations and `seconds`, with this total cost.
    fn improved(&mut self, iteration: u64, seconds: f64, cost: f64) {
        let _ = (iteration, seconds, cost);
    }

    /// The search stopped after `iterations` in `seconds`.
    fn finished(&mut self, iterations: u64, seconds: f64) {
        let _ = (iterations, seconds);
    }
}

/// A [`Progress`] that ignores everything.
#[derive(Debug, Default)]
pub struct Quiet;

impl Progress for Quiet {}

/// Solves `problem` within the limits of `options`.
pub fn solve(problem: &Problem, options: &Options) -> Result<Solution, ProblemError> {
    solve_with_progress(problem, options, &mut Quiet)
}

/// [`solve`], reporting each new best solution to `progress`.
pub fn solve_with_progress(
    problem: &Problem,
    options: &Options,
    progress: &mut dyn Progress,
) -> Result<Solution, ProblemError> {
    let model = compile(problem)?;
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let first = construct(&model, &mut rng);
    if model.visit_tasks.is_empty() {
        // Nothing to search: a day with no visits has no runs.
        progress.finished(0, 0.0);
        return Ok(output::solution(problem, &model, &first));
    }
    let limits = Limits {
        seconds: options.time_limit,
        iterations: options.iterations.unwrap_or(u64::MAX),
    };
    let began = std::time::Instant::now();
    let (first, fleet_steps) = if model.weights.vehicle > 0.0 && first.feasible {
        // Fewer workers first, with a share of the time and iterations.
        fleet::minimise(
            &model,
            first,
            limits.seconds * FLEET_SHARE,
            (limits.iterations as f64 * FLEET_SHARE) as u64,
            &mut rng,
        )
    } else {
        (first, 0)
    };
    let rest = Limits {
        seconds: (limits.seconds - began.elapsed().as_secs_f64()).max(0.0),
        iterations: limits.iterations.saturating_sub(fleet_steps),
    };
    let (best, iterations) = search::improve(&model, first, &rest, &mut rng, progress);
    progress.finished(fleet_steps + iterations, began.elapsed().as_secs_f64());
    Ok(output::solution(problem, &model, &best))
}

/// Only the construction heuristic: every visit at its cheapest place, hardest first.
pub fn construct_only(problem: &Problem) -> Result<Solution, ProblemError> {
    let model = compile(problem)?;
    let mut rng = ChaCha8Rng::seed_from_u64(0);
    let state = construct(&model, &mut rng);
    Ok(output::solution(problem, &model, &state))
}

fn construct(model: &Model, rng: &mut ChaCha8Rng) -> state::State {
    let mut state = state::State::empty(model);
    let mut pending: Vec<u32> = model.visit_tasks.iter().map(|tasks| tasks[0]).collect();
    recreate::sort(model, &mut pending, recreate::Order::EarliestWindow, rng);
    let mut scratch = insertion::Scratch::new(model);
    recreate::recreate(
        model,
        &mut state,
        &mut scratch,
        &pending,
        &[],
        recreate::Rules::EXHAUSTIVE,
        rng,
    );
    state.reschedule_all(model);
    state
}
