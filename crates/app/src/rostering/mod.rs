//! Rostering in the app: a provider's coordinator plans a branch's day (or week) with the
//! scheduling engine, moves visits by hand with the engine's checker saying what a move breaks,
//! and publishes the day to the care workers.
//!
//! - [`BranchDay::load`] gathers what a day's roster is made from;
//! - [`plan_day`] and [`plan_week`] solve and store draft rosters, the people's carers of the
//!   week before preferred, so that they keep seeing the carers they know;
//! - [`move_visit`] puts one carer's part of a visit on another run (or none), times the runs
//!   again in the order they now have (`homeward_roster::schedule`), stores the result as a draft
//!   and returns what the checker says it breaks;
//! - [`publish`] gives the day to the care workers;
//! - [`view`] reads a roster back with its runs, figures and breaches.

mod branch_day;
mod limit;
mod problem;
mod view;

pub use branch_day::{BranchDay, KNOWN_CARER_DAYS};
/// A rule a roster breaks, as the engine's checker reports it (for the API's callers).
pub use homeward_roster::Violation;
pub use limit::{PLANNER_WAIT, Planners};
pub use problem::{instant_at, minute_of_day, minutes_at};
pub use view::{RosterFigures, RosterView, RunView, StopView, UnmadeView, view};

use homeward_domain::{
    BranchId, FieldError, Invalid, MonitoringRules, Roster, RosterId, RosterStatus, VisitId,
    WorkerId, london, london_date,
};
use homeward_roster::{Options, Stop};
use homeward_store::{Store, StoreError};
use jiff::Timestamp;
use jiff::civil::Date;

use crate::Ids;

