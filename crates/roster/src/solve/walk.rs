//! Walking a run stop by stop: arrival, start and end times, travel and lateness, and whether
//! every hard time limit holds. Used by the full schedule and by insertion evaluation alike.

use crate::model::{Model, NONE};

/// The running state of a walk along one run.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Walk {
    /// When the worker is free to move on.
    pub time: f64,
    /// Where the worker is.
    pub place: u32,
    /// Start of the first stop, and travel to it, for working time.
    pub first_start: f64,
    pub first_travel: f64,
    pub travel: f64,
    pub lateness: f64,
    pub max_late: f64,
    pub load: f64,
    /// Whether every hard limit has held so far.
    pub ok: bool,
    /// Whether the limits that later starts can only worsen (latest starts, the shift's end,
    /// the load) have held; working time is not one of them, as a later first start
    /// shortens it.
    pub monotone_ok: bool,
    /// Stops walked.
    pub stops: u32,
}

/// What a finished walk gives.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct RouteTotals {
    pub travel: f64,
    pub lateness: f64,
    pub max_late: f64,
    pub working: f64,
    pub load: f64,
    pub used: bool,
}

const EPSILON: f64 = 1e-9;

impl Walk {
    /// A walk leaving the route's start place at the start of the shift.
    pub(crate) fn begin(model: &Model, route: usize) -> Self {
        let spec = &model.routes[route];
        Self {
            time: spec.shift_start,
            place: spec.start_place,
            first_start: 0.0,
            first_travel: 0.0,
            travel: 0.0,
            lateness: 0.0,
            max_late: 0.0,
            load: 0.0,
            ok: true,
            monotone_ok: true,
            stops: 0,
        }
    }

    /// Walks to `task`, which may not start before `lower`; returns its start.
    #[inline]
    pub(crate) fn visit(&mut self, model: &Model, route: usize, task: u32, lower: f64) -> f64 {
        let spec = &model.tasks[task as usize];
        let hop = if spec.place == NONE || self.place == spec.place {
            0.0
        } else {
            model.travel(route, self.place, spec.place)
        };
        let start = (self.time + hop).max(spec.earliest).max(lower);
        if self.stops == 0 {
            self.first_start = start;
            self.first_travel = hop;
        }
        self.stops += 1;
        self.travel += hop;
        if start > spec.latest + EPSILON {
            self.ok = false;
            self.monotone_ok = false;
        }
        let late = start - spec.due;
        if late > 0.0 {
            self.lateness += late;
            self.max_late = self.max_late.max(late);
        }
        self.load += spec.demand;
        if spec.place != NONE {
            self.place = spec.place;
        }
        self.time = start + spec.duration;
        start
    }

    /// Walks home and checks the shift's end, the working time and the load.
    pub(crate) fn finish(&mut self, model: &Model, route: usize) -> RouteTotals {
        let spec = &model.routes[route];
        if self.stops == 0 {
            return RouteTotals::default();
        }
        let hop = model.travel(route, self.place, spec.end_place);
        let home = self.time + hop;
        self.travel += hop;
        let working = home - (self.first_start - self.first_travel);
        if home > spec.shift_end + EPSILON || self.load > spec.capacity + EPSILON {
            self.ok = false;
            self.monotone_ok = false;
        }
        if working > spec.max_working + EPSILON {
            self.ok = false;
        }
        RouteTotals {
            travel: self.travel,
            lateness: self.lateness,
            max_late: self.max_late,
            working,
            load: self.load,
            used: true,
        }
    }
}
