//! Call monitoring pages: a day's visits as they happen, with the late and missed visits and the
//! alerts they raise (a provider its own; the council every provider's), one visit with its
//! check-ins, check-outs and corrections, and the coordinator's correction form.

use std::collections::HashMap;

use super::views::{Cell, Table};
use super::{Layout, error_for, render};
use crate::AppState;
use crate::auth::Signed;
use crate::format::clock;
use askama::Template;
use axum::Extension;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use homeward_app::corrections::{self, CorrectionError, CorrectionRequest};
use homeward_app::visibility;
use homeward_app::{Ids, MonitoredVisit, Tally, monitor, needs_attention, tally};
use homeward_domain::{
    Alert, CallEventKind, CallNote, CorrectionReason, FieldError, MonitoringRules, ProviderId,
    Punctuality, Role, Scope, VisitId, london, london_instant, parse_clock, parse_date,
};
use homeward_store::VisitFilter;
use jiff::Timestamp;
use jiff::civil::Date;

/// What monitoring makes of a visit, in words.
pub fn standing(monitored: &MonitoredVisit) -> String {
    let assessment = &monitored.assessment;
    let mut words = match assessment.punctuality {
        Punctuality::Pending => "Not due yet".to_owned(),
        Punctuality::OnTime => "On time".to_owned(),
        Punctuality::Early { minutes } => format!("Early by {minutes} min"),
        Punctuality::Late { minutes } => format!("Late by {minutes} min"),
        Punctuality::RunningLate => "Running late: nobody has checked in".to_owned(),
        Punctuality::Missed => "Missed: nobody checked in".to_owned(),
    };
    if let Some(actual) = assessment.actual_minutes {
        words.push_str(&format!(
            ", {actual} of {} min",
            monitored.visit.dated.duration_minutes
        ));
    }
    if assessment.short_call {
        words.push_str(", short call");
    }
    words
}

/// Who has been told, in words.
pub fn alerted(monitored: &MonitoredVisit) -> String {
    let alerts = &monitored.assessment.alerts;
    if alerts.contains(&Alert::CouncilMissed) {
        "Provider and council".to_owned()
    } else if alerts.is_empty() {
        String::new()
    } else {
        "Provider".to_owned()
    }
}

/// The list's query: a day, and whether to show every visit or only those needing attention.
#[derive(serde::Deserialize)]
pub struct DayQuery {
    date: Option<String>,
    show: Option<String>,
}

