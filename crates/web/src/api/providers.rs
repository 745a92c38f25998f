//! `/api/v1/providers`: the council's providers; a provider user sees its own.

use super::error::{ApiError, ErrorBody};
use super::paging::{ApiQuery, Paging, list_body};
use crate::AppState;
use crate::auth::Signed;
use crate::found::ApiFound;
use axum::extract::State;
use axum::{Extension, Json};
use homeward_app::visibility;
use homeward_domain::Provider;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A provider.
#[derive(Serialize, ToSchema)]
pub struct ProviderDto {
    /// Stable id.
    pub id: String,
    /// Trading name.
    pub name: String,
    /// CQC location id, such as 1-134558905.
    pub cqc_location_id: Option<String>,
    /// CQC rating code.
    pub cqc_rating: String,
    /// Services offered (codes).
    pub services: Vec<String>,
    /// Ethical Care Charter stage: none, 1, 2 or 3.
    pub charter_stage: String,
    /// The council's own provider.
    pub in_house: bool,
    /// Framework and dynamic market admissions.
    pub admissions: Vec<AdmissionDto>,
}

/// An admission to a framework or the dynamic market.
#[derive(Serialize, ToSchema)]
pub struct AdmissionDto {
    /// `framework` or `dynamic-market`.
    pub route: String,
    /// From this date.
    pub admitted_on: String,
}

/// A provider with its branches, lots and, where the caller may see them, contracts.
#[derive(Serialize, ToSchema)]
pub struct ProviderDetail {
    /// The provider.
    #[serde(flatten)]
    pub provider: ProviderDto,
    /// Its branches.
    pub branches: Vec<BranchDto>,
    /// Lots it holds.
    pub lots: Vec<LotDto>,
    /// Its contracts, when the caller may see commercial terms.
    pub contracts: Option<Vec<ContractDto>>,
    /// Its staffing: care workers employed at its branches.
    pub care_workers: u32,
    /// Their contracted hours a week.
    pub contracted_weekly_hours: f64,
}

/// A branch office.
#[derive(Serialize, ToSchema)]
pub struct BranchDto {
    /// Stable id.
    pub id: String,
    /// Name.
    pub name: String,
    /// The area it is in.
    pub area_id: String,
}

/// A lot held.
#[derive(Serialize, ToSchema)]
pub struct LotDto {
    /// The area.
    pub area_id: String,
    /// `lead` or `secondary`.
    pub position: String,
    /// From this date.
    pub starts_on: String,
}

/// A contract; money in pence, enhancements in basis points.
#[derive(Serialize, ToSchema)]
pub struct ContractDto {
    /// Stable id.
    pub id: String,
    /// `block`, `spot`, `isf` or `gsf`.
    pub kind: String,
    /// The area of a block or group fund.
    pub area_id: Option<String>,
    /// Base hourly rate in pence.
    pub hourly_rate_pence: i64,
    /// Unsocial hours uplift, basis points.
    pub unsocial_hours_enhancement_bp: u32,
    /// Rural uplift, basis points.
    pub rural_enhancement_bp: u32,
    /// Complexity uplift, basis points.
    pub complexity_enhancement_bp: u32,
    /// Guaranteed hours a week.
    pub guaranteed_weekly_hours: f64,
    /// First day.
    pub starts_on: String,
    /// Last day.
    pub ends_on: Option<String>,
    /// `planned` or `actual`: the time visits are charged on.
    pub charge_basis: String,
    /// Chargeable minutes are rounded up to a multiple of this (1 for none).
    pub charge_increment_minutes: u16,
    /// No visit is charged at fewer minutes than this, a carer.
    pub minimum_charge_minutes: u16,
}

impl From<&Provider> for ProviderDto {
    fn from(provider: &Provider) -> ProviderDto {
        ProviderDto {
            id: provider.id.to_string(),
            name: provider.name.clone(),
            cqc_location_id: provider.cqc_location_id.as_ref().map(ToString::to_string),
            cqc_rating: provider.cqc_rating.code().into(),
            services: provider
                .services
                .iter()
                .map(|service| service.code().to_owned())
                .collect(),
            charter_stage: provider.charter_stage.code().into(),
            in_house: provider.in_house,
            admissions: provider
                .admissions
                .iter()
                .map(|admission| AdmissionDto {
                    route: admission.route.code().into(),
                    admitted_on: admission.admitted_on.to_string(),
                })
                .collect(),
        }
    }
}

