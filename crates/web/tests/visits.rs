//! Visits on the person page and in the API's person record: the council's staff and the
//! person see all of the person's visits, a provider only its own. Check-ins through the API:
//! stored once per key, and only for the sender's own staff and visits.

mod support;

use homeward_domain::{
    CareTask, DatedVisit, ProviderId, Role, Roster, RosterId, RosterStatus, RosterStop, Visit,
    VisitId, VisitStatus, london, london_instant,
};
use homeward_store::{Backend, VisitChanges};
use jiff::civil::Time;
use support::Caller;

/// A planned visit tomorrow to person A (of A's first package) by `provider`, at `hour:minute`
/// for `minutes`, stored.
async fn visit_tomorrow(
    app: &support::App,
    suffix: &str,
    provider: &ProviderId,
    (hour, minute): (i8, i8),
    minutes: u16,
) -> Visit {
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
    let local_start = Time::new(hour, minute, 0, 0).unwrap();
    let visit = Visit {
        id: VisitId::from_suffix(suffix).unwrap(),
        provider_id: provider.clone(),
        dated: DatedVisit {
            package_id: package.id.clone(),
            person_id: ids.person_a.clone(),
            date: tomorrow,
            local_start,
            starts_at: london_instant(tomorrow, local_start),
            duration_minutes: minutes,
            carers: 1,
        },
        status: VisitStatus::Planned,
    };
    let changes = VisitChanges {
        cancel: vec![],
        add: vec![visit.clone()],
    };
    app.store
        .change_visits(&changes, jiff::Timestamp::now(), "test")
        .await
        .unwrap();
    visit
}

