//! The independent checker: every rule of a solution and its objective, recomputed from the
//! [`Problem`] and the solution's stops and start times alone.
//!
//! It shares no code with the solver — not even travel times — so that a fault in one is caught
//! by the other. It takes the start times as given and never reschedules. A stop it cannot make
//! sense of (an unknown visit, a part the visit does not have, a break the worker does not take)
//! is reported and then left out, as if it were not in the run; so is a run of an unknown worker,
//! and every run of a worker after their first.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use crate::{
    Link, Mode, Objective, Problem, Rounding, Run, Solution, Stop, Travel, Visit, Weights, Worker,
};

/// Allowance for floating-point noise in every comparison.
const EPS: f64 = 1e-6;

/// Radius of the sphere used for great-circle distances, in km (the mean Earth radius).
const EARTH_RADIUS_KM: f64 = 6371.0088;

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

/// A stop understood: a part of a known visit, or one of the worker's breaks.
#[derive(Debug, Clone, Copy)]
struct Step {
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

    fn made(&self, worker: usize) -> Option<Made> {
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

/// A visit part made by a worker at a start time.
#[derive(Debug, Clone, Copy)]
struct Made {
    visit: usize,
    part: u8,
    worker: usize,
    start: f64,
}

/// How often each part of a visit is made, and its first making.
#[derive(Debug, Clone, Copy, Default)]
struct Cover {
    count: [usize; 2],
    first: [Option<Made>; 2],
}

impl Cover {
    fn parts_made(&self) -> usize {
        self.count.iter().filter(|&&n| n > 0).count()
    }
}

/// What a checked run contributes to the objective, and its legs for the report.
#[derive(Debug, Clone)]
struct RunFacts {
    worker: usize,
    has_visit: bool,
    travel: f64,
    working: f64,
    legs: Vec<Leg>,
    travel_home: f64,
}

/// Collects violations while walking the solution.
struct Checker<'a> {
    problem: &'a Problem,
    workers: HashMap<&'a str, usize>,
    visits: HashMap<&'a str, usize>,
    violations: Vec<Violation>,
}

impl<'a> Checker<'a> {
    fn new(problem: &'a Problem) -> Self {
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
    fn check_places(&mut self) {
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
    fn run_worker(&mut self, run: &Run, used: &mut [bool]) -> Option<usize> {
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
    fn resolve(&mut self, w: usize, stop: &Stop) -> Option<Step> {
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
    fn check_demands(&mut self, w: usize, steps: &[Step]) {
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
    fn check_breaks(&mut self, w: usize, steps: &[Step]) {
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
    fn check_timing(&mut self, w: usize, steps: &[Step]) -> RunFacts {
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
    fn check_coverage(&mut self, solution: &Solution, cover: &[Cover]) {
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
    fn check_links(&mut self, cover: &[Cover]) {
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

/// How many parts a visit has: two for two carers, otherwise one.
fn part_count(visit: &Visit) -> u8 {
    if visit.carers == 2 { 2 } else { 1 }
}

fn part_skills(visit: &Visit, part: u8) -> &[String] {
    let second = visit.second.as_ref().and_then(|s| s.skills.as_ref());
    match second {
        Some(skills) if part == 1 => skills,
        _ => &visit.skills,
    }
}

fn part_duration(visit: &Visit, part: u8) -> f64 {
    let second = visit.second.as_ref().and_then(|s| s.duration);
    match second {
        Some(duration) if part == 1 => duration,
        _ => visit.duration,
    }
}

fn part_name(visit: &Visit, part: u8) -> String {
    if part_count(visit) == 2 {
        format!("visit {} part {part}", visit.id)
    } else {
        format!("visit {}", visit.id)
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

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= EPS * a.abs().max(b.abs()).max(1.0)
}

fn parts_of(o: &Objective) -> [f64; 9] {
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

// Travel, computed here afresh so that the solver's travel is checked too.

fn place_count(travel: &Travel) -> usize {
    match travel {
        Travel::Euclidean { places, .. } | Travel::Geographic { places, .. } => places.len(),
        Travel::Matrix { car, .. } => car.len(),
    }
}

/// Travel time from place `from` to place `to` for a worker travelling by `mode`; `0` for a
/// place that does not exist (reported by `check_places`).
fn travel_time(travel: &Travel, mode: Mode, from: usize, to: usize) -> f64 {
    match travel {
        Travel::Euclidean { places, rounding } => euclidean(places, *rounding, from, to),
        Travel::Geographic {
            places,
            detour_factor,
            speeds,
        } => {
            let speed = match mode {
                Mode::Car => speeds.car,
                Mode::Bike => speeds.bike,
                Mode::Foot => speeds.foot,
            };
            great_circle_km(places, from, to) * detour_factor / speed * 60.0
        }
        Travel::Matrix { car, bike, foot } => {
            let matrix = match mode {
                Mode::Car => car,
                Mode::Bike => bike.as_ref().unwrap_or(car),
                Mode::Foot => foot.as_ref().unwrap_or(car),
            };
            matrix
                .get(from)
                .and_then(|row| row.get(to))
                .copied()
                .unwrap_or(0.0)
        }
    }
}

fn euclidean(places: &[[f64; 2]], rounding: Rounding, from: usize, to: usize) -> f64 {
    let (Some(a), Some(b)) = (places.get(from), places.get(to)) else {
        return 0.0;
    };
    let d = (a[0] - b[0]).hypot(a[1] - b[1]);
    match rounding {
        Rounding::Exact => d,
        Rounding::TruncateTenth => (10.0 * d).floor() / 10.0,
    }
}

/// Haversine distance between two `[latitude, longitude]` places in degrees, in km.
fn great_circle_km(places: &[[f64; 2]], from: usize, to: usize) -> f64 {
    let (Some(a), Some(b)) = (places.get(from), places.get(to)) else {
        return 0.0;
    };
    let (lat1, lat2) = (a[0].to_radians(), b[0].to_radians());
    let half_dlat = (lat2 - lat1) / 2.0;
    let half_dlon = (b[1] - a[1]).to_radians() / 2.0;
    let h = half_dlat.sin().powi(2) + lat1.cos() * lat2.cos() * half_dlon.sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.clamp(0.0, 1.0).sqrt().asin()
}

// The objective.

/// How each visit's parts are made.
fn cover(problem: &Problem, made: &[Made]) -> Vec<Cover> {
    let mut cover = vec![Cover::default(); problem.visits.len()];
    for m in made {
        let c = &mut cover[m.visit];
        let part = usize::from(m.part);
        c.count[part] += 1;
        c.first[part].get_or_insert(*m);
    }
    cover
}

fn objective(problem: &Problem, made: &[Made], cover: &[Cover], runs: &[RunFacts]) -> Objective {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Break, SecondPart, Speeds, Unassigned, Window};

    fn worker(id: &str) -> Worker {
        Worker::new(id, 0, Window::new(0.0, 200.0))
    }

    fn visit(id: &str, place: usize, start: f64, end: f64, duration: f64) -> Visit {
        Visit::new(id, place, Window::new(start, end), duration)
    }

    fn plane(places: Vec<[f64; 2]>) -> Travel {
        Travel::Euclidean {
            places,
            rounding: Rounding::Exact,
        }
    }

    fn run(worker: &str, stops: Vec<Stop>) -> Run {
        Run {
            worker: worker.to_owned(),
            stops,
        }
    }

    fn solution(runs: Vec<Run>, unassigned: &[&str]) -> Solution {
        Solution {
            problem: "test".to_owned(),
            runs,
            unassigned: unassigned
                .iter()
                .map(|v| Unassigned {
                    visit: (*v).to_owned(),
                    reason: "no room".to_owned(),
                })
                .collect(),
            objective: Objective::default(),
        }
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    fn rules(report: &Report) -> Vec<&'static str> {
        report.violations.iter().map(|v| v.rule).collect()
    }

    /// "Two calls on a line": the office at (0,0), v1 at (3,4), v2 at (6,8); ann and bob.
    /// Every leg is 5 except v2 back to the office, 10.
    fn base() -> Problem {
        Problem {
            name: "two calls on a line".to_owned(),
            travel: plane(vec![[0.0, 0.0], [3.0, 4.0], [6.0, 8.0]]),
            workers: vec![worker("ann"), worker("bob")],
            visits: vec![
                visit("v1", 1, 10.0, 20.0, 30.0),
                visit("v2", 2, 40.0, 50.0, 20.0),
            ],
            weights: Weights::default(),
        }
    }

    /// ann: leaves 5, v1 10–40, arrives at v2 45, v2 45–65, home 75.
    fn base_stops() -> Vec<Stop> {
        vec![Stop::visit("v1", 0, 10.0), Stop::visit("v2", 0, 45.0)]
    }

    fn base_solution() -> Solution {
        solution(vec![run("ann", base_stops())], &[])
    }

    fn assert_close(actual: f64, expected: f64) {
        assert!(
            (actual - expected).abs() < 1e-9,
            "{actual} is not {expected}"
        );
    }

    #[test]
    fn base_is_feasible_with_travel_only() {
        let report = check(&base(), &base_solution());
        assert!(report.is_feasible(), "{:?}", report.violations);
        // Travel 5 + 5 + 10 = 20; ann used once; the vehicle weight is 0 by default.
        assert_close(report.objective.travel, 20.0);
        assert_close(report.objective.vehicles, 1.0);
        assert_close(report.objective.total, 20.0);
    }

    #[test]
    fn feasible_day_objective_by_hand() {
        let mut problem = base();
        problem.name = "a day with every part".to_owned();
        problem.workers[0].contracted_time = 100.0;
        problem.workers[0].guaranteed_time = 60.0;
        problem.workers[1].contracted_time = 50.0;
        problem.workers[1].guaranteed_time = 30.0;
        for v in &mut problem.visits {
            v.person = Some("p1".to_owned());
        }
        problem.visits[0].preferred = strings(&["bob"]);
        let mut v3 = visit("v3", 1, 0.0, 10.0, 5.0);
        v3.priority = 2.0;
        problem.visits.push(v3);
        let stops = vec![Stop::visit("v1", 0, 10.0), Stop::visit("v2", 0, 55.0)];
        let report = check(&problem, &solution(vec![run("ann", stops)], &["v3"]));
        assert!(report.is_feasible(), "{:?}", report.violations);
        // ann: leaves 5, v1 10–40, at v2 by 45, waits, v2 55–75 (5 late), home 85.
        // Working time 85 − (10 − 5) = 80; bob has none, so 0.
        // unassigned 2 (v3's priority); vehicles 1; lateness 5; max lateness 5;
        // travel 5 + 5 + 10 = 20; continuity: p1 sees only ann (0) + v1 by ann, not bob (1) = 1;
        // shortfall: ann max(0, 60 − 80) = 0, bob 30 − 0 = 30;
        // fairness: ann 100·80/100 = 80 %, bob 0 % → 80.
        // Total: 100000·2 + 0·1 + 10·5 + 10·5 + 1·20 + 15·1 + 0.5·30 + 0.2·80
        //      = 200000 + 50 + 50 + 20 + 15 + 15 + 16 = 200166.
        let o = report.objective;
        let expected = [200_166.0, 2.0, 1.0, 5.0, 5.0, 20.0, 1.0, 30.0, 80.0];
        for (actual, expected) in parts_of(&o).into_iter().zip(expected) {
            assert_close(actual, expected);
        }
        assert!(report.objective_matches(&o));
    }

    /// "Double-handed lift": the office at (0,0), d1 at (0,6), d2 at (8,6); legs 6, 8 and 10.
    fn lift() -> Problem {
        let mut d1 = visit("d1", 1, 10.0, 20.0, 30.0);
        d1.carers = 2;
        d1.link = Some(Link::Together { tolerance: 2.0 });
        d1.skills = strings(&["hoist"]);
        d1.second = Some(SecondPart {
            skills: Some(Vec::new()),
            duration: Some(20.0),
        });
        d1.person = Some("pat".to_owned());
        let mut d2 = visit("d2", 2, 50.0, 60.0, 10.0);
        d2.carers = 2;
        d2.link = Some(Link::Ordered {
            min_gap: 5.0,
            max_gap: 15.0,
        });
        d2.person = Some("pat".to_owned());
        let mut ann = worker("ann");
        ann.skills = strings(&["hoist"]);
        Problem {
            name: "double-handed lift".to_owned(),
            travel: plane(vec![[0.0, 0.0], [0.0, 6.0], [8.0, 6.0]]),
            workers: vec![ann, worker("bob")],
            visits: vec![d1, d2],
            weights: Weights::default(),
        }
    }

    fn lift_solution(bob_d1: f64, bob_d2: f64) -> Solution {
        let ann = vec![Stop::visit("d1", 0, 10.0), Stop::visit("d2", 0, 50.0)];
        let bob = vec![Stop::visit("d1", 1, bob_d1), Stop::visit("d2", 1, bob_d2)];
        solution(vec![run("ann", ann), run("bob", bob)], &[])
    }

    #[test]
    fn double_handed_together_and_ordered_objective_by_hand() {
        let report = check(&lift(), &lift_solution(11.0, 62.0));
        assert!(report.is_feasible(), "{:?}", report.violations);
        // ann: d1 part 0 10–40 (arrives 6), at d2 by 48, d2 part 0 50–60, home 70.
        // bob (no hoist, but part 1 needs none): d1 part 1 11–31 (|11 − 10| = 1 ≤ 2), at d2 by
        // 39, d2 part 1 62–72 (gap 12 within 5 to 15; 2 late), home 82.
        // unassigned 0; vehicles 2; lateness 2; max 2; travel (6 + 8 + 10)·2 = 48;
        // continuity: pat sees ann and bob → 1; no contracts or guarantees → 0 and 0.
        // Total: 10·2 + 10·2 + 48 + 15·1 = 103.
        let expected = [103.0, 0.0, 2.0, 2.0, 2.0, 48.0, 1.0, 0.0, 0.0];
        for (actual, expected) in parts_of(&report.objective).into_iter().zip(expected) {
            assert_close(actual, expected);
        }
    }

    #[test]
    fn together_too_far_apart_is_sync() {
        let report = check(&lift(), &lift_solution(12.5, 62.0));
        assert_eq!(rules(&report), ["sync"]);
        assert_eq!(report.violations[0].visit.as_deref(), Some("d1"));
    }

    #[test]
    fn ordered_gap_outside_is_sync() {
        for bob_d2 in [54.0, 66.0] {
            let report = check(&lift(), &lift_solution(11.0, bob_d2));
            assert_eq!(rules(&report), ["sync"], "at {bob_d2}");
            assert_eq!(report.violations[0].visit.as_deref(), Some("d2"));
        }
    }

    #[test]
    fn second_part_needs_the_visits_skills_unless_told_otherwise() {
        let mut problem = lift();
        problem.visits[0].second = None;
        let report = check(&problem, &lift_solution(11.0, 62.0));
        assert_eq!(rules(&report), ["skills"]);
        // The second part now lasts 30 as well, which still fits.
    }

    #[test]
    fn break_where_the_worker_is() {
        let mut problem = base();
        problem.name = "a break between calls".to_owned();
        problem.visits = vec![
            visit("v1", 1, 0.0, 100.0, 20.0),
            visit("v2", 2, 0.0, 100.0, 10.0),
        ];
        problem.workers[0].breaks = vec![Break {
            window: Window::new(30.0, 40.0),
            duration: 15.0,
        }];
        problem.workers[0].guaranteed_time = 100.0;
        let stops = vec![
            Stop::visit("v1", 0, 5.0),
            Stop::rest(0, 30.0),
            Stop::visit("v2", 0, 50.0),
        ];
        let report = check(&problem, &solution(vec![run("ann", stops)], &[]));
        assert!(report.is_feasible(), "{:?}", report.violations);
        // ann: v1 5–25 at (3,4); break 30–45 there; from there to v2 is 5, so arrives 50;
        // v2 50–60; home 70. Working time 70 − (5 − 5) = 70.
        // travel 5 + 0 + 5 + 10 = 20; shortfall 100 − 70 = 30.
        // Total: 1·20 + 0.5·30 = 35.
        let o = report.objective;
        assert_close(o.travel, 20.0);
        assert_close(o.shortfall, 30.0);
        assert_close(o.total, 35.0);
        // Had the break been taken at the office, v2 could not start before 55.
        let early = vec![
            Stop::visit("v1", 0, 5.0),
            Stop::rest(0, 30.0),
            Stop::visit("v2", 0, 49.0),
        ];
        let report = check(&problem, &solution(vec![run("ann", early)], &[]));
        assert_eq!(rules(&report), ["arrival"]);
    }

    #[test]
    fn geographic_travel_by_bike() {
        // Two places 0.1° apart on a meridian: 6371.0088 · 0.1 · π/180 = 11.119508 km;
        // by bike at 15 km/h with detour 1.5: 11.119508 · 1.5 / 15 · 60 = 66.717048 minutes.
        let leg = EARTH_RADIUS_KM * 0.1_f64.to_radians() * 1.5 / 15.0 * 60.0;
        let mut cyclist = worker("cy");
        cyclist.mode = Mode::Bike;
        let problem = Problem {
            name: "a bike ride".to_owned(),
            travel: Travel::Geographic {
                places: vec![[51.0, -0.5], [51.1, -0.5]],
                detour_factor: 1.5,
                speeds: Speeds {
                    car: 30.0,
                    bike: 15.0,
                    foot: 5.0,
                },
            },
            workers: vec![cyclist],
            visits: vec![visit("v1", 1, 0.0, 1000.0, 10.0)],
            weights: Weights::default(),
        };
        let ok = solution(vec![run("cy", vec![Stop::visit("v1", 0, 70.0)])], &[]);
        let report = check(&problem, &ok);
        assert!(report.is_feasible(), "{:?}", report.violations);
        assert_close(leg, 66.717_048_140_119_74);
        assert_close(report.objective.travel, 2.0 * leg);
        // By car it would take 33.36 minutes, so 60 is fine for a car but not a bike.
        let early = solution(vec![run("cy", vec![Stop::visit("v1", 0, 60.0)])], &[]);
        assert_eq!(rules(&check(&problem, &early)), ["arrival"]);
    }

    #[test]
    fn truncated_euclidean() {
        // (0,0) → (1,1) is 1.414… → 1.4; (1,1) → (2,3) is 2.236… → 2.2; (2,3) → (0,0) is
        // 3.605… → 3.6. v1 1.4–2.4, v2 4.6–5.6, home 9.2 = the shift's end. Travel 7.2.
        let mut problem = base();
        problem.name = "truncated arcs".to_owned();
        problem.travel = Travel::Euclidean {
            places: vec![[0.0, 0.0], [1.0, 1.0], [2.0, 3.0]],
            rounding: Rounding::TruncateTenth,
        };
        problem.workers[0].shift = Window::new(0.0, 9.2);
        problem.visits = vec![
            visit("v1", 1, 0.0, 10.0, 1.0),
            visit("v2", 2, 0.0, 10.0, 1.0),
        ];
        let stops = vec![Stop::visit("v1", 0, 1.4), Stop::visit("v2", 0, 4.6)];
        let sol = solution(vec![run("ann", stops)], &[]);
        let report = check(&problem, &sol);
        assert!(report.is_feasible(), "{:?}", report.violations);
        assert_close(report.objective.travel, 7.2);
        // Unrounded, v1 cannot start at 1.4, nor v2 at 4.6, and home is too late.
        problem.travel = plane(vec![[0.0, 0.0], [1.0, 1.0], [2.0, 3.0]]);
        assert_eq!(
            rules(&check(&problem, &sol)),
            ["arrival", "arrival", "shift_end"]
        );
    }

    #[test]
    fn matrix_falls_back_to_car() {
        let mut problem = base();
        problem.travel = Travel::Matrix {
            car: vec![
                vec![0.0, 4.0, 9.0],
                vec![4.0, 0.0, 5.0],
                vec![9.0, 5.0, 0.0],
            ],
            bike: None,
            foot: Some(vec![vec![0.0; 3]; 3]),
        };
        problem.workers[0].mode = Mode::Bike;
        let report = check(&problem, &base_solution());
        assert!(report.is_feasible(), "{:?}", report.violations);
        assert_close(report.objective.travel, 4.0 + 5.0 + 9.0);
        problem.workers[0].mode = Mode::Foot;
        assert_close(check(&problem, &base_solution()).objective.travel, 0.0);
    }

    #[test]
    fn missing_skill() {
        let mut problem = base();
        problem.visits[0].skills = strings(&["insulin"]);
        let report = check(&problem, &base_solution());
        assert_eq!(rules(&report), ["skills"]);
        let v = &report.violations[0];
        assert_eq!(v.worker.as_deref(), Some("ann"));
        assert_eq!(v.visit.as_deref(), Some("v1"));
        assert_eq!(
            v.to_string(),
            "skills: worker ann lacks insulin needed by visit v1"
        );
    }

    #[test]
    fn excluded_worker() {
        let mut problem = base();
        problem.visits[0].excluded = strings(&["ann"]);
        assert_eq!(rules(&check(&problem, &base_solution())), ["excluded"]);
    }

    #[test]
    fn over_capacity() {
        let mut problem = base();
        problem.workers[0].capacity = Some(5.0);
        problem.visits[0].demand = 3.0;
        problem.visits[1].demand = 3.0;
        assert_eq!(rules(&check(&problem, &base_solution())), ["capacity"]);
        problem.workers[0].capacity = Some(6.0);
        assert!(check(&problem, &base_solution()).is_feasible());
    }

    #[test]
    fn before_the_window_opens() {
        let mut problem = base();
        problem.visits[0].window.start = 12.0;
        assert_eq!(rules(&check(&problem, &base_solution())), ["window"]);
    }

    #[test]
    fn later_than_the_lateness_allowed() {
        let mut problem = base();
        problem.visits[1].window.end = 44.0;
        assert!(check(&problem, &base_solution()).is_feasible());
        problem.visits[1].max_lateness = Some(0.0);
        let report = check(&problem, &base_solution());
        assert_eq!(rules(&report), ["window"]);
        // The lateness still counts in the objective: 45 − 44 = 1.
        assert_close(report.objective.lateness, 1.0);
    }

    #[test]
    fn starts_before_arrival() {
        let stops = vec![Stop::visit("v1", 0, 10.0), Stop::visit("v2", 0, 44.0)];
        let report = check(&base(), &solution(vec![run("ann", stops)], &[]));
        assert_eq!(rules(&report), ["arrival"]);
    }

    #[test]
    fn home_after_the_shift() {
        let mut problem = base();
        problem.workers[0].shift.end = 70.0;
        assert_eq!(rules(&check(&problem, &base_solution())), ["shift_end"]);
    }

    #[test]
    fn too_long_at_work() {
        let mut problem = base();
        // Working time 75 − (10 − 5) = 70.
        problem.workers[0].max_working_time = Some(60.0);
        assert_eq!(rules(&check(&problem, &base_solution())), ["working_time"]);
        problem.workers[0].max_working_time = Some(70.0);
        assert!(check(&problem, &base_solution()).is_feasible());
    }

    fn with_break(problem: &mut Problem) {
        problem.workers[0].breaks = vec![Break {
            window: Window::new(60.0, 70.0),
            duration: 5.0,
        }];
    }

    #[test]
    fn break_left_out() {
        let mut problem = base();
        with_break(&mut problem);
        assert_eq!(rules(&check(&problem, &base_solution())), ["break"]);
    }

    #[test]
    fn break_taken_twice_or_outside_its_window() {
        let mut problem = base();
        with_break(&mut problem);
        let mut stops = base_stops();
        stops.push(Stop::rest(0, 65.0));
        assert!(check(&problem, &solution(vec![run("ann", stops.clone())], &[])).is_feasible());
        stops.push(Stop::rest(0, 70.0));
        let report = check(&problem, &solution(vec![run("ann", stops)], &[]));
        assert_eq!(rules(&report), ["break"]);
        let mut late = base_stops();
        late.push(Stop::rest(0, 80.0));
        let report = check(&problem, &solution(vec![run("ann", late)], &[]));
        assert_eq!(rules(&report), ["break"]);
    }

    #[test]
    fn break_without_visits_or_unknown() {
        let mut problem = base();
        with_break(&mut problem);
        problem.workers[1].breaks = problem.workers[0].breaks.clone();
        let mut stops = base_stops();
        stops.push(Stop::rest(0, 65.0));
        let idle = run("bob", vec![Stop::rest(0, 60.0)]);
        let report = check(
            &problem,
            &solution(vec![run("ann", stops.clone()), idle], &[]),
        );
        assert_eq!(rules(&report), ["break"]);
        assert_eq!(report.violations[0].worker.as_deref(), Some("bob"));
        // An idle run costs nothing.
        assert_close(report.objective.vehicles, 1.0);
        stops.push(Stop::rest(3, 70.0));
        let report = check(&problem, &solution(vec![run("ann", stops)], &[]));
        assert_eq!(rules(&report), ["break"]);
    }

    #[test]
    fn part_made_twice() {
        let twice = run("bob", vec![Stop::visit("v1", 0, 10.0)]);
        let report = check(
            &base(),
            &solution(vec![run("ann", base_stops()), twice], &[]),
        );
        assert_eq!(rules(&report), ["duplicate"]);
    }

    #[test]
    fn made_and_unassigned() {
        let mut sol = base_solution();
        sol.unassigned = solution(Vec::new(), &["v1"]).unassigned;
        assert_eq!(rules(&check(&base(), &sol)), ["duplicate"]);
    }

    #[test]
    fn unassigned_twice() {
        let mut problem = base();
        problem.visits.push(visit("v3", 1, 0.0, 10.0, 5.0));
        let sol = solution(vec![run("ann", base_stops())], &["v3", "v3"]);
        let report = check(&problem, &sol);
        assert_eq!(rules(&report), ["duplicate"]);
        assert_close(report.objective.unassigned, 1.0);
    }

    #[test]
    fn two_runs_for_one_worker() {
        let sol = solution(vec![run("ann", base_stops()), run("ann", Vec::new())], &[]);
        assert_eq!(rules(&check(&base(), &sol)), ["duplicate"]);
    }

    #[test]
    fn only_one_carer_of_two() {
        let mut problem = base();
        problem.visits[0].carers = 2;
        let report = check(&problem, &base_solution());
        assert_eq!(rules(&report), ["half_assigned"]);
        // Half a visit is not a visit made.
        assert_close(report.objective.unassigned, 1.0);
    }

    #[test]
    fn one_worker_makes_both_parts() {
        let mut problem = base();
        problem.visits[0].carers = 2;
        // v1 part 0 10–40, part 1 40–70 in the same place, v2 from 75 (late, unbounded), home 105.
        let stops = vec![
            Stop::visit("v1", 0, 10.0),
            Stop::visit("v1", 1, 40.0),
            Stop::visit("v2", 0, 75.0),
        ];
        let report = check(&problem, &solution(vec![run("ann", stops)], &[]));
        assert_eq!(rules(&report), ["same_worker"]);
    }

    #[test]
    fn part_one_of_a_single_visit() {
        let stops = vec![Stop::visit("v1", 1, 10.0), Stop::visit("v2", 0, 45.0)];
        let report = check(&base(), &solution(vec![run("ann", stops)], &["v1"]));
        assert_eq!(rules(&report), ["part"]);
    }

    #[test]
    fn unknown_visit_in_a_run_or_unassigned() {
        let mut stops = base_stops();
        stops.push(Stop::visit("v9", 0, 70.0));
        let report = check(&base(), &solution(vec![run("ann", stops)], &[]));
        assert_eq!(rules(&report), ["unknown_visit"]);
        let report = check(&base(), &solution(vec![run("ann", base_stops())], &["v9"]));
        assert_eq!(rules(&report), ["unknown_visit"]);
    }

    #[test]
    fn unknown_worker() {
        let sol = solution(vec![run("ann", base_stops()), run("zed", Vec::new())], &[]);
        let report = check(&base(), &sol);
        assert_eq!(rules(&report), ["unknown_worker"]);
        assert_eq!(report.violations[0].worker.as_deref(), Some("zed"));
    }

    #[test]
    fn visit_neither_made_nor_unassigned() {
        let sol = solution(vec![run("ann", vec![Stop::visit("v1", 0, 10.0)])], &[]);
        let report = check(&base(), &sol);
        assert_eq!(rules(&report), ["missing"]);
        assert_close(report.objective.unassigned, 1.0);
    }

    #[test]
    fn malformed_stop() {
        let mut stops = base_stops();
        stops.push(Stop {
            visit: None,
            part: 0,
            break_index: None,
            start: 70.0,
        });
        let report = check(&base(), &solution(vec![run("ann", stops)], &[]));
        assert_eq!(rules(&report), ["stop"]);
    }

    #[test]
    fn place_out_of_range() {
        let mut problem = base();
        problem.visits[0].place = 7;
        assert_eq!(rules(&check(&problem, &base_solution())), ["place"]);
    }

    #[test]
    fn objective_tolerance() {
        let report = check(&base(), &base_solution());
        let mut claimed = report.objective;
        assert!(report.objective_matches(&claimed));
        claimed.travel += 1e-8;
        assert!(report.objective_matches(&claimed));
        claimed.total += 0.5;
        assert!(!report.objective_matches(&claimed));
        let mut near_zero = report.objective;
        near_zero.lateness = 5e-7;
        assert!(report.objective_matches(&near_zero));
        near_zero.lateness = 2e-6;
        assert!(!report.objective_matches(&near_zero));
    }

    #[test]
    fn empty_run_is_fine() {
        let sol = solution(vec![run("ann", base_stops()), run("bob", Vec::new())], &[]);
        let report = check(&base(), &sol);
        assert!(report.is_feasible(), "{:?}", report.violations);
        assert_close(report.objective.vehicles, 1.0);
    }
}
