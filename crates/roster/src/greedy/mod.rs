//! A simple greedy baseline: a coordinator filling runs by hand.
//!
//! [`solve`] takes the visits in order of window start (the problem's order among equals) and
//! appends each to the **end** of the run of the eligible worker who can reach it in time with
//! the least added travel; a double-handed visit goes to the cheapest pair of two different
//! workers whose starts can be made to satisfy its link. Nothing is ever moved once placed, and
//! a visit no run can take is left unmade with the reason. It stands for the practice that the
//! engine's solver is measured against, not for a good answer.
//!
//! Every hard rule of the crate docs holds in its solutions. Breaks are placed at the first
//! point their window allows: before a visit when the worker is already free at or after the
//! window's start, or when making the visit first would end it after the window's end (waiting
//! for the window if need be); a break still due after the run's last visit is taken there.
//! Each append checks that the run can still be closed: the breaks still due fit after the
//! visit, the worker is home by the shift's end, and the working time stays within its bound.

use std::collections::BTreeSet;

use crate::travel::{Matrix, matrix};
use crate::{Link, Mode, Objective, Problem, Run, Solution, Stop, Unassigned, Visit, Window};

/// Allowance for floating-point noise in every comparison.
const EPS: f64 = 1e-9;
/// Most rounds of delaying one part of a double-handed visit to meet the other's start.
const SYNC_ROUNDS: usize = 8;

/// Runs the greedy baseline on `problem`.
///
/// A problem that fails validation gets no runs: every visit is left unmade with the fault
/// as the reason.
pub fn solve(problem: &Problem) -> Solution {
    if let Err(fault) = crate::validate::validate(problem) {
        let reason = format!("invalid problem: {}: {}", fault.field, fault.message);
        let unassigned = problem
            .visits
            .iter()
            .map(|visit| unmade(visit, &reason))
            .collect();
        return finish(problem, Vec::new(), unassigned);
    }
    let mut greedy = Greedy::new(problem);
    let mut order: Vec<usize> = (0..problem.visits.len()).collect();
    order.sort_by(|a, b| {
        let (a, b) = (&problem.visits[*a].window, &problem.visits[*b].window);
        a.start.total_cmp(&b.start)
    });
    let mut unassigned = Vec::new();
    for index in order {
        let outcome = if problem.visits[index].carers >= 2 {
            greedy.place_double(index)
        } else {
            greedy.place_single(index)
        };
        if let Err(reason) = outcome {
            unassigned.push(unmade(&problem.visits[index], &reason));
        }
    }
    let runs = greedy.close();
    finish(problem, runs, unassigned)
}

fn unmade(visit: &Visit, reason: &str) -> Unassigned {
    Unassigned {
        visit: visit.id.clone(),
        reason: reason.to_owned(),
    }
}

/// One part of a visit, as the greedy sees it.
#[derive(Debug, Clone, Copy)]
struct Part<'a> {
    visit: usize,
    part: u8,
    place: usize,
    window: Window,
    /// Latest start: the window's end plus the visit's `max_lateness`.
    latest: f64,
    duration: f64,
    skills: &'a [String],
    demand: f64,
}

impl<'a> Part<'a> {
    fn of(problem: &'a Problem, visit: usize, part: u8) -> Self {
        let v = &problem.visits[visit];
        let second = v.second.as_ref().filter(|_| part == 1);
        Self {
            visit,
            part,
            place: v.place,
            window: v.window,
            latest: v.window.end + v.max_lateness.unwrap_or(f64::INFINITY),
            duration: second.and_then(|s| s.duration).unwrap_or(v.duration),
            skills: second
                .and_then(|s| s.skills.as_deref())
                .unwrap_or(&v.skills),
            demand: v.demand,
        }
    }
}

/// A worker's run as built so far.
#[derive(Debug, Clone)]
struct RunState {
    stops: Vec<Stop>,
    /// Where the worker is: the last visit's place, or the start place.
    place: usize,
    /// When the last stop ends (the shift's start before any).
    time: f64,
    /// Breaks not yet placed, by window start.
    due: Vec<usize>,
    /// First stop's start less the travel to it: when the worker leaves home.
    leave: Option<f64>,
    load: f64,
    visits: usize,
}

