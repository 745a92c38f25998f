//! Offers: the calling provider's, and its answers to them.

use super::{brokerage_error, own_provider};
use crate::api::areas::parse_body;
use crate::api::error::{ApiError, ErrorBody};
use crate::api::paging::{ApiBody, ApiPath, ApiQuery, Paging, list_body};

use crate::AppState;
use crate::auth::Signed;
use axum::extract::State;
use axum::{Extension, Json};
use homeward_domain::brokerage::{DeclineReason, MAX_HOURLY_RATE, Offer, OfferResponse};
use homeward_domain::{OfferId, Pence, ReferralId, parse_date};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

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

pub(super) fn offer_dto(offer: &Offer, referral_id: &ReferralId) -> OfferDto {
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

list_body!(OfferList, OfferDto, "A page of offers, newest first.");

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
    let brokerage = state.brokerage();
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
