//! A branch-day as the scheduling engine's problem, and the engine's answer as a roster.
//!
//! Times in the problem are minutes from the start of the local date (a visit at 08:30 is 510),
//! so the wall clock a coordinator reads is the engine's; instants are made back from the date
//! and the wall-clock time (`domain::london_instant`), so a clock change moves no visit.

use homeward_domain::{
    MonitoringRules, Roster, RosterId, RosterStatus, RosterStop, TravelMode, UnmadeVisit, VisitId,
    WorkerId, london, london_instant,
};
use homeward_roster::{
    Link, Mode, Problem, Report, Run, Solution, Speeds, Stop, Travel, Visit, Weights, Window,
    Worker,
};
use jiff::civil::{Date, Time};
use jiff::{SignedDuration, Timestamp};

use super::BranchDay;

/// The day a worker may work: from midnight to 03:00 the next morning, so that a late
/// evening visit may run past midnight. Who works when is left to the engine, within the
/// working-time limit below, until care workers' availability is recorded.
const SHIFT: Window = Window {
    start: 0.0,
    end: 27.0 * 60.0,
};

/// Longest working day, from leaving home to getting back (ten hours).
const MAX_WORKING_MINUTES: f64 = 600.0;

/// Working days a week, to turn weekly contracted and guaranteed hours into a day's.
const WORKING_DAYS: f64 = 5.0;

/// Two carers of a double-handed visit start within this many minutes of each other.
const TOGETHER_TOLERANCE: f64 = 5.0;

/// Road distance over straight-line distance in English towns.
const DETOUR_FACTOR: f64 = 1.3;

/// The engine's problem for a branch-day: the branch's care workers from their homes, each
/// visit at the person's home within the monitoring window of its planned start (lateness
/// allowed up to the late tolerance), with the package's skills and the person's known carers
/// preferred.
pub fn problem(day: &BranchDay, rules: &MonitoringRules) -> Problem {
    let mut places: Vec<[f64; 2]> = day
        .workers
        .iter()
        .map(|worker| [worker.home.latitude(), worker.home.longitude()])
        .collect();
    let workers = day
        .workers
        .iter()
        .enumerate()
        .map(|(place, worker)| Worker {
            max_working_time: Some(MAX_WORKING_MINUTES),
            contracted_time: f64::from(worker.contracted_weekly_minutes) / WORKING_DAYS,
            guaranteed_time: f64::from(worker.guaranteed_weekly_minutes) / WORKING_DAYS,
            mode: match worker.travel_mode {
                TravelMode::Car => Mode::Car,
                TravelMode::Bike => Mode::Bike,
                TravelMode::Foot => Mode::Foot,
            },
            skills: worker
                .skills
                .iter()
                .map(|skill| skill.code().to_owned())
                .collect(),
            ..Worker::new(worker.id.as_str(), place, SHIFT)
        })
        .collect();
    let window = f64::from(rules.window_minutes);
    let visits = day
        .visits
        .iter()
        .filter_map(|visit| {
            let person = day.people.get(&visit.dated.person_id)?;
            let place = places.len();
            places.push([person.location.latitude(), person.location.longitude()]);
            let planned = minute_of_day(visit.dated.local_start);
            let skills = day
                .packages
                .get(&visit.dated.package_id)
                .map(|package| {
                    package
                        .skills
                        .iter()
                        .map(|skill| skill.code().to_owned())
                        .collect()
                })
                .unwrap_or_default();
            let preferred = day
                .known_carers
                .get(&person.id)
                .map(|known| {
                    known
                        .iter()
                        .map(|worker| worker.as_str().to_owned())
                        .collect()
                })
                .unwrap_or_default();
            Some(Visit {
                person: Some(person.id.as_str().to_owned()),
                max_lateness: Some(f64::from(rules.late_tolerance_minutes)),
                skills,
                carers: visit.dated.carers,
                link: (visit.dated.carers == 2).then_some(Link::Together {
                    tolerance: TOGETHER_TOLERANCE,
                }),
                preferred,
                ..Visit::new(
                    visit.id.as_str(),
                    place,
                    Window::new(planned - window, planned + window),
                    f64::from(visit.dated.duration_minutes),
                )
            })
        })
        .collect();
    Problem {
        name: format!("{} {}", day.branch.name, day.date),
        travel: Travel::Geographic {
            places,
            detour_factor: DETOUR_FACTOR,
            speeds: Speeds::default(),
        },
        workers,
        visits,
        weights: Weights::default(),
    }
}

/// Minutes from midnight of a wall-clock time.
pub fn minute_of_day(time: Time) -> f64 {
    f64::from(time.hour()) * 60.0 + f64::from(time.minute())
}

/// The instant `minutes` after the start of local `date` by the wall clock (1,470.5 is
/// 00:30:30 on the next day), to the microsecond: the engine's times are kept exactly, so the
/// checker finds in a stored roster what the engine planned.
pub fn instant_at(date: Date, minutes: f64) -> Timestamp {
    let whole = minutes.floor().max(0.0);
    let day = date
        .checked_add(jiff::Span::new().days((whole as i64) / 1440))
        .unwrap_or(date);
    let minute_of_day = (whole as i64) % 1440;
    let time = Time::new((minute_of_day / 60) as i8, (minute_of_day % 60) as i8, 0, 0)
        .expect("a minute of the day is a time");
    let fraction = ((minutes.max(0.0) - whole) * 60_000_000.0).round() as i64;
    london_instant(day, time) + SignedDuration::from_micros(fraction)
}

