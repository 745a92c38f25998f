//! The problem compiled for solving: visits split into tasks (one per carer), breaks as tasks
//! pinned to their worker, eligibility as bit sets, travel as dense matrices. Built once, read
//! only while searching.

use std::collections::BTreeMap;

use crate::travel::{self, Matrix};
use crate::{Link, Mode, Problem, Weights};

/// "No such index" for the compact `u32` indices used in the search.
pub(crate) const NONE: u32 = u32::MAX;

/// Why a problem cannot be solved as given.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ProblemError {
    /// Where the problem is, as a path (`visits[3].window`).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

/// What a task is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum TaskKind {
    /// Part `part` of visit `visit`.
    Visit { visit: u32, part: u8 },
    /// Break number `index` of worker (route) `route`.
    Break { route: u32, index: u32 },
}

/// How a task's start is tied to its partner's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Tie {
    /// The partner task.
    pub partner: u32,
    /// `partner.start − self.start` must lie in `[min, max]`.
    pub min: f64,
    /// See `min`.
    pub max: f64,
}

/// One carer's piece of work, or a break.
#[derive(Debug, Clone)]
pub(crate) struct Task {
    pub kind: TaskKind,
    /// Place, or `NONE` for a break (taken where the worker is).
    pub place: u32,
    pub earliest: f64,
    /// Lateness counts after this.
    pub due: f64,
    /// Hard latest start.
    pub latest: f64,
    pub duration: f64,
    pub demand: f64,
    /// Cost of leaving the task's visit unmade, shared between its parts.
    pub priority: f64,
    pub tie: Option<Tie>,
    /// Index of the person, or `NONE`.
    pub person: u32,
    /// Whether the visit lists preferred carers.
    pub has_preferred: bool,
}

impl Task {
    pub(crate) fn is_break(&self) -> bool {
        matches!(self.kind, TaskKind::Break { .. })
    }
}

/// One worker's run as the search sees it.
#[derive(Debug, Clone)]
pub(crate) struct RouteSpec {
    pub start_place: u32,
    pub end_place: u32,
    pub shift_start: f64,
    pub shift_end: f64,
    pub capacity: f64,
    pub fixed_cost: f64,
    pub max_working: f64,
    pub guaranteed: f64,
    pub contracted: f64,
    /// Index into `Model::matrices`.
    pub matrix: usize,
    /// Break tasks of this worker.
    pub breaks: Vec<u32>,
    /// Routes with equal class are interchangeable when empty.
    pub class: u32,
}

/// The compiled problem.
#[derive(Debug)]
pub(crate) struct Model {
    pub tasks: Vec<Task>,
    pub routes: Vec<RouteSpec>,
    pub matrices: Vec<Matrix>,
    /// Per visit: its part tasks (`NONE` for a missing second part).
    pub visit_tasks: Vec<[u32; 2]>,
    pub weights: Weights,
    pub person_count: usize,
    words: usize,
    eligible: Vec<u64>,
    preferred: Vec<u64>,
    /// Whether any task has a soft due time before its hard latest.
    pub soft_windows: bool,
    /// Whether any visit has two carers.
    pub has_ties: bool,
}

impl Model {
    /// Travel time between two places for a route.
    #[inline]
    pub(crate) fn travel(&self, route: usize, from: u32, to: u32) -> f64 {
        self.matrices[self.routes[route].matrix].time(from as usize, to as usize)
    }

    /// Whether the worker of `route` may do `task`.
    #[inline]
    pub(crate) fn eligible(&self, task: u32, route: usize) -> bool {
        bit(&self.eligible, self.words, task, route)
    }

    /// Whether `route`'s worker is among the task's visit's preferred carers.
    #[inline]
    pub(crate) fn preferred(&self, task: u32, route: usize) -> bool {
        bit(&self.preferred, self.words, task, route)
    }

    /// Visit tasks (not breaks), in order.
    pub(crate) fn visit_task_count(&self) -> usize {
        self.tasks.iter().filter(|task| !task.is_break()).count()
    }
}

fn bit(bits: &[u64], words: usize, task: u32, route: usize) -> bool {
    bits[task as usize * words + route / 64] >> (route % 64) & 1 == 1
}

fn set_bit(bits: &mut [u64], words: usize, task: usize, route: usize) {
    bits[task * words + route / 64] |= 1 << (route % 64);
}

