//! The rostering API over the real server: a provider's system lists its rosters, reads one,
//! plans a day and a week, moves a visit (told what the move breaks), publishes, and reads a
//! care worker's runs as iCalendar; bad input is named; another provider's roster and branch are
//! not found. On SQLite and PostgreSQL.

mod support;

use homeward_domain::{Role, RosterStatus};
use homeward_store::{AuditFilter, Backend};
use support::{App, Caller, on_both};

const SYSTEM: Caller = Caller::Client(Role::ProviderUser);

fn branch_of_worker_a(app: &App) -> String {
    app.market
        .workers
        .iter()
        .find(|worker| worker.id == app.ids.worker_a)
        .unwrap()
        .branch_id
        .to_string()
}

async fn post(app: &App, path: &str, body: &str) -> support::Response {
    app.send_json("POST", path, SYSTEM, body).await
}

/// Asserts a 422 naming `field`.
fn refused(response: &support::Response, field: &str) {
    assert_eq!(response.status, 422, "{field}: {}", response.body);
    let body = response.json();
    assert_eq!(body["error"]["code"], "invalid", "{body}");
    assert_eq!(body["error"]["field"], field, "{body}");
}

async fn a_providers_system_plans_moves_and_publishes(backend: Backend) {
    let app = support::start(backend).await;
    let visit = &app.ids.roster_visit;
    let roster_id = app.ids.roster.to_string();
    let branch = branch_of_worker_a(&app);
    let date = visit.dated.date.to_string();

    // Listed with its status and counts; narrowed to a branch and a day.
    let listed = app.get("/api/v1/rosters", SYSTEM).await;
    assert_eq!(listed.status, 200, "{}", listed.body);
    let listed = listed.json();
    let item = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["id"] == roster_id.as_str())
        .unwrap_or_else(|| panic!("tomorrow's draft is listed: {listed}"))
        .clone();
    assert_eq!(item["status"], "draft");
    assert_eq!(item["branch_id"], branch.as_str());
    assert_eq!(item["date"], date.as_str());
    assert_eq!(
        (item["stops"].as_u64(), item["unmade"].as_u64()),
        (Some(1), Some(0))
    );
    assert!(item["published_at"].is_null());
    let narrowed = app
        .get(
            &format!("/api/v1/rosters?branch_id={branch}&from={date}&days=1"),
            SYSTEM,
        )
        .await
        .json();
    assert_eq!(narrowed["total"], 1, "{narrowed}");
    let before = app
        .get(
            &format!(
                "/api/v1/rosters?branch_id={branch}&from={}&days=1",
                visit.dated.date.yesterday().unwrap()
            ),
            SYSTEM,
        )
        .await
        .json();
    assert_eq!(before["total"], 0, "{before}");
    refused(&app.get("/api/v1/rosters?days=0", SYSTEM).await, "days");
    refused(&app.get("/api/v1/rosters?days=63", SYSTEM).await, "days");
    refused(&app.get("/api/v1/rosters?from=soon", SYSTEM).await, "from");
    assert_eq!(
        app.get("/api/v1/rosters?branch=x", SYSTEM).await.status,
        400,
        "an unknown parameter"
    );

    // One roster: its run with the stop's worker, visit, person, start and travel.
    let one = app
        .get(&format!("/api/v1/rosters/{roster_id}"), SYSTEM)
        .await;
    assert_eq!(one.status, 200, "{}", one.body);
    let one = one.json();
    assert_eq!(one["figures"]["visits"], 1, "{one}");
    let stop = &one["runs"][0]["stops"][0];
    assert_eq!(one["runs"][0]["worker_id"], app.ids.worker_a.as_str());
    assert_eq!(stop["visit_id"], visit.id.as_str());
    assert_eq!(stop["person_id"], visit.dated.person_id.as_str());
    assert_eq!(stop["travel_minutes"], 10);
    assert_eq!(stop["minutes_from_plan"], 0);
    assert_eq!(
        stop["starts_at"]
            .as_str()
            .unwrap()
            .parse::<jiff::Timestamp>()
            .unwrap(),
        visit.dated.starts_at
    );
    assert!(one["breaches"].is_array() && one["unmade_visits"] == serde_json::json!([]));

    // Bad input names the field, and nothing is planned.
    let plan = |branch: &str, date: &str, span: &str| {
        format!(r#"{{"branch_id":"{branch}","date":"{date}","span":"{span}"}}"#)
    };
    refused(
        &post(&app, "/api/v1/rosters", &plan(&branch, "soon", "day")).await,
        "date",
    );
    refused(
        &post(&app, "/api/v1/rosters", &plan(&branch, &date, "month")).await,
        "span",
    );
    refused(
        &post(&app, "/api/v1/rosters", &plan("branch 1", &date, "day")).await,
        "branch_id",
    );
    let past = visit
        .dated
        .date
        .yesterday()
        .unwrap()
        .yesterday()
        .unwrap()
        .to_string();
    let refused_past = post(&app, "/api/v1/rosters", &plan(&branch, &past, "day")).await;
    refused(&refused_past, "date");
    assert!(
        refused_past.body.contains("is in the past"),
        "{}",
        refused_past.body
    );
    refused(
        &post(
            &app,
            "/api/v1/rosters",
            r#"{"branch_id":1,"date":"x","span":"day"}"#,
        )
        .await,
        "branch_id",
    );

    // Planned by the engine: the day keeps its roster, and the visit is on a run.
    let planned = post(&app, "/api/v1/rosters", &plan(&branch, &date, "day")).await;
    assert_eq!(planned.status, 200, "{}", planned.body);
    let planned = planned.json();
    let items = planned["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(
        items[0]["id"],
        roster_id.as_str(),
        "the day keeps its roster"
    );
    assert_eq!(items[0]["status"], "draft");
    assert_eq!(items[0]["figures"]["unmade"], 0, "{planned}");
    assert_eq!(
        items[0]["runs"][0]["stops"][0]["visit_id"],
        visit.id.as_str()
    );

    // A week: the seven days from the visit's, each a draft of the branch, in date order.
    let week = post(&app, "/api/v1/rosters", &plan(&branch, &date, "week")).await;
    assert_eq!(week.status, 200, "{}", week.body);
    let week = week.json();
    let dates: Vec<&str> = week["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["date"].as_str().unwrap())
        .collect();
    let expected: Vec<String> = (0..7)
        .map(|days| {
            visit
                .dated
                .date
                .checked_add(jiff::Span::new().days(days))
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(dates, expected);
    assert!(
        week["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|item| item["branch_id"] == branch.as_str() && item["status"] == "draft")
    );

    // Moves: bad input named first.
    let move_path = format!("/api/v1/rosters/{roster_id}/move");
    let moved = |worker: &str, part: &str| {
        format!(
            r#"{{"visit_id":"{}","part":{part},"worker_id":{worker}}}"#,
            visit.id
        )
    };
    refused(
        &post(&app, &move_path, &moved(r#""wkr_nobody""#, "0")).await,
        "worker_id",
    );
    refused(&post(&app, &move_path, &moved("null", "2")).await, "part");
    refused(&post(&app, &move_path, &moved("null", "1")).await, "part");
    refused(
        &post(
            &app,
            &move_path,
            &format!(r#"{{"visit_id":"{}","part":0}}"#, visit.id),
        )
        .await,
        "worker_id",
    );
    refused(
        &post(
            &app,
            &move_path,
            r#"{"visit_id":"vis_elsewhere","part":0,"worker_id":null}"#,
        )
        .await,
        "visit_id",
    );

    // Taken off every run, then given back to worker A.
    let off = post(&app, &move_path, &moved("null", "0")).await;
    assert_eq!(off.status, 200, "{}", off.body);
    let off = off.json();
    assert_eq!(
        off["roster"]["unmade_visits"][0]["visit_id"],
        visit.id.as_str()
    );
    assert_eq!(
        off["roster"]["unmade_visits"][0]["reason"],
        "taken off the runs by the coordinator"
    );
    assert!(off["caused"].is_array());
    let worker_a = format!(r#""{}""#, app.ids.worker_a);
    let back = post(&app, &move_path, &moved(&worker_a, "0.0")).await;
    assert_eq!(back.status, 200, "{}", back.body);
    let back = back.json();
    assert_eq!(
        back["roster"]["runs"][0]["worker_id"],
        app.ids.worker_a.as_str()
    );
    assert_eq!(back["roster"]["status"], "draft");

    // Published; the care worker's calendar holds the visit, for the provider's system and the
    // care worker alike.
    let calendar_path = format!("/api/v1/workers/{}/runs.ics", app.ids.worker_a);
    let uid = format!("UID:{}-0@homeward", visit.id);
    assert!(!app.get(&calendar_path, SYSTEM).await.body.contains(&uid));
    let published = post(&app, &format!("/api/v1/rosters/{roster_id}/publish"), "").await;
    assert_eq!(published.status, 200, "{}", published.body);
    let published = published.json();
    assert_eq!(published["status"], "published");
    assert!(published["published_at"].is_string());
    let stored = app.store.roster(&app.ids.roster).await.unwrap().unwrap();
    assert_eq!(stored.status, RosterStatus::Published);
    assert_eq!(stored.stops[0].worker_id, app.ids.worker_a);
    for caller in [SYSTEM, Caller::Client(Role::CareWorker)] {
        let calendar = app.get(&calendar_path, caller).await;
        assert_eq!(calendar.status, 200, "{caller:?}: {}", calendar.body);
        assert!(
            calendar
                .header("content-type")
                .unwrap()
                .starts_with("text/calendar"),
            "{caller:?}"
        );
        assert!(
            calendar.body.contains(&uid),
            "{caller:?}: {}",
            calendar.body
        );
    }

    // Every change is audited as the system's account.
    let audited = app
        .store
        .audit_events(
            &AuditFilter {
                actor: Some(app.accounts[&Role::ProviderUser].id.to_string()),
                record_id: Some(roster_id.clone()),
                ..AuditFilter::default()
            },
            0,
            100,
        )
        .await
        .unwrap();
    let actions: Vec<&str> = audited
        .events
        .iter()
        .rev()
        .map(|event| event.action.as_str())
        .collect();
    assert_eq!(actions, ["plan", "plan", "move", "move", "publish"]);
}

async fn another_providers_roster_and_branch_are_not_found(backend: Backend) {
    let app = support::start(backend).await;
    let (branch, theirs) = app.another_providers_roster().await;
    let not_found = |response: support::Response, what: &str| {
        assert_eq!(response.status, 404, "{what}: {}", response.body);
        assert_eq!(response.json()["error"]["code"], "not_found", "{what}");
    };
    not_found(
        app.get("/api/v1/rosters/ros_their-roster", SYSTEM).await,
        "get",
    );
    not_found(
        post(&app, "/api/v1/rosters/ros_their-roster/publish", "").await,
        "publish",
    );
    not_found(
        post(
            &app,
            "/api/v1/rosters/ros_their-roster/move",
            r#"{"visit_id":"vis_test-visit","part":0,"worker_id":null}"#,
        )
        .await,
        "move",
    );
    not_found(
        post(
            &app,
            "/api/v1/rosters",
            &format!(
                r#"{{"branch_id":"{}","date":"{}","span":"day"}}"#,
                branch.id, theirs.date
            ),
        )
        .await,
        "plan",
    );
    not_found(
        app.get(&format!("/api/v1/rosters?branch_id={}", branch.id), SYSTEM)
            .await,
        "list",
    );
    assert_eq!(app.store.roster(&theirs.id).await.unwrap().unwrap(), theirs);
    let listed = app.get("/api/v1/rosters?days=62", SYSTEM).await.json();
    assert!(
        listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|item| item["branch_id"] != branch.id.as_str()),
        "{listed}"
    );

    // Another provider's worker's calendar: not found for the provider and for a care worker.
    let calendar = format!("/api/v1/workers/{}/runs.ics", app.ids.worker_b);
    not_found(app.get(&calendar, SYSTEM).await, "calendar");
    not_found(
        app.get(&calendar, Caller::Client(Role::CareWorker)).await,
        "calendar of another worker",
    );
}

on_both!(
    a_providers_system_plans_moves_and_publishes,
    another_providers_roster_and_branch_are_not_found
);
