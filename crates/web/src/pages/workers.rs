//! Care workers: a provider's staff list, and a worker's page.

use super::views::{Cell, ListPage, RecordPage, Table};
use super::{Layout, PER_PAGE, Pagination, page_number, page_of, render};
use crate::auth::Signed;
use crate::{AppState, visibility};
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
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
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = WorkerId::parse(&id, "id") else {
        return super::error::not_found(&state, Some(&signed)).await;
    };
    let worker = match super::error::found(
        &state,
        &signed,
        visibility::worker(state.store.as_ref(), &signed.account, &id).await,
    )
    .await
    {
        Ok(worker) => worker,
        Err(response) => return response,
    };
    let branch = match state.store.branches().await {
        Ok(branches) => branches
            .into_iter()
            .find(|branch| branch.id == worker.branch_id)
            .map_or_else(|| worker.branch_id.to_string(), |branch| branch.name),
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
    let page = RecordPage {
        layout: Layout::new(&state, Some(&signed), &format!("/workers/{}", worker.id)).await,
        caption: "Care worker",
        heading: worker.name.clone(),
        summary,
        tabs: Vec::new(),
    };
    render(&page, StatusCode::OK)
}
