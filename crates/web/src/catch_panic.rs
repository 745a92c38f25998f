//! The last resort for a handler that panics: the request is answered as any other failure of
//! ours, rather than the connection being dropped without a word.
//!
//! Key points:
//! - A panic is a bug. The caller gets 500 with the API's error body (code `internal`) under
//!   `/api/`, and the "Sorry, there is a problem with the service" page elsewhere; what the panic
//!   said goes to the server's log, never to the caller, inside the request's span (its method
//!   and route's template: the path asked for can name a person, so it is not logged).
//! - tower-http's `CatchPanic` does the catching. Its answer cannot see the request, so it is
//!   made afresh for each request around the rest of the stack, knowing which channel to answer.
//! - The security headers middleware sits outside this one, so the answer carries them.

use crate::api::error::ApiError;
use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::any::Any;
use tower::ServiceExt;
use tower_http::catch_panic::{CatchPanic, ResponseForPanic};

/// Middleware: runs the rest of the stack, answering 500 if it panics.
pub async fn answer_panics(request: Request, next: Next) -> Response {
    let answer = PanicAnswer {
        api: request.uri().path().starts_with("/api/"),
    };
    match CatchPanic::custom(next, answer).oneshot(request).await {
        Ok(response) => response.map(Body::new),
        Err(never) => match never {},
    }
}

/// The answer to a panic met while answering one request.
#[derive(Clone)]
struct PanicAnswer {
    api: bool,
}

impl ResponseForPanic for PanicAnswer {
    type ResponseBody = Body;

    fn response_for_panic(&mut self, panic: Box<dyn Any + Send + 'static>) -> Response {
        tracing::error!(panic = ?message_of(panic.as_ref()), "a handler panicked");
        if self.api {
            ApiError::internal().into_response()
        } else {
            crate::pages::error::internal()
        }
    }
}

/// What a panic said: the text given to `panic!` when there is one.
fn message_of(panic: &(dyn Any + Send)) -> &str {
    if let Some(text) = panic.downcast_ref::<&'static str>() {
        text
    } else if let Some(text) = panic.downcast_ref::<String>() {
        text
    } else {
        "(no message)"
    }
}

/// Held by the tests that reach the panic's log line: one of them watches that line with a
/// subscriber of its own thread, and `tracing` decides once, when another thread without one
/// reaches the line first, that nobody is listening.
#[cfg(test)]
pub(crate) static PANIC_LOG_LINE: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::http::StatusCode;
    use axum::http::header::CONTENT_TYPE;
    use axum::middleware::from_fn;
    use axum::routing::get;

    async fn boom() -> &'static str {
        panic!("the secret of the failure")
    }

    fn router() -> Router {
        Router::new()
            .route("/api/v1/boom", get(boom))
            .route("/boom", get(boom))
            .route("/fine", get(|| async { "fine" }))
            .layer(from_fn(answer_panics))
    }

    async fn answer(path: &str) -> (StatusCode, String, String) {
        let response = router()
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let kind = response.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .to_owned();
        let body = axum::body::to_bytes(response.into_body(), 100_000)
            .await
            .unwrap();
        (status, kind, String::from_utf8(body.to_vec()).unwrap())
    }

    #[tokio::test]
    // The guard is held across the test's awaits on purpose: it keeps the other test out.
    #[allow(clippy::await_holding_lock)]
    async fn a_panic_is_answered_by_channel_and_never_shown() {
        let _turn = PANIC_LOG_LINE
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let (status, kind, body) = answer("/api/v1/boom").await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(kind, "application/json");
        let body: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(body["error"]["code"], "internal");
        assert!(!body.to_string().contains("secret"));

        let (status, kind, body) = answer("/boom").await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(kind.starts_with("text/html"), "{kind}");
        assert!(body.contains("Sorry, there is a problem with the service"));
        assert!(!body.contains("secret"));

        let (status, _, body) = answer("/fine").await;
        assert_eq!((status, body.as_str()), (StatusCode::OK, "fine"));
    }

    #[test]
    fn the_log_gets_what_the_panic_said() {
        let text: Box<dyn Any + Send> = Box::new("static text");
        assert_eq!(message_of(text.as_ref()), "static text");
        let formatted: Box<dyn Any + Send> = Box::new(format!("visit {}", 7));
        assert_eq!(message_of(formatted.as_ref()), "visit 7");
        let other: Box<dyn Any + Send> = Box::new(7_u8);
        assert_eq!(message_of(other.as_ref()), "(no message)");
    }
}
