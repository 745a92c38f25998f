//! Recreate: put removed visits back, each at its cheapest feasible place, skipping a few
//! places at random ("blinks", as in SISR) so that repeated recreates differ.

use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use crate::model::{Model, NONE};
use crate::solve::insertion::{Insertion, Scratch, evaluate_together, max_late};
use crate::solve::state::State;

/// How recreate places visits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rules {
    /// Probability of skipping each insertion place (SISR's blinks).
    pub blink_rate: f64,
    /// An idle worker may be given work only while fewer than this many workers have some.
    pub max_working: usize,
}

impl Rules {
    /// Every place tried, idle workers included.
    pub(crate) const EXHAUSTIVE: Self = Self {
        blink_rate: 0.0,
        max_working: usize::MAX,
    };
}

/// How removed visits are ordered before reinsertion.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Order {
    Random,
    LargestDemand,
    FarthestFirst,
    EarliestWindow,
    TightestWindow,
}

/// Picks an order with SISR's weights, plus the two time-window orders.
pub(crate) fn pick_order(rng: &mut ChaCha8Rng) -> Order {
    match rng.random_range(0..13) {
        0..=3 => Order::Random,
        4..=6 => Order::LargestDemand,
        7..=8 => Order::FarthestFirst,
        9..=10 => Order::EarliestWindow,
        _ => Order::TightestWindow,
    }
}

/// Sorts `pending` (first tasks of visits) by `order`; tied visits go first whatever the order,
/// being the hardest to place.
pub(crate) fn sort(model: &Model, pending: &mut [u32], order: Order, rng: &mut ChaCha8Rng) {
    pending.shuffle(rng);
    let key = |task: &u32| -> f64 {
        let spec = &model.tasks[*task as usize];
        match order {
            Order::Random => 0.0,
            Order::LargestDemand => -spec.demand,
            Order::FarthestFirst => -model.travel(0, model.routes[0].start_place, spec.place),
            Order::EarliestWindow => spec.earliest,
            Order::TightestWindow => spec.latest.min(spec.due + 1e7) - spec.earliest,
        }
    };
    pending.sort_by(|a, b| {
        let tied = |t: &u32| model.tasks[*t as usize].tie.is_none();
        tied(a).cmp(&tied(b)).then(key(a).total_cmp(&key(b)))
    });
}

/// After a ruin: reschedules the `touched` runs, then puts the `removed` visits back in an
/// order drawn at random.
pub(crate) fn rebuild(
    model: &Model,
    state: &mut State,
    scratch: &mut Scratch,
    removed: &mut [u32],
    touched: &[usize],
    rules: Rules,
    rng: &mut ChaCha8Rng,
) {
    state.reschedule(model, touched);
    let order = pick_order(rng);
    sort(model, removed, order, rng);
    recreate(model, state, scratch, removed, touched, rules, rng);
}

/// Reinserts breaks of `touched` runs, then the `pending` visits in order. Visits that fit
/// nowhere stay unassigned.
pub(crate) fn recreate(
    model: &Model,
    state: &mut State,
    scratch: &mut Scratch,
    pending: &[u32],
    touched: &[usize],
    rules: Rules,
    rng: &mut ChaCha8Rng,
) {
    for &route in touched {
        if state.visits_in[route] == 0 {
            continue;
        }
        for &rest in &model.routes[route].breaks {
            if !state.assigned(rest) {
                place_break(model, state, scratch, rest, route);
            }
        }
    }
    for &task in pending {
        match model.tasks[task as usize].tie {
            Some(tie) => place_pair(model, state, scratch, task, tie.partner, rules, rng),
            None => place_single(model, state, scratch, task, rules, rng),
        }
    }
}

fn place_break(model: &Model, state: &mut State, scratch: &mut Scratch, rest: u32, route: usize) {
    let day_max = max_late(state);
    let mut best: Option<(f64, Insertion)> = None;
    for index in 0..=state.routes[route].len() {
        let insertion = Insertion {
            task: rest,
            route,
            index,
            breaks_first: false,
        };
        if let Some(cost) = insertion.evaluate(model, state, scratch, day_max)
            && best.is_none_or(|(known, _)| cost < known)
        {
            best = Some((cost, insertion));
        }
    }
    match best {
        Some((_, insertion)) => insertion.apply(model, state, &mut scratch.queue),
        // No feasible place: put it last so the state reads as infeasible and is rejected.
        None => {
            let end = state.routes[route].len();
            state.insert(model, rest, route, end);
            state.reschedule(model, &[route]);
        }
    }
}

