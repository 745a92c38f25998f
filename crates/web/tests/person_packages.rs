//! A person whom two providers serve: each provider sees, on the person's page and in the API's
//! person record, only the care package it delivers; the council and the person see both. A
//! provider stops seeing a person a year after its care for them ended.

mod support;

use homeward_domain::{CarePackage, PackageId, Role, WeeklyPattern};
use homeward_store::{Backend, Records};
use support::{App, Caller, on_both};

/// Person A, whom provider A serves, also receives a package from provider B (a pattern no
/// demo package has, so the page shows it recognisably).
async fn share_person_a_with_provider_b(app: &App) -> CarePackage {
    let theirs = CarePackage {
        id: PackageId::from_suffix("shared-with-b").unwrap(),
        person_id: app.ids.person_a.clone(),
        provider_id: Some(app.ids.provider_b.clone()),
        pattern: WeeklyPattern::parse("Sun 21:13 17m").unwrap(),
        skills: vec![],
        starts_on: jiff::civil::Date::constant(2026, 1, 5),
        ends_on: None,
        agreed_hourly_rate: None,
    };
    app.store
        .insert(Records::Packages(vec![theirs.clone()]), "test")
        .await
        .unwrap();
    theirs
}

fn provider_name(app: &App, role_sees_b: bool) -> String {
    let id = if role_sees_b {
        &app.ids.provider_b
    } else {
        &app.ids.provider_a
    };
    app.market
        .providers
        .iter()
        .find(|provider| &provider.id == id)
        .unwrap()
        .name
        .clone()
}

async fn each_provider_sees_only_its_own_package(backend: Backend) {
    let app = support::start(backend).await;
    let theirs = share_person_a_with_provider_b(&app).await;
    let person = app.ids.person_a.to_string();

    // Provider A's coordinator: the page names no package of B's, and neither does the API.
    let page = app
        .get(
            &format!("/people/{person}"),
            Caller::Browser(Role::ProviderUser),
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        !page.body.contains("Sun 21:13 17m"),
        "provider A sees provider B's package on the person's page"
    );
    assert!(
        !page.body.contains(&provider_name(&app, true)),
        "provider A sees provider B's name on the person's page"
    );
    assert!(page.body.contains(&provider_name(&app, false)));
    let record = app
        .get(
            &format!("/api/v1/people/{person}"),
            Caller::Client(Role::ProviderUser),
        )
        .await;
    assert_eq!(record.status, 200, "{}", record.body);
    let packages = record.json()["packages"].as_array().unwrap().clone();
    assert!(!packages.is_empty(), "provider A's own package is listed");
    for package in &packages {
        assert_eq!(
            package["provider_id"],
            app.ids.provider_a.as_str(),
            "provider A sees another provider's package: {package}"
        );
    }

    // The council and the person themselves see both providers' packages.
    for caller in [
        Caller::Client(Role::Commissioner),
        Caller::Client(Role::Broker),
        Caller::Client(Role::Person),
    ] {
        let record = app.get(&format!("/api/v1/people/{person}"), caller).await;
        assert_eq!(record.status, 200, "{caller:?}: {}", record.body);
        let ids: Vec<String> = record.json()["packages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|package| package["id"].as_str().unwrap().to_owned())
            .collect();
        assert!(
            ids.contains(&theirs.id.to_string()),
            "{caller:?} misses provider B's package"
        );
        assert!(ids.len() >= 2, "{caller:?} misses provider A's package");
    }
    let own_page = app
        .get(&format!("/people/{person}"), Caller::Browser(Role::Person))
        .await;
    assert!(own_page.body.contains("Sun 21:13 17m"));
}

/// A package of provider A's for someone it does not otherwise serve, that ended `days_ago`.
async fn ended_package(app: &App, suffix: &str, days_ago: i64) -> homeward_domain::PersonId {
    let person = app
        .market
        .people
        .iter()
        .find(|person| {
            app.market.packages.iter().all(|package| {
                package.person_id != person.id
                    || package.provider_id.as_ref() == Some(&app.ids.provider_b)
            }) && app
                .market
                .packages
                .iter()
                .any(|package| package.person_id == person.id)
        })
        .unwrap()
        .id
        .clone();
    let today = jiff::Timestamp::now()
        .to_zoned(homeward_domain::london().clone())
        .date();
    let ended = today.checked_sub(jiff::Span::new().days(days_ago)).unwrap();
    let package = CarePackage {
        id: PackageId::from_suffix(suffix).unwrap(),
        person_id: person.clone(),
        provider_id: Some(app.ids.provider_a.clone()),
        pattern: WeeklyPattern::parse("daily 09:00 30m").unwrap(),
        skills: vec![],
        starts_on: ended.checked_sub(jiff::Span::new().days(60)).unwrap(),
        ends_on: Some(ended),
        agreed_hourly_rate: None,
    };
    app.store
        .insert(Records::Packages(vec![package]), "test")
        .await
        .unwrap();
    person
}

async fn a_provider_stops_seeing_a_person_a_year_after_its_care_ended(backend: Backend) {
    let app = support::start(backend).await;
    let person = ended_package(&app, "ended-long-ago", 400).await;
    let page = format!("/people/{person}");
    let record = format!("/api/v1/people/{person}");
    let provider = Role::ProviderUser;
    assert_eq!(app.get(&page, Caller::Browser(provider)).await.status, 404);
    assert_eq!(app.get(&record, Caller::Client(provider)).await.status, 404);
    let listed = app
        .get("/api/v1/people?per_page=200", Caller::Client(provider))
        .await;
    assert!(!listed.body.contains(person.as_str()));
    // Care that ended a month ago is still the provider's business.
    let recent = ended_package(&app, "ended-last-month", 30).await;
    assert_eq!(
        app.get(
            &format!("/api/v1/people/{recent}"),
            Caller::Client(provider)
        )
        .await
        .status,
        200
    );
    // The council sees the person either way.
    assert_eq!(
        app.get(&record, Caller::Client(Role::Commissioner))
            .await
            .status,
        200
    );
}

on_both!(
    each_provider_sees_only_its_own_package,
    a_provider_stops_seeing_a_person_a_year_after_its_care_ended
);
