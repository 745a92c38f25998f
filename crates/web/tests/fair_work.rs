//! Fair work figures over the real server, on SQLite and PostgreSQL: June 2026 of providers A's
//! and B's care (the shared past-period fixture) with a published roster; a provider sees its
//! own figures only (another's page is not found, the API lists its own row alone), the council
//! every provider's; the page and the API show what `app::fair_work` works out; bad months are
//! named.

mod support;

use homeward_app::fair_work::fair_work;
use homeward_app::testing::{past_period, test_period};
use homeward_domain::fair_work::CalendarMonth;
use homeward_domain::{Role, Roster, RosterId, RosterStatus, RosterStop};
use support::{App, Caller, on_both};

const MONTH: &str = "2026-06";

/// The fixture's June, and a published roster holding A's first visit of it after 12 minutes'
/// travel.
async fn with_june(backend: homeward_store::Backend) -> App {
    let app = support::start(backend).await;
    let providers = [app.ids.provider_a.clone(), app.ids.provider_b.clone()];
    let past = past_period(app.store.as_ref(), &providers, test_period())
        .await
        .unwrap();
    let first = past.visits_of(&app.ids.provider_a)[0].clone();
    let branch = app
        .market
        .workers
        .iter()
        .find(|worker| worker.id == app.ids.worker_a)
        .unwrap()
        .branch_id
        .clone();
    let at = jiff::Timestamp::from_second(first.dated.starts_at.as_second() - 86_400).unwrap();
    let roster = Roster {
        id: RosterId::from_suffix("june-roster").unwrap(),
        branch_id: branch,
        date: first.dated.date,
        status: RosterStatus::Published,
        changed_at: at,
        published_at: Some(at),
        stops: vec![RosterStop {
            visit_id: first.id.clone(),
            part: 0,
            worker_id: app.ids.worker_a.clone(),
            starts_at: first.dated.starts_at,
            travel_minutes: 12,
        }],
        unmade: vec![],
    };
    app.store
        .save_roster(&roster, "plan", "test")
        .await
        .unwrap();
    app
}

