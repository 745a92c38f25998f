//! Every form a signed-in page posts must carry its session's anti-forgery token: checked here,
//! once, by the guard, for every page `POST` of the route table, so that no form can be added
//! without it. Sign-in, before any session, has its own double-submit token.

use super::Signed;
use crate::{AppState, body_limit, pages};
use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// The request again, its body read whole, if its form carries `signed`'s anti-forgery token;
/// else the answer that refuses it: 403 in JSON to a page's script (the phone's outbox keeps
/// its event and asks for a sign-in), the "form could not be sent" page otherwise.
pub async fn check(
    state: &AppState,
    signed: &Signed,
    request: Request,
) -> Result<Request, Response> {
    let (parts, body) = request.into_parts();
    let script = pages::wants_json(&parts.headers);
    // The body is held to the server's limit here as the handlers' extractors hold it; a body
    // cut off by its deadline is answered 408 by the deadline's middleware, whatever this says.
    let Ok(bytes) = axum::body::to_bytes(body, body_limit::MAX_BODY_BYTES).await else {
        return Err(pages::error::too_large());
    };
    let submitted = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
        .ok()
        .and_then(|fields| {
            fields
                .into_iter()
                .find(|(name, _)| name == "csrf_token")
                .map(|(_, value)| value)
        })
        .unwrap_or_default();
    if signed.csrf_matches(&submitted) {
        return Ok(Request::from_parts(parts, Body::from(bytes)));
    }
    Err(if script {
        let body = serde_json::json!({"error": {
            "code": "forbidden",
            "message": "Sign in again to send what this phone has kept.",
        }});
        (StatusCode::FORBIDDEN, axum::Json(body)).into_response()
    } else {
        pages::error::bad_form(state, signed).await
    })
}