/// Minutes from the start of local `date` to `at` by the wall clock, seconds as a fraction
/// (the inverse of [`instant_at`]).
pub fn minutes_at(date: Date, at: Timestamp) -> f64 {
    let local = at.to_zoned(london().clone());
    let days = (local.date() - date).get_days();
    let time = local.time();
    let seconds = f64::from(time.second()) + f64::from(time.subsec_nanosecond()) / 1e9;
    f64::from(days) * 1440.0 + minute_of_day(time) + seconds / 60.0
}

/// The roster the engine's `solution` makes of a branch-day, with each stop's travel as the
/// checker's `report` recomputed it.
pub fn roster_from(
    day: &BranchDay,
    solution: &Solution,
    report: &Report,
    id: RosterId,
    changed_at: Timestamp,
) -> Roster {
    let mut stops = Vec::new();
    for run in &report.runs {
        let Ok(worker_id) = WorkerId::parse(&run.worker, "worker") else {
            continue;
        };
        let timed = solution
            .runs
            .iter()
            .find(|timed| timed.worker == run.worker);
        for leg in &run.legs {
            let Some(visit) = leg
                .visit
                .as_deref()
                .and_then(|id| VisitId::parse(id, "visit").ok())
            else {
                continue;
            };
            let start = timed
                .and_then(|timed| {
                    timed.stops.iter().find(|stop| {
                        stop.visit.as_deref() == Some(visit.as_str()) && stop.part == leg.part
                    })
                })
                .map_or(0.0, |stop| stop.start);
            stops.push(RosterStop {
                visit_id: visit,
                part: leg.part,
                worker_id: worker_id.clone(),
                starts_at: instant_at(day.date, start),
                travel_minutes: leg.travel.round().clamp(0.0, f64::from(u16::MAX)) as u16,
            });
        }
    }
    stops.sort_by(|a, b| {
        (&a.worker_id, a.starts_at, a.part).cmp(&(&b.worker_id, b.starts_at, b.part))
    });
    let unmade = solution
        .unassigned
        .iter()
        .filter_map(|unmade| {
            Some(UnmadeVisit {
                visit_id: VisitId::parse(&unmade.visit, "visit").ok()?,
                reason: unmade.reason.clone(),
            })
        })
        .collect();
    Roster {
        id,
        branch_id: day.branch.id.clone(),
        date: day.date,
        status: RosterStatus::Draft,
        changed_at,
        published_at: None,
        stops,
        unmade,
    }
}

/// A stored roster's runs as the engine's solution, leaving out stops of visits that are no
/// longer the day's (cancelled since), for the checker and for manual moves.
pub fn solution_of(roster: &Roster, day: &BranchDay, problem: &Problem) -> Solution {
    let mut runs: Vec<Run> = Vec::new();
    for worker in &day.workers {
        let stops: Vec<Stop> = roster
            .run_of(&worker.id)
            .filter(|stop| day.visit(&stop.visit_id).is_some())
            .map(|stop| {
                Stop::visit(
                    stop.visit_id.as_str(),
                    stop.part,
                    minutes_at(day.date, stop.starts_at),
                )
            })
            .collect();
        if !stops.is_empty() {
            runs.push(Run {
                worker: worker.id.as_str().to_owned(),
                stops,
            });
        }
    }
    let placed: std::collections::HashSet<&str> = runs
        .iter()
        .flat_map(|run| run.stops.iter().filter_map(|stop| stop.visit.as_deref()))
        .collect();
    let unassigned = problem
        .visits
        .iter()
        .filter(|visit| !placed.contains(visit.id.as_str()))
        .map(|visit| homeward_roster::Unassigned {
            visit: visit.id.clone(),
            reason: roster
                .unmade
                .iter()
                .find(|unmade| unmade.visit_id.as_str() == visit.id)
                .map_or_else(
                    || "not on the roster".to_owned(),
                    |unmade| unmade.reason.clone(),
                ),
        })
        .collect();
    Solution {
        problem: problem.name.clone(),
        runs,
        unassigned,
        objective: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_minutes_and_instants_convert_both_ways_across_a_clock_change() {
        // Sunday 25 October 2026: the clocks go back at 02:00 BST. 08:30 is 08:30 GMT.
        let sunday = Date::constant(2026, 10, 25);
        let at = instant_at(sunday, 510.25);
        assert_eq!(at.to_string(), "2026-10-25T08:30:15Z");
        assert!((minutes_at(sunday, at) - 510.25).abs() < 1e-9);
        // The Saturday before, 08:30 is BST; past midnight is the next day.
        let saturday = Date::constant(2026, 10, 24);
        assert_eq!(
            instant_at(saturday, 510.0).to_string(),
            "2026-10-24T07:30:00Z"
        );
        assert_eq!(
            instant_at(saturday, 1470.0).to_string(),
            "2026-10-24T23:30:00Z"
        );
        assert!((minutes_at(saturday, instant_at(saturday, 1470.0)) - 1470.0).abs() < 1e-9);
    }
}
