//! A provider's offers inbox and the answer to each offer.

use super::views::{Cell, ListPage, Table};
use super::{Layout, PER_PAGE, Pagination, page_number, page_of, render};
use crate::AppState;
use crate::auth::Signed;
use askama::Template;
use axum::Extension;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use homeward_app::BrokerageError;
use homeward_domain::brokerage::ReferralRecord;
use homeward_domain::brokerage::{DeclineReason, Offer, OfferResponse};
use homeward_domain::{FieldError, OfferId, Pence, ProviderId, Scope, parse_date};

fn own_provider(signed: &Signed) -> Option<&ProviderId> {
    match &signed.account.scope {
        Scope::Provider(provider) => Some(provider),
        _ => None,
    }
}

/// The inbox's query.
#[derive(serde::Deserialize)]
pub struct InboxQuery {
    page: Option<String>,
}

/// The provider's offers, unanswered first.
pub async fn inbox(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Query(query): Query<InboxQuery>,
) -> Response {
    let Some(provider) = own_provider(&signed) else {
        return super::error::not_found(&state, Some(&signed)).await;
    };
    let (offers, areas) = match (
        state.store.provider_offers(provider, false).await,
        state.store.areas().await,
    ) {
        (Ok(offers), Ok(areas)) => (offers, areas),
        (Err(error), _) | (_, Err(error)) => return super::error::store_failure(error),
    };
    let mut offers = offers;
    offers.sort_by_key(|(offer, _)| offer.response.is_some());
    let total = offers.len() as u64;
    let page = page_number(query.page.as_deref());
    let rows = page_of(offers, page, PER_PAGE)
        .into_iter()
        .map(|(offer, record)| {
            let area = areas
                .iter()
                .find(|area| area.id == record.referral.area_id)
                .map_or_else(
                    || record.referral.area_id.to_string(),
                    |area| area.name.clone(),
                );
            let status = match &offer.response {
                None => format!("Answer by {}", offer.deadline.strftime("%Y-%m-%d %H:%M")),
                Some((_, OfferResponse::Accept { .. })) => "Accepted".to_owned(),
                Some((_, OfferResponse::Decline(reason))) => {
                    format!("Declined: {}", reason.label())
                }
            };
            vec![
                Cell::link(
                    format!("{} in {area}", record.referral.needs.pattern),
                    format!("/offers/{}", offer.id),
                ),
                Cell::text(offer.step.label()),
                Cell::text(format!(
                    "{:.2}",
                    f64::from(record.referral.needs.weekly_minutes()) / 60.0
                )),
                Cell::text(record.referral.needed_by),
                Cell::text(status),
            ]
        })
        .collect();
    let page = ListPage {
        layout: Layout::new(&state, Some(&signed), "/offers").await,
        heading: "Offers".into(),
        intro: Some(format!(
            "{total} offers made to you. Answer each before its deadline: an unanswered offer moves on to the next provider."
        )),
        table: Table {
            caption: format!("Offers, page {page}"),
            headings: vec!["Visits", "Step", "Weekly hours", "Needed by", "Status"],
            rows,
        },
        empty: "You have no offers.",
        pagination: Pagination::new(page, PER_PAGE, total, |number| {
            format!("/offers?page={number}")
        }),
    };
    page.respond(&state, &signed).await
}

#[derive(Template)]
#[template(path = "offer.html")]
struct OfferPage {
    layout: Layout,
    errors: Vec<FieldError>,
    id: String,
    step: &'static str,
    area: String,
    summary: Vec<(&'static str, String)>,
    open: bool,
    closed_because: &'static str,
    quotes: bool,
    reasons: Vec<(&'static str, &'static str)>,
    csrf_token: String,
    example_date: String,
}

impl OfferPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|error| error.field == field)
            .map(|error| error.message.as_str())
    }
}

async fn find(
    state: &AppState,
    signed: &Signed,
    id: &str,
) -> Result<(Offer, ReferralRecord), Response> {
    let (Some(provider), Ok(id)) = (own_provider(signed), OfferId::parse(id, "id")) else {
        return Err(super::error::not_found(state, Some(signed)).await);
    };
    match state.store.offer(&id).await {
        Ok(Some(found)) if &found.0.provider_id == provider => Ok(found),
        Ok(_) => Err(super::error::not_found(state, Some(signed)).await),
        Err(error) => Err(super::error::store_failure(error)),
    }
}

