//! Insertion by ejection (after the ejection pool of Nagata & Bräysy 2009, one visit at a time):
//! a visit that fits nowhere goes into a run in place of one or two visits there that are easier
//! to place elsewhere, judged by a weight per visit (how often fleet minimisation has left it out).
//! [`best`] prices every such swap without changing the state; [`apply`] makes one.

use crate::model::Model;
use crate::solve::insertion::{Insertion, Scratch, max_late};
use crate::solve::state::State;

/// Most visits one ejection takes out of a run.
const MAX_EJECTED: usize = 2;

/// Take the `ejected` visits out of `route` and put `task` in before `index` of what is left.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Ejection {
    pub task: u32,
    pub route: usize,
    ejected: [u32; MAX_EJECTED],
    count: usize,
    index: usize,
}

impl Ejection {
    /// The visits taken out.
    pub(crate) fn ejected(&self) -> &[u32] {
        &self.ejected[..self.count]
    }
}

/// The best ejection found so far: least weight taken out, then least added cost.
struct Found {
    weight: u64,
    delta: f64,
    ejection: Ejection,
}

/// The ejection of one or two visits of a run that lets `task` in at the least total `weight`
/// of the visits taken out, travel breaking ties, among those whose weight is below `below`.
/// Only runs with visits already are tried (fleet minimisation must not open a worker), and
/// only untied tasks on either side. The state is left as it was.
pub(crate) fn best(
    model: &Model,
    state: &mut State,
    scratch: &mut Scratch,
    task: u32,
    weight: impl Fn(u32) -> u64,
    below: u64,
) -> Option<Ejection> {
    if model.has_ties || model.tasks[task as usize].tie.is_some() {
        return None;
    }
    let mut search = Search {
        model,
        scratch,
        task,
        weight: &weight,
        day_max: max_late(state),
        found: None,
        below,
        taken: [0; MAX_EJECTED],
    };
    let was_feasible = state.feasible;
    for route in 0..state.routes.len() {
        if state.visits_in[route] > 0 && model.eligible(task, route) {
            search.eject_from(state, route, 0, 0, 0);
        }
    }
    state.feasible = was_feasible;
    search.found.map(|found| found.ejection)
}

/// The enumeration behind [`best`]: depth-first over sets of visits of one run, in run order.
struct Search<'a, W> {
    model: &'a Model,
    scratch: &'a mut Scratch,
    task: u32,
    weight: &'a W,
    day_max: f64,
    found: Option<Found>,
    below: u64,
    taken: [u32; MAX_EJECTED],
}

impl<W: Fn(u32) -> u64> Search<'_, W> {
    /// Takes one more visit out of `route`, from `from` on, with `count` taken so far weighing
    /// `taken_weight`; prices `task`'s insertion each time, then goes deeper.
    fn eject_from(
        &mut self,
        state: &mut State,
        route: usize,
        from: usize,
        count: usize,
        taken_weight: u64,
    ) {
        for position in from..state.routes[route].len() {
            let ejected = state.routes[route][position];
            let total = taken_weight + (self.weight)(ejected);
            if self.model.tasks[ejected as usize].is_break()
                || total >= self.below
                || self.found.as_ref().is_some_and(|f| total > f.weight)
            {
                continue;
            }
            state.remove(self.model, ejected);
            state.reschedule(self.model, &[route]);
            self.taken[count] = ejected;
            self.price(state, route, count + 1, total);
            if count + 1 < MAX_EJECTED {
                self.eject_from(state, route, position, count + 1, total);
            }
            state.insert(self.model, ejected, route, position);
            state.reschedule(self.model, &[route]);
        }
    }

    fn price(&mut self, state: &State, route: usize, count: usize, weight: u64) {
        for index in 0..=state.routes[route].len() {
            let insertion = Insertion {
                task: self.task,
                route,
                index,
                breaks_first: false,
            };
            let Some(delta) = insertion.evaluate(self.model, state, self.scratch, self.day_max)
            else {
                continue;
            };
            if self
                .found
                .as_ref()
                .is_none_or(|f| (weight, delta) < (f.weight, f.delta))
            {
                let ejection = Ejection {
                    task: self.task,
                    route,
                    ejected: self.taken,
                    count,
                    index,
                };
                self.found = Some(Found {
                    weight,
                    delta,
                    ejection,
                });
            }
        }
    }
}

