//! The care worker's phone page over the real server, without its script: today's published
//! run, checking in and out with tasks and a note, a retry stored once; and the script's JSON
//! answers. Bad input is named; visits outside the worker's provider are not found, and a visit
//! of theirs that no published roster gives the worker is refused. On SQLite and PostgreSQL.

mod support;

use homeward_domain::{
    CallEventKind, CareTask, DatedVisit, Role, RosterStatus, Visit, VisitId, london_instant,
};
use homeward_store::{Backend, VisitChanges};
use support::{App, Caller, csrf_token, on_both};

const WORKER: Caller = Caller::Browser(Role::CareWorker);

/// Worker A's roster is published, and moved to today so that the phone page has it.
async fn published_today(app: &App) -> Visit {
    let mut roster = app.store.roster(&app.ids.roster).await.unwrap().unwrap();
    let now = jiff::Timestamp::now();
    let today = now.to_zoned(homeward_domain::london().clone()).date();
    let template = &app.ids.roster_visit;
    // A visit for the same person starting this minute: it is today whenever the test runs.
    let local = now.to_zoned(homeward_domain::london().clone());
    let visit = Visit {
        id: VisitId::from_suffix("today-visit").unwrap(),
        dated: DatedVisit {
            date: local.date(),
            local_start: jiff::civil::Time::new(local.hour(), local.minute(), 0, 0).unwrap(),
            starts_at: london_instant(
                local.date(),
                jiff::civil::Time::new(local.hour(), local.minute(), 0, 0).unwrap(),
            ),
            ..template.dated.clone()
        },
        ..template.clone()
    };
    let changes = VisitChanges {
        cancel: vec![],
        add: vec![visit.clone()],
    };
    app.store
        .change_visits(&changes, visit.dated.starts_at, "test")
        .await
        .unwrap();
    roster.id = homeward_domain::RosterId::from_suffix("today-roster").unwrap();
    roster.date = visit.dated.date;
    roster.status = RosterStatus::Published;
    roster.published_at = Some(jiff::Timestamp::from_second(now.as_second()).unwrap());
    roster.stops[0].visit_id = visit.id.clone();
    roster.stops[0].starts_at = visit.dated.starts_at;
    assert_eq!(roster.date, today);
    app.store
        .save_roster(&roster, "publish", "test")
        .await
        .unwrap();
    visit
}

fn form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(key, value)| {
            let encoded: String = value
                .bytes()
                .map(|byte| match byte {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                        char::from(byte).to_string()
                    }
                    _ => format!("%{byte:02X}"),
                })
                .collect();
            format!("{key}={encoded}")
        })
        .collect::<Vec<_>>()
        .join("&")
}

