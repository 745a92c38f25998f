//! `/api/v1/tokens`: a client lists, makes and revokes its account's API tokens.

use super::areas::parse_body;
use super::error::{ApiError, ErrorBody};
use super::paging::{ApiBody, ApiPath};
use crate::AppState;
use crate::auth::Signed;
use crate::pages::tokens::{check_token_name, make_token};
use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use homeward_domain::TokenId;
use homeward_store::ApiToken;
use serde::{Deserialize, Serialize};
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
    /// When it was revoked.
    pub revoked_at: Option<String>,
}

impl From<&ApiToken> for TokenDto {
    fn from(token: &ApiToken) -> TokenDto {
        TokenDto {
            id: token.id.to_string(),
            name: token.name.clone(),
            created_at: token.created_at.to_string(),
            revoked_at: token.revoked_at.map(|at| at.to_string()),
        }
    }
}

/// The account's tokens.
#[derive(Serialize, ToSchema)]
pub struct TokenList {
    /// Newest first.
    pub items: Vec<TokenDto>,
}

/// A new token and its secret, shown only this once.
#[derive(Serialize, ToSchema)]
pub struct NewToken {
    /// The token.
    pub token: TokenDto,
    /// The secret to send as `Authorization: Bearer <secret>`.
    pub secret: String,
}

/// What a new token is for.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    /// What the token is for: 1 to 80 characters, not blank, no control characters.
    #[schema(
        min_length = 1,
        max_length = 80,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F]*[^\s\u0000-\u001F\u007F-\u009F][^\u0000-\u001F\u007F-\u009F]*$"
    )]
    name: String,
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

/// Makes a token for the calling account, with the same scope.
#[utoipa::path(post, path = "/api/v1/tokens", operation_id = "create_token", tag = "tokens", request_body = TokenRequest, security(("bearer" = [])),
    responses((status = 201, body = NewToken), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 408, body = ErrorBody), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    ApiBody(body): ApiBody,
) -> Result<(StatusCode, Json<NewToken>), ApiError> {
    let request: TokenRequest = parse_body(&body)?;
    if request.name.chars().count() > 80 {
        return Err(ApiError::invalid(
            "name",
            "What the token is for must be 80 characters or fewer",
        ));
    }
    let name = check_token_name(&request.name)?;
    let (token, secret) = make_token(&state, &signed, name)
        .await
        .map_err(ApiError::store)?;
    Ok((
        StatusCode::CREATED,
        Json(NewToken {
            token: TokenDto::from(&token),
            secret,
        }),
    ))
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
        .revoke_api_token(
            &id,
            &signed.account.id,
            jiff::Timestamp::now(),
            &signed.actor(),
        )
        .await
    {
        Ok(true) => Ok(StatusCode::NO_CONTENT),
        Ok(false) => Err(ApiError::not_found("token")),
        Err(error) => Err(ApiError::store(error)),
    }
}
