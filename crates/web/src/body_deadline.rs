//! A request's body must arrive whole within a time limit of its headers.
//!
//! A client that sends fewer bytes than its `Content-Length` promised, or trickles them in, would
//! otherwise hold a connection and a task for as long as it likes. The limit is on the whole body,
//! not on the gap between two pieces of it, so sending a byte now and then does not stretch it.
//! When the limit passes, the handler reading the body sees an error, and whatever it answers is
//! replaced by 408 Request Timeout (the API's error body under `/api/`, a page elsewhere), after
//! which the connection is closed.

use axum::BoxError;
use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body::{Frame, SizeHint};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::Sleep;

/// Middleware: gives the body of `request` until `limit` from now to arrive.
pub async fn enforce(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    if request.body().is_end_stream() {
        // Nothing to wait for (no body, or an empty one).
        return next.run(request).await;
    }
    let api = request.uri().path().starts_with("/api/");
    let expired = Arc::new(AtomicBool::new(false));
    let request = request.map(|body| {
        Body::new(DeadlineBody {
            inner: body,
            deadline: Box::pin(tokio::time::sleep(limit)),
            expired: expired.clone(),
        })
    });
    let response = next.run(request).await;
    if !expired.load(Ordering::Acquire) {
        return response;
    }
    let mut response = if api {
        crate::api::error::ApiError::timed_out().into_response()
    } else {
        crate::pages::error::timed_out()
    };
    // The rest of the body is never read, so the connection cannot carry another request.
    response.headers_mut().insert(
        axum::http::header::CONNECTION,
        axum::http::HeaderValue::from_static("close"),
    );
    response
}

/// A body that fails once its deadline passes, noting that it did.
struct DeadlineBody {
    inner: Body,
    deadline: Pin<Box<Sleep>>,
    expired: Arc<AtomicBool>,
}

/// The error a body reader sees when the body did not arrive in time.
#[derive(Debug)]
struct TooSlow;

impl std::fmt::Display for TooSlow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the request body did not arrive in time")
    }
}

impl std::error::Error for TooSlow {}

impl HttpBody for DeadlineBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        // What has arrived is taken even after the deadline; only waiting for more is refused.
        if let Poll::Ready(frame) = Pin::new(&mut self.inner).poll_frame(cx) {
            return Poll::Ready(frame.map(|frame| frame.map_err(BoxError::from)));
        }
        if self.deadline.as_mut().poll(cx).is_ready() {
            self.expired.store(true, Ordering::Release);
            return Poll::Ready(Some(Err(Box::new(TooSlow))));
        }
        Poll::Pending
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::http::StatusCode;
    use axum::middleware::from_fn_with_state;
    use axum::routing::post;
    use tower::ServiceExt;

    /// A router whose handler reads the whole body and says how long it was.
    fn router(limit: Duration) -> Router {
        Router::new()
            .route(
                "/api/echo",
                post(|body: Bytes| async move { body.len().to_string() }),
            )
            .route(
                "/echo",
                post(|body: Bytes| async move { body.len().to_string() }),
            )
            .layer(from_fn_with_state(limit, enforce))
    }

    /// A body that sends its first piece and then nothing more, never ending.
    struct Stalled(Option<Bytes>);

    impl HttpBody for Stalled {
        type Data = Bytes;
        type Error = std::convert::Infallible;

        fn poll_frame(
            mut self: Pin<&mut Self>,
            _: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
            match self.0.take() {
                Some(first) => Poll::Ready(Some(Ok(Frame::data(first)))),
                None => Poll::Pending,
            }
        }
    }

    fn stalled(first: &'static str) -> Body {
        Body::new(Stalled(Some(Bytes::from_static(first.as_bytes()))))
    }

    #[tokio::test]
    async fn a_body_that_stops_is_answered_408() {
        for path in ["/echo", "/api/echo"] {
            let request = Request::post(path).body(stalled("half")).unwrap();
            let response = router(Duration::from_millis(100))
                .oneshot(request)
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::REQUEST_TIMEOUT, "{path}");
            assert_eq!(response.headers()["connection"], "close");
        }
    }

    #[tokio::test]
    async fn a_whole_body_is_read_as_before() {
        let request = Request::post("/echo")
            .body(Body::from("twelve bytes"))
            .unwrap();
        let response = router(Duration::from_secs(30))
            .oneshot(request)
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let length = axum::body::to_bytes(response.into_body(), 100)
            .await
            .unwrap();
        assert_eq!(&length[..], b"12");
    }
}