async fn a_care_worker_checks_in_and_out(backend: Backend) {
    let app = support::start(backend).await;
    let empty = app.get("/today", WORKER).await;
    assert_eq!(empty.status, 200);
    assert!(
        empty
            .body
            .contains("You have no visits on a published run today.")
    );

    let visit = published_today(&app).await;
    let person = app
        .market
        .people
        .iter()
        .find(|p| p.id == visit.dated.person_id)
        .unwrap();
    let page = app.get("/today", WORKER).await;
    assert!(page.body.contains(&person.name), "{}", page.body);
    assert!(page.body.contains("Not started"));
    // The page says why the phone is asked where it is, and that it is asked only then.
    assert!(page.body.contains("Why your phone is asked where it is"));
    assert!(page.body.contains("checking in and out still works"));
    let csrf = csrf_token(Role::CareWorker);
    let check_in = form(&[
        ("csrf_token", &csrf),
        ("key", "phone-test-in-0001"),
        ("visit_id", visit.id.as_str()),
        ("kind", "check_in"),
        ("latitude", "50.783100"),
        ("longitude", "-0.673900"),
    ]);
    let sent = app.post_form("/today/events", WORKER, &check_in).await;
    assert_eq!(
        sent.status,
        303,
        "{}",
        &sent.body[sent.body.find("govuk-error-summary").unwrap_or(0)..]
            [..600.min(sent.body.len())]
    );
    // A retry of the same form is stored once.
    assert_eq!(
        app.post_form("/today/events", WORKER, &check_in)
            .await
            .status,
        303
    );
    let events = app.store.call_events(&visit.id).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].kind, CallEventKind::CheckIn);
    assert_eq!(events[0].worker_id, app.ids.worker_a);
    assert!(events[0].location.is_some());
    let page = app.get("/today", WORKER).await;
    assert!(page.body.contains("Checked in at"));

    // Out, with what was done, through the script's outbox (JSON), at the phone's time.
    let at = jiff::Timestamp::from_millisecond(jiff::Timestamp::now().as_millisecond())
        .unwrap()
        .to_string();
    let check_out = form(&[
        ("csrf_token", &csrf),
        ("key", "4b7c1c0e-9a1d-4d1a-9a53-3d7b9c2f0e11"),
        ("visit_id", visit.id.as_str()),
        ("kind", "check_out"),
        ("at", &at),
        ("tasks", "personal-care"),
        ("tasks", "medication"),
        ("note", "Ate well.\r\nAsked about Friday."),
    ]);
    let json = [("Accept", "application/json")];
    let sent = app
        .send(
            "POST",
            "/today/events",
            WORKER,
            Some("application/x-www-form-urlencoded"),
            &check_out,
            &json,
        )
        .await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    assert_eq!(sent.json()["status"], "stored");
    let again = app
        .send(
            "POST",
            "/today/events",
            WORKER,
            Some("application/x-www-form-urlencoded"),
            &check_out,
            &json,
        )
        .await;
    assert_eq!(again.json()["status"], "already_stored");
    let events = app.store.call_events(&visit.id).await.unwrap();
    assert_eq!(events.len(), 2);
    let out = events
        .iter()
        .find(|event| event.kind == CallEventKind::CheckOut)
        .unwrap();
    assert_eq!(
        out.tasks.iter().copied().collect::<Vec<_>>(),
        [CareTask::PersonalCare, CareTask::Medication]
    );
    assert_eq!(
        out.note.as_ref().unwrap().as_str(),
        "Ate well.\nAsked about Friday."
    );
    assert_eq!(
        out.at.to_string(),
        at.parse::<jiff::Timestamp>().unwrap().to_string()
    );
    let page = app.get("/today", WORKER).await;
    assert!(page.body.contains("checked out at"));
}

/// Fields sent, the status expected and a message the answer must hold.
type Case<'a> = (Vec<(&'a str, &'a str)>, u16, &'a str);

