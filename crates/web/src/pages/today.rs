//! The care worker's phone page: today's run, checking in to and out of each visit (with the
//! tasks done and a note), working offline.
//!
//! Without JavaScript the forms post here and the page comes back with the visit's new state.
//! With it (`frontend/phone.js`), each check-in or check-out is first kept on the phone, with
//! a key of its own, and sent when there is a connection; a retry sends the same key, so the
//! store keeps the event once. A service worker (`frontend/phone-sw.js`) keeps a copy of the
//! page so that it opens without a connection.

use std::collections::HashMap;

use super::{Layout, error_for, render};
use crate::AppState;
use crate::auth::Signed;
use crate::format::clock;
use askama::Template;
use axum::Extension;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use homeward_app::call_intake::{Refusal, record_for};
use homeward_domain::{
    CallEvent, CallEventKind, CallNote, CareTask, Coordinates, EventKey, FieldError, Scope, VisitId,
};
use homeward_store::{CallEventOutcome, VisitFilter};
use jiff::Timestamp;

/// One visit of today's run.
struct Card {
    id: String,
    time: String,
    person: String,
    length: String,
    second_carer: bool,
    maps_href: String,
    /// `due`, `in` (checked in, not out) or `done`.
    state: &'static str,
    /// When the check-in was, for the page's script to say; empty before it.
    checked_in: String,
    status: String,
    check_in_key: String,
    check_out_key: String,
}

#[derive(Template)]
#[template(path = "today.html")]
struct TodayPage {
    layout: Layout,
    errors: Vec<FieldError>,
    date: String,
    csrf_token: String,
    /// The signed-in care worker, whom the phone's script keeps each event with.
    worker_id: String,
    cards: Vec<Card>,
    tasks: Vec<(&'static str, &'static str)>,
}

impl TodayPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

/// A fresh idempotency key for a form (the page's script makes its own when it runs).
fn new_key() -> String {
    format!("page-{}", homeward_app::Ids::random().suffix())
}

async fn show(
    state: &AppState,
    signed: &Signed,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Response {
    let Scope::Worker(worker_id) = &signed.account.scope else {
        return super::error::not_found(state, Some(signed)).await;
    };
    let store = state.store.as_ref();
    let worker = match store.worker(worker_id).await {
        Ok(Some(worker)) => worker,
        Ok(None) => return super::error::not_found(state, Some(signed)).await,
        Err(error) => return super::error::store_failure(error),
    };
    let today = state.clock.today();
    let runs = match homeward_app::runs::of_worker(
        store,
        &signed.account,
        &worker.id,
        &worker.branch_id,
        today,
        today,
    )
    .await
    {
        Ok(runs) => runs,
        Err(error) => return super::error::store_failure(error),
    };
    let filter = VisitFilter {
        worker_id: Some(worker.id.clone()),
        ..VisitFilter::between(today, today)
    };
    let mut events: HashMap<VisitId, Vec<CallEvent>> = HashMap::new();
    match store.call_events_of(&filter).await {
        Ok(found) => {
            for event in found
                .into_iter()
                .filter(|event| event.worker_id == worker.id)
            {
                events
                    .entry(event.visit_id.clone())
                    .or_default()
                    .push(event);
            }
        }
        Err(error) => return super::error::store_failure(error),
    }
    let cards = runs
        .iter()
        .map(|run| {
            let own = events
                .get(&run.visit.id)
                .map(Vec::as_slice)
                .unwrap_or_default();
            let check_in = own
                .iter()
                .find(|event| event.kind == CallEventKind::CheckIn);
            let check_out = own
                .iter()
                .rev()
                .find(|event| event.kind == CallEventKind::CheckOut);
            let (state, status) = match (check_in, check_out) {
                (_, Some(out)) => (
                    "done",
                    match check_in {
                        Some(arrived) => format!(
                            "Checked in at {}, checked out at {}",
                            clock(arrived.at),
                            clock(out.at)
                        ),
                        None => format!("Checked out at {}", clock(out.at)),
                    },
                ),
                (Some(arrived), None) => ("in", format!("Checked in at {}", clock(arrived.at))),
                (None, None) => ("due", "Not started".to_owned()),
            };
            let home: Coordinates = run.person.location;
            Card {
                id: run.visit.id.to_string(),
                time: clock(run.stop.starts_at),
                person: run.person.name.clone(),
                length: format!("{} minutes", run.visit.dated.duration_minutes),
                second_carer: run.visit.dated.carers == 2,
                maps_href: format!("geo:{},{}", home.latitude_text(), home.longitude_text()),
                state,
                checked_in: check_in.map(|event| clock(event.at)).unwrap_or_default(),
                status,
                check_in_key: new_key(),
                check_out_key: new_key(),
            }
        })
        .collect();
    let page = TodayPage {
        layout: Layout::new(state, Some(signed), "/today").await,
        errors,
        date: crate::format::long_date(today),
        csrf_token: signed.csrf_token.clone().unwrap_or_default(),
        worker_id: worker.id.to_string(),
        cards,
        tasks: CareTask::ALL
            .iter()
            .map(|task| (task.code(), task.label()))
            .collect(),
    };
    render(&page, status)
}

/// Today's run.
pub async fn page(State(state): State<AppState>, Extension(signed): Extension<Signed>) -> Response {
    show(&state, &signed, Vec::new(), StatusCode::OK).await
}

/// The event a check-in or check-out form describes, or the first field at fault. Its time is
/// the phone's (the script's outbox sends it), else `now`; whether it is believable is judged
/// where the API's is, by `homeward_app::call_intake::record_for`.
fn event_from(
    fields: &[(String, String)],
    worker: &homeward_domain::WorkerId,
    now: Timestamp,
) -> Result<CallEvent, FieldError> {
    let field = |name: &str| {
        fields
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.trim())
            .unwrap_or_default()
    };
    // The phone keeps each event with the care worker who recorded it, and sends it only while
    // they are signed in: an event of another care worker who used the same phone is refused
    // rather than recorded as this one's.
    match field("worker_id") {
        "" => {}
        sent if sent == worker.as_str() => {}
        _ => {
            return Err(FieldError::new(
                "worker_id",
                "was recorded on this phone by another care worker, who must sign in to send it",
            ));
        }
    }
    let key = EventKey::parse(field("key"), "key")?;
    let visit_id = VisitId::parse(field("visit_id"), "visit_id")?;
    let kind = CallEventKind::parse(field("kind"), "kind")?;
    let at = match field("at") {
        "" => now,
        text => text.parse::<Timestamp>().map_err(|_| {
            FieldError::new("at", "must be an instant such as 2026-12-01T08:05:00Z")
        })?,
    };
    let location = match (field("latitude"), field("longitude")) {
        ("", "") => None,
        (latitude, longitude) => {
            let point = latitude
                .parse::<f64>()
                .ok()
                .zip(longitude.parse::<f64>().ok())
                .and_then(|(latitude, longitude)| Coordinates::from_degrees(latitude, longitude));
            Some(point.ok_or_else(|| {
                FieldError::new("latitude", "the phone's location could not be read")
            })?)
        }
    };
    let mut tasks = std::collections::BTreeSet::new();
    for (_, code) in fields.iter().filter(|(key, _)| key == "tasks") {
        tasks.insert(CareTask::parse(code, "tasks")?);
    }
    Ok(CallEvent {
        key,
        visit_id,
        worker_id: worker.clone(),
        kind,
        at: Timestamp::from_microsecond(at.as_microsecond()).unwrap_or(at),
        location,
        tasks,
        note: CallNote::parse(field("note"), "note")?,
    })
}

