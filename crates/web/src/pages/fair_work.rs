//! Fair work figures: every provider's for the council (`/fair-work`), one provider's for the
//! council and for the provider itself (`/providers/{id}/fair-work`), for a calendar month.

use super::views::{Cell, Table};
use super::{Layout, render};
use crate::AppState;
use crate::auth::Signed;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use homeward_app::fair_work::{ProviderFairWork, fair_work};
use homeward_app::visibility;
use homeward_domain::fair_work::{CalendarMonth, FairWorkFigures, Share};
use homeward_domain::{CharterStage, FieldError, ProviderId, london_date};
use jiff::Timestamp;

/// The month a query names, or the last full calendar month when it names none (or leaves
/// the field empty, as the form does when cleared).
pub(crate) fn month_from(text: Option<&str>, now: Timestamp) -> Result<CalendarMonth, FieldError> {
    match text.map(str::trim).filter(|text| !text.is_empty()) {
        None => Ok(homeward_app::fair_work::default_month(london_date(now))),
        Some(text) => CalendarMonth::parse(text, "month"),
    }
}

/// A share as the pages write it: "12.5% (3 of 24)", or what it is of when it is of nothing.
fn share_text(share: Share, of_nothing: &str) -> String {
    share.percent().map_or_else(
        || of_nothing.to_owned(),
        |percent| format!("{percent:.1}% ({} of {})", share.count, share.of),
    )
}

fn travel_text(figures: &FairWorkFigures) -> String {
    figures.travel.per_visit().map_or_else(
        || "No visits on published rosters".to_owned(),
        |minutes| {
            format!(
                "{minutes:.1} min ({} on published runs)",
                visits(figures.travel.stops)
            )
        },
    )
}

/// "1 visit", "3 visits".
fn visits(count: u32) -> String {
    match count {
        1 => "1 visit".to_owned(),
        count => format!("{count} visits"),
    }
}

fn carers_text(figures: &FairWorkFigures) -> String {
    let continuity = figures.continuity;
    continuity.per_person().map_or_else(
        || "No carers known".to_owned(),
        |mean| {
            format!(
                "{mean:.1} ({} people, at most {})",
                continuity.people, continuity.most
            )
        },
    )
}

