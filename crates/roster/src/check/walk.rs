//! The walk over a solution's runs: each stop made sense of, and every rule checked as the
//! checker goes, each breach reported as a [`Violation`].

use std::collections::HashMap;

use crate::{Link, Problem, Run, Solution, Stop, Travel, Visit, Worker};

use super::objective::{Cover, Made};
use super::parts::{part_count, part_duration, part_name, part_skills};
use super::travel::{place_count, travel_time};
use super::{EPS, Leg, Violation};

/// A stop understood: a part of a known visit, or one of the worker's breaks.
#[derive(Debug, Clone, Copy)]
pub(super) struct Step {
    kind: Kind,
    start: f64,
}

/// What a [`Step`] is.
#[derive(Debug, Clone, Copy)]
enum Kind {
    /// Part `part` of the problem's visit number `visit`.
    Visit { visit: usize, part: u8 },
    /// The worker's break with this index.
    Rest(usize),
}

impl Step {
    fn is_visit(&self) -> bool {
        matches!(self.kind, Kind::Visit { .. })
    }

    pub(super) fn made(&self, worker: usize) -> Option<Made> {
        match self.kind {
            Kind::Visit { visit, part } => Some(Made {
                visit,
                part,
                worker,
                start: self.start,
            }),
            Kind::Rest(_) => None,
        }
    }
}

/// What a checked run contributes to the objective, and its legs for the report.
#[derive(Debug, Clone)]
pub(super) struct RunFacts {
    pub(super) worker: usize,
    pub(super) has_visit: bool,
    pub(super) travel: f64,
    pub(super) working: f64,
    pub(super) legs: Vec<Leg>,
    pub(super) travel_home: f64,
}

/// Collects violations while walking the solution.
pub(super) struct Checker<'a> {
    problem: &'a Problem,
    workers: HashMap<&'a str, usize>,
    visits: HashMap<&'a str, usize>,
    pub(super) violations: Vec<Violation>,
}

impl<'a> Checker<'a> {
    pub(super) fn new(problem: &'a Problem) -> Self {
        let mut workers = HashMap::new();
        for (i, w) in problem.workers.iter().enumerate() {
            workers.entry(w.id.as_str()).or_insert(i);
        }
        let mut visits = HashMap::new();
        for (i, v) in problem.visits.iter().enumerate() {
            visits.entry(v.id.as_str()).or_insert(i);
        }
        Self {
            problem,
            workers,
            visits,
            violations: Vec::new(),
        }
    }

    fn report(
        &mut self,
        worker: Option<&str>,
        visit: Option<&str>,
        rule: &'static str,
        message: String,
    ) {
        self.violations.push(Violation {
            worker: worker.map(str::to_owned),
            visit: visit.map(str::to_owned),
            rule,
            message,
        });
    }

    /// Every place named by a worker or visit exists, and every matrix is square.
    pub(super) fn check_places(&mut self) {
        let problem = self.problem;
        let n = place_count(&problem.travel);
        if let Travel::Matrix { car, bike, foot } = &problem.travel {
            for (mode, matrix) in [
                ("car", Some(car)),
                ("bike", bike.as_ref()),
                ("foot", foot.as_ref()),
            ] {
                if matrix.is_some_and(|m| m.len() != n || m.iter().any(|row| row.len() != n)) {
                    let message = format!("the {mode} travel matrix is not {n} by {n}");
                    self.report(None, None, "place", message);
                }
            }
        }
        for w in &problem.workers {
            for (end, place) in [("start", w.start_place), ("end", w.end_place)] {
                if place >= n {
                    let message = format!(
                        "worker {}'s {end} place {place} is not among the {n} places",
                        w.id
                    );
                    self.report(Some(&w.id), None, "place", message);
                }
            }
        }
        for v in problem.visits.iter().filter(|v| v.place >= n) {
            let message = format!(
                "visit {}'s place {} is not among the {n} places",
                v.id, v.place
            );
            self.report(None, Some(&v.id), "place", message);
        }
    }

    /// The run's worker, if known and not already given a run.
    pub(super) fn run_worker(&mut self, run: &Run, used: &mut [bool]) -> Option<usize> {
        let Some(&w) = self.workers.get(run.worker.as_str()) else {
            let message = format!(
                "a run is given to worker {}, who is not in the problem",
                run.worker
            );
            self.report(Some(&run.worker), None, "unknown_worker", message);
            return None;
        };
        if std::mem::replace(&mut used[w], true) {
            let message = format!(
                "worker {} has more than one run; only the first is checked",
                run.worker
            );
            self.report(Some(&run.worker), None, "duplicate", message);
            return None;
        }
        Some(w)
    }

