//! Capacity returns: the calling provider's for this week, and a new one.

use super::own_provider;
use crate::api::areas::parse_body;
use crate::api::error::{ApiError, ErrorBody};
use crate::api::paging::ApiBody;

use crate::AppState;
use crate::auth::Signed;
use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use homeward_app::capacity::{self, CapacityError, ReturnInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A capacity return.
#[derive(Serialize, ToSchema)]
pub struct CapacityDto {
    /// The branch (one of the calling provider's).
    pub branch_id: String,
    /// The area.
    pub area_id: String,
    /// Hours a week of new care the branch can take on there, 0 to 2000.
    #[schema(minimum = 0, maximum = 2000)]
    pub hours: u32,
}

/// A capacity return as sent: hours read as a number, so that `59.0` is the integer 59 as JSON
/// Schema has it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CapacityRequest {
    /// The branch (one of the calling provider's).
    pub branch_id: String,
    /// The area.
    pub area_id: String,
    /// Hours a week of new care the branch can take on there, 0 to 2000.
    #[schema(value_type = u32, minimum = 0, maximum = 2000)]
    pub hours: f64,
}

/// The calling provider's latest capacity returns.
#[derive(Serialize, ToSchema)]
pub struct CapacityList {
    /// The Monday of the current week.
    pub week_of: String,
    /// The latest return of each branch and area.
    pub items: Vec<CapacityDto>,
}

/// The calling provider's latest capacity returns.
#[utoipa::path(get, path = "/api/v1/capacity", operation_id = "list_capacity", tag = "brokerage", security(("bearer" = [])),
    responses((status = 200, body = CapacityList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_capacity(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
) -> Result<Json<CapacityList>, ApiError> {
    let today = state.clock.today();
    let returns = capacity::own_returns(state.store.as_ref(), &signed.account, today)
        .await
        .map_err(capacity_error)?;
    let items = returns
        .iter()
        .map(|capacity| CapacityDto {
            branch_id: capacity.branch_id.to_string(),
            area_id: capacity.area_id.to_string(),
            hours: capacity.hours,
        })
        .collect();
    Ok(Json(CapacityList {
        week_of: capacity::this_week(today).to_string(),
        items,
    }))
}

/// Returns one of the calling provider's branches' capacity in an area for this week.
#[utoipa::path(post, path = "/api/v1/capacity", operation_id = "put_capacity", tag = "brokerage", request_body = CapacityRequest, security(("bearer" = [])),
    responses((status = 201, body = CapacityDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 408, body = ErrorBody), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_capacity(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    ApiBody(body): ApiBody,
) -> Result<(StatusCode, Json<CapacityDto>), ApiError> {
    own_provider(&signed)?;
    let request: CapacityRequest = parse_body(&body)?;
    // Hours are read as a number; one with a fraction, or below 0, is not a whole number of
    // hours, and the app refuses one above its limit with the same answer.
    if request.hours.fract() != 0.0 || request.hours < 0.0 {
        return Err(capacity_error(CapacityError::Hours));
    }
    let hours = if request.hours > f64::from(capacity::MAX_WEEKLY_HOURS) {
        u32::MAX
    } else {
        request.hours as u32
    };
    let input = ReturnInput {
        branch_id: &request.branch_id,
        area_id: &request.area_id,
        hours,
    };
    capacity::put_return(
        state.store.as_ref(),
        &signed.account,
        input,
        state.clock.now(),
    )
    .await
    .map_err(capacity_error)?;
    Ok((
        StatusCode::CREATED,
        Json(CapacityDto {
            branch_id: request.branch_id,
            area_id: request.area_id,
            hours,
        }),
    ))
}

fn capacity_error(error: CapacityError) -> ApiError {
    match error {
        CapacityError::NotAProvider => ApiError::forbidden(),
        CapacityError::Hours => {
            ApiError::invalid("hours", "hours must be a whole number from 0 to 2000")
        }
        CapacityError::BranchNotFound => ApiError::not_found("branch"),
        CapacityError::AreaNotFound => ApiError::not_found("area"),
        CapacityError::Store(error) => ApiError::store(error),
    }
}
