//! A solution under search: each run's tasks in order, where every task is, the schedule, and
//! each run's totals. Every change goes through [`State::insert`] and [`State::remove`] and then
//! [`State::reschedule`], which keeps the schedule and totals true.

use crate::model::{Model, NONE};
use crate::solve::walk::{RouteTotals, Walk};

/// Passes of the tie fixpoint before a schedule is judged impossible (a cycle of ties).
const MAX_TIE_PASSES: usize = 64;

/// A solution under search.
#[derive(Debug)]
pub(crate) struct State {
    pub routes: Vec<Vec<u32>>,
    /// Per task: its route, or `NONE`.
    pub route_of: Vec<u32>,
    /// Per task: its start time (meaningful when assigned).
    pub start: Vec<f64>,
    /// Per task: the latest it may start without breaking the rest of its run (tie-free runs).
    pub latest_start: Vec<f64>,
    pub totals: Vec<RouteTotals>,
    /// Per route: visit tasks (not breaks) in it.
    pub visits_in: Vec<u32>,
    /// Per route: whether it holds a task with a tie.
    pub tied: Vec<bool>,
    /// Per person × route: tasks of that person in that route.
    pub person_route: Vec<u16>,
    /// Per person: routes that serve them.
    pub person_carers: Vec<u16>,
    /// Whether every hard limit holds.
    pub feasible: bool,
}

impl Clone for State {
    fn clone(&self) -> Self {
        Self {
            routes: self.routes.clone(),
            route_of: self.route_of.clone(),
            start: self.start.clone(),
            latest_start: self.latest_start.clone(),
            totals: self.totals.clone(),
            visits_in: self.visits_in.clone(),
            tied: self.tied.clone(),
            person_route: self.person_route.clone(),
            person_carers: self.person_carers.clone(),
            feasible: self.feasible,
        }
    }

    /// Copies field by field into the existing memory: the search does this every iteration.
    fn clone_from(&mut self, source: &Self) {
        self.routes.clone_from(&source.routes);
        self.route_of.clone_from(&source.route_of);
        self.start.clone_from(&source.start);
        self.latest_start.clone_from(&source.latest_start);
        self.totals.clone_from(&source.totals);
        self.visits_in.clone_from(&source.visits_in);
        self.tied.clone_from(&source.tied);
        self.person_route.clone_from(&source.person_route);
        self.person_carers.clone_from(&source.person_carers);
        self.feasible = source.feasible;
    }
}

impl State {
    /// Every worker idle, every visit unassigned.
    pub(crate) fn empty(model: &Model) -> Self {
        let routes = model.routes.len();
        Self {
            routes: vec![Vec::new(); routes],
            route_of: vec![NONE; model.tasks.len()],
            start: vec![0.0; model.tasks.len()],
            latest_start: vec![f64::INFINITY; model.tasks.len()],
            totals: vec![RouteTotals::default(); routes],
            visits_in: vec![0; routes],
            tied: vec![false; routes],
            person_route: vec![0; model.person_count * routes],
            person_carers: vec![0; model.person_count],
            feasible: true,
        }
    }

    /// Puts `task` into `route` before position `index`, without rescheduling.
    pub(crate) fn insert(&mut self, model: &Model, task: u32, route: usize, index: usize) {
        self.routes[route].insert(index, task);
        self.route_of[task as usize] = route as u32;
        let spec = &model.tasks[task as usize];
        if !spec.is_break() {
            self.visits_in[route] += 1;
        }
        if spec.person != NONE {
            let cell = spec.person as usize * model.routes.len() + route;
            if self.person_route[cell] == 0 {
                self.person_carers[spec.person as usize] += 1;
            }
            self.person_route[cell] += 1;
        }
    }

    /// Takes `task` out of its route, without rescheduling.
    pub(crate) fn remove(&mut self, model: &Model, task: u32) {
        let route = self.route_of[task as usize] as usize;
        let position = self.routes[route]
            .iter()
            .position(|t| *t == task)
            .expect("an assigned task is in its route");
        self.routes[route].remove(position);
        self.route_of[task as usize] = NONE;
        let spec = &model.tasks[task as usize];
        if !spec.is_break() {
            self.visits_in[route] -= 1;
        }
        if spec.person != NONE {
            let cell = spec.person as usize * model.routes.len() + route;
            self.person_route[cell] -= 1;
            if self.person_route[cell] == 0 {
                self.person_carers[spec.person as usize] -= 1;
            }
        }
    }

