//! Check-ins and check-outs turn into money on invoices, so they are taken only for care that
//! was really rostered, at believable times, and each provider's idempotency keys are its own.
//! Through `POST /api/v1/call-events` and the phone page alike: an event is refused, naming the
//! field, when its worker is on no stop of a published roster for the visit (a colleague's
//! visit, another branch's, a draft roster's, a provider's system sending for a worker not
//! rostered), when its time is outside the visit's window or ahead of the server's clock, or
//! when it comes too long after the visit; a refused event changes neither monitoring nor the
//! invoice. On SQLite and PostgreSQL.

mod support;

use homeward_domain::{
    Account, AccountId, Branch, CallEvent, CallEventKind, DatedVisit, Email, EventKey,
    InvoicePeriod, MonitoringRules, ProviderId, Role, Roster, RosterId, RosterStatus, RosterStop,
    Scope, Visit, VisitId, VisitStatus, WorkerId, london,
};
use homeward_store::{Backend, VisitChanges, VisitFilter};
use jiff::{SignedDuration, Timestamp};
use support::{App, Caller, csrf_token, on_both};

const WORKER_API: Caller = Caller::Client(Role::CareWorker);
const PROVIDER_API: Caller = Caller::Client(Role::ProviderUser);
const WORKER_PAGE: Caller = Caller::Browser(Role::CareWorker);

/// This minute, as visits are planned.
fn this_minute() -> Timestamp {
    Timestamp::from_second(Timestamp::now().as_second() / 60 * 60).unwrap()
}

/// A planned visit of `provider` for the person of the roster fixture, that began
/// `minutes_ago` minutes ago and lasts 45 minutes, stored as it would have been planned.
async fn visit_ago(app: &App, suffix: &str, provider: &ProviderId, minutes_ago: i64) -> Visit {
    let started = this_minute() - SignedDuration::from_mins(minutes_ago);
    let local = started.to_zoned(london().clone());
    let visit = Visit {
        id: VisitId::from_suffix(suffix).unwrap(),
        provider_id: provider.clone(),
        dated: DatedVisit {
            date: local.date(),
            local_start: local.time(),
            starts_at: started,
            duration_minutes: 45,
            ..app.ids.roster_visit.dated.clone()
        },
        status: VisitStatus::Planned,
    };
    let changes = VisitChanges {
        cancel: vec![],
        add: vec![visit.clone()],
    };
    app.store
        .change_visits(&changes, started, "test")
        .await
        .unwrap();
    visit
}

/// Stores `branch`'s roster for `date` holding each visit on its worker's run, as `status`.
async fn roster(
    app: &App,
    suffix: &str,
    branch: &Branch,
    stops: &[(&Visit, &WorkerId)],
    status: RosterStatus,
) {
    let date = stops[0].0.dated.date;
    let now = Timestamp::from_second(Timestamp::now().as_second()).unwrap();
    let roster = Roster {
        id: RosterId::from_suffix(suffix).unwrap(),
        branch_id: branch.id.clone(),
        date,
        status,
        changed_at: now,
        published_at: (status == RosterStatus::Published).then_some(now),
        stops: stops
            .iter()
            .map(|(visit, worker)| RosterStop {
                visit_id: visit.id.clone(),
                part: 0,
                worker_id: (*worker).clone(),
                starts_at: visit.dated.starts_at,
                travel_minutes: 10,
            })
            .collect(),
        unmade: vec![],
    };
    let action = match status {
        RosterStatus::Draft => "plan",
        RosterStatus::Published => "publish",
    };
    app.store
        .save_roster(&roster, action, "test")
        .await
        .unwrap();
}

fn branch_of<'a>(app: &'a App, worker: &WorkerId) -> &'a Branch {
    let branch = &app
        .market
        .workers
        .iter()
        .find(|candidate| &candidate.id == worker)
        .unwrap()
        .branch_id;
    app.market
        .branches
        .iter()
        .find(|candidate| &candidate.id == branch)
        .unwrap()
}

/// Another care worker of `branch` than `not`.
fn colleague(app: &App, branch: &Branch, not: &WorkerId) -> WorkerId {
    app.market
        .workers
        .iter()
        .find(|worker| worker.branch_id == branch.id && &worker.id != not)
        .map(|worker| worker.id.clone())
        .expect("the branch has two care workers")
}

