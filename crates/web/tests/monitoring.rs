//! Call monitoring pages over the real server: a provider sees its own late and missed visits,
//! the council every provider's with the alerts raised to it, a visit's record shows its
//! events, and a coordinator corrects a visit's times (bad times named, another provider's
//! visit not found). On SQLite and PostgreSQL.

mod support;

use homeward_domain::{
    CallEvent, CallEventKind, DatedVisit, EventKey, ProviderId, Role, Visit, VisitId, VisitStatus,
    london,
};
use homeward_store::{Backend, VisitChanges};
use jiff::{SignedDuration, Timestamp};
use support::{App, Caller, csrf_token};

const PROVIDER: Caller = Caller::Browser(Role::ProviderUser);
const BROKER: Caller = Caller::Browser(Role::Broker);

/// A visit of `provider` that began `minutes_ago`, for the person of the roster fixture (who is
/// provider A's), stored as it would have been planned.
async fn past_visit(app: &App, suffix: &str, provider: &ProviderId, minutes_ago: i64) -> Visit {
    let template = &app.ids.roster_visit;
    let started = Timestamp::from_second(Timestamp::now().as_second() / 60 * 60).unwrap()
        - SignedDuration::from_mins(minutes_ago);
    let local = started.to_zoned(london().clone());
    let visit = Visit {
        id: VisitId::from_suffix(suffix).unwrap(),
        provider_id: provider.clone(),
        dated: DatedVisit {
            date: local.date(),
            local_start: local.time(),
            starts_at: started,
            duration_minutes: 40,
            ..template.dated.clone()
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

fn form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(key, value)| format!("{key}={}", value.replace(':', "%3A").replace(' ', "+")))
        .collect::<Vec<_>>()
        .join("&")
}

async fn late_and_missed_visits_reach_the_provider_and_the_council(backend: Backend) {
    let app = support::start(backend).await;
    let ids = &app.ids;
    let missed = past_visit(&app, "missed-one", &ids.provider_a, 150).await;
    let late = past_visit(&app, "late-one", &ids.provider_a, 60).await;
    let theirs = past_visit(&app, "their-missed", &ids.provider_b, 149).await;
    let check_in = CallEvent {
        key: EventKey::parse("late-one-in-0001", "key").unwrap(),
        visit_id: late.id.clone(),
        worker_id: ids.worker_a.clone(),
        kind: CallEventKind::CheckIn,
        at: late.dated.starts_at + SignedDuration::from_mins(35),
        location: None,
        tasks: Default::default(),
        note: None,
    };
    app.store
        .record_call_event(&check_in, Timestamp::now(), "test")
        .await
        .unwrap();

    // Each visit's own day (they may straddle midnight).
    let day_of = |visit: &Visit| format!("/monitoring?date={}", visit.dated.date);
    let provider_missed = app.get(&day_of(&missed), PROVIDER).await;
    assert_eq!(provider_missed.status, 200);
    assert!(
        provider_missed.body.contains("Missed: nobody checked in"),
        "{}",
        provider_missed.body
    );
    assert!(provider_missed.body.contains("Provider and council"));
    assert!(
        !provider_missed.body.contains(theirs.id.as_str()),
        "another provider's visit"
    );
    let provider_late = app.get(&day_of(&late), PROVIDER).await;
    assert!(
        provider_late.body.contains("Late by 20 min"),
        "{}",
        provider_late.body
    );

    // The council sees both providers' missed visits and the alert raised to it.
    let council = app.get(&day_of(&missed), BROKER).await;
    assert!(council.body.contains(missed.id.as_str()) && council.body.contains(theirs.id.as_str()));
    assert!(council.body.contains("Council alerted"));

    // The API says the same to machine clients, in scope.
    let api_path = format!(
        "/api/v1/monitoring?date={}&show=all&per_page=200",
        missed.dated.date
    );
    let app_ref = &app;
    let api = |caller| {
        let path = api_path.clone();
        async move { app_ref.get(&path, caller).await.json() }
    };
    let ours = api(Caller::Client(Role::ProviderUser)).await;
    let item = |body: &serde_json::Value, id: &VisitId| {
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|item| item["visit_id"] == id.as_str())
            .cloned()
    };
    let seen = item(&ours, &missed.id).expect("the provider's missed visit");
    assert_eq!(seen["punctuality"], "missed");
    assert_eq!(
        seen["alerts"],
        serde_json::json!(["provider_late", "provider_missed", "council_missed"])
    );
    assert!(item(&ours, &theirs.id).is_none());
    let everyone = api(Caller::Client(Role::Broker)).await;
    assert!(item(&everyone, &theirs.id).is_some());
    let bad_day = app
        .get(
            "/api/v1/monitoring?date=yesterday",
            Caller::Client(Role::ProviderUser),
        )
        .await;
    assert_eq!(bad_day.status, 422);
    assert_eq!(bad_day.json()["error"]["field"], "date");

    // The visit's record shows its check-in; another provider's visit is not found.
    let record = app.get(&format!("/visits/{}", late.id), PROVIDER).await;
    assert_eq!(record.status, 200);
    assert!(record.body.contains("Check-in"));
    assert_eq!(
        app.get(&format!("/visits/{}", theirs.id), PROVIDER)
            .await
            .status,
        404
    );
    assert_eq!(
        app.get(&format!("/visits/{}", theirs.id), BROKER)
            .await
            .status,
        200
    );

    // The coordinator corrects the missed visit; bad times are named and change nothing.
    let csrf = csrf_token(Role::ProviderUser);
    let path = format!("/visits/{}/corrections", missed.id);
    let began = missed
        .dated
        .starts_at
        .to_zoned(london().clone())
        .strftime("%H:%M")
        .to_string();
    let ended = (missed.dated.starts_at + SignedDuration::from_mins(40))
        .to_zoned(london().clone())
        .strftime("%H:%M")
        .to_string();
    let bad = app
        .post_form(
            &path,
            PROVIDER,
            &form(&[
                ("csrf_token", &csrf),
                ("check_in", "8 o'clock"),
                ("reason", "phone-failed"),
            ]),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("Enter a time such as 08:05"));
    let unexplained = app
        .post_form(
            &path,
            PROVIDER,
            &form(&[
                ("csrf_token", &csrf),
                ("check_in", &began),
                ("check_out", &ended),
                ("reason", "other"),
            ]),
        )
        .await;
    assert_eq!(unexplained.status, 422);
    assert!(unexplained.body.contains("say why the times are corrected"));
    let filter = homeward_store::VisitFilter::between(missed.dated.date, missed.dated.date);
    assert!(app.store.corrections_of(&filter).await.unwrap().is_empty());
    let corrected = app
        .post_form(
            &path,
            PROVIDER,
            &form(&[
                ("csrf_token", &csrf),
                ("check_in", &began),
                ("check_out", &ended),
                ("reason", "phone-failed"),
                ("note", "No signal"),
            ]),
        )
        .await;
    assert_eq!(corrected.status, 303, "{}", corrected.body);
    let record = app.get(&format!("/visits/{}", missed.id), PROVIDER).await;
    assert!(record.body.contains("The phone did not work"));
    assert!(
        record.body.contains("On time"),
        "monitoring takes the corrected times"
    );
    // Another provider's visit cannot be corrected, and the council corrects nothing.
    let other = app
        .post_form(
            &format!("/visits/{}/corrections", theirs.id),
            PROVIDER,
            &form(&[
                ("csrf_token", &csrf),
                ("check_in", &began),
                ("reason", "phone-failed"),
            ]),
        )
        .await;
    assert_eq!(other.status, 404);
    let broker = app
        .post_form(
            &path,
            BROKER,
            &form(&[
                ("csrf_token", &csrf_token(Role::Broker)),
                ("check_in", &began),
                ("reason", "phone-failed"),
            ]),
        )
        .await;
    assert_eq!(broker.status, 403);

    // Through the API: a correction made, a bad reason named, another provider's visit not found.
    let client = Caller::Client(Role::ProviderUser);
    let body = serde_json::json!({
        "check_in": late.dated.starts_at.to_string(),
        "check_out": (late.dated.starts_at + SignedDuration::from_mins(40)).to_string(),
        "reason": "forgot-check-in",
    })
    .to_string();
    let made = app
        .send_json(
            "POST",
            &format!("/api/v1/visits/{}/corrections", late.id),
            client,
            &body,
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.body);
    assert_eq!(made.json()["reason"], "forgot-check-in");
    let bad = app
        .send_json(
            "POST",
            &format!("/api/v1/visits/{}/corrections", late.id),
            client,
            r#"{"reason":"dog-ate-it"}"#,
        )
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json()["error"]["field"], "reason");
    let other = app
        .send_json(
            "POST",
            &format!("/api/v1/visits/{}/corrections", theirs.id),
            client,
            &body,
        )
        .await;
    assert_eq!(other.status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn late_and_missed_visits_reach_the_provider_and_the_council_on_sqlite() {
    late_and_missed_visits_reach_the_provider_and_the_council(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn late_and_missed_visits_reach_the_provider_and_the_council_on_postgres() {
    late_and_missed_visits_reach_the_provider_and_the_council(Backend::Postgres).await;
}