    /// Whether `task` is in a run.
    #[inline]
    pub(crate) fn assigned(&self, task: u32) -> bool {
        self.route_of[task as usize] != NONE
    }

    /// Recomputes the schedule and totals of the given routes (all routes when ties may
    /// carry a change across runs).
    pub(crate) fn reschedule(&mut self, model: &Model, changed: &[usize]) {
        if model.has_ties {
            self.reschedule_all(model);
            return;
        }
        let mut changed_ok = true;
        for &route in changed {
            let (totals, ok) =
                schedule_route(model, &self.routes[route], route, &mut self.start, |_| {
                    f64::NEG_INFINITY
                });
            self.totals[route] = totals;
            self.tied[route] = false;
            changed_ok &= ok && breaks_in_place(model, self, route);
            self.update_latest(model, route);
        }
        // Runs left alone keep their verdict, so a feasible state needs only the changed runs
        // checked.
        self.feasible = if self.feasible {
            changed_ok
        } else {
            self.recheck(model)
        };
    }

    /// Reschedules after tasks were only added to `grown` (a feasible state stays exact with
    /// far less work than [`State::reschedule_all`]).
    pub(crate) fn reschedule_grown(&mut self, model: &Model, grown: &[usize], queue: &mut Queue) {
        if !model.has_ties || !self.feasible {
            if model.has_ties {
                self.reschedule_all(model);
            } else {
                self.reschedule(model, grown);
            }
            return;
        }
        let routes = &self.routes;
        let ok = propagate(
            model,
            |route| routes[route].as_slice(),
            &self.route_of,
            &mut self.start,
            &mut self.totals,
            grown,
            queue,
        );
        if !ok {
            self.reschedule_all(model);
            return;
        }
        for index in 0..queue.walked.len() {
            let route = queue.walked[index];
            self.tied[route] = self.routes[route]
                .iter()
                .any(|task| model.tasks[*task as usize].tie.is_some());
            self.update_latest(model, route);
            if !route_ok(model, self, route) {
                self.feasible = false;
            }
        }
    }

    /// Recomputes every run, tied runs to their least common schedule.
    pub(crate) fn reschedule_all(&mut self, model: &Model) {
        let ok = schedule_all(
            model,
            &self.routes,
            &self.route_of,
            &mut self.start,
            &mut self.totals,
        );
        for route in 0..self.routes.len() {
            self.tied[route] = self.routes[route]
                .iter()
                .any(|task| model.tasks[*task as usize].tie.is_some());
            self.update_latest(model, route);
        }
        self.feasible = ok && self.recheck(model);
    }

    fn recheck(&self, model: &Model) -> bool {
        (0..self.routes.len()).all(|route| route_ok(model, self, route))
    }

    /// Backward pass: the latest start of each task that keeps the rest of its run feasible,
    /// assuming the run has no ties.
    fn update_latest(&mut self, model: &Model, route: usize) {
        let spec = &model.routes[route];
        let tasks = &self.routes[route];
        let mut next_latest = f64::INFINITY;
        let mut next_place = spec.end_place;
        // Place each task is at after it: its own, or the last real place before it.
        for position in (0..tasks.len()).rev() {
            let task = tasks[position] as usize;
            let here = place_at(model, spec.start_place, tasks, position);
            let after = if position + 1 == tasks.len() {
                spec.shift_end - model.travel(route, here, spec.end_place)
            } else if next_place == NONE {
                next_latest
            } else {
                next_latest - model.travel(route, here, next_place)
            };
            let latest = model.tasks[task]
                .latest
                .min(after - model.tasks[task].duration);
            self.latest_start[task] = latest;
            next_latest = latest;
            next_place = model.tasks[task].place;
        }
    }
}

/// Where the worker is after position `position` of a run: that task's place, or for a break
/// the last real place before it (the start place if none).
pub(crate) fn place_at(model: &Model, start_place: u32, tasks: &[u32], position: usize) -> u32 {
    tasks[..=position]
        .iter()
        .rev()
        .map(|task| model.tasks[*task as usize].place)
        .find(|place| *place != NONE)
        .unwrap_or(start_place)
}

