//! Referrals: listed, read with their offers, and taken in.

use super::brokerage_error;
use crate::api::areas::parse_body;
use crate::api::error::{ApiError, ErrorBody};
use crate::api::paging::{ApiBody, ApiPath, ApiQuery, Paging, list_body};

use crate::AppState;
use crate::auth::Signed;
use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use homeward_domain::brokerage::{AccessRoute, Needs, Referral};
use homeward_domain::brokerage::{ReferralRecord, ReferralStatus};
use homeward_domain::{
    FundingRoute, PackageId, Pence, PersonId, ReferralId, Skill, WeeklyPattern, parse_code_list,
    parse_date,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};

use super::offers::{OfferDto, offer_dto};

/// Where a placed referral went.
#[derive(Serialize, ToSchema)]
pub struct PlacementDto {
    /// The provider.
    pub provider_id: String,
    /// The cascade step it was won at.
    pub step: String,
    /// The package made.
    pub package_id: String,
    /// The first day of care.
    pub started_on: String,
    /// Days from referral to the first visit.
    pub pickup_days: i32,
    /// The hourly rate in pence the winner quoted, when won on the dynamic market or by spot
    /// purchase: the package is paid at it in place of the contract's base rate (the contract's
    /// enhancements apply on top). Null when placed with one provider, at the contract's rate.
    #[schema(minimum = 1, maximum = 20000)]
    pub agreed_hourly_rate_pence: Option<i64>,
}

/// A referral and where it stands.
#[derive(Serialize, ToSchema)]
pub struct ReferralDto {
    /// Stable id.
    pub id: String,
    /// Who needs care.
    pub person_id: String,
    /// Their area.
    pub area_id: String,
    /// Route of access code.
    pub route: String,
    /// Visits each week, e.g. `daily 08:00 45m; daily 19:30 30m`.
    pub visit_pattern: String,
    /// Commissioned hours a week.
    pub weekly_hours: f64,
    /// Skills needed (codes).
    pub skills: Vec<String>,
    /// Complex needs.
    pub complex: bool,
    /// Funding route code.
    pub funding_route: String,
    /// Could benefit from reablement.
    pub reablement_potential: bool,
    /// Day of the referral.
    pub referred_on: String,
    /// Day care is needed by.
    pub needed_by: String,
    /// Planned hospital discharge, for hospital discharges.
    pub discharge_on: Option<String>,
    /// `reablement`, `offering`, `placed`, `unplaced` or `closed`.
    pub status: String,
    /// Where it was placed, once placed.
    pub placement: Option<PlacementDto>,
}

/// The rates agreed for packages placed on a quote, by package, for the placements of
/// `records` (nothing is read when none is placed).
async fn agreed_rates(
    state: &AppState,
    records: &[ReferralRecord],
) -> Result<HashMap<PackageId, Pence>, ApiError> {
    if records.iter().all(|record| record.placement.is_none()) {
        return Ok(HashMap::new());
    }
    Ok(state
        .store
        .packages()
        .await
        .map_err(ApiError::store)?
        .into_iter()
        .filter_map(|package| Some((package.id, package.agreed_hourly_rate?)))
        .collect())
}

impl ReferralDto {
    /// `record` as the API gives it, its placement's agreed rate looked up in `agreed` (see
    /// [`agreed_rates`]).
    fn of(record: &ReferralRecord, agreed: &HashMap<PackageId, Pence>) -> ReferralDto {
        let referral = &record.referral;
        ReferralDto {
            id: referral.id.to_string(),
            person_id: referral.person_id.to_string(),
            area_id: referral.area_id.to_string(),
            route: referral.route.code().into(),
            visit_pattern: referral.needs.pattern.to_string(),
            weekly_hours: f64::from(referral.needs.weekly_minutes()) / 60.0,
            skills: referral
                .needs
                .skills
                .iter()
                .map(|skill| skill.code().to_owned())
                .collect(),
            complex: referral.needs.complex,
            funding_route: referral.funding_route.code().into(),
            reablement_potential: referral.reablement_potential,
            referred_on: referral.referred_on.to_string(),
            needed_by: referral.needed_by.to_string(),
            discharge_on: referral.discharge_on.map(|date| date.to_string()),
            status: record.status.code().into(),
            placement: record.placement.as_ref().map(|placement| PlacementDto {
                provider_id: placement.provider_id.to_string(),
                step: placement.step.code().into(),
                package_id: placement.package_id.to_string(),
                started_on: placement.started_on.to_string(),
                pickup_days: (placement.started_on - referral.referred_on).get_days(),
                agreed_hourly_rate_pence: agreed.get(&placement.package_id).map(|rate| rate.0),
            }),
        }
    }
}

/// A referral with its offers.
#[derive(Serialize, ToSchema)]
pub struct ReferralDetail {
    /// The referral.
    #[serde(flatten)]
    pub referral: ReferralDto,
    /// Its offers, in the order sent.
    pub offers: Vec<OfferDto>,
}

list_body!(
    ReferralList,
    ReferralDto,
    "A page of referrals, newest first."
);

/// Filters and paging for referrals.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReferralQuery {
    /// Only this status: reablement, offering, placed, unplaced or closed.
    #[param(value_type = Option<String>, pattern = "^(reablement|offering|placed|unplaced|closed)$")]
    status: Option<String>,
    /// Page, from 1.
    #[param(value_type = Option<u64>, minimum = 1, maximum = 1000000)]
    page: Option<String>,
    /// Items a page, 1 to 200.
    #[param(value_type = Option<u64>, minimum = 1, maximum = 200)]
    per_page: Option<String>,
}

