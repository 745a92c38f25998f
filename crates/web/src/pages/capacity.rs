//! A provider's weekly capacity return: hours of new care each branch can take on, by area.

use super::views::{Cell, Table};
use super::{Layout, render};
use crate::AppState;
use crate::auth::Signed;
use askama::Template;
use axum::Extension;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use homeward_domain::brokerage::CapacityReturn;
use homeward_domain::{AreaId, BranchId, FieldError, Scope};
use jiff::civil::Date;

#[derive(Template)]
#[template(path = "capacity.html")]
struct CapacityPage {
    layout: Layout,
    errors: Vec<FieldError>,
    week_of: String,
    branches: Vec<(String, String)>,
    areas: Vec<(String, String)>,
    returns: Table,
    csrf_token: String,
}

/// The Monday of the week `state`'s clock is in, by London's date.
pub fn this_week(state: &AppState) -> Date {
    homeward_domain::brokerage::capacity_week_of(state.clock.today())
}

async fn show(
    state: &AppState,
    signed: &Signed,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Response {
    let Scope::Provider(provider) = &signed.account.scope else {
        return super::error::not_found(state, Some(signed)).await;
    };
    let store = state.store.as_ref();
    let (branches, areas, returns) = match (
        store.branches().await,
        store.areas().await,
        store.capacity_returns(this_week(state)).await,
    ) {
        (Ok(branches), Ok(areas), Ok(returns)) => (branches, areas, returns),
        (Err(error), ..) | (_, Err(error), _) | (.., Err(error)) => {
            return super::error::store_failure(error);
        }
    };
    let own: Vec<_> = branches
        .into_iter()
        .filter(|branch| &branch.provider_id == provider)
        .collect();
    let rows = returns
        .iter()
        .filter(|capacity| &capacity.provider_id == provider)
        .map(|capacity| {
            let branch = own
                .iter()
                .find(|branch| branch.id == capacity.branch_id)
                .map_or_else(
                    || capacity.branch_id.to_string(),
                    |branch| branch.name.clone(),
                );
            let area = areas
                .iter()
                .find(|area| area.id == capacity.area_id)
                .map_or_else(|| capacity.area_id.to_string(), |area| area.name.clone());
            vec![
                Cell::text(branch),
                Cell::text(area),
                Cell::text(capacity.week_of),
                Cell::text(capacity.hours),
            ]
        })
        .collect();
    let page = CapacityPage {
        layout: Layout::new(state, Some(signed), "/capacity").await,
        errors,
        week_of: this_week(state).to_string(),
        branches: own
            .iter()
            .map(|branch| (branch.id.to_string(), branch.name.clone()))
            .collect(),
        areas: areas
            .iter()
            .map(|area| (area.id.to_string(), area.name.clone()))
            .collect(),
        returns: Table {
            caption: "Your latest returns".into(),
            headings: vec!["Branch", "Area", "Week of", "Hours a week"],
            rows,
        },
        csrf_token: signed.csrf_token.clone().unwrap_or_default(),
    };
    render(&page, status)
}

/// The return form and the latest returns.
pub async fn form(State(state): State<AppState>, Extension(signed): Extension<Signed>) -> Response {
    show(&state, &signed, Vec::new(), StatusCode::OK).await
}

/// The return form's fields.
#[derive(serde::Deserialize)]
pub struct ReturnForm {
    #[serde(default)]
    branch_id: String,
    #[serde(default)]
    area_id: String,
    #[serde(default)]
    hours: String,
}

/// Stores a return for one of the provider's own branches.
pub async fn submit(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Form(form): Form<ReturnForm>,
) -> Response {
    let Scope::Provider(provider) = &signed.account.scope else {
        return super::error::not_found(&state, Some(&signed)).await;
    };
    let branches = match state.store.branches().await {
        Ok(branches) => branches,
        Err(error) => return super::error::store_failure(error),
    };
    let branch = BranchId::parse(&form.branch_id, "branch_id")
        .ok()
        .filter(|id| {
            branches
                .iter()
                .any(|branch| &branch.id == id && &branch.provider_id == provider)
        });
    let area = AreaId::parse(&form.area_id, "area_id").ok();
    let hours = form
        .hours
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|hours| *hours <= 2_000);
    let (Some(branch_id), Some(area_id), Some(hours)) = (branch, area, hours) else {
        let error = if hours.is_none() {
            "Enter the hours a week as a whole number from 0 to 2000"
        } else {
            "Choose one of your branches and an area"
        };
        return show(
            &state,
            &signed,
            vec![FieldError::new("hours", error)],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let capacity = CapacityReturn {
        branch_id,
        provider_id: provider.clone(),
        area_id,
        week_of: this_week(&state),
        hours,
        returned_at: state.clock.now(),
    };
    match state
        .store
        .put_capacity_return(&capacity, &signed.actor())
        .await
    {
        Ok(()) => Redirect::to("/capacity").into_response(),
        Err(error) => super::error::store_failure(error),
    }
}