#[derive(Template)]
#[template(path = "monitoring.html")]
struct MonitoringPage {
    layout: Layout,
    errors: Vec<FieldError>,
    date: String,
    long_date: String,
    show_all: bool,
    council: bool,
    figures: Vec<(&'static str, String)>,
    providers: Table,
    visits: Table,
    previous_href: String,
    next_href: String,
}

impl MonitoringPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

fn figures(tally: &Tally, visits: usize) -> Vec<(&'static str, String)> {
    vec![
        ("Visits planned", visits.to_string()),
        ("Due so far", tally.due.to_string()),
        (
            "Began on time",
            tally.on_time_percent().map_or_else(
                || "None due yet".to_owned(),
                |share| format!("{} ({share:.0}%)", tally.on_time + tally.early),
            ),
        ),
        ("Late", tally.late.to_string()),
        ("Running late now", tally.running_late.to_string()),
        ("Missed", tally.missed.to_string()),
        ("Short calls", tally.short_calls.to_string()),
        ("Council alerted", tally.council_alerts.to_string()),
        ("Corrected by hand", tally.corrected.to_string()),
    ]
}

/// A day of call monitoring in the account's scope.
pub async fn day(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Query(query): Query<DayQuery>,
) -> Response {
    let (date, errors) = match query.date.as_deref().map(str::trim) {
        None | Some("") => (state.clock.today(), Vec::new()),
        Some(text) => match parse_date(text, "date") {
            Ok(date) => (date, Vec::new()),
            Err(_) => (
                state.clock.today(),
                vec![FieldError::new(
                    "date",
                    "Enter a day as a date, for example 2026-12-01",
                )],
            ),
        },
    };
    let show_all = query.show.as_deref() == Some("all");
    let council = signed.account.scope == Scope::Council;
    let Some(filter) = visibility::visits(&signed.account, VisitFilter::between(date, date)) else {
        return super::error::not_found(&state, Some(&signed)).await;
    };
    let store = state.store.as_ref();
    let now = state.clock.now();
    let rules = MonitoringRules::default();
    let (visits, people, providers) = match tokio::try_join!(
        monitor(store, &filter, &rules, now),
        store.people(),
        store.providers(),
    ) {
        Ok(found) => found,
        Err(error) => return super::error::store_failure(error),
    };
    let people: HashMap<_, _> = people
        .iter()
        .map(|person| (&person.id, &person.name))
        .collect();
    let providers: HashMap<_, _> = providers
        .iter()
        .map(|provider| (&provider.id, &provider.name))
        .collect();
    let name_of = |id: &homeward_domain::PersonId| {
        people
            .get(id)
            .map_or_else(|| id.to_string(), |name| (*name).clone())
    };
    let provider_name = |id: &ProviderId| {
        providers
            .get(id)
            .map_or_else(|| id.to_string(), |name| (*name).clone())
    };
    let overall = tally(&visits);
    let mut by_provider: HashMap<&ProviderId, Vec<&MonitoredVisit>> = HashMap::new();
    for monitored in &visits {
        by_provider
            .entry(&monitored.visit.provider_id)
            .or_default()
            .push(monitored);
    }
    let mut provider_rows: Vec<(String, Vec<Cell>)> = by_provider
        .iter()
        .map(|(provider, theirs)| {
            let counted = tally(theirs.iter().copied());
            let name = provider_name(provider);
            (
                name.clone(),
                vec![
                    Cell::text(name),
                    Cell::text(theirs.len()),
                    Cell::text(
                        counted
                            .on_time_percent()
                            .map_or_else(String::new, |share| format!("{share:.0}%")),
                    ),
                    Cell::text(counted.late),
                    Cell::text(counted.missed + counted.running_late),
                    Cell::text(counted.council_alerts),
                ],
            )
        })
        .collect();
    provider_rows.sort_by(|a, b| a.0.cmp(&b.0));
    let rows = visits
        .iter()
        .filter(|monitored| show_all || needs_attention(monitored))
        .map(|monitored| {
            let visit = &monitored.visit;
            let mut row = vec![
                Cell::link(
                    clock(visit.dated.starts_at),
                    format!("/visits/{}", visit.id),
                ),
                Cell::link(
                    name_of(&visit.dated.person_id),
                    format!("/people/{}", visit.dated.person_id),
                ),
            ];
            if council {
                row.push(Cell::text(provider_name(&visit.provider_id)));
            }
            row.push(Cell::text(standing(monitored)));
            row.push(Cell::text(alerted(monitored)));
            row.push(Cell::text(if monitored.correction.is_some() {
                "Corrected"
            } else {
                ""
            }));
            row
        })
        .collect();
    let mut headings = vec!["Planned", "Person"];
    if council {
        headings.push("Provider");
    }
    headings.extend(["How it stands", "Alerted", "Corrections"]);
    let day_href = |date: Date| {
        format!(
            "/monitoring?date={date}{}",
            if show_all { "&show=all" } else { "" }
        )
    };
    let page = MonitoringPage {
        layout: Layout::new(&state, Some(&signed), "/monitoring").await,
        errors,
        date: date.to_string(),
        long_date: crate::format::long_date(date),
        show_all,
        council,
        figures: figures(&overall, visits.len()),
        providers: Table {
            caption: "By provider".into(),
            headings: vec![
                "Provider",
                "Visits",
                "On time",
                "Late",
                "Missed or running late",
                "Council alerted",
            ],
            rows: provider_rows.into_iter().map(|(_, row)| row).collect(),
        },
        visits: Table {
            caption: if show_all {
                "Every visit".into()
            } else {
                "Late, missed and short visits".into()
            },
            headings,
            rows,
        },
        previous_href: day_href(date.yesterday().unwrap_or(date)),
        next_href: day_href(date.tomorrow().unwrap_or(date)),
    };
    render(&page, StatusCode::OK)
}

#[derive(Template)]
#[template(path = "visit.html")]
struct VisitPage {
    layout: Layout,
    errors: Vec<FieldError>,
    id: String,
    heading: String,
    summary: Vec<(&'static str, String)>,
    events: Table,
    corrections: Table,
    can_correct: bool,
    locked: bool,
    csrf_token: String,
    reasons: Vec<(&'static str, &'static str)>,
    form: CorrectionForm,
}

impl VisitPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

/// The correction form's fields, as sent.
#[derive(serde::Deserialize, Default, Clone)]
pub struct CorrectionForm {
    #[serde(default)]
    check_in: String,
    #[serde(default)]
    check_out: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    note: String,
}

/// The visit `id` as monitoring sees it, if `signed` may see it.
async fn find(state: &AppState, signed: &Signed, id: &str) -> Result<MonitoredVisit, Response> {
    let not_found = || async { super::error::not_found(state, Some(signed)).await };
    let Ok(id) = VisitId::parse(id, "id") else {
        return Err(not_found().await);
    };
    let store = state.store.as_ref();
    let visit = match store.visit(&id).await {
        Ok(Some(visit)) => visit,
        Ok(None) => return Err(not_found().await),
        Err(error) => return Err(super::error::store_failure(error)),
    };
    let day = VisitFilter {
        package_id: Some(visit.dated.package_id.clone()),
        ..VisitFilter::between(visit.dated.date, visit.dated.date)
    };
    let Some(filter) = visibility::visits(&signed.account, day) else {
        return Err(not_found().await);
    };
    match monitor(
        store,
        &filter,
        &MonitoringRules::default(),
        state.clock.now(),
    )
    .await
    {
        Ok(found) => match found.into_iter().find(|monitored| monitored.visit.id == id) {
            Some(monitored) => Ok(monitored),
            None => Err(not_found().await),
        },
        Err(error) => Err(super::error::store_failure(error)),
    }
}

async fn show(
    state: &AppState,
    signed: &Signed,
    monitored: MonitoredVisit,
    errors: Vec<FieldError>,
    form: CorrectionForm,
    status: StatusCode,
) -> Response {
    let store = state.store.as_ref();
    let visit = &monitored.visit;
    let coordinator = signed.account.role == Role::ProviderUser;
    let of_the_day = VisitFilter {
        package_id: Some(visit.dated.package_id.clone()),
        ..VisitFilter::between(visit.dated.date, visit.dated.date)
    };
    let (person, providers, events, corrections, invoiced, workers) = match tokio::try_join!(
        store.people(),
        store.providers(),
        store.call_events(&visit.id),
        store.corrections_of(&of_the_day),
        store.invoiced_visits(std::slice::from_ref(&visit.id)),
        async {
            if coordinator {
                store.workers().await
            } else {
                Ok(Vec::new())
            }
        },
    ) {
        Ok((people, providers, events, corrections, invoiced, workers)) => (
            people
                .into_iter()
                .find(|person| person.id == visit.dated.person_id),
            providers,
            events,
            corrections,
            invoiced,
            workers,
        ),
        Err(error) => return super::error::store_failure(error),
    };
    let worker_name = |id: &homeward_domain::WorkerId| {
        workers
            .iter()
            .find(|worker| &worker.id == id)
            .map_or_else(|| "A care worker".to_owned(), |worker| worker.name.clone())
    };
    let provider = providers
        .iter()
        .find(|provider| provider.id == visit.provider_id)
        .map_or_else(
            || visit.provider_id.to_string(),
            |provider| provider.name.clone(),
        );
    let person_name = person
        .as_ref()
        .map_or_else(String::new, |person| person.name.clone());
    let summary = vec![
        ("Person", person_name.clone()),
        ("Provider", provider),
        (
            "Planned",
            format!(
                "{} at {}",
                crate::format::long_date(visit.dated.date),
                clock(visit.dated.starts_at)
            ),
        ),
        (
            "Length",
            format!(
                "{} min{}",
                visit.dated.duration_minutes,
                if visit.dated.carers == 2 {
                    ", two carers"
                } else {
                    ""
                }
            ),
        ),
        ("How it stands", standing(&monitored)),
        (
            "Began and ended, as monitoring takes it",
            match (monitored.arrived, monitored.left) {
                (Some(arrived), Some(left)) => format!("{} to {}", clock(arrived), clock(left)),
                (Some(arrived), None) => format!("{} (no check-out yet)", clock(arrived)),
                _ => "Not begun".to_owned(),
            },
        ),
        (
            "Alerted",
            match alerted(&monitored) {
                text if text.is_empty() => "Nobody".to_owned(),
                text => text,
            },
        ),
    ];
    let event_rows = events
        .iter()
        .map(|event| {
            vec![
                Cell::text(match event.kind {
                    CallEventKind::CheckIn => "Check-in",
                    CallEventKind::CheckOut => "Check-out",
                }),
                Cell::text(clock(event.at)),
                Cell::text(worker_name(&event.worker_id)),
                Cell::text(event.location.map_or_else(
                    || "Not given".to_owned(),
                    |point| format!("{}, {}", point.latitude_text(), point.longitude_text()),
                )),
                Cell::text(
                    event
                        .tasks
                        .iter()
                        .map(|task| task.label())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                Cell::text(event.note.as_ref().map_or("", CallNote::as_str)),
            ]
        })
        .collect();
    let correction_rows = corrections
        .iter()
        .filter(|correction| correction.visit_id == visit.id)
        .map(|correction| {
            vec![
                Cell::text(format!(
                    "{} {}",
                    correction
                        .corrected_at
                        .to_zoned(london().clone())
                        .strftime("%-d %b"),
                    clock(correction.corrected_at)
                )),
                Cell::text(correction.reason.label()),
                Cell::text(match (correction.check_in, correction.check_out) {
                    (Some(arrived), Some(left)) => format!("{} to {}", clock(arrived), clock(left)),
                    (Some(arrived), None) => format!("from {}", clock(arrived)),
                    _ => "Not made".to_owned(),
                }),
                Cell::text(correction.note.as_ref().map_or("", CallNote::as_str)),
            ]
        })
        .collect();
    let page = VisitPage {
        layout: Layout::new(state, Some(signed), "/monitoring").await,
        errors,
        id: visit.id.to_string(),
        heading: format!("{} at {}", person_name, clock(visit.dated.starts_at)),
        summary,
        events: Table {
            caption: "Check-ins and check-outs".into(),
            headings: vec!["Event", "At", "By", "Where", "Tasks done", "Note"],
            rows: event_rows,
        },
        corrections: Table {
            caption: "Corrections".into(),
            headings: vec!["Made", "Reason", "Times", "Note"],
            rows: correction_rows,
        },
        can_correct: coordinator,
        locked: invoiced.contains(&visit.id),
        csrf_token: signed.csrf_token.clone().unwrap_or_default(),
        reasons: CorrectionReason::ALL
            .iter()
            .map(|reason| (reason.code(), reason.label()))
            .collect(),
        form,
    };
    render(&page, status)
}

/// One visit's monitoring record.
pub async fn visit(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Path(id): Path<String>,
) -> Response {
    match find(&state, &signed, &id).await {
        Ok(monitored) => {
            show(
                &state,
                &signed,
                monitored,
                Vec::new(),
                CorrectionForm::default(),
                StatusCode::OK,
            )
            .await
        }
        Err(response) => response,
    }
}

/// A clock time on the visit's local date as an instant; an end before the start is past
/// midnight, on the next day.
fn on_visit_day(date: Date, text: &str, field: &str) -> Result<Option<Timestamp>, FieldError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let time = parse_clock(text, field)
        .map_err(|_| FieldError::new(field, "Enter a time such as 08:05"))?;
    Ok(Some(london_instant(date, time)))
}

/// Records the coordinator's correction of the visit's times.
pub async fn correct(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Path(id): Path<String>,
    Form(form): Form<CorrectionForm>,
) -> Response {
    let Scope::Provider(provider) = &signed.account.scope else {
        return super::error::not_found(&state, Some(&signed)).await;
    };
    let monitored = match find(&state, &signed, &id).await {
        Ok(monitored) => monitored,
        Err(response) => return response,
    };
    let date = monitored.visit.dated.date;
    let mut errors = Vec::new();
    let check_in = on_visit_day(date, &form.check_in, "check_in")
        .map_err(|error| errors.push(error))
        .ok()
        .flatten();
    let mut check_out = on_visit_day(date, &form.check_out, "check_out")
        .map_err(|error| errors.push(error))
        .ok()
        .flatten();
    if let (Some(arrived), Some(left)) = (check_in, check_out)
        && left < arrived
    {
        check_out = Some(left + jiff::SignedDuration::from_hours(24));
    }
    let reason = CorrectionReason::from_code(&form.reason);
    if reason.is_none() {
        errors.push(FieldError::new(
            "reason",
            "Select why the times are corrected",
        ));
    }
    let note = CallNote::parse(&form.note, "note")
        .map_err(|error| errors.push(error))
        .ok()
        .flatten();
    let (Some(reason), true) = (reason, errors.is_empty()) else {
        return show(
            &state,
            &signed,
            monitored,
            errors,
            form,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let request = CorrectionRequest {
        check_in,
        check_out,
        reason,
        note,
    };
    let visit_id = monitored.visit.id.clone();
    match corrections::correct(
        state.store.as_ref(),
        &Ids::random(),
        provider,
        &visit_id,
        request,
        state.clock.now(),
        &signed.actor(),
    )
    .await
    {
        Ok(_) => Redirect::to(&format!("/visits/{visit_id}")).into_response(),
        Err(CorrectionError::Invalid(invalid)) => {
            show(
                &state,
                &signed,
                monitored,
                invalid.0,
                form,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(CorrectionError::Locked(reason)) => {
            let errors = vec![FieldError::new(
                "reason",
                format!("The visit cannot be corrected: {reason}"),
            )];
            show(
                &state,
                &signed,
                monitored,
                errors,
                form,
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(CorrectionError::NotFound) => super::error::not_found(&state, Some(&signed)).await,
        Err(CorrectionError::Store(error)) => super::error::store_failure(error),
    }
}
