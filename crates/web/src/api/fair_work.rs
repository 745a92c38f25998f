//! `/api/v1/fair-work`: each provider's fair work figures for a calendar month (the Ethical
//! Care Charter's measurable points), in the caller's scope: the council's staff every
//! provider's, a provider its own row only.

use super::error::{ApiError, ErrorBody};
use super::paging::{ApiQuery, Paging};
use crate::AppState;
use crate::auth::Signed;
use axum::extract::State;
use axum::{Extension, Json};
use homeward_app::fair_work::{ProviderFairWork, fair_work};
use homeward_app::visibility;
use homeward_domain::fair_work::{CalendarMonth, Share};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A count out of a whole, with its share.
#[derive(Serialize, ToSchema)]
pub struct ShareDto {
    /// How many.
    pub count: u64,
    /// Out of how many.
    pub of: u64,
    /// The share in per cent; null of nothing.
    #[schema(required = true)]
    pub percent: Option<f64>,
}

impl From<Share> for ShareDto {
    fn from(share: Share) -> ShareDto {
        ShareDto {
            count: u64::from(share.count),
            of: u64::from(share.of),
            percent: share.percent(),
        }
    }
}

/// One provider's figures for the month.
#[derive(Serialize, ToSchema)]
pub struct FairWorkDto {
    /// The provider.
    pub provider_id: String,
    /// Its name.
    pub provider_name: String,
    /// Its Ethical Care Charter stage: `none`, `1`, `2` or `3`.
    pub charter_stage: String,
    /// `paid` (Charter stage 1 or above commits to paying travel time) or `not-committed` (the
    /// register does not say it is paid).
    pub travel_time: String,
    /// Visit parts on the month's published runs.
    pub rostered_stops: u64,
    /// Their minutes of travel, added up (a run's first from home).
    pub travel_minutes: u64,
    /// Mean minutes of travel to a visit; null with no published runs.
    #[schema(required = true)]
    pub travel_minutes_per_visit: Option<f64>,
    /// The month's planned visits (cancelled ones left out).
    pub visits: u64,
    /// Visits planned for 15 minutes or less.
    pub planned_15_minutes_or_less: ShareDto,
    /// Visits planned for under 30 minutes.
    pub planned_under_30_minutes: ShareDto,
    /// Of the visits checked in and out, those that lasted 15 minutes or less.
    pub lasted_15_minutes_or_less: ShareDto,
    /// Of the visits checked in and out, those that lasted under 30 minutes.
    pub lasted_under_30_minutes: ShareDto,
    /// People whose carers that month are known.
    pub people: u64,
    /// Their mean distinct carers; null when no one's are known.
    #[schema(required = true)]
    pub carers_per_person: Option<f64>,
    /// The most distinct carers one person saw.
    pub most_carers: u64,
    /// Visits whose carers are known from check-ins and check-outs.
    pub carers_from_check_ins: u64,
    /// Visits whose carers are known from a published roster only.
    pub carers_from_rosters: u64,
    /// Visits whose carers are not known.
    pub carers_unknown: u64,
}

impl From<&ProviderFairWork> for FairWorkDto {
    fn from(row: &ProviderFairWork) -> FairWorkDto {
        let figures = &row.figures;
        let continuity = figures.continuity;
        FairWorkDto {
            provider_id: row.provider.id.to_string(),
            provider_name: row.provider.name.clone(),
            charter_stage: row.provider.charter_stage.code().to_owned(),
            travel_time: figures.travel_pay.code().to_owned(),
            rostered_stops: u64::from(figures.travel.stops),
            travel_minutes: figures.travel.minutes,
            travel_minutes_per_visit: figures.travel.per_visit(),
            visits: u64::from(figures.visits),
            planned_15_minutes_or_less: figures.planned_short.into(),
            planned_under_30_minutes: figures.planned_under_half_hour.into(),
            lasted_15_minutes_or_less: figures.actual_short.into(),
            lasted_under_30_minutes: figures.actual_under_half_hour.into(),
            people: u64::from(continuity.people),
            carers_per_person: continuity.per_person(),
            most_carers: u64::from(continuity.most),
            carers_from_check_ins: u64::from(continuity.from_check_ins),
            carers_from_rosters: u64::from(continuity.from_rosters),
            carers_unknown: u64::from(continuity.unknown),
        }
    }
}

/// A month's figures, a page of providers.
#[derive(Serialize, ToSchema)]
pub struct FairWorkList {
    /// The month (YYYY-MM).
    pub month: String,
    /// Its first day.
    pub starts_on: String,
    /// Its last day.
    pub ends_on: String,
    /// The providers on this page, by name.
    pub items: Vec<FairWorkDto>,
    /// This page, from 1.
    pub page: u64,
    /// Items a page holds.
    pub per_page: u64,
    /// Items in all pages.
    pub total: u64,
}

/// Which month, and a page of providers.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FairWorkQuery {
    /// The calendar month (YYYY-MM, 1900-01 to 2199-12); the last full month (UK) when absent.
    #[param(value_type = Option<String>, pattern = r"^(19|20|21)[0-9]{2}-(0[1-9]|1[0-2])$")]
    month: Option<String>,
    /// Page, from 1.
    #[param(value_type = Option<u64>, minimum = 1, maximum = 1000000)]
    page: Option<String>,
    /// Items a page, 1 to 200.
    #[param(value_type = Option<u64>, minimum = 1, maximum = 200)]
    per_page: Option<String>,
}

/// Lists each provider's fair work figures for a calendar month: travel time per visit and
/// whether it is paid, the shares of short visits (planned and as they lasted), and distinct
/// carers per person. A provider sees its own row only.
#[utoipa::path(get, path = "/api/v1/fair-work", operation_id = "list_fair_work", tag = "fair-work", params(FairWorkQuery), security(("bearer" = [])),
    responses((status = 200, body = FairWorkList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    ApiQuery(query): ApiQuery<FairWorkQuery>,
) -> Result<Json<FairWorkList>, ApiError> {
    let scope = visibility::fair_work_scope(&signed.account).ok_or_else(ApiError::forbidden)?;
    let paging = Paging::parse(query.page.as_deref(), query.per_page.as_deref())?;
    let now = state.clock.now();
    // Only an absent month means the last full one: an empty one is not a month.
    let month = match query.month.as_deref() {
        None => homeward_app::fair_work::default_month(homeward_domain::london_date(now)),
        Some(text) => CalendarMonth::parse(text, "month")?,
    };
    let rows = fair_work(state.store.as_ref(), month, scope.provider(), now)
        .await
        .map_err(ApiError::store)?;
    let total = rows.len() as u64;
    Ok(Json(FairWorkList {
        month: month.to_string(),
        starts_on: month.first_day().to_string(),
        ends_on: month.last_day().to_string(),
        items: paging.slice(rows).iter().map(FairWorkDto::from).collect(),
        page: paging.page,
        per_page: paging.per_page,
        total,
    }))
}