    /// Makes sense of one stop of worker `w`'s run, or reports why it cannot.
    pub(super) fn resolve(&mut self, w: usize, stop: &Stop) -> Option<Step> {
        let id = &self.problem.workers[w].id;
        if !stop.start.is_finite() {
            let message = format!("a stop in worker {id}'s run starts at {}", stop.start);
            self.report(Some(id), stop.visit.as_deref(), "stop", message);
            return None;
        }
        match (&stop.visit, stop.break_index) {
            (Some(visit), None) => self.resolve_visit(w, visit, stop),
            (None, Some(index)) => self.resolve_break(w, index, stop),
            (Some(visit), Some(index)) => {
                let message = format!(
                    "a stop in worker {id}'s run names both visit {visit} and break {index}"
                );
                self.report(Some(id), Some(visit), "stop", message);
                None
            }
            (None, None) => {
                let message =
                    format!("a stop in worker {id}'s run names neither a visit nor a break");
                self.report(Some(id), None, "stop", message);
                None
            }
        }
    }

    fn resolve_visit(&mut self, w: usize, visit: &str, stop: &Stop) -> Option<Step> {
        let problem = self.problem;
        let worker = &problem.workers[w].id;
        let Some(&v) = self.visits.get(visit) else {
            let message =
                format!("worker {worker}'s run makes visit {visit}, which is not in the problem");
            self.report(Some(worker), Some(visit), "unknown_visit", message);
            return None;
        };
        let carers = problem.visits[v].carers;
        if stop.part != 0 && !(stop.part == 1 && carers == 2) {
            let message = format!(
                "worker {worker}'s run makes part {} of visit {visit}, which is for {carers} carer(s)",
                stop.part
            );
            self.report(Some(worker), Some(visit), "part", message);
            return None;
        }
        let kind = Kind::Visit {
            visit: v,
            part: stop.part,
        };
        Some(Step {
            kind,
            start: stop.start,
        })
    }

    fn resolve_break(&mut self, w: usize, index: usize, stop: &Stop) -> Option<Step> {
        let worker = &self.problem.workers[w];
        if index >= worker.breaks.len() {
            let message = format!(
                "worker {}'s run holds break {index}, but the worker has {} break(s)",
                worker.id,
                worker.breaks.len()
            );
            self.report(Some(&worker.id), None, "break", message);
            return None;
        }
        if stop.part != 0 {
            let message = format!(
                "worker {}'s break {index} is given part {}",
                worker.id, stop.part
            );
            self.report(Some(&worker.id), None, "part", message);
        }
        Some(Step {
            kind: Kind::Rest(index),
            start: stop.start,
        })
    }

    /// Rules 2 and 3: skills, exclusions and capacity.
    pub(super) fn check_demands(&mut self, w: usize, steps: &[Step]) {
        let problem = self.problem;
        let worker = &problem.workers[w];
        let mut load = 0.0;
        for step in steps {
            if let Kind::Visit { visit, part } = step.kind {
                let visit = &problem.visits[visit];
                self.check_skills(worker, visit, part);
                self.check_excluded(worker, visit);
                load += visit.demand;
            }
        }
        if let Some(capacity) = worker.capacity.filter(|&c| load > c + EPS) {
            let message = format!(
                "worker {}'s run carries a demand of {}, over the capacity of {}",
                worker.id,
                num(load),
                num(capacity)
            );
            self.report(Some(&worker.id), None, "capacity", message);
        }
    }

    fn check_skills(&mut self, worker: &Worker, visit: &Visit, part: u8) {
        let lacking: Vec<&str> = part_skills(visit, part)
            .iter()
            .filter(|s| !worker.skills.contains(s))
            .map(String::as_str)
            .collect();
        if !lacking.is_empty() {
            let message = format!(
                "worker {} lacks {} needed by {}",
                worker.id,
                lacking.join(", "),
                part_name(visit, part)
            );
            self.report(Some(&worker.id), Some(&visit.id), "skills", message);
        }
    }

    fn check_excluded(&mut self, worker: &Worker, visit: &Visit) {
        if visit.excluded.contains(&worker.id) {
            let message = format!("worker {} is excluded from visit {}", worker.id, visit.id);
            self.report(Some(&worker.id), Some(&visit.id), "excluded", message);
        }
    }

    /// Rule 5: each break exactly once in a run with a visit; none in a run without.
    pub(super) fn check_breaks(&mut self, w: usize, steps: &[Step]) {
        let worker = &self.problem.workers[w];
        let mut held = vec![0_usize; worker.breaks.len()];
        for step in steps {
            if let Kind::Rest(i) = step.kind {
                held[i] += 1;
            }
        }
        if !steps.iter().any(Step::is_visit) {
            if held.iter().any(|&n| n > 0) {
                let message = format!("worker {}'s run holds a break but no visit", worker.id);
                self.report(Some(&worker.id), None, "break", message);
            }
            return;
        }
        for (i, n) in held.into_iter().enumerate().filter(|&(_, n)| n != 1) {
            let message = format!(
                "worker {}'s run holds break {i} {n} times, not once",
                worker.id
            );
            self.report(Some(&worker.id), None, "break", message);
        }
    }

