//! Brokers' pages: referrals in, where each stands, its offers, and reablement's end.

use super::views::{Cell, ListPage, Table};
use super::{Layout, PER_PAGE, Pagination, page_number, page_of, render};
use crate::AppState;
use crate::auth::Signed;
use askama::Template;
use axum::Extension;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use homeward_app::{Brokerage, BrokerageError, Ids};
use homeward_domain::brokerage::{AccessRoute, Needs, OfferResponse, ReablementOutcome, Referral};
use homeward_domain::brokerage::{ReferralRecord, ReferralStatus};
use homeward_domain::{
    FieldError, FundingRoute, ReferralId, Role, Skill, WeeklyPattern, parse_date,
};

/// A status's label and tag colour.
pub fn status_label(status: ReferralStatus) -> (&'static str, &'static str) {
    match status {
        ReferralStatus::Reablement => ("In reablement", " govuk-tag--purple"),
        ReferralStatus::Offering => ("Being offered", " govuk-tag--blue"),
        ReferralStatus::Placed => ("Placed", " govuk-tag--green"),
        ReferralStatus::Unplaced => ("Waiting list", " govuk-tag--red"),
        ReferralStatus::Closed => ("Closed", " govuk-tag--grey"),
    }
}

/// The list's query.
#[derive(serde::Deserialize)]
pub struct ListQuery {
    status: Option<String>,
    page: Option<String>,
}

async fn brokerage(state: &AppState) -> Result<Brokerage, Response> {
    Brokerage::for_store(state.store.clone(), Ids::random())
        .await
        .map_err(|error| {
            tracing::error!(error = ?error.to_string(), "brokerage failed");
            super::error::internal()
        })
}

/// Referrals, newest first, optionally by status.
pub async fn list(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Query(query): Query<ListQuery>,
) -> Response {
    let status = query.status.as_deref().and_then(ReferralStatus::from_code);
    let (referrals, people, areas) = match (
        state.store.referrals(status).await,
        state.store.people().await,
        state.store.areas().await,
    ) {
        (Ok(referrals), Ok(people), Ok(areas)) => (referrals, people, areas),
        (Err(error), ..) | (_, Err(error), _) | (.., Err(error)) => {
            return super::error::store_failure(error);
        }
    };
    let total = referrals.len() as u64;
    let page = page_number(query.page.as_deref());
    let rows = page_of(referrals, page, PER_PAGE)
        .into_iter()
        .map(|record| {
            let referral = &record.referral;
            let person = people
                .iter()
                .find(|person| person.id == referral.person_id)
                .map_or_else(
                    || referral.person_id.to_string(),
                    |person| person.name.clone(),
                );
            let area = areas
                .iter()
                .find(|area| area.id == referral.area_id)
                .map_or_else(|| referral.area_id.to_string(), |area| area.name.clone());
            vec![
                Cell::link(&person, format!("/referrals/{}", referral.id)),
                Cell::text(area),
                Cell::text(referral.route.label()),
                Cell::text(referral.referred_on),
                Cell::text(status_label(record.status).0),
            ]
        })
        .collect();
    let filter = query
        .status
        .clone()
        .filter(|code| ReferralStatus::from_code(code).is_some());
    let suffix = filter
        .as_ref()
        .map_or_else(String::new, |code| format!("&status={code}"));
    let can_refer = signed.account.role == Role::Broker;
    let page = ListPage {
        layout: Layout::new(&state, Some(&signed), "/referrals").await,
        heading: "Referrals".into(),
        intro: Some(format!(
            "{total} referrals{}.{}",
            filter
                .as_deref()
                .and_then(ReferralStatus::from_code)
                .map_or_else(String::new, |status| format!(
                    " ({})",
                    status_label(status).0.to_lowercase()
                )),
            if can_refer {
                " Take a new one from New referral."
            } else {
                ""
            }
        )),
        table: Table {
            caption: format!("Referrals, page {page}"),
            headings: vec!["Person", "Area", "Route", "Referred", "Status"],
            rows,
        },
        empty: "There are no referrals here.",
        pagination: Pagination::new(page, PER_PAGE, total, |number| {
            format!("/referrals?page={number}{suffix}")
        }),
    };
    page.respond(&state, &signed).await
}

