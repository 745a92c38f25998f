//! Rostering pages over the real server: a coordinator plans a branch's day, sees its runs and
//! figures, moves a visit and is told what the move breaks, and publishes; bad input is named;
//! another provider's roster is not found. On SQLite and PostgreSQL.

mod support;

use homeward_domain::{Role, RosterStatus};
use homeward_store::Backend;
use support::{Caller, csrf_token, on_both};

const PROVIDER: Caller = Caller::Browser(Role::ProviderUser);

fn form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(key, value)| format!("{key}={}", value.replace(' ', "+")))
        .collect::<Vec<_>>()
        .join("&")
}

async fn a_coordinator_plans_moves_and_publishes(backend: Backend) {
    let app = support::start(backend).await;
    let csrf = csrf_token(Role::ProviderUser);
    let visit = &app.ids.roster_visit;
    let person = app
        .market
        .people
        .iter()
        .find(|person| person.id == visit.dated.person_id)
        .unwrap();
    let roster = app.store.roster(&app.ids.roster).await.unwrap().unwrap();

    let list = app.get("/rosters", PROVIDER).await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("Draft"), "tomorrow's draft is listed");

    // Bad input is named and nothing is planned.
    let bad = app
        .post_form(
            "/rosters/plan",
            PROVIDER,
            &form(&[
                ("csrf_token", &csrf),
                ("branch_id", "br_nowhere"),
                ("date", "soon"),
                ("span", "day"),
            ]),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("Select one of your branches"));
    assert!(bad.body.contains("Enter the day to plan as a date"));
    let yesterday = visit
        .dated
        .date
        .yesterday()
        .unwrap()
        .yesterday()
        .unwrap()
        .to_string();
    let past = app
        .post_form(
            "/rosters/plan",
            PROVIDER,
            &form(&[
                ("csrf_token", &csrf),
                ("branch_id", roster.branch_id.as_str()),
                ("date", &yesterday),
                ("span", "day"),
            ]),
        )
        .await;
    assert_eq!(past.status, 422);
    assert!(past.body.contains("is in the past"), "{}", past.body);

    // Planned by the engine: the day's visit is on a run.
    let date = visit.dated.date.to_string();
    let planned = app
        .post_form(
            "/rosters/plan",
            PROVIDER,
            &form(&[
                ("csrf_token", &csrf),
                ("branch_id", roster.branch_id.as_str()),
                ("date", &date),
                ("span", "day"),
            ]),
        )
        .await;
    assert_eq!(planned.status, 303, "{}", planned.body);
    let location = planned.header("location").unwrap().to_owned();
    assert_eq!(
        location,
        format!("/rosters/{}", roster.id),
        "the day keeps its roster"
    );
    let page = app.get(&location, PROVIDER).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&person.name));
    assert!(page.body.contains("Draft"));
    assert!(page.body.contains("Every visit of the day is on a run."));

    // The visit's first part moved to `worker` ("none": off every run) on the move form.
    let move_to = async |worker: &str| {
        app.post_form(
            &format!("{location}/move"),
            PROVIDER,
            &form(&[
                ("csrf_token", &csrf),
                ("visit_id", visit.id.as_str()),
                ("part", "0"),
                ("worker_id", worker),
            ]),
        )
        .await
    };
    // Taken off every run by hand: the page says so.
    let moved = move_to("none").await;
    assert_eq!(moved.status, 303);
    let after = app.get(moved.header("location").unwrap(), PROVIDER).await;
    assert!(
        after.body.contains("taken off the runs by the coordinator"),
        "{}",
        after.body
    );
    // A worker from nowhere is refused on the move form.
    let bad_move = move_to("wkr_nobody").await;
    assert_eq!(bad_move.status, 422);
    assert!(
        bad_move
            .body
            .contains("Select a care worker of this branch")
    );

    // Given back to worker A, then published.
    let back = move_to(app.ids.worker_a.as_str()).await;
    assert_eq!(back.status, 303);
    let published = app
        .post_form(
            &format!("{location}/publish"),
            PROVIDER,
            &form(&[("csrf_token", &csrf)]),
        )
        .await;
    assert_eq!(published.status, 303);
    let stored = app.store.roster(&roster.id).await.unwrap().unwrap();
    assert_eq!(stored.status, RosterStatus::Published);
    assert_eq!(stored.stops.len(), 1);
    assert_eq!(stored.stops[0].worker_id, app.ids.worker_a);
    let page = app.get(&location, PROVIDER).await;
    assert!(page.body.contains("Published to the care workers"));

    // Without the anti-forgery token nothing happens.
    let forged = app
        .post_form(&format!("{location}/publish"), PROVIDER, "csrf_token=wrong")
        .await;
    assert_eq!(forged.status, 403);
}

