//! The independent checker: every rule of a solution and its objective, recomputed from the
//! [`Problem`] and the solution's stops and start times alone.
//!
//! It shares no code with the solver — not even travel times — so that a fault in one is caught
//! by the other. It takes the start times as given and never reschedules. A stop it cannot make
//! sense of (an unknown visit, a part the visit does not have, a break the worker does not take)
//! is reported and then left out, as if it were not in the run; so is a run of an unknown worker,
//! and every run of a worker after their first.
//!
//! Here are the report types and [`check`], which drives the rest: `walk` reads each run and
//! reports each broken rule, `travel` recomputes travel times, `parts` says what each part of a
//! visit needs, and `objective` recomputes the objective from what was made.

mod objective;
mod parts;
mod travel;
mod walk;

#[cfg(test)]
mod tests;

use std::fmt;

use crate::{Objective, Problem, Solution};

use objective::{cover, objective, parts_of};
use walk::{Checker, Step};

/// Allowance for floating-point noise in every comparison.
const EPS: f64 = 1e-6;

/// The checker's verdict on a solution: every rule broken, and the objective recomputed.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Every breach found: first the problem's places, then run by run in the solution's order,
    /// then visit by visit in the problem's order.
    pub violations: Vec<Violation>,
    /// The objective recomputed from scratch from the stops and their start times.
    pub objective: Objective,
    /// Σ working time of the runs with a visit (rule 7): the paid time of the day.
    pub working_time: f64,
    /// Each run's legs and times, in the solution's order (runs the checker left out are
    /// absent).
    pub runs: Vec<RunReport>,
}

/// One run as the checker walked it.
#[derive(Debug, Clone, PartialEq)]
pub struct RunReport {
    /// The worker's id.
    pub worker: String,
    /// The run's stops it understood, in order, each with the travel that reached it.
    pub legs: Vec<Leg>,
    /// Travel from the last stop to the end place (0 for a run without stops).
    pub travel_home: f64,
    /// Working time (rule 7); 0 for a run without stops.
    pub working_time: f64,
}

/// One stop of a run and the travel that reached it.
#[derive(Debug, Clone, PartialEq)]
pub struct Leg {
    /// The visit's id; absent for a break.
    pub visit: Option<String>,
    /// The visit's part (0 or 1); 0 for a break.
    pub part: u8,
    /// Travel from the previous place (the start place for the first stop; 0 for a break).
    pub travel: f64,
}

impl Report {
    /// Whether the solution breaks no rule.
    pub fn is_feasible(&self) -> bool {
        self.violations.is_empty()
    }

    /// Whether `claimed` agrees with the recomputed objective, part by part and in total, to a
    /// relative tolerance of `1e-6` (an absolute one of `1e-6` near zero).
    pub fn objective_matches(&self, claimed: &Objective) -> bool {
        parts_of(&self.objective)
            .into_iter()
            .zip(parts_of(claimed))
            .all(|(ours, theirs)| close(ours, theirs))
    }
}

/// One breach of a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The worker concerned, if one is.
    pub worker: Option<String>,
    /// The visit concerned, if one is.
    pub visit: Option<String>,
    /// A short stable code for the rule: `arrival`, `break`, `capacity`, `duplicate`,
    /// `excluded`, `half_assigned`, `missing`, `part`, `place`, `same_worker`, `shift_end`,
    /// `skills`, `stop`, `sync`, `unknown_visit`, `unknown_worker`, `window` or `working_time`.
    pub rule: &'static str,
    /// What is wrong, in plain English, naming the values involved.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.rule, self.message)
    }
}

/// Checks `solution` against every rule of `problem` and recomputes its objective.
///
/// The solution's own `objective` is not read; compare it with
/// [`Report::objective_matches`].
pub fn check(problem: &Problem, solution: &Solution) -> Report {
    let mut checker = Checker::new(problem);
    checker.check_places();
    let mut used = vec![false; problem.workers.len()];
    let mut made = Vec::new();
    let mut runs = Vec::new();
    for run in &solution.runs {
        let Some(w) = checker.run_worker(run, &mut used) else {
            continue;
        };
        let steps: Vec<Step> = run
            .stops
            .iter()
            .filter_map(|s| checker.resolve(w, s))
            .collect();
        checker.check_demands(w, &steps);
        checker.check_breaks(w, &steps);
        runs.push(checker.check_timing(w, &steps));
        made.extend(steps.iter().filter_map(|s| s.made(w)));
    }
    let cover = cover(problem, &made);
    checker.check_coverage(solution, &cover);
    checker.check_links(&cover);
    Report {
        violations: checker.violations,
        objective: objective(problem, &made, &cover, &runs),
        working_time: runs.iter().filter(|r| r.has_visit).map(|r| r.working).sum(),
        runs: runs
            .into_iter()
            .map(|facts| RunReport {
                worker: problem.workers[facts.worker].id.clone(),
                legs: facts.legs,
                travel_home: facts.travel_home,
                working_time: facts.working,
            })
            .collect(),
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= EPS * a.abs().max(b.abs()).max(1.0)
}