async fn show(
    state: &AppState,
    signed: &Signed,
    offer: Offer,
    record: ReferralRecord,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Response {
    let area = match state.store.areas().await {
        Ok(areas) => areas
            .into_iter()
            .find(|area| area.id == record.referral.area_id),
        Err(error) => return super::error::store_failure(error),
    };
    let referral = &record.referral;
    let now = state.clock.now();
    let summary = vec![
        (
            "Area",
            area.as_ref().map_or_else(
                || referral.area_id.to_string(),
                |area| format!("{} ({})", area.name, area.tier.label()),
            ),
        ),
        ("Visits each week", referral.needs.pattern.to_string()),
        (
            "Weekly hours",
            format!("{:.2}", f64::from(referral.needs.weekly_minutes()) / 60.0),
        ),
        (
            "Skills",
            if referral.needs.skills.is_empty() {
                "None beyond personal care".to_owned()
            } else {
                referral
                    .needs
                    .skills
                    .iter()
                    .map(|skill| skill.label())
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        ),
        (
            "Complex needs",
            if referral.needs.complex { "Yes" } else { "No" }.to_owned(),
        ),
        ("Needed by", referral.needed_by.to_string()),
        (
            "Answer by (UTC)",
            offer.deadline.strftime("%Y-%m-%d %H:%M").to_string(),
        ),
    ];
    let closed_because = match (&offer.response, offer.is_open(now)) {
        (Some(_), _) => "you have answered it",
        (None, false) => "its deadline has passed",
        (None, true) => "",
    };
    let page = OfferPage {
        layout: Layout::new(state, Some(signed), "/offers").await,
        errors,
        id: offer.id.to_string(),
        step: offer.step.label(),
        area: area.map_or_else(|| referral.area_id.to_string(), |area| area.name),
        summary,
        open: offer.is_open(now),
        closed_because,
        quotes: offer.step.is_broadcast(),
        reasons: DeclineReason::ALL
            .iter()
            .map(|reason| (reason.code(), reason.label()))
            .collect(),
        csrf_token: signed.csrf_token.clone().unwrap_or_default(),
        example_date: referral.needed_by.max(state.clock.today()).to_string(),
    };
    render(&page, status)
}

/// One offer, with the answer form while it is open.
pub async fn page(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Path(id): Path<String>,
) -> Response {
    match find(&state, &signed, &id).await {
        Ok((offer, record)) => {
            show(&state, &signed, offer, record, Vec::new(), StatusCode::OK).await
        }
        Err(response) => response,
    }
}

/// The answer form's fields.
#[derive(serde::Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    answer: String,
    #[serde(default)]
    start_on: String,
    #[serde(default)]
    hourly_rate_pence: String,
}

/// Records the answer; the referral moves on if it settles the step.
pub async fn answer(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Path(id): Path<String>,
    Form(form): Form<AnswerForm>,
) -> Response {
    let (offer, record) = match find(&state, &signed, &id).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let mut errors = Vec::new();
    let response = if form.answer == "accept" {
        let start_on = parse_date(&form.start_on, "start_on")
            .map_err(|_| {
                errors.push(FieldError::new(
                    "start_on",
                    "Enter the first visit's date, for example 2026-11-27",
                ))
            })
            .ok();
        let rate = if offer.step.is_broadcast() {
            Pence::parse_positive(&form.hourly_rate_pence, "hourly_rate_pence")
                .map_err(|_| {
                    errors.push(FieldError::new(
                        "hourly_rate_pence",
                        "Enter your hourly rate in pence, for example 1950",
                    ))
                })
                .ok()
        } else {
            None
        };
        start_on.map(|start_on| OfferResponse::Accept {
            start_on,
            hourly_rate: rate,
        })
    } else if let Some(reason) = DeclineReason::from_code(&form.answer) {
        Some(OfferResponse::Decline(reason))
    } else {
        errors.push(FieldError::new(
            "answer",
            "Select accept or a reason to decline",
        ));
        None
    };
    let Some(response) = response.filter(|_| errors.is_empty()) else {
        return show(
            &state,
            &signed,
            offer,
            record,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let brokerage = state.brokerage();
    match brokerage
        .answer(
            &offer.id,
            &offer.provider_id,
            &response,
            state.clock.now(),
            &signed.actor(),
        )
        .await
    {
        Ok(_) => Redirect::to(&format!("/offers/{}", offer.id)).into_response(),
        Err(BrokerageError::Invalid(invalid)) => {
            show(
                &state,
                &signed,
                offer,
                record,
                invalid.0,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(error) => {
            tracing::error!(error = ?error.to_string(), "answering an offer failed");
            super::error::internal()
        }
    }
}
