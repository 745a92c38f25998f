//! `/api/v1/referrals`, `/api/v1/offers`, `/api/v1/pickups` and `/api/v1/capacity`: brokerage
//! for brokers' and providers' own systems.

use super::areas::parse_body;
use super::error::{ApiError, ErrorBody};
use super::paging::{ApiBody, ApiPath, ApiQuery, Paging, list_body};
use crate::AppState;
use crate::auth::Signed;
use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use homeward_app::{Brokerage, BrokerageError, Ids};
use homeward_domain::brokerage::{
    AccessRoute, DeclineReason, MAX_HOURLY_RATE, Needs, Offer, OfferResponse, Referral,
};
use homeward_domain::brokerage::{CapacityReturn, ReferralRecord, ReferralStatus};
use homeward_domain::{
    AreaId, BranchId, FundingRoute, OfferId, PackageId, Pence, PersonId, ReferralId, Scope, Skill,
    WeeklyPattern, parse_code_list, parse_date,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};

async fn brokerage(state: &AppState) -> Result<Brokerage, ApiError> {
    Brokerage::for_store(state.store.clone(), Ids::random())
        .await
        .map_err(|error| {
            tracing::error!(error = ?error.to_string(), "brokerage failed");
            ApiError::internal()
        })
}

fn brokerage_error(error: BrokerageError) -> ApiError {
    match error {
        BrokerageError::Invalid(invalid) => invalid
            .0
            .into_iter()
            .next()
            .map(ApiError::from)
            .unwrap_or_else(ApiError::internal),
        BrokerageError::NotFound(what) => ApiError::not_found(&what),
        BrokerageError::Store(error) => ApiError::store(error),
    }
}

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

/// An offer and its answer.
#[derive(Serialize, ToSchema)]
pub struct OfferDto {
    /// Stable id.
    pub id: String,
    /// The referral offered.
    pub referral_id: String,
    /// The provider asked.
    pub provider_id: String,
    /// The cascade step.
    pub step: String,
    /// When it was sent, RFC 3339.
    pub sent_at: String,
    /// When it expires unanswered, RFC 3339.
    pub deadline: String,
    /// `accept`, `decline`, or none yet.
    pub answer: Option<String>,
    /// The first day of care, when accepted.
    pub start_on: Option<String>,
    /// The quoted hourly rate in pence, when given.
    pub hourly_rate_pence: Option<i64>,
    /// The reason, when declined.
    pub decline_reason: Option<String>,
}

