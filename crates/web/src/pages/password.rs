//! Changing your password, signed in: the current password first (checked through the sign-in
//! throttle, so a session left open cannot be used to guess it), a new one that meets the
//! rules, typed twice. The change ends every other session of the account and gives this one
//! a new token, so that whoever else held a session, or had seen this one's cookie, is out.

use super::sign_in::{new_session, session_cookie};
use super::{Layout, render};
use crate::AppState;
use crate::auth::Signed;
use crate::auth::client::ClientAddress;
use askama::Template;
use axum::Extension;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::http::header::SET_COOKIE;
use axum::response::{AppendHeaders, IntoResponse, Redirect, Response};
use homeward_domain::{FieldError, PASSWORD_MAX_CHARS, check_new_password};
use homeward_store::PasswordChange;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    layout: Layout,
    errors: Vec<FieldError>,
    csrf_token: String,
    /// The change was made: said at the top of the page.
    changed: bool,
}

impl PasswordPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        super::error_for(&self.errors, field)
    }
}

async fn show(
    state: &AppState,
    signed: &Signed,
    errors: Vec<FieldError>,
    changed: bool,
    status: StatusCode,
) -> Response {
    let page = PasswordPage {
        layout: Layout::new(state, Some(signed), "/account/password").await,
        errors,
        csrf_token: signed.csrf_token.clone().unwrap_or_default(),
        changed,
    };
    render(&page, status)
}

/// The page's query: `changed` after a change, to say so.
#[derive(Deserialize)]
pub struct PasswordQuery {
    changed: Option<String>,
}

/// The form, and after a change, the news that it was made.
pub async fn form(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Query(query): Query<PasswordQuery>,
) -> Response {
    let changed = query.changed.is_some();
    show(&state, &signed, Vec::new(), changed, StatusCode::OK).await
}

/// The form's fields. Passwords are never shown again, so none is kept for the form.
#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

/// What is wrong with the form as typed, before any password is checked.
fn form_errors(form: &PasswordForm) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if form.current_password.is_empty() {
        errors.push(FieldError::new(
            "current_password",
            "Enter your current password",
        ));
    } else if form.current_password.chars().count() > PASSWORD_MAX_CHARS {
        errors.push(FieldError::new(
            "current_password",
            "Current password must be 128 characters or fewer",
        ));
    }
    if let Err(error) = check_new_password(&form.new_password, "new_password") {
        errors.push(error);
    } else if form.new_password == form.current_password {
        errors.push(FieldError::new(
            "new_password",
            "New password must be different from your current password",
        ));
    }
    if form.confirm_password.is_empty() {
        errors.push(FieldError::new(
            "confirm_password",
            "Confirm your new password",
        ));
    } else if form.confirm_password != form.new_password {
        errors.push(FieldError::new(
            "confirm_password",
            "The new passwords do not match",
        ));
    }
    errors
}

/// Changes the password: see the module's description.
pub async fn submit(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    client: ClientAddress,
    Form(form): Form<PasswordForm>,
) -> Response {
    let Some(from_session_hash) = signed.session_hash.clone() else {
        // Pages are reached by sessions only.
        return super::error::internal();
    };
    let errors = form_errors(&form);
    if !errors.is_empty() {
        return show(
            &state,
            &signed,
            errors,
            false,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    match super::current_password::confirm(&state, &signed.account, client, &form.current_password)
        .await
    {
        Ok(Ok(())) => {}
        Ok(Err(refusal)) => {
            let page = show(
                &state,
                &signed,
                refusal.errors.clone(),
                false,
                refusal.status,
            )
            .await;
            return refusal.answer(page);
        }
        Err(failed) => return failed,
    }
    let Some(password_hash) = state.passwords.hash(form.new_password).await else {
        tracing::error!("hashing a new password failed");
        return super::error::internal();
    };
    let (token, rotated) = new_session(&state, &signed.account.id);
    let change = PasswordChange {
        password_hash,
        from_session_hash,
        rotated,
    };
    if let Err(error) = state
        .store
        .change_password(&change, &client.to_string())
        .await
    {
        return super::error::store_failure(error);
    }
    // Post, redirect, get: reloading the page must not send the passwords again.
    (
        AppendHeaders([(SET_COOKIE, session_cookie(&state, &token))]),
        Redirect::to("/account/password?changed=yes"),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled(current: &str, new: &str, confirm: &str) -> PasswordForm {
        PasswordForm {
            current_password: current.into(),
            new_password: new.into(),
            confirm_password: confirm.into(),
        }
    }

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|error| error.field.as_str()).collect()
    }

    #[test]
    fn each_error_names_its_field() {
        assert!(
            form_errors(&filled(
                "old password",
                "a new passphrase",
                "a new passphrase"
            ))
            .is_empty()
        );
        assert_eq!(
            fields(&form_errors(&filled("", "", ""))),
            ["current_password", "new_password", "confirm_password"]
        );
        assert_eq!(
            fields(&form_errors(&filled(
                &"x".repeat(129),
                "a new passphrase",
                "a new passphrase"
            ))),
            ["current_password"]
        );
        let long = "y".repeat(129);
        assert_eq!(
            form_errors(&filled("old password", &long, &long))[0].message,
            "Password must be 128 characters or fewer"
        );
        assert_eq!(
            fields(&form_errors(&filled(
                "old password",
                "too short",
                "too short"
            ))),
            ["new_password"]
        );
        assert_eq!(
            fields(&form_errors(&filled(
                "old password",
                "a new passphrase",
                "a new passphrasE"
            ))),
            ["confirm_password"]
        );
        assert_eq!(
            fields(&form_errors(&filled(
                "same old phrase",
                "same old phrase",
                "same old phrase"
            ))),
            ["new_password"]
        );
    }
}
