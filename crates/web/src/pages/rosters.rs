//! Rostering for a provider's coordinator: the branches' days with their rosters, planning a day
//! or a week with the scheduling engine, one roster's runs with their figures and breaches,
//! moving a visit by hand, and publishing the day to the care workers.

use super::{Layout, error_for, render};
use crate::AppState;
use crate::auth::Signed;
use askama::Template;
use axum::Extension;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use homeward_app::Ids;
use homeward_app::rostering::{self, Move, PLAN_AHEAD_DAYS, RosterError, RosterView, minutes_at};
use homeward_domain::{
    Branch, FieldError, RosterId, RosterStatus, VisitId, WorkerId, format_clock, london, parse_date,
};
use jiff::Timestamp;
use jiff::civil::Date;

/// Days of each branch the list shows, today first.
const DAYS_SHOWN: i64 = 14;

/// The timeline runs from 06:00 to midnight: nearly every visit falls in it.
const TIMELINE_FROM: f64 = 6.0 * 60.0;
const TIMELINE_MINUTES: f64 = 18.0 * 60.0;

/// The branches of the signed-in provider, by name; `None` for anyone else.
async fn own_branches(state: &AppState, signed: &Signed) -> Result<Option<Vec<Branch>>, Response> {
    homeward_app::visibility::own_branches(state.store.as_ref(), &signed.account)
        .await
        .map_err(super::error::store_failure)
}

/// A date as the pages write it: "Tuesday 27 October 2026".
pub fn long_date(date: Date) -> String {
    date.strftime("%A %-d %B %Y").to_string()
}

/// An instant's London wall-clock time, "08:05".
pub fn clock(at: Timestamp) -> String {
    at.to_zoned(london().clone()).strftime("%H:%M").to_string()
}

/// Minutes as "2 h 05 min" or "35 min".
pub fn duration(minutes: u32) -> String {
    if minutes >= 60 {
        format!("{} h {:02} min", minutes / 60, minutes % 60)
    } else {
        format!("{minutes} min")
    }
}

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
        Ok(None) => return super::error::not_found(state, Some(signed)).await,
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
            Err(error) => return super::error::store_failure(error),
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
        Ok(None) => return super::error::not_found(&state, Some(&signed)).await,
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

/// The page for a step the roster's state or the server's load refused, or for our own failure.
async fn failed(state: &AppState, signed: &Signed, error: RosterError) -> Response {
    match error {
        RosterError::DayPassed(_) => {
            super::error::refused(
                state,
                signed,
                "This roster's day has passed",
                "A past day's roster stays as it was planned and published. To record when a visit really happened, correct its times from the visit's record in call monitoring.",
                StatusCode::CONFLICT,
            )
            .await
        }
        RosterError::Busy => {
            super::error::refused(
                state,
                signed,
                "Planning is busy",
                "Every planner is busy planning other days. Nothing was changed. Try again in a minute.",
                StatusCode::SERVICE_UNAVAILABLE,
            )
            .await
        }
        error => {
            tracing::error!(error = ?error.to_string(), "rostering failed");
            super::error::internal()
        }
    }
}

/// The roster `id` and its view, if it is one of the signed-in provider's branches'.
async fn own_roster(state: &AppState, signed: &Signed, id: &str) -> Result<RosterView, Response> {
    let Ok(id) = RosterId::parse(id, "id") else {
        return Err(super::error::not_found(state, Some(signed)).await);
    };
    match homeward_app::visibility::own_roster(state.store.as_ref(), &signed.account, &id).await {
        Ok(Some(_)) => {}
        Ok(None) => return Err(super::error::not_found(state, Some(signed)).await),
        Err(error) => return Err(super::error::store_failure(error)),
    }
    match rostering::view(state.store.as_ref(), &id, &state.plan_settings()).await {
        Ok(view) => Ok(view),
        Err(error) => Err(failed(state, signed, error).await),
    }
}

/// One visit on a run, as the roster page lists it.
struct StopRow {
    time: String,
    planned: String,
    person: String,
    person_href: String,
    length: String,
    travel: String,
    carer_note: String,
    move_href: String,
}

