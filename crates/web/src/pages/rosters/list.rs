//! The coordinator's list of branches and their days, and the form that plans a day or a week.

use super::{failed, own_branches};
use crate::AppState;
use crate::auth::Signed;
use crate::format::long_date;
use crate::pages::{Layout, error_for, render};
use askama::Template;
use axum::Extension;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use homeward_app::Ids;
use homeward_app::rostering::{self, PLAN_AHEAD_DAYS, RosterError};
use homeward_domain::{FieldError, parse_date};

/// Days of each branch the list shows, today first.
const DAYS_SHOWN: i64 = 14;

/// One day of a branch in the list.
struct DayRow {
    date: String,
    label: String,
    status: String,
    detail: String,
    href: Option<String>,
}

struct BranchDays {
    name: String,
    days: Vec<DayRow>,
}

#[derive(Template)]
#[template(path = "rosters.html")]
struct ListPage {
    layout: Layout,
    errors: Vec<FieldError>,
    csrf_token: String,
    branches: Vec<(String, String)>,
    chosen_branch: String,
    date: String,
    span: String,
    seconds_per_day: f64,
    plan_ahead: i64,
    days: Vec<BranchDays>,
}

impl ListPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

/// The plan form as sent, to show it again with its errors.
#[derive(serde::Deserialize, Default)]
pub struct PlanForm {
    #[serde(default)]
    branch_id: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    span: String,
}

async fn show_list(
    state: &AppState,
    signed: &Signed,
    form: PlanForm,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Response {
    let branches = match own_branches(state, signed).await {
        Ok(Some(branches)) => branches,
        Ok(None) => return crate::pages::error::not_found(state, Some(signed)).await,
        Err(response) => return response,
    };
    let today = state.clock.today();
    let until = today
        .checked_add(jiff::Span::new().days(DAYS_SHOWN - 1))
        .unwrap_or(today);
    let mut days = Vec::new();
    for branch in &branches {
        let rosters = match state.store.branch_rosters(&branch.id, today, until).await {
            Ok(rosters) => rosters,
            Err(error) => return crate::pages::error::store_failure(error),
        };
        let rows = (0..DAYS_SHOWN)
            .filter_map(|offset| today.checked_add(jiff::Span::new().days(offset)).ok())
            .map(|date| {
                let stored = rosters.iter().find(|summary| summary.roster.date == date);
                let (status, detail, href) = match stored {
                    None => ("Not planned".to_owned(), String::new(), None),
                    Some(summary) => (
                        summary.roster.status.label().to_owned(),
                        format!(
                            "{} visits on runs, {} unmade",
                            summary.stops, summary.unmade
                        ),
                        Some(format!("/rosters/{}", summary.roster.id)),
                    ),
                };
                DayRow {
                    date: date.to_string(),
                    label: long_date(date),
                    status,
                    detail,
                    href,
                }
            })
            .collect();
        days.push(BranchDays {
            name: branch.name.clone(),
            days: rows,
        });
    }
    let tomorrow = today.tomorrow().unwrap_or(today);
    let page = ListPage {
        layout: Layout::new(state, Some(signed), "/rosters").await,
        errors,
        csrf_token: signed.csrf_token.clone().unwrap_or_default(),
        chosen_branch: if form.branch_id.is_empty() {
            branches
                .first()
                .map(|branch| branch.id.to_string())
                .unwrap_or_default()
        } else {
            form.branch_id.clone()
        },
        branches: branches
            .iter()
            .map(|branch| (branch.id.to_string(), branch.name.clone()))
            .collect(),
        date: if form.date.is_empty() {
            tomorrow.to_string()
        } else {
            form.date.clone()
        },
        span: if form.span == "week" { "week" } else { "day" }.to_owned(),
        seconds_per_day: state.config.roster_seconds_per_day,
        plan_ahead: PLAN_AHEAD_DAYS,
        days,
    };
    render(&page, status)
}

/// The provider's branches and their next fortnight, with the form to plan a day or a week.
pub async fn list(State(state): State<AppState>, Extension(signed): Extension<Signed>) -> Response {
    show_list(
        &state,
        &signed,
        PlanForm::default(),
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

/// Plans a day or a week of a branch and shows the (first) roster planned.
pub async fn plan(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Form(form): Form<PlanForm>,
) -> Response {
    let branches = match own_branches(&state, &signed).await {
        Ok(Some(branches)) => branches,
        Ok(None) => return crate::pages::error::not_found(&state, Some(&signed)).await,
        Err(response) => return response,
    };
    let mut errors = Vec::new();
    let branch = branches
        .iter()
        .find(|branch| branch.id.as_str() == form.branch_id.trim());
    if branch.is_none() {
        errors.push(FieldError::new("branch_id", "Select one of your branches"));
    }
    let date = parse_date(&form.date, "date")
        .map_err(|_| {
            errors.push(FieldError::new(
                "date",
                "Enter the day to plan as a date, for example 2026-11-27",
            ))
        })
        .ok();
    let week = match form.span.as_str() {
        "day" => false,
        "week" => true,
        _ => {
            errors.push(FieldError::new("span", "Select a day or a week"));
            false
        }
    };
    let (Some(branch), Some(date), true) = (branch, date, errors.is_empty()) else {
        return show_list(
            &state,
            &signed,
            form,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let store = state.store.as_ref();
    let settings = state.plan_settings();
    let ids = Ids::random();
    let now = state.clock.now();
    let actor = signed.actor();
    let planned = if week {
        rostering::plan_week(store, &ids, &branch.id, date, &settings, now, &actor)
            .await
            .map(|rosters| rosters.into_iter().next())
    } else {
        rostering::plan_day(store, &ids, &branch.id, date, &settings, now, &actor)
            .await
            .map(Some)
    };
    match planned {
        Ok(Some(roster)) => Redirect::to(&format!("/rosters/{}", roster.id)).into_response(),
        Ok(None) => Redirect::to("/rosters").into_response(),
        Err(RosterError::Invalid(invalid)) => {
            show_list(
                &state,
                &signed,
                form,
                invalid.0,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(error) => failed(&state, &signed, error).await,
    }
}
