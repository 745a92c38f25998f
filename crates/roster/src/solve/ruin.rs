//! Ruin operators: take visits out of runs so that recreate can put them back better. Each
//! returns the visits it removed by pushing their first task onto `removed`; a tied visit's
//! partner always goes with it, and a run's breaks go with the run's last visit.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::model::{Model, NONE};
use crate::solve::state::State;

/// Parameters of string removal (Christiaens & Vanden Berghe's SISR, 2020).
#[derive(Debug, Clone, Copy)]
pub(crate) struct StringRuin {
    /// Average number of visits removed.
    pub average_removed: f64,
    /// Longest string taken from one run.
    pub max_string: f64,
    /// Probability of sparing part of a string (a "split string").
    pub split_rate: f64,
    /// Probability of sparing one more visit in a split string.
    pub split_depth: f64,
}

impl Default for StringRuin {
    fn default() -> Self {
        Self {
            average_removed: 10.0,
            max_string: 10.0,
            split_rate: 0.5,
            split_depth: 0.01,
        }
    }
}

/// For each task, the other visit tasks by increasing travel time from it.
pub(crate) fn neighbours(model: &Model) -> Vec<Vec<u32>> {
    let visits: Vec<u32> = (0..model.tasks.len() as u32)
        .filter(|task| !model.tasks[*task as usize].is_break())
        .collect();
    let matrix = &model.matrices[0];
    visits_by_task(model, &visits, |a, b| matrix.time(a as usize, b as usize))
}

fn visits_by_task(model: &Model, visits: &[u32], time: impl Fn(u32, u32) -> f64) -> Vec<Vec<u32>> {
    (0..model.tasks.len())
        .map(|task| {
            let here = model.tasks[task].place;
            if here == NONE {
                return Vec::new();
            }
            let mut list: Vec<u32> = visits
                .iter()
                .copied()
                .filter(|v| *v != task as u32)
                .collect();
            list.sort_by(|a, b| {
                let ta = time(here, model.tasks[*a as usize].place);
                let tb = time(here, model.tasks[*b as usize].place);
                ta.total_cmp(&tb).then(a.cmp(b))
            });
            list
        })
        .collect()
}

/// Removes a visit task and everything that must leave with it; records the visit in
/// `removed` and every route touched in `touched`.
pub(crate) fn remove_visit(
    model: &Model,
    state: &mut State,
    task: u32,
    removed: &mut Vec<u32>,
    touched: &mut Vec<usize>,
) {
    let spec = &model.tasks[task as usize];
    let first = match spec.tie {
        Some(tie) if tie.partner < task => tie.partner,
        _ => task,
    };
    let take = |state: &mut State, task: u32, touched: &mut Vec<usize>| {
        if !state.assigned(task) {
            return;
        }
        let route = state.route_of[task as usize] as usize;
        state.remove(model, task);
        if !touched.contains(&route) {
            touched.push(route);
        }
        if state.visits_in[route] == 0 {
            for &rest in &model.routes[route].breaks {
                if state.assigned(rest) {
                    state.remove(model, rest);
                }
            }
        }
    };
    take(state, first, touched);
    if let Some(tie) = model.tasks[first as usize].tie {
        take(state, tie.partner, touched);
    }
    removed.push(first);
}

/// SISR string removal around a random seed visit.
pub(crate) fn strings(
    model: &Model,
    state: &mut State,
    neighbours: &[Vec<u32>],
    params: &StringRuin,
    rng: &mut ChaCha8Rng,
    removed: &mut Vec<u32>,
    touched: &mut Vec<usize>,
) {
    let used: Vec<usize> = (0..state.routes.len())
        .filter(|r| state.visits_in[*r] > 0)
        .collect();
    if used.is_empty() {
        return;
    }
    let average_length =
        used.iter().map(|r| state.visits_in[*r] as f64).sum::<f64>() / used.len() as f64;
    let longest = params.max_string.min(average_length);
    let most_strings = 4.0 * params.average_removed / (1.0 + longest) - 1.0;
    let strings = rng.random_range(1.0..most_strings.max(1.0) + 1.0).floor() as usize;
    let seed = loop {
        let task = rng.random_range(0..model.tasks.len()) as u32;
        if state.assigned(task) && !model.tasks[task as usize].is_break() {
            break task;
        }
    };
    let mut ruined: Vec<usize> = Vec::with_capacity(strings);
    for &task in std::iter::once(&seed).chain(neighbours[seed as usize].iter()) {
        if ruined.len() >= strings {
            break;
        }
        if !state.assigned(task) {
            continue;
        }
        let route = state.route_of[task as usize] as usize;
        if ruined.contains(&route) {
            continue;
        }
        ruined.push(route);
        remove_string(
            model, state, route, task, longest, params, rng, removed, touched,
        );
    }
}

