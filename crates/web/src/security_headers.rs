//! The headers every response carries, whatever answered it: a route, the compiled assets, the
//! not-found and wrong-method fallbacks, or an error.
//!
//! Key points:
//! - The content security policy lets the pages load scripts, styles, images and their service
//!   worker from this server alone, and nothing inline: an injected `<script>`, event handler or
//!   `style` attribute does not run. Nothing may frame the pages, and forms post only here.
//! - Responses are not to be stored (`Cache-Control: no-store`): pages and API answers hold
//!   personal data, and a shared computer or a proxy must not keep them. The compiled assets are
//!   the exception: anyone may cache them, checking with the server before each use (`no-cache`),
//!   since their names do not change when they do.
//! - A handler's own value of any of these headers stands (the calendar's `private, no-store`,
//!   the service worker's `no-cache`); nothing is sent twice.
//! - Answers under `/api/` are downloads (`Content-Disposition: attachment`), so that a browser
//!   led to an API address saves what it gets rather than showing it as a page. The OpenAPI
//!   document is no exception: the tools that read it ignore the header.
//! - `Strict-Transport-Security` only when the server is reached over TLS, which is what
//!   [`crate::WebConfig::secure_cookies`] says.
//! - Text says its character set: the compiled assets' `text/css` and `text/javascript` (as the
//!   file server names them) gain `charset=utf-8`, which is what they are written in.

