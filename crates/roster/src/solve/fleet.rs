//! Fleet minimisation (after SISR's, Christiaens & Vanden Berghe 2020): take away one run,
//! then ruin and recreate without giving work to more workers than are left, accepting a change when fewer visits
//! are left out, or when those left out have been left out less often so far ("absences").
//! A visit still left out after recreate may take the place of one left out less often
//! ([`ejection`]). When every visit is back in, the solution needs one worker fewer; try again.

use std::time::Instant;

use rand_chacha::ChaCha8Rng;

use crate::model::Model;
use crate::solve::ejection;
use crate::solve::insertion::Scratch;
use crate::solve::recreate::{Rules, rebuild};
use crate::solve::ruin::{self, StringRuin};
use crate::solve::state::State;

/// Recreate skips 1% of insertion places (SISR's blink rate).
const BLINK_RATE: f64 = 0.01;

/// Removes workers from `state` one at a time until `seconds` have passed or `iterations`
/// ruin-and-recreate steps are spent; returns the smallest feasible fleet found (all visits
/// made) and the steps used.
pub(crate) fn minimise(
    model: &Model,
    state: State,
    seconds: f64,
    iterations: u64,
    rng: &mut ChaCha8Rng,
) -> (State, u64) {
    let began = Instant::now();
    let neighbours = ruin::neighbours(model);
    let strings = StringRuin::default();
    let mut scratch = Scratch::new(model);
    let mut absences = vec![0u64; model.tasks.len()];
    let mut best = state;
    let mut steps = 0u64;
    let mut removed = Vec::new();
    let mut touched = Vec::new();
    'fleet: while used(&best) > 1 {
        let mut current = best.clone();
        removed.clear();
        touched.clear();
        ruin::shortest_route(model, &mut current, rng, &mut removed, &mut touched);
        current.reschedule(model, &touched);
        // A ruin may empty another run; recreate may then give its work to any idle worker,
        // but never work to more workers than the target.
        let rules = Rules {
            blink_rate: BLINK_RATE,
            max_working: used(&current),
        };
        let mut left_out = unassigned(model, &current);
        let mut candidate = current.clone();
        while !left_out.is_empty() {
            if steps >= iterations || began.elapsed().as_secs_f64() >= seconds {
                break 'fleet;
            }
            steps += 1;
            candidate.clone_from(&current);
            removed.clear();
            touched.clear();
            ruin::strings(
                model,
                &mut candidate,
                &neighbours,
                &strings,
                rng,
                &mut removed,
                &mut touched,
            );
            removed.extend(left_out.iter().copied());
            rebuild(
                model,
                &mut candidate,
                &mut scratch,
                &mut removed,
                &touched,
                rules,
                rng,
            );
            if !candidate.feasible {
                continue;
            }
            let mut now_out = unassigned(model, &candidate);
            eject_for(model, &mut candidate, &mut scratch, &mut now_out, &absences);
            let weight = |out: &[u32]| out.iter().map(|t| absences[*t as usize]).sum::<u64>();
            if now_out.len() < left_out.len() || weight(&now_out) < weight(&left_out) {
                std::mem::swap(&mut current, &mut candidate);
                left_out = now_out;
            }
            for task in &left_out {
                absences[*task as usize] += 1;
            }
        }
        best = current;
    }
    (best, steps)
}

/// Lets each left-out visit in where it can take the place of visits left out less often in
/// all, which then join `left_out`.
fn eject_for(
    model: &Model,
    state: &mut State,
    scratch: &mut Scratch,
    left_out: &mut Vec<u32>,
    absences: &[u64],
) {
    let weight = |task: u32| absences[task as usize];
    for slot in 0..left_out.len() {
        let task = left_out[slot];
        if let Some(swap) = ejection::best(model, state, scratch, task, weight, weight(task)) {
            ejection::apply(model, state, &swap);
            let (first, rest) = swap.ejected().split_first().expect("one at least");
            left_out[slot] = *first;
            left_out.extend_from_slice(rest);
        }
    }
}

fn used(state: &State) -> usize {
    state.visits_in.iter().filter(|visits| **visits > 0).count()
}

/// First tasks of the visits not in any run.
fn unassigned(model: &Model, state: &State) -> Vec<u32> {
    model
        .visit_tasks
        .iter()
        .map(|tasks| tasks[0])
        .filter(|task| !state.assigned(*task))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::fixtures::{model, street, worker};
    use rand::SeedableRng;

    #[test]
    fn three_one_visit_runs_become_one() {
        let mut problem = street();
        problem.workers = (0..3)
            .map(|i| worker(&format!("w{i}"), (0.0, 1000.0)))
            .collect();
        let model = model(&problem);
        let mut state = State::empty(&model);
        for task in 0..3u32 {
            state.insert(&model, task, task as usize, 0);
        }
        state.reschedule_all(&model);
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let (smaller, _) = minimise(&model, state, 1.0e9, 500, &mut rng);
        assert!(smaller.feasible);
        assert_eq!(used(&smaller), 1);
        assert!(unassigned(&model, &smaller).is_empty());
    }
}
