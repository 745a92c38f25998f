//! The audit trail over the real server: the API gives each record before and after as JSON,
//! the page shows them, a change that changes nothing leaves no entry, and a correction keeps
//! the times it replaced. On SQLite and PostgreSQL.

mod support;

use homeward_domain::{Area, Correction, CorrectionId, CorrectionReason, Role};
use homeward_store::{AuditFilter, Backend};
use support::{App, Caller, csrf_token, on_both};

const COMMISSIONER: Role = Role::Commissioner;

async fn stored_area(app: &App) -> Area {
    app.store
        .areas()
        .await
        .unwrap()
        .into_iter()
        .find(|area| area.id.as_str() == app.ids.area)
        .unwrap()
}

async fn entries_about(app: &App, record_id: &str) -> u64 {
    let filter = AuditFilter {
        record_id: Some(record_id.to_owned()),
        ..AuditFilter::default()
    };
    app.store.audit_events(&filter, 0, 0).await.unwrap().total
}

async fn the_audit_api_gives_records_as_json(backend: Backend) {
    let app = support::start(backend).await;
    let area = stored_area(&app).await;
    let path = format!("/api/v1/areas/{}", area.id);
    let changed = app
        .send_json(
            "PATCH",
            &path,
            Caller::Client(COMMISSIONER),
            &format!(r#"{{"rural":{}}}"#, !area.rural),
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.body);

    let listed = app
        .get(
            &format!("/api/v1/audit?record_id={}", area.id),
            Caller::Client(COMMISSIONER),
        )
        .await;
    assert_eq!(listed.status, 200, "{}", listed.body);
    let items = listed.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 1);
    let (before, after) = (&items[0]["before"], &items[0]["after"]);
    assert!(before.is_object(), "{before}");
    assert!(after.is_object(), "{after}");
    assert_eq!(before["rural"], i64::from(area.rural));
    assert_eq!(after["rural"], i64::from(!area.rural));
    assert_eq!(after["id"], area.id.as_str());

    // A sign-in's `after` is the client, as an object too; a batch's is an array of records.
    let signed_in = app
        .get(
            "/api/v1/audit?action=sign-in&per_page=1",
            Caller::Client(COMMISSIONER),
        )
        .await;
    let sign_in = &signed_in.json()["items"][0];
    assert_eq!(sign_in["after"], serde_json::json!({"client": "test"}));
    assert!(sign_in["before"].is_null());
    let created = app
        .get(
            "/api/v1/audit?action=create&record_kind=account&per_page=1",
            Caller::Client(COMMISSIONER),
        )
        .await;
    assert!(created.json()["items"][0]["after"].is_object());

    // The document says so.
    let document = app
        .get("/api/v1/openapi.json", Caller::Anonymous)
        .await
        .json();
    let schema = &document["components"]["schemas"]["AuditEventDto"]["properties"]["after"];
    assert_ne!(schema["type"], "string", "{schema}");
    assert!(
        !schema.to_string().contains("\"string\""),
        "after is no longer text: {schema}"
    );
}

async fn a_change_that_changes_nothing_is_not_audited(backend: Backend) {
    let app = support::start(backend).await;
    let area = stored_area(&app).await;
    let path = format!("/api/v1/areas/{}", area.id);
    let before = app.get(&path, Caller::Client(COMMISSIONER)).await;
    let version = app.store.register_version().await.unwrap();

    // The API: every field as it is, or none at all.
    for body in [
        format!(
            r#"{{"name":{},"district":{},"tier":{},"rural":{},"hard_to_serve":{}}}"#,
            serde_json::to_string(&area.name).unwrap(),
            serde_json::to_string(&area.district).unwrap(),
            area.tier.number(),
            area.rural,
            area.hard_to_serve
        ),
        r#"{}"#.to_owned(),
    ] {
        let answer = app
            .send_json("PATCH", &path, Caller::Client(COMMISSIONER), &body)
            .await;
        assert_eq!(answer.status, 200, "{body}: {}", answer.body);
        assert_eq!(answer.json(), before.json(), "answered as today");
    }
    // The page's form, as it is.
    let mut form = format!(
        "csrf_token={}&name={}&district={}&tier={}",
        csrf_token(COMMISSIONER),
        form_encode(&area.name),
        form_encode(&area.district),
        area.tier.code()
    );
    if area.rural {
        form.push_str("&rural=yes");
    }
    if area.hard_to_serve {
        form.push_str("&hard_to_serve=yes");
    }
    let saved = app
        .post_form(
            &format!("/areas/{}/edit", area.id),
            Caller::Browser(COMMISSIONER),
            &form,
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(
        saved.header("location"),
        Some(format!("/areas/{}", area.id).as_str())
    );

    assert_eq!(entries_about(&app, area.id.as_str()).await, 0);
    assert_eq!(app.store.register_version().await.unwrap(), version);
    assert_eq!(stored_area(&app).await, area);

    // A real change is audited, once.
    let answer = app
        .send_json(
            "PATCH",
            &path,
            Caller::Client(COMMISSIONER),
            r#"{"district":"Somewhere else"}"#,
        )
        .await;
    assert_eq!(answer.status, 200);
    assert_eq!(entries_about(&app, area.id.as_str()).await, 1);
}

/// Percent-encodes a form value.
fn form_encode(value: &str) -> String {
    value
        .bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (byte as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

async fn a_correction_shows_the_times_it_replaced(backend: Backend) {
    let app = support::start(backend).await;
    let visit = &app.ids.roster_visit;
    let at = |minutes: i64| visit.dated.starts_at + jiff::SignedDuration::from_mins(minutes);
    let correction = |suffix: &str, arrived: i64, left: i64| Correction {
        id: CorrectionId::from_suffix(suffix).unwrap(),
        visit_id: visit.id.clone(),
        check_in: Some(at(arrived)),
        check_out: Some(at(left)),
        reason: CorrectionReason::PhoneFailed,
        note: None,
        corrected_by: "acc_test-provider".into(),
        corrected_at: jiff::Timestamp::now(),
    };
    let first = correction("first-fix", 2, 47);
    let mut second = correction("second-fix", 4, 49);
    second.corrected_at += jiff::SignedDuration::from_mins(1);
    for made in [&first, &second] {
        app.store
            .correct_visit(made, "acc_test-provider")
            .await
            .unwrap();
    }
    let listed = app
        .get(
            "/api/v1/audit?record_kind=correction",
            Caller::Client(COMMISSIONER),
        )
        .await;
    let items = listed.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 2);
    // The first replaced no phone times; the second replaced the first.
    assert_eq!(
        items[1]["before"],
        serde_json::json!({
            "visit_id": visit.id.as_str(),
            "check_in_at": null,
            "check_out_at": null,
        })
    );
    assert_eq!(items[0]["before"], items[1]["after"]);
    assert_eq!(items[0]["before"]["id"], "cor_first-fix");

    // The page shows both, escaped.
    let page = app
        .get(
            "/audit?record_kind=correction",
            Caller::Browser(COMMISSIONER),
        )
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Before: <code>"), "{}", page.body);
    assert!(
        page.body
            .contains("&#34;check_in_at&#34;:null,&#34;check_out_at&#34;:null"),
        "{}",
        page.body
    );
    assert!(page.body.contains("&#34;id&#34;:&#34;cor_first-fix&#34;"));
}

on_both!(
    the_audit_api_gives_records_as_json,
    a_change_that_changes_nothing_is_not_audited,
    a_correction_shows_the_times_it_replaced
);
