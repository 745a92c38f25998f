//! The objective over a [`State`]: each run's share, and the whole.

use crate::Objective;
use crate::model::{Model, NONE};
use crate::solve::state::State;
use crate::solve::walk::RouteTotals;

/// The weighted cost of one run's own parts: vehicle, travel, lateness and shortfall
/// (not the day's largest lateness, which belongs to all runs together).
#[inline]
pub(crate) fn route_cost(model: &Model, route: usize, totals: &RouteTotals) -> f64 {
    let weights = &model.weights;
    let spec = &model.routes[route];
    let shortfall = (spec.guaranteed - totals.working).max(0.0);
    let mut cost = weights.travel * totals.travel
        + weights.lateness * totals.lateness
        + weights.shortfall * shortfall;
    if totals.used {
        cost += weights.vehicle * spec.fixed_cost;
    }
    cost
}

/// The objective's parts and weighted total for a state.
pub(crate) fn objective(model: &Model, state: &State) -> Objective {
    let mut parts = Objective::default();
    for (route, totals) in state.totals.iter().enumerate() {
        let spec = &model.routes[route];
        parts.travel += totals.travel;
        parts.lateness += totals.lateness;
        parts.max_lateness = parts.max_lateness.max(totals.max_late);
        parts.shortfall += (spec.guaranteed - totals.working).max(0.0);
        if totals.used {
            parts.vehicles += spec.fixed_cost;
        }
    }
    parts.fairness = fairness(model, state);
    for (task, spec) in model.tasks.iter().enumerate() {
        if spec.is_break() {
            continue;
        }
        let route = state.route_of[task];
        if route == NONE {
            // Each part carries its share of the visit's priority.
            parts.unassigned += spec.priority;
        } else if spec.has_preferred && !model.preferred(task as u32, route as usize) {
            parts.continuity += 1.0;
        }
    }
    parts.continuity += state
        .person_carers
        .iter()
        .map(|carers| f64::from(carers.saturating_sub(1)))
        .sum::<f64>();
    parts.total = total(model, &parts);
    parts
}

/// Σ weight × part.
pub(crate) fn total(model: &Model, parts: &Objective) -> f64 {
    let w = &model.weights;
    w.unassigned * parts.unassigned
        + w.vehicle * parts.vehicles
        + w.lateness * parts.lateness
        + w.max_lateness * parts.max_lateness
        + w.travel * parts.travel
        + w.continuity * parts.continuity
        + w.shortfall * parts.shortfall
        + w.fairness * parts.fairness
}

/// Largest minus smallest share (in percent) of contracted time worked.
fn fairness(model: &Model, state: &State) -> f64 {
    let mut lowest = f64::INFINITY;
    let mut highest = f64::NEG_INFINITY;
    let mut counted = 0;
    for (route, spec) in model.routes.iter().enumerate() {
        if spec.contracted > 0.0 {
            let share = 100.0 * state.totals[route].working / spec.contracted;
            lowest = lowest.min(share);
            highest = highest.max(share);
            counted += 1;
        }
    }
    if counted < 2 { 0.0 } else { highest - lowest }
}