/// The answer to a refused event: the page again with the error, or JSON for the script.
async fn refuse(
    state: &AppState,
    signed: &Signed,
    script: bool,
    status: StatusCode,
    field: &str,
    message: String,
) -> Response {
    if script {
        json(
            status,
            serde_json::json!({"error": {"code": "refused", "field": field, "message": message}}),
        )
    } else {
        show(state, signed, vec![FieldError::new(field, message)], status).await
    }
}

/// Whether the visit has an event of this key and kind, stored before.
async fn same_event_stored(
    state: &AppState,
    visit: &VisitId,
    (key, kind): &(EventKey, CallEventKind),
) -> bool {
    state.store.call_events(visit).await.is_ok_and(|events| {
        events
            .iter()
            .any(|event| &event.key == key && event.kind == *kind)
    })
}

/// The answer to the script: status, and the error's field and message when refused.
fn json(status: StatusCode, body: serde_json::Value) -> Response {
    (status, axum::Json(body)).into_response()
}

/// Records a check-in or check-out from the page, or from its script's outbox.
pub async fn record(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let script = super::wants_json(&headers);
    let Scope::Worker(worker) = &signed.account.scope else {
        return super::error::not_found(&state, Some(&signed)).await;
    };
    let event = match event_from(&fields, worker, state.clock.now()) {
        Ok(event) => event,
        Err(error) => {
            return refuse(
                &state,
                &signed,
                script,
                StatusCode::UNPROCESSABLE_ENTITY,
                &error.field,
                error.message,
            )
            .await;
        }
    };
    let visit_id = event.visit_id.clone();
    let timed_by_phone = fields
        .iter()
        .any(|(key, value)| key == "at" && !value.trim().is_empty());
    let sent = (event.key.clone(), event.kind);
    let recorded = record_for(
        state.store.as_ref(),
        &state.ingester,
        &signed.account,
        event,
        state.clock.now(),
    )
    .await;
    match recorded {
        // A form sent twice without its script (a double tap, a resend): the page's key was
        // taken by the first, timed by the server when it arrived, so this is the same event.
        Err(Refusal::Conflict(_))
            if !timed_by_phone && same_event_stored(&state, &visit_id, &sent).await =>
        {
            Redirect::to(&format!("/today#visit-{visit_id}")).into_response()
        }
        Ok(receipt) => {
            if script {
                let status = match receipt.outcome {
                    CallEventOutcome::Stored => "stored",
                    CallEventOutcome::AlreadyStored { .. } => "already_stored",
                };
                json(
                    StatusCode::OK,
                    serde_json::json!({"status": status, "received_at": receipt.received_at.to_string()}),
                )
            } else {
                Redirect::to(&format!("/today#visit-{visit_id}")).into_response()
            }
        }
        Err(Refusal::Invalid { field, message }) => {
            refuse(
                &state,
                &signed,
                script,
                StatusCode::UNPROCESSABLE_ENTITY,
                &field,
                message,
            )
            .await
        }
        Err(Refusal::VisitNotFound) => {
            refuse(
                &state,
                &signed,
                script,
                StatusCode::NOT_FOUND,
                "visit_id",
                "This visit is not on your runs.".to_owned(),
            )
            .await
        }
        Err(Refusal::Conflict(message)) => {
            refuse(
                &state,
                &signed,
                script,
                StatusCode::CONFLICT,
                "key",
                message,
            )
            .await
        }
        Err(Refusal::Failed(error)) => super::error::store_failure(error),
    }
}

/// The service worker that keeps the phone page for use without a connection, built into the
/// program. It is served from the top of the site so that it may look after `/today`.
pub async fn service_worker() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        include_str!("../../../../frontend/phone-sw.js"),
    )
        .into_response()
}
