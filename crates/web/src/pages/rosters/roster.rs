//! One roster: its runs as timelines with their figures and breaches, the visits no run holds,
//! and publishing it to the care workers.

use super::{failed, own_roster, roster_to_change};
use crate::AppState;
use crate::auth::Signed;
use crate::format::{clock, duration, long_date};
use crate::pages::{Layout, render};
use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use homeward_app::rostering::{self, minutes_at};
use homeward_domain::{RosterStatus, format_clock, london};

/// The timeline runs from 06:00 to midnight: nearly every visit falls in it.
const TIMELINE_FROM: f64 = 6.0 * 60.0;
const TIMELINE_MINUTES: f64 = 18.0 * 60.0;

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
