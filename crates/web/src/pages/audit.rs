//! The audit log: commissioners search every change.

use super::{Layout, PER_PAGE, Pagination, encode_query, page_number, render};
use crate::AppState;
use crate::auth::Signed;
use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use homeward_store::AuditFilter;

struct EventRow {
    sequence: i64,
    at: String,
    actor: String,
    action: String,
    kind: String,
    count: i64,
    record: String,
    before: Option<String>,
    after: Option<String>,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    layout: Layout,
    total: u64,
    filters: Vec<(&'static str, &'static str, String)>,
    events: Vec<EventRow>,
    pagination: Pagination,
}

/// The log's query: exact-match filters and a page.
#[derive(serde::Deserialize, Default)]
pub struct AuditQuery {
    actor: Option<String>,
    action: Option<String>,
    record_kind: Option<String>,
    record_id: Option<String>,
    page: Option<String>,
}

/// Characters of a record's JSON the page shows; an import's batch can be far longer, and the
/// API gives it whole.
const SHOWN_CHARACTERS: usize = 600;

fn shortened(json: String) -> String {
    let length = json.chars().count();
    if length <= SHOWN_CHARACTERS {
        return json;
    }
    let start: String = json.chars().take(SHOWN_CHARACTERS).collect();
    format!("{start}… ({length} characters in all; the API gives the whole record)")
}

fn filled(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|value| !value.is_empty())
        .map(str::to_owned)
}

/// Entries newest first, filtered.
pub async fn list(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Query(query): Query<AuditQuery>,
) -> Response {
    let filter = AuditFilter {
        actor: filled(&query.actor),
        action: filled(&query.action),
        record_kind: filled(&query.record_kind),
        record_id: filled(&query.record_id),
    };
    let page = page_number(query.page.as_deref());
    let found = match state
        .store
        .audit_events(&filter, (page - 1) * PER_PAGE, PER_PAGE)
        .await
    {
        Ok(found) => found,
        Err(error) => return super::error::store_failure(error),
    };
    let filters = vec![
        (
            "actor",
            "Who (account id)",
            filter.actor.clone().unwrap_or_default(),
        ),
        (
            "action",
            "What (create, update, …)",
            filter.action.clone().unwrap_or_default(),
        ),
        (
            "record_kind",
            "Kind of record",
            filter.record_kind.clone().unwrap_or_default(),
        ),
        (
            "record_id",
            "Record id",
            filter.record_id.clone().unwrap_or_default(),
        ),
    ];
    let query_string: String = filters
        .iter()
        .filter(|(_, _, value)| !value.is_empty())
        .map(|(name, _, value)| format!("&{name}={}", encode_query(value)))
        .collect();
    let events = found
        .events
        .into_iter()
        .map(|event| EventRow {
            sequence: event.sequence,
            at: event.at.strftime("%Y-%m-%d %H:%M:%S").to_string(),
            actor: event.actor,
            action: event.action,
            kind: event.record_kind,
            count: event.record_count,
            record: event.record_id.unwrap_or_default(),
            before: event.before.map(shortened),
            after: event.after.map(shortened),
        })
        .collect();
    let page = AuditPage {
        layout: Layout::new(&state, Some(&signed), "/audit").await,
        total: found.total,
        filters,
        events,
        pagination: Pagination::new(page, PER_PAGE, found.total, |number| {
            format!("/audit?page={number}{query_string}")
        }),
    };
    if page.pagination.is_past_the_end() {
        return super::error::not_found(&state, Some(&signed)).await;
    }
    render(&page, StatusCode::OK)
}
