//! The problem the engine solves: care workers, visits, travel and the objective's weights.
//!
//! These are the engine's public input types and its JSON problem format (serde). Times and
//! durations are plain numbers in one unit chosen by the caller (minutes of the day for home
//! care, Solomon's time units for the VRPTW benchmarks); travel times use the same unit.

use serde::{Deserialize, Serialize};

/// A whole scheduling problem: who can work, what must be done, how long travel takes, and what
/// a good answer is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Problem {
    /// A name for reports (the Solomon instance name, a branch and date).
    pub name: String,
    /// How travel times are obtained between places.
    pub travel: Travel,
    /// The care workers (vehicles, in the VRPTW benchmarks).
    pub workers: Vec<Worker>,
    /// The visits to be made.
    pub visits: Vec<Visit>,
    /// The objective's weights.
    #[serde(default)]
    pub weights: Weights,
}

/// How travel time between two places is found. Places are numbered from 0 in the order given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Travel {
    /// Planar coordinates; travel time equals Euclidean distance, the same for every mode
    /// (the Solomon and Mankowska benchmarks).
    Euclidean {
        /// `[x, y]` per place.
        places: Vec<[f64; 2]>,
        /// Whether each arc is truncated to one decimal before use (the DIMACS 2021 convention).
        #[serde(default)]
        rounding: Rounding,
    },
    /// Latitude and longitude in degrees; travel time is the great-circle distance times a
    /// detour factor, divided by the worker's mode speed, in minutes.
    Geographic {
        /// `[latitude, longitude]` per place.
        places: Vec<[f64; 2]>,
        /// Road distance over straight-line distance (1.3 is typical of English towns).
        detour_factor: f64,
        /// Speed of each travel mode.
        #[serde(default)]
        speeds: Speeds,
    },
    /// Travel times given directly, one square matrix per mode; a missing mode uses `car`.
    Matrix {
        /// `car[from][to]`.
        car: Vec<Vec<f64>>,
        /// `bike[from][to]`, when bikes differ from cars.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        bike: Option<Vec<Vec<f64>>>,
        /// `foot[from][to]`, when walking differs from driving.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        foot: Option<Vec<Vec<f64>>>,
    },
}

/// Rounding applied to each travel arc.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// Double-precision arcs.
    #[default]
    Exact,
    /// `floor(10·d)/10`, as in DIMACS 2021 and PyVRP's Solomon convention.
    TruncateTenth,
}

/// Average door-to-door speeds of the three travel modes, in km/h.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Speeds {
    /// Car, including parking.
    pub car: f64,
    /// Bicycle.
    pub bike: f64,
    /// Walking.
    pub foot: f64,
}

impl Default for Speeds {
    fn default() -> Self {
        Self {
            car: 30.0,
            bike: 14.0,
            foot: 4.8,
        }
    }
}

/// How a care worker travels between visits.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Drives.
    #[default]
    Car,
    /// Cycles.
    Bike,
    /// Walks.
    Foot,
}

/// A closed interval of time.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Window {
    /// Earliest.
    pub start: f64,
    /// Latest.
    pub end: f64,
}

impl Window {
    /// An interval from `start` to `end`.
    pub fn new(start: f64, end: f64) -> Self {
        Self { start, end }
    }
}

/// A care worker's shift: one run from a start place back to an end place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Worker {
    /// The caller's id, used in the solution.
    pub id: String,
    /// Where the run starts (a place number).
    pub start_place: usize,
    /// Where the run ends.
    pub end_place: usize,
    /// The worker may leave the start place no earlier than `shift.start` and must be back at the
    /// end place by `shift.end`.
    pub shift: Window,
    /// Breaks the worker takes if given any visits, each where they are when it starts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub breaks: Vec<Break>,
    /// Longest run from leaving the start place to arriving at the end place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_working_time: Option<f64>,
    /// Contracted time for the day (used for fairness: each worker's share of their contract).
    #[serde(default)]
    pub contracted_time: f64,
    /// Guaranteed paid time; a run shorter than this is a shortfall.
    #[serde(default)]
    pub guaranteed_time: f64,
    /// Travel mode.
    #[serde(default)]
    pub mode: Mode,
    /// Skills held (free text, matched exactly).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skills: Vec<String>,
    /// Load the worker can carry (VRPTW vehicle capacity); unlimited when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<f64>,
    /// Cost of using this worker at all (counted by the `vehicle` weight).
    #[serde(default = "one")]
    pub fixed_cost: f64,
}

fn one() -> f64 {
    1.0
}

impl Worker {
    /// A worker who drives from `place` and back within `shift`, with everything else at the
    /// JSON format's defaults: no breaks, limits, skills, contract or capacity; fixed cost 1.
    pub fn new(id: impl Into<String>, place: usize, shift: Window) -> Self {
        Self {
            id: id.into(),
            start_place: place,
            end_place: place,
            shift,
            breaks: Vec::new(),
            max_working_time: None,
            contracted_time: 0.0,
            guaranteed_time: 0.0,
            mode: Mode::default(),
            skills: Vec::new(),
            capacity: None,
            fixed_cost: 1.0,
        }
    }
}

