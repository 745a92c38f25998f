//! Visits on the person page and in the API's person record: the council's staff and the
//! person see all of the person's visits, a provider only its own.

mod support;

use homeward_domain::{DatedVisit, Role, Visit, VisitId, VisitStatus, london, london_instant};
use homeward_store::{Backend, VisitChanges};
use jiff::civil::Time;
use support::Caller;

async fn person_page_shows_visits_in_scope(backend: Backend) {
    let app = support::start(backend).await;
    let ids = &app.ids;
    let package = app
        .market
        .packages
        .iter()
        .find(|package| package.person_id == ids.person_a)
        .unwrap();
    let tomorrow = jiff::Timestamp::now()
        .to_zoned(london().clone())
        .date()
        .tomorrow()
        .unwrap();
    // Person A's visits tomorrow: one by provider A at 06:10, one (made up) by B at 23:50.
    let visit = |suffix: &str, provider: &homeward_domain::ProviderId, hour, minute| {
        let local_start = Time::new(hour, minute, 0, 0).unwrap();
        Visit {
            id: VisitId::from_suffix(suffix).unwrap(),
            provider_id: provider.clone(),
            dated: DatedVisit {
                package_id: package.id.clone(),
                person_id: ids.person_a.clone(),
                date: tomorrow,
                local_start,
                starts_at: london_instant(tomorrow, local_start),
                duration_minutes: 35,
                carers: 1,
            },
            status: VisitStatus::Planned,
        }
    };
    let changes = VisitChanges {
        cancel: vec![],
        add: vec![
            visit("own-early", &ids.provider_a, 6, 10),
            visit("other-late", &ids.provider_b, 23, 50),
        ],
    };
    app.store
        .change_visits(&changes, jiff::Timestamp::now(), "test")
        .await
        .unwrap();

    let path = format!("/people/{}", ids.person_a);
    for (role, sees_other) in [
        (Role::Commissioner, true),
        (Role::Broker, true),
        (Role::Person, true),
        (Role::ProviderUser, false),
    ] {
        let response = app.get(&path, Caller::Browser(role)).await;
        assert_eq!(response.status, 200, "{role:?}");
        assert!(response.body.contains("06:10"), "{role:?} sees A's visit");
        assert_eq!(
            response.body.contains("23:50"),
            sees_other,
            "{role:?} and B's visit"
        );
        // The API's person record lists the same visits.
        let api = app
            .get(
                &format!("/api/v1/people/{}", ids.person_a),
                Caller::Client(role),
            )
            .await;
        assert_eq!(api.status, 200, "{role:?}: {}", api.body);
        let listed: Vec<String> = api.json()["visits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|visit| visit["local_start"].as_str().unwrap().to_owned())
            .filter(|time| time == "06:10" || time == "23:50")
            .collect();
        let expected = if sees_other {
            vec!["06:10", "23:50"]
        } else {
            vec!["06:10"]
        };
        assert_eq!(listed, expected, "{role:?}");
    }
}

#[tokio::test]
async fn the_person_page_shows_visits_in_scope_on_sqlite() {
    person_page_shows_visits_in_scope(Backend::Sqlite).await;
}

#[tokio::test]
async fn the_person_page_shows_visits_in_scope_on_postgres() {
    person_page_shows_visits_in_scope(Backend::Postgres).await;
}
