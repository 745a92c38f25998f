//! Tiny named problems for the operators' unit tests. Places lie on a line, so travel times
//! are plain differences and every expected figure can be worked out by hand.

use crate::model::{Model, compile};
use crate::{Link, Problem, Rounding, Travel, Visit, Weights, Window, Worker};

/// Places at x = 0, 10, 20, …, 90 on a line; travel time = distance.
pub(crate) fn line(places: usize) -> Travel {
    Travel::Euclidean {
        places: (0..places).map(|i| [10.0 * i as f64, 0.0]).collect(),
        rounding: Rounding::Exact,
    }
}

pub(crate) fn worker(id: &str, shift: (f64, f64)) -> Worker {
    Worker::new(id, 0, Window::new(shift.0, shift.1))
}

/// A hard-windowed visit for one carer.
pub(crate) fn visit(id: &str, place: usize, window: (f64, f64), duration: f64) -> Visit {
    Visit {
        max_lateness: Some(0.0),
        ..Visit::new(id, place, Window::new(window.0, window.1), duration)
    }
}

pub(crate) fn double(id: &str, place: usize, window: (f64, f64), link: Link) -> Visit {
    Visit {
        carers: 2,
        link: Some(link),
        ..visit(id, place, window, 10.0)
    }
}

/// "Street": one worker from x = 0; visits at x = 10, 20, 30 with wide windows.
pub(crate) fn street() -> Problem {
    Problem {
        name: "street".into(),
        travel: line(4),
        workers: vec![worker("ann", (0.0, 1000.0))],
        visits: vec![
            visit("a", 1, (0.0, 1000.0), 5.0),
            visit("b", 2, (0.0, 1000.0), 5.0),
            visit("c", 3, (0.0, 1000.0), 5.0),
        ],
        weights: Weights::distance_only(),
    }
}

/// "Pair": two workers from x = 0; one double-handed visit at x = 20 and one single visit at
/// x = 10 that must start by 12.
pub(crate) fn pair(link: Link) -> Problem {
    Problem {
        name: "pair".into(),
        travel: line(3),
        workers: vec![worker("ann", (0.0, 1000.0)), worker("bob", (0.0, 1000.0))],
        visits: vec![
            double("lift", 2, (0.0, 1000.0), link),
            visit("meds", 1, (0.0, 12.0), 5.0),
        ],
        weights: Weights::distance_only(),
    }
}

pub(crate) fn model(problem: &Problem) -> Model {
    compile(problem).expect("the fixture is valid")
}
