//! `POST /api/v1/call-events`: a care worker's check-in or check-out, from the phone page or a
//! provider's own monitoring system. Idempotent by the sender's key: the same event sent again
//! is answered 200 "already_stored" and stored once. A check-out may list the tasks done;
//! either kind may carry a short note.

use super::areas::parse_body;
use super::error::{ApiError, ErrorBody};
use super::paging::ApiBody;
use crate::AppState;
use crate::auth::Signed;
use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use homeward_app::call_intake::{Refusal, record_for};
use homeward_domain::{
    CallEvent, CallEventKind, CallNote, CareTask, Coordinates, EventKey, VisitId, WorkerId,
};
use homeward_store::CallEventOutcome;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A check-in or check-out.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallEventRequest {
    /// The sender's idempotency key: the same key and event again is stored once.
    #[schema(pattern = "^[A-Za-z0-9._-]{8,100}$")]
    pub key: String,
    /// The visit.
    pub visit_id: String,
    /// The care worker.
    pub worker_id: String,
    /// `check_in` or `check_out`.
    #[schema(pattern = "^(check_in|check_out)$")]
    pub kind: String,
    /// When it happened, by the phone's clock: RFC 3339 with an offset.
    pub at: String,
    /// Where the phone was, if it could tell (with `longitude`).
    #[schema(minimum = -90.0, maximum = 90.0)]
    pub latitude: Option<f64>,
    /// See `latitude`.
    #[schema(minimum = -180.0, maximum = 180.0)]
    pub longitude: Option<f64>,
    /// The tasks done, on a check-out only (a check-in with tasks is refused); order and
    /// repeats do not matter.
    pub tasks: Option<Vec<TaskCode>>,
    /// A short note: trimmed, line breaks kept; blank is no note.
    #[schema(max_length = 1000)]
    pub note: Option<String>,
}

/// A care task's code.
#[derive(Deserialize)]
#[serde(transparent)]
pub struct TaskCode(String);

impl utoipa::PartialSchema for TaskCode {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        let labels: Vec<String> = CareTask::ALL
            .iter()
            .map(|task| format!("`{}` ({})", task.code(), task.label()))
            .collect();
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .enum_values(Some(CareTask::ALL.iter().map(|task| task.code())))
            .description(Some(format!("A care task: {}.", labels.join(", "))))
            .into()
    }
}

impl ToSchema for TaskCode {}

/// What became of the event.
#[derive(Serialize, ToSchema)]
pub struct CallEventReceipt {
    /// The key sent.
    pub key: String,
    /// `stored`, or `already_stored` for a repeat.
    pub status: String,
    /// When the store first took it (UTC).
    pub received_at: String,
}

/// Records a check-in or check-out.
///
/// Money follows only care that was rostered, at believable times: the event is taken only
/// when its worker makes a part of the visit on a published roster, whoever sends it, and
/// when its time `at` lies within the visit's window (2 hours before its planned start to 12
/// hours after its planned end), no more than 5 minutes ahead of the server's clock, and it
/// arrives within 48 hours of the visit's planned end. Anything else is for a coordinator's
/// correction. Keys are the provider's own: another provider's use of a key is never seen.
#[utoipa::path(post, path = "/api/v1/call-events", operation_id = "create_call_event", tag = "visits", request_body = CallEventRequest, security(("bearer" = [])),
    responses(
        (status = 201, description = "Stored.", body = CallEventReceipt),
        (status = 200, description = "The same event was stored before under this key (`already_stored`).", body = CallEventReceipt),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, description = "The visit is not one of the sender's provider's.", body = ErrorBody),
        (status = 409, description = "The state forbids it: the visit was cancelled, it is on an issued invoice (its times are locked), or the key is used for another event of the provider's.", body = ErrorBody),
        (status = 408, body = ErrorBody),
        (status = 413, body = ErrorBody),
        (status = 415, body = ErrorBody),
        (status = 422, description = "A field is at fault, named in `field`: `worker_id` when the worker is not the sender's or not rostered to the visit on a published roster; `at` when the time is outside the visit's window, in the future, or sent more than 48 hours after the visit's planned end; or another field that breaks its own rule.", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    ApiBody(body): ApiBody,
) -> Result<(StatusCode, Json<CallEventReceipt>), ApiError> {
    let request: CallEventRequest = parse_body(&body)?;
    let event = parse_event(&request)?;
    let key = event.key.as_str().to_owned();
    let receipt = record_for(
        state.store.as_ref(),
        &state.ingester,
        &signed.account,
        event,
        state.clock.now(),
    )
    .await?;
    let (status, text) = match receipt.outcome {
        CallEventOutcome::Stored => (StatusCode::CREATED, "stored"),
        CallEventOutcome::AlreadyStored { .. } => (StatusCode::OK, "already_stored"),
    };
    Ok((
        status,
        Json(CallEventReceipt {
            key,
            status: text.to_owned(),
            received_at: receipt.received_at.to_string(),
        }),
    ))
}

