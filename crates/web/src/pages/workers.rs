//! Care workers: a provider's staff list, and a worker's page.

use super::views::{Cell, ListPage, RecordPage, Tab, Table};
use super::{Layout, PER_PAGE, Pagination, page_number, page_of, render};
use crate::AppState;
use crate::auth::Signed;
use crate::found::Found;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use homeward_app::visibility;
use homeward_domain::CareWorker;
use homeward_domain::WorkerId;

/// The list's query.
#[derive(serde::Deserialize)]
pub struct ListQuery {
    page: Option<String>,
}

fn hours(minutes: u32) -> String {
    format!("{}", minutes / 60)
}

/// The care workers the account may see.
pub async fn list(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Query(query): Query<ListQuery>,
) -> Response {
    let (workers, branches) = match (
        visibility::workers(state.store.as_ref(), &signed.account).await,
        state.store.branches().await,
    ) {
        (Ok(workers), Ok(branches)) => (workers, branches),
        (Err(error), _) | (_, Err(error)) => return super::error::store_failure(error),
    };
    let mut workers = workers;
    workers.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
    let total = workers.len() as u64;
    let page = page_number(query.page.as_deref());
    let rows = page_of(workers, page, PER_PAGE)
        .into_iter()
        .map(|worker| {
            let branch = branches
                .iter()
                .find(|branch| branch.id == worker.branch_id)
                .map_or_else(
                    || worker.branch_id.to_string(),
                    |branch| branch.name.clone(),
                );
            vec![
                Cell::link(&worker.name, format!("/workers/{}", worker.id)),
                Cell::text(branch),
                Cell::text(worker.travel_mode.label()),
                Cell::text(worker.employment.label()),
                Cell::text(hours(worker.contracted_weekly_minutes)),
            ]
        })
        .collect();
    let page = ListPage {
        layout: Layout::new(&state, Some(&signed), "/workers").await,
        heading: "Care workers".into(),
        intro: Some(format!("{total} care workers.")),
        table: Table {
            caption: format!("Care workers, page {page}"),
            headings: vec![
                "Name",
                "Branch",
                "Travels by",
                "Contract",
                "Contracted hours",
            ],
            rows,
        },
        empty: "There are no care workers for you to see.",
        pagination: Pagination::new(page, PER_PAGE, total, |number| {
            format!("/workers?page={number}")
        }),
    };
    page.respond(&state, &signed).await
}

/// One care worker.
pub async fn page(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Found(worker): Found<CareWorker>,
) -> Response {
    let branch = match state.store.branch(&worker.branch_id).await {
        Ok(branch) => branch.map_or_else(|| worker.branch_id.to_string(), |branch| branch.name),
        Err(error) => return super::error::store_failure(error),
    };
    let summary = vec![
        ("Branch", branch),
        ("Travels by", worker.travel_mode.label().to_owned()),
        (
            "Skills",
            if worker.skills.is_empty() {
                "None recorded".to_owned()
            } else {
                worker
                    .skills
                    .iter()
                    .map(|skill| skill.label())
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        ),
        ("Contract", worker.employment.label().to_owned()),
        (
            "Guaranteed hours a week",
            hours(worker.guaranteed_weekly_minutes),
        ),
        (
            "Contracted hours a week",
            hours(worker.contracted_weekly_minutes),
        ),
    ];
    let today = state
        .clock
        .now()
        .to_zoned(homeward_domain::london().clone())
        .date();
    let until = today
        .checked_add(jiff::Span::new().days(RUN_DAYS - 1))
        .unwrap_or(today);
    let runs = match homeward_app::runs::of_worker(
        state.store.as_ref(),
        &signed.account,
        &worker.id,
        &worker.branch_id,
        today,
        until,
    )
    .await
    {
        Ok(runs) => runs,
        Err(error) => return super::error::store_failure(error),
    };
    let coordinator = signed.account.role == homeward_domain::Role::ProviderUser;
    let rows = runs
        .iter()
        .map(|run| {
            let local = run
                .stop
                .starts_at
                .to_zoned(homeward_domain::london().clone());
            let person = if coordinator {
                Cell::link(&run.person.name, format!("/people/{}", run.person.id))
            } else {
                Cell::text(crate::calendar::short_name(&run.person))
            };
            let mut row = vec![
                Cell::text(local.date().strftime("%a %-d %b")),
                Cell::text(local.strftime("%H:%M")),
                person,
                Cell::text(format!("{} min", run.visit.dated.duration_minutes)),
                Cell::text(format!("{} min", run.stop.travel_minutes)),
            ];
            if coordinator {
                row.push(Cell::text(if run.published {
                    "Published"
                } else {
                    "Draft"
                }));
            }
            row
        })
        .collect();
    let mut headings = vec!["Date", "Starts", "Person", "Length", "Travel to it"];
    if coordinator {
        headings.push("Roster");
    }
    let page = RecordPage {
        layout: Layout::new(&state, Some(&signed), &format!("/workers/{}", worker.id)).await,
        caption: "Care worker",
        heading: worker.name.clone(),
        summary,
        actions: vec![(
            "Add these runs to a calendar (iCalendar file)".to_owned(),
            format!("/workers/{}/runs.ics", worker.id),
        )],
        tabs: vec![Tab {
            id: "runs",
            title: "Runs",
            table: Table {
                caption: format!("Visits over the next {RUN_DAYS} days (UK time)"),
                headings,
                rows,
            },
            empty: "No visits are on this care worker's published runs over the next two weeks.",
        }],
    };
    render(&page, StatusCode::OK)
}

/// Days of runs the worker's page lists, today included.
const RUN_DAYS: i64 = 14;

/// The care worker's published runs from a week ago to four weeks ahead, as iCalendar.
pub async fn calendar(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = WorkerId::parse(&id, "id") else {
        return super::error::not_found(&state, Some(&signed)).await;
    };
    let now = state.clock.now();
    let runs = homeward_app::runs::calendar_of(
        state.store.as_ref(),
        &signed.account,
        &id,
        homeward_domain::london_date(now),
    )
    .await;
    match runs {
        Ok(Some(runs)) => crate::calendar::response(&runs, now),
        Ok(None) => super::error::not_found(&state, Some(&signed)).await,
        Err(error) => super::error::store_failure(error),
    }
}
