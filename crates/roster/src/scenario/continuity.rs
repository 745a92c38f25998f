//! Last week's carers: each person's small team of known workers, and the odd worker a person
//! has asked never to see again.

use rand_chacha::ChaCha8Rng;

use super::draw::{chance, pick, weighted_index};
use super::people::Person;
use super::workers::Staff;
use crate::{Mode, Visit};

/// Team sizes with weights: most people saw two carers last week.
const TEAM: [(usize, f64); 3] = [(1, 30.0), (2, 45.0), (3, 25.0)];
/// Share of people who have asked for one worker never to come again.
const EXCLUSION_SHARE: f64 = 0.03;

/// Fills each person's visits' `preferred` with a team drawn among the workers who could have
/// made their calls last week (a shift covering the call, the skills for it), nearer workers
/// more likely; and for a few people, `excluded` with one other such worker.
pub(super) fn assign(rng: &mut ChaCha8Rng, people: &mut [Person], staff: &[Staff]) {
    for person in people.iter_mut() {
        let weights: Vec<f64> = staff.iter().map(|member| weight(person, member)).collect();
        let size = (*pick(rng, &TEAM)).max(if person.pair.is_some() { 2 } else { 1 });
        let mut team = draw_without_replacement(rng, weights.clone(), size);
        team.sort_unstable();
        let mut others = weights;
        for chosen in &team {
            others[*chosen] = 0.0;
        }
        let excluded = if chance(rng, EXCLUSION_SHARE) {
            weighted_index(rng, &others)
        } else {
            None
        };
        for visit in &mut person.visits {
            visit.preferred = team
                .iter()
                .map(|index| staff[*index].worker.id.clone())
                .collect();
            visit.excluded = excluded
                .iter()
                .map(|index| staff[*index].worker.id.clone())
                .collect();
        }
    }
}

/// How likely `member` was on the person's team: the calls they could make, damped by distance
/// from their home at their mode's pace.
fn weight(person: &Person, member: &Staff) -> f64 {
    let covered = person
        .visits
        .iter()
        .filter(|visit| could_make(member, visit))
        .count();
    let reach = match member.worker.mode {
        Mode::Car => 3.0,
        Mode::Bike => 2.0,
        Mode::Foot => 1.0,
    };
    covered as f64 * (-member.home.distance(person.home) / reach).exp()
}

/// Whether the worker's shift covers the visit's window and they hold the skills of either part.
fn could_make(member: &Staff, visit: &Visit) -> bool {
    let shift = member.worker.shift;
    let holds_all = |skills: &[String]| {
        skills
            .iter()
            .all(|skill| member.worker.skills.contains(skill))
    };
    let second = visit
        .second
        .as_ref()
        .and_then(|second| second.skills.as_deref());
    let skilled = holds_all(&visit.skills) || (visit.carers == 2 && second.is_some_and(holds_all));
    shift.start <= visit.window.start && visit.window.end <= shift.end && skilled
}

/// Up to `count` distinct indices drawn with probability proportional to `weights`, in the
/// order drawn.
fn draw_without_replacement(
    rng: &mut ChaCha8Rng,
    mut weights: Vec<f64>,
    count: usize,
) -> Vec<usize> {
    let mut chosen = Vec::with_capacity(count);
    while chosen.len() < count {
        let Some(index) = weighted_index(rng, &weights) else {
            break;
        };
        chosen.push(index);
        weights[index] = 0.0;
    }
    chosen
}