/// The cheapest insertions of `task`, best first, at most `keep` of them.
#[allow(clippy::too_many_arguments)]
fn candidates(
    model: &Model,
    state: &State,
    scratch: &mut Scratch,
    task: u32,
    keep: usize,
    idle_per_class: usize,
    rules: Rules,
    rng: &mut ChaCha8Rng,
    out: &mut Vec<(f64, Insertion)>,
) {
    out.clear();
    let day_max = max_late(state);
    let may_open = rules.max_working == usize::MAX
        || state.visits_in.iter().filter(|visits| **visits > 0).count() < rules.max_working;
    // Idle workers of one class are interchangeable: try `idle_per_class` of them.
    let mut idle_seen = [0usize; 64];
    for route in 0..model.routes.len() {
        if !model.eligible(task, route) {
            continue;
        }
        let idle = state.visits_in[route] == 0;
        if idle && !may_open {
            continue;
        }
        if idle {
            let class = model.routes[route].class;
            if let Some(seen) = idle_seen.get_mut(class as usize) {
                if *seen >= idle_per_class {
                    continue;
                }
                *seen += 1;
            }
        }
        let orders: &[bool] = if idle && !model.routes[route].breaks.is_empty() {
            &[false, true]
        } else {
            &[false]
        };
        let latest = model.tasks[task as usize].latest;
        for index in 0..=state.routes[route].len() {
            // Stops end later and later along a run: once the one before ends after the
            // task's latest start, no later place can take it.
            if index > 0 {
                let previous = state.routes[route][index - 1] as usize;
                if state.start[previous] + model.tasks[previous].duration > latest {
                    break;
                }
            }
            if rules.blink_rate > 0.0 && rng.random::<f64>() < rules.blink_rate {
                continue;
            }
            for &breaks_first in orders {
                let insertion = Insertion {
                    task,
                    route,
                    index,
                    breaks_first,
                };
                if let Some(cost) = insertion.evaluate(model, state, scratch, day_max) {
                    keep_best(out, keep, cost, insertion);
                }
            }
        }
    }
}

fn keep_best(out: &mut Vec<(f64, Insertion)>, keep: usize, cost: f64, insertion: Insertion) {
    if out.len() == keep && out.last().is_some_and(|(worst, _)| cost >= *worst) {
        return;
    }
    let at = out.partition_point(|(known, _)| *known <= cost);
    out.insert(at, (cost, insertion));
    out.truncate(keep);
}

fn place_single(
    model: &Model,
    state: &mut State,
    scratch: &mut Scratch,
    task: u32,
    rules: Rules,
    rng: &mut ChaCha8Rng,
) {
    let mut best = Vec::with_capacity(1);
    candidates(model, state, scratch, task, 1, 1, rules, rng, &mut best);
    if let Some((_, insertion)) = best.first() {
        insertion.apply(model, state, &mut scratch.queue);
    }
}

/// Candidates kept for each part of a tied visit before pricing pairs exactly.
const PAIR_SHORTLIST: usize = 6;