/// Why a rostering step could not be taken; nothing changed.
#[derive(Debug, thiserror::Error)]
pub enum RosterError {
    /// The request breaks a rule.
    #[error("{0}")]
    Invalid(#[from] Invalid),
    /// A record the step needs does not exist.
    #[error("{0} not found")]
    NotFound(String),
    /// The roster is of a day that has passed: it is the record of what was planned, and
    /// stays as it is (a visit's times are corrected, not re-rostered).
    #[error("the roster of {0} is for a day that has passed and cannot change")]
    DayPassed(Date),
    /// Every planner is busy (see [`Planners`]): try again in a minute.
    #[error("every planner is busy")]
    Busy,
    /// The engine could not take the problem (a fault of ours: the problem is built here).
    #[error("the scheduling engine refused the problem: {0}")]
    Engine(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// How planning searches.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlanSettings {
    /// Seconds the engine searches for each day.
    pub seconds_per_day: f64,
    /// The search's seed (the same seed and iterations give the same runs).
    pub seed: u64,
    /// An iteration limit, for reproducible plans; none in service.
    pub iterations: Option<u64>,
    /// The monitoring rules whose window a visit's time may move within.
    pub rules: MonitoringRules,
}

impl Default for PlanSettings {
    /// Three seconds a day: enough on a branch of 50 care workers and 400 visits to be within
    /// a few per cent of a minute's search (`homeward roster branch-bench`).
    fn default() -> Self {
        Self {
            seconds_per_day: 3.0,
            seed: 1,
            iterations: None,
            rules: MonitoringRules::default(),
        }
    }
}

impl PlanSettings {
    /// The defaults, searching `seconds_per_day` for each day: the server's own setting, so
    /// that the pages and the API plan alike.
    pub fn searching_for(seconds_per_day: f64) -> PlanSettings {
        PlanSettings {
            seconds_per_day,
            ..PlanSettings::default()
        }
    }
}

/// The days a coordinator may plan: today and up to this many days ahead.
pub const PLAN_AHEAD_DAYS: i64 = 28;

/// Plans a branch's runs for a local date with the engine and stores them as a draft (the
/// roster already stored for the day, draft or published, is replaced and becomes a draft).
/// A date before today, or more than [`PLAN_AHEAD_DAYS`] ahead, is refused naming `date`.
pub async fn plan_day(
    store: &dyn Store,
    ids: &Ids,
    branch_id: &BranchId,
    date: Date,
    settings: &PlanSettings,
    now: Timestamp,
    actor: &str,
) -> Result<Roster, RosterError> {
    check_plannable(date, now)?;
    let now = to_the_microsecond(now);
    let day = BranchDay::load(store, branch_id, date).await?;
    let problem = problem::problem(&day, &settings.rules);
    let options = Options {
        time_limit: settings.seconds_per_day,
        iterations: settings.iterations,
        seed: settings.seed,
    };
    let planner = Planners::of_this_machine()
        .take()
        .await
        .ok_or(RosterError::Busy)?;
    let solution = tokio::task::spawn_blocking(move || {
        homeward_roster::solve(&problem, &options).map(|solution| (problem, solution))
    })
    .await
    .map_err(|error| RosterError::Engine(error.to_string()))?
    .map_err(|error| RosterError::Engine(error.to_string()))?;
    drop(planner);
    let (problem, solution) = solution;
    let report = homeward_roster::check(&problem, &solution);
    let id = existing_id(store, &day, ids).await?;
    let roster = problem::roster_from(&day, &solution, &report, id, now);
    store.save_roster(&roster, "plan", actor).await?;
    Ok(roster)
}

/// Plans the seven days from `first`, one after another, each day preferring the carers of
/// the days before it (those just planned included).
pub async fn plan_week(
    store: &dyn Store,
    ids: &Ids,
    branch_id: &BranchId,
    first: Date,
    settings: &PlanSettings,
    now: Timestamp,
    actor: &str,
) -> Result<Vec<Roster>, RosterError> {
    check_plannable(first, now)?;
    let mut rosters = Vec::new();
    for offset in 0..7 {
        let date = first
            .checked_add(jiff::Span::new().days(offset))
            .map_err(|_| invalid("date", "is beyond the calendar"))?;
        if check_plannable(date, now).is_err() {
            break;
        }
        rosters.push(plan_day(store, ids, branch_id, date, settings, now, actor).await?);
    }
    Ok(rosters)
}

/// What a manual move did.
#[derive(Debug, Clone)]
pub struct MoveOutcome {
    /// The roster as stored after the move (a draft).
    pub roster: Roster,
    /// Every rule the roster breaks after the move, as the engine's checker says.
    pub breaches: Vec<Violation>,
    /// Those that concern the visit moved or the run it went to.
    pub caused: Vec<Violation>,
}

/// Which carer's part of which visit goes where.
#[derive(Debug, Clone, Copy)]
pub struct Move<'a> {
    /// The visit.
    pub visit_id: &'a VisitId,
    /// 0, or 1 for the second carer of a double-handed visit.
    pub part: u8,
    /// The care worker whose run it goes on; `None` takes it off every run.
    pub to: Option<&'a WorkerId>,
}

/// Puts one carer's part of a visit on another care worker's run — in order of planned start —
/// or on no run, times every run again in its order, stores the roster as a draft and says
/// what the move breaks. The move is made even if it breaks a rule: the coordinator may know
/// better, and the roster page keeps showing the breach until it is put right.
pub async fn move_visit(
    store: &dyn Store,
    roster_id: &RosterId,
    change: Move<'_>,
    settings: &PlanSettings,
    now: Timestamp,
    actor: &str,
) -> Result<MoveOutcome, RosterError> {
    let Move { visit_id, part, to } = change;
    let now = to_the_microsecond(now);
    let roster = store
        .roster(roster_id)
        .await?
        .ok_or_else(|| RosterError::NotFound(format!("roster {roster_id}")))?;
    check_changeable(&roster, now)?;
    let day = BranchDay::load(store, &roster.branch_id, roster.date).await?;
    let visit = day
        .visit(visit_id)
        .ok_or_else(|| invalid("visit_id", "is not one of this day's planned visits"))?;
    if part >= visit.dated.carers {
        return Err(invalid("part", "the visit has no such carer"));
    }
    if let Some(worker) = to
        && day.worker(worker).is_none()
    {
        return Err(invalid(
            "worker_id",
            "is not one of this branch's care workers",
        ));
    }
    let problem = problem::problem(&day, &settings.rules);
    let mut solution = problem::solution_of(&roster, &day, &problem);
    for run in &mut solution.runs {
        run.stops.retain(|stop| {
            !(stop.visit.as_deref() == Some(visit_id.as_str()) && stop.part == part)
        });
    }
    solution.runs.retain(|run| !run.stops.is_empty());
    if let Some(worker) = to {
        let planned = minute_of_day(visit.dated.local_start);
        let start_of = |stop: &Stop| {
            stop.visit
                .as_deref()
                .and_then(|id| VisitId::parse(id, "visit").ok())
                .and_then(|id| day.visit(&id))
                .map_or(f64::INFINITY, |visit| {
                    minute_of_day(visit.dated.local_start)
                })
        };
        let moved = Stop::visit(visit_id.as_str(), part, planned);
        match solution
            .runs
            .iter_mut()
            .find(|run| run.worker == worker.as_str())
        {
            Some(run) => {
                let position = run.stops.iter().position(|stop| start_of(stop) > planned);
                run.stops.insert(position.unwrap_or(run.stops.len()), moved);
            }
            None => solution.runs.push(homeward_roster::Run {
                worker: worker.as_str().to_owned(),
                stops: vec![moved],
            }),
        }
    }
    let timed = homeward_roster::schedule(&problem, &solution.runs)
        .map_err(|error| RosterError::Engine(error.to_string()))?;
    let report = homeward_roster::check(&problem, &timed);
    let mut moved = problem::roster_from(&day, &timed, &report, roster.id.clone(), now);
    // A visit taken off every run by hand says so; the engine's reasons stand for the rest.
    for unmade in &mut moved.unmade {
        if &unmade.visit_id == visit_id && to.is_none() {
            unmade.reason = "taken off the runs by the coordinator".into();
        } else if let Some(before) = roster
            .unmade
            .iter()
            .find(|before| before.visit_id == unmade.visit_id)
        {
            unmade.reason.clone_from(&before.reason);
        }
    }
    store.save_roster(&moved, "move", actor).await?;
    let caused = report
        .violations
        .iter()
        .filter(|breach| {
            breach.visit.as_deref() == Some(visit_id.as_str())
                || (to.is_some() && breach.worker.as_deref() == to.map(WorkerId::as_str))
        })
        .cloned()
        .collect();
    Ok(MoveOutcome {
        roster: moved,
        breaches: report.violations,
        caused,
    })
}

/// Publishes a roster to its care workers. Publishing one already published changes nothing
/// and returns it as it is.
pub async fn publish(
    store: &dyn Store,
    roster_id: &RosterId,
    now: Timestamp,
    actor: &str,
) -> Result<Roster, RosterError> {
    let mut roster = store
        .roster(roster_id)
        .await?
        .ok_or_else(|| RosterError::NotFound(format!("roster {roster_id}")))?;
    if roster.status == RosterStatus::Published {
        return Ok(roster);
    }
    check_changeable(&roster, now)?;
    roster.status = RosterStatus::Published;
    roster.published_at = Some(to_the_microsecond(now));
    store.save_roster(&roster, "publish", actor).await?;
    Ok(roster)
}

/// The id of the roster stored for the day, or a new one.
async fn existing_id(
    store: &dyn Store,
    day: &BranchDay,
    ids: &Ids,
) -> Result<RosterId, RosterError> {
    Ok(match store.branch_roster(&day.branch.id, day.date).await? {
        Some(roster) => roster.id,
        None => RosterId::from_suffix(&ids.suffix()).expect("a generated suffix is valid"),
    })
}

/// Refuses a change to a roster whose day has passed by `now` (UK dates).
fn check_changeable(roster: &Roster, now: Timestamp) -> Result<(), RosterError> {
    if roster.date < london_date(now) {
        return Err(RosterError::DayPassed(roster.date));
    }
    Ok(())
}

/// Refuses dates that cannot be planned at `now`.
fn check_plannable(date: Date, now: Timestamp) -> Result<(), RosterError> {
    let today = now.to_zoned(london().clone()).date();
    if date < today {
        return Err(invalid(
            "date",
            "is in the past: only today and later days can be planned",
        ));
    }
    let last = today
        .checked_add(jiff::Span::new().days(PLAN_AHEAD_DAYS))
        .unwrap_or(today);
    if date > last {
        return Err(invalid(
            "date",
            format!("is more than {PLAN_AHEAD_DAYS} days ahead: visits are planned up to then"),
        ));
    }
    Ok(())
}

/// `at` to the microsecond, as the store keeps instants, so a roster returned is the roster
/// stored.
fn to_the_microsecond(at: Timestamp) -> Timestamp {
    Timestamp::from_microsecond(at.as_microsecond()).unwrap_or(at)
}

fn invalid(field: &str, message: impl Into<String>) -> RosterError {
    RosterError::Invalid(Invalid(vec![FieldError::new(field, message)]))
}