/// Lists referrals, newest first.
#[utoipa::path(get, path = "/api/v1/referrals", operation_id = "list_referrals", tag = "brokerage", params(ReferralQuery), security(("bearer" = [])),
    responses((status = 200, body = ReferralList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_referrals(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<ReferralQuery>,
) -> Result<Json<ReferralList>, ApiError> {
    let paging = Paging::parse(query.page.as_deref(), query.per_page.as_deref())?;
    let status = match query.status.as_deref() {
        None => None,
        Some(code) => Some(ReferralStatus::from_code(code).ok_or_else(|| {
            ApiError::invalid(
                "status",
                "status must be reablement, offering, placed, unplaced or closed",
            )
        })?),
    };
    let homeward_store::Page { items: page, total } = state
        .store
        .referrals_page(status, paging.offset(), paging.per_page)
        .await
        .map_err(ApiError::store)?;
    let agreed = agreed_rates(&state, &page).await?;
    let items = page
        .iter()
        .map(|record| ReferralDto::of(record, &agreed))
        .collect();
    Ok(Json(ReferralList {
        items,
        page: paging.page,
        per_page: paging.per_page,
        total,
    }))
}

/// One referral with its offers.
#[utoipa::path(get, path = "/api/v1/referrals/{id}", operation_id = "get_referral", tag = "brokerage", params(("id" = String, Path, description = "Referral id")), security(("bearer" = [])),
    responses((status = 200, body = ReferralDetail), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_referral(
    State(state): State<AppState>,
    ApiPath(id): ApiPath,
) -> Result<Json<ReferralDetail>, ApiError> {
    let id = ReferralId::parse(&id, "id").map_err(|_| ApiError::not_found("referral"))?;
    let record = state
        .store
        .referral(&id)
        .await
        .map_err(ApiError::store)?
        .ok_or_else(|| ApiError::not_found("referral"))?;
    let offers = state.store.offers(&id).await.map_err(ApiError::store)?;
    Ok(Json(ReferralDetail {
        referral: ReferralDto::of(
            &record,
            &agreed_rates(&state, std::slice::from_ref(&record)).await?,
        ),
        offers: offers.iter().map(|offer| offer_dto(offer, &id)).collect(),
    }))
}

/// A new referral.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferralRequest {
    /// Who needs care: a person in the register.
    person_id: String,
    /// Route of access: community, hospital-discharge, self-or-family or safeguarding.
    #[schema(pattern = "^(community|hospital-discharge|self-or-family|safeguarding)$")]
    route: String,
    /// Visits each week, e.g. `daily 08:00 45m; daily 19:30 30m`.
    visit_pattern: String,
    /// Skills needed, `;`-separated codes.
    #[serde(default)]
    skills: String,
    /// Complex needs.
    #[serde(default)]
    complex: bool,
    /// Funding: council-arranged, isf, direct-payment or chc.
    #[schema(pattern = "^(council-arranged|isf|direct-payment|chc)$")]
    funding_route: String,
    /// Could benefit from reablement.
    #[serde(default)]
    reablement_potential: bool,
    /// Day of the referral, YYYY-MM-DD: today or within the last 28 days (UK dates).
    #[schema(format = Date)]
    referred_on: String,
    /// Day care is needed by, YYYY-MM-DD: from the referral to 182 days after it.
    #[schema(format = Date)]
    needed_by: String,
    /// Planned discharge date for hospital discharges: from the referral to 90 days after it.
    #[schema(format = Date)]
    discharge_on: Option<String>,
}

/// Takes a referral in: to reablement first or into the cascade, as the council's rules say.
#[utoipa::path(post, path = "/api/v1/referrals", operation_id = "create_referral", tag = "brokerage", request_body = ReferralRequest, security(("bearer" = [])),
    responses((status = 201, body = ReferralDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 408, body = ErrorBody), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_referral(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    ApiBody(body): ApiBody,
) -> Result<(StatusCode, Json<ReferralDto>), ApiError> {
    let request: ReferralRequest = parse_body(&body)?;
    let person_id = PersonId::parse(&request.person_id, "person_id")
        .map_err(|_| ApiError::not_found("person"))?;
    let person = state
        .store
        .person(&person_id)
        .await
        .map_err(ApiError::store)?
        .ok_or_else(|| ApiError::not_found("person"))?;
    let route = AccessRoute::parse(&request.route, "route")
        .ok()
        .filter(|route| *route != AccessRoute::EndOfReablement)
        .ok_or_else(|| {
            ApiError::invalid(
                "route",
                "route must be community, hospital-discharge, self-or-family or safeguarding",
            )
        })?;
    let funding_route = FundingRoute::parse(&request.funding_route, "funding_route")?;
    let referral = Referral {
        id: state.brokerage().new_referral_id(),
        person_id: person.id.clone(),
        area_id: person.area_id.clone(),
        route,
        needs: Needs {
            pattern: WeeklyPattern::parse(&request.visit_pattern)?,
            skills: parse_code_list::<Skill>(&request.skills, "skills")?,
            complex: request.complex,
        },
        funding_route,
        reablement_potential: request.reablement_potential,
        referred_on: parse_date(&request.referred_on, "referred_on")?,
        needed_by: parse_date(&request.needed_by, "needed_by")?,
        discharge_on: request
            .discharge_on
            .as_deref()
            .map(|text| parse_date(text, "discharge_on"))
            .transpose()?,
    };
    let brokerage = state.brokerage();
    brokerage
        .refer(&referral, state.clock.now(), &signed.actor())
        .await
        .map_err(brokerage_error)?;
    let record = state
        .store
        .referral(&referral.id)
        .await
        .map_err(ApiError::store)?
        .ok_or_else(ApiError::internal)?;
    let agreed = agreed_rates(&state, std::slice::from_ref(&record)).await?;
    Ok((StatusCode::CREATED, Json(ReferralDto::of(&record, &agreed))))
}
