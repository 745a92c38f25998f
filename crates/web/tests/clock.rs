//! The server reads one clock, the one it is given: "now" for the call-event window and "today"
//! for the capacity week come from it, never from the machine, and "today" is London's date
//! (a capacity return made at 00:30 BST on a Monday belongs to that Monday's week, though the
//! machine's UTC date is still Sunday), and across both of the year's clock changes. On SQLite
//! and PostgreSQL.

mod support;

use homeward_domain::{CallEvent, CallEventKind, EventKey, Role, RosterStatus, london_instant};
use homeward_store::Backend;
use jiff::{SignedDuration, Timestamp};
use support::{Caller, on_both};

const PROVIDER_API: Caller = Caller::Client(Role::ProviderUser);

fn config_at(clock: homeward_app::Clock) -> homeward_web::WebConfig {
    homeward_web::WebConfig {
        roster_seconds_per_day: 0.5,
        clock,
        ..homeward_web::WebConfig::default()
    }
}

async fn call_events_are_judged_by_the_server_s_clock(backend: Backend) {
    // The fixture's visit is tomorrow at 10:17 London time; the server's clock stands two
    // minutes after it starts, so the visit is under way by the server though not by the
    // machine.
    let tomorrow = homeward_app::Clock::system().today().tomorrow().unwrap();
    let starts_at = london_instant(tomorrow, jiff::civil::Time::constant(10, 17, 0, 0));
    let clock = homeward_app::Clock::fixed(starts_at + SignedDuration::from_mins(2));
    let app = support::start_with(backend, config_at(clock)).await;
    assert_eq!(app.ids.roster_visit.dated.starts_at, starts_at);
    let mut roster = app.store.roster(&app.ids.roster).await.unwrap().unwrap();
    roster.status = RosterStatus::Published;
    roster.published_at = Some(Timestamp::from_second(Timestamp::now().as_second()).unwrap());
    app.store
        .save_roster(&roster, "publish", "test")
        .await
        .unwrap();

    let event = |key: &str, kind, at| CallEvent {
        key: EventKey::parse(key, "key").unwrap(),
        visit_id: app.ids.roster_visit.id.clone(),
        worker_id: app.ids.worker_a.clone(),
        kind,
        at,
        location: None,
        tasks: Default::default(),
        note: None,
    };
    // A token of the care worker's made by the server's clock: the fixture's tokens are made by
    // the machine's and may have expired by the server's, which runs up to a day and a half ahead.
    let (_, secret) = homeward_web::issue_api_token(
        app.store.as_ref(),
        &app.accounts[&Role::CareWorker].id,
        "clock".into(),
        homeward_web::TokenLifetime::DEFAULT,
        clock.now(),
        "test",
    )
    .await
    .unwrap();
    let bearer = format!("Bearer {secret}");
    let send = |event: CallEvent| {
        let (app, bearer) = (&app, &bearer);
        async move {
            app.send(
                "POST",
                "/api/v1/call-events",
                Caller::Anonymous,
                Some("application/json"),
                &homeward_web::call_event_request_body(&event),
                &[("Authorization", bearer.as_str())],
            )
            .await
        }
    };

    // A check-in a minute after the start: in the past by the server's clock (the machine's
    // would call it tomorrow's, and refuse it as ahead of the clock).
    let check_in = send(event(
        "clock-in",
        CallEventKind::CheckIn,
        starts_at + SignedDuration::from_mins(1),
    ))
    .await;
    assert_eq!(check_in.status, 201, "{}", check_in.body);
    assert_eq!(
        check_in.json()["received_at"].as_str().unwrap(),
        clock.now().to_string(),
        "the receipt is stamped by the server's clock"
    );

    // A check-out ten minutes ahead of the server's clock is refused as not yet happened.
    let early = send(event(
        "clock-out",
        CallEventKind::CheckOut,
        starts_at + SignedDuration::from_mins(12),
    ))
    .await;
    assert_eq!(early.status, 422, "{}", early.body);
    assert_eq!(early.json()["error"]["field"], "at", "{}", early.body);
}

async fn the_capacity_week_is_london_s(backend: Backend) {
    // Sunday 28 June 2026, 23:30 UTC: 00:30 on Monday 29 June in London (BST).
    let clock = homeward_app::Clock::fixed("2026-06-28T23:30:00Z".parse().unwrap());
    let app = support::start_with(backend, config_at(clock)).await;
    let listed = app.get("/api/v1/capacity", PROVIDER_API).await;
    assert_eq!(listed.status, 200, "{}", listed.body);
    assert_eq!(listed.json()["week_of"], "2026-06-29");

    let branch = app
        .market
        .branches
        .iter()
        .find(|branch| branch.provider_id == app.ids.provider_a)
        .unwrap();
    let body = serde_json::json!({
        "branch_id": branch.id.to_string(),
        "area_id": app.ids.area,
        "hours": 40,
    })
    .to_string();
    let returned = app
        .send_json("POST", "/api/v1/capacity", PROVIDER_API, &body)
        .await;
    assert_eq!(returned.status, 201, "{}", returned.body);
    let stored = app
        .store
        .capacity_returns(jiff::civil::date(2026, 6, 29))
        .await
        .unwrap();
    let ours = stored
        .iter()
        .find(|capacity| capacity.branch_id == branch.id)
        .expect("the return is stored in the week of Monday 29 June");
    assert_eq!(ours.returned_at, clock.now());
}

async fn the_capacity_week_follows_london_across_the_clock_changes(backend: Backend) {
    // Each instant, and the Monday of its week in London; the clocks go forward at 01:00 UTC on
    // Sunday 29 March 2026 and back at 01:00 UTC on Sunday 25 October 2026.
    let weeks = [
        ("2026-03-29T00:30:00Z", "2026-03-23"), // Sunday 00:30 GMT, before the change
        ("2026-03-29T23:30:00Z", "2026-03-30"), // Monday 00:30 BST, the day after it
        ("2026-10-25T00:30:00Z", "2026-10-19"), // Sunday 01:30 BST, the hour that comes twice
        ("2026-10-25T01:30:00Z", "2026-10-19"), // Sunday 01:30 GMT, its second time
        ("2026-10-25T23:30:00Z", "2026-10-19"), // Sunday 23:30 GMT
        ("2026-10-26T00:30:00Z", "2026-10-26"), // Monday 00:30 GMT
    ];
    for (at, week_of) in weeks {
        let clock = homeward_app::Clock::fixed(at.parse().unwrap());
        let app = support::start_with(backend, config_at(clock)).await;
        let listed = app.get("/api/v1/capacity", PROVIDER_API).await;
        assert_eq!(listed.status, 200, "{at}: {}", listed.body);
        assert_eq!(listed.json()["week_of"], week_of, "at {at}");
    }
}

on_both!(
    call_events_are_judged_by_the_server_s_clock,
    the_capacity_week_is_london_s,
    the_capacity_week_follows_london_across_the_clock_changes
);
