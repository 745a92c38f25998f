//! The API reads JSON bodies only, says so in its document, and answers as downloads.
//!
//! A body sent under any other `Content-Type` (or none) is refused with 415 and the API's error
//! body before it is read, so that nothing is stored from it; every operation that takes a body
//! documents 415, and 408 for a body that does not arrive in time. Every answer under `/api/`
//! carries `Content-Disposition: attachment`, so that a browser led to an API address saves the
//! answer rather than showing it as a page.

mod support;

use homeward_domain::Role;
use homeward_store::{AuditFilter, Backend};
use homeward_web::{ROUTES, Route};
use support::{App, Caller, Response, allowed_role, record_path};

/// What a JSON answer of the API says about itself.
const API_DISPOSITION: &str = "attachment; filename=\"api.json\"";

fn api_routes() -> impl Iterator<Item = &'static Route> {
    ROUTES
        .iter()
        .filter(|route| route.path.starts_with("/api/"))
}

async fn openapi(app: &App) -> serde_json::Value {
    app.get("/api/v1/openapi.json", Caller::Anonymous)
        .await
        .json()
}

/// The API routes that read a body, by the document.
fn routes_with_a_body(document: &serde_json::Value) -> Vec<&'static Route> {
    let routes: Vec<_> = api_routes()
        .filter(|route| {
            document["paths"][route.path][route.method.to_lowercase()]["requestBody"].is_object()
        })
        .collect();
    assert!(routes.len() >= 8, "the document lists the bodies");
    routes
}

/// A body the route would take as JSON, where one can be written without looking anything up:
/// sent under another type, it must change nothing all the same.
fn good_body(route: &Route) -> &'static str {
    match route.path {
        "/api/v1/tokens" => r#"{"name":"sent as another type"}"#,
        "/api/v1/areas/{id}" => r#"{"name":"Sent as another type"}"#,
        _ => "{}",
    }
}

