//! Inserting one task into a run: [`Insertion::evaluate`] prices it without changing the state
//! (in constant time for plain runs, by walking the run otherwise, or by rescheduling the tied
//! runs in scratch space), and [`Insertion::apply`] makes it.

use crate::model::{Model, NONE};
use crate::solve::cost::route_cost;
use crate::solve::state::{Queue, State, place_at, propagate};
use crate::solve::walk::{RouteTotals, Walk};

/// Buffers reused by every evaluation, so that evaluating allocates nothing.
#[derive(Debug, Clone)]
pub(crate) struct Scratch {
    pub start: Vec<f64>,
    pub totals: Vec<RouteTotals>,
    pub routes: Vec<Vec<u32>>,
    pub route_of: Vec<u32>,
    pub grown: Vec<usize>,
    pub grown_flag: Vec<bool>,
    pub queue: Queue,
}

impl Scratch {
    pub(crate) fn new(model: &Model) -> Self {
        Self {
            start: vec![0.0; model.tasks.len()],
            totals: vec![RouteTotals::default(); model.routes.len()],
            routes: vec![Vec::new(); model.routes.len()],
            route_of: vec![NONE; model.tasks.len()],
            grown: Vec::with_capacity(2),
            grown_flag: vec![false; model.routes.len()],
            queue: Queue::new(model.routes.len()),
        }
    }
}

/// Put `task` into `route` before position `index`; for an idle worker with breaks, the breaks
/// go in too, before the task when `breaks_first`, else after it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Insertion {
    pub task: u32,
    pub route: usize,
    pub index: usize,
    pub breaks_first: bool,
}

/// The day's largest lateness now, which an insertion can only raise.
pub(crate) fn max_late(state: &State) -> f64 {
    state.totals.iter().map(|t| t.max_late).fold(0.0, f64::max)
}

impl Insertion {
    /// Change in weighted cost (unassigned and fairness left out), or `None` when a hard
    /// limit would break. `day_max_late` is [`max_late`] of the state.
    pub(crate) fn evaluate(
        &self,
        model: &Model,
        state: &State,
        scratch: &mut Scratch,
        day_max_late: f64,
    ) -> Option<f64> {
        let task = &model.tasks[self.task as usize];
        if !model.eligible(self.task, self.route) {
            return None;
        }
        let route = &model.routes[self.route];
        if state.totals[self.route].load + task.demand > route.capacity + 1e-9 {
            return None;
        }
        let needs_breaks = state.visits_in[self.route] == 0 && !route.breaks.is_empty();
        // A tie binds only once the partner is in a run.
        let bound = task.tie.is_some_and(|tie| state.assigned(tie.partner));
        let delta = if bound {
            return evaluate_together(model, state, scratch, &[*self], day_max_late);
        } else if needs_breaks || state.tied[self.route] || self.needs_walk(model, state) {
            match self.walk(model, state) {
                Walked::Feasible(totals) => self.delta_from(model, state, &totals, day_max_late),
                Walked::Infeasible => return None,
                Walked::MovesTies => {
                    return evaluate_together(model, state, scratch, &[*self], day_max_late);
                }
            }
        } else {
            self.evaluate_fast(model, state)?
        };
        Some(delta + continuity_delta(model, state, self.task, self.route))
    }

    /// Whether the constant-time check would miss something: soft windows, working time,
    /// guaranteed time, or a break right after the insertion point.
    fn needs_walk(&self, model: &Model, state: &State) -> bool {
        let route = &model.routes[self.route];
        let tasks = &state.routes[self.route];
        model.soft_windows
            || route.max_working.is_finite()
            || route.guaranteed > 0.0
            || tasks
                .get(self.index)
                .is_some_and(|next| model.tasks[*next as usize].is_break())
    }

    fn evaluate_fast(&self, model: &Model, state: &State) -> Option<f64> {
        let spec = &model.routes[self.route];
        let tasks = &state.routes[self.route];
        let task = &model.tasks[self.task as usize];
        let (ready, before) = if self.index == 0 {
            (spec.shift_start, spec.start_place)
        } else {
            let previous = tasks[self.index - 1] as usize;
            (
                state.start[previous] + model.tasks[previous].duration,
                place_at(model, spec.start_place, tasks, self.index - 1),
            )
        };
        let to_task = model.travel(self.route, before, task.place);
        let start = (ready + to_task).max(task.earliest);
        if start > task.latest + 1e-9 {
            return None;
        }
        let end = start + task.duration;
        let (after, limit) = match tasks.get(self.index) {
            Some(&next) => (
                model.tasks[next as usize].place,
                state.latest_start[next as usize],
            ),
            None => (spec.end_place, spec.shift_end),
        };
        if end + model.travel(self.route, task.place, after) > limit + 1e-9 {
            return None;
        }
        let added = to_task + model.travel(self.route, task.place, after)
            - model.travel(self.route, before, after);
        let mut delta = model.weights.travel * added;
        if state.visits_in[self.route] == 0 {
            delta += model.weights.vehicle * spec.fixed_cost;
        }
        Some(delta)
    }

    fn delta_from(
        &self,
        model: &Model,
        state: &State,
        totals: &RouteTotals,
        day_max_late: f64,
    ) -> f64 {
        let old = &state.totals[self.route];
        let delta = route_cost(model, self.route, totals) - route_cost(model, self.route, old);
        let raised = (totals.max_late - day_max_late).max(0.0);
        delta + model.weights.max_lateness * raised
    }

