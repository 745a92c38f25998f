//! One referral: its offers, the broker's "move it on", and the end of its reablement.

use super::{Pairs, status_label, value};
use crate::AppState;
use crate::auth::Signed;
use crate::pages::views::{Cell, Table};
use crate::pages::{Layout, render};
use askama::Template;
use axum::Extension;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use homeward_app::BrokerageError;
use homeward_domain::brokerage::{Needs, OfferResponse, ReablementOutcome};
use homeward_domain::brokerage::{ReferralRecord, ReferralStatus};
use homeward_domain::{FieldError, ReferralId, Role, WeeklyPattern, parse_date};

#[derive(Template)]
#[template(path = "referral.html")]
struct ReferralPage {
    layout: Layout,
    id: String,
    reference: String,
    heading: String,
    status: &'static str,
    status_class: &'static str,
    summary: Vec<(&'static str, String)>,
    offers: Table,
    can_act: bool,
    in_reablement: bool,
    offering: bool,
    csrf_token: String,
    errors: Vec<FieldError>,
    outcomes: Vec<(&'static str, &'static str)>,
    example_date: String,
}

async fn record_or_404(
    state: &AppState,
    signed: &Signed,
    id: &str,
) -> Result<ReferralRecord, Response> {
    let Ok(id) = ReferralId::parse(id, "id") else {
        return Err(crate::pages::error::not_found(state, Some(signed)).await);
    };
    crate::pages::error::found(state, signed, state.store.referral(&id).await).await
}

async fn show_referral(
    state: &AppState,
    signed: &Signed,
    record: ReferralRecord,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Response {
    let referral = &record.referral;
    let store = state.store.as_ref();
    let (offers, providers, people, areas) = match (
        store.offers(&referral.id).await,
        store.providers().await,
        store.people().await,
        store.areas().await,
    ) {
        (Ok(offers), Ok(providers), Ok(people), Ok(areas)) => (offers, providers, people, areas),
        (Err(error), ..) | (_, Err(error), ..) | (_, _, Err(error), _) | (.., Err(error)) => {
            return crate::pages::error::store_failure(error);
        }
    };
    let provider_name = |id: &homeward_domain::ProviderId| {
        providers
            .iter()
            .find(|provider| &provider.id == id)
            .map_or_else(|| id.to_string(), |provider| provider.name.clone())
    };
    let person = people.iter().find(|person| person.id == referral.person_id);
    let area = areas.iter().find(|area| area.id == referral.area_id);
    let mut summary = vec![
        (
            "Person",
            person.map_or_else(
                || referral.person_id.to_string(),
                |person| format!("{} ({})", person.name, person.council_reference),
            ),
        ),
        (
            "Area",
            area.map_or_else(
                || referral.area_id.to_string(),
                |area| format!("{} ({})", area.name, area.tier.label()),
            ),
        ),
        ("Route of access", referral.route.label().to_owned()),
        ("Visits each week", referral.needs.pattern.to_string()),
        (
            "Weekly hours",
            format!("{:.2}", f64::from(referral.needs.weekly_minutes()) / 60.0),
        ),
        ("Funding", referral.funding_route.label().to_owned()),
        ("Referred", referral.referred_on.to_string()),
        ("Needed by", referral.needed_by.to_string()),
    ];
    if let Some(placement) = &record.placement {
        summary.push((
            "Placed with",
            format!(
                "{} ({})",
                provider_name(&placement.provider_id),
                placement.step.label()
            ),
        ));
        summary.push(("Care starts", placement.started_on.to_string()));
        summary.push((
            "Pick-up",
            format!(
                "{} days",
                (placement.started_on - referral.referred_on).get_days()
            ),
        ));
    }
    let rows = offers
        .iter()
        .map(|offer| {
            let answer = match &offer.response {
                None => format!(
                    "Waiting until {}",
                    offer.deadline.strftime("%Y-%m-%d %H:%M")
                ),
                Some((
                    _,
                    OfferResponse::Accept {
                        start_on,
                        hourly_rate,
                    },
                )) => {
                    format!(
                        "Accepted, from {start_on}{}",
                        hourly_rate.map_or_else(String::new, |rate| format!(" at {rate} an hour"))
                    )
                }
                Some((_, OfferResponse::Decline(reason))) => {
                    format!("Declined: {}", reason.label())
                }
            };
            vec![
                Cell::text(offer.step.label()),
                Cell::text(provider_name(&offer.provider_id)),
                Cell::text(offer.sent_at.strftime("%Y-%m-%d %H:%M")),
                Cell::text(answer),
            ]
        })
        .collect();
    let (label, class) = status_label(record.status);
    let page = ReferralPage {
        layout: Layout::new(state, Some(signed), "/referrals").await,
        id: referral.id.to_string(),
        reference: referral.id.to_string(),
        heading: person.map_or_else(|| referral.id.to_string(), |person| person.name.clone()),
        status: label,
        status_class: class,
        summary,
        offers: Table {
            caption: "Offers, in the order sent".into(),
            headings: vec!["Step", "Provider", "Sent (UTC)", "Answer"],
            rows,
        },
        can_act: signed.account.role == Role::Broker,
        in_reablement: record.status == ReferralStatus::Reablement,
        offering: record.status == ReferralStatus::Offering,
        csrf_token: signed.csrf_token.clone().unwrap_or_default(),
        errors,
        outcomes: ReablementOutcome::ALL
            .iter()
            .map(|outcome| (outcome.code(), outcome.label()))
            .collect(),
        example_date: state.clock.today().to_string(),
    };
    render(&page, status)
}

/// A referral with its offers.
pub async fn page(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Path(id): Path<String>,
) -> Response {
    match record_or_404(&state, &signed, &id).await {
        Ok(record) => show_referral(&state, &signed, record, Vec::new(), StatusCode::OK).await,
        Err(response) => response,
    }
}

/// Moves the referral on if its offers have expired.
pub async fn advance(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Path(id): Path<String>,
) -> Response {
    let record = match record_or_404(&state, &signed, &id).await {
        Ok(record) => record,
        Err(response) => return response,
    };
    let brokerage = state.brokerage();
    match brokerage
        .advance(&record.referral.id, state.clock.now(), &signed.actor())
        .await
    {
        Ok(_) => Redirect::to(&format!("/referrals/{id}")).into_response(),
        Err(error) => {
            tracing::error!(error = ?error.to_string(), "advancing a referral failed");
            crate::pages::error::internal()
        }
    }
}

/// Ends reablement with its outcome.
pub async fn end_reablement(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Path(id): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let record = match record_or_404(&state, &signed, &id).await {
        Ok(record) => record,
        Err(response) => return response,
    };
    if record.status != ReferralStatus::Reablement {
        let errors = vec![FieldError::new(
            "ended_on",
            "This referral is not in reablement",
        )];
        return show_referral(
            &state,
            &signed,
            record,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let mut errors = Vec::new();
    let ended_on = parse_date(value(&pairs, "ended_on"), "ended_on")
        .map_err(|_| {
            errors.push(FieldError::new(
                "ended_on",
                "Enter the last day of reablement, for example 2026-12-20",
            ))
        })
        .ok();
    let outcome = ReablementOutcome::from_code(value(&pairs, "outcome"));
    if outcome.is_none() {
        errors.push(FieldError::new("outcome", "Select the outcome"));
    }
    let revised = match value(&pairs, "visit_pattern").trim() {
        "" => None,
        text => WeeklyPattern::parse(text)
            .map(|pattern| Needs {
                pattern,
                ..record.referral.needs.clone()
            })
            .map_err(|error| {
                errors.push(FieldError::new(
                    "visit_pattern",
                    format!("Reduced visits: {}", error.message),
                ))
            })
            .ok(),
    };
    let (Some(ended_on), Some(outcome)) = (ended_on, outcome) else {
        return show_referral(
            &state,
            &signed,
            record,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    if !errors.is_empty() {
        return show_referral(
            &state,
            &signed,
            record,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let brokerage = state.brokerage();
    match brokerage
        .end_reablement(
            &record.referral.id,
            ended_on,
            outcome,
            revised,
            state.clock.now(),
            &signed.actor(),
        )
        .await
    {
        Ok(Some(onward)) => Redirect::to(&format!("/referrals/{onward}")).into_response(),
        Ok(None) => Redirect::to(&format!("/referrals/{id}")).into_response(),
        Err(BrokerageError::Invalid(invalid)) => {
            show_referral(
                &state,
                &signed,
                record,
                invalid.0,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(error) => {
            tracing::error!(error = ?error.to_string(), "ending reablement failed");
            crate::pages::error::internal()
        }
    }
}
