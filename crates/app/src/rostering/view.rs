//! A roster read back for its coordinator: each care worker's run with the people, times and
//! travel, the visits no run holds, the day's travel and continuity figures, and every rule the
//! roster breaks as the engine's checker finds it now.

use std::collections::{BTreeSet, HashMap};

use homeward_domain::{
    CareWorker, Person, PersonId, Roster, RosterId, RosterStop, Visit, WorkerId,
};
use homeward_roster::Violation;
use homeward_store::Store;

use super::problem::{self, minute_of_day, minutes_at};
use super::{BranchDay, PlanSettings, RosterError};

/// A roster with everything its pages show.
#[derive(Debug, Clone)]
pub struct RosterView {
    /// The roster as stored.
    pub roster: Roster,
    /// What it is made from, as the store holds it now.
    pub day: BranchDay,
    /// Runs of the care workers given work, by worker name.
    pub runs: Vec<RunView>,
    /// The branch's care workers with no work that day.
    pub idle: Vec<CareWorker>,
    /// The day's visits no run holds, in order of start.
    pub unmade: Vec<UnmadeView>,
    /// Travel and continuity.
    pub figures: RosterFigures,
    /// Every rule the roster breaks now.
    pub breaches: Vec<Violation>,
    /// Stops of visits cancelled since the roster was made (left out of the runs shown).
    pub stale_stops: usize,
}

/// One care worker's run.
#[derive(Debug, Clone)]
pub struct RunView {
    /// The care worker.
    pub worker: CareWorker,
    /// The visits, in order.
    pub stops: Vec<StopView>,
    /// Minutes of travel, home again included.
    pub travel_minutes: u32,
    /// Minutes from leaving home to getting back: the paid time of the day.
    pub working_minutes: u32,
}

/// One visit of a run.
#[derive(Debug, Clone)]
pub struct StopView {
    /// The stop as stored.
    pub stop: RosterStop,
    /// The visit.
    pub visit: Visit,
    /// Who is visited.
    pub person: Person,
    /// Whether the care worker made the person's visits the week before.
    pub known_carer: bool,
    /// Minutes the stop starts after the visit's planned time (negative when early).
    pub minutes_from_plan: i64,
}

/// A visit no run holds.
#[derive(Debug, Clone)]
pub struct UnmadeView {
    /// The visit.
    pub visit: Visit,
    /// Who is visited.
    pub person: Person,
    /// Why.
    pub reason: String,
}

/// A roster's figures.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct RosterFigures {
    /// Visits of the day.
    pub visits: usize,
    /// Visits no run holds.
    pub unmade: usize,
    /// Care workers given work.
    pub workers_used: usize,
    /// Minutes of travel, all runs.
    pub travel_minutes: u32,
    /// Minutes of paid time (leaving home to getting back), all runs.
    pub paid_minutes: u32,
    /// Travel as a share of paid time, per cent.
    pub travel_share_percent: f64,
    /// People visited.
    pub people: usize,
    /// Distinct carers a person sees that day, on average.
    pub carers_per_person: f64,
    /// Of the visit parts made for people who had carers the week before, the share made by one
    /// of those carers, per cent; `None` when nobody had.
    pub known_carer_percent: Option<f64>,
    /// Visit parts starting after their window (more than the window past the planned time).
    pub late_parts: usize,
}

/// The roster `roster_id` with its runs, figures and breaches.
pub async fn view(
    store: &dyn Store,
    roster_id: &RosterId,
    settings: &PlanSettings,
) -> Result<RosterView, RosterError> {
    let roster = store
        .roster(roster_id)
        .await?
        .ok_or_else(|| RosterError::NotFound(format!("roster {roster_id}")))?;
    let day = BranchDay::load(store, &roster.branch_id, roster.date).await?;
    let problem = problem::problem(&day, &settings.rules);
    let solution = problem::solution_of(&roster, &day, &problem);
    let report = homeward_roster::check(&problem, &solution);
    let window = i64::from(settings.rules.window_minutes);

    let mut runs = Vec::new();
    let mut late_parts = 0;
    let mut carers_of: HashMap<&PersonId, BTreeSet<&WorkerId>> = HashMap::new();
    let (mut known_parts, mut parts_with_history) = (0usize, 0usize);
    for run in &report.runs {
        let Some(worker) = day
            .workers
            .iter()
            .find(|worker| worker.id.as_str() == run.worker)
        else {
            continue;
        };
        let mut stops = Vec::new();
        for stop in roster.run_of(&worker.id) {
            let (Some(visit), Some(person)) = (
                day.visit(&stop.visit_id),
                day.visit(&stop.visit_id)
                    .and_then(|visit| day.people.get(&visit.dated.person_id)),
            ) else {
                continue;
            };
            let known = day.known_carers.get(&person.id);
            let known_carer = known.is_some_and(|known| known.contains(&worker.id));
            if known.is_some() {
                parts_with_history += 1;
                known_parts += usize::from(known_carer);
            }
            let minutes_from_plan = (minutes_at(day.date, stop.starts_at)
                - minute_of_day(visit.dated.local_start))
            .round() as i64;
            late_parts += usize::from(minutes_from_plan > window);
            carers_of.entry(&person.id).or_default().insert(&worker.id);
            stops.push(StopView {
                stop: stop.clone(),
                visit: visit.clone(),
                person: person.clone(),
                known_carer,
                minutes_from_plan,
            });
        }
        runs.push(RunView {
            worker: worker.clone(),
            stops,
            travel_minutes: (run.legs.iter().map(|leg| leg.travel).sum::<f64>() + run.travel_home)
                .round() as u32,
            working_minutes: run.working_time.round() as u32,
        });
    }
    runs.sort_by(|a, b| (&a.worker.name, &a.worker.id).cmp(&(&b.worker.name, &b.worker.id)));
    let idle = day
        .workers
        .iter()
        .filter(|worker| !runs.iter().any(|run| run.worker.id == worker.id))
        .cloned()
        .collect();
    let unmade: Vec<UnmadeView> = solution
        .unassigned
        .iter()
        .filter_map(|unmade| {
            let visit = day
                .visits
                .iter()
                .find(|visit| visit.id.as_str() == unmade.visit)?;
            Some(UnmadeView {
                visit: visit.clone(),
                person: day.people.get(&visit.dated.person_id)?.clone(),
                reason: unmade.reason.clone(),
            })
        })
        .collect();
    let travel_minutes: u32 = runs.iter().map(|run| run.travel_minutes).sum();
    let paid_minutes: u32 = runs.iter().map(|run| run.working_minutes).sum();
    let people = carers_of.len();
    let figures = RosterFigures {
        visits: day.visits.len(),
        unmade: unmade.len(),
        workers_used: runs.len(),
        travel_minutes,
        paid_minutes,
        travel_share_percent: percent(travel_minutes as usize, paid_minutes as usize)
            .unwrap_or(0.0),
        people,
        carers_per_person: if people == 0 {
            0.0
        } else {
            carers_of.values().map(BTreeSet::len).sum::<usize>() as f64 / people as f64
        },
        known_carer_percent: percent(known_parts, parts_with_history),
        late_parts,
    };
    let stale_stops = roster
        .stops
        .iter()
        .filter(|stop| day.visit(&stop.visit_id).is_none())
        .count();
    Ok(RosterView {
        roster,
        day,
        runs,
        idle,
        unmade,
        figures,
        breaches: report.violations,
        stale_stops,
    })
}

fn percent(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| 100.0 * part as f64 / whole as f64)
}
