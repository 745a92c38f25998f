//! Who is calling: sessions for pages, bearer tokens for the API, and the guard that every
//! route passes through.

pub mod api_tokens;
pub mod client;
pub mod cookies;
mod forgery;
pub mod hashing;
pub mod idle;
pub mod local_path;
pub mod password;
pub mod password_check;
pub mod secrets;
pub mod throttle;

use crate::routes::{Access, Channel, Route};
use crate::{AppState, api, pages, request_log};
use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use cookies::Cookie;
use homeward_domain::Account;
use homeward_store::StoreError;

/// A signed-in caller, put in the request's extensions by the guard.
#[derive(Debug, Clone)]
pub struct Signed {
    /// Whose account.
    pub account: Account,
    /// The session's anti-forgery token; `None` for API tokens, which need none.
    pub csrf_token: Option<String>,
    /// The hash of the session's token, to end it at sign-out.
    pub session_hash: Option<String>,
}

impl Signed {
    /// Whether a submitted form carries this session's anti-forgery token.
    ///
    /// A refusal is logged: a forged form, or one left open past its session.
    pub fn csrf_matches(&self, submitted: &str) -> bool {
        let matches = self
            .csrf_token
            .as_deref()
            .is_some_and(|expected| secrets::same_secret(expected, submitted));
        if !matches {
            tracing::warn!(account = %self.account.id, "a form's anti-forgery token was refused");
        }
        matches
    }

    /// The id recorded as the actor in the audit trail.
    pub fn actor(&self) -> String {
        self.account.id.to_string()
    }
}

/// The session behind the request's cookie, if it is live: not expired, and not left unused
/// for [`idle::IDLE_TIMEOUT`]. Its use is noted, at most once every [`idle::TOUCH_EVERY`].
pub async fn from_session(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<Signed>, StoreError> {
    let Some(token) = cookies::read(headers, Cookie::Session, state.config.secure_cookies) else {
        return Ok(None);
    };
    let hash = secrets::hash_secret(&token);
    let now = state.clock.now();
    let Some(session) = state.store.session(&hash, now).await? else {
        return Ok(None);
    };
    if idle::is_idle(session.last_seen_at, now) {
        // Ended: it is never touched again, so it can never come back.
        return Ok(None);
    }
    if idle::due_for_touch(session.last_seen_at, now)
        && let Err(error) = state.store.touch_session(&hash, now).await
    {
        // The request may go on: at worst the session ends a minute sooner.
        tracing::warn!(error = ?error.to_string(), "noting a session's use failed");
    }
    Ok(Some(Signed {
        account: session.account,
        csrf_token: Some(session.csrf_token),
        session_hash: Some(hash),
    }))
}

/// The account behind the request's bearer token, if it is live: not revoked, not expired.
pub async fn from_bearer(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<Signed>, StoreError> {
    let Some(token) = headers
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
    else {
        return Ok(None);
    };
    let found = state
        .store
        .api_token_account(&secrets::hash_secret(token), state.clock.now())
        .await?;
    Ok(found.map(|(_, account)| Signed {
        account,
        csrf_token: None,
        session_hash: None,
    }))
}

/// Checks the caller against the route's access rule before the handler runs.
pub async fn guard(
    State(state): State<AppState>,
    route: &'static Route,
    mut request: Request,
    next: Next,
) -> Response {
    let signed = match route.channel {
        Channel::Page => from_session(&state, request.headers()).await,
        Channel::Api => from_bearer(&state, request.headers()).await,
    };
    let signed = match signed {
        Ok(signed) => signed,
        Err(error) => {
            tracing::error!(error = ?error.to_string(), "authentication failed");
            return match route.channel {
                Channel::Page => pages::error::internal(),
                Channel::Api => api::error::ApiError::internal().into_response(),
            };
        }
    };
    if let Some(signed) = &signed {
        request_log::note_account(&signed.account.id);
    } else if route.channel == Channel::Api && request.headers().contains_key(AUTHORIZATION) {
        // Unknown, revoked or expired: which of them is not said, nor any of the token.
        tracing::warn!(
            client = request_log::client_of(&request).map(tracing::field::display),
            "an API token was refused"
        );
    }
    match (&route.access, &signed) {
        (Access::Public, _) => {}
        (_, None) => {
            return match route.channel {
                // A page's script (the phone's outbox) asks for JSON: it must be told to sign
                // in again, not sent to the sign-in page, which a fetch would follow and take for
                // a success.
                Channel::Page if pages::wants_json(request.headers()) => {
                    pages::error::unauthenticated_json()
                }
                Channel::Page => {
                    let next = request
                        .uri()
                        .path_and_query()
                        .map_or("/", |path| path.as_str());
                    Redirect::to(&format!("/sign-in?next={}", pages::encode_query(next)))
                        .into_response()
                }
                Channel::Api => api::error::ApiError::unauthenticated().into_response(),
            };
        }
        (Access::Roles(roles), Some(signed)) if !roles.contains(&signed.account.role) => {
            return match route.channel {
                Channel::Page => pages::error::forbidden(&state, signed).await,
                Channel::Api => api::error::ApiError::forbidden().into_response(),
            };
        }
        _ => {}
    }
    if let Some(signed) = signed {
        // Sign-in, open to anyone, has its own double-submit token.
        if route.channel == Channel::Page
            && route.method == "POST"
            && route.access != Access::Public
        {
            request = match forgery::check(&state, &signed, request).await {
                Ok(request) => request,
                Err(refused) => return refused,
            };
        }
        request.extensions_mut().insert(signed);
    }
    next.run(request).await
}
