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
use homeward_app::capacity::{self, CapacityError, ReturnInput};
use homeward_domain::{FieldError, Scope};

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

async fn show(
    state: &AppState,
    signed: &Signed,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Response {
    let Scope::Provider(provider) = &signed.account.scope else {
        return super::error::not_found(state, Some(signed)).await;
    };
    let today = state.clock.today();
    let store = state.store.as_ref();
    let (branches, areas, returns) = match (
        store.branches().await,
        store.areas().await,
        capacity::own_returns(store, &signed.account, today).await,
    ) {
        (Ok(branches), Ok(areas), Ok(returns)) => (branches, areas, returns),
        (Err(error), ..) | (_, Err(error), _) | (.., Err(CapacityError::Store(error))) => {
            return super::error::store_failure(error);
        }
        (.., Err(error)) => {
            tracing::error!(error = %error, "reading capacity returns failed");
            return super::error::internal();
        }
    };
    // The form offers the provider's own branches, in the register's order.
    let own: Vec<_> = branches
        .into_iter()
        .filter(|branch| &branch.provider_id == provider)
        .collect();
    let rows = returns
        .iter()
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
        week_of: capacity::this_week(today).to_string(),
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
    // Hours the form cannot read are out of range as far as the person typing is concerned.
    let hours = form.hours.trim().parse::<u32>().unwrap_or(u32::MAX);
    let input = ReturnInput {
        branch_id: &form.branch_id,
        area_id: &form.area_id,
        hours,
    };
    let error = match capacity::put_return(
        state.store.as_ref(),
        &signed.account,
        input,
        state.clock.now(),
    )
    .await
    {
        Ok(_) => return Redirect::to("/capacity").into_response(),
        Err(CapacityError::NotAProvider) => {
            return super::error::not_found(&state, Some(&signed)).await;
        }
        Err(CapacityError::Store(error)) => return super::error::store_failure(error),
        Err(CapacityError::Hours) => "Enter the hours a week as a whole number from 0 to 2000",
        Err(CapacityError::BranchNotFound | CapacityError::AreaNotFound) => {
            "Choose one of your branches and an area"
        }
    };
    show(
        &state,
        &signed,
        vec![FieldError::new("hours", error)],
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}
