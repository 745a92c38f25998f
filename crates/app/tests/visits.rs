//! Planning visits over real databases: every placed, running package gets its visits, once,
//! and a longer horizon adds only the new days.

use homeward_app::{Ids, plan_visits};
use homeward_domain::{Market, visits_between};
use homeward_store::testing::TestDatabase;
use homeward_store::{Backend, VisitFilter};
use jiff::Timestamp;
use jiff::civil::Date;

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
