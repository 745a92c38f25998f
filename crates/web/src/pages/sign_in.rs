//! Signing in and out.

use super::{Layout, render};
use crate::AppState;
use crate::auth::client::ClientAddress;
use crate::auth::cookies::Cookie;
use crate::auth::local_path::LocalPath;
use crate::auth::password_check::{self, Checked};
use crate::auth::{Signed, cookies, secrets};
use askama::Template;
use axum::Extension;
use axum::extract::{Form, Query, State};
use axum::http::header::{RETRY_AFTER, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{AppendHeaders, IntoResponse, Redirect, Response};
use homeward_domain::{AccountId, Email, FieldError, PASSWORD_MAX_CHARS};
use homeward_store::NewSession;
use serde::Deserialize;
use std::time::Duration;

/// How long a session lasts: a working day, after which the person signs in again.
const SESSION_HOURS: i64 = 8;
/// What signing out asks the browser to forget of this site: its HTTP cache and everything
/// it stores (local storage, the phone page's service worker and its copy of the page), so
/// that a shared phone or computer keeps nothing of the person who signed out. Cookies are
/// not listed: the session's is cleared by name, and the sign-in form sets its own.
const SIGNED_OUT_CLEARS: &str = "\"cache\", \"storage\"";
/// `Clear-Site-Data`, which the `http` crate does not name.
const CLEAR_SITE_DATA: axum::http::HeaderName =
    axum::http::HeaderName::from_static("clear-site-data");
/// How long the sign-in form's anti-forgery cookie lasts.
const SIGN_IN_FORM_SECONDS: i64 = 60 * 60;

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    layout: Layout,
    errors: Vec<FieldError>,
    email: String,
    email_error: Option<String>,
    password_error: Option<String>,
    csrf_token: String,
    next: String,
    /// How long a throttled client waits, in words.
    wait: Option<String>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// A wait in words: seconds under a minute, else whole minutes rounded up.
pub fn in_words(wait: Duration) -> String {
    let seconds = wait.as_secs_f64().ceil() as u64;
    match seconds {
        0..=1 => "1 second".to_owned(),
        2..=59 => format!("{seconds} seconds"),
        _ => match seconds.div_ceil(60) {
            1 => "1 minute".to_owned(),
            minutes => format!("{minutes} minutes"),
        },
    }
}

/// The sign-in form, with a fresh anti-forgery token in a cookie and the form.
pub async fn form(State(state): State<AppState>, Query(query): Query<NextQuery>) -> Response {
    let csrf_token = secrets::new_secret();
    let page = SignInPage {
        layout: Layout::new(&state, None, "").await,
        errors: Vec::new(),
        email: String::new(),
        email_error: None,
        password_error: None,
        csrf_token: csrf_token.clone(),
        next: LocalPath::or_home(query.next.as_deref())
            .as_str()
            .to_owned(),
        wait: None,
    };
    let cookie = cookies::set(
        Cookie::SignInForm,
        &csrf_token,
        SIGN_IN_FORM_SECONDS,
        state.config.secure_cookies,
    );
    (
        AppendHeaders([(SET_COOKIE, cookie)]),
        render(&page, StatusCode::OK),
    )
        .into_response()
}

/// A new session of `account_id` from now, and the token its cookie carries.
pub fn new_session(state: &AppState, account_id: &AccountId) -> (String, NewSession) {
    let token = secrets::new_secret();
    let now = state.clock.now();
    let session = NewSession {
        token_hash: secrets::hash_secret(&token),
        account_id: account_id.clone(),
        csrf_token: secrets::new_secret(),
        created_at: now,
        expires_at: now + jiff::SignedDuration::from_hours(SESSION_HOURS),
    };
    (token, session)
}

/// The `Set-Cookie` value that gives the browser a session's `token`.
pub fn session_cookie(state: &AppState, token: &str) -> String {
    cookies::set(
        Cookie::Session,
        token,
        SESSION_HOURS * 3600,
        state.config.secure_cookies,
    )
}

/// The sign-in form's fields.
#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    next: String,
}

