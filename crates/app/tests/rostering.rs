//! Rostering over real databases: a coordinator's branch-day planned by the engine, published
//! to the care workers, planned again preferring the carers people know, and moved by hand with
//! the checker naming what a move breaks.

use homeward_app::rostering::{self, BranchDay, Move, PlanSettings, RosterError};
use homeward_app::{Ids, plan_visits};
use homeward_domain::{Branch, Market, Roster, RosterStatus, london};
use homeward_store::testing::TestDatabase;
use homeward_store::{Backend, Store};
use jiff::Timestamp;
use jiff::civil::Date;
use std::sync::Arc;

/// Monday 26 October 2026, 09:00 GMT.
fn now() -> Timestamp {
    "2026-10-26T09:00:00Z".parse().unwrap()
}

fn tuesday() -> Date {
    Date::constant(2026, 10, 27)
}

const COORDINATOR: &str = "acc_coordinator";

/// A short, reproducible search: an iteration limit that binds long before the time limit.
fn settings() -> PlanSettings {
    PlanSettings {
        seconds_per_day: 60.0,
        iterations: Some(400),
        ..PlanSettings::default()
    }
}

/// The West Sussex demo cut down to the busiest branch's first 30 people.
fn market() -> (Market, Branch) {
    let preset = homeward_preset::builtin("west-sussex-2019").unwrap();
    let mut market = homeward_demo::generate(&preset, 1, &mut homeward_demo::NoProgress);
    let branch = market
        .branches
        .iter()
        .max_by_key(|branch| {
            let workers = market
                .workers
                .iter()
                .filter(|worker| worker.branch_id == branch.id);
            (workers.count(), branch.id.clone())
        })
        .unwrap()
        .clone();
    let siblings: Vec<Branch> = market
        .branches
        .iter()
        .filter(|other| other.provider_id == branch.provider_id)
        .cloned()
        .collect();
    let served = |package: &homeward_domain::CarePackage| {
        package.provider_id.as_ref() == Some(&branch.provider_id)
            && market
                .people
                .iter()
                .find(|person| person.id == package.person_id)
                .and_then(|person| Branch::nearest(&siblings, person.location))
                .is_some_and(|nearest| nearest.id == branch.id)
    };
    let kept: Vec<_> = market
        .packages
        .iter()
        .filter(|package| served(package))
        .take(30)
        .cloned()
        .collect();
    market.packages = kept;
    (market, branch)
}

/// The branch's Tuesday planned by the coordinator with the tests' settings.
async fn plan_tuesday(store: &dyn Store, ids: &Ids, branch: &Branch) -> Roster {
    rostering::plan_day(
        store,
        ids,
        &branch.id,
        tuesday(),
        &settings(),
        now(),
        COORDINATOR,
    )
    .await
    .unwrap()
}

async fn county(backend: Backend) -> (TestDatabase, Arc<dyn Store>, Branch) {
    let database = TestDatabase::new(backend).await.unwrap();
    let store = database.store().await.unwrap();
    let (market, branch) = market();
    store.replace_market(&market, "test").await.unwrap();
    plan_visits(
        store.as_ref(),
        &Ids::seeded(2),
        now(),
        Date::constant(2026, 11, 1),
        "test",
    )
    .await
    .unwrap();
    (database, store, branch)
}

