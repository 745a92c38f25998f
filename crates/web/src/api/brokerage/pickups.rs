//! Pick-up times: every placed package's days from referral to first visit, and the target.

use crate::api::error::{ApiError, ErrorBody};

use crate::AppState;
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

/// One placed package's pick-up.
#[derive(Serialize, ToSchema)]
pub struct PickupDto {
    /// The referral.
    pub referral_id: String,
    /// The area.
    pub area_id: String,
    /// The area's tier.
    pub tier: u8,
    /// Route of access.
    pub route: String,
    /// Day of the referral.
    pub referred_on: String,
    /// Day of the first visit.
    pub started_on: String,
    /// Days between.
    pub days: i32,
}

/// Pick-up times, one per placed package, with the target.
#[derive(Serialize, ToSchema)]
pub struct PickupList {
    /// The council's target in days.
    pub target_days: i32,
    /// Every placed package's pick-up, oldest referral first.
    pub items: Vec<PickupDto>,
}

/// Pick-up times of every placed package.
#[utoipa::path(get, path = "/api/v1/pickups", operation_id = "list_pickups", tag = "brokerage", security(("bearer" = [])),
    responses((status = 200, body = PickupList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_pickups(State(state): State<AppState>) -> Result<Json<PickupList>, ApiError> {
    let mut pickups = homeward_app::pickups::placed(state.store.as_ref())
        .await
        .map_err(ApiError::store)?;
    pickups.sort_by(|a, b| (a.referred_on, &a.referral_id).cmp(&(b.referred_on, &b.referral_id)));
    let items = pickups
        .iter()
        .map(|pickup| PickupDto {
            referral_id: pickup.referral_id.to_string(),
            area_id: pickup.area_id.to_string(),
            tier: pickup.tier.number(),
            route: pickup.route.code().into(),
            referred_on: pickup.referred_on.to_string(),
            started_on: pickup.started_on.to_string(),
            days: pickup.days(),
        })
        .collect();
    Ok(Json(PickupList {
        target_days: state.brokerage().target_pickup_days(),
        items,
    }))
}
