//! Homeward's scheduling engine: care workers' runs.
//!
//! Pure computation — no storage, no server, no async. Give it a [`Problem`] (workers, visits,
//! travel, weights) and [`solve`] returns a [`Solution`]; [`check`] recomputes every constraint
//! and the objective of any solution from scratch, independently of the solver.
//!
//! # Rules of a solution
//!
//! These are the hard constraints; the solver never breaks them and the checker reports each
//! breach. Comparisons allow `1e-6` for floating-point noise.
//!
//! 1. Every visit part is made at most once. A visit for two carers has parts 0 and 1; both are
//!    made, by two different workers, or neither is.
//! 2. A part's worker holds every skill the part needs (the visit's `skills`, or `second.skills`
//!    for part 1) and is not in the visit's `excluded`.
//! 3. The sum of `demand` over the parts in a run is at most the worker's `capacity`.
//! 4. Timing, stop by stop. The run's first arrival is `shift.start + travel(start_place, p)`;
//!    after that, arrival = previous stop's end + travel(previous place, place). A break happens
//!    where the worker is (the previous stop's place, or the start place), so travel to it is 0
//!    and travel after it starts from that place. Every stop starts no earlier than its arrival.
//!    A visit part starts no earlier than `window.start` and no later than `window.end +
//!    max_lateness` (no bound when `max_lateness` is absent); it ends `duration` later (the
//!    part's own duration). A break starts within its window and lasts its duration. The
//!    worker arrives at `end_place` (last end + travel) no later than `shift.end`.
//! 5. A run with any visit holds each of the worker's breaks exactly once; a run with no visit
//!    holds no break (and may be left out of the solution).
//! 6. A double-handed visit's starts: `together` — they differ by at most `tolerance`;
//!    `ordered` — part 1 starts between `min_gap` and `max_gap` after part 0.
//! 7. Working time = arrival at the end place − (first stop's start − travel from the start
//!    place to it); it is at most `max_working_time`.
//!
//! Travel: `euclidean` is the straight-line distance (truncated to one decimal per arc when
//! `rounding` is `truncate_tenth`); `geographic` is the haversine distance on a sphere of radius
//! 6371.0088 km, times `detour_factor`, divided by the worker's mode speed, in minutes;
//! `matrix` reads the worker's mode's matrix (`car` when that mode's is absent).
//!
//! # The objective
//!
//! Parts (see [`Objective`]): `unassigned` = Σ priority of unmade visits; `vehicles` = Σ
//! `fixed_cost` of workers with at least one visit; `lateness` = Σ over made parts of
//! max(0, start − window.end); `max_lateness` = the largest of those; `travel` = Σ of every arc
//! travelled (start place → … → end place) by runs with a visit; `continuity` = Σ over people of
//! (distinct workers who made any part of their visits − 1) plus the number of made parts whose
//! visit lists `preferred` carers and whose worker is not among them; `shortfall` = Σ over
//! workers of max(0, guaranteed_time − working time), a worker without visits having working
//! time 0; `fairness` = over workers with `contracted_time > 0`, the largest minus the smallest
//! of 100 × working time / contracted time (0 with fewer than two such workers). The total is
//! Σ weight × part with the [`Weights`].

mod check;
mod problem;
mod solution;

pub mod formats;
pub mod greedy;
pub mod scenario;

pub use check::{Leg, Report, RunReport, Violation, check};
pub use problem::{
    Break, Link, Mode, Problem, Rounding, SecondPart, Speeds, Travel, Visit, Weights, Window,
    Worker,
};
pub use solution::{Objective, Run, Solution, Stop, Unassigned};
mod model;
mod solve;
mod travel;
mod validate;

pub use model::ProblemError;
pub use solve::{Options, Progress, Quiet, construct_only, schedule, solve, solve_with_progress};