async fn plans_and_publishes_a_branch_day(backend: Backend) {
    let (_database, store, branch) = county(backend).await;
    let ids = Ids::seeded(5);
    let day = BranchDay::load(store.as_ref(), &branch.id, tuesday())
        .await
        .unwrap();
    assert!(
        day.visits.len() > 40,
        "a meaningful day: {} visits",
        day.visits.len()
    );
    let roster = plan_tuesday(store.as_ref(), &ids, &branch).await;
    assert_eq!(roster.status, RosterStatus::Draft);
    assert_eq!(
        store.roster(&roster.id).await.unwrap().as_ref(),
        Some(&roster)
    );
    // Every carer's part of every visit is on a run, or the visit is unmade with a reason.
    for visit in &day.visits {
        let parts = roster
            .stops
            .iter()
            .filter(|stop| stop.visit_id == visit.id)
            .count();
        let unmade = roster
            .unmade
            .iter()
            .any(|unmade| unmade.visit_id == visit.id);
        assert!(
            (parts == usize::from(visit.dated.carers) && !unmade) || (parts == 0 && unmade),
            "{}: {parts} parts, unmade {unmade}",
            visit.id
        );
    }
    for stop in &roster.stops {
        assert!(
            day.worker(&stop.worker_id).is_some(),
            "only the branch's workers"
        );
        let local = stop.starts_at.to_zoned(london().clone());
        assert_eq!(local.date(), tuesday());
    }

    // The engine's runs break no rule, and the figures add up.
    let view = rostering::view(store.as_ref(), &roster.id, &settings())
        .await
        .unwrap();
    assert!(view.breaches.is_empty(), "{:?}", view.breaches);
    assert_eq!(view.figures.visits, day.visits.len());
    assert_eq!(view.figures.unmade, roster.unmade.len());
    let shown: usize = view.runs.iter().map(|run| run.stops.len()).sum();
    assert_eq!(shown, roster.stops.len());
    assert!(
        view.figures.travel_minutes > 0 && view.figures.paid_minutes > view.figures.travel_minutes
    );
    assert_eq!(
        view.figures.known_carer_percent, None,
        "nobody was visited the week before"
    );

    // Published, the care workers have their runs.
    let worker = roster.stops[0].worker_id.clone();
    assert!(
        store
            .worker_stops(&worker, tuesday(), tuesday(), true)
            .await
            .unwrap()
            .is_empty()
    );
    let published = rostering::publish(store.as_ref(), &roster.id, now(), COORDINATOR)
        .await
        .unwrap();
    assert_eq!(published.status, RosterStatus::Published);
    let theirs: Vec<_> = roster
        .stops
        .iter()
        .filter(|stop| stop.worker_id == worker)
        .cloned()
        .collect();
    assert_eq!(
        store
            .worker_stops(&worker, tuesday(), tuesday(), true)
            .await
            .unwrap(),
        theirs
    );

    // Planned again, it keeps its id and is a draft once more.
    let again = plan_tuesday(store.as_ref(), &ids, &branch).await;
    assert_eq!(
        (again.id.clone(), again.status),
        (roster.id.clone(), RosterStatus::Draft)
    );
    assert!(
        store
            .worker_stops(&worker, tuesday(), tuesday(), true)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn the_next_day_prefers_the_carers_people_know(backend: Backend) {
    let (_database, store, branch) = county(backend).await;
    let ids = Ids::seeded(6);
    let week = rostering::plan_week(
        store.as_ref(),
        &ids,
        &branch.id,
        tuesday(),
        &settings(),
        now(),
        COORDINATOR,
    )
    .await
    .unwrap();
    // Tuesday to Monday.
    assert_eq!(week.len(), 7);
    let wednesday = rostering::view(store.as_ref(), &week[1].id, &settings())
        .await
        .unwrap();
    let known = wednesday
        .figures
        .known_carer_percent
        .expect("Tuesday's carers are known");
    assert!(
        known >= 60.0,
        "{known:.0}% of Wednesday's visits by a carer from Tuesday"
    );
    let tuesday = rostering::view(store.as_ref(), &week[0].id, &settings())
        .await
        .unwrap();
    assert!(
        wednesday.figures.carers_per_person <= tuesday.figures.carers_per_person + 0.5,
        "continuity holds: {:.2} against {:.2}",
        wednesday.figures.carers_per_person,
        tuesday.figures.carers_per_person
    );
}

async fn a_manual_move_is_timed_and_its_breaches_named(backend: Backend) {
    let (_database, store, branch) = county(backend).await;
    let ids = Ids::seeded(7);
    let roster = plan_tuesday(store.as_ref(), &ids, &branch).await;
    let day = BranchDay::load(store.as_ref(), &branch.id, tuesday())
        .await
        .unwrap();
    // A visit that needs a skill, and a care worker of the branch without it.
    let (visit, lacking) = day
        .visits
        .iter()
        .filter(|visit| visit.dated.carers == 1)
        .find_map(|visit| {
            let skills = &day.packages[&visit.dated.package_id].skills;
            let lacking = day
                .workers
                .iter()
                .find(|worker| skills.iter().any(|skill| !worker.skills.contains(skill)))?;
            Some((visit.clone(), lacking.id.clone()))
        })
        .expect("the demo has a visit needing a skill some carer lacks");
    let outcome = rostering::move_visit(
        store.as_ref(),
        &roster.id,
        Move {
            visit_id: &visit.id,
            part: 0,
            to: Some(&lacking),
        },
        &settings(),
        now(),
        COORDINATOR,
    )
    .await
    .unwrap();
    let rules: Vec<&str> = outcome.caused.iter().map(|breach| breach.rule).collect();
    assert!(rules.contains(&"skills"), "{:?}", outcome.caused);
    let stored = store.roster(&roster.id).await.unwrap().unwrap();
    assert_eq!(stored, outcome.roster);
    let moved = stored
        .stops
        .iter()
        .find(|stop| stop.visit_id == visit.id)
        .unwrap();
    assert_eq!(moved.worker_id, lacking);
    // The roster page keeps showing the breach.
    let view = rostering::view(store.as_ref(), &roster.id, &settings())
        .await
        .unwrap();
    assert!(view.breaches.iter().any(|breach| breach.rule == "skills"));

    // Taken off every run, it is unmade, saying so.
    let outcome = rostering::move_visit(
        store.as_ref(),
        &roster.id,
        Move {
            visit_id: &visit.id,
            part: 0,
            to: None,
        },
        &settings(),
        now(),
        COORDINATOR,
    )
    .await
    .unwrap();
    assert!(
        outcome
            .roster
            .stops
            .iter()
            .all(|stop| stop.visit_id != visit.id)
    );
    let unmade = outcome
        .roster
        .unmade
        .iter()
        .find(|unmade| unmade.visit_id == visit.id)
        .unwrap();
    assert_eq!(unmade.reason, "taken off the runs by the coordinator");
    assert!(outcome.caused.is_empty(), "{:?}", outcome.caused);

    // Moves that make no sense name the field and change nothing.
    let other_branch = store
        .workers()
        .await
        .unwrap()
        .into_iter()
        .find(|worker| worker.branch_id != branch.id)
        .unwrap();
    let error = rostering::move_visit(
        store.as_ref(),
        &roster.id,
        Move {
            visit_id: &visit.id,
            part: 0,
            to: Some(&other_branch.id),
        },
        &settings(),
        now(),
        COORDINATOR,
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&error, RosterError::Invalid(invalid) if invalid.0[0].field == "worker_id"),
        "{error:?}"
    );
    let error = rostering::move_visit(
        store.as_ref(),
        &roster.id,
        Move {
            visit_id: &visit.id,
            part: 1,
            to: None,
        },
        &settings(),
        now(),
        COORDINATOR,
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&error, RosterError::Invalid(invalid) if invalid.0[0].field == "part"),
        "{error:?}"
    );
    assert_eq!(
        store.roster(&roster.id).await.unwrap().unwrap(),
        outcome.roster
    );

    // The past cannot be planned.
    let error = rostering::plan_day(
        store.as_ref(),
        &ids,
        &branch.id,
        Date::constant(2026, 10, 25),
        &settings(),
        now(),
        COORDINATOR,
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&error, RosterError::Invalid(invalid) if invalid.0[0].field == "date"),
        "{error:?}"
    );
}

