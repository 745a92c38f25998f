//! `/api/v1/workers`: a provider's care workers, or a care worker's own record.

use super::error::{ApiError, ErrorBody};
use super::paging::{ApiQuery, Paging, list_body};
use crate::AppState;
use crate::auth::Signed;
use crate::found::ApiFound;
use axum::extract::State;
use axum::{Extension, Json};
use homeward_app::visibility;
use homeward_domain::CareWorker;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A care worker.
#[derive(Serialize, ToSchema)]
pub struct WorkerDto {
    /// Stable id.
    pub id: String,
    /// Their branch.
    pub branch_id: String,
    /// Name.
    pub name: String,
    /// `car`, `bike` or `foot`.
    pub travel_mode: String,
    /// Skills held (codes).
    pub skills: Vec<String>,
    /// `zero-hours`, `guaranteed-hours` or `fixed-hours`.
    pub employment: String,
    /// Hours a week guaranteed.
    pub guaranteed_weekly_hours: f64,
    /// Hours a week contracted.
    pub contracted_weekly_hours: f64,
}

impl From<&CareWorker> for WorkerDto {
    fn from(worker: &CareWorker) -> WorkerDto {
        WorkerDto {
            id: worker.id.to_string(),
            branch_id: worker.branch_id.to_string(),
            name: worker.name.clone(),
            travel_mode: worker.travel_mode.code().into(),
            skills: worker
                .skills
                .iter()
                .map(|skill| skill.code().to_owned())
                .collect(),
            employment: worker.employment.code().into(),
            guaranteed_weekly_hours: f64::from(worker.guaranteed_weekly_minutes) / 60.0,
            contracted_weekly_hours: f64::from(worker.contracted_weekly_minutes) / 60.0,
        }
    }
}

list_body!(WorkerList, WorkerDto, "A page of care workers.");

/// Filters and paging for the list of care workers.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct WorkerQuery {
    /// Only workers of this branch.
    branch_id: Option<String>,
    /// Page, from 1.
    #[param(value_type = Option<u64>, minimum = 1, maximum = 1000000)]
    page: Option<String>,
    /// Items a page, 1 to 200.
    #[param(value_type = Option<u64>, minimum = 1, maximum = 200)]
    per_page: Option<String>,
}

/// Lists the care workers the caller may see.
#[utoipa::path(get, path = "/api/v1/workers", operation_id = "list_workers", tag = "workers", params(WorkerQuery), security(("bearer" = [])),
    responses((status = 200, body = WorkerList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    ApiQuery(query): ApiQuery<WorkerQuery>,
) -> Result<Json<WorkerList>, ApiError> {
    let paging = Paging::parse(query.page.as_deref(), query.per_page.as_deref())?;
    let branch = query.branch_id.unwrap_or_default();
    let workers: Vec<CareWorker> = visibility::workers(state.store.as_ref(), &signed.account)
        .await
        .map_err(ApiError::store)?
        .into_iter()
        .filter(|worker| branch.is_empty() || worker.branch_id.as_str() == branch)
        .collect();
    let total = workers.len() as u64;
    let items = paging.slice(workers).iter().map(WorkerDto::from).collect();
    Ok(Json(WorkerList {
        items,
        page: paging.page,
        per_page: paging.per_page,
        total,
    }))
}

/// One care worker.
#[utoipa::path(get, path = "/api/v1/workers/{id}", operation_id = "get_worker", tag = "workers", params(("id" = String, Path, description = "Care worker id")), security(("bearer" = [])),
    responses((status = 200, body = WorkerDto), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn one(ApiFound(worker): ApiFound<CareWorker>) -> Result<Json<WorkerDto>, ApiError> {
    Ok(Json(WorkerDto::from(&worker)))
}
