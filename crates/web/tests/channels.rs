//! Each channel keeps to its own credentials, and no route takes a body over the server's limit.
//!
//! The API answers bearer tokens only: a browser's session cookie, which a browser sends by
//! itself with any request another site makes it send, gets 401. The pages answer session
//! cookies only: a bearer token gets the sign-in page. And every route that reads a body refuses
//! one over 2 MiB (axum's limit for every body extractor) with 413, storing nothing: the API's
//! error body under `/api/`, a page elsewhere.

mod support;

use homeward_domain::Role;
use homeward_store::{AuditFilter, Backend};
use homeward_web::{ROUTES, Route};
use std::time::Duration;
use support::{App, Caller, ROLES, Response, allowed_role, csrf_token, record_path};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The most a body may hold: axum's default limit, which no route raises.
const BODY_LIMIT: usize = 2 * 1024 * 1024;

fn is_api(route: &Route) -> bool {
    route.path.starts_with("/api/")
}

/// Each role's session cookie and API token are good: a page and an API route every signed-in
/// account may use let the role in.
async fn credentials_work(app: &App) {
    for role in ROLES {
        assert_eq!(
            app.get("/account/password", Caller::Browser(role))
                .await
                .status,
            200,
            "{role:?}"
        );
        assert_eq!(
            app.get("/api/v1/me", Caller::Client(role)).await.status,
            200,
            "{role:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_ignores_a_session_cookie() {
    let app = support::start(Backend::Sqlite).await;
    credentials_work(&app).await;
    let mut failures = Vec::new();
    for route in ROUTES.iter().filter(|route| is_api(route)) {
        let Some(role) = allowed_role(route) else {
            continue;
        };
        let path = record_path(&app, route.path);
        let response = app
            .send(route.method, &path, Caller::Browser(role), None, "", &[])
            .await;
        let code = serde_json::from_str::<serde_json::Value>(&response.body)
            .ok()
            .and_then(|body| body["error"]["code"].as_str().map(str::to_owned));
        if (response.status, code.as_deref()) != (401, Some("unauthenticated")) {
            failures.push(format!(
                "{} {} with {role:?}'s session cookie: {} {}",
                route.method, route.path, response.status, response.body
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    credentials_work(&app).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_ignores_a_bearer_token() {
    let app = support::start(Backend::Sqlite).await;
    credentials_work(&app).await;
    let mut failures = Vec::new();
    for route in ROUTES.iter().filter(|route| !is_api(route)) {
        let Some(role) = allowed_role(route) else {
            continue;
        };
        let path = record_path(&app, route.path);
        let response = app
            .send(
                route.method,
                &path,
                Caller::Client(role),
                Some("application/x-www-form-urlencoded"),
                &format!("csrf_token={}", csrf_token(role)),
                &[],
            )
            .await;
        let to_sign_in = response
            .header("location")
            .is_some_and(|location| location.starts_with("/sign-in?next="));
        if response.status != 303 || !to_sign_in {
            failures.push(format!(
                "{} {} with {role:?}'s API token: {} {:?}",
                route.method,
                route.path,
                response.status,
                response.header("location")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    credentials_work(&app).await;
}

/// Sends `method path` declaring a body of 3 MiB, of which it sends `start` and then filler up to
/// one byte over the limit, and reads the answer. It stops there so that the server has read all
/// that was sent when it closes the connection: a close with unread data resets the connection,
/// which may destroy the answer before the test reads it. The server cannot tell this from a
/// body that goes on.
async fn send_over_the_limit(
    app: &App,
    method: &str,
    path: &str,
    caller: Caller,
    content_type: &str,
    start: &str,
) -> Response {
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\
         Content-Type: {content_type}\r\nContent-Length: {}\r\n",
        3 * 1024 * 1024
    );
    match caller {
        Caller::Anonymous => {}
        Caller::Browser(role) => head.push_str(&format!(
            "Cookie: homeward_session={}\r\n",
            support::session_token(role)
        )),
        Caller::Client(role) => head.push_str(&format!(
            "Authorization: Bearer {}\r\n",
            support::api_token(role)
        )),
    }
    head.push_str("\r\n");
    let mut body = start.as_bytes().to_vec();
    body.resize(BODY_LIMIT + 1, b'a');
    let mut stream = TcpStream::connect(app.address).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&body).await.unwrap();
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut raw))
        .await
        .unwrap_or_else(|_| panic!("{method} {path}: no answer to a body over the limit"))
        .unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(key, value)| (key.trim().to_owned(), value.trim().to_owned()))
        .collect();
    Response {
        status,
        headers,
        body: body.to_owned(),
    }
}

/// What is wrong with the answer to a body over the limit.
fn problems_with_refusal(response: &Response, api: bool) -> Vec<String> {
    let mut problems = Vec::new();
    if response.status != 413 {
        problems.push(format!("status {}, not 413", response.status));
    }
    let content_type = response.header("content-type").unwrap_or_default();
    if api {
        let code = serde_json::from_str::<serde_json::Value>(&response.body)
            .ok()
            .map(|body| {
                (
                    body["error"]["code"].clone(),
                    body["error"]["field"].clone(),
                )
            });
        if code != Some((serde_json::json!("too_large"), serde_json::Value::Null)) {
            problems.push(format!("not the API's too_large error: {}", response.body));
        }
    } else if !content_type.starts_with("text/html") || !response.body.contains("<h1") {
        problems.push(format!(
            "not a page ({content_type}): {}",
            &response.body[..response.body.len().min(200)]
        ));
    }
    if response
        .headers_named("set-cookie")
        .iter()
        .any(|cookie| cookie.starts_with("homeward_session="))
    {
        problems.push("a session was started".to_owned());
    }
    problems
}

async fn a_body_over_the_limit_is_refused_and_nothing_is_stored(backend: Backend) {
    let app = support::start(backend).await;
    let document = app
        .get("/api/v1/openapi.json", Caller::Anonymous)
        .await
        .json();
    let audited = || async {
        app.store
            .audit_events(&AuditFilter::default(), 0, 0)
            .await
            .unwrap()
            .total
    };
    let areas = app.store.areas().await.unwrap();
    let audited_before = audited().await;
    // Every route that reads a body: every page form, and each API operation the document says
    // takes one (the others never read what is sent).
    let mut routes: Vec<&Route> = ROUTES
        .iter()
        .filter(|route| {
            if is_api(route) {
                document["paths"][route.path][route.method.to_lowercase()]["requestBody"]
                    .is_object()
            } else {
                route.method == "POST"
            }
        })
        .collect();
    routes.sort_by_key(|route| route.path == "/sign-out");
    assert!(routes.iter().filter(|route| is_api(route)).count() >= 8);
    let mut failures = Vec::new();
    for route in routes {
        let role = allowed_role(route);
        let path = record_path(&app, route.path);
        let response = if is_api(route) {
            let caller = Caller::Client(role.expect("no public API route reads a body"));
            send_over_the_limit(
                &app,
                route.method,
                &path,
                caller,
                "application/json",
                "{\"name\":\"",
            )
            .await
        } else {
            let caller = role.map_or(Caller::Anonymous, Caller::Browser);
            let csrf = role.map(csrf_token).unwrap_or_default();
            send_over_the_limit(
                &app,
                route.method,
                &path,
                caller,
                "application/x-www-form-urlencoded",
                &format!("csrf_token={csrf}&email=a%40test.example&name="),
            )
            .await
        };
        for problem in problems_with_refusal(&response, is_api(route)) {
            failures.push(format!("{} {}: {problem}", route.method, route.path));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(audited().await, audited_before, "something was stored");
    assert_eq!(app.store.areas().await.unwrap(), areas);
    // Every session is still open: signing out with a body over the limit did not sign out.
    credentials_work(&app).await;
}

support::on_both!(a_body_over_the_limit_is_refused_and_nothing_is_stored);

/// Sends `method path` on a connection the client would keep open, declaring a body of 1 MiB of
/// which it sends only the start, and reads until the server closes the connection.
async fn refused_before_the_body(app: &App, method: &str, path: &str, caller: Caller) -> String {
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\n\
         Content-Length: {}\r\n",
        1024 * 1024
    );
    match caller {
        Caller::Anonymous => {}
        Caller::Browser(role) => head.push_str(&format!(
            "Cookie: homeward_session={}\r\n",
            support::session_token(role)
        )),
        Caller::Client(role) => head.push_str(&format!(
            "Authorization: Bearer {}\r\n",
            support::api_token(role)
        )),
    }
    head.push_str("\r\n{\"name\":");
    let mut stream = TcpStream::connect(app.address).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut raw))
        .await
        .unwrap_or_else(|_| panic!("{method} {path}: the connection stayed open"))
        .unwrap();
    String::from_utf8_lossy(&raw).into_owned()
}

/// An answer given before the body was read cannot leave the connection open for another
/// request, since the rest of the body is still to come; it must say so, or a client that keeps
/// connections open sends its next request into a closed one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_before_the_body_is_read_says_the_connection_closes() {
    let app = support::start(Backend::Sqlite).await;
    let area_path = format!("/api/v1/areas/{}", app.ids.area);
    for (label, method, path, caller, expected) in [
        (
            "a role the route refuses",
            "POST",
            "/api/v1/call-events",
            Caller::Client(Role::Commissioner),
            403,
        ),
        ("no token", "POST", "/api/v1/tokens", Caller::Anonymous, 401),
        (
            "a body that is not JSON",
            "PATCH",
            &area_path,
            Caller::Client(Role::Commissioner),
            415,
        ),
        (
            "a page form without a session",
            "POST",
            "/account/tokens",
            Caller::Anonymous,
            303,
        ),
    ] {
        let answer = refused_before_the_body(&app, method, path, caller).await;
        let (head, _) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|code| code.parse().ok());
        assert_eq!(status, Some(expected), "{label}: {head}");
        assert!(
            head.lines()
                .any(|line| line.eq_ignore_ascii_case("connection: close")),
            "{label}: {head}"
        );
    }
}