fn event(
    key: &str,
    visit: &Visit,
    worker: &WorkerId,
    kind: CallEventKind,
    at: Timestamp,
) -> CallEvent {
    CallEvent {
        key: EventKey::parse(key, "key").unwrap(),
        visit_id: visit.id.clone(),
        worker_id: worker.clone(),
        kind,
        at,
        location: None,
        tasks: Default::default(),
        note: None,
    }
}

async fn send(app: &App, caller: Caller, event: &CallEvent) -> support::Response {
    app.send_json(
        "POST",
        "/api/v1/call-events",
        caller,
        &homeward_web::call_event_request_body(event),
    )
    .await
}

/// What call monitoring and the provider's invoice make of `visit` now: its check-in and
/// check-out, and the minutes its invoice line counts as verified.
async fn money_of(app: &App, visit: &Visit) -> (Option<Timestamp>, Option<Timestamp>, u32) {
    let now = Timestamp::now();
    let day = VisitFilter {
        provider_id: Some(visit.provider_id.clone()),
        ..VisitFilter::between(visit.dated.date, visit.dated.date)
    };
    let monitored =
        homeward_app::monitor(app.store.as_ref(), &day, &MonitoringRules::default(), now)
            .await
            .unwrap();
    let seen = monitored
        .iter()
        .find(|monitored| monitored.visit.id == visit.id)
        .expect("the visit is monitored");
    let invoice = homeward_app::invoicing::invoice(
        app.store.as_ref(),
        &visit.provider_id,
        InvoicePeriod::containing(visit.dated.date),
        now,
    )
    .await
    .unwrap()
    .unwrap();
    let verified = invoice
        .invoice
        .lines
        .iter()
        .find(|line| line.visit_id.as_ref() == Some(&visit.id))
        .map(|line| line.verified_minutes)
        .expect("the visit is on the provider's invoice");
    (seen.arrived, seen.left, verified)
}

/// Asserts that `answer` refused the event with `status`, naming `field` (for a 422), with a
/// message holding `words`.
fn refused(answer: &support::Response, status: u16, field: Option<&str>, words: &str) {
    assert_eq!(answer.status, status, "{}", answer.body);
    let error = &answer.json()["error"];
    assert_eq!(error["field"].as_str(), field, "{}", answer.body);
    let message = error["message"].as_str().unwrap();
    assert!(message.contains(words), "{words:?} in {message:?}");
}

