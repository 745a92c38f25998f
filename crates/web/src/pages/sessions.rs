//! Your sessions: where the account is signed in (when each session started, when it was last
//! used, the address it started from), and a button that signs out all but this one, for a
//! person who left themselves signed in somewhere or sees a session they do not know.

use super::{Layout, render};
use crate::AppState;
use crate::auth::Signed;
use crate::auth::client::ClientAddress;
use crate::auth::idle;
use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use homeward_store::AccountSession;
use serde::Deserialize;

/// One session as the page lists it.
struct SessionRow {
    started: String,
    last_used: String,
    client: String,
    this_browser: bool,
}

impl SessionRow {
    fn of(session: &AccountSession, current: Option<&str>) -> SessionRow {
        SessionRow {
            started: london_time(session.created_at),
            last_used: london_time(session.last_seen_at),
            client: session
                .client
                .clone()
                .unwrap_or_else(|| "Not recorded".to_owned()),
            this_browser: current == Some(session.token_hash.as_str()),
        }
    }
}

#[derive(Template)]
#[template(path = "sessions.html")]
struct SessionsPage {
    layout: Layout,
    sessions: Vec<SessionRow>,
    others: usize,
    /// The others were just signed out, after the button.
    ended: bool,
    csrf_token: String,
}

/// The page's query: `ended` after the button, to say the others were signed out.
#[derive(Deserialize)]
pub struct SessionsQuery {
    ended: Option<String>,
}

/// The account's live sessions, this one first.
pub async fn list(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Query(query): Query<SessionsQuery>,
) -> Response {
    let now = state.clock.now();
    let sessions = match state.store.account_sessions(&signed.account.id, now).await {
        Ok(sessions) => sessions,
        Err(error) => return super::error::store_failure(error),
    };
    let current = signed.session_hash.as_deref();
    let mut rows: Vec<SessionRow> = sessions
        .iter()
        // A session left unused too long is ended, whatever its row says.
        .filter(|session| !idle::is_idle(session.last_seen_at, now))
        .map(|session| SessionRow::of(session, current))
        .collect();
    rows.sort_by_key(|row| !row.this_browser);
    let page = SessionsPage {
        layout: Layout::new(&state, Some(&signed), "/account/sessions").await,
        others: rows.iter().filter(|row| !row.this_browser).count(),
        sessions: rows,
        ended: query.ended.is_some(),
        csrf_token: signed.csrf_token.clone().unwrap_or_default(),
    };
    render(&page, StatusCode::OK)
}

/// Signs out every session of the account but this one.
pub async fn end_others(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    client: ClientAddress,
) -> Response {
    let Some(kept) = &signed.session_hash else {
        // Pages are reached by sessions only.
        return super::error::internal();
    };
    match state
        .store
        .end_other_sessions(&signed.account.id, kept, &client.to_string())
        .await
    {
        // The count includes sessions that had already ended unused, so the page does not
        // repeat it.
        Ok(_) => Redirect::to("/account/sessions?ended=yes").into_response(),
        Err(error) => super::error::store_failure(error),
    }
}

/// An instant as people in England read it: "7 Dec 2026, 10:00", London time.
fn london_time(at: jiff::Timestamp) -> String {
    at.to_zoned(homeward_domain::london().clone())
        .strftime("%-d %b %Y, %H:%M")
        .to_string()
}
