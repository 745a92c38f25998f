//! Pages for what went wrong: not found, not allowed, and our own failures.

use super::{Layout, render};
use crate::AppState;
use crate::auth::{self, Signed};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    heading: &'static str,
    message: &'static str,
}

/// The page for an address that does not exist, or a record the caller may not see.
pub async fn not_found(state: &AppState, signed: Option<&Signed>) -> Response {
    let page = ErrorPage {
        layout: Layout::new(state, signed, "").await,
        heading: "Page not found",
        message: "If you typed the web address, check it is correct. If you followed a link, the record may not exist or may not be yours to see.",
    };
    render(&page, StatusCode::NOT_FOUND)
}

/// The fallback for unknown addresses: the API's error body under `/api/`, a page elsewhere.
pub async fn not_found_handler(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if uri.path().starts_with("/api/") {
        return crate::api::error::ApiError::not_found("resource").into_response();
    }
    let signed = auth::from_session(&state, &headers).await.ok().flatten();
    not_found(&state, signed.as_ref()).await
}

/// The answer to a method a path does not take.
pub async fn method_not_allowed_handler(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return crate::api::error::ApiError::method_not_allowed().into_response();
    }
    (StatusCode::METHOD_NOT_ALLOWED, Html("<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>Method not allowed – Homeward</title></head><body><main><h1>This page cannot do that</h1><p><a href=\"/\">Go to the start</a></p></main></body></html>")).into_response()
}

/// The page for a form whose body did not arrive in time: the connection is closed after it.
pub fn timed_out() -> Response {
    let html = "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>The form took too long to arrive – Homeward</title></head><body><main><h1>The form took too long to arrive</h1><p>Nothing was changed. Check your connection, go back and send it again.</p></main></body></html>";
    (StatusCode::REQUEST_TIMEOUT, Html(html)).into_response()
}

/// The page for a form whose body is over the server's limit: the connection is closed after it.
pub fn too_large() -> Response {
    let html = "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>The form was too large to send – Homeward</title></head><body><main><h1>The form was too large to send</h1><p>Nothing was changed. Go back, shorten what you entered and send it again.</p></main></body></html>";
    (StatusCode::PAYLOAD_TOO_LARGE, Html(html)).into_response()
}

/// The page for a signed-in account whose role may not use this page.
pub async fn forbidden(state: &AppState, signed: &Signed) -> Response {
    let page = ErrorPage {
        layout: Layout::new(state, Some(signed), "").await,
        heading: "You cannot see this page",
        message: "Your account's role does not include this page. Ask your Homeward administrator if you think it should.",
    };
    render(&page, StatusCode::FORBIDDEN)
}

/// The answer to a page's script (which asked for JSON) when nobody is signed in: 401 with the
/// API's error body, so that the script keeps what it was sending and asks for a sign-in.
pub fn unauthenticated_json() -> Response {
    let body = serde_json::json!({"error": {
        "code": "unauthenticated",
        "message": "Sign in again to send what this phone has kept.",
    }});
    (StatusCode::UNAUTHORIZED, axum::Json(body)).into_response()
}

/// The page for our own failures; the detail goes to the log, never to the page.
pub fn internal() -> Response {
    let html = "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>Sorry, there is a problem with the service – Homeward</title></head><body><main><h1>Sorry, there is a problem with the service</h1><p>Try again later.</p></main></body></html>";
    (StatusCode::INTERNAL_SERVER_ERROR, Html(html)).into_response()
}

/// Logs a store failure and answers with [`internal`].
pub fn store_failure(error: homeward_store::StoreError) -> Response {
    tracing::error!(error = ?error.to_string(), "store failure");
    internal()
}

/// The page for a form that did not carry the session's anti-forgery token: it was not sent from
/// our page, or the session changed. Nothing was changed.
pub async fn bad_form(state: &AppState, signed: &Signed) -> Response {
    let page = ErrorPage {
        layout: Layout::new(state, Some(signed), "").await,
        heading: "The form could not be sent",
        message: "Nothing was changed. Go back, reload the page and try again.",
    };
    render(&page, StatusCode::FORBIDDEN)
}

/// The page for a request refused as things stand — the record's state does not allow it, or
/// the server cannot take it now — saying why; nothing was changed.
pub async fn refused(
    state: &AppState,
    signed: &Signed,
    heading: &'static str,
    message: &'static str,
    status: StatusCode,
) -> Response {
    let page = ErrorPage {
        layout: Layout::new(state, Some(signed), "").await,
        heading,
        message,
    };
    render(&page, status)
}

/// The record a lookup found, or the page to answer with: not found when it is absent (or out of
/// the caller's scope), our own failure when the store failed.
pub async fn found<T>(
    state: &AppState,
    signed: &Signed,
    lookup: Result<Option<T>, homeward_store::StoreError>,
) -> Result<T, Response> {
    match lookup {
        Ok(Some(record)) => Ok(record),
        Ok(None) => Err(not_found(state, Some(signed)).await),
        Err(error) => Err(store_failure(error)),
    }
}