    /// Walks the run as it would be, breaks included for an idle worker. Tied tasks keep at
    /// least their current start; if one would have to move, the walk cannot price it alone.
    fn walk(&self, model: &Model, state: &State) -> Walked {
        let tasks = &state.routes[self.route];
        let route = self.route;
        let mut walk = Walk::begin(model, route);
        let mut moves_ties = false;
        let mut step = |walk: &mut Walk, task: u32| {
            if model.tasks[task as usize].tie.is_some() && state.route_of[task as usize] != NONE {
                let current = state.start[task as usize];
                let start = walk.visit(model, route, task, current);
                moves_ties |= start > current + 1e-9;
            } else {
                walk.visit(model, route, task, f64::NEG_INFINITY);
            }
        };
        let breaks: &[u32] = if state.visits_in[route] == 0 {
            &model.routes[route].breaks
        } else {
            &[]
        };
        if self.breaks_first {
            breaks.iter().for_each(|&rest| step(&mut walk, rest));
        }
        tasks[..self.index]
            .iter()
            .for_each(|&task| step(&mut walk, task));
        step(&mut walk, self.task);
        tasks[self.index..]
            .iter()
            .for_each(|&task| step(&mut walk, task));
        if !self.breaks_first {
            breaks.iter().for_each(|&rest| step(&mut walk, rest));
        }
        let totals = walk.finish(model, route);
        if moves_ties {
            Walked::MovesTies
        } else if walk.ok {
            Walked::Feasible(totals)
        } else {
            Walked::Infeasible
        }
    }

    /// Makes the insertion and reschedules.
    pub(crate) fn apply(&self, model: &Model, state: &mut State, queue: &mut Queue) {
        let breaks_needed =
            state.visits_in[self.route] == 0 && !model.routes[self.route].breaks.is_empty();
        state.insert(model, self.task, self.route, self.index);
        if breaks_needed {
            for &rest in &model.routes[self.route].breaks {
                let at = if self.breaks_first {
                    state.routes[self.route]
                        .iter()
                        .position(|t| *t == self.task)
                        .unwrap_or(0)
                } else {
                    state.routes[self.route].len()
                };
                state.insert(model, rest, self.route, at);
            }
        }
        state.reschedule_grown(model, &[self.route], queue);
    }
}

/// What walking a run with an insertion found.
enum Walked {
    Feasible(RouteTotals),
    Infeasible,
    /// A tied task would start later, moving its partner's run too.
    MovesTies,
}

/// Extra carers and unknown carers an insertion brings.
pub(crate) fn continuity_delta(model: &Model, state: &State, task: u32, route: usize) -> f64 {
    let spec = &model.tasks[task as usize];
    let mut extra = 0.0;
    if spec.has_preferred && !model.preferred(task, route) {
        extra += 1.0;
    }
    if spec.person != NONE {
        let person = spec.person as usize;
        if state.person_route[person * model.routes.len() + route] == 0
            && state.person_carers[person] > 0
        {
            extra += 1.0;
        }
    }
    model.weights.continuity * extra
}

/// Cost change of making all `insertions` together, the tied runs they move rescheduled in
/// scratch space, or `None` if no schedule keeps every hard limit.
pub(crate) fn evaluate_together(
    model: &Model,
    state: &State,
    scratch: &mut Scratch,
    insertions: &[Insertion],
    day_max_late: f64,
) -> Option<f64> {
    // Only the grown routes are copied; `clone_from` and `copy_from_slice` reuse memory.
    scratch.route_of.copy_from_slice(&state.route_of);
    scratch.start.copy_from_slice(&state.start);
    scratch.totals.copy_from_slice(&state.totals);
    scratch.grown.clear();
    for insertion in insertions {
        if !model.eligible(insertion.task, insertion.route) {
            return None;
        }
        let route_index = insertion.route;
        if !scratch.grown.contains(&route_index) {
            scratch.grown.push(route_index);
            scratch.routes[route_index].clone_from(&state.routes[route_index]);
        }
        let route = &mut scratch.routes[route_index];
        let index = insertion.index.min(route.len());
        route.insert(index, insertion.task);
        scratch.route_of[insertion.task as usize] = route_index as u32;
        if state.visits_in[route_index] == 0 {
            for &rest in &model.routes[route_index].breaks {
                if scratch.route_of[rest as usize] == NONE {
                    let at = if insertion.breaks_first {
                        0
                    } else {
                        route.len()
                    };
                    route.insert(at, rest);
                    scratch.route_of[rest as usize] = route_index as u32;
                }
            }
        }
    }
    for &route in &scratch.grown {
        scratch.grown_flag[route] = true;
    }
    let (grown_routes, grown_flag) = (&scratch.routes, &scratch.grown_flag);
    let ok = propagate(
        model,
        |route| {
            if grown_flag[route] {
                grown_routes[route].as_slice()
            } else {
                state.routes[route].as_slice()
            }
        },
        &scratch.route_of,
        &mut scratch.start,
        &mut scratch.totals,
        &scratch.grown,
        &mut scratch.queue,
    );
    for &route in &scratch.grown {
        scratch.grown_flag[route] = false;
    }
    if !ok {
        return None;
    }
    let mut delta = 0.0;
    let mut new_max = day_max_late;
    for &route in &scratch.queue.walked {
        let new = &scratch.totals[route];
        delta += route_cost(model, route, new) - route_cost(model, route, &state.totals[route]);
        new_max = new_max.max(new.max_late);
    }
    for insertion in insertions {
        delta += continuity_delta(model, state, insertion.task, insertion.route);
    }
    Some(delta + model.weights.max_lateness * (new_max - day_max_late))
}
