//! The engine's answer: each worker's run in order with start times, the visits left unmade
//! with the reason, and the objective's parts. This is also the JSON solution format.

use serde::{Deserialize, Serialize};

/// A complete answer to a [`crate::Problem`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Solution {
    /// The problem's name.
    pub problem: String,
    /// One run per worker given any work, in the problem's worker order.
    pub runs: Vec<Run>,
    /// Visits not made, each with why.
    #[serde(default)]
    pub unassigned: Vec<Unassigned>,
    /// The objective, part by part, as the engine computed it.
    pub objective: Objective,
}

/// One worker's run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Run {
    /// The worker's id.
    pub worker: String,
    /// Visits and breaks in the order made.
    pub stops: Vec<Stop>,
}

/// One stop of a run: a visit (or the second carer's part of one) or a break.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stop {
    /// The visit's id; absent for a break.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visit: Option<String>,
    /// `1` for the second carer of a double-handed visit, otherwise `0`.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub part: u8,
    /// The break's number in the worker's list; absent for a visit.
    #[serde(default, rename = "break", skip_serializing_if = "Option::is_none")]
    pub break_index: Option<usize>,
    /// When the visit or break starts.
    pub start: f64,
}

fn is_zero(part: &u8) -> bool {
    *part == 0
}

impl Stop {
    /// A stop at a visit.
    pub fn visit(id: impl Into<String>, part: u8, start: f64) -> Self {
        Self {
            visit: Some(id.into()),
            part,
            break_index: None,
            start,
        }
    }

    /// A worker's break.
    pub fn rest(index: usize, start: f64) -> Self {
        Self {
            visit: None,
            part: 0,
            break_index: Some(index),
            start,
        }
    }
}

/// A visit left unmade.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unassigned {
    /// The visit's id.
    pub visit: String,
    /// Why: the first hard constraint that rules out every worker, or that no run had room.
    pub reason: String,
}

/// The objective's parts, unweighted, and the weighted total.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Objective {
    /// Weighted sum of the parts below.
    pub total: f64,
    /// Sum of the priorities of unmade visits.
    pub unassigned: f64,
    /// Sum of the fixed costs of workers used (the count of vehicles, in VRPTW).
    pub vehicles: f64,
    /// Sum of lateness over every visit part.
    pub lateness: f64,
    /// The largest single lateness.
    pub max_lateness: f64,
    /// Total travel time.
    pub travel: f64,
    /// Extra carers per person plus visits by carers outside the preferred.
    pub continuity: f64,
    /// Guaranteed time not given.
    pub shortfall: f64,
    /// Percentage points between the highest and lowest share of contracted time used.
    pub fairness: f64,
}