    /// Rules 4 and 7: arrivals, windows, the shift's end and working time. Returns the run's
    /// travel and working time.
    pub(super) fn check_timing(&mut self, w: usize, steps: &[Step]) -> RunFacts {
        let problem = self.problem;
        let worker = &problem.workers[w];
        let mut facts = RunFacts {
            worker: w,
            has_visit: steps.iter().any(Step::is_visit),
            travel: 0.0,
            working: 0.0,
            legs: Vec::with_capacity(steps.len()),
            travel_home: 0.0,
        };
        let Some(first) = steps.first() else {
            return facts;
        };
        let leave = first.start - self.leg(worker, worker.start_place, first).0;
        let mut place = worker.start_place;
        let mut free = worker.shift.start;
        for step in steps {
            let (arc, duration, at) = self.leg(worker, place, step);
            self.check_arrival(worker, step, free + arc);
            self.check_window(worker, step);
            facts.travel += arc;
            facts.legs.push(self.leg_report(step, arc));
            free = step.start + duration;
            place = at;
        }
        let back = travel_time(&problem.travel, worker.mode, place, worker.end_place);
        facts.travel += back;
        facts.travel_home = back;
        self.check_shift_end(worker, free + back);
        facts.working = free + back - leave;
        self.check_working_time(worker, facts.working);
        facts
    }

    /// The report's leg for `step`, reached after `travel`.
    fn leg_report(&self, step: &Step, travel: f64) -> Leg {
        let (visit, part) = match step.kind {
            Kind::Visit { visit, part } => (Some(self.problem.visits[visit].id.clone()), part),
            Kind::Rest(_) => (None, 0),
        };
        Leg {
            visit,
            part,
            travel,
        }
    }

    /// Travel to `step` from `place`, the step's duration, and where the worker is after it.
    fn leg(&self, worker: &Worker, place: usize, step: &Step) -> (f64, f64, usize) {
        match step.kind {
            Kind::Visit { visit, part } => {
                let visit = &self.problem.visits[visit];
                let arc = travel_time(&self.problem.travel, worker.mode, place, visit.place);
                (arc, part_duration(visit, part), visit.place)
            }
            Kind::Rest(i) => (0.0, worker.breaks[i].duration, place),
        }
    }

    fn check_arrival(&mut self, worker: &Worker, step: &Step, arrival: f64) {
        if step.start < arrival - EPS {
            let message = format!(
                "{} starts at {}, before worker {} can be there at {}",
                self.step_name(worker, step),
                num(step.start),
                worker.id,
                num(arrival)
            );
            self.report(Some(&worker.id), self.step_visit(step), "arrival", message);
        }
    }

    fn check_window(&mut self, worker: &Worker, step: &Step) {
        match step.kind {
            Kind::Visit { visit, part } => self.check_visit_window(worker, visit, part, step.start),
            Kind::Rest(i) => self.check_break_window(worker, i, step.start),
        }
    }

    fn check_visit_window(&mut self, worker: &Worker, v: usize, part: u8, start: f64) {
        let visit = &self.problem.visits[v];
        let window = visit.window;
        let message = if start < window.start - EPS {
            format!(
                "{} starts at {}, before its window opens at {}",
                part_name(visit, part),
                num(start),
                num(window.start)
            )
        } else if let Some(late) = visit.max_lateness.filter(|&m| start > window.end + m + EPS) {
            format!(
                "{} starts at {}, after its window's end {} plus the allowed lateness {}",
                part_name(visit, part),
                num(start),
                num(window.end),
                num(late)
            )
        } else {
            return;
        };
        self.report(Some(&worker.id), Some(&visit.id), "window", message);
    }

    fn check_break_window(&mut self, worker: &Worker, i: usize, start: f64) {
        let window = worker.breaks[i].window;
        if start < window.start - EPS || start > window.end + EPS {
            let message = format!(
                "worker {}'s break {i} starts at {}, outside its window {} to {}",
                worker.id,
                num(start),
                num(window.start),
                num(window.end)
            );
            self.report(Some(&worker.id), None, "break", message);
        }
    }

    fn check_shift_end(&mut self, worker: &Worker, home: f64) {
        if home > worker.shift.end + EPS {
            let message = format!(
                "worker {} reaches the end place at {}, after the shift ends at {}",
                worker.id,
                num(home),
                num(worker.shift.end)
            );
            self.report(Some(&worker.id), None, "shift_end", message);
        }
    }

