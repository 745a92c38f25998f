//! Every route of the application, once, with who may use it. The router is built from this
//! table and the authorisation-matrix test walks it, so a route cannot escape the test.
//!
//! `table` holds the table and who may use each route; this module what a route is and how the
//! router is built from the table.

mod table;

pub use table::ROUTES;

use crate::auth;
use crate::security_headers::{self, SecurityHeaders};
use crate::{AppState, WebConfig, body_deadline, body_limit, catch_panic, pages, request_log};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::middleware::{Next, from_fn, from_fn_with_state};
use axum::routing::MethodRouter;
use homeward_domain::Role;
use std::sync::Arc;
use tower_http::services::ServeDir;

/// Whether a route serves pages (sessions, HTML) or the API (bearer tokens, JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// HTML pages for people in a browser.
    Page,
    /// The JSON API for machine clients.
    Api,
}

/// Who may use a route. Record-level scope (which provider's people) is checked by the handler
/// through [`homeward_app::visibility`], answering 404 for records out of scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in account.
    SignedIn,
    /// Signed-in accounts with one of these roles.
    Roles(&'static [Role]),
}

/// One route: method, path, channel, access rule and handler.
pub struct Route {
    /// HTTP method.
    pub method: &'static str,
    /// Path, with `{id}` for a record id.
    pub path: &'static str,
    /// Pages or API.
    pub channel: Channel,
    /// Who may use it.
    pub access: Access,
    handler: fn() -> MethodRouter<AppState>,
}

/// The router: every route behind its guard, the compiled assets, and a not-found page, inside
/// what every request goes through ([`around`]).
pub fn build(state: AppState) -> Router {
    let mut router = Router::new();
    for route in ROUTES {
        let guard = from_fn_with_state(
            state.clone(),
            move |state: State<AppState>, request: Request, next: Next| {
                auth::guard(state, route, request, next)
            },
        );
        router = router.route(route.path, (route.handler)().route_layer(guard));
    }
    let router = router
        .nest_service("/assets", ServeDir::new(&state.config.assets_dir))
        .fallback(pages::error::not_found_handler)
        .method_not_allowed_fallback(pages::error::method_not_allowed_handler);
    around(router, &state.config).with_state(state)
}

/// What every request goes through, from the outside in: its span and line in the log
/// ([`request_log`]), which sees the answer as the client gets it; the security headers on every response;
/// a panic answered as our own failure, so that even that answer has the headers; the body's
/// deadline; and its size limit, answered in the caller's channel.
fn around<S: Clone + Send + Sync + 'static>(router: Router<S>, config: &WebConfig) -> Router<S> {
    router
        // axum's extractors keep their own limit, the same, which the middleware reaches first.
        .layer(DefaultBodyLimit::max(body_limit::MAX_BODY_BYTES))
        .layer(from_fn(body_limit::enforce))
        .layer(from_fn_with_state(
            config.body_read_timeout,
            body_deadline::enforce,
        ))
        .layer(from_fn(catch_panic::answer_panics))
        .layer(from_fn_with_state(
            Arc::new(SecurityHeaders::new(config.secure_cookies)),
            security_headers::add,
        ))
        .layer(from_fn_with_state(
            config.trusted_proxy,
            request_log::record,
        ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::StatusCode;
    use axum::http::header::{CONTENT_SECURITY_POLICY, CONTENT_TYPE};
    use axum::routing::get;
    use tower::ServiceExt;

    async fn boom() -> &'static str {
        panic!("a bug")
    }

    /// A router around a panicking handler, as `build` lays it out.
    fn panicking() -> Router {
        around(
            Router::new()
                .route("/api/v1/boom", get(boom))
                .route("/boom", get(boom)),
            &WebConfig::default(),
        )
    }

    #[tokio::test]
    async fn a_panicking_handler_is_answered_500_with_the_security_headers() {
        for (path, kind) in [("/api/v1/boom", "application/json"), ("/boom", "text/html")] {
            let response = panicking()
                .oneshot(Request::get(path).body(Body::empty()).unwrap())
                .await
                .unwrap();
            assert_eq!(
                response.status(),
                StatusCode::INTERNAL_SERVER_ERROR,
                "{path}"
            );
            let headers = response.headers();
            assert!(
                headers[CONTENT_TYPE].to_str().unwrap().starts_with(kind),
                "{path}: {:?}",
                headers[CONTENT_TYPE]
            );
            assert_eq!(
                headers[CONTENT_SECURITY_POLICY],
                security_headers::CONTENT_SECURITY_POLICY_VALUE,
                "{path}"
            );
            assert_eq!(headers["x-frame-options"], "DENY", "{path}");
            assert_eq!(headers["cache-control"], "no-store", "{path}");
            let body = axum::body::to_bytes(response.into_body(), 100_000)
                .await
                .unwrap();
            let body = String::from_utf8(body.to_vec()).unwrap();
            let expected = if kind == "application/json" {
                "\"code\":\"internal\""
            } else {
                "Sorry, there is a problem with the service"
            };
            assert!(body.contains(expected), "{path}: {body}");
            assert!(!body.contains("a bug"), "{path}: {body}");
        }
    }
}