async fn bad_events_are_named_and_stored_nowhere(backend: Backend) {
    let app = support::start(backend).await;
    let visit = published_today(&app).await;
    let csrf = csrf_token(Role::CareWorker);
    let future = (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(2)).to_string();
    let other_provider_visit = app
        .store
        .visits(&homeward_store::VisitFilter {
            provider_id: Some(app.ids.provider_b.clone()),
            ..homeward_store::VisitFilter::between(visit.dated.date, visit.dated.date)
        })
        .await
        .unwrap();
    assert!(
        other_provider_visit.is_empty(),
        "the test server plans no other visits"
    );
    // A visit of worker A's provider begun ten minutes ago that no published roster gives them.
    let started = visit.dated.starts_at - jiff::SignedDuration::from_mins(10);
    let local = started.to_zoned(homeward_domain::london().clone());
    let unrostered = Visit {
        id: VisitId::from_suffix("not-rostered").unwrap(),
        dated: DatedVisit {
            date: local.date(),
            local_start: local.time(),
            starts_at: started,
            ..visit.dated.clone()
        },
        ..visit.clone()
    };
    app.store
        .change_visits(
            &VisitChanges {
                cancel: vec![],
                add: vec![unrostered.clone()],
            },
            started,
            "test",
        )
        .await
        .unwrap();
    let cases: [Case<'_>; 6] = [
        (
            vec![
                ("key", "phone-bad-0001"),
                ("visit_id", visit.id.as_str()),
                ("kind", "arrive"),
            ],
            422,
            "not check_in or check_out",
        ),
        (
            vec![
                ("key", "short"),
                ("visit_id", visit.id.as_str()),
                ("kind", "check_in"),
            ],
            422,
            "8 to 100",
        ),
        (
            vec![
                ("key", "phone-bad-0002"),
                ("visit_id", visit.id.as_str()),
                ("kind", "check_in"),
                ("at", &future),
            ],
            422,
            "is in the future",
        ),
        (
            vec![
                ("key", "phone-bad-0003"),
                ("visit_id", visit.id.as_str()),
                ("kind", "check_in"),
                ("tasks", "medication"),
            ],
            422,
            "when checking out",
        ),
        (
            vec![
                ("key", "phone-bad-0004"),
                ("visit_id", "vis_not-theirs"),
                ("kind", "check_in"),
            ],
            404,
            "not on your runs",
        ),
        (
            vec![
                ("key", "phone-bad-0007"),
                ("visit_id", unrostered.id.as_str()),
                ("kind", "check_in"),
            ],
            422,
            "on a published roster",
        ),
    ];
    for (fields, status, message) in cases {
        let mut all = vec![("csrf_token", csrf.as_str())];
        all.extend(fields);
        let answer = app.post_form("/today/events", WORKER, &form(&all)).await;
        assert_eq!(answer.status, status, "{all:?}: {}", answer.body);
        assert!(
            answer.body.contains(message),
            "{message} in {}",
            answer.body
        );
    }
    // The script is told in JSON, naming the field.
    let answer = app
        .send(
            "POST",
            "/today/events",
            WORKER,
            Some("application/x-www-form-urlencoded"),
            &form(&[
                ("csrf_token", &csrf),
                ("key", "phone-bad-0005"),
                ("visit_id", visit.id.as_str()),
                ("kind", "check_in"),
                ("note", &"x".repeat(1001)),
            ]),
            &[("Accept", "application/json")],
        )
        .await;
    assert_eq!(answer.status, 422);
    assert_eq!(answer.json()["error"]["field"], "note");
    // Without the session's anti-forgery token nothing is taken.
    let forged = app
        .post_form(
            "/today/events",
            WORKER,
            &form(&[
                ("key", "phone-bad-0006"),
                ("visit_id", visit.id.as_str()),
                ("kind", "check_in"),
            ]),
        )
        .await;
    assert_eq!(forged.status, 403);
    // An event another care worker recorded on the same phone is refused, naming the worker,
    // rather than recorded as this care worker's.
    let theirs = app
        .send(
            "POST",
            "/today/events",
            WORKER,
            Some("application/x-www-form-urlencoded"),
            &form(&[
                ("csrf_token", &csrf),
                ("worker_id", app.ids.worker_b.as_str()),
                ("key", "phone-bad-0007"),
                ("visit_id", visit.id.as_str()),
                ("kind", "check_in"),
            ]),
            &[("Accept", "application/json")],
        )
        .await;
    assert_eq!(theirs.status, 422, "{}", theirs.body);
    assert_eq!(theirs.json()["error"]["field"], "worker_id");
    // Signed out, the script is told so in JSON (401), not sent to the sign-in page, which a
    // fetch would follow and take for a success; a browser without the script is still sent
    // to sign in.
    let signed_out = app
        .send(
            "POST",
            "/today/events",
            Caller::Anonymous,
            Some("application/x-www-form-urlencoded"),
            &form(&[
                ("key", "phone-bad-0008"),
                ("visit_id", visit.id.as_str()),
                ("kind", "check_in"),
            ]),
            &[("Accept", "application/json")],
        )
        .await;
    assert_eq!(signed_out.status, 401, "{}", signed_out.body);
    assert_eq!(signed_out.json()["error"]["code"], "unauthenticated");
    let page = app
        .post_form(
            "/today/events",
            Caller::Anonymous,
            &form(&[("key", "phone-bad-0009")]),
        )
        .await;
    assert_eq!(page.status, 303);
    assert!(
        page.header("location")
            .unwrap()
            .starts_with("/sign-in?next=")
    );
    assert!(app.store.call_events(&visit.id).await.unwrap().is_empty());
    assert!(
        app.store
            .call_events(&unrostered.id)
            .await
            .unwrap()
            .is_empty()
    );
    // The service worker is served to anyone, as a script.
    let script = app.get("/phone-sw.js", Caller::Anonymous).await;
    assert_eq!(script.status, 200);
    assert!(
        script
            .header("content-type")
            .unwrap()
            .starts_with("text/javascript")
    );
}

on_both!(
    a_care_worker_checks_in_and_out,
    bad_events_are_named_and_stored_nowhere
);
