//! `/api/v1/tokens`: a client lists and revokes its account's API tokens. It cannot make them:
//! a token is made by a person signed in, on the tokens page, so a token that leaks cannot
//! make itself successors that outlive its revocation and expiry.

use super::error::{ApiError, ErrorBody};
use super::paging::ApiPath;
use crate::AppState;
use crate::auth::Signed;
use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use homeward_domain::TokenId;
use homeward_store::ApiToken;
use serde::Serialize;
use utoipa::ToSchema;

/// An API token, without its secret.
#[derive(Serialize, ToSchema)]
pub struct TokenDto {
    /// Stable id.
    pub id: String,
    /// What it is for.
    pub name: String,
    /// When it was made, RFC 3339 in UTC.
    pub created_at: String,
    /// When it stops working, RFC 3339 in UTC.
    pub expires_at: String,
    /// When it was revoked.
    pub revoked_at: Option<String>,
}

impl From<&ApiToken> for TokenDto {
    fn from(token: &ApiToken) -> TokenDto {
        TokenDto {
            id: token.id.to_string(),
            name: token.name.clone(),
            created_at: token.created_at.to_string(),
            expires_at: token.expires_at.to_string(),
            revoked_at: token.revoked_at.map(|at| at.to_string()),
        }
    }
}

/// The account's tokens.
#[derive(Serialize, ToSchema)]
pub struct TokenList {
    /// Newest first, expired and revoked ones included.
    pub items: Vec<TokenDto>,
}

/// Lists the calling account's tokens.
#[utoipa::path(get, path = "/api/v1/tokens", operation_id = "list_tokens", tag = "tokens", security(("bearer" = [])),
    responses((status = 200, body = TokenList), (status = 401, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
) -> Result<Json<TokenList>, ApiError> {
    let tokens = state
        .store
        .api_tokens(&signed.account.id)
        .await
        .map_err(ApiError::store)?;
    Ok(Json(TokenList {
        items: tokens.iter().map(TokenDto::from).collect(),
    }))
}

/// Refuses to make a token: an API token cannot make another. Tokens are made by a person
/// signed in, on the tokens page (`/account/tokens`).
#[utoipa::path(post, path = "/api/v1/tokens", operation_id = "create_token", tag = "tokens", security(("bearer" = [])),
    responses((status = 401, body = ErrorBody), (status = 403, description = "Always: a token cannot make tokens", body = ErrorBody)))]
pub async fn create() -> ApiError {
    ApiError::forbidden_because(
        "An API token cannot make API tokens. Make one signed in, on the API tokens page (/account/tokens).",
    )
}

/// Revokes one of the calling account's tokens.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", operation_id = "revoke_token", tag = "tokens", params(("id" = String, Path, description = "Token id")), security(("bearer" = [])),
    responses((status = 204, description = "Revoked"), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn revoke(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    ApiPath(id): ApiPath,
) -> Result<StatusCode, ApiError> {
    let id = TokenId::parse(&id, "id").map_err(|_| ApiError::not_found("token"))?;
    match state
        .store
        .revoke_api_token(&id, &signed.account.id, state.clock.now(), &signed.actor())
        .await
    {
        Ok(true) => Ok(StatusCode::NO_CONTENT),
        Ok(false) => Err(ApiError::not_found("token")),
        Err(error) => Err(ApiError::store(error)),
    }
}
