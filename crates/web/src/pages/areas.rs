//! An area's page, and the commissioner's form to change it.

use super::{Layout, render};
use crate::AppState;
use crate::auth::Signed;
use crate::figures;
use askama::Template;
use axum::Extension;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use homeward_app::areas::{self, AreaChange, AreaChangeError};
use homeward_domain::{Area, FieldError, Role, Tier};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "area.html")]
struct AreaPage {
    layout: Layout,
    id: String,
    name: String,
    can_edit: bool,
    summary: Vec<(&'static str, String)>,
    lots: Vec<(&'static str, String, String)>,
    capacity: Option<super::views::Table>,
}

fn yes_no(value: bool) -> String {
    if value { "Yes" } else { "No" }.to_owned()
}

/// An area with its figures and lots.
pub async fn page(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Path(id): Path<String>,
) -> Response {
    let snapshot = match figures::snapshot(&state).await {
        Ok(snapshot) => snapshot,
        Err(error) => return super::error::store_failure(error),
    };
    let Some(figures) = snapshot
        .areas
        .iter()
        .find(|figures| figures.area.id.as_str() == id)
    else {
        return super::error::not_found(&state, Some(&signed)).await;
    };
    let (awards, providers) = match (state.store.awards().await, state.store.providers().await) {
        (Ok(awards), Ok(providers)) => (awards, providers),
        (Err(error), _) | (_, Err(error)) => return super::error::store_failure(error),
    };
    let area = &figures.area;
    let lots = awards
        .iter()
        .filter(|award| award.area_id == area.id)
        .map(|award| {
            let provider = providers
                .iter()
                .find(|provider| provider.id == award.provider_id)
                .map_or_else(
                    || award.provider_id.to_string(),
                    |provider| provider.name.clone(),
                );
            (
                award.position.label(),
                provider,
                award.starts_on.to_string(),
            )
        })
        .collect();
    let summary = vec![
        ("Tier", area.tier.label().to_owned()),
        ("District", area.district.clone()),
        ("Rural", yes_no(area.rural)),
        ("Hard to serve", yes_no(area.hard_to_serve)),
        ("Customers", figures.demand.customers.to_string()),
        ("Weekly hours", figures.weekly_hours().to_string()),
        (
            "Providers delivering care",
            figures.demand.providers.to_string(),
        ),
        ("Centre", area.centroid.to_string()),
    ];
    // A failure to read the returns is reported, never shown as an area without a table.
    let capacity = if signed.account.is_council_staff() {
        match capacity_table(&state, &area.id, &providers).await {
            Ok(table) => Some(table),
            Err(error) => return super::error::store_failure(error),
        }
    } else {
        None
    };
    let page = AreaPage {
        layout: Layout::new(&state, Some(&signed), "/market").await,
        id: area.id.to_string(),
        name: area.name.clone(),
        can_edit: signed.account.role == Role::Commissioner,
        capacity,
        summary,
        lots,
    };
    render(&page, StatusCode::OK)
}

#[derive(Template)]
#[template(path = "area_edit.html")]
struct EditPage {
    layout: Layout,
    errors: Vec<FieldError>,
    id: String,
    original_name: String,
    name: String,
    district: String,
    tier: String,
    rural: bool,
    hard_to_serve: bool,
    tier_options: Vec<(&'static str, &'static str)>,
    csrf_token: String,
}

impl EditPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|error| error.field == field)
            .map(|error| error.message.as_str())
    }
}

async fn stored_area(
    state: &AppState,
    id: &str,
) -> Result<Option<Area>, homeward_store::StoreError> {
    areas::area(state.store.as_ref(), id).await
}

/// The form to change an area, filled in with what is stored.
pub async fn edit_form(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Path(id): Path<String>,
) -> Response {
    let area = match super::error::found(&state, &signed, stored_area(&state, &id).await).await {
        Ok(area) => area,
        Err(response) => return response,
    };
    let page = EditPage {
        layout: Layout::new(&state, Some(&signed), "/market").await,
        errors: Vec::new(),
        id: area.id.to_string(),
        original_name: area.name.clone(),
        name: area.name.clone(),
        district: area.district.clone(),
        tier: area.tier.code().to_owned(),
        rural: area.rural,
        hard_to_serve: area.hard_to_serve,
        tier_options: Tier::ALL
            .iter()
            .map(|tier| (tier.code(), tier.label()))
            .collect(),
        csrf_token: signed.csrf_token.clone().unwrap_or_default(),
    };
    render(&page, StatusCode::OK)
}