/// Where and when a part would go at the end of a run.
#[derive(Debug, Clone)]
struct Plan {
    /// Breaks taken just before the part: (break number, start).
    breaks: Vec<(usize, f64)>,
    start: f64,
    /// Increase of the run's travel, the way home included.
    added: f64,
    /// Breaks still due after the part.
    due: Vec<usize>,
    leave: f64,
}

/// The greedy's state: the problem, a travel matrix per mode in use, and the runs so far.
struct Greedy<'a> {
    problem: &'a Problem,
    matrices: Vec<(Mode, Matrix)>,
    runs: Vec<RunState>,
}

impl<'a> Greedy<'a> {
    fn new(problem: &'a Problem) -> Self {
        let mut matrices: Vec<(Mode, Matrix)> = Vec::new();
        for worker in &problem.workers {
            if !matrices.iter().any(|(mode, _)| *mode == worker.mode) {
                matrices.push((worker.mode, matrix(&problem.travel, worker.mode)));
            }
        }
        let runs = problem.workers.iter().map(|worker| {
            let mut due: Vec<usize> = (0..worker.breaks.len()).collect();
            due.sort_by(|a, b| {
                worker.breaks[*a]
                    .window
                    .start
                    .total_cmp(&worker.breaks[*b].window.start)
            });
            RunState {
                stops: Vec::new(),
                place: worker.start_place,
                time: worker.shift.start,
                due,
                leave: None,
                load: 0.0,
                visits: 0,
            }
        });
        Self {
            problem,
            matrices,
            runs: runs.collect(),
        }
    }

    fn travel(&self, worker: usize, from: usize, to: usize) -> f64 {
        let mode = self.problem.workers[worker].mode;
        let (_, matrix) = self
            .matrices
            .iter()
            .find(|(m, _)| *m == mode)
            .expect("matrix per mode");
        matrix.time(from, to)
    }

    /// Why `worker` may not make `part` at all (skills, exclusion, capacity), if so.
    fn ineligible(&self, worker: usize, part: &Part) -> Option<Rule> {
        let w = &self.problem.workers[worker];
        let visit = &self.problem.visits[part.visit];
        if !part.skills.iter().all(|skill| w.skills.contains(skill)) {
            Some(Rule::Skills)
        } else if visit.excluded.contains(&w.id) {
            Some(Rule::Excluded)
        } else if w
            .capacity
            .is_some_and(|c| self.runs[worker].load + part.demand > c + EPS)
        {
            Some(Rule::Capacity)
        } else {
            None
        }
    }

    /// The workers who may make `part`, or the first rule that rules out every worker.
    fn eligible(&self, part: &Part) -> Result<Vec<usize>, Rule> {
        let mut strongest = Rule::Skills;
        let mut eligible = Vec::new();
        for worker in 0..self.problem.workers.len() {
            match self.ineligible(worker, part) {
                None => eligible.push(worker),
                Some(rule) => strongest = strongest.max(rule),
            }
        }
        if eligible.is_empty() {
            Err(strongest)
        } else {
            Ok(eligible)
        }
    }