async fn another_providers_roster_is_not_found(backend: Backend) {
    let app = support::start(backend).await;
    let (branch, theirs) = app.another_providers_roster().await;
    let csrf = csrf_token(Role::ProviderUser);
    for path in [
        "/rosters/ros_their-roster",
        "/rosters/ros_their-roster/move?visit=vis_test-visit&part=0",
    ] {
        assert_eq!(app.get(path, PROVIDER).await.status, 404, "{path}");
    }
    let publish = app
        .post_form(
            "/rosters/ros_their-roster/publish",
            PROVIDER,
            &form(&[("csrf_token", &csrf)]),
        )
        .await;
    assert_eq!(publish.status, 404);
    let plan = app
        .post_form(
            "/rosters/plan",
            PROVIDER,
            &form(&[
                ("csrf_token", &csrf),
                ("branch_id", branch.id.as_str()),
                ("date", &theirs.date.to_string()),
                ("span", "day"),
            ]),
        )
        .await;
    assert_eq!(
        plan.status, 422,
        "another provider's branch is not one to choose"
    );
    assert_eq!(app.store.roster(&theirs.id).await.unwrap().unwrap(), theirs);
    let list = app.get("/rosters", PROVIDER).await;
    assert!(!list.body.contains(&branch.name));
}

async fn a_published_run_reaches_the_worker_page_and_calendar(backend: Backend) {
    let app = support::start(backend).await;
    let worker = Caller::Browser(Role::CareWorker);
    let page_path = format!("/workers/{}", app.ids.worker_a);
    let calendar_path = format!("/workers/{}/runs.ics", app.ids.worker_a);
    let visit = &app.ids.roster_visit;
    let uid = format!("UID:{}-0@homeward", visit.id);

    // A draft: the coordinator sees it on the worker's page, the worker does not.
    let coordinator_view = app.get(&page_path, PROVIDER).await;
    assert!(
        coordinator_view.body.contains("Draft"),
        "{}",
        coordinator_view.body
    );
    let worker_view = app.get(&page_path, worker).await;
    assert_eq!(worker_view.status, 200);
    assert!(
        worker_view
            .body
            .contains("No visits are on this care worker")
    );
    assert!(!app.get(&calendar_path, worker).await.body.contains(&uid));

    // Published: both see it; the calendar holds the visit.
    rostering_publish(&app).await;
    let worker_view = app.get(&page_path, worker).await;
    assert!(worker_view.body.contains("10:17"), "{}", worker_view.body);
    let calendar = app.get(&calendar_path, worker).await;
    assert_eq!(calendar.status, 200);
    assert!(
        calendar
            .header("content-type")
            .unwrap()
            .starts_with("text/calendar")
    );
    assert!(calendar.body.contains(&uid), "{}", calendar.body);
    assert!(calendar.body.contains("BEGIN:VEVENT"));

    // The person's page lists who is coming: the coordinator sees the name, the council only
    // that the visit is rostered.
    let person_page = format!("/people/{}", visit.dated.person_id);
    let name = &app
        .market
        .workers
        .iter()
        .find(|w| w.id == app.ids.worker_a)
        .unwrap()
        .name;
    assert!(
        app.get(&person_page, PROVIDER)
            .await
            .body
            .contains(name.as_str())
    );
    let council = app
        .get(&person_page, Caller::Browser(Role::Commissioner))
        .await;
    assert!(council.body.contains("Rostered") && !council.body.contains(name.as_str()));

    // Another provider's worker's calendar is not found.
    let theirs = format!("/workers/{}/runs.ics", app.ids.worker_b);
    assert_eq!(app.get(&theirs, PROVIDER).await.status, 404);
    assert_eq!(app.get(&theirs, worker).await.status, 404);
}

async fn rostering_publish(app: &support::App) {
    let csrf = csrf_token(Role::ProviderUser);
    let published = app
        .post_form(
            &format!("/rosters/{}/publish", app.ids.roster),
            PROVIDER,
            &form(&[("csrf_token", &csrf)]),
        )
        .await;
    assert_eq!(published.status, 303);
}

on_both!(
    a_coordinator_plans_moves_and_publishes,
    another_providers_roster_is_not_found,
    a_published_run_reaches_the_worker_page_and_calendar
);