/// The area form's fields; checkboxes are absent when unticked.
#[derive(Deserialize)]
pub struct EditForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    district: String,
    #[serde(default)]
    tier: String,
    rural: Option<String>,
    hard_to_serve: Option<String>,
}

/// Saves a changed area, audited, or shows the form again with what is wrong.
pub async fn edit_submit(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Path(id): Path<String>,
    Form(form): Form<EditForm>,
) -> Response {
    let original = match super::error::found(&state, &signed, stored_area(&state, &id).await).await
    {
        Ok(area) => area,
        Err(response) => return response,
    };
    let tier = Tier::from_code(&form.tier);
    let change = AreaChange {
        name: Some(form.name.clone()),
        district: Some(form.district.clone()),
        tier,
        rural: Some(form.rural.is_some()),
        hard_to_serve: Some(form.hard_to_serve.is_some()),
    };
    // A tier not chosen is said with every other problem of the form, before anything is stored.
    let broken = match tier {
        None => change.apply(&original).validate().err(),
        Some(_) => {
            match areas::change_area(state.store.as_ref(), &original, &change, &signed.actor())
                .await
            {
                Ok(changed) => {
                    return Redirect::to(&format!("/areas/{}", changed.id)).into_response();
                }
                Err(AreaChangeError::Invalid(invalid)) => Some(invalid),
                Err(AreaChangeError::Store(error)) => return super::error::store_failure(error),
            }
        }
    };
    let mut errors = Vec::new();
    if tier.is_none() {
        errors.push(FieldError::new("tier", "Select the area's tier"));
    }
    for error in broken.map(|invalid| invalid.0).unwrap_or_default() {
        let message = match (error.field.as_str(), error.message.as_str()) {
            ("name", "is required") => "Enter the area's name".to_owned(),
            ("district", "is required") => "Enter the district, borough or GP cluster".to_owned(),
            (field, message) => format!("{} {message}", field_label(field)),
        };
        errors.push(FieldError::new(error.field, message));
    }
    errors.sort_by_key(|error| {
        ["name", "district", "tier"]
            .iter()
            .position(|field| *field == error.field)
    });
    let page = EditPage {
        layout: Layout::new(&state, Some(&signed), "/market").await,
        errors,
        id: original.id.to_string(),
        original_name: original.name,
        name: form.name,
        district: form.district,
        tier: form.tier,
        rural: form.rural.is_some(),
        hard_to_serve: form.hard_to_serve.is_some(),
        tier_options: Tier::ALL
            .iter()
            .map(|tier| (tier.code(), tier.label()))
            .collect(),
        csrf_token: signed.csrf_token.clone().unwrap_or_default(),
    };
    render(&page, StatusCode::UNPROCESSABLE_ENTITY)
}

fn field_label(field: &str) -> &str {
    match field {
        "name" => "Name",
        "district" => "District",
        _ => field,
    }
}

/// This week's capacity returns for the area, for brokers and commissioners.
async fn capacity_table(
    state: &AppState,
    area: &homeward_domain::AreaId,
    providers: &[homeward_domain::Provider],
) -> Result<super::views::Table, homeward_store::StoreError> {
    let store = state.store.as_ref();
    let returns = homeward_app::capacity::area_returns(store, area, state.clock.today()).await?;
    let branches = store.branches().await?;
    let rows = returns
        .iter()
        .map(|capacity| {
            let provider = providers
                .iter()
                .find(|provider| provider.id == capacity.provider_id)
                .map_or_else(
                    || capacity.provider_id.to_string(),
                    |provider| provider.name.clone(),
                );
            let branch = branches
                .iter()
                .find(|branch| branch.id == capacity.branch_id)
                .map_or_else(
                    || capacity.branch_id.to_string(),
                    |branch| branch.name.clone(),
                );
            vec![
                super::views::Cell::text(provider),
                super::views::Cell::text(branch),
                super::views::Cell::text(capacity.week_of),
                super::views::Cell::text(capacity.hours),
            ]
        })
        .collect();
    Ok(super::views::Table {
        caption: "Capacity returned by providers".into(),
        headings: vec!["Provider", "Branch", "Week of", "Hours a week"],
        rows,
    })
}