/// Once its day has passed, a roster is the record of what was planned: a move or publishing
/// it is refused and the roster stays as it was.
async fn a_past_days_roster_stays_as_it_was(backend: Backend) {
    let (_database, store, branch) = county(backend).await;
    let roster = plan_tuesday(store.as_ref(), &Ids::seeded(5), &branch).await;
    let stop = roster.stops[0].clone();
    // Wednesday 28 October, 00:30 GMT: Tuesday has passed.
    let wednesday: Timestamp = "2026-10-28T00:30:00Z".parse().unwrap();
    let moved = rostering::move_visit(
        store.as_ref(),
        &roster.id,
        Move {
            visit_id: &stop.visit_id,
            part: stop.part,
            to: None,
        },
        &settings(),
        wednesday,
        COORDINATOR,
    )
    .await
    .unwrap_err();
    assert!(
        matches!(moved, RosterError::DayPassed(date) if date == tuesday()),
        "{moved:?}"
    );
    let published = rostering::publish(store.as_ref(), &roster.id, wednesday, COORDINATOR)
        .await
        .unwrap_err();
    assert!(
        matches!(published, RosterError::DayPassed(_)),
        "{published:?}"
    );
    assert_eq!(store.roster(&roster.id).await.unwrap().unwrap(), roster);
    // Late on Tuesday itself (23:30 GMT, still Tuesday in the UK) the day may still change.
    let late_tuesday: Timestamp = "2026-10-27T23:30:00Z".parse().unwrap();
    let published = rostering::publish(store.as_ref(), &roster.id, late_tuesday, COORDINATOR)
        .await
        .unwrap();
    assert_eq!(published.status, RosterStatus::Published);
}

macro_rules! on_both {
    ($($test:ident),+) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $test() { super::$test(homeward_store::Backend::Sqlite).await }) +
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $test() { super::$test(homeward_store::Backend::Postgres).await }) +
        }
    };
}

on_both!(
    plans_and_publishes_a_branch_day,
    the_next_day_prefers_the_carers_people_know,
    a_manual_move_is_timed_and_its_breaches_named,
    a_past_days_roster_stays_as_it_was
);