/// Checks a problem and compiles it.
pub(crate) fn compile(problem: &Problem) -> Result<Model, ProblemError> {
    crate::validate::validate(problem)?;
    let worker_index: BTreeMap<&str, usize> = problem
        .workers
        .iter()
        .enumerate()
        .map(|(index, worker)| (worker.id.as_str(), index))
        .collect();
    let (matrices, matrix_of_mode) = matrices(problem);
    let mut tasks = Vec::new();
    let mut visit_tasks = Vec::new();
    let mut persons: BTreeMap<&str, u32> = BTreeMap::new();
    for (index, visit) in problem.visits.iter().enumerate() {
        let person = match &visit.person {
            Some(name) => {
                let next = persons.len() as u32;
                *persons.entry(name.as_str()).or_insert(next)
            }
            None => NONE,
        };
        let latest = visit.window.end + visit.max_lateness.unwrap_or(f64::INFINITY);
        let first = tasks.len() as u32;
        let base = Task {
            kind: TaskKind::Visit {
                visit: index as u32,
                part: 0,
            },
            place: visit.place as u32,
            earliest: visit.window.start,
            due: visit.window.end,
            latest,
            duration: visit.duration,
            demand: visit.demand,
            priority: visit.priority / f64::from(visit.carers),
            tie: None,
            person,
            has_preferred: !visit.preferred.is_empty(),
        };
        if visit.carers == 2 {
            let (min, max) = match visit.link.expect("validated: two carers have a link") {
                Link::Together { tolerance } => (-tolerance, tolerance),
                Link::Ordered { min_gap, max_gap } => (min_gap, max_gap),
            };
            let second_part = visit.second.clone().unwrap_or_default();
            let second = Task {
                kind: TaskKind::Visit {
                    visit: index as u32,
                    part: 1,
                },
                duration: second_part.duration.unwrap_or(visit.duration),
                tie: Some(Tie {
                    partner: first,
                    min: -max,
                    max: -min,
                }),
                ..base.clone()
            };
            tasks.push(Task {
                tie: Some(Tie {
                    partner: first + 1,
                    min,
                    max,
                }),
                ..base
            });
            tasks.push(second);
            visit_tasks.push([first, first + 1]);
        } else {
            tasks.push(base);
            visit_tasks.push([first, NONE]);
        }
    }
    let words = problem.workers.len().div_ceil(64).max(1);
    let mut eligible = vec![0u64; (tasks.len() + break_count(problem)) * words];
    let mut preferred = vec![0u64; eligible.len()];
    for (task_index, task) in tasks.iter().enumerate() {
        let TaskKind::Visit { visit, part } = task.kind else {
            continue;
        };
        let visit = &problem.visits[visit as usize];
        let needed = match (&visit.second, part) {
            (Some(second), 1) => second.skills.as_ref().unwrap_or(&visit.skills),
            _ => &visit.skills,
        };
        for (route, worker) in problem.workers.iter().enumerate() {
            let skilled = needed.iter().all(|skill| worker.skills.contains(skill));
            let excluded = visit.excluded.contains(&worker.id);
            if skilled && !excluded {
                set_bit(&mut eligible, words, task_index, route);
            }
        }
        for id in &visit.preferred {
            if let Some(&route) = worker_index.get(id.as_str()) {
                set_bit(&mut preferred, words, task_index, route);
            }
        }
    }
    let mut routes = Vec::new();
    let mut classes: Vec<String> = Vec::new();
    for (route, worker) in problem.workers.iter().enumerate() {
        let mut breaks = Vec::new();
        for (index, rest) in worker.breaks.iter().enumerate() {
            breaks.push(tasks.len() as u32);
            set_bit(&mut eligible, words, tasks.len(), route);
            tasks.push(Task {
                kind: TaskKind::Break {
                    route: route as u32,
                    index: index as u32,
                },
                place: NONE,
                earliest: rest.window.start,
                due: rest.window.end,
                latest: rest.window.end,
                duration: rest.duration,
                demand: 0.0,
                priority: 0.0,
                tie: None,
                person: NONE,
                has_preferred: false,
            });
        }
        let class = class_of(problem, route, &mut classes);
        routes.push(RouteSpec {
            start_place: worker.start_place as u32,
            end_place: worker.end_place as u32,
            shift_start: worker.shift.start,
            shift_end: worker.shift.end,
            capacity: worker.capacity.unwrap_or(f64::INFINITY),
            fixed_cost: worker.fixed_cost,
            max_working: worker.max_working_time.unwrap_or(f64::INFINITY),
            guaranteed: worker.guaranteed_time,
            contracted: worker.contracted_time,
            matrix: matrix_of_mode[&worker.mode],
            breaks,
            class,
        });
    }
    let soft_windows = tasks.iter().any(|task| task.latest > task.due);
    let has_ties = tasks.iter().any(|task| task.tie.is_some());
    Ok(Model {
        tasks,
        routes,
        matrices,
        visit_tasks,
        weights: problem.weights,
        person_count: persons.len(),
        words,
        eligible,
        preferred,
        soft_windows,
        has_ties,
    })
}

fn break_count(problem: &Problem) -> usize {
    problem
        .workers
        .iter()
        .map(|worker| worker.breaks.len())
        .sum()
}

/// Workers who differ only in id (and are named in no visit's lists) share a class, so the
/// search tries only one of them when they are idle.
fn class_of(problem: &Problem, route: usize, classes: &mut Vec<String>) -> u32 {
    let worker = &problem.workers[route];
    let named = problem
        .visits
        .iter()
        .any(|visit| visit.preferred.contains(&worker.id) || visit.excluded.contains(&worker.id));
    let key = if named || !worker.breaks.is_empty() {
        format!("unique {route}")
    } else {
        let mut anonymous = worker.clone();
        anonymous.id.clear();
        format!("{anonymous:?}")
    };
    match classes.iter().position(|known| *known == key) {
        Some(index) => index as u32,
        None => {
            classes.push(key);
            (classes.len() - 1) as u32
        }
    }
}

fn matrices(problem: &Problem) -> (Vec<Matrix>, BTreeMap<Mode, usize>) {
    let mut modes: Vec<Mode> = problem.workers.iter().map(|worker| worker.mode).collect();
    modes.sort_by_key(|mode| *mode as u8);
    modes.dedup();
    let mut matrices = Vec::new();
    let mut index = BTreeMap::new();
    for mode in modes {
        index.insert(mode, matrices.len());
        matrices.push(travel::matrix(&problem.travel, mode));
    }
    (matrices, index)
}