impl From<Refusal> for ApiError {
    fn from(refusal: Refusal) -> ApiError {
        match refusal {
            Refusal::Invalid { field, message } => ApiError::invalid(field, message),
            Refusal::VisitNotFound => ApiError::not_found("visit"),
            Refusal::Conflict(message) => ApiError::conflict(message),
            Refusal::Failed(error) => ApiError::store(error),
        }
    }
}

/// The event the request describes, or the first field at fault.
fn parse_event(request: &CallEventRequest) -> Result<CallEvent, ApiError> {
    let invalid =
        |error: homeward_domain::FieldError| ApiError::invalid(error.field, error.message);
    let location = match (request.latitude, request.longitude) {
        (Some(latitude), Some(longitude)) => Some(
            Coordinates::from_degrees(latitude, longitude).ok_or_else(|| {
                ApiError::invalid("latitude", "latitude and longitude must be on the globe")
            })?,
        ),
        (None, None) => None,
        _ => {
            return Err(ApiError::invalid(
                "longitude",
                "latitude and longitude come together",
            ));
        }
    };
    Ok(CallEvent {
        key: EventKey::parse(&request.key, "key").map_err(invalid)?,
        visit_id: VisitId::parse(&request.visit_id, "visit_id").map_err(invalid)?,
        worker_id: WorkerId::parse(&request.worker_id, "worker_id").map_err(invalid)?,
        kind: CallEventKind::parse(&request.kind, "kind").map_err(invalid)?,
        at: request.at.parse::<Timestamp>().map_err(|error| {
            ApiError::invalid(
                "at",
                format!("'{}' is not an RFC 3339 instant: {error}", request.at),
            )
        })?,
        location,
        tasks: request
            .tasks
            .iter()
            .flatten()
            .map(|TaskCode(code)| CareTask::parse(code, "tasks"))
            .collect::<Result<_, _>>()
            .map_err(invalid)?,
        note: parse_note(request.note.as_deref())?,
    })
}

/// The body of `POST /api/v1/call-events` that sends `event`: what a provider's system sends,
/// for the benchmark and the tests that drive the API (the inverse of the handler's parsing).
pub fn request_body(event: &CallEvent) -> String {
    let mut body = serde_json::json!({
        "key": event.key.as_str(),
        "visit_id": event.visit_id.as_str(),
        "worker_id": event.worker_id.as_str(),
        "kind": event.kind.code(),
        "at": event.at.to_string(),
        "tasks": event.tasks.iter().map(|task| task.code()).collect::<Vec<_>>(),
        "note": event.note.as_ref().map(CallNote::as_str),
    });
    if let Some(point) = event.location {
        body["latitude"] = (f64::from(point.latitude_e6()) / 1e6).into();
        body["longitude"] = (f64::from(point.longitude_e6()) / 1e6).into();
    }
    body.to_string()
}

/// The note sent, held to the document's 1,000 characters as sent (before trimming).
fn parse_note(note: Option<&str>) -> Result<Option<CallNote>, ApiError> {
    let Some(note) = note else {
        return Ok(None);
    };
    if note.chars().count() > CallNote::MAX_CHARS {
        return Err(ApiError::invalid(
            "note",
            format!("note must be at most {} characters", CallNote::MAX_CHARS),
        ));
    }
    Ok(CallNote::parse(note, "note")?)
}
#[cfg(test)]
mod tests {
    use super::super::openapi::ApiDoc;
    use utoipa::OpenApi;

    #[test]
    fn a_request_body_reads_back_as_its_event() {
        use homeward_domain::{CallEvent, CallEventKind, CallNote, CareTask, Coordinates};
        let event = CallEvent {
            key: homeward_domain::EventKey::parse("round-trip-0001", "key").unwrap(),
            visit_id: homeward_domain::VisitId::from_suffix("round-trip").unwrap(),
            worker_id: homeward_domain::WorkerId::from_suffix("sam1").unwrap(),
            kind: CallEventKind::CheckOut,
            at: "2026-12-01T08:30:00.123456Z".parse().unwrap(),
            location: Coordinates::from_micro_degrees(50_830_123, -780_456),
            tasks: [CareTask::Domestic, CareTask::Other].into(),
            note: CallNote::parse("Fed the cat.\nBins out.", "note").unwrap(),
        };
        let body = super::request_body(&event);
        let request: super::CallEventRequest = serde_json::from_str(&body).unwrap();
        assert_eq!(super::parse_event(&request).unwrap(), event);
    }

    #[test]
    fn the_document_lists_every_care_task_and_limits_the_note() {
        let document = serde_json::to_value(ApiDoc::openapi()).unwrap();
        let schemas = &document["components"]["schemas"];
        let request = &schemas["CallEventRequest"]["properties"];
        assert_eq!(request["note"]["maxLength"], 1000, "{request}");
        let codes: Vec<&str> = schemas["TaskCode"]["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{}", request["tasks"]))
            .iter()
            .map(|code| code.as_str().unwrap())
            .collect();
        let expected: Vec<&str> = homeward_domain::CareTask::ALL
            .iter()
            .map(|task| task.code())
            .collect();
        assert_eq!(codes, expected);
        assert_eq!(
            request["tasks"]["items"]["$ref"],
            "#/components/schemas/TaskCode"
        );
    }
}
