//! Signing in and out.

use super::{Layout, render};
use crate::AppState;
use crate::auth::client::ClientAddress;
use crate::auth::cookies::Cookie;
use crate::auth::local_path::LocalPath;
use crate::auth::throttle::{Lock, WINDOW};
use crate::auth::{Signed, cookies, secrets};
use askama::Template;
use axum::Extension;
use axum::extract::{Form, Query, State};
use axum::http::header::{RETRY_AFTER, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{AppendHeaders, IntoResponse, Redirect, Response};
use homeward_domain::{AccountId, Email, FieldError};
use homeward_store::{AccessEvent, NewSession};
use serde::Deserialize;
use std::time::{Duration, Instant};

/// How long a session lasts: a working day, after which the person signs in again.
const SESSION_HOURS: i64 = 8;
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
fn in_words(wait: Duration) -> String {
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

/// Audits a failed sign-in and the locks it started.
async fn audit_failure(
    state: &AppState,
    account_id: Option<AccountId>,
    client: ClientAddress,
    locks: &[Lock],
) -> Result<(), homeward_store::StoreError> {
    let client = client.to_string();
    state
        .store
        .record_access_event(&AccessEvent::SignInFailed {
            account_id: account_id.clone(),
            client: client.clone(),
        })
        .await?;
    for lock in locks {
        // A lock of the client alone is about no one account.
        let account_id = match lock {
            Lock::Client => None,
            Lock::ClientOnAccount | Lock::Account => account_id.clone(),
        };
        state
            .store
            .record_access_event(&AccessEvent::LockOut {
                account_id,
                client: client.clone(),
                locked: lock.describe().to_owned(),
                minutes: i64::try_from(WINDOW.as_secs() / 60).unwrap_or(i64::MAX),
            })
            .await?;
    }
    Ok(())
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
        return Redirect::to("/sign-in").into_response();
    }
    let next = LocalPath::or_home(Some(&form.next));
    let mut errors = Vec::new();
    let email = Email::parse(&form.email, "email")
        .map_err(|error| errors.push(error))
        .ok();
    if form.password.is_empty() {
        errors.push(FieldError::new("password", "Enter your password"));
    }
    let throttle_key = form.email.trim().to_lowercase();
    if let Err(wait) = state
        .throttle
        .check(&throttle_key, client.0, Instant::now())
    {
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
    // Exactly one argon2 check whatever the address: the account's own hash when it may sign
    // in, else the decoy, so that neither the time taken nor the answer tells a disabled
    // account, or an address with no account, from a wrong password.
    let right = match &found {
        Some((account, hash)) if !account.disabled => {
            state
                .passwords
                .verify(form.password.clone(), hash.clone())
                .await
        }
        _ => {
            state.passwords.check_decoy(form.password.clone()).await;
            false
        }
    };
    let account = match found {
        Some((account, _)) if right => account,
        found => {
            let locks = state.throttle.fail(&throttle_key, client.0, Instant::now());
            let account_id = found.map(|(account, _)| account.id);
            if let Err(error) = audit_failure(&state, account_id, client, &locks).await {
                return super::error::store_failure(error);
            }
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
    };
    state.throttle.succeed(&throttle_key, client.0);
    let token = secrets::new_secret();
    let now = state.clock.now();
    let session = NewSession {
        token_hash: secrets::hash_secret(&token),
        account_id: account.id.clone(),
        csrf_token: secrets::new_secret(),
        created_at: now,
        expires_at: now + jiff::SignedDuration::from_hours(SESSION_HOURS),
    };
    // The answer is made whole before the session is stored, so that once it is, nothing is
    // left to fail.
    let secure = state.config.secure_cookies;
    let cookies = [
        (
            SET_COOKIE,
            cookies::set(Cookie::Session, &token, SESSION_HOURS * 3600, secure),
        ),
        (SET_COOKIE, cookies::clear(Cookie::SignInForm, secure)),
    ];
    let signed_in = (AppendHeaders(cookies), next.redirect()).into_response();
    if signed_in.status() != StatusCode::SEE_OTHER {
        eprintln!(
            "the signed-in answer could not be made: {}",
            signed_in.status()
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

/// The sign-out form's field.
#[derive(Deserialize)]
pub struct SignOutForm {
    #[serde(default)]
    csrf_token: String,
}

/// Ends the session.
pub async fn sign_out(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    client: ClientAddress,
    Form(form): Form<SignOutForm>,
) -> Response {
    if !signed.csrf_matches(&form.csrf_token) {
        return super::error::bad_form(&state, &signed).await;
    }
    if let Some(hash) = &signed.session_hash
        && let Err(error) = state.store.delete_session(hash, &client.to_string()).await
    {
        return super::error::store_failure(error);
    }
    let cookie = cookies::clear(Cookie::Session, state.config.secure_cookies);
    (
        AppendHeaders([(SET_COOKIE, cookie)]),
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