    /// Appending `part` to `worker`'s run, starting no earlier than `not_before`, if every
    /// rule still holds and the run can still be closed.
    fn plan(&self, worker: usize, part: &Part, not_before: f64) -> Option<Plan> {
        let w = &self.problem.workers[worker];
        let run = &self.runs[worker];
        let leg = self.travel(worker, run.place, part.place);
        let earliest = |time: f64| (time + leg).max(part.window.start).max(not_before);
        let mut time = run.time;
        let mut leave = run.leave;
        let mut breaks = Vec::new();
        let mut due = Vec::new();
        for &number in &run.due {
            let rest = &w.breaks[number];
            let free_now = time + EPS >= rest.window.start;
            let too_late_after = earliest(time) + part.duration > rest.window.end + EPS;
            if !(free_now || too_late_after) {
                due.push(number);
                continue;
            }
            let start = time.max(rest.window.start);
            if start > rest.window.end + EPS {
                return None;
            }
            leave.get_or_insert(start);
            breaks.push((number, start));
            time = start + rest.duration;
        }
        let start = earliest(time);
        if start > part.latest + EPS {
            return None;
        }
        let leave = leave.unwrap_or(start - leg);
        let home = self.closing(worker, part.place, start + part.duration, &due)?;
        let within_time = w
            .max_working_time
            .is_none_or(|most| home - leave <= most + EPS);
        if home > w.shift.end + EPS || !within_time {
            return None;
        }
        let back = self.travel(worker, part.place, w.end_place);
        let was_back = if run.visits > 0 {
            self.travel(worker, run.place, w.end_place)
        } else {
            0.0
        };
        let added = leg + back - was_back;
        Some(Plan {
            breaks,
            start,
            added,
            due,
            leave,
        })
    }

    /// When the worker, free at `place` at `time` with `due` breaks still to take, gets home.
    fn closing(&self, worker: usize, place: usize, mut time: f64, due: &[usize]) -> Option<f64> {
        let w = &self.problem.workers[worker];
        for &number in due {
            let rest = &w.breaks[number];
            let start = time.max(rest.window.start);
            if start > rest.window.end + EPS {
                return None;
            }
            time = start + rest.duration;
        }
        Some(time + self.travel(worker, place, w.end_place))
    }

    /// Appends `part` to `worker`'s run as `plan` says.
    fn commit(&mut self, worker: usize, part: &Part, plan: Plan) {
        let visit_id = self.problem.visits[part.visit].id.clone();
        let run = &mut self.runs[worker];
        for (number, start) in plan.breaks {
            run.stops.push(Stop::rest(number, start));
        }
        run.stops.push(Stop::visit(visit_id, part.part, plan.start));
        run.place = part.place;
        run.time = plan.start + part.duration;
        run.due = plan.due;
        run.leave = Some(plan.leave);
        run.load += part.demand;
        run.visits += 1;
    }

    /// Places a one-carer visit at the end of the cheapest run that can take it.
    fn place_single(&mut self, visit: usize) -> Result<(), String> {
        let part = Part::of(self.problem, visit, 0);
        let eligible = self
            .eligible(&part)
            .map_err(|rule| rule.reason().to_owned())?;
        let best = eligible
            .into_iter()
            .filter_map(|worker| {
                self.plan(worker, &part, f64::NEG_INFINITY)
                    .map(|plan| (worker, plan))
            })
            .min_by(|(wa, a), (wb, b)| {
                a.added
                    .total_cmp(&b.added)
                    .then(a.start.total_cmp(&b.start))
                    .then(wa.cmp(wb))
            });
        let (worker, plan) = best.ok_or_else(|| Rule::Timing.reason().to_owned())?;
        self.commit(worker, &part, plan);
        Ok(())
    }

    /// Places both parts of a double-handed visit with two different workers: the cheapest pair
    /// whose starts can be made to meet the link.
    fn place_double(&mut self, visit: usize) -> Result<(), String> {
        let parts = [
            Part::of(self.problem, visit, 0),
            Part::of(self.problem, visit, 1),
        ];
        let first = self
            .eligible(&parts[0])
            .map_err(|rule| rule.reason_for_carer(0))?;
        let second = self
            .eligible(&parts[1])
            .map_err(|rule| rule.reason_for_carer(1))?;
        let union: BTreeSet<usize> = first.iter().chain(&second).copied().collect();
        if union.len() < 2 {
            return Err("fewer than two workers may make it".to_owned());
        }
        let plans = |part: &Part, workers: &[usize]| -> Vec<(usize, Plan)> {
            let planned = workers
                .iter()
                .filter_map(|w| self.plan(*w, part, f64::NEG_INFINITY).map(|p| (*w, p)));
            planned.collect()
        };
        let (first, second) = (plans(&parts[0], &first), plans(&parts[1], &second));
        let link = self.problem.visits[visit].link;
        for (i, j) in cheapest_pairs(&first, &second) {
            let (w0, w1) = (first[i].0, second[j].0);
            let starts = (first[i].1.clone(), second[j].1.clone());
            if let Some((p0, p1)) = self.synchronise(link, [w0, w1], &parts, starts) {
                self.commit(w0, &parts[0], p0);
                self.commit(w1, &parts[1], p1);
                return Ok(());
            }
        }
        Err(Rule::Timing.reason_for_carer(0))
    }