struct TextField {
    name: &'static str,
    label: &'static str,
    hint: &'static str,
    value: String,
    error: Option<String>,
}

struct ChoiceGroup {
    name: &'static str,
    legend: &'static str,
    options: Vec<(&'static str, &'static str)>,
    value: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "referral_form.html")]
struct ReferralForm {
    layout: Layout,
    errors: Vec<FieldError>,
    csrf_token: String,
    text_fields: Vec<TextField>,
    choice_groups: Vec<ChoiceGroup>,
    skills: Vec<(&'static str, &'static str, bool)>,
    complex: bool,
    reablement_potential: bool,
    areas: Vec<(String, String)>,
    new_area: String,
    new_area_error: Option<String>,
}

/// What the referral form was sent with: repeated `skills` keys, so read as pairs.
type Pairs = Vec<(String, String)>;

/// The value, or `None` with the problem noted.
fn take<T>(errors: &mut Vec<FieldError>, result: Result<T, FieldError>) -> Option<T> {
    result.map_err(|error| errors.push(error)).ok()
}

fn value<'a>(pairs: &'a Pairs, name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(key, _)| key == name)
        .map_or("", |(_, value)| value.as_str())
}

async fn show_form(
    state: &AppState,
    signed: &Signed,
    pairs: &Pairs,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Response {
    let today = state.clock.today().to_string();
    let error_for = |field: &str| {
        errors
            .iter()
            .find(|error| error.field == field)
            .map(|error| error.message.clone())
    };
    let filled = |name: &str, default: &str| {
        if pairs.is_empty() {
            default.to_owned()
        } else {
            value(pairs, name).to_owned()
        }
    };
    let text = |name, label, hint, default: &str| TextField {
        name,
        label,
        hint,
        value: filled(name, default),
        error: error_for(name),
    };
    let text_fields = vec![
        text(
            "council_reference",
            "Council reference of the person",
            "The person must already be in the register, for example WSCC0012345",
            "",
        ),
        text(
            "visit_pattern",
            "Visits each week",
            "Days, start time, length and carers, for example: daily 08:00 45m x2; Mon-Fri 19:30 30m",
            "",
        ),
        text(
            "referred_on",
            "Date of referral",
            "For example, 2026-11-25",
            &today,
        ),
        text(
            "needed_by",
            "Care needed by",
            "For example, 2026-11-27",
            &today,
        ),
        text(
            "discharge_on",
            "Planned hospital discharge date (hospital discharges only)",
            "For example, 2026-11-26",
            "",
        ),
    ];
    let choice =
        |name, legend, options: Vec<(&'static str, &'static str)>, default: &str| ChoiceGroup {
            name,
            legend,
            value: filled(name, default),
            error: error_for(name),
            options,
        };
    let choice_groups = vec![
        choice(
            "route",
            "Route of access",
            AccessRoute::ALL
                .iter()
                .filter(|route| **route != AccessRoute::EndOfReablement)
                .map(|route| (route.code(), route.label()))
                .collect(),
            "community",
        ),
        choice(
            "funding_route",
            "Funding",
            FundingRoute::ALL
                .iter()
                .filter(|route| **route != FundingRoute::SelfFunder)
                .map(|route| (route.code(), route.label()))
                .collect(),
            "council-arranged",
        ),
    ];
    let chosen: Vec<&str> = pairs
        .iter()
        .filter(|(key, _)| key == "skills")
        .map(|(_, value)| value.as_str())
        .collect();
    let new_area_error = error_for("new_area");
    let page = ReferralForm {
        layout: Layout::new(state, Some(signed), "/referrals/new").await,
        errors,
        csrf_token: signed.csrf_token.clone().unwrap_or_default(),
        text_fields,
        choice_groups,
        skills: Skill::ALL
            .iter()
            .map(|skill| (skill.code(), skill.label(), chosen.contains(&skill.code())))
            .collect(),
        complex: value(pairs, "complex") == "yes",
        reablement_potential: value(pairs, "reablement_potential") == "yes",
        areas: state
            .store
            .areas()
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|area| (area.id.to_string(), area.name))
            .collect(),
        new_area: value(pairs, "new_area").to_owned(),
        new_area_error,
    };
    render(&page, status)
}