#[derive(Template)]
#[template(path = "fair_work.html")]
struct FairWorkPage {
    layout: Layout,
    errors: Vec<FieldError>,
    caption: String,
    heading: String,
    action: String,
    month_value: String,
    month_error: Option<String>,
    example: String,
    previous_href: String,
    next_href: String,
    summary: Vec<(&'static str, String)>,
    table: Option<Table>,
}

impl FairWorkPage {
    /// The page's frame for `month` at `action`; `refused` is what was typed and why not.
    async fn new(
        state: &AppState,
        signed: &Signed,
        action: String,
        month: CalendarMonth,
        refused: Option<(&str, FieldError)>,
    ) -> FairWorkPage {
        let href = |month: CalendarMonth| format!("{action}?month={month}");
        FairWorkPage {
            layout: Layout::new(state, Some(signed), &action).await,
            // A refused month shows no figures, so no month heads the page.
            caption: if refused.is_some() {
                "Fair work".to_owned()
            } else {
                month.label()
            },
            heading: "Fair work figures".to_owned(),
            month_value: refused
                .as_ref()
                .map_or_else(|| month.to_string(), |(typed, _)| (*typed).to_owned()),
            month_error: refused.as_ref().map(|(_, error)| error.message.clone()),
            errors: refused.map(|(_, error)| error).into_iter().collect(),
            example: month.to_string(),
            previous_href: href(month.previous()),
            next_href: href(month.next()),
            action,
            summary: Vec::new(),
            table: None,
        }
    }
}

/// The page's query.
#[derive(serde::Deserialize)]
pub struct MonthQuery {
    month: Option<String>,
}

/// The month of the query, or the page refusing it (422, naming `month`).
async fn month_or_refusal(
    state: &AppState,
    signed: &Signed,
    action: &str,
    query: &MonthQuery,
    now: Timestamp,
) -> Result<CalendarMonth, Response> {
    let error = match month_from(query.month.as_deref(), now) {
        Ok(month) => return Ok(month),
        Err(error) => error,
    };
    let fallback = month_from(None, now).expect("the default month is a month");
    let typed = query.month.as_deref().unwrap_or_default();
    let page = FairWorkPage::new(
        state,
        signed,
        action.to_owned(),
        fallback,
        Some((typed, error)),
    )
    .await;
    Err(render(&page, StatusCode::UNPROCESSABLE_ENTITY))
}

/// Every provider's figures for the month, one row each: for the council.
pub async fn every_provider(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Query(query): Query<MonthQuery>,
) -> Response {
    let now = state.clock.now();
    let month = match month_or_refusal(&state, &signed, "/fair-work", &query, now).await {
        Ok(month) => month,
        Err(response) => return response,
    };
    let rows = match fair_work(state.store.as_ref(), month, None, now).await {
        Ok(rows) => rows,
        Err(error) => return super::error::store_failure(error),
    };
    let mut page = FairWorkPage::new(&state, &signed, "/fair-work".to_owned(), month, None).await;
    page.table = Some(Table {
        caption: format!("Every provider, {}", month.label()),
        headings: vec![
            "Provider",
            "Charter stage",
            "Travel paid",
            "Travel per visit",
            "Visits",
            "Planned 15 min or less",
            "Planned under 30 min",
            "Carers per person",
        ],
        rows: rows
            .iter()
            .map(|ProviderFairWork { provider, figures }| {
                vec![
                    Cell::link(
                        &provider.name,
                        format!("/providers/{}/fair-work?month={month}", provider.id),
                    ),
                    Cell::text(match provider.charter_stage {
                        CharterStage::None => "None".to_owned(),
                        stage => stage.code().to_owned(),
                    }),
                    Cell::text(if figures.travel_pay.is_paid() {
                        "Yes"
                    } else {
                        "Not known"
                    }),
                    Cell::text(
                        figures
                            .travel
                            .per_visit()
                            .map_or_else(|| "—".to_owned(), |minutes| format!("{minutes:.1} min")),
                    ),
                    Cell::text(figures.visits),
                    Cell::text(percent_only(figures.planned_short)),
                    Cell::text(percent_only(figures.planned_under_half_hour)),
                    Cell::text(
                        figures
                            .continuity
                            .per_person()
                            .map_or_else(|| "—".to_owned(), |mean| format!("{mean:.1}")),
                    ),
                ]
            })
            .collect(),
    });
    render(&page, StatusCode::OK)
}

/// "12.5%", or a dash of nothing.
fn percent_only(share: Share) -> String {
    share
        .percent()
        .map_or_else(|| "—".to_owned(), |percent| format!("{percent:.1}%"))
}

/// One provider's figures for the month: the council's staff any provider's, a provider its
/// own; anyone else's is not found.
pub async fn one_provider(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Path(id): Path<String>,
    Query(query): Query<MonthQuery>,
) -> Response {
    let provider = match (
        ProviderId::parse(&id, "id"),
        visibility::fair_work_scope(&signed.account),
    ) {
        (Ok(provider), Some(scope)) if scope.allows(&provider) => provider,
        _ => return super::error::not_found(&state, Some(&signed)).await,
    };
    let action = format!("/providers/{provider}/fair-work");
    let now = state.clock.now();
    let month = match month_or_refusal(&state, &signed, &action, &query, now).await {
        Ok(month) => month,
        Err(response) => return response,
    };
    let row = match fair_work(state.store.as_ref(), month, Some(&provider), now).await {
        Ok(rows) => rows.into_iter().next(),
        Err(error) => return super::error::store_failure(error),
    };
    let Some(ProviderFairWork { provider, figures }) = row else {
        return super::error::not_found(&state, Some(&signed)).await;
    };
    let mut page = FairWorkPage::new(&state, &signed, action, month, None).await;
    page.heading = format!("Fair work figures: {}", provider.name);
    page.summary = vec![
        (
            "Ethical Care Charter",
            provider.charter_stage.label().to_owned(),
        ),
        ("Travel time", figures.travel_pay.label()),
        ("Travel per visit", travel_text(&figures)),
        ("Visits planned", figures.visits.to_string()),
        (
            "Planned for 15 minutes or less",
            share_text(figures.planned_short, "No visits"),
        ),
        (
            "Planned for under 30 minutes",
            share_text(figures.planned_under_half_hour, "No visits"),
        ),
        (
            "Lasted 15 minutes or less",
            share_text(figures.actual_short, "No visits checked in and out"),
        ),
        (
            "Lasted under 30 minutes",
            share_text(
                figures.actual_under_half_hour,
                "No visits checked in and out",
            ),
        ),
        ("Distinct carers per person", carers_text(&figures)),
        (
            "Whose carers are known from",
            format!(
                "{} visits from check-ins, {} from published rosters, {} from neither",
                figures.continuity.from_check_ins,
                figures.continuity.from_rosters,
                figures.continuity.unknown
            ),
        ),
    ];
    render(&page, StatusCode::OK)
}