/// Makes `ejection`: the ejected visits are left unassigned.
pub(crate) fn apply(model: &Model, state: &mut State, ejection: &Ejection) {
    for &task in ejection.ejected() {
        state.remove(model, task);
    }
    state.insert(model, ejection.task, ejection.route, ejection.index);
    state.reschedule(model, &[ejection.route]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::fixtures::{line, model, visit, worker};
    use crate::{Problem, Weights};

    /// One worker from x = 0; "early" at x = 10 must start by 15, "late" at x = 20 by 40,
    /// "tight" at x = 30 by 40: with durations of 10 the run holds two of them.
    fn crowded() -> Problem {
        Problem {
            name: "crowded".into(),
            travel: line(4),
            workers: vec![worker("ann", (0.0, 1000.0))],
            visits: vec![
                visit("early", 1, (0.0, 15.0), 10.0),
                visit("late", 2, (0.0, 40.0), 10.0),
                visit("tight", 3, (30.0, 40.0), 10.0),
            ],
            weights: Weights::distance_only(),
        }
    }

    fn full_run(model: &Model) -> State {
        let mut state = State::empty(model);
        state.insert(model, 0, 0, 0);
        state.insert(model, 1, 0, 1);
        state.reschedule_all(model);
        assert!(state.feasible);
        state
    }

    #[test]
    fn the_lightest_visit_makes_room() {
        let model = model(&crowded());
        let mut state = full_run(&model);
        let mut scratch = Scratch::new(&model);
        // "tight" (30 at the earliest) cannot follow "late" (ends 30, then 10 to travel), but
        // fits once "late" or "early" is out. "late" weighs less, so it goes.
        let weights = [5, 1, 9];
        let ejection = best(
            &model,
            &mut state,
            &mut scratch,
            2,
            |t| weights[t as usize],
            9,
        )
        .expect("room can be made");
        assert_eq!((ejection.ejected(), ejection.route), (&[1][..], 0));
        assert_eq!(state.routes[0], [0, 1], "pricing leaves the run alone");
        apply(&model, &mut state, &ejection);
        assert!(state.feasible);
        assert_eq!(state.routes[0], [0, 2]);
        assert!(!state.assigned(1));
        assert_eq!(state.start[2], 40.0, "after early, which ends at 20");
    }

    #[test]
    fn nothing_heavier_than_the_limit_is_ejected() {
        let model = model(&crowded());
        let mut state = full_run(&model);
        let mut scratch = Scratch::new(&model);
        let weights = [5, 4, 4];
        assert_eq!(
            best(
                &model,
                &mut state,
                &mut scratch,
                2,
                |t| weights[t as usize],
                4
            ),
            None
        );
    }

    #[test]
    fn two_visits_make_room_when_one_does_not() {
        // Ann carries 2; "early" and "late" take 1 each and "tight" needs 2.
        let mut problem = crowded();
        problem.workers[0].capacity = Some(2.0);
        problem.visits[0].demand = 1.0;
        problem.visits[1].demand = 1.0;
        problem.visits[2].demand = 2.0;
        let model = model(&problem);
        let mut state = full_run(&model);
        let mut scratch = Scratch::new(&model);
        let weights = [1, 1, 9];
        let ejection = best(
            &model,
            &mut state,
            &mut scratch,
            2,
            |t| weights[t as usize],
            9,
        )
        .expect("room can be made by taking both out");
        assert_eq!(ejection.ejected(), [0, 1]);
        assert_eq!(state.routes[0], [0, 1], "pricing leaves the run alone");
        apply(&model, &mut state, &ejection);
        assert!(state.feasible);
        assert_eq!(state.routes[0], [2]);
        let too_heavy = best(&model, &mut full_run(&model), &mut scratch, 2, |_| 1, 2);
        assert_eq!(too_heavy, None, "two of weight 1 are not below 2");
    }

    #[test]
    fn an_idle_worker_is_not_a_place() {
        let mut problem = crowded();
        problem.workers.push(worker("bob", (0.0, 1000.0)));
        let model = model(&problem);
        let mut state = full_run(&model);
        let mut scratch = Scratch::new(&model);
        let weights = [5, 1, 9];
        let ejection = best(
            &model,
            &mut state,
            &mut scratch,
            2,
            |t| weights[t as usize],
            9,
        )
        .expect("room can be made in ann's run");
        assert_eq!(ejection.route, 0);
    }
}