async fn person_page_shows_visits_in_scope(backend: Backend) {
    let app = support::start(backend).await;
    let ids = &app.ids;
    // Person A's visits tomorrow: one by provider A at 06:10, one (made up) by B at 23:50.
    visit_tomorrow(&app, "own-early", &ids.provider_a, (6, 10), 35).await;
    visit_tomorrow(&app, "other-late", &ids.provider_b, (23, 50), 35).await;

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

/// A planned visit of provider A, for the person of the roster fixture, that began
/// `minutes_ago` minutes ago and lasts 30 minutes, stored with a published roster of worker A's
/// branch giving it to worker A (call events are taken only for rostered care, at believable
/// times).
async fn rostered_visit(app: &support::App, suffix: &str, minutes_ago: i64) -> Visit {
    let ids = &app.ids;
    let started = jiff::Timestamp::from_second(jiff::Timestamp::now().as_second() / 60 * 60)
        .unwrap()
        - jiff::SignedDuration::from_mins(minutes_ago);
    let local = started.to_zoned(london().clone());
    let visit = Visit {
        id: VisitId::from_suffix(suffix).unwrap(),
        provider_id: ids.provider_a.clone(),
        dated: DatedVisit {
            date: local.date(),
            local_start: local.time(),
            starts_at: started,
            duration_minutes: 30,
            ..ids.roster_visit.dated.clone()
        },
        status: VisitStatus::Planned,
    };
    app.store
        .change_visits(
            &VisitChanges {
                cancel: vec![],
                add: vec![visit.clone()],
            },
            started,
            "test",
        )
        .await
        .unwrap();
    let branch = app
        .market
        .workers
        .iter()
        .find(|worker| worker.id == ids.worker_a)
        .unwrap()
        .branch_id
        .clone();
    let now = jiff::Timestamp::from_second(jiff::Timestamp::now().as_second()).unwrap();
    let roster = Roster {
        id: RosterId::from_suffix(&format!("{suffix}-roster")).unwrap(),
        branch_id: branch,
        date: visit.dated.date,
        status: RosterStatus::Published,
        changed_at: now,
        published_at: Some(now),
        stops: vec![RosterStop {
            visit_id: visit.id.clone(),
            part: 0,
            worker_id: ids.worker_a.clone(),
            starts_at: visit.dated.starts_at,
            travel_minutes: 10,
        }],
        unmade: vec![],
    };
    app.store
        .save_roster(&roster, "publish", "test")
        .await
        .unwrap();
    visit
}

/// Provider A's worker and a visit of A's earlier today, rostered to them; B's worker.
async fn call_events_are_taken_once_and_only_in_scope(backend: Backend) {
    let app = support::start(backend).await;
    let ids = &app.ids;
    let visit = rostered_visit(&app, "monitored", 20).await;
    let body = |key: &str, worker: &str| {
        format!(
            r#"{{"key":"{key}","visit_id":"{}","worker_id":"{worker}","kind":"check_in","at":"{}","latitude":50.8,"longitude":-0.7}}"#,
            visit.id, visit.dated.starts_at
        )
    };
    let provider = Caller::Client(Role::ProviderUser);
    let first = app
        .send_json(
            "POST",
            "/api/v1/call-events",
            provider,
            &body("key-0001-in", ids.worker_a.as_str()),
        )
        .await;
    assert_eq!(first.status, 201, "{}", first.body);
    assert_eq!(first.json()["status"], "stored");
    let again = app
        .send_json(
            "POST",
            "/api/v1/call-events",
            provider,
            &body("key-0001-in", ids.worker_a.as_str()),
        )
        .await;
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(again.json()["status"], "already_stored");
    assert_eq!(again.json()["received_at"], first.json()["received_at"]);
    assert_eq!(app.store.call_events(&visit.id).await.unwrap().len(), 1);

    // Provider A cannot send for B's worker; nor can A's care worker send for anyone else.
    let foreign = app
        .send_json(
            "POST",
            "/api/v1/call-events",
            provider,
            &body("key-0002-in", ids.worker_b.as_str()),
        )
        .await;
    assert_eq!(foreign.status, 422, "{}", foreign.body);
    assert_eq!(foreign.json()["error"]["field"], "worker_id");
    let worker = Caller::Client(Role::CareWorker);
    let impostor = app
        .send_json(
            "POST",
            "/api/v1/call-events",
            worker,
            &body("key-0003-in", ids.worker_b.as_str()),
        )
        .await;
    assert_eq!(impostor.status, 422, "{}", impostor.body);
    // The same key with another worker's event is a conflict, not a second event.
    let own = app
        .send_json(
            "POST",
            "/api/v1/call-events",
            worker,
            &body("key-0001-in", ids.worker_a.as_str()),
        )
        .await;
    assert_eq!(
        own.status, 200,
        "the care worker resends the same event: {}",
        own.body
    );
    // A bad key and an unknown visit are named.
    let bad_key = app
        .send_json(
            "POST",
            "/api/v1/call-events",
            provider,
            &body("short", ids.worker_a.as_str()),
        )
        .await;
    assert_eq!(
        (bad_key.status, bad_key.json()["error"]["field"].as_str()),
        (422, Some("key"))
    );
    let unknown =
        body("key-0004-in", ids.worker_a.as_str()).replace(visit.id.as_str(), "vis_nowhere");
    let missing = app
        .send_json("POST", "/api/v1/call-events", provider, &unknown)
        .await;
    assert_eq!(missing.status, 404, "{}", missing.body);
    assert_eq!(app.store.call_events(&visit.id).await.unwrap().len(), 1);

    // A check-out with the tasks done and a note; sent again (tasks in another order, the
    // note with a browser's line break) it is the same event.
    let check_out = |tasks: &str, note: &str| {
        format!(
            r#"{{"key":"key-0005-out","visit_id":"{}","worker_id":"{}","kind":"check_out","at":"{}","tasks":{tasks},"note":{note}}}"#,
            visit.id, ids.worker_a, visit.dated.starts_at
        )
    };
    let out = app
        .send_json(
            "POST",
            "/api/v1/call-events",
            worker,
            &check_out(
                r#"["medication","personal-care"]"#,
                r#"" Ate well.\nAsked about Tuesday. ""#,
            ),
        )
        .await;
    assert_eq!(out.status, 201, "{}", out.body);
    let again = app
        .send_json(
            "POST",
            "/api/v1/call-events",
            worker,
            &check_out(
                r#"["personal-care","medication","medication"]"#,
                r#""Ate well.\r\nAsked about Tuesday.""#,
            ),
        )
        .await;
    assert_eq!(
        (again.status, again.json()["status"].as_str()),
        (200, Some("already_stored")),
        "{}",
        again.body
    );
    let stored = app.store.call_events(&visit.id).await.unwrap();
    let stored_out = stored
        .iter()
        .find(|event| event.key.as_str() == "key-0005-out")
        .unwrap();
    assert_eq!(
        stored_out.tasks,
        [CareTask::Medication, CareTask::PersonalCare].into()
    );
    assert_eq!(
        stored_out.note.as_ref().map(|note| note.as_str()),
        Some("Ate well.\nAsked about Tuesday.")
    );
    // Tasks on a check-in, an unknown task and an overlong note are refused, naming the field.
    let busy_check_in = body("key-0006-in", ids.worker_a.as_str())
        .replace(r#""latitude""#, r#""tasks":["domestic"],"latitude""#);
    let long_note = format!(r#""{}""#, "x".repeat(1001));
    for (sent, field) in [
        (busy_check_in, "tasks"),
        (check_out(r#"["gardening"]"#, "null"), "tasks"),
        (check_out("[]", &long_note), "note"),
    ] {
        let refused = app
            .send_json("POST", "/api/v1/call-events", worker, &sent)
            .await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert_eq!(refused.json()["error"]["field"], field, "{}", refused.body);
    }
    assert_eq!(app.store.call_events(&visit.id).await.unwrap().len(), 2);

    // Provider B's visit is not found for A's worker; a cancelled visit is a conflict.
    let theirs = visit_tomorrow(&app, "theirs", &ids.provider_b, (10, 0), 30).await;
    let foreign_visit =
        body("key-0007-in", ids.worker_a.as_str()).replace(visit.id.as_str(), theirs.id.as_str());
    let answer = app
        .send_json("POST", "/api/v1/call-events", worker, &foreign_visit)
        .await;
    assert_eq!(answer.status, 404, "{}", answer.body);
    let called_off = visit_tomorrow(&app, "called-off", &ids.provider_a, (11, 0), 30).await;
    app.store
        .change_visits(
            &VisitChanges {
                cancel: vec![called_off.id.clone()],
                add: vec![],
            },
            jiff::Timestamp::now(),
            "test",
        )
        .await
        .unwrap();
    let cancelled = body("key-0008-in", ids.worker_a.as_str())
        .replace(visit.id.as_str(), called_off.id.as_str());
    let answer = app
        .send_json("POST", "/api/v1/call-events", provider, &cancelled)
        .await;
    assert_eq!(answer.status, 409, "{}", answer.body);
    for other in [&theirs, &called_off] {
        assert!(app.store.call_events(&other.id).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn call_events_are_taken_once_and_only_in_scope_on_sqlite() {
    call_events_are_taken_once_and_only_in_scope(Backend::Sqlite).await;
}

#[tokio::test]
async fn call_events_are_taken_once_and_only_in_scope_on_postgres() {
    call_events_are_taken_once_and_only_in_scope(Backend::Postgres).await;
}