    /// Delays the earlier part until the two starts meet the link, re-planning each run.
    fn synchronise(
        &self,
        link: Option<Link>,
        workers: [usize; 2],
        parts: &[Part; 2],
        (mut a, mut b): (Plan, Plan),
    ) -> Option<(Plan, Plan)> {
        for _ in 0..SYNC_ROUNDS {
            let (s0, s1) = targets(link, a.start, b.start);
            if s0 <= a.start + EPS && s1 <= b.start + EPS {
                return Some((a, b));
            }
            a = self.plan(workers[0], &parts[0], s0)?;
            b = self.plan(workers[1], &parts[1], s1)?;
        }
        None
    }

    /// Finishes every run with a visit, in worker order: the breaks still due after its last
    /// visit.
    fn close(&self) -> Vec<Run> {
        let used = self
            .runs
            .iter()
            .enumerate()
            .filter(|(_, run)| run.visits > 0);
        used.map(|(worker, run)| {
            let w = &self.problem.workers[worker];
            let mut stops = run.stops.clone();
            let mut time = run.time;
            for &number in &run.due {
                let start = time.max(w.breaks[number].window.start);
                stops.push(Stop::rest(number, start));
                time = start + w.breaks[number].duration;
            }
            Run {
                worker: w.id.clone(),
                stops,
            }
        })
        .collect()
    }
}

/// Every pair of two different workers, one planned for each part, cheapest first (by the
/// travel both add, then by position): indices into `first` and `second`.
fn cheapest_pairs(first: &[(usize, Plan)], second: &[(usize, Plan)]) -> Vec<(usize, usize)> {
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (i, (w0, p0)) in first.iter().enumerate() {
        for (j, (w1, p1)) in second.iter().enumerate() {
            if w0 != w1 {
                pairs.push((p0.added + p1.added, i, j));
            }
        }
    }
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    pairs.into_iter().map(|(_, i, j)| (i, j)).collect()
}

/// The starts `(part 0, part 1)` that the link asks for, given the earliest each can make.
fn targets(link: Option<Link>, first: f64, second: f64) -> (f64, f64) {
    match link {
        None => (first, second),
        Some(Link::Together { tolerance }) => {
            let later = first.max(second);
            (first.max(later - tolerance), second.max(later - tolerance))
        }
        Some(Link::Ordered { min_gap, max_gap }) => {
            let first = first.max(second - max_gap);
            (first, second.max(first + min_gap))
        }
    }
}

/// The hard constraints that can rule a visit out, weakest first: an unmade visit's reason is
/// the furthest one every worker got to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rule {
    Skills,
    Excluded,
    Capacity,
    Timing,
}

impl Rule {
    fn reason(self) -> &'static str {
        match self {
            Rule::Skills => "no worker holds the skills",
            Rule::Excluded => "every worker with the skills is excluded",
            Rule::Capacity => "no worker who may make it has the capacity left",
            Rule::Timing => "no run has room for it in time",
        }
    }

    /// The reason for part `part` of a double-handed visit.
    fn reason_for_carer(self, part: usize) -> String {
        match self {
            Rule::Timing => "no two runs can make both parts in time with the link met".to_owned(),
            _ => format!("{} (carer {})", self.reason(), part + 1),
        }
    }
}

/// The solution, its objective recomputed by the checker.
fn finish(problem: &Problem, runs: Vec<Run>, unassigned: Vec<Unassigned>) -> Solution {
    let mut solution = Solution {
        problem: problem.name.clone(),
        runs,
        unassigned,
        objective: Objective::default(),
    };
    solution.objective = crate::check(problem, &solution).objective;
    solution
}

#[cfg(test)]
mod tests;