async fn each_provider_sees_only_its_own_figures(backend: homeward_store::Backend) {
    let app = with_june(backend).await;
    let (a, b) = (&app.ids.provider_a, &app.ids.provider_b);
    let june = CalendarMonth::parse(MONTH, "month").unwrap();
    let expected = fair_work(app.store.as_ref(), june, Some(a), jiff::Timestamp::now())
        .await
        .unwrap()
        .remove(0)
        .figures;
    assert!(expected.visits > 50, "a meaningful month: {expected:?}");

    // The API: a provider's system its own row alone, as the app works it out.
    let client = Caller::Client(Role::ProviderUser);
    let own = app
        .get(&format!("/api/v1/fair-work?month={MONTH}"), client)
        .await;
    assert_eq!(own.status, 200, "{}", own.body);
    let own = own.json();
    assert_eq!(
        (&own["month"], &own["starts_on"], &own["ends_on"]),
        (
            &serde_json::json!(MONTH),
            &serde_json::json!("2026-06-01"),
            &serde_json::json!("2026-06-30")
        )
    );
    assert_eq!(own["total"], 1, "{own}");
    let row = &own["items"][0];
    assert_eq!(row["provider_id"], a.as_str());
    assert_eq!(row["visits"], expected.visits);
    assert_eq!(
        (
            row["rostered_stops"].as_u64(),
            row["travel_minutes"].as_u64()
        ),
        (Some(1), Some(12))
    );
    assert_eq!(row["travel_minutes_per_visit"], 12.0);
    assert_eq!(row["travel_time"], expected.travel_pay.code());
    assert_eq!(
        row["planned_15_minutes_or_less"]["count"],
        expected.planned_short.count
    );
    assert_eq!(row["planned_under_30_minutes"]["of"], expected.visits);
    assert_eq!(
        row["lasted_under_30_minutes"]["of"],
        expected.actual_under_half_hour.of
    );
    assert!(expected.actual_short.of > 0 && expected.actual_short.of < expected.visits);
    assert_eq!(row["people"], expected.continuity.people);
    assert_eq!(
        row["carers_per_person"],
        expected.continuity.per_person().unwrap()
    );
    assert_eq!(row["carers_unknown"], expected.continuity.unknown);
    assert!(
        expected.continuity.unknown > 0,
        "the fixture leaves visits unchecked"
    );

    // The council: every provider, A and B among them.
    let every = app
        .get(
            &format!("/api/v1/fair-work?month={MONTH}&per_page=200"),
            Caller::Client(Role::Commissioner),
        )
        .await
        .json();
    assert_eq!(
        every["total"],
        app.market.providers.len(),
        "{}",
        every["total"]
    );
    let listed: Vec<&str> = every["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["provider_id"].as_str().unwrap())
        .collect();
    assert!(listed.contains(&a.as_str()) && listed.contains(&b.as_str()));
    let paged = app
        .get(
            "/api/v1/fair-work?per_page=2&page=2",
            Caller::Client(Role::Broker),
        )
        .await
        .json();
    assert_eq!(paged["items"].as_array().unwrap().len(), 2, "{paged}");
    assert_eq!(paged["page"], 2);

    // Bad months are named; an unknown parameter is refused.
    for bad in ["2026-13", "June", "", "1899-12"] {
        let response = app
            .get(&format!("/api/v1/fair-work?month={bad}"), client)
            .await;
        assert_eq!(response.status, 422, "{bad}: {}", response.body);
        assert_eq!(response.json()["error"]["field"], "month", "{bad}");
    }
    assert_eq!(
        app.get("/api/v1/fair-work?period=2026-06-01", client)
            .await
            .status,
        400
    );

    // The pages: the provider its own, linked from its navigation and its page; another's is
    // not found and the council's table is not for it.
    let browser = Caller::Browser(Role::ProviderUser);
    let own_href = format!("/providers/{a}/fair-work");
    let organisation = app.get(&format!("/providers/{a}"), browser).await;
    assert!(
        organisation
            .body
            .matches(&format!("href=\"{own_href}\""))
            .count()
            >= 2,
        "the navigation and the provider's page link to its figures"
    );
    let page = app.get(&format!("{own_href}?month={MONTH}"), browser).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("June 2026"));
    assert!(
        page.body.contains("12.0 min (1 visit on published runs)"),
        "{}",
        page.body
    );
    assert!(page.body.contains(&format!(
        "<dd class=\"govuk-summary-list__value\">{}</dd>",
        expected.visits
    )));
    assert_eq!(
        app.get(&format!("/providers/{b}/fair-work?month={MONTH}"), browser)
            .await
            .status,
        404
    );
    assert_eq!(
        app.get("/providers/prov_nowhere/fair-work", browser)
            .await
            .status,
        404
    );
    assert_eq!(app.get("/fair-work", browser).await.status, 403);
    let refused = app.get(&format!("{own_href}?month=2026-6"), browser).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("href=\"#month\""), "{}", refused.body);

    // The council's table: every provider, each linking to its figures for the month.
    let council = Caller::Browser(Role::Commissioner);
    let table = app.get(&format!("/fair-work?month={MONTH}"), council).await;
    assert_eq!(table.status, 200, "{}", table.body);
    for provider in [a, b] {
        assert!(
            table
                .body
                .contains(&format!("/providers/{provider}/fair-work?month={MONTH}")),
            "{provider}"
        );
    }
    assert!(
        app.get("/market", council)
            .await
            .body
            .contains("href=\"/fair-work\"")
    );
    let theirs = app
        .get(
            &format!("/providers/{b}/fair-work?month={MONTH}"),
            Caller::Browser(Role::Broker),
        )
        .await;
    assert_eq!(theirs.status, 200);
    assert_eq!(app.get("/fair-work?month=June", council).await.status, 422);
}

on_both!(each_provider_sees_only_its_own_figures);
