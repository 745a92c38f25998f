//! Planning visits over real databases: every placed, running package gets its visits, once,
//! and a longer horizon adds only the new days. Monitoring them: on time, late and missed from
//! the call events stored.

use homeward_app::{Ids, monitor, plan_visits};
use homeward_domain::{
    Alert, CallEvent, CallEventKind, EventKey, Market, MonitoringRules, Punctuality, Visit,
    visits_between,
};
use homeward_store::testing::TestDatabase;
use homeward_store::{Backend, VisitFilter};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};

/// Monday 26 October 2026, 09:00 GMT: the day after the clocks went back.
fn now() -> Timestamp {
    "2026-10-26T09:00:00Z".parse().unwrap()
}

/// A small demo county: the first forty packages of West Sussex's.
fn market() -> Market {
    let preset = homeward_preset::builtin("west-sussex-2019").unwrap();
    let mut market = homeward_demo::generate(&preset, 1, &mut homeward_demo::NoProgress);
    market.packages.truncate(40);
    market
}

async fn plans_each_visit_once(backend: Backend) {
    let database = TestDatabase::new(backend).await.unwrap();
    let store = database.store().await.unwrap();
    let market = market();
    store.replace_market(&market, "test").await.unwrap();
    let ids = Ids::seeded(3);
    let today = Date::constant(2026, 10, 26);
    let first_week = Date::constant(2026, 11, 1);

    let outcome = plan_visits(store.as_ref(), &ids, now(), first_week, "test")
        .await
        .unwrap();
    let expected: usize = market
        .packages
        .iter()
        .filter(|package| package.provider_id.is_some())
        .flat_map(|package| visits_between(package, today, first_week))
        .filter(|visit| visit.starts_at >= now())
        .count();
    assert!(expected > 100, "a meaningful test: {expected} visits");
    assert_eq!((outcome.added, outcome.cancelled), (expected, 0));
    let stored = store
        .visits(&VisitFilter::between(today, first_week))
        .await
        .unwrap();
    assert_eq!(stored.len(), expected);
    assert!(stored.iter().all(|visit| {
        let package = market
            .packages
            .iter()
            .find(|package| package.id == visit.dated.package_id)
            .unwrap();
        package.provider_id.as_ref() == Some(&visit.provider_id)
    }));

    let again = plan_visits(store.as_ref(), &ids, now(), first_week, "test")
        .await
        .unwrap();
    assert_eq!((again.added, again.cancelled), (0, 0), "nothing twice");

    let second_week = Date::constant(2026, 11, 8);
    let longer = plan_visits(store.as_ref(), &ids, now(), second_week, "test")
        .await
        .unwrap();
    let next_week: usize = market
        .packages
        .iter()
        .filter(|package| package.provider_id.is_some())
        .map(|package| visits_between(package, Date::constant(2026, 11, 2), second_week).len())
        .sum();
    assert_eq!((longer.added, longer.cancelled), (next_week, 0));
}

#[tokio::test]
async fn sqlite_plans_each_visit_once() {
    plans_each_visit_once(Backend::Sqlite).await;
}

#[tokio::test]
async fn postgres_plans_each_visit_once() {
    plans_each_visit_once(Backend::Postgres).await;
}

async fn monitors_visits_as_they_happen(backend: Backend) {
    let database = TestDatabase::new(backend).await.unwrap();
    let store = database.store().await.unwrap();
    let market = market();
    store.replace_market(&market, "test").await.unwrap();
    let tuesday = Date::constant(2026, 10, 27);
    plan_visits(store.as_ref(), &Ids::seeded(4), now(), tuesday, "test")
        .await
        .unwrap();
    let day = VisitFilter::between(tuesday, tuesday);
    let visits = store.visits(&day).await.unwrap();
    let provider = visits[0].provider_id.clone();
    let theirs: Vec<_> = visits
        .iter()
        .filter(|visit| visit.provider_id == provider)
        .take(3)
        .cloned()
        .collect();
    assert_eq!(theirs.len(), 3, "three visits of one provider on the day");
    let branch = market
        .branches
        .iter()
        .find(|branch| branch.provider_id == provider)
        .unwrap();
    let worker = market
        .workers
        .iter()
        .find(|worker| worker.branch_id == branch.id)
        .unwrap();
    let event = |key: &str, visit: &Visit, kind, minutes: i64| CallEvent {
        key: EventKey::parse(key, "key").unwrap(),
        visit_id: visit.id.clone(),
        worker_id: worker.id.clone(),
        kind,
        at: visit.dated.starts_at + SignedDuration::from_mins(minutes),
        location: None,
        tasks: Default::default(),
        note: None,
    };
    let full = i64::from(theirs[0].dated.duration_minutes);
    for sent in [
        event("first-in-0001", &theirs[0], CallEventKind::CheckIn, 5),
        event(
            "first-out-0001",
            &theirs[0],
            CallEventKind::CheckOut,
            5 + full,
        ),
        event("second-in-0001", &theirs[1], CallEventKind::CheckIn, 40),
    ] {
        store.record_call_event(&sent, now(), "test").await.unwrap();
    }
    let latest = theirs
        .iter()
        .map(|visit| visit.dated.starts_at)
        .max()
        .unwrap();
    let later = latest + SignedDuration::from_hours(3);
    let mine = VisitFilter {
        provider_id: Some(provider.clone()),
        ..day.clone()
    };
    let monitored = monitor(store.as_ref(), &mine, &MonitoringRules::default(), later)
        .await
        .unwrap();
    assert!(
        monitored
            .iter()
            .all(|state| state.visit.provider_id == provider)
    );
    let state = |visit: &Visit| {
        monitored
            .iter()
            .find(|state| state.visit.id == visit.id)
            .unwrap()
            .assessment
            .clone()
    };
    let on_time = state(&theirs[0]);
    assert_eq!(on_time.punctuality, Punctuality::OnTime);
    assert!(on_time.alerts.is_empty());
    assert_eq!(
        (on_time.actual_minutes, on_time.short_call),
        (Some(full), false)
    );
    let late = state(&theirs[1]);
    assert_eq!(late.punctuality, Punctuality::Late { minutes: 25 });
    assert_eq!(late.alerts, [Alert::ProviderLate]);
    let missed = state(&theirs[2]);
    assert_eq!(missed.punctuality, Punctuality::Missed);
    assert_eq!(
        missed.alerts,
        [
            Alert::ProviderLate,
            Alert::ProviderMissed,
            Alert::CouncilMissed
        ]
    );
}

#[tokio::test]
async fn sqlite_monitors_visits_as_they_happen() {
    monitors_visits_as_they_happen(Backend::Sqlite).await;
}

#[tokio::test]
async fn postgres_monitors_visits_as_they_happen() {
    monitors_visits_as_they_happen(Backend::Postgres).await;
}