/// The referral form.
pub async fn new_form(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
) -> Response {
    show_form(&state, &signed, &Vec::new(), Vec::new(), StatusCode::OK).await
}

/// Takes a referral in: to reablement first or into the cascade, as the council's rules say.
pub async fn new_submit(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let mut errors = Vec::new();
    let reference = value(&pairs, "council_reference").trim().to_uppercase();
    let person = match state.store.people().await {
        Ok(people) => people
            .into_iter()
            .find(|person| person.council_reference.to_uppercase() == reference),
        Err(error) => return super::error::store_failure(error),
    };
    let new_name = value(&pairs, "new_name").trim().to_owned();
    let mut new_person = None;
    if !reference.is_empty() && person.is_none() {
        errors.push(FieldError::new(
            "council_reference",
            "No person in the register has this council reference",
        ));
    } else if reference.is_empty() && new_name.is_empty() {
        errors.push(FieldError::new(
            "council_reference",
            "Enter the person's council reference, or the name of someone new",
        ));
    } else if reference.is_empty() {
        match new_person_record(
            &state,
            &new_name,
            value(&pairs, "new_area"),
            value(&pairs, "funding_route"),
            value(&pairs, "complex") == "yes",
        )
        .await
        {
            Ok(person) => new_person = Some(person),
            Err(error) => errors.push(error),
        }
    }
    let person = person.or_else(|| new_person.clone());
    let pattern = take(
        &mut errors,
        WeeklyPattern::parse(value(&pairs, "visit_pattern")).map_err(|error| {
            let message = if value(&pairs, "visit_pattern").trim().is_empty() {
                "Enter the visits each week".to_owned()
            } else {
                format!("Visits each week: {}", error.message)
            };
            FieldError::new("visit_pattern", message)
        }),
    );
    let referred_on = take(
        &mut errors,
        parse_date(value(&pairs, "referred_on"), "referred_on").map_err(|_| {
            FieldError::new(
                "referred_on",
                "Enter the date of referral, for example 2026-11-25",
            )
        }),
    );
    let needed_by = take(
        &mut errors,
        parse_date(value(&pairs, "needed_by"), "needed_by").map_err(|_| {
            FieldError::new(
                "needed_by",
                "Enter the date care is needed by, for example 2026-11-27",
            )
        }),
    );
    let discharge_on = match value(&pairs, "discharge_on").trim() {
        "" => None,
        text => take(
            &mut errors,
            parse_date(text, "discharge_on").map_err(|_| {
                FieldError::new(
                    "discharge_on",
                    "Enter the discharge date, for example 2026-11-26",
                )
            }),
        ),
    };
    let route = take(
        &mut errors,
        AccessRoute::from_code(value(&pairs, "route"))
            .filter(|route| *route != AccessRoute::EndOfReablement)
            .ok_or_else(|| FieldError::new("route", "Select the route of access")),
    );
    let funding_route = take(
        &mut errors,
        FundingRoute::from_code(value(&pairs, "funding_route"))
            .ok_or_else(|| FieldError::new("funding_route", "Select the funding")),
    );
    let skills: Vec<Skill> = pairs
        .iter()
        .filter(|(key, _)| key == "skills")
        .filter_map(|(_, code)| Skill::from_code(code))
        .collect();
    let (
        Some(person),
        Some(pattern),
        Some(referred_on),
        Some(needed_by),
        Some(route),
        Some(funding_route),
    ) = (
        person,
        pattern,
        referred_on,
        needed_by,
        route,
        funding_route,
    )
    else {
        return show_form(
            &state,
            &signed,
            &pairs,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let Ok(brokerage) = brokerage(&state).await else {
        return super::error::internal();
    };
    let referral = Referral {
        id: brokerage.new_referral_id(),
        person_id: person.id.clone(),
        area_id: person.area_id.clone(),
        route,
        needs: Needs {
            pattern,
            skills,
            complex: value(&pairs, "complex") == "yes",
        },
        funding_route,
        reablement_potential: value(&pairs, "reablement_potential") == "yes",
        referred_on,
        needed_by,
        discharge_on,
    };
    // Check the referral before storing someone new, so that a refused referral stores nothing.
    let now = state.clock.now();
    if let Err(invalid) = referral.validate_on(homeward_domain::london_date(now)) {
        return show_form(
            &state,
            &signed,
            &pairs,
            invalid.0,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    if let Some(person) = &new_person
        && let Err(error) = state
            .store
            .insert(
                homeward_store::Records::People(vec![person.clone()]),
                &signed.actor(),
            )
            .await
    {
        return super::error::store_failure(error);
    }
    match brokerage.refer(&referral, now, &signed.actor()).await {
        Ok(_) => Redirect::to(&format!("/referrals/{}", referral.id)).into_response(),
        Err(BrokerageError::Invalid(invalid)) => {
            let errors = invalid.0.into_iter().collect();
            show_form(
                &state,
                &signed,
                &pairs,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(error) => {
            tracing::error!(error = ?error.to_string(), "referral failed");
            super::error::internal()
        }
    }
}

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
        return Err(super::error::not_found(state, Some(signed)).await);
    };
    super::error::found(state, signed, state.store.referral(&id).await).await
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
            return super::error::store_failure(error);
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
    let Ok(brokerage) = brokerage(&state).await else {
        return super::error::internal();
    };
    match brokerage
        .advance(&record.referral.id, state.clock.now(), &signed.actor())
        .await
    {
        Ok(_) => Redirect::to(&format!("/referrals/{id}")).into_response(),
        Err(error) => {
            tracing::error!(error = ?error.to_string(), "advancing a referral failed");
            super::error::internal()
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
    let Ok(brokerage) = brokerage(&state).await else {
        return super::error::internal();
    };
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
            super::error::internal()
        }
    }
}

/// A new person for a referral, living at their area's centre until an address is recorded,
/// with a council reference made up of the council's initials and random digits.
async fn new_person_record(
    state: &AppState,
    name: &str,
    area: &str,
    funding: &str,
    complex: bool,
) -> Result<homeward_domain::Person, FieldError> {
    use homeward_domain::{Person, PersonId, SupportReason};
    if name.chars().count() > 120 || name.chars().any(char::is_control) {
        return Err(FieldError::new(
            "new_name",
            "Name must be 120 characters or fewer, without control characters",
        ));
    }
    let areas = state
        .store
        .areas()
        .await
        .map_err(|_| FieldError::new("new_area", "The areas could not be read; try again"))?;
    let area = areas
        .into_iter()
        .find(|candidate| candidate.id.as_str() == area)
        .ok_or_else(|| FieldError::new("new_area", "Choose the area of someone new"))?;
    let suffix = crate::auth::secrets::new_secret();
    let digits: String = suffix
        .chars()
        .filter(char::is_ascii_digit)
        .take(7)
        .collect();
    let person = Person {
        id: PersonId::from_suffix(&suffix[..12])
            .map_err(|error| FieldError::new("new_name", error.message))?,
        council_reference: format!("NEW{digits:0>7}"),
        nhs_number: None,
        name: name.to_owned(),
        area_id: area.id,
        location: area.centroid,
        funding_route: FundingRoute::from_code(funding).unwrap_or(FundingRoute::CouncilArranged),
        support_reason: SupportReason::PhysicalSupport,
        complex_needs: complex,
    };
    // The register's own rules for a name, said of the form's field.
    match person.validate() {
        Ok(()) => Ok(person),
        Err(invalid) => {
            let first = invalid
                .0
                .into_iter()
                .next()
                .expect("Invalid is never empty");
            Err(FieldError::new(
                "new_name",
                format!("Name {}", first.message),
            ))
        }
    }
}