#[allow(clippy::too_many_arguments)]
fn remove_string(
    model: &Model,
    state: &mut State,
    route: usize,
    around: u32,
    longest: f64,
    params: &StringRuin,
    rng: &mut ChaCha8Rng,
    removed: &mut Vec<u32>,
    touched: &mut Vec<usize>,
) {
    let visits: Vec<u32> = state.routes[route]
        .iter()
        .copied()
        .filter(|t| !model.tasks[*t as usize].is_break())
        .collect();
    let cap = longest.min(visits.len() as f64);
    let length = (rng.random_range(1.0..cap + 1.0).floor() as usize).clamp(1, visits.len());
    let mut spared = 0;
    if length < visits.len() && rng.random_bool(params.split_rate) {
        spared = 1;
        while length + spared < visits.len() && rng.random::<f64>() > params.split_depth {
            spared += 1;
        }
    }
    let span = length + spared;
    let at = visits.iter().position(|t| *t == around).unwrap_or(0);
    let lowest = at.saturating_sub(span - 1);
    let highest = at.min(visits.len() - span);
    let begin = rng.random_range(lowest..=highest.max(lowest));
    let keep_from = if spared > 0 {
        begin + rng.random_range(0..=length)
    } else {
        usize::MAX
    };
    for (offset, &task) in visits[begin..begin + span].iter().enumerate() {
        let position = begin + offset;
        if position >= keep_from && position < keep_from + spared {
            continue;
        }
        remove_visit(model, state, task, removed, touched);
    }
}

/// Removes `count` visits chosen at random.
pub(crate) fn random(
    model: &Model,
    state: &mut State,
    count: usize,
    rng: &mut ChaCha8Rng,
    removed: &mut Vec<u32>,
    touched: &mut Vec<usize>,
) {
    for _ in 0..count * 4 {
        if removed.len() >= count {
            break;
        }
        let task = rng.random_range(0..model.tasks.len()) as u32;
        if state.assigned(task) && !model.tasks[task as usize].is_break() {
            remove_visit(model, state, task, removed, touched);
        }
    }
}

fn empty_route(
    model: &Model,
    state: &mut State,
    route: usize,
    removed: &mut Vec<u32>,
    touched: &mut Vec<usize>,
) {
    let tasks: Vec<u32> = state.routes[route]
        .iter()
        .copied()
        .filter(|t| !model.tasks[*t as usize].is_break())
        .collect();
    for task in tasks {
        remove_visit(model, state, task, removed, touched);
    }
}

/// Empties one of the shortest runs, so that recreate may do without the worker.
pub(crate) fn shortest_route(
    model: &Model,
    state: &mut State,
    rng: &mut ChaCha8Rng,
    removed: &mut Vec<u32>,
    touched: &mut Vec<usize>,
) {
    let mut used: Vec<usize> = (0..state.routes.len())
        .filter(|r| state.visits_in[*r] > 0)
        .collect();
    if used.is_empty() {
        return;
    }
    used.sort_by_key(|r| (state.visits_in[*r], *r));
    let pick = used[rng.random_range(0..used.len().min(3))];
    empty_route(model, state, pick, removed, touched);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Link;
    use crate::solve::fixtures::{model, pair, street};
    use rand::SeedableRng;

    fn full_street(model: &Model) -> State {
        let mut state = State::empty(model);
        for task in 0..3 {
            state.insert(model, task, 0, task as usize);
        }
        state.reschedule_all(model);
        state
    }

    #[test]
    fn a_tied_visit_leaves_with_its_partner() {
        let model = model(&pair(Link::Together { tolerance: 0.0 }));
        let mut state = State::empty(&model);
        state.insert(&model, 0, 0, 0);
        state.insert(&model, 1, 1, 0);
        let (mut removed, mut touched) = (Vec::new(), Vec::new());
        remove_visit(&model, &mut state, 1, &mut removed, &mut touched);
        assert_eq!(removed, [0], "the visit is recorded by its first part");
        assert!(!state.assigned(0) && !state.assigned(1));
        assert_eq!(touched, [0, 1]);
    }

    #[test]
    fn strings_remove_consecutive_visits_of_one_run() {
        let model = model(&street());
        let neighbours = neighbours(&model);
        for seed in 0..20 {
            let mut state = full_street(&model);
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let (mut removed, mut touched) = (Vec::new(), Vec::new());
            let params = StringRuin::default();
            strings(
                &model,
                &mut state,
                &neighbours,
                &params,
                &mut rng,
                &mut removed,
                &mut touched,
            );
            assert!(!removed.is_empty());
            assert_eq!(touched, [0]);
            let kept = &state.routes[0];
            assert_eq!(kept.len() + removed.len(), 3);
        }
    }

    #[test]
    fn shortest_route_empties_a_run() {
        let model = model(&street());
        let mut state = full_street(&model);
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let (mut removed, mut touched) = (Vec::new(), Vec::new());
        shortest_route(&model, &mut state, &mut rng, &mut removed, &mut touched);
        assert!(state.routes[0].is_empty());
        assert_eq!(removed.len(), 3);
    }
}