fn route_ok(model: &Model, state: &State, route: usize) -> bool {
    let tasks = &state.routes[route];
    if tasks.is_empty() {
        return true;
    }
    let mut walk = Walk::begin(model, route);
    for task in tasks {
        walk.visit(model, route, *task, state.start[*task as usize]);
    }
    walk.finish(model, route);
    walk.ok && breaks_in_place(model, state, route)
}

/// Rule 5: a run with a visit holds all its worker's breaks; a run without one holds none.
fn breaks_in_place(model: &Model, state: &State, route: usize) -> bool {
    if state.routes[route].is_empty() {
        return true;
    }
    state.visits_in[route] > 0
        && model.routes[route]
            .breaks
            .iter()
            .all(|task| state.route_of[*task as usize] == route as u32)
}

/// Schedules one run on its own, each task starting as early as it can (and no earlier than
/// `lower(task)`); writes the starts and returns the run's totals and whether it is feasible.
pub(crate) fn schedule_route(
    model: &Model,
    tasks: &[u32],
    route: usize,
    start: &mut [f64],
    lower: impl Fn(u32) -> f64,
) -> (RouteTotals, bool) {
    let mut walk = Walk::begin(model, route);
    for &task in tasks {
        start[task as usize] = walk.visit(model, route, task, lower(task));
    }
    let totals = walk.finish(model, route);
    (totals, walk.ok)
}

/// Schedules every run together: tied tasks wait for their partners until no start moves.
/// Writes each run's totals and returns whether a schedule exists within every hard limit.
pub(crate) fn schedule_all(
    model: &Model,
    routes: &[Vec<u32>],
    route_of: &[u32],
    start: &mut [f64],
    totals: &mut [RouteTotals],
) -> bool {
    for tasks in routes {
        for &task in tasks {
            start[task as usize] = f64::NEG_INFINITY;
        }
    }
    for _pass in 0..MAX_TIE_PASSES {
        let mut moved = false;
        let mut ok = true;
        let mut monotone_ok = true;
        for (route, tasks) in routes.iter().enumerate() {
            let mut walk = Walk::begin(model, route);
            for &task in tasks {
                let lower = tie_lower(model, route_of, start, task);
                let new = walk.visit(model, route, task, lower);
                if new != start[task as usize] {
                    moved = true;
                    start[task as usize] = new;
                }
            }
            totals[route] = walk.finish(model, route);
            ok &= walk.ok;
            monotone_ok &= walk.monotone_ok;
        }
        if !moved {
            return ok;
        }
        if !monotone_ok {
            // Starts only grow from pass to pass, so these limits stay broken.
            return false;
        }
    }
    false
}

/// Work lists reused by [`propagate`].
#[derive(Debug, Clone, Default)]
pub(crate) struct Queue {
    waiting: Vec<usize>,
    queued: Vec<bool>,
    /// Routes walked, each once, in the order first walked.
    pub walked: Vec<usize>,
    walked_flag: Vec<bool>,
    ok: Vec<bool>,
}

impl Queue {
    pub(crate) fn new(routes: usize) -> Self {
        Self {
            waiting: Vec::with_capacity(routes),
            queued: vec![false; routes],
            walked: Vec::with_capacity(routes),
            walked_flag: vec![false; routes],
            ok: vec![true; routes],
        }
    }

    fn push(&mut self, route: usize) {
        if !self.queued[route] {
            self.queued[route] = true;
            self.waiting.push(route);
        }
    }

    fn clear(&mut self) {
        for &route in &self.walked {
            self.walked_flag[route] = false;
        }
        self.walked.clear();
        for &route in &self.waiting {
            self.queued[route] = false;
        }
        self.waiting.clear();
    }
}