use axum::extract::{Request, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY,
    STRICT_TRANSPORT_SECURITY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Arc;

/// Where the compiled assets are served: the one part of the site that may be cached.
pub const ASSETS: &str = "/assets";

/// The policy: everything from this origin only, no inline script or style, no plugins, no
/// `<base>`, forms to this origin, and no framing. `connect-src` and `worker-src` are the phone
/// page's: it posts its events here and registers its service worker from here.
pub const CONTENT_SECURITY_POLICY_VALUE: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self'; connect-src 'self'; worker-src 'self'; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Where the API answers.
const API: &str = "/api/";

/// What every API answer is, unless its handler names its own file (the runs' calendar): JSON
/// to be saved, under a name that says so.
pub const API_DISPOSITION: &str = "attachment; filename=\"api.json\"";

/// One year, with the subdomains of the server's own name.
const STRICT_TRANSPORT: &str = "max-age=31536000; includeSubDomains";

/// The headers set on every response, decided once when the router is built.
#[derive(Debug)]
pub struct SecurityHeaders {
    every_response: Vec<(HeaderName, HeaderValue)>,
}

impl SecurityHeaders {
    /// The headers for a server reached over TLS (`over_tls`) or plain HTTP.
    pub fn new(over_tls: bool) -> SecurityHeaders {
        let mut every_response = vec![
            (
                CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(CONTENT_SECURITY_POLICY_VALUE),
            ),
            (X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
            (X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
            // Not `no-referrer`: under it browsers send `Origin: null` with a form's POST, and
            // the same-origin Origin header is worth keeping for anti-forgery checks.
            (REFERRER_POLICY, HeaderValue::from_static("same-origin")),
        ];
        if over_tls {
            every_response.push((
                STRICT_TRANSPORT_SECURITY,
                HeaderValue::from_static(STRICT_TRANSPORT),
            ));
        }
        SecurityHeaders { every_response }
    }
}

/// Middleware: adds the headers to the response of `request`, leaving those already set.
pub async fn add(
    State(headers): State<Arc<SecurityHeaders>>,
    request: Request,
    next: Next,
) -> Response {
    let asset = request
        .uri()
        .path()
        .strip_prefix(ASSETS)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
    let api = request.uri().path().starts_with(API);
    let mut response = next.run(request).await;
    let set = response.headers_mut();
    for (name, value) in &headers.every_response {
        set.entry(name).or_insert_with(|| value.clone());
    }
    set.entry(CACHE_CONTROL)
        .or_insert_with(|| HeaderValue::from_static(if asset { "no-cache" } else { "no-store" }));
    if api {
        set.entry(CONTENT_DISPOSITION)
            .or_insert_with(|| HeaderValue::from_static(API_DISPOSITION));
    }
    if let Some(with_charset) = set.get(CONTENT_TYPE).and_then(utf8_text) {
        set.insert(CONTENT_TYPE, with_charset);
    }
    response
}

/// `kind` with `charset=utf-8` when it is text that does not say its character set.
fn utf8_text(kind: &HeaderValue) -> Option<HeaderValue> {
    let text = kind.to_str().ok()?;
    let lower = text.to_ascii_lowercase();
    let is_text = lower.starts_with("text/") || lower.starts_with("application/javascript");
    if !is_text || lower.contains("charset=") {
        return None;
    }
    HeaderValue::from_str(&format!("{text}; charset=utf-8")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::body::Body;
    use axum::middleware::from_fn_with_state;
    use axum::routing::get;
    use tower::ServiceExt;

    async fn answer(router: Router, path: &str) -> Response {
        router
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap()
    }

    fn with_headers(router: Router, over_tls: bool) -> Router {
        router.layer(from_fn_with_state(
            Arc::new(SecurityHeaders::new(over_tls)),
            add,
        ))
    }

    #[tokio::test]
    async fn a_handlers_own_cache_control_stands_and_is_not_repeated() {
        let router = Router::new().route(
            "/calendar",
            get(|| async { ([(CACHE_CONTROL, "private, no-store")], "calendar") }),
        );
        let response = answer(with_headers(router, false), "/calendar").await;
        let values: Vec<_> = response.headers().get_all(CACHE_CONTROL).iter().collect();
        assert_eq!(values, ["private, no-store"]);
    }

    #[tokio::test]
    async fn assets_may_be_cached_and_the_rest_may_not() {
        let router = Router::new()
            .route("/assets/homeward.css", get(|| async { "css" }))
            .route("/assetsfake", get(|| async { "page" }));
        let router = with_headers(router, false);
        let asset = answer(router.clone(), "/assets/homeward.css").await;
        assert_eq!(asset.headers()[CACHE_CONTROL], "no-cache");
        let page = answer(router, "/assetsfake").await;
        assert_eq!(page.headers()[CACHE_CONTROL], "no-store");
    }

    #[tokio::test]
    async fn api_answers_are_attachments_unless_named_and_pages_are_not() {
        let router = Router::new()
            .route("/api/v1/me", get(|| async { "{}" }))
            .route(
                "/api/v1/runs.ics",
                get(|| async {
                    (
                        [(CONTENT_DISPOSITION, "attachment; filename=\"runs.ics\"")],
                        "",
                    )
                }),
            )
            .route("/apiary", get(|| async { "page" }));
        let router = with_headers(router, false);
        let api = answer(router.clone(), "/api/v1/me").await;
        assert_eq!(api.headers()[CONTENT_DISPOSITION], API_DISPOSITION);
        let missing = answer(router.clone(), "/api/v1/none").await;
        assert_eq!(missing.headers()[CONTENT_DISPOSITION], API_DISPOSITION);
        let named = answer(router.clone(), "/api/v1/runs.ics").await;
        let values: Vec<_> = named
            .headers()
            .get_all(CONTENT_DISPOSITION)
            .iter()
            .collect();
        assert_eq!(values, ["attachment; filename=\"runs.ics\""]);
        let page = answer(router, "/apiary").await;
        assert!(!page.headers().contains_key(CONTENT_DISPOSITION));
    }

    #[tokio::test]
    async fn strict_transport_security_only_over_tls() {
        let router = Router::new().route("/", get(|| async { "home" }));
        let plain = answer(with_headers(router.clone(), false), "/").await;
        assert!(!plain.headers().contains_key(STRICT_TRANSPORT_SECURITY));
        let tls = answer(with_headers(router, true), "/").await;
        assert_eq!(tls.headers()[STRICT_TRANSPORT_SECURITY], STRICT_TRANSPORT);
    }
}