    fn check_working_time(&mut self, worker: &Worker, working: f64) {
        if let Some(limit) = worker.max_working_time.filter(|&m| working > m + EPS) {
            let message = format!(
                "worker {} works for {}, over the limit of {}",
                worker.id,
                num(working),
                num(limit)
            );
            self.report(Some(&worker.id), None, "working_time", message);
        }
    }

    /// Rule 1 and the unassigned list: each part at most once, both parts or neither, and each
    /// visit either made or listed as unassigned, once.
    pub(super) fn check_coverage(&mut self, solution: &Solution, cover: &[Cover]) {
        let listed = self.listed(solution);
        let problem = self.problem;
        for ((visit, cover), listed) in problem.visits.iter().zip(cover).zip(listed) {
            self.check_parts_once(visit, cover);
            let made = cover.parts_made();
            let message = if made > 0 && listed > 0 {
                format!("visit {} is made and also listed as unassigned", visit.id)
            } else if listed > 1 {
                format!("visit {} is listed as unassigned {listed} times", visit.id)
            } else if made == 0 && listed == 0 {
                let message = format!(
                    "visit {} is neither made nor listed as unassigned",
                    visit.id
                );
                self.report(None, Some(&visit.id), "missing", message);
                continue;
            } else {
                continue;
            };
            self.report(None, Some(&visit.id), "duplicate", message);
        }
    }

    /// How many times each visit is listed as unassigned; reports unknown ids.
    fn listed(&mut self, solution: &Solution) -> Vec<usize> {
        let mut listed = vec![0; self.problem.visits.len()];
        for unassigned in &solution.unassigned {
            match self.visits.get(unassigned.visit.as_str()) {
                Some(&v) => listed[v] += 1,
                None => {
                    let id = &unassigned.visit;
                    let message =
                        format!("visit {id} is listed as unassigned but is not in the problem");
                    self.report(None, Some(id), "unknown_visit", message);
                }
            }
        }
        listed
    }

    fn check_parts_once(&mut self, visit: &Visit, cover: &Cover) {
        for part in 0..part_count(visit) {
            let n = cover.count[usize::from(part)];
            if n > 1 {
                let message = format!("{} is made {n} times", part_name(visit, part));
                self.report(None, Some(&visit.id), "duplicate", message);
            }
        }
        if part_count(visit) == 2 && cover.parts_made() == 1 {
            let message = format!(
                "only one of the two carers of visit {} is scheduled",
                visit.id
            );
            self.report(None, Some(&visit.id), "half_assigned", message);
        }
    }

    /// Rule 1's two different workers and rule 6: the two starts of a double-handed visit.
    pub(super) fn check_links(&mut self, cover: &[Cover]) {
        let problem = self.problem;
        for (visit, cover) in problem.visits.iter().zip(cover) {
            let [Some(first), Some(second)] = cover.first else {
                continue;
            };
            if first.worker == second.worker {
                let worker = &problem.workers[first.worker].id;
                let message = format!("worker {worker} makes both parts of visit {}", visit.id);
                self.report(Some(worker), Some(&visit.id), "same_worker", message);
            }
            if let Some(link) = visit.link {
                self.check_link(visit, link, first.start, second.start);
            }
        }
    }

    fn check_link(&mut self, visit: &Visit, link: Link, first: f64, second: f64) {
        let gap = second - first;
        let message = match link {
            Link::Together { tolerance } if gap.abs() > tolerance + EPS => format!(
                "the carers of visit {} start at {} and {}, more than the tolerance {} apart",
                visit.id,
                num(first),
                num(second),
                num(tolerance)
            ),
            Link::Ordered { min_gap, max_gap } if gap < min_gap - EPS || gap > max_gap + EPS => {
                format!(
                    "the second carer of visit {} starts {} after the first, outside {} to {}",
                    visit.id,
                    num(gap),
                    num(min_gap),
                    num(max_gap)
                )
            }
            _ => return,
        };
        self.report(None, Some(&visit.id), "sync", message);
    }

    fn step_name(&self, worker: &Worker, step: &Step) -> String {
        match step.kind {
            Kind::Visit { visit, part } => part_name(&self.problem.visits[visit], part),
            Kind::Rest(i) => format!("worker {}'s break {i}", worker.id),
        }
    }

    fn step_visit(&self, step: &Step) -> Option<&'a str> {
        let problem = self.problem;
        match step.kind {
            Kind::Visit { visit, .. } => Some(problem.visits[visit].id.as_str()),
            Kind::Rest(_) => None,
        }
    }
}

/// A number for a message: at most six decimals, without trailing zeros.
fn num(x: f64) -> String {
    let text = format!("{x:.6}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}
