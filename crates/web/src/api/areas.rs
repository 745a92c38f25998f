//! `/api/v1/areas`: areas with their current figures; commissioners change them.

use super::error::{ApiError, ErrorBody};
use super::paging::{ApiQuery, Paging, list_body};
use crate::AppState;
use crate::auth::Signed;
use crate::figures::{self, AreaFigures};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::{Extension, Json};
use homeward_domain::{Area, Tier};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// An area with its figures on the council's reference date.
#[derive(Serialize, ToSchema)]
pub struct AreaDto {
    /// Stable id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Tier, 1 to 4 (West Sussex levels).
    pub tier: u8,
    /// District, borough or GP cluster.
    pub district: String,
    /// Rural.
    pub rural: bool,
    /// Named as hard to serve.
    pub hard_to_serve: bool,
    /// Centre latitude, degrees.
    pub latitude: f64,
    /// Centre longitude, degrees.
    pub longitude: f64,
    /// People with care running.
    pub customers: u32,
    /// Commissioned hours a week.
    pub weekly_hours: f64,
    /// Providers delivering care here.
    pub providers: u32,
}

impl From<&AreaFigures> for AreaDto {
    fn from(figures: &AreaFigures) -> AreaDto {
        let area = &figures.area;
        AreaDto {
            id: area.id.to_string(),
            name: area.name.clone(),
            tier: area.tier.number(),
            district: area.district.clone(),
            rural: area.rural,
            hard_to_serve: area.hard_to_serve,
            latitude: area.centroid.latitude(),
            longitude: area.centroid.longitude(),
            customers: figures.demand.customers,
            weekly_hours: f64::from(figures.demand.weekly_minutes) / 60.0,
            providers: figures.demand.providers,
        }
    }
}

list_body!(AreaList, AreaDto, "A page of areas.");

/// Filters and paging for the list of areas.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AreaQuery {
    /// Only this tier, 1 to 4.
    tier: Option<String>,
    /// Only this district (exact).
    district: Option<String>,
    /// Page, from 1.
    page: Option<String>,
    /// Items a page, 1 to 200.
    per_page: Option<String>,
}

/// Lists areas by tier, then name.
#[utoipa::path(get, path = "/api/v1/areas", tag = "areas", params(AreaQuery), security(("bearer" = [])),
    responses((status = 200, body = AreaList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<AreaQuery>,
) -> Result<Json<AreaList>, ApiError> {
    let paging = Paging::parse(query.page.as_deref(), query.per_page.as_deref())?;
    let tier = match query.tier.as_deref() {
        None | Some("") => None,
        Some(text) => Some(
            Tier::from_code(text)
                .ok_or_else(|| ApiError::invalid("tier", "tier must be 1, 2, 3 or 4"))?,
        ),
    };
    let district = query.district.filter(|district| !district.is_empty());
    let snapshot = figures::snapshot(&state).await.map_err(ApiError::store)?;
    let areas: Vec<&AreaFigures> = snapshot
        .areas
        .iter()
        .filter(|figures| tier.is_none_or(|tier| figures.area.tier == tier))
        .filter(|figures| {
            district
                .as_ref()
                .is_none_or(|district| &figures.area.district == district)
        })
        .collect();
    let total = areas.len() as u64;
    let items = paging.slice(areas).into_iter().map(AreaDto::from).collect();
    Ok(Json(AreaList {
        items,
        page: paging.page,
        per_page: paging.per_page,
        total,
    }))
}

/// One area.
#[utoipa::path(get, path = "/api/v1/areas/{id}", tag = "areas", params(("id" = String, Path, description = "Area id")), security(("bearer" = [])),
    responses((status = 200, body = AreaDto), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<AreaDto>, ApiError> {
    let snapshot = figures::snapshot(&state).await.map_err(ApiError::store)?;
    snapshot
        .areas
        .iter()
        .find(|figures| figures.area.id.as_str() == id)
        .map(|figures| Json(AreaDto::from(figures)))
        .ok_or_else(|| ApiError::not_found("area"))
}

/// Changes to an area; fields left out stay as they are.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AreaPatch {
    /// New name.
    name: Option<String>,
    /// New district.
    district: Option<String>,
    /// New tier, 1 to 4.
    tier: Option<u8>,
    /// Rural or not.
    rural: Option<bool>,
    /// Hard to serve or not.
    hard_to_serve: Option<bool>,
}

/// Reads a JSON body, naming the field that does not fit.
pub fn parse_body<T: serde::de::DeserializeOwned>(body: &Bytes) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let message = format!("The body is not valid: {}", error.inner());
        if path == "." {
            ApiError::bad_request(message)
        } else {
            ApiError::invalid(path, message)
        }
    })
}

/// Changes an area; the change is audited with the area before and after.
#[utoipa::path(patch, path = "/api/v1/areas/{id}", tag = "areas", params(("id" = String, Path, description = "Area id")), request_body = AreaPatch, security(("bearer" = [])),
    responses((status = 200, body = AreaDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<AreaDto>, ApiError> {
    let patch: AreaPatch = parse_body(&body)?;
    let stored: Area = state
        .store
        .areas()
        .await
        .map_err(ApiError::store)?
        .into_iter()
        .find(|area| area.id.as_str() == id)
        .ok_or_else(|| ApiError::not_found("area"))?;
    let tier = match patch.tier {
        None => stored.tier,
        Some(number) => Tier::from_number(i64::from(number))
            .ok_or_else(|| ApiError::invalid("tier", "tier must be 1, 2, 3 or 4"))?,
    };
    let changed = Area {
        name: patch
            .name
            .map_or(stored.name.clone(), |name| name.trim().to_owned()),
        district: patch.district.map_or(stored.district.clone(), |district| {
            district.trim().to_owned()
        }),
        tier,
        rural: patch.rural.unwrap_or(stored.rural),
        hard_to_serve: patch.hard_to_serve.unwrap_or(stored.hard_to_serve),
        ..stored
    };
    if let Err(invalid) = changed.validate() {
        let first = invalid
            .0
            .into_iter()
            .next()
            .map(ApiError::from)
            .unwrap_or_else(ApiError::internal);
        return Err(first);
    }
    state
        .store
        .update_area(&changed, &signed.actor())
        .await
        .map_err(ApiError::store)?;
    one(State(state), Path(id)).await
}