list_body!(ProviderList, ProviderDto, "A page of providers.");

/// Paging for the list of providers.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ProviderQuery {
    /// Only providers whose name contains this, ignoring case.
    name: Option<String>,
    /// Page, from 1.
    #[param(value_type = Option<u64>, minimum = 1, maximum = 1000000)]
    page: Option<String>,
    /// Items a page, 1 to 200.
    #[param(value_type = Option<u64>, minimum = 1, maximum = 200)]
    per_page: Option<String>,
}

/// Lists providers by name.
#[utoipa::path(get, path = "/api/v1/providers", operation_id = "list_providers", tag = "providers", params(ProviderQuery), security(("bearer" = [])),
    responses((status = 200, body = ProviderList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<ProviderQuery>,
) -> Result<Json<ProviderList>, ApiError> {
    let paging = Paging::parse(query.page.as_deref(), query.per_page.as_deref())?;
    let wanted = query.name.unwrap_or_default().to_lowercase();
    let mut providers: Vec<Provider> = state
        .store
        .providers()
        .await
        .map_err(ApiError::store)?
        .into_iter()
        .filter(|provider| provider.name.to_lowercase().contains(&wanted))
        .collect();
    providers.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
    let total = providers.len() as u64;
    let items = paging
        .slice(providers)
        .iter()
        .map(ProviderDto::from)
        .collect();
    Ok(Json(ProviderList {
        items,
        page: paging.page,
        per_page: paging.per_page,
        total,
    }))
}

/// One provider with its branches, lots and contracts.
#[utoipa::path(get, path = "/api/v1/providers/{id}", operation_id = "get_provider", tag = "providers", params(("id" = String, Path, description = "Provider id")), security(("bearer" = [])),
    responses((status = 200, body = ProviderDetail), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn one(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    ApiFound(provider): ApiFound<Provider>,
) -> Result<Json<ProviderDetail>, ApiError> {
    let store = state.store.as_ref();
    let branches = store
        .provider_branches(&provider.id)
        .await
        .map_err(ApiError::store)?;
    let staffing = homeward_app::staffing::staffing(store, &provider.id)
        .await
        .map_err(ApiError::store)?;
    let awards = store.awards().await.map_err(ApiError::store)?;
    let contracts = if visibility::can_see_contracts(&signed.account, &provider.id) {
        let contracts = store.contracts().await.map_err(ApiError::store)?;
        Some(
            contracts
                .iter()
                .filter(|contract| contract.provider_id == provider.id)
                .map(|contract| ContractDto {
                    id: contract.id.to_string(),
                    kind: contract.kind.code().into(),
                    area_id: contract.area_id.as_ref().map(ToString::to_string),
                    hourly_rate_pence: contract.hourly_rate.0,
                    unsocial_hours_enhancement_bp: contract.enhancements.unsocial_hours_bp,
                    rural_enhancement_bp: contract.enhancements.rural_bp,
                    complexity_enhancement_bp: contract.enhancements.complexity_bp,
                    guaranteed_weekly_hours: f64::from(contract.guaranteed_weekly_minutes) / 60.0,
                    starts_on: contract.starts_on.to_string(),
                    ends_on: contract.ends_on.map(|date| date.to_string()),
                    charge_basis: contract.charge_terms.basis.code().into(),
                    charge_increment_minutes: contract.charge_terms.increment_minutes,
                    minimum_charge_minutes: contract.charge_terms.minimum_minutes,
                })
                .collect(),
        )
    } else {
        None
    };
    Ok(Json(ProviderDetail {
        provider: ProviderDto::from(&provider),
        branches: branches
            .iter()
            .map(|branch| BranchDto {
                id: branch.id.to_string(),
                name: branch.name.clone(),
                area_id: branch.area_id.to_string(),
            })
            .collect(),
        lots: awards
            .iter()
            .filter(|award| award.provider_id == provider.id)
            .map(|award| LotDto {
                area_id: award.area_id.to_string(),
                position: award.position.code().into(),
                starts_on: award.starts_on.to_string(),
            })
            .collect(),
        contracts,
        care_workers: u32::try_from(staffing.care_workers).unwrap_or(u32::MAX),
        contracted_weekly_hours: f64::from(staffing.contracted_weekly_minutes) / 60.0,
    }))
}
