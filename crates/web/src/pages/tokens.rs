//! API tokens: each account of the council or a provider makes and revokes its own, signed in
//! on this page. Making one needs the account's current password, checked through the sign-in
//! throttle: a token outlives the session, so a browser left signed in must not be enough to
//! make one. A token works for the lifetime chosen when it is made, up to a year, and cannot
//! make tokens itself.

use super::{Layout, render};
use crate::AppState;
use crate::auth::api_tokens::TokenLifetime;
use crate::auth::client::ClientAddress;
use crate::auth::cookies::Cookie;
use crate::auth::{Signed, cookies};
use askama::Template;
use axum::Extension;
use axum::extract::{Form, Path, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{AppendHeaders, IntoResponse, Redirect, Response};
use homeward_domain::{FieldError, PASSWORD_MAX_CHARS, TokenId};
use homeward_store::ApiToken;

/// Where a token stands, as the page shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TokenStatus {
    Active,
    Expired,
    Revoked,
}

struct TokenRow {
    id: String,
    name: String,
    created: String,
    expires: String,
    status: TokenStatus,
}

impl TokenRow {
    fn of(token: ApiToken, now: jiff::Timestamp) -> TokenRow {
        let status = if token.revoked_at.is_some() {
            TokenStatus::Revoked
        } else if token.expires_at <= now {
            TokenStatus::Expired
        } else {
            TokenStatus::Active
        };
        TokenRow {
            id: token.id.to_string(),
            name: token.name,
            created: token.created_at.strftime("%Y-%m-%d %H:%M").to_string(),
            expires: token.expires_at.strftime("%Y-%m-%d %H:%M").to_string(),
            status,
        }
    }

    fn active(&self) -> bool {
        self.status == TokenStatus::Active
    }

    fn revoked(&self) -> bool {
        self.status == TokenStatus::Revoked
    }
}

/// One choice of lifetime: the form's value, its label, and whether it is chosen.
struct LifetimeChoice {
    days: i64,
    label: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "tokens.html")]
struct TokensPage {
    layout: Layout,
    errors: Vec<FieldError>,
    name: String,
    lifetimes: Vec<LifetimeChoice>,
    default_lifetime: String,
    maximum_lifetime: String,
    new_secret: Option<String>,
    tokens: Vec<TokenRow>,
    csrf_token: String,
}

impl TokensPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|error| error.field == field)
            .map(|error| error.message.as_str())
    }
}

/// The form as filled in: a name, and a lifetime in days as sent (`None` when none was).
struct Filled {
    name: String,
    lifetime_days: Option<String>,
}

async fn show(
    state: &AppState,
    signed: &Signed,
    errors: Vec<FieldError>,
    filled: Filled,
    new_secret: Option<String>,
    status: StatusCode,
) -> Response {
    let tokens = match state.store.api_tokens(&signed.account.id).await {
        Ok(tokens) => tokens,
        Err(error) => return super::error::store_failure(error),
    };
    let now = state.clock.now();
    let chosen = filled
        .lifetime_days
        .unwrap_or_else(|| TokenLifetime::DEFAULT.days().to_string());
    let page = TokensPage {
        layout: Layout::new(state, Some(signed), "/account/tokens").await,
        errors,
        name: filled.name,
        lifetimes: TokenLifetime::CHOICES
            .iter()
            .map(|choice| LifetimeChoice {
                days: choice.days(),
                label: choice.label(),
                checked: chosen.trim() == choice.days().to_string(),
            })
            .collect(),
        default_lifetime: TokenLifetime::DEFAULT.label(),
        maximum_lifetime: TokenLifetime::MAXIMUM.label(),
        new_secret,
        tokens: tokens
            .into_iter()
            .map(|token| TokenRow::of(token, now))
            .collect(),
        csrf_token: signed.csrf_token.clone().unwrap_or_default(),
    };
    render(&page, status)
}

/// The account's tokens and the form for a new one.
pub async fn list(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    headers: HeaderMap,
) -> Response {
    let new_secret = cookies::read(&headers, Cookie::NewToken, state.config.secure_cookies)
        .filter(|secret| secret.starts_with("hw_"));
    let shown = new_secret.is_some();
    let empty = Filled {
        name: String::new(),
        lifetime_days: None,
    };
    let page = show(
        &state,
        &signed,
        Vec::new(),
        empty,
        new_secret,
        StatusCode::OK,
    )
    .await;
    if shown {
        let clear = cookies::clear(Cookie::NewToken, state.config.secure_cookies);
        return (AppendHeaders([(SET_COOKIE, clear)]), page).into_response();
    }
    page
}