async fn only_rostered_care_at_believable_times_is_taken(backend: Backend) {
    let app = support::start(backend).await;
    let ids = &app.ids;
    let ours = branch_of(&app, &ids.worker_a).clone();
    let colleague = colleague(&app, &ours, &ids.worker_a);
    let other_branch = app
        .market
        .branches
        .iter()
        .find(|branch| branch.provider_id == ids.provider_a && branch.id != ours.id)
        .expect("provider A has two branches")
        .clone();
    let other_branch_worker = app
        .market
        .workers
        .iter()
        .find(|worker| worker.branch_id == other_branch.id)
        .expect("the other branch has care workers")
        .id
        .clone();

    // Worker A's visit and a colleague's on the branch's published roster, begun an hour ago;
    // another branch's visit on its own published roster; a visit on a draft roster of 28
    // hours ago (so another day); a visit three weeks ago, rostered and published.
    let own = visit_ago(&app, "own-visit", &ids.provider_a, 60).await;
    let colleagues = visit_ago(&app, "colleagues", &ids.provider_a, 61).await;
    let elsewhere = visit_ago(&app, "elsewhere", &ids.provider_a, 62).await;
    let drafted = visit_ago(&app, "drafted", &ids.provider_a, 28 * 60).await;
    let weeks_ago = visit_ago(&app, "weeks-ago", &ids.provider_a, 21 * 24 * 60).await;
    assert_ne!(drafted.dated.date, own.dated.date);
    roster(
        &app,
        "today",
        &ours,
        &[(&own, &ids.worker_a), (&colleagues, &colleague)],
        RosterStatus::Published,
    )
    .await;
    roster(
        &app,
        "other-branch",
        &other_branch,
        &[(&elsewhere, &other_branch_worker)],
        RosterStatus::Published,
    )
    .await;
    roster(
        &app,
        "drafted",
        &ours,
        &[(&drafted, &ids.worker_a)],
        RosterStatus::Draft,
    )
    .await;
    roster(
        &app,
        "weeks-ago",
        &ours,
        &[(&weeks_ago, &ids.worker_a)],
        RosterStatus::Published,
    )
    .await;
    let visits = [&own, &colleagues, &elsewhere, &drafted, &weeks_ago];
    let mut before = Vec::new();
    for visit in visits {
        before.push(money_of(&app, visit).await);
    }

    // Care worker A checks in to care not rostered to them: refused, naming the worker.
    let shortly_after = |visit: &Visit| visit.dated.starts_at + SignedDuration::from_mins(3);
    for (visit, words) in [
        (&colleagues, "published roster"),
        (&elsewhere, "published roster"),
        (&drafted, "published roster"),
    ] {
        let answer = send(
            &app,
            WORKER_API,
            &event(
                &format!("worker-a-{}", visit.id.as_str().replace('_', "-")),
                visit,
                &ids.worker_a,
                CallEventKind::CheckIn,
                shortly_after(visit),
            ),
        )
        .await;
        refused(&answer, 422, Some("worker_id"), words);
    }
    // A provider's system may not send for a worker the visit is not rostered to either.
    let answer = send(
        &app,
        PROVIDER_API,
        &event(
            "system-colleague-0001",
            &own,
            &colleague,
            CallEventKind::CheckIn,
            shortly_after(&own),
        ),
    )
    .await;
    refused(&answer, 422, Some("worker_id"), "published roster");

    // Times that are not believable: weeks before the visit, far in the future, a check-out
    // before the visit's window opens, ahead of the server's clock; and a visit weeks ago.
    let weeks_before = own.dated.starts_at - SignedDuration::from_hours(21 * 24);
    let cases: [(&str, &Visit, CallEventKind, Timestamp, &str); 5] = [
        (
            "backdated-0001",
            &own,
            CallEventKind::CheckIn,
            weeks_before,
            "2 hours before its planned start to 12 hours after its planned end",
        ),
        (
            "far-future-0001",
            &own,
            CallEventKind::CheckIn,
            "2099-01-01T00:00:00Z".parse().unwrap(),
            "2 hours before its planned start to 12 hours after its planned end",
        ),
        (
            "before-window-0001",
            &own,
            CallEventKind::CheckOut,
            "1900-01-01T00:00:00Z".parse().unwrap(),
            "2 hours before its planned start to 12 hours after its planned end",
        ),
        (
            "ahead-0001",
            &own,
            CallEventKind::CheckOut,
            Timestamp::now() + SignedDuration::from_mins(30),
            "is in the future",
        ),
        (
            "weeks-ago-0001",
            &weeks_ago,
            CallEventKind::CheckIn,
            shortly_after(&weeks_ago),
            "48 hours after its planned end",
        ),
    ];
    for (key, visit, kind, at, words) in cases {
        let answer = send(
            &app,
            WORKER_API,
            &event(key, visit, &ids.worker_a, kind, at),
        )
        .await;
        refused(&answer, 422, Some("at"), words);
    }

    // The phone page takes the same rules: a colleague's visit, and a time ahead of the clock.
    let csrf = csrf_token(Role::CareWorker);
    let ahead = (Timestamp::now() + SignedDuration::from_mins(30)).to_string();
    for (visit, at, words) in [
        (&colleagues, None, "published roster"),
        (&own, Some(ahead.as_str()), "is in the future"),
    ] {
        let mut fields = vec![
            ("csrf_token", csrf.clone()),
            (
                "key",
                format!("page-{}", visit.id.as_str().replace('_', "-")),
            ),
            ("visit_id", visit.id.to_string()),
            ("kind", "check_in".to_owned()),
        ];
        if let Some(at) = at {
            fields.push(("at", at.replace(':', "%3A")));
        }
        let body: Vec<String> = fields
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        let answer = app
            .send(
                "POST",
                "/today/events",
                WORKER_PAGE,
                Some("application/x-www-form-urlencoded"),
                &body.join("&"),
                &[("Accept", "application/json")],
            )
            .await;
        assert_eq!(answer.status, 422, "{}", answer.body);
        assert!(
            answer.json()["error"]["message"]
                .as_str()
                .unwrap()
                .contains(words),
            "{words} in {}",
            answer.body
        );
    }

    // Nothing refused reached monitoring or the invoice.
    for (visit, was) in visits.iter().zip(&before) {
        assert!(
            app.store.call_events(&visit.id).await.unwrap().is_empty(),
            "{}",
            visit.id
        );
        assert_eq!(&money_of(&app, visit).await, was, "{}", visit.id);
    }

    // Rostered care at believable times is taken: the care worker checks in, the provider's
    // system checks them out, and the invoice counts the minutes.
    let arrived = shortly_after(&own);
    let left = arrived + SignedDuration::from_mins(40);
    let answer = send(
        &app,
        WORKER_API,
        &event(
            "own-in-0001",
            &own,
            &ids.worker_a,
            CallEventKind::CheckIn,
            arrived,
        ),
    )
    .await;
    assert_eq!(answer.status, 201, "{}", answer.body);
    let answer = send(
        &app,
        PROVIDER_API,
        &event(
            "own-out-0001",
            &own,
            &ids.worker_a,
            CallEventKind::CheckOut,
            left,
        ),
    )
    .await;
    assert_eq!(answer.status, 201, "{}", answer.body);
    let (check_in, check_out, verified) = money_of(&app, &own).await;
    assert_eq!((check_in, check_out), (Some(arrived), Some(left)));
    assert_eq!(verified, 40);
}

