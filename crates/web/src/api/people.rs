//! `/api/v1/people`: the people the caller's scope reaches.

use super::error::{ApiError, ErrorBody};
use super::paging::{ApiQuery, Paging, list_body};
use crate::AppState;
use crate::auth::Signed;
use crate::found::ApiFound;
use axum::extract::State;
use axum::{Extension, Json};
use homeward_app::visibility;
use homeward_domain::{CarePackage, Person, Visit};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A person receiving care.
#[derive(Serialize, ToSchema)]
pub struct PersonDto {
    /// Stable id.
    pub id: String,
    /// The council's case reference.
    pub council_reference: String,
    /// NHS number, ten digits.
    pub nhs_number: Option<String>,
    /// Name.
    pub name: String,
    /// Their area.
    pub area_id: String,
    /// Latitude of where care is delivered.
    pub latitude: f64,
    /// Longitude of where care is delivered.
    pub longitude: f64,
    /// Funding route code.
    pub funding_route: String,
    /// Primary support reason code.
    pub support_reason: String,
    /// Complex needs.
    pub complex_needs: bool,
}

/// A person with their packages.
#[derive(Serialize, ToSchema)]
pub struct PersonDetail {
    /// The person.
    #[serde(flatten)]
    pub person: PersonDto,
    /// Their care packages that the caller may see: a provider only those it delivers.
    pub packages: Vec<PackageDto>,
    /// Their visits over the next 14 days (today included) that the caller may see.
    pub visits: Vec<VisitDto>,
}

/// A dated visit.
#[derive(Serialize, ToSchema)]
pub struct VisitDto {
    /// Stable id.
    pub id: String,
    /// The package it comes from.
    pub package_id: String,
    /// The provider delivering it.
    pub provider_id: String,
    /// Local date (Europe/London), `YYYY-MM-DD`.
    pub date: String,
    /// Local start time (Europe/London), `HH:MM`.
    pub local_start: String,
    /// The instant it starts, UTC.
    pub starts_at: String,
    /// Planned length in minutes.
    pub duration_minutes: u16,
    /// Carers on the visit, 1 or 2.
    pub carers: u8,
    /// `planned` or `cancelled`.
    pub status: String,
}

impl From<&Visit> for VisitDto {
    fn from(visit: &Visit) -> VisitDto {
        let dated = &visit.dated;
        VisitDto {
            id: visit.id.to_string(),
            package_id: dated.package_id.to_string(),
            provider_id: visit.provider_id.to_string(),
            date: dated.date.to_string(),
            local_start: homeward_domain::format_clock(dated.local_start),
            starts_at: dated.starts_at.to_string(),
            duration_minutes: dated.duration_minutes,
            carers: dated.carers,
            status: visit.status.as_str().to_owned(),
        }
    }
}

/// A care package.
#[derive(Serialize, ToSchema)]
pub struct PackageDto {
    /// Stable id.
    pub id: String,
    /// The provider delivering it.
    pub provider_id: Option<String>,
    /// Visits each week in Europe/London time, e.g. `daily 07:30 45m x2; Mon,Thu 12:00 30m`.
    pub visit_pattern: String,
    /// Commissioned carer hours a week.
    pub weekly_hours: f64,
    /// Skills the visits need (codes).
    pub skills: Vec<String>,
    /// First day.
    pub starts_on: String,
    /// Last day.
    pub ends_on: Option<String>,
    /// The hourly rate in pence the provider quoted to win the package on the dynamic market
    /// or by spot purchase, which it is paid in place of its contract's base rate (the
    /// contract's enhancements apply on top); null when the package pays the contract's rate.
    #[schema(minimum = 1, maximum = 20000)]
    pub agreed_hourly_rate_pence: Option<i64>,
}

impl From<&Person> for PersonDto {
    fn from(person: &Person) -> PersonDto {
        PersonDto {
            id: person.id.to_string(),
            council_reference: person.council_reference.clone(),
            nhs_number: person
                .nhs_number
                .as_ref()
                .map(|number| number.as_str().to_owned()),
            name: person.name.clone(),
            area_id: person.area_id.to_string(),
            latitude: person.location.latitude(),
            longitude: person.location.longitude(),
            funding_route: person.funding_route.code().into(),
            support_reason: person.support_reason.code().into(),
            complex_needs: person.complex_needs,
        }
    }
}

impl From<&CarePackage> for PackageDto {
    fn from(package: &CarePackage) -> PackageDto {
        PackageDto {
            id: package.id.to_string(),
            provider_id: package.provider_id.as_ref().map(ToString::to_string),
            visit_pattern: package.pattern.to_string(),
            weekly_hours: f64::from(package.weekly_minutes()) / 60.0,
            skills: package
                .skills
                .iter()
                .map(|skill| skill.code().to_owned())
                .collect(),
            starts_on: package.starts_on.to_string(),
            ends_on: package.ends_on.map(|date| date.to_string()),
            agreed_hourly_rate_pence: package.agreed_hourly_rate.map(|rate| rate.0),
        }
    }
}

list_body!(PersonList, PersonDto, "A page of people.");

/// Filters and paging for the list of people.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PersonQuery {
    /// Only people in this area.
    area_id: Option<String>,
    /// Page, from 1.
    #[param(value_type = Option<u64>, minimum = 1, maximum = 1000000)]
    page: Option<String>,
    /// Items a page, 1 to 200.
    #[param(value_type = Option<u64>, minimum = 1, maximum = 200)]
    per_page: Option<String>,
}

/// Lists the people the caller may see, by id.
#[utoipa::path(get, path = "/api/v1/people", operation_id = "list_people", tag = "people", params(PersonQuery), security(("bearer" = [])),
    responses((status = 200, body = PersonList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    ApiQuery(query): ApiQuery<PersonQuery>,
) -> Result<Json<PersonList>, ApiError> {
    let paging = Paging::parse(query.page.as_deref(), query.per_page.as_deref())?;
    let area = query.area_id.unwrap_or_default();
    let people: Vec<Person> =
        visibility::people(state.store.as_ref(), &signed.account, state.clock.today())
            .await
            .map_err(ApiError::store)?
            .into_iter()
            .filter(|person| area.is_empty() || person.area_id.as_str() == area)
            .collect();
    let total = people.len() as u64;
    let items = paging.slice(people).iter().map(PersonDto::from).collect();
    Ok(Json(PersonList {
        items,
        page: paging.page,
        per_page: paging.per_page,
        total,
    }))
}

/// One person with their packages and upcoming visits.
#[utoipa::path(get, path = "/api/v1/people/{id}", operation_id = "get_person", tag = "people", params(("id" = String, Path, description = "Person id")), security(("bearer" = [])),
    responses((status = 200, body = PersonDetail), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn one(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    ApiFound(person): ApiFound<Person>,
) -> Result<Json<PersonDetail>, ApiError> {
    let packages = visibility::packages_of(state.store.as_ref(), &signed.account, &person.id)
        .await
        .map_err(ApiError::store)?;
    let visits = visibility::upcoming_visits(
        state.store.as_ref(),
        &signed.account,
        &person.id,
        state.clock.today(),
    )
    .await
    .map_err(ApiError::store)?;
    Ok(Json(PersonDetail {
        person: PersonDto::from(&person),
        packages: packages.iter().map(PackageDto::from).collect(),
        visits: visits.iter().map(VisitDto::from).collect(),
    }))
}