/// The new-token form's fields.
#[derive(serde::Deserialize)]
pub struct CreateForm {
    #[serde(default)]
    name: String,
    /// Absent from a form that offers no choice (a script's): the default lifetime.
    lifetime_days: Option<String>,
    #[serde(default)]
    current_password: String,
}

/// Checks that the current password was typed, and no longer than any password is.
fn check_typed_password(password: &str) -> Result<(), FieldError> {
    if password.is_empty() {
        Err(FieldError::new(
            "current_password",
            "Enter your current password",
        ))
    } else if password.chars().count() > PASSWORD_MAX_CHARS {
        Err(FieldError::new(
            "current_password",
            "Current password must be 128 characters or fewer",
        ))
    } else {
        Ok(())
    }
}

/// Checks a token's name: something to recognise it by.
fn check_token_name(name: &str) -> Result<String, FieldError> {
    let name = name.trim();
    if name.is_empty() {
        Err(FieldError::new("name", "Enter what the token is for"))
    } else if name.chars().count() > 80 {
        Err(FieldError::new(
            "name",
            "What the token is for must be 80 characters or fewer",
        ))
    } else if name.chars().any(char::is_control) {
        Err(FieldError::new(
            "name",
            "What the token is for must not contain control characters",
        ))
    } else {
        Ok(name.to_owned())
    }
}

/// Makes a token and shows its secret once, once the current password is confirmed.
pub async fn create(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    client: ClientAddress,
    Form(form): Form<CreateForm>,
) -> Response {
    let name = check_token_name(&form.name);
    let lifetime = match &form.lifetime_days {
        None => Ok(TokenLifetime::DEFAULT),
        Some(days) => TokenLifetime::parse(days, "lifetime_days"),
    };
    let typed = check_typed_password(&form.current_password);
    let refuse = |errors: Vec<FieldError>, status: StatusCode| {
        let filled = Filled {
            name: form.name.clone(),
            lifetime_days: form.lifetime_days.clone(),
        };
        let (state, signed) = (&state, &signed);
        async move { show(state, signed, errors, filled, None, status).await }
    };
    let (name, lifetime) = match (name, lifetime, typed) {
        (Ok(name), Ok(lifetime), Ok(())) => (name, lifetime),
        (name, lifetime, typed) => {
            let errors = [name.err(), lifetime.err(), typed.err()]
                .into_iter()
                .flatten()
                .collect();
            return refuse(errors, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    match super::current_password::confirm(&state, &signed.account, client, &form.current_password)
        .await
    {
        Ok(Ok(())) => {}
        Ok(Err(refusal)) => {
            let page = refuse(refusal.errors.clone(), refusal.status).await;
            return refusal.answer(page);
        }
        Err(failed) => return failed,
    }
    let made = crate::auth::api_tokens::issue_api_token(
        state.store.as_ref(),
        &signed.account.id,
        name,
        lifetime,
        state.clock.now(),
        &signed.actor(),
    )
    .await;
    match made {
        // Post, redirect, get: reloading the page must not make another token. The secret rides
        // in a short-lived HttpOnly cookie to the page that shows it once and clears it.
        Ok((_, secret)) => {
            let cookie = cookies::set(Cookie::NewToken, &secret, 120, state.config.secure_cookies);
            (
                AppendHeaders([(SET_COOKIE, cookie)]),
                Redirect::to("/account/tokens"),
            )
                .into_response()
        }
        Err(error) => super::error::store_failure(error),
    }
}

/// Revokes one of the account's own tokens.
pub async fn revoke(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = TokenId::parse(&id, "id") else {
        return super::error::not_found(&state, Some(&signed)).await;
    };
    match state
        .store
        .revoke_api_token(&id, &signed.account.id, state.clock.now(), &signed.actor())
        .await
    {
        Ok(true) => Redirect::to("/account/tokens").into_response(),
        Ok(false) => super::error::not_found(&state, Some(&signed)).await,
        Err(error) => super::error::store_failure(error),
    }
}