fn offer_dto(offer: &Offer, referral_id: &ReferralId) -> OfferDto {
    let (answer, start_on, hourly_rate_pence, decline_reason) = match &offer.response {
        None => (None, None, None, None),
        Some((
            _,
            OfferResponse::Accept {
                start_on,
                hourly_rate,
            },
        )) => (
            Some("accept".to_owned()),
            Some(start_on.to_string()),
            hourly_rate.map(|rate| rate.0),
            None,
        ),
        Some((_, OfferResponse::Decline(reason))) => (
            Some("decline".to_owned()),
            None,
            None,
            Some(reason.code().to_owned()),
        ),
    };
    OfferDto {
        id: offer.id.to_string(),
        referral_id: referral_id.to_string(),
        provider_id: offer.provider_id.to_string(),
        step: offer.step.code().into(),
        sent_at: offer.sent_at.to_string(),
        deadline: offer.deadline.to_string(),
        answer,
        start_on,
        hourly_rate_pence,
        decline_reason,
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
list_body!(OfferList, OfferDto, "A page of offers, newest first.");

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
    let referrals = state
        .store
        .referrals(status)
        .await
        .map_err(ApiError::store)?;
    let total = referrals.len() as u64;
    let page = paging.slice(referrals);
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
        .people()
        .await
        .map_err(ApiError::store)?
        .into_iter()
        .find(|person| person.id == person_id)
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
        id: brokerage(&state).await?.new_referral_id(),
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
    let brokerage = brokerage(&state).await?;
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

fn own_provider(signed: &Signed) -> Result<&homeward_domain::ProviderId, ApiError> {
    match &signed.account.scope {
        Scope::Provider(provider) => Ok(provider),
        _ => Err(ApiError::forbidden()),
    }
}

/// Filters and paging for offers.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OfferQuery {
    /// Only unanswered offers: true or false.
    #[param(value_type = Option<bool>)]
    open: Option<String>,
    /// Page, from 1.
    #[param(value_type = Option<u64>, minimum = 1, maximum = 1000000)]
    page: Option<String>,
    /// Items a page, 1 to 200.
    #[param(value_type = Option<u64>, minimum = 1, maximum = 200)]
    per_page: Option<String>,
}

/// The calling provider's offers, newest first.
#[utoipa::path(get, path = "/api/v1/offers", operation_id = "list_offers", tag = "brokerage", params(OfferQuery), security(("bearer" = [])),
    responses((status = 200, body = OfferList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_offers(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    ApiQuery(query): ApiQuery<OfferQuery>,
) -> Result<Json<OfferList>, ApiError> {
    let provider = own_provider(&signed)?;
    let paging = Paging::parse(query.page.as_deref(), query.per_page.as_deref())?;
    let open_only = match query.open.as_deref() {
        None | Some("") | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(ApiError::invalid("open", "open must be true or false")),
    };
    let offers = state
        .store
        .provider_offers(provider, open_only)
        .await
        .map_err(ApiError::store)?;
    let total = offers.len() as u64;
    let items = paging
        .slice(offers)
        .iter()
        .map(|(offer, record)| offer_dto(offer, &record.referral.id))
        .collect();
    Ok(Json(OfferList {
        items,
        page: paging.page,
        per_page: paging.per_page,
        total,
    }))
}

/// A provider's answer to an offer.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerRequest {
    /// `accept`, or a reason to decline: no-capacity, rural-travel, skills, package-too-small, other.
    #[schema(pattern = "^(accept|no-capacity|rural-travel|skills|package-too-small|other)$")]
    answer: String,
    /// The first day of care, YYYY-MM-DD, when accepting: today (UK) to 90 days ahead; without
    /// it, the day care is needed by, or today if that has passed.
    #[schema(format = Date)]
    start_on: Option<String>,
    /// The hourly rate quoted, in pence, needed to accept a dynamic market, community options or
    /// spot offer: the award weighs it, and if it wins it is the rate the package is paid (the
    /// contract's enhancements apply on top). At a lead or secondary step the contract's rate is
    /// paid and a quote is ignored. Read as a number so that `74037.0`, which JSON Schema counts
    /// as an integer, is taken as one.
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 20000)]
    hourly_rate_pence: Option<f64>,
}

