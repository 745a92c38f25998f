//! `/api/v1/areas`: areas with their current figures; commissioners change them.

use super::error::{ApiError, ErrorBody};
use super::paging::{ApiBody, ApiPath, ApiQuery, Paging, list_body};
use crate::AppState;
use crate::auth::Signed;
use crate::figures::{self, AreaFigures};
use axum::extract::State;
use axum::{Extension, Json};
use homeward_app::areas::{self, AreaChange, AreaChangeError};
use homeward_domain::Tier;
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
#[serde(deny_unknown_fields)]
pub struct AreaQuery {
    /// Only this tier, 1 to 4.
    #[param(value_type = Option<u8>, minimum = 1, maximum = 4)]
    tier: Option<String>,
    /// Only this district (exact).
    district: Option<String>,
    /// Page, from 1.
    #[param(value_type = Option<u64>, minimum = 1, maximum = 1000000)]
    page: Option<String>,
    /// Items a page, 1 to 200.
    #[param(value_type = Option<u64>, minimum = 1, maximum = 200)]
    per_page: Option<String>,
}

/// Lists areas by tier, then name.
#[utoipa::path(get, path = "/api/v1/areas", operation_id = "list_areas", tag = "areas", params(AreaQuery), security(("bearer" = [])),
    responses((status = 200, body = AreaList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
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
#[utoipa::path(get, path = "/api/v1/areas/{id}", operation_id = "get_area", tag = "areas", params(("id" = String, Path, description = "Area id")), security(("bearer" = [])),
    responses((status = 200, body = AreaDto), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn one(
    State(state): State<AppState>,
    ApiPath(id): ApiPath,
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
    /// New name: 1 to 100 characters, not blank, no control characters.
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F]*[^\s\u0000-\u001F\u007F-\u009F][^\u0000-\u001F\u007F-\u009F]*$"
    )]
    name: Option<String>,
    /// New district: 1 to 100 characters, not blank, no control characters.
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F]*[^\s\u0000-\u001F\u007F-\u009F][^\u0000-\u001F\u007F-\u009F]*$"
    )]
    district: Option<String>,
    /// New tier, 1 to 4. Read as a number, so that `2.0` is the integer 2 as JSON Schema has it.
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 4)]
    tier: Option<f64>,
    /// Rural or not.
    rural: Option<bool>,
    /// Hard to serve or not.
    hard_to_serve: Option<bool>,
}

/// Reads a JSON body, naming the field that does not fit.
pub fn parse_body<T: serde::de::DeserializeOwned>(body: &axum::body::Bytes) -> Result<T, ApiError> {
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
#[utoipa::path(patch, path = "/api/v1/areas/{id}", operation_id = "update_area", tag = "areas", params(("id" = String, Path, description = "Area id")), request_body = AreaPatch, security(("bearer" = [])),
    responses((status = 200, body = AreaDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 408, body = ErrorBody), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    ApiPath(id): ApiPath,
    ApiBody(body): ApiBody,
) -> Result<Json<AreaDto>, ApiError> {
    let patch: AreaPatch = parse_body(&body)?;
    // The document promises at most 100 characters as sent, before trimming: hold to it.
    for (field, value) in [("name", &patch.name), ("district", &patch.district)] {
        if value
            .as_ref()
            .is_some_and(|text| text.chars().count() > 100)
        {
            return Err(ApiError::invalid(
                field,
                format!("{field} must be 100 characters or fewer"),
            ));
        }
    }
    // An area that does not exist is not found, whatever the change asked of it.
    let stored = areas::area(state.store.as_ref(), &id)
        .await
        .map_err(ApiError::store)?
        .ok_or_else(|| ApiError::not_found("area"))?;
    let tier = patch
        .tier
        .map(|number| {
            Some(number)
                .filter(|number| number.fract() == 0.0 && (1.0..=4.0).contains(number))
                .and_then(|number| Tier::from_number(number as i64))
                .ok_or_else(|| ApiError::invalid("tier", "tier must be 1, 2, 3 or 4"))
        })
        .transpose()?;
    let change = AreaChange {
        name: patch.name,
        district: patch.district,
        tier,
        rural: patch.rural,
        hard_to_serve: patch.hard_to_serve,
    };
    match areas::change_area(state.store.as_ref(), &stored, &change, &signed.actor()).await {
        Ok(_) => {}
        Err(AreaChangeError::Invalid(invalid)) => {
            return Err(invalid
                .0
                .into_iter()
                .next()
                .map(ApiError::from)
                .unwrap_or_else(ApiError::internal));
        }
        Err(AreaChangeError::Store(error)) => return Err(ApiError::store(error)),
    }
    one(State(state), ApiPath(id)).await
}
