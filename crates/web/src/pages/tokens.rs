//! API tokens: each account makes and revokes its own.

use super::{Layout, render};
use crate::AppState;
use crate::auth::{Signed, cookies};
use askama::Template;
use axum::Extension;
use axum::extract::{Form, Path, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{AppendHeaders, IntoResponse, Redirect, Response};
use homeward_domain::{FieldError, TokenId};
use homeward_store::ApiToken;

struct TokenRow {
    id: String,
    name: String,
    created: String,
    revoked: bool,
}

#[derive(Template)]
#[template(path = "tokens.html")]
struct TokensPage {
    layout: Layout,
    errors: Vec<FieldError>,
    name: String,
    new_secret: Option<String>,
    tokens: Vec<TokenRow>,
    csrf_token: String,
}

async fn show(
    state: &AppState,
    signed: &Signed,
    errors: Vec<FieldError>,
    name: String,
    new_secret: Option<String>,
    status: StatusCode,
) -> Response {
    let tokens = match state.store.api_tokens(&signed.account.id).await {
        Ok(tokens) => tokens,
        Err(error) => return super::error::store_failure(error),
    };
    let page = TokensPage {
        layout: Layout::new(state, Some(signed), "/account/tokens").await,
        errors,
        name,
        new_secret,
        tokens: tokens
            .into_iter()
            .map(|token| TokenRow {
                id: token.id.to_string(),
                name: token.name,
                created: token.created_at.strftime("%Y-%m-%d %H:%M").to_string(),
                revoked: token.revoked_at.is_some(),
            })
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
    let new_secret =
        cookies::read(&headers, cookies::NEW_TOKEN).filter(|secret| secret.starts_with("hw_"));
    let shown = new_secret.is_some();
    let page = show(
        &state,
        &signed,
        Vec::new(),
        String::new(),
        new_secret,
        StatusCode::OK,
    )
    .await;
    if shown {
        let clear = cookies::clear(cookies::NEW_TOKEN, state.config.secure_cookies);
        return (AppendHeaders([(SET_COOKIE, clear)]), page).into_response();
    }
    page
}

/// The new-token form's fields.
#[derive(serde::Deserialize)]
pub struct CreateForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    name: String,
}

/// Checks a token's name: something to recognise it by.
pub fn check_token_name(name: &str) -> Result<String, FieldError> {
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

/// Makes a token with its secret, storing only the secret's hash; returns the token and secret.
pub async fn make_token(
    state: &AppState,
    signed: &Signed,
    name: String,
) -> Result<(ApiToken, String), homeward_store::StoreError> {
    crate::auth::api_tokens::issue_api_token(
        state.store.as_ref(),
        &signed.account.id,
        name,
        &signed.actor(),
    )
    .await
}

/// Makes a token and shows its secret once.
pub async fn create(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Form(form): Form<CreateForm>,
) -> Response {
    if !signed.csrf_matches(&form.csrf_token) {
        return super::error::bad_form(&state, &signed).await;
    }
    let name = match check_token_name(&form.name) {
        Ok(name) => name,
        Err(error) => {
            return show(
                &state,
                &signed,
                vec![error],
                form.name,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match make_token(&state, &signed, name).await {
        // Post, redirect, get: reloading the page must not make another token. The secret rides
        // in a short-lived HttpOnly cookie to the page that shows it once and clears it.
        Ok((_, secret)) => {
            let cookie = cookies::set(
                cookies::NEW_TOKEN,
                &secret,
                120,
                state.config.secure_cookies,
            );
            (
                AppendHeaders([(SET_COOKIE, cookie)]),
                Redirect::to("/account/tokens"),
            )
                .into_response()
        }
        Err(error) => super::error::store_failure(error),
    }
}

/// The revoke form's field.
#[derive(serde::Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    csrf_token: String,
}

/// Revokes one of the account's own tokens.
pub async fn revoke(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Path(id): Path<String>,
    Form(form): Form<RevokeForm>,
) -> Response {
    if !signed.csrf_matches(&form.csrf_token) {
        return super::error::bad_form(&state, &signed).await;
    }
    let Ok(id) = TokenId::parse(&id, "id") else {
        return super::error::not_found(&state, Some(&signed)).await;
    };
    match state
        .store
        .revoke_api_token(
            &id,
            &signed.account.id,
            jiff::Timestamp::now(),
            &signed.actor(),
        )
        .await
    {
        Ok(true) => Redirect::to("/account/tokens").into_response(),
        Ok(false) => super::error::not_found(&state, Some(&signed)).await,
        Err(error) => super::error::store_failure(error),
    }
}
