//! The request log: every request runs inside a `request` span naming its method, the route's
//! template, the client and, once the guard knows it, the signed-in account; when the answer is
//! ready one event gives its status and how long it took.
//!
//! Nothing in it can name a person: the route is the template from [`ROUTES`] (`/people/{id}`),
//! never the path asked for, whose ids and query string can; the account is its id, never its
//! email or name. Most answers are logged at `debug`; refusals an investigation would want at
//! `info` (see [`level_for`]); our own failures at `error`.

use crate::auth::client::{ClientAddress, client_address};
use crate::routes::{Channel, ROUTES, Route};
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use std::net::{IpAddr, SocketAddr};
use std::time::Instant;
use tracing::field::{Empty, display};
use tracing::{Instrument, Level, Span};

/// What the route of a request that matched no entry of [`ROUTES`] is logged as.
const NO_ROUTE: &str = "(no route)";
/// The route of the compiled assets, whatever file was asked for.
const ASSETS: &str = "/assets/{file}";

/// Runs the request inside its span and logs its answer. `trusted_proxy` is
/// [`crate::WebConfig::trusted_proxy`]: the client is decided here once, as
/// [`client_address`] decides it, and left in the request for the handlers.
pub async fn record(
    State(trusted_proxy): State<Option<IpAddr>>,
    mut request: Request,
    next: Next,
) -> Response {
    // axum's `MatchedPath` is the template matched, never the path asked for.
    let matched = request
        .extensions()
        .get::<MatchedPath>()
        .map(MatchedPath::as_str);
    let route = matched.and_then(|matched| ROUTES.iter().find(|route| route.path == matched));
    let template = match (route, matched) {
        (Some(route), _) => route.path,
        (None, Some(matched)) if matched.starts_with("/assets") => ASSETS,
        _ => NO_ROUTE,
    };
    let client = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(peer)| client_address(trusted_proxy, *peer, request.headers()));
    let span = tracing::info_span!(
        "request",
        method = %request.method(),
        route = %template,
        client = Empty,
        account = Empty,
    );
    if let Some(client) = client {
        span.record("client", display(client));
        request.extensions_mut().insert(client);
    }
    let started = Instant::now();
    let response = next.run(request).instrument(span.clone()).await;
    let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let status = response.status();
    span.in_scope(|| match level_for(status, route) {
        Level::ERROR => tracing::error!(status = status.as_u16(), latency_ms, "answered"),
        Level::INFO => tracing::info!(status = status.as_u16(), latency_ms, "answered"),
        _ => tracing::debug!(status = status.as_u16(), latency_ms, "answered"),
    });
    response
}

/// Notes the signed-in account on the request's span, so that every event of the request,
/// the last included, says whose it was.
pub fn note_account(account: &homeward_domain::AccountId) {
    Span::current().record("account", display(account));
}

/// The client of the current request, as [`record`] decided it; `None` for a router served
/// without its `ConnectInfo` (some tests).
pub fn client_of(request: &Request) -> Option<ClientAddress> {
    request.extensions().get::<ClientAddress>().copied()
}