/// The error's code, message and field, when the answer is the API's error body.
fn error_of(response: &Response) -> Option<(String, String, serde_json::Value)> {
    let body: serde_json::Value = serde_json::from_str(&response.body).ok()?;
    let error = &body["error"];
    Some((
        error["code"].as_str()?.to_owned(),
        error["message"].as_str()?.to_owned(),
        error["field"].clone(),
    ))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_with_a_body_documents_415_and_408() {
    let app = support::start(Backend::Sqlite).await;
    let document = openapi(&app).await;
    let mut missing = Vec::new();
    for route in routes_with_a_body(&document) {
        let operation = &document["paths"][route.path][route.method.to_lowercase()];
        let content = &operation["requestBody"]["content"];
        let types: Vec<&String> = content.as_object().unwrap().keys().collect();
        assert_eq!(
            types,
            ["application/json"],
            "{} {}",
            route.method,
            route.path
        );
        for status in ["408", "413", "415"] {
            if !operation["responses"][status].is_object() {
                missing.push(format!(
                    "{} {} does not document {status}",
                    route.method, route.path
                ));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

async fn a_body_that_is_not_json_is_refused_and_nothing_is_stored(backend: Backend) {
    let app = support::start(backend).await;
    let document = openapi(&app).await;
    let audited = || async {
        app.store
            .audit_events(&AuditFilter::default(), 0, 0)
            .await
            .unwrap()
            .total
    };
    let areas = app.store.areas().await.unwrap();
    let audited_before = audited().await;
    let mut failures = Vec::new();
    for route in routes_with_a_body(&document) {
        let role = allowed_role(route).expect("no public API route reads a body");
        let path = record_path(&app, route.path);
        for content_type in [
            None,
            Some("text/plain"),
            Some("application/x-www-form-urlencoded"),
            Some("multipart/form-data; boundary=x"),
            Some("application/jsonx"),
            Some("text/json"),
            Some("application/json; charset=iso-8859-1"),
        ] {
            let response = app
                .send(
                    route.method,
                    &path,
                    Caller::Client(role),
                    content_type,
                    good_body(route),
                    &[],
                )
                .await;
            let error = error_of(&response);
            let refused = response.status == 415
                && error.as_ref().is_some_and(|(code, message, field)| {
                    code == "unsupported_media_type"
                        && message.contains("Content-Type")
                        && field.is_null()
                });
            if !refused {
                failures.push(format!(
                    "{} {} as {content_type:?}: {} {}",
                    route.method, route.path, response.status, response.body
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(audited().await, audited_before, "something was stored");
    assert_eq!(app.store.areas().await.unwrap(), areas);

    // JSON is taken whatever the case of its name, with UTF-8 named or not.
    let area = &app.ids.area;
    for (content_type, rural) in [
        ("application/json", true),
        ("Application/JSON; charset=utf-8", false),
        ("application/json;charset=\"UTF-8\"", true),
    ] {
        let response = app
            .send(
                "PATCH",
                &format!("/api/v1/areas/{area}"),
                Caller::Client(Role::Commissioner),
                Some(content_type),
                &format!(r#"{{"rural":{rural}}}"#),
                &[],
            )
            .await;
        assert_eq!(response.status, 200, "{content_type}: {}", response.body);
        assert_eq!(response.json()["rural"], rural, "{content_type}");
    }
}

support::on_both!(a_body_that_is_not_json_is_refused_and_nothing_is_stored);

/// Every API route as a client it allows and as nobody, and the API's own refusals: each answer
/// says it is a download. A handler's own disposition (the runs' calendar) stands.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_api_answer_is_an_attachment() {
    let app = support::start(Backend::Sqlite).await;
    let mut answers = Vec::new();
    for route in api_routes() {
        let path = record_path(&app, route.path);
        let mut callers = vec![Caller::Anonymous];
        if let Some(role) = allowed_role(route) {
            callers.push(Caller::Client(role));
        }
        for caller in callers {
            let response = match route.method {
                "GET" => app.get(&path, caller).await,
                method => app.send_json(method, &path, caller, "{}").await,
            };
            answers.push((
                format!("{} {} as {caller:?}", route.method, route.path),
                response,
            ));
        }
    }
    let client = Caller::Client(Role::Commissioner);
    answers.push((
        "an API address that does not exist".to_owned(),
        app.get("/api/v1/no-such", client).await,
    ));
    answers.push((
        "a method the API does not take".to_owned(),
        app.send("PUT", "/api/v1/areas", client, None, "", &[])
            .await,
    ));
    answers.push((
        "a body that is not JSON".to_owned(),
        app.send(
            "POST",
            "/api/v1/tokens",
            client,
            Some("text/plain"),
            "{}",
            &[],
        )
        .await,
    ));
    let mut failures = Vec::new();
    for (label, response) in &answers {
        let dispositions = response.headers_named("content-disposition");
        let json = response
            .header("content-type")
            .is_some_and(|kind| kind.starts_with("application/json"));
        let good = match dispositions.as_slice() {
            [value] if json => *value == API_DISPOSITION,
            [value] => value.starts_with("attachment"),
            _ => false,
        };
        if !good {
            failures.push(format!("{label} ({}): {dispositions:?}", response.status));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let calendar = app
        .get(
            &format!("/api/v1/workers/{}/runs.ics", app.ids.worker_a),
            Caller::Client(Role::ProviderUser),
        )
        .await;
    assert_eq!(calendar.status, 200);
    assert_eq!(
        calendar.header("content-disposition"),
        Some("attachment; filename=\"runs.ics\"")
    );
    // Pages are shown, not saved.
    for path in ["/market", "/sign-in", "/no-such-page"] {
        let page = app.get(path, Caller::Browser(Role::Commissioner)).await;
        assert_eq!(page.header("content-disposition"), None, "{path}");
    }
}