/// A break of fixed length that must start within a window.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Break {
    /// When the break may start.
    pub window: Window,
    /// How long it lasts.
    pub duration: f64,
}

/// A visit to a person: one carer, or two working together or in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Visit {
    /// The caller's id, used in the solution.
    pub id: String,
    /// Where the visit happens (a place number).
    pub place: usize,
    /// The person visited, for continuity of carers; visits with no person count for none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    /// When the visit should start. Starting before `window.start` is never allowed (carers
    /// wait); starting after `window.end` is lateness.
    pub window: Window,
    /// How late after `window.end` a start may be; `0` makes the window hard. Unlimited when
    /// absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_lateness: Option<f64>,
    /// Length of the visit.
    pub duration: f64,
    /// Skills the carer must all hold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skills: Vec<String>,
    /// One or two carers.
    #[serde(default = "one_carer")]
    pub carers: u8,
    /// For two carers: how their starts are tied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<Link>,
    /// For two carers: what the second carer does, when it differs from the first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub second: Option<SecondPart>,
    /// Carers the person knows; any other carer costs continuity.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub preferred: Vec<String>,
    /// Carers who must never make this visit.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excluded: Vec<String>,
    /// How much leaving the visit unmade costs, in multiples of the `unassigned` weight.
    #[serde(default = "one")]
    pub priority: f64,
    /// Load (VRPTW demand).
    #[serde(default)]
    pub demand: f64,
}

fn one_carer() -> u8 {
    1
}

impl Visit {
    /// A visit for one carer with everything else at the JSON format's defaults: no person,
    /// skills, preferences or demand; no bound on lateness; priority 1.
    pub fn new(id: impl Into<String>, place: usize, window: Window, duration: f64) -> Self {
        Self {
            id: id.into(),
            place,
            person: None,
            window,
            max_lateness: None,
            duration,
            skills: Vec::new(),
            carers: 1,
            link: None,
            second: None,
            preferred: Vec::new(),
            excluded: Vec::new(),
            priority: 1.0,
            demand: 0.0,
        }
    }
}

/// How the two carers of a double-handed visit start.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Link {
    /// Both start within `tolerance` of each other.
    Together {
        /// Largest allowed difference of the two starts.
        tolerance: f64,
    },
    /// The second starts between `min_gap` and `max_gap` after the first.
    Ordered {
        /// Smallest gap.
        min_gap: f64,
        /// Largest gap.
        max_gap: f64,
    },
}

/// The second carer's part of a double-handed visit, where it differs from the first's.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecondPart {
    /// Skills the second carer needs instead of the visit's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skills: Option<Vec<String>>,
    /// The second carer's duration instead of the visit's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<f64>,
}

/// The objective: a weighted sum of parts, weighted so that the parts are met in order.
///
/// Defaults (home care, times in minutes): an unmade visit costs 100,000 per unit of priority,
/// far more than any run's lateness or travel; a minute late costs 10 (and 10 more if it is
/// the day's latest); a minute of travel costs 1; each carer beyond the first a person sees,
/// and each visit by a carer the person does not know, costs 15; a minute of guaranteed time
/// not given costs 0.5; fairness costs 0.2 per percentage point between the most and least
/// used worker's share of their contract. Vehicles cost nothing unless asked for.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Weights {
    /// Per unit of priority of each visit left unmade.
    pub unassigned: f64,
    /// Per worker used, times the worker's `fixed_cost`.
    pub vehicle: f64,
    /// Per unit of total lateness.
    pub lateness: f64,
    /// Per unit of the largest single lateness.
    pub max_lateness: f64,
    /// Per unit of travel time.
    pub travel: f64,
    /// Per extra carer a person sees, and per visit by a carer outside the person's preferred.
    pub continuity: f64,
    /// Per unit of guaranteed time not given.
    pub shortfall: f64,
    /// Per percentage point between the highest and lowest share of contracted time used.
    pub fairness: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Self {
            unassigned: 100_000.0,
            vehicle: 0.0,
            lateness: 10.0,
            max_lateness: 10.0,
            travel: 1.0,
            continuity: 15.0,
            shortfall: 0.5,
            fairness: 0.2,
        }
    }
}

impl Weights {
    /// Total travel only (DIMACS VRPTW distance-only).
    pub fn distance_only() -> Self {
        Self {
            unassigned: 1.0e7,
            vehicle: 0.0,
            lateness: 0.0,
            max_lateness: 0.0,
            travel: 1.0,
            continuity: 0.0,
            shortfall: 0.0,
            fairness: 0.0,
        }
    }

    /// Fewest vehicles, then travel (the classic VRPTW hierarchy).
    pub fn vehicles_then_distance() -> Self {
        Self {
            vehicle: 100_000.0,
            ..Self::distance_only()
        }
    }

    /// Mankowska et al. (2014): (travel + total lateness + largest lateness) / 3.
    pub fn mankowska() -> Self {
        Self {
            lateness: 1.0 / 3.0,
            max_lateness: 1.0 / 3.0,
            travel: 1.0 / 3.0,
            ..Self::distance_only()
        }
    }
}