/// How loud the answer to a request on `route` is logged.
///
/// Our own failures are errors. A refusal is worth an `info` line when it can be an attack or
/// a broken client: no or a refused sign-in (401), a role refused (403), a record not found or
/// not the caller's (404 on the API or on a route with an id — a 404 for a path we never had is
/// only noise from scanners), and the protocol refusals (405, 408, 413, 415, 429). Everything
/// else is `debug`.
fn level_for(status: StatusCode, route: Option<&Route>) -> Level {
    if status.is_server_error() {
        return Level::ERROR;
    }
    let names_a_record =
        route.is_some_and(|route| route.channel == Channel::Api || route.path.contains('{'));
    match status {
        StatusCode::UNAUTHORIZED
        | StatusCode::FORBIDDEN
        | StatusCode::METHOD_NOT_ALLOWED
        | StatusCode::REQUEST_TIMEOUT
        | StatusCode::PAYLOAD_TOO_LARGE
        | StatusCode::UNSUPPORTED_MEDIA_TYPE
        | StatusCode::TOO_MANY_REQUESTS => Level::INFO,
        StatusCode::NOT_FOUND if names_a_record => Level::INFO,
        _ => Level::DEBUG,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::body::Body;
    use axum::middleware::from_fn_with_state;
    use axum::routing::get;
    use std::sync::{Arc, Mutex};
    use tower::ServiceExt;

    /// A writer appending to a buffer the test reads.
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// A panic whose message tries to start a line of its own in the log.
    async fn boom() -> &'static str {
        panic!("a bug\nINFO request: answered status=200")
    }

    // A current-thread runtime: the subscriber set for this thread sees the whole request.
    #[tokio::test]
    // The guard is held across the test's awaits on purpose: it keeps the other test out.
    #[allow(clippy::await_holding_lock)]
    async fn a_failure_of_ours_is_logged_as_an_error_in_the_request_s_span() {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(Level::DEBUG)
            .with_ansi(false)
            .with_writer(move || Captured(writer.clone()))
            .finish();
        let _turn = crate::catch_panic::PANIC_LOG_LINE
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let _default = tracing::subscriber::set_default(subscriber);
        // Other tests' threads, with no subscriber, may have cached these call sites as
        // never enabled: ask every call site again, now that this thread has one.
        tracing::callsite::rebuild_interest_cache();
        let router = Router::new()
            .route("/api/v1/boom", get(boom))
            .layer(axum::middleware::from_fn(crate::catch_panic::answer_panics))
            .layer(from_fn_with_state(None, record));

        let request = Request::get("/api/v1/boom?name=someone").body(Body::empty());
        let answer = router.oneshot(request.unwrap()).await.unwrap();

        assert_eq!(answer.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let log = String::from_utf8(buffer.lock().unwrap().clone()).unwrap();
        let lines: Vec<&str> = log.lines().collect();
        assert_eq!(lines.len(), 2, "{log}");
        // Two lines: the message's newline is escaped inside its quoted field (ASVS 7.3.1).
        assert!(lines[0].contains("ERROR") && lines[0].contains("a handler panicked"));
        assert!(
            lines[0].contains(r#"panic="a bug\nINFO request"#),
            "{}",
            lines[0]
        );
        assert!(lines[1].contains("ERROR") && lines[1].contains("status=500"));
        for line in lines {
            // Not in the table, so not named; never the path asked for, nor its query.
            assert!(line.contains("route=(no route)"), "{line}");
            assert!(!line.contains("someone"), "{line}");
        }
    }

    fn route(path: &str) -> &'static Route {
        ROUTES.iter().find(|route| route.path == path).unwrap()
    }

    #[test]
    fn failures_are_errors_and_refusals_worth_a_look_are_info() {
        let person = Some(route("/people/{id}"));
        assert_eq!(level_for(StatusCode::OK, person), Level::DEBUG);
        assert_eq!(level_for(StatusCode::SEE_OTHER, person), Level::DEBUG);
        assert_eq!(level_for(StatusCode::BAD_GATEWAY, None), Level::ERROR);
        assert_eq!(
            level_for(StatusCode::INTERNAL_SERVER_ERROR, person),
            Level::ERROR
        );
        for refusal in [401, 403, 405, 408, 413, 415, 429] {
            let status = StatusCode::from_u16(refusal).unwrap();
            assert_eq!(level_for(status, None), Level::INFO, "{refusal}");
        }
        assert_eq!(level_for(StatusCode::NOT_FOUND, person), Level::INFO);
        assert_eq!(level_for(StatusCode::NOT_FOUND, None), Level::DEBUG);
        assert_eq!(
            level_for(StatusCode::UNPROCESSABLE_ENTITY, person),
            Level::DEBUG
        );
    }
}