/// Answers one of the calling provider's open offers; the referral moves on if it settles the step.
#[utoipa::path(post, path = "/api/v1/offers/{id}/answer", operation_id = "answer_offer", tag = "brokerage", params(("id" = String, Path, description = "Offer id")), request_body = AnswerRequest, security(("bearer" = [])),
    responses((status = 200, body = OfferDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 408, body = ErrorBody), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn answer_offer(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    ApiPath(id): ApiPath,
    ApiBody(body): ApiBody,
) -> Result<Json<OfferDto>, ApiError> {
    let provider = own_provider(&signed)?.clone();
    let request: AnswerRequest = parse_body(&body)?;
    let id = OfferId::parse(&id, "id").map_err(|_| ApiError::not_found("offer"))?;
    let (offer, record) = state
        .store
        .offer(&id)
        .await
        .map_err(ApiError::store)?
        .filter(|(offer, _)| offer.provider_id == provider)
        .ok_or_else(|| ApiError::not_found("offer"))?;
    let response = if request.answer == "accept" {
        // Without a date, care starts when it is needed, or today if that day has passed.
        let today = state.clock.today();
        let start_on = request
            .start_on
            .as_deref()
            .map_or(Ok(record.referral.needed_by.max(today)), |text| {
                parse_date(text, "start_on")
            })?;
        // Whole pence here; the range is the domain's rule (`OfferResponse::validate_on`).
        let hourly_rate = match request.hourly_rate_pence {
            Some(pence) if pence.fract() == 0.0 && pence.abs() <= 1e15 => Some(Pence(pence as i64)),
            Some(_) => {
                return Err(ApiError::invalid(
                    "hourly_rate_pence",
                    format!(
                        "hourly_rate_pence must be a whole number of pence from 1 to {}",
                        MAX_HOURLY_RATE.0
                    ),
                ));
            }
            None => None,
        };
        OfferResponse::Accept {
            start_on,
            hourly_rate,
        }
    } else {
        OfferResponse::Decline(DeclineReason::parse(&request.answer, "answer")?)
    };
    if !offer.is_open(state.clock.now()) {
        return Err(ApiError::conflict(
            "This offer has been answered already or its deadline has passed.",
        ));
    }
    let brokerage = brokerage(&state).await?;
    match brokerage
        .answer(
            &offer.id,
            &provider,
            &response,
            state.clock.now(),
            &signed.actor(),
        )
        .await
        .map_err(brokerage_error)?
    {
        Some(_) => {}
        None => {
            return Err(ApiError::conflict(
                "This offer has been answered already or its deadline has passed.",
            ));
        }
    }
    let answered = state
        .store
        .offers(&record.referral.id)
        .await
        .map_err(ApiError::store)?
        .into_iter()
        .find(|stored| stored.id == offer.id)
        .ok_or_else(ApiError::internal)?;
    Ok(Json(offer_dto(&answered, &record.referral.id)))
}

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
    let mut pickups = crate::pages::pickups::pickups(&state)
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
        target_days: crate::pages::pickups::target_days(&state)
            .await
            .map_err(brokerage_error)?,
        items,
    }))
}

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
    let provider = own_provider(&signed)?;
    let week = crate::pages::capacity::this_week(&state);
    let returns = state
        .store
        .capacity_returns(week)
        .await
        .map_err(ApiError::store)?;
    let items = returns
        .iter()
        .filter(|capacity| &capacity.provider_id == provider)
        .map(|capacity| CapacityDto {
            branch_id: capacity.branch_id.to_string(),
            area_id: capacity.area_id.to_string(),
            hours: capacity.hours,
        })
        .collect();
    Ok(Json(CapacityList {
        week_of: week.to_string(),
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
    let provider = own_provider(&signed)?.clone();
    let request: CapacityRequest = parse_body(&body)?;
    if request.hours.fract() != 0.0 || !(0.0..=2_000.0).contains(&request.hours) {
        return Err(ApiError::invalid(
            "hours",
            "hours must be a whole number from 0 to 2000",
        ));
    }
    let hours = request.hours as u32;
    let branches = state.store.branches().await.map_err(ApiError::store)?;
    let branch_id = BranchId::parse(&request.branch_id, "branch_id")
        .ok()
        .filter(|id| {
            branches
                .iter()
                .any(|branch| &branch.id == id && branch.provider_id == provider)
        })
        .ok_or_else(|| ApiError::not_found("branch"))?;
    let areas = state.store.areas().await.map_err(ApiError::store)?;
    let area_id = AreaId::parse(&request.area_id, "area_id")
        .ok()
        .filter(|id| areas.iter().any(|area| &area.id == id))
        .ok_or_else(|| ApiError::not_found("area"))?;
    let capacity = CapacityReturn {
        branch_id,
        provider_id: provider,
        area_id,
        week_of: crate::pages::capacity::this_week(&state),
        hours,
        returned_at: state.clock.now(),
    };
    state
        .store
        .put_capacity_return(&capacity, &signed.actor())
        .await
        .map_err(ApiError::store)?;
    Ok((
        StatusCode::CREATED,
        Json(CapacityDto {
            branch_id: request.branch_id,
            area_id: request.area_id,
            hours,
        }),
    ))
}