/// Each provider's idempotency keys are its own: another provider's key is neither refused
/// nor revealed, and within one provider a key still stands for one event.
async fn each_provider_has_its_own_keys(backend: Backend) {
    let app = support::start(backend).await;
    let ids = &app.ids;
    let ours = branch_of(&app, &ids.worker_a).clone();
    let theirs = branch_of(&app, &ids.worker_b).clone();
    let own = visit_ago(&app, "own-visit", &ids.provider_a, 60).await;
    let their_visit = visit_ago(&app, "their-visit", &ids.provider_b, 59).await;
    roster(
        &app,
        "ours",
        &ours,
        &[(&own, &ids.worker_a)],
        RosterStatus::Published,
    )
    .await;
    roster(
        &app,
        "theirs",
        &theirs,
        &[(&their_visit, &ids.worker_b)],
        RosterStatus::Published,
    )
    .await;
    // Provider B's own system, with a token of its own.
    let system = Account {
        id: AccountId::from_suffix("provider-b-system").unwrap(),
        email: Email::parse("system@provider-b.example", "email").unwrap(),
        name: "Provider B's monitoring system".into(),
        role: Role::ProviderUser,
        scope: Scope::Provider(ids.provider_b.clone()),
        disabled: false,
    };
    app.store
        .put_account(&system, "(API token only)", "test")
        .await
        .unwrap();
    let (_, secret) = homeward_web::issue_api_token(
        app.store.as_ref(),
        &system.id,
        "tests".into(),
        homeward_web::TokenLifetime::DEFAULT,
        jiff::Timestamp::now(),
        "test",
    )
    .await
    .unwrap();
    let send_as_b = |event: &CallEvent| {
        let body = homeward_web::call_event_request_body(event);
        let authorization = format!("Bearer {secret}");
        let app = &app;
        async move {
            app.send(
                "POST",
                "/api/v1/call-events",
                Caller::Anonymous,
                Some("application/json"),
                &body,
                &[("Authorization", authorization.as_str())],
            )
            .await
        }
    };

    let key = "shared-key-0001";
    let at = |visit: &Visit| visit.dated.starts_at + SignedDuration::from_mins(2);
    let ours_in = event(key, &own, &ids.worker_a, CallEventKind::CheckIn, at(&own));
    let theirs_in = event(
        key,
        &their_visit,
        &ids.worker_b,
        CallEventKind::CheckIn,
        at(&their_visit),
    );
    let first = send(&app, PROVIDER_API, &ours_in).await;
    assert_eq!(first.status, 201, "{}", first.body);
    let second = send_as_b(&theirs_in).await;
    assert_eq!(
        second.status, 201,
        "another provider's key is its own: {}",
        second.body
    );
    assert_eq!(second.json()["status"], "stored");
    // Within provider B the key is taken: the same event again is stored once, another is a
    // conflict.
    let again = send_as_b(&theirs_in).await;
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(again.json()["status"], "already_stored");
    let mut other = theirs_in.clone();
    other.at += SignedDuration::from_mins(1);
    assert_eq!(send_as_b(&other).await.status, 409);
    assert_eq!(app.store.call_events(&own.id).await.unwrap(), [ours_in]);
    assert_eq!(
        app.store.call_events(&their_visit.id).await.unwrap(),
        [theirs_in]
    );
}

on_both!(
    only_rostered_care_at_believable_times_is_taken,
    each_provider_has_its_own_keys
);
