//! The new referral form: the person by council reference or someone new, their needs, dates,
//! route and funding, taken in through the app's intake.

use super::{Pairs, value};
use crate::AppState;
use crate::auth::Signed;
use crate::pages::{Layout, render};
use askama::Template;
use axum::Extension;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use homeward_app::BrokerageError;
use homeward_app::intake::NewPerson;
use homeward_domain::brokerage::{AccessRoute, Needs, Referral};
use homeward_domain::{FieldError, FundingRoute, Skill, SupportReason, WeeklyPattern, parse_date};

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
    /// Who the referral is for: the reference, and the name of someone new.
    person_fields: Vec<TextField>,
    /// Why someone new needs support.
    new_person_groups: Vec<ChoiceGroup>,
    text_fields: Vec<TextField>,
    choice_groups: Vec<ChoiceGroup>,
    skills: Vec<(&'static str, &'static str, bool)>,
    complex: bool,
    reablement_potential: bool,
    areas: Vec<(String, String)>,
    new_area: String,
    new_area_error: Option<String>,
}

/// The value, or `None` with the problem noted.
fn take<T>(errors: &mut Vec<FieldError>, result: Result<T, FieldError>) -> Option<T> {
    result.map_err(|error| errors.push(error)).ok()
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
    let person_fields = vec![
        text(
            "council_reference",
            "Council reference of the person",
            "For example WSCC0012345. For someone not yet in the register, their new case reference",
            "",
        ),
        text(
            "new_name",
            "Name of someone new",
            "Only for someone not yet in the register: the name they want used",
            "",
        ),
    ];
    let text_fields = vec![
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
    let new_person_groups = vec![choice(
        "new_support_reason",
        "Why someone new needs support (only for someone not yet in the register)",
        SupportReason::ALL
            .iter()
            .map(|reason| (reason.code(), reason.label()))
            .collect(),
        "",
    )];
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
        person_fields,
        new_person_groups,
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
    let brokerage = state.brokerage();
    let reference = value(&pairs, "council_reference").trim().to_uppercase();
    let person = match brokerage.person_by_reference(&reference).await {
        Ok(person) => person,
        Err(error) => return crate::pages::error::store_failure(error),
    };
    let new_name = value(&pairs, "new_name").trim().to_owned();
    let mut new_person = None;
    match (&person, new_name.is_empty()) {
        (Some(_), false) => errors.push(FieldError::new(
            "new_name",
            "Someone with this council reference is in the register already: leave the name of someone new empty to refer them",
        )),
        (Some(_), true) => {}
        (None, true) if reference.is_empty() => errors.push(FieldError::new(
            "council_reference",
            "Enter the person's council reference",
        )),
        (None, true) => errors.push(FieldError::new(
            "council_reference",
            "No person in the register has this council reference; for someone new, give their name, area and why they need support too",
        )),
        (None, false) => {
            let new = NewPerson {
                council_reference: &reference,
                name: &new_name,
                area_id: value(&pairs, "new_area"),
                support_reason: SupportReason::from_code(value(&pairs, "new_support_reason")),
                funding_route: FundingRoute::from_code(value(&pairs, "funding_route")),
                complex: value(&pairs, "complex") == "yes",
            };
            match brokerage.new_person(new).await {
                Ok(person) => new_person = Some(person),
                Err(found) => errors.extend(found),
            }
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
    let taken = brokerage
        .take_in(
            &referral,
            new_person.as_ref(),
            state.clock.now(),
            &signed.actor(),
        )
        .await;
    match taken {
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
        Err(BrokerageError::Store(error)) => crate::pages::error::store_failure(error),
        Err(error) => {
            tracing::error!(error = ?error.to_string(), "referral failed");
            crate::pages::error::internal()
        }
    }
}