/// A block of the timeline bar: where it starts and how wide it is, in per cent of the bar.
struct Block {
    left: String,
    width: String,
}

struct RunRow {
    worker: String,
    worker_href: String,
    summary: String,
    blocks: Vec<Block>,
    stops: Vec<StopRow>,
}

struct UnmadeRow {
    time: String,
    person: String,
    person_href: String,
    length: String,
    reason: String,
    move_href: String,
}

#[derive(Template)]
#[template(path = "roster.html")]
struct RosterPage {
    layout: Layout,
    id: String,
    branch: String,
    date: String,
    draft: bool,
    status_line: String,
    csrf_token: String,
    figures: Vec<(&'static str, String)>,
    breaches: Vec<String>,
    moved: Vec<String>,
    moved_visit: String,
    stale: usize,
    runs: Vec<RunRow>,
    unmade: Vec<UnmadeRow>,
    idle: Vec<String>,
}

/// The page's query: a move just made, whose breaches the page puts first.
#[derive(serde::Deserialize)]
pub struct RosterQuery {
    moved: Option<String>,
}

/// One roster: figures, breaches, runs with their timelines, unmade visits.
pub async fn page(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Path(id): Path<String>,
    Query(query): Query<RosterQuery>,
) -> Response {
    let view = match own_roster(&state, &signed, &id).await {
        Ok(view) => view,
        Err(response) => return response,
    };
    let roster = &view.roster;
    let figures = &view.figures;
    let made = figures.visits - figures.unmade;
    let figure_rows = vec![
        (
            "Visits",
            format!(
                "{} ({made} on runs, {} unmade)",
                figures.visits, figures.unmade
            ),
        ),
        (
            "Care workers with a run",
            format!("{} of {}", figures.workers_used, view.day.workers.len()),
        ),
        (
            "Travel",
            format!(
                "{} ({:.1}% of paid time, {})",
                duration(figures.travel_minutes),
                figures.travel_share_percent,
                duration(figures.paid_minutes)
            ),
        ),
        (
            "Carers a person sees",
            format!(
                "{:.2} on average, {} people",
                figures.carers_per_person, figures.people
            ),
        ),
        (
            "Visits by a carer known from the week before",
            figures.known_carer_percent.map_or_else(
                || "No visits the week before".to_owned(),
                |share| format!("{share:.0}%"),
            ),
        ),
        (
            "Visits starting outside their window",
            figures.late_parts.to_string(),
        ),
    ];
    let moved_visit = query.moved.unwrap_or_default();
    let moved = view
        .breaches
        .iter()
        .filter(|breach| {
            !moved_visit.is_empty() && breach.visit.as_deref() == Some(moved_visit.as_str())
        })
        .map(|breach| breach.message.clone())
        .collect();
    let runs = view
        .runs
        .iter()
        .map(|run| {
            let stops: Vec<StopRow> = run
                .stops
                .iter()
                .map(|stop| {
                    let visit = &stop.visit;
                    let late = stop.minutes_from_plan;
                    StopRow {
                        time: clock(stop.stop.starts_at),
                        planned: if late == 0 {
                            "On time".to_owned()
                        } else if late > 0 {
                            format!("{late} min after {}", format_clock(visit.dated.local_start))
                        } else {
                            format!(
                                "{} min before {}",
                                -late,
                                format_clock(visit.dated.local_start)
                            )
                        },
                        person: stop.person.name.clone(),
                        person_href: format!("/people/{}", stop.person.id),
                        length: format!(
                            "{} min{}",
                            visit.dated.duration_minutes,
                            if visit.dated.carers == 2 {
                                ", two carers"
                            } else {
                                ""
                            }
                        ),
                        travel: format!("{} min", stop.stop.travel_minutes),
                        carer_note: if stop.known_carer {
                            "Known carer".to_owned()
                        } else {
                            String::new()
                        },
                        move_href: format!(
                            "/rosters/{}/move?visit={}&part={}",
                            roster.id, visit.id, stop.stop.part
                        ),
                    }
                })
                .collect();
            let blocks = run
                .stops
                .iter()
                .map(|stop| {
                    let start = minutes_at(roster.date, stop.stop.starts_at);
                    let from =
                        ((start - TIMELINE_FROM) / TIMELINE_MINUTES * 100.0).clamp(0.0, 100.0);
                    let to = ((start + f64::from(stop.visit.dated.duration_minutes)
                        - TIMELINE_FROM)
                        / TIMELINE_MINUTES
                        * 100.0)
                        .clamp(0.0, 100.0);
                    Block {
                        left: format!("{from:.2}"),
                        width: format!("{:.2}", (to - from).max(0.4)),
                    }
                })
                .collect();
            RunRow {
                worker: run.worker.name.clone(),
                worker_href: format!("/workers/{}", run.worker.id),
                summary: format!(
                    "{} visits from {} to {}, {} travel, {} paid",
                    run.stops.len(),
                    run.stops
                        .first()
                        .map(|stop| clock(stop.stop.starts_at))
                        .unwrap_or_default(),
                    run.stops
                        .last()
                        .map(|stop| clock(
                            stop.stop.starts_at + minutes(stop.visit.dated.duration_minutes)
                        ))
                        .unwrap_or_default(),
                    duration(run.travel_minutes),
                    duration(run.working_minutes)
                ),
                blocks,
                stops,
            }
        })
        .collect();
    let unmade = view
        .unmade
        .iter()
        .map(|unmade| UnmadeRow {
            time: format_clock(unmade.visit.dated.local_start),
            person: unmade.person.name.clone(),
            person_href: format!("/people/{}", unmade.person.id),
            length: format!("{} min", unmade.visit.dated.duration_minutes),
            reason: unmade.reason.clone(),
            move_href: format!(
                "/rosters/{}/move?visit={}&part=0",
                roster.id, unmade.visit.id
            ),
        })
        .collect();
    let status_line = match (roster.status, roster.published_at) {
        (RosterStatus::Published, Some(at)) => format!(
            "Published to the care workers at {} on {}.",
            clock(at),
            long_date(at.to_zoned(london().clone()).date())
        ),
        _ => "Draft: the care workers cannot see it until you publish it.".to_owned(),
    };
    let page = RosterPage {
        layout: Layout::new(&state, Some(&signed), "/rosters").await,
        id: roster.id.to_string(),
        branch: view.day.branch.name.clone(),
        date: long_date(roster.date),
        draft: roster.status == RosterStatus::Draft,
        status_line,
        csrf_token: signed.csrf_token.clone().unwrap_or_default(),
        figures: figure_rows,
        breaches: view
            .breaches
            .iter()
            .map(|breach| breach.message.clone())
            .collect(),
        moved,
        moved_visit,
        stale: view.stale_stops,
        runs,
        unmade,
        idle: view.idle.iter().map(|worker| worker.name.clone()).collect(),
    };
    render(&page, StatusCode::OK)
}

fn minutes(minutes: u16) -> jiff::SignedDuration {
    jiff::SignedDuration::from_mins(i64::from(minutes))
}

/// The roster `id` for a form that changes it (the guard has checked its anti-forgery token).
async fn roster_to_change(
    state: &AppState,
    signed: &Signed,
    id: &str,
) -> Result<RosterView, Response> {
    own_roster(state, signed, id).await
}

/// Publishes the roster to its care workers.
pub async fn publish(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Path(id): Path<String>,
) -> Response {
    let view = match roster_to_change(&state, &signed, &id).await {
        Ok(view) => view,
        Err(response) => return response,
    };
    match rostering::publish(
        state.store.as_ref(),
        &view.roster.id,
        state.clock.now(),
        &signed.actor(),
    )
    .await
    {
        Ok(roster) => Redirect::to(&format!("/rosters/{}", roster.id)).into_response(),
        Err(error) => failed(&state, &signed, error).await,
    }
}

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
        return super::error::not_found(state, Some(signed)).await;
    };
    if part >= visit.dated.carers {
        return super::error::not_found(state, Some(signed)).await;
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
        return super::error::not_found(&state, Some(&signed)).await;
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
        return super::error::not_found(&state, Some(&signed)).await;
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
