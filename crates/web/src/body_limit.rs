//! A request's body may hold at most [`MAX_BODY_BYTES`], and one that holds more is refused in
//! the caller's channel; an answer given before the body was read whole closes the connection.
//!
//! axum's body extractors stop at their own limit (set to the same number where the router is
//! built), but answer with a line of plain text, which is neither the API's error body nor a
//! page. So this middleware counts the body as the handler reads it: the read that would pass
//! the limit fails, and whatever the handler then answered is replaced by 413 Payload Too Large
//! (the API's error body under `/api/`, a page elsewhere), after which the connection is closed,
//! since the rest of the body is never read. A handler that cannot read its body has nothing to
//! store.
//!
//! The same goes for any answer given without reading the body to its end (a refused token or
//! role, a body that is not JSON, an address that does not exist): what is left of the body is
//! still coming, so the connection cannot carry another request. Hyper closes it, but says so
//! only when it knows in time, and a client that keeps connections open then sends its next
//! request into a closed one. `Connection: close` on such an answer tells the client.

use axum::BoxError;
use axum::body::{Body, Bytes, HttpBody};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body::{Frame, SizeHint};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, ready};

/// The most a request's body may hold: far above any form or JSON document of Homeward's.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// Middleware: lets the body of `request` hold at most [`MAX_BODY_BYTES`].
pub async fn enforce(request: Request, next: Next) -> Response {
    if request.body().is_end_stream() {
        return next.run(request).await;
    }
    let api = request.uri().path().starts_with("/api/");
    let read = Arc::new(Reading::default());
    let request = request.map(|body| {
        Body::new(CappedBody {
            inner: body,
            left: MAX_BODY_BYTES,
            read: read.clone(),
        })
    });
    let mut response = next.run(request).await;
    if read.exceeded.load(Ordering::Acquire) {
        response = if api {
            crate::api::error::ApiError::too_large().into_response()
        } else {
            crate::pages::error::too_large()
        };
    } else if read.ended.load(Ordering::Acquire) {
        return response;
    }
    response.headers_mut().insert(
        axum::http::header::CONNECTION,
        axum::http::HeaderValue::from_static("close"),
    );
    response
}

/// How far a body was read.
#[derive(Default)]
struct Reading {
    /// It held more than the limit.
    exceeded: AtomicBool,
    /// It was read to its end.
    ended: AtomicBool,
}

/// A body that fails instead of passing its reader more than `left` bytes, noting that it did,
/// and noting when it has been read to its end.
struct CappedBody {
    inner: Body,
    left: usize,
    read: Arc<Reading>,
}

/// The error a body reader sees when the body holds more than the limit.
#[derive(Debug)]
struct TooLarge;

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the request body holds more than {MAX_BODY_BYTES} bytes")
    }
}

impl std::error::Error for TooLarge {}

impl HttpBody for CappedBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        if self.read.exceeded.load(Ordering::Acquire) {
            return Poll::Ready(Some(Err(Box::new(TooLarge))));
        }
        let frame = match ready!(Pin::new(&mut self.inner).poll_frame(cx)) {
            Some(Ok(frame)) => frame,
            None => {
                self.read.ended.store(true, Ordering::Release);
                return Poll::Ready(None);
            }
            Some(Err(error)) => return Poll::Ready(Some(Err(BoxError::from(error)))),
        };
        if let Some(data) = frame.data_ref() {
            if data.len() > self.left {
                self.read.exceeded.store(true, Ordering::Release);
                return Poll::Ready(Some(Err(Box::new(TooLarge))));
            }
            self.left -= data.len();
        }
        if self.inner.is_end_stream() {
            self.read.ended.store(true, Ordering::Release);
        }
        Poll::Ready(Some(Ok(frame)))
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
    use axum::http::header::CONTENT_TYPE;
    use axum::middleware::from_fn;
    use axum::routing::post;
    use tower::ServiceExt;

    /// A router whose handlers read the whole body and say how long it was; the one under
    /// `/api/` answers 200 even when it cannot read it, as a careless handler might.
    fn router() -> Router {
        Router::new()
            .route(
                "/api/echo",
                post(|body: Body| async move {
                    match axum::body::to_bytes(body, usize::MAX).await {
                        Ok(bytes) => bytes.len().to_string(),
                        Err(_) => "could not read it".to_owned(),
                    }
                }),
            )
            .route(
                "/echo",
                post(|body: Bytes| async move { body.len().to_string() }),
            )
            .route("/ignore", post(|| async { "not read" }))
            .layer(from_fn(enforce))
    }

    async fn send(path: &str, length: usize) -> Response {
        let request = Request::post(path)
            .body(Body::from(vec![b'a'; length]))
            .unwrap();
        router().oneshot(request).await.unwrap()
    }

    #[tokio::test]
    async fn a_body_at_the_limit_is_read_whole() {
        for path in ["/echo", "/api/echo"] {
            let response = send(path, MAX_BODY_BYTES).await;
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            assert!(!response.headers().contains_key("connection"), "{path}");
            let body = axum::body::to_bytes(response.into_body(), 100)
                .await
                .unwrap();
            assert_eq!(body, MAX_BODY_BYTES.to_string(), "{path}");
        }
    }

    #[tokio::test]
    async fn a_body_over_the_limit_is_answered_413_in_its_channel() {
        let api = send("/api/echo", MAX_BODY_BYTES + 1).await;
        assert_eq!(api.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(api.headers()["connection"], "close");
        assert_eq!(api.headers()[CONTENT_TYPE], "application/json");
        let page = send("/echo", MAX_BODY_BYTES + 1).await;
        assert_eq!(page.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert!(
            page.headers()[CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
    }

    #[tokio::test]
    async fn an_answer_given_without_reading_the_body_closes_the_connection() {
        let response = send("/ignore", 10).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["connection"], "close");
    }
}
