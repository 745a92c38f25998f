//! `/api/v1/me`: who the token acts as.

use super::error::ErrorBody;
use crate::auth::Signed;
use axum::{Extension, Json};
use serde::Serialize;
use utoipa::ToSchema;

/// The account a token acts as, and its scope.
#[derive(Serialize, ToSchema)]
pub struct MeDto {
    /// Account id.
    pub id: String,
    /// Email.
    pub email: String,
    /// Name.
    pub name: String,
    /// Role code.
    pub role: String,
    /// `council`, `provider`, `worker` or `person`.
    pub scope: String,
    /// The provider, worker or person the scope is limited to.
    pub scope_id: Option<String>,
}

/// The calling account.
#[utoipa::path(get, path = "/api/v1/me", operation_id = "get_me", tag = "account", security(("bearer" = [])),
    responses((status = 200, body = MeDto), (status = 401, body = ErrorBody)))]
pub async fn me(Extension(signed): Extension<Signed>) -> Json<MeDto> {
    let account = &signed.account;
    let (scope, scope_id) = account.scope.parts();
    Json(MeDto {
        id: account.id.to_string(),
        email: account.email.to_string(),
        name: account.name.clone(),
        role: account.role.code().into(),
        scope: scope.into(),
        scope_id: scope_id.map(str::to_owned),
    })
}
