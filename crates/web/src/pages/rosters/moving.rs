//! Moving one carer's part of a visit to another run (or off every run) by hand, with what the
//! move breaks.

use super::{failed, own_roster, roster_to_change};
use crate::AppState;
use crate::auth::Signed;
use crate::pages::{Layout, error_for, render};
use askama::Template;
use axum::Extension;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use homeward_app::rostering::{self, Move, RosterError, RosterView};
use homeward_domain::{FieldError, VisitId, WorkerId, format_clock};

#[derive(Template)]
#[template(path = "roster_move.html")]
struct MovePage {
    layout: Layout,
    errors: Vec<FieldError>,
    id: String,
    csrf_token: String,
    visit_id: String,
    part: u8,
    summary: Vec<(&'static str, String)>,
    /// (value, label, hint, checked)
    choices: Vec<(String, String, String, bool)>,
}

impl MovePage {
    fn error_for(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

/// Which visit part the move form is for.
#[derive(serde::Deserialize)]
pub struct MoveQuery {
    #[serde(default)]
    visit: String,
    #[serde(default)]
    part: String,
}

async fn show_move(
    state: &AppState,
    signed: &Signed,
    view: RosterView,
    visit_id: &VisitId,
    part: u8,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Response {
    let Some(visit) = view.day.visit(visit_id) else {
        return crate::pages::error::not_found(state, Some(signed)).await;
    };
    if part >= visit.dated.carers {
        return crate::pages::error::not_found(state, Some(signed)).await;
    }
    let person = view.day.people.get(&visit.dated.person_id);
    let skills = view
        .day
        .packages
        .get(&visit.dated.package_id)
        .map(|package| package.skills.clone())
        .unwrap_or_default();
    let current = view
        .roster
        .stops
        .iter()
        .find(|stop| &stop.visit_id == visit_id && stop.part == part)
        .map(|stop| stop.worker_id.clone());
    let known = person.and_then(|person| view.day.known_carers.get(&person.id));
    let mut summary = vec![
        (
            "Person",
            person.map_or_else(String::new, |person| person.name.clone()),
        ),
        ("Planned time", format_clock(visit.dated.local_start)),
        ("Length", format!("{} min", visit.dated.duration_minutes)),
        (
            "Skills needed",
            if skills.is_empty() {
                "None beyond personal care".to_owned()
            } else {
                skills
                    .iter()
                    .map(|skill| skill.label())
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        ),
    ];
    if visit.dated.carers == 2 {
        summary.push(("Carer", format!("{} of 2", part + 1)));
    }
    let mut choices: Vec<(String, String, String, bool)> = view
        .day
        .workers
        .iter()
        .map(|worker| {
            let mut hints = Vec::new();
            if known.is_some_and(|known| known.contains(&worker.id)) {
                hints.push("knows this person".to_owned());
            }
            let missing: Vec<&str> = skills
                .iter()
                .filter(|skill| !worker.skills.contains(skill))
                .map(|skill| skill.label())
                .collect();
            if !missing.is_empty() {
                hints.push(format!("lacks {}", missing.join(", ")));
            }
            let visits = view
                .runs
                .iter()
                .find(|run| run.worker.id == worker.id)
                .map_or(0, |run| run.stops.len());
            hints.push(format!("{visits} visits that day"));
            (
                worker.id.to_string(),
                worker.name.clone(),
                hints.join("; "),
                current.as_ref() == Some(&worker.id),
            )
        })
        .collect();
    choices.push((
        "none".to_owned(),
        "Take it off every run".to_owned(),
        "It stays unmade until you give it to someone".to_owned(),
        current.is_none(),
    ));
    let page = MovePage {
        layout: Layout::new(state, Some(signed), "/rosters").await,
        errors,
        id: view.roster.id.to_string(),
        csrf_token: signed.csrf_token.clone().unwrap_or_default(),
        visit_id: visit_id.to_string(),
        part,
        summary,
        choices,
    };
    render(&page, status)
}

fn parse_part(text: &str) -> Option<u8> {
    match text.trim() {
        "" | "0" => Some(0),
        "1" => Some(1),
        _ => None,
    }
}

/// The form to move one carer's part of a visit to another run.
pub async fn move_form(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Path(id): Path<String>,
    Query(query): Query<MoveQuery>,
) -> Response {
    let view = match own_roster(&state, &signed, &id).await {
        Ok(view) => view,
        Err(response) => return response,
    };
    let (Ok(visit_id), Some(part)) = (
        VisitId::parse(&query.visit, "visit"),
        parse_part(&query.part),
    ) else {
        return crate::pages::error::not_found(&state, Some(&signed)).await;
    };
    show_move(
        &state,
        &signed,
        view,
        &visit_id,
        part,
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

/// The move form's fields.
#[derive(serde::Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    visit_id: String,
    #[serde(default)]
    part: String,
    #[serde(default)]
    worker_id: String,
}

/// Makes the move, then shows the roster with what the move breaks first.
pub async fn move_submit(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Path(id): Path<String>,
    Form(form): Form<MoveForm>,
) -> Response {
    let view = match roster_to_change(&state, &signed, &id).await {
        Ok(view) => view,
        Err(response) => return response,
    };
    let (Ok(visit_id), Some(part)) = (
        VisitId::parse(&form.visit_id, "visit_id"),
        parse_part(&form.part),
    ) else {
        return crate::pages::error::not_found(&state, Some(&signed)).await;
    };
    let to = match form.worker_id.trim() {
        "none" => None,
        text => match WorkerId::parse(text, "worker_id") {
            Ok(worker) if view.day.worker(&worker).is_some() => Some(worker),
            _ => {
                let errors = vec![FieldError::new(
                    "worker_id",
                    "Select a care worker of this branch, or take the visit off every run",
                )];
                return show_move(
                    &state,
                    &signed,
                    view,
                    &visit_id,
                    part,
                    errors,
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await;
            }
        },
    };
    let change = Move {
        visit_id: &visit_id,
        part,
        to: to.as_ref(),
    };
    let roster_id = view.roster.id.clone();
    match rostering::move_visit(
        state.store.as_ref(),
        &roster_id,
        change,
        &state.plan_settings(),
        state.clock.now(),
        &signed.actor(),
    )
    .await
    {
        Ok(_) => {
            Redirect::to(&format!("/rosters/{roster_id}?moved={visit_id}#moved")).into_response()
        }
        Err(RosterError::Invalid(invalid)) => {
            show_move(
                &state,
                &signed,
                view,
                &visit_id,
                part,
                invalid.0,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(error) => failed(&state, &signed, error).await,
    }
}
