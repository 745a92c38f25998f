//! Signing in and out.

use super::{Layout, render};
use crate::AppState;
use crate::auth::{Signed, cookies, password, secrets};
use askama::Template;
use axum::Extension;
use axum::extract::{Form, Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{AppendHeaders, IntoResponse, Redirect, Response};
use homeward_domain::{Email, FieldError};
use homeward_store::NewSession;
use serde::Deserialize;
use std::time::Instant;

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
    locked_minutes: Option<u64>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// Where to go after signing in: a path on this site only, never another site.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path.to_owned()
        }
        _ => "/".to_owned(),
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
        next: safe_next(query.next.as_deref()),
        locked_minutes: None,
    };
    let cookie = cookies::set(
        cookies::SIGN_IN_CSRF,
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

/// Checks the email and password; on success starts a session.
pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Response {
    let expected = cookies::read(&headers, cookies::SIGN_IN_CSRF).unwrap_or_default();
    if expected.is_empty() || !secrets::same_secret(&expected, &form.csrf_token) {
        // No matching token: the form did not come from our page (or it expired). Start again.
        return Redirect::to("/sign-in").into_response();
    }
    let next = safe_next(Some(&form.next));
    let mut errors = Vec::new();
    let email = Email::parse(&form.email, "email")
        .map_err(|error| errors.push(error))
        .ok();
    if form.password.is_empty() {
        errors.push(FieldError::new("password", "Enter your password"));
    }
    let throttle_key = form.email.trim().to_lowercase();
    if let Err(minutes) = state.throttle.check(&throttle_key, Instant::now()) {
        return again(
            &state,
            form,
            next,
            Vec::new(),
            Some(minutes),
            StatusCode::TOO_MANY_REQUESTS,
        )
        .await;
    }
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        return again(
            &state,
            form,
            next,
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
    let account = match found {
        Some((account, hash))
            if !account.disabled && password::verify_password(&form.password, &hash) =>
        {
            account
        }
        found => {
            if found.is_none() {
                // Spend the same effort as a real check, so timing does not tell who has an account.
                password::verify_password(&form.password, password::decoy_hash());
            }
            state.throttle.fail(&throttle_key, Instant::now());
            let errors = vec![FieldError::new(
                "email",
                "Enter a correct email address and password",
            )];
            return again(
                &state,
                form,
                next,
                errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    state.throttle.succeed(&throttle_key);
    let token = secrets::new_secret();
    let now = jiff::Timestamp::now();
    let session = NewSession {
        token_hash: secrets::hash_secret(&token),
        account_id: account.id.clone(),
        csrf_token: secrets::new_secret(),
        created_at: now,
        expires_at: now + jiff::SignedDuration::from_hours(SESSION_HOURS),
    };
    if let Err(error) = state.store.create_session(&session).await {
        return super::error::store_failure(error);
    }
    let secure = state.config.secure_cookies;
    let cookies = [
        (
            SET_COOKIE,
            cookies::set(cookies::SESSION, &token, SESSION_HOURS * 3600, secure),
        ),
        (SET_COOKIE, cookies::clear(cookies::SIGN_IN_CSRF, secure)),
    ];
    (AppendHeaders(cookies), Redirect::to(&next)).into_response()
}

async fn again(
    state: &AppState,
    form: SignInForm,
    next: String,
    errors: Vec<FieldError>,
    locked_minutes: Option<u64>,
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
        next,
        locked_minutes,
    };
    let cookie = cookies::set(
        cookies::SIGN_IN_CSRF,
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
    Form(form): Form<SignOutForm>,
) -> Response {
    if !signed.csrf_matches(&form.csrf_token) {
        return super::error::bad_form(&state, &signed).await;
    }
    if let Some(hash) = &signed.session_hash
        && let Err(error) = state.store.delete_session(hash).await
    {
        return super::error::store_failure(error);
    }
    let cookie = cookies::clear(cookies::SESSION, state.config.secure_cookies);
    (
        AppendHeaders([(SET_COOKIE, cookie)]),
        Redirect::to("/sign-in"),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next(Some("/people?page=2")), "/people?page=2");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