/// Reschedules after tasks were only added: walks the `grown` routes, then every route whose
/// tied task's partner moved, until nothing moves. Starts begin at their old values, which
/// bound the new least schedule from below, so only what changes is walked. Returns whether
/// every walked route keeps every hard limit; `queue.walked` lists them.
#[allow(clippy::too_many_arguments)]
pub(crate) fn propagate<'r>(
    model: &Model,
    tasks_of: impl Fn(usize) -> &'r [u32],
    route_of: &[u32],
    start: &mut [f64],
    totals: &mut [RouteTotals],
    grown: &[usize],
    queue: &mut Queue,
) -> bool {
    queue.clear();
    for &route in grown {
        queue.push(route);
    }
    let limit = model.routes.len() * MAX_TIE_PASSES;
    let mut walks = 0;
    while let Some(route) = queue.waiting.pop() {
        queue.queued[route] = false;
        walks += 1;
        if walks > limit {
            return false;
        }
        let mut walk = Walk::begin(model, route);
        for &task in tasks_of(route) {
            let lower = tie_lower(model, route_of, start, task);
            let new = walk.visit(model, route, task, lower);
            if new != start[task as usize] {
                start[task as usize] = new;
                if let Some(tie) = model.tasks[task as usize].tie {
                    let partner_route = route_of[tie.partner as usize];
                    if partner_route != NONE {
                        queue.push(partner_route as usize);
                    }
                }
            }
        }
        totals[route] = walk.finish(model, route);
        if !walk.monotone_ok {
            return false;
        }
        queue.ok[route] = walk.ok;
        if !queue.walked_flag[route] {
            queue.walked_flag[route] = true;
            queue.walked.push(route);
        }
    }
    queue.walked.iter().all(|route| queue.ok[*route])
}

/// The earliest `task` may start given its partner's current start.
#[inline]
pub(crate) fn tie_lower(model: &Model, route_of: &[u32], start: &[f64], task: u32) -> f64 {
    match model.tasks[task as usize].tie {
        Some(tie) if route_of[tie.partner as usize] != NONE => {
            start[tie.partner as usize] - tie.max
        }
        _ => f64::NEG_INFINITY,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Link;
    use crate::solve::fixtures::{model, pair, street};

    fn build(model: &Model, routes: &[&[u32]]) -> State {
        let mut state = State::empty(model);
        for (route, tasks) in routes.iter().enumerate() {
            for (index, task) in tasks.iter().enumerate() {
                state.insert(model, *task, route, index);
            }
        }
        state.reschedule_all(model);
        state
    }

    #[test]
    fn street_walks_out_and_back() {
        let model = model(&street());
        let state = build(&model, &[&[0, 1, 2]]);
        // 0 → 10 (start 10, end 15) → 20 (start 25) → 30 (start 40, end 45) → home at 75.
        assert_eq!(&state.start[..3], &[10.0, 25.0, 40.0]);
        assert_eq!(state.totals[0].travel, 60.0);
        assert_eq!(state.totals[0].working, 75.0);
        assert!(state.feasible);
    }

    #[test]
    fn latest_start_leaves_room_for_the_rest_of_the_run() {
        let mut problem = street();
        problem.workers[0].shift.end = 80.0;
        let model = model(&problem);
        let state = build(&model, &[&[0, 1, 2]]);
        // Visit c must end by 80 − 30 = 50, so start by 45; b by 45 − 10 − 5 = 30; a by 15.
        assert_eq!(&state.latest_start[..3], &[15.0, 30.0, 45.0]);
    }

    #[test]
    fn together_carers_wait_for_each_other() {
        let model = model(&pair(Link::Together { tolerance: 0.0 }));
        // Ann: meds at 10 then the lift at 20; Bob: the lift only. Ann reaches it at 25.
        let state = build(&model, &[&[2, 0], &[1]]);
        assert_eq!(state.start[0], 25.0);
        assert_eq!(state.start[1], 25.0);
        assert!(state.feasible);
    }

    #[test]
    fn ordered_second_carer_keeps_the_gap() {
        let model = model(&pair(Link::Ordered {
            min_gap: 30.0,
            max_gap: 40.0,
        }));
        let state = build(&model, &[&[0], &[1]]);
        assert_eq!(state.start[0], 20.0);
        assert_eq!(state.start[1], 50.0);
    }

    #[test]
    fn a_cycle_of_ties_has_no_schedule() {
        // Ann does part 1 before meds; Bob does part 0. Part 1 must start 30 after part 0,
        // and meds (due by 12) comes after part 1 in Ann's run: impossible.
        let model = model(&pair(Link::Ordered {
            min_gap: 30.0,
            max_gap: 40.0,
        }));
        let state = build(&model, &[&[1, 2], &[0]]);
        assert!(!state.feasible);
    }
}