/// Places both parts of a tied visit: a shortlist for each part priced alone, then every
/// pair of the shortlists in different runs priced together.
fn place_pair(
    model: &Model,
    state: &mut State,
    scratch: &mut Scratch,
    first: u32,
    second: u32,
    rules: Rules,
    rng: &mut ChaCha8Rng,
) {
    let mut firsts = Vec::with_capacity(PAIR_SHORTLIST);
    let mut seconds = Vec::with_capacity(PAIR_SHORTLIST);
    candidates(
        model,
        state,
        scratch,
        first,
        PAIR_SHORTLIST,
        2,
        rules,
        rng,
        &mut firsts,
    );
    candidates(
        model,
        state,
        scratch,
        second,
        PAIR_SHORTLIST,
        2,
        rules,
        rng,
        &mut seconds,
    );
    let day_max = max_late(state);
    let mut best: Option<(f64, Insertion, Insertion)> = None;
    for (_, a) in &firsts {
        for (_, b) in &seconds {
            if a.route == b.route {
                continue;
            }
            let together = [*a, *b];
            if let Some(cost) = evaluate_together(model, state, scratch, &together, day_max)
                && best.is_none_or(|(known, _, _)| cost < known)
            {
                best = Some((cost, *a, *b));
            }
        }
    }
    if let Some((_, a, b)) = best {
        state.insert(model, a.task, a.route, a.index);
        insert_breaks_if_idle(model, state, a);
        state.insert(model, b.task, b.route, b.index);
        insert_breaks_if_idle(model, state, b);
        state.reschedule_grown(model, &[a.route, b.route], &mut scratch.queue);
    }
}

fn insert_breaks_if_idle(model: &Model, state: &mut State, insertion: Insertion) {
    let route = insertion.route;
    for &rest in &model.routes[route].breaks {
        if state.route_of[rest as usize] == NONE {
            let at = if insertion.breaks_first {
                0
            } else {
                state.routes[route].len()
            };
            state.insert(model, rest, route, at);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::fixtures::{model, pair, street, worker};
    use crate::{Break, Link, Window};
    use rand::SeedableRng;

    fn recreate_all(model: &Model) -> State {
        let mut state = State::empty(model);
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut scratch = Scratch::new(model);
        let mut pending: Vec<u32> = model.visit_tasks.iter().map(|t| t[0]).collect();
        sort(model, &mut pending, Order::EarliestWindow, &mut rng);
        recreate(
            model,
            &mut state,
            &mut scratch,
            &pending,
            &[],
            Rules::EXHAUSTIVE,
            &mut rng,
        );
        state
    }

    #[test]
    fn idle_workers_are_given_work_only_up_to_the_limit() {
        // Ann already goes to "a"; "b" must start at 10 exactly, which she cannot reach from "a"
        // in time, so it needs Bob, who is idle.
        let mut problem = street();
        problem.workers.push(worker("bob", (0.0, 1000.0)));
        problem.visits[0].window = Window::new(10.0, 10.0);
        problem.visits[1].window = Window::new(20.0, 20.0);
        let model = model(&problem);
        let mut scratch = Scratch::new(&model);
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for (max_working, bob_works) in [(1, false), (2, true)] {
            let mut state = State::empty(&model);
            state.insert(&model, 0, 0, 0);
            state.reschedule_all(&model);
            let rules = Rules {
                blink_rate: 0.0,
                max_working,
            };
            recreate(&model, &mut state, &mut scratch, &[1], &[], rules, &mut rng);
            assert_eq!(state.visits_in[1] > 0, bob_works, "limit {max_working}");
        }
    }

    #[test]
    fn street_is_built_with_the_least_travel() {
        let model = model(&street());
        let state = recreate_all(&model);
        // Any order of three stops on a line out and back travels 60 at best.
        assert_eq!(state.routes[0].len(), 3);
        assert_eq!(state.totals[0].travel, 60.0);
    }

    #[test]
    fn both_carers_of_a_pair_go_to_different_runs() {
        let model = model(&pair(Link::Together { tolerance: 0.0 }));
        let state = recreate_all(&model);
        assert!(state.feasible);
        assert_ne!(state.route_of[0], state.route_of[1]);
        assert_eq!(state.start[0], state.start[1]);
        assert!(state.assigned(2), "meds fits too");
    }

    #[test]
    fn an_idle_worker_s_break_comes_with_the_first_visit() {
        let mut problem = street();
        problem.workers = vec![worker("ann", (0.0, 1000.0))];
        problem.workers[0].breaks = vec![Break {
            window: Window::new(12.0, 14.0),
            duration: 30.0,
        }];
        let model = model(&problem);
        let state = recreate_all(&model);
        assert!(state.feasible);
        let rest = model.routes[0].breaks[0];
        assert!(state.assigned(rest));
        let start = state.start[rest as usize];
        assert!((12.0..=14.0).contains(&start), "{start}");
    }
}