/// Checks the email and password; on success starts a session.
pub async fn submit(
    State(state): State<AppState>,
    client: ClientAddress,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Response {
    let expected = cookies::read(&headers, Cookie::SignInForm, state.config.secure_cookies)
        .unwrap_or_default();
    if expected.is_empty() || !secrets::same_secret(&expected, &form.csrf_token) {
        // No matching token: the form did not come from our page (or it expired). Start again.
        tracing::info!(client = %client, "a sign-in form's anti-forgery token was refused");
        return Redirect::to("/sign-in").into_response();
    }
    let next = LocalPath::or_home(Some(&form.next));
    let mut errors = Vec::new();
    let email = Email::parse(&form.email, "email")
        .map_err(|error| errors.push(error))
        .ok();
    if form.password.is_empty() {
        errors.push(FieldError::new("password", "Enter your password"));
    } else if form.password.chars().count() > PASSWORD_MAX_CHARS {
        // No password is longer, so none this long is checked.
        errors.push(FieldError::new(
            "password",
            "Password must be 128 characters or fewer",
        ));
    }
    let throttle_key = password_check::throttle_key(&form.email);
    if let Some(wait) = password_check::throttled(&state, &throttle_key, client) {
        let mut page = again(
            &state,
            form,
            &next,
            Vec::new(),
            Some(in_words(wait)),
            StatusCode::TOO_MANY_REQUESTS,
        )
        .await;
        let seconds = wait.as_secs_f64().ceil() as u64;
        page.headers_mut().insert(RETRY_AFTER, seconds.into());
        return page;
    }
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        return again(
            &state,
            form,
            &next,
            errors,
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let found = match state.store.account_for_sign_in(&email).await {
        Ok(found) => found,
        Err(error) => return super::error::store_failure(error),
    };
    let checked =
        password_check::check_found(&state, &throttle_key, client, found, &form.password).await;
    let account = match checked {
        Ok(Checked::Right(account)) => account,
        Ok(Checked::Wrong | Checked::Throttled(_)) => {
            let errors = vec![FieldError::new(
                "email",
                "Enter a correct email address and password",
            )];
            return again(
                &state,
                form,
                &next,
                errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
        Err(error) => return super::error::store_failure(error),
    };
    let (token, session) = new_session(&state, &account.id);
    // The answer is made whole before the session is stored, so that once it is, nothing is
    // left to fail.
    let secure = state.config.secure_cookies;
    let cookies = [
        (SET_COOKIE, session_cookie(&state, &token)),
        (SET_COOKIE, cookies::clear(Cookie::SignInForm, secure)),
    ];
    let signed_in = (AppendHeaders(cookies), next.redirect()).into_response();
    if signed_in.status() != StatusCode::SEE_OTHER {
        tracing::error!(
            status = signed_in.status().as_u16(),
            "the signed-in answer could not be made"
        );
        return super::error::internal();
    }
    if let Err(error) = state
        .store
        .create_session(&session, &client.to_string())
        .await
    {
        return super::error::store_failure(error);
    }
    signed_in
}

async fn again(
    state: &AppState,
    form: SignInForm,
    next: &LocalPath,
    errors: Vec<FieldError>,
    wait: Option<String>,
    status: StatusCode,
) -> Response {
    let message_for = |field: &str| {
        errors
            .iter()
            .find(|error| error.field == field)
            .map(|error| error.message.clone())
    };
    let csrf_token = secrets::new_secret();
    let page = SignInPage {
        layout: Layout::new(state, None, "").await,
        email_error: message_for("email"),
        password_error: message_for("password"),
        errors,
        email: form.email.trim().to_owned(),
        csrf_token: csrf_token.clone(),
        next: next.as_str().to_owned(),
        wait,
    };
    let cookie = cookies::set(
        Cookie::SignInForm,
        &csrf_token,
        SIGN_IN_FORM_SECONDS,
        state.config.secure_cookies,
    );
    (AppendHeaders([(SET_COOKIE, cookie)]), render(&page, status)).into_response()
}

/// Ends the session.
pub async fn sign_out(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    client: ClientAddress,
) -> Response {
    if let Some(hash) = &signed.session_hash
        && let Err(error) = state.store.delete_session(hash, &client.to_string()).await
    {
        return super::error::store_failure(error);
    }
    let cookie = cookies::clear(Cookie::Session, state.config.secure_cookies);
    (
        AppendHeaders([
            (SET_COOKIE, cookie),
            (CLEAR_SITE_DATA, SIGNED_OUT_CLEARS.to_owned()),
        ]),
        Redirect::to("/sign-in"),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::in_words;
    use std::time::Duration;

    #[test]
    fn waits_are_told_in_seconds_then_whole_minutes() {
        assert_eq!(in_words(Duration::from_millis(300)), "1 second");
        assert_eq!(in_words(Duration::from_secs(30)), "30 seconds");
        assert_eq!(in_words(Duration::from_secs(60)), "1 minute");
        assert_eq!(in_words(Duration::from_secs(61)), "2 minutes");
        assert_eq!(in_words(Duration::from_secs(15 * 60)), "15 minutes");
    }
}
