//! `/api/v1/monitoring` and `/api/v1/visits/{id}/corrections`: a day's visits as call
//! monitoring judges them, with the alerts raised, in the caller's scope (a provider its own,
//! the council's staff every provider's), and a provider's correction of a visit's times.

use super::areas::parse_body;
use super::error::{ApiError, ErrorBody};
use super::paging::{ApiBody, ApiQuery, Paging, list_body};
use crate::AppState;
use crate::auth::Signed;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use homeward_app::corrections::{self, CorrectionError, CorrectionRequest};
use homeward_app::visibility;
use homeward_app::{Ids, MonitoredVisit, monitor, needs_attention};
use homeward_domain::{
    Alert, CallNote, Correction, CorrectionReason, MonitoringRules, Punctuality, Scope, VisitId,
    parse_date,
};
use homeward_store::VisitFilter;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// One visit as call monitoring judges it.
#[derive(Serialize, ToSchema)]
pub struct MonitoredVisitDto {
    /// The visit.
    pub visit_id: String,
    /// Its provider.
    pub provider_id: String,
    /// The person visited.
    pub person_id: String,
    /// When it is planned to start (UTC).
    pub planned_start: String,
    /// Its planned length per carer.
    pub planned_minutes: u16,
    /// Carers on it.
    pub carers: u8,
    /// `pending`, `on_time`, `early`, `late`, `running_late` or `missed`.
    pub punctuality: String,
    /// For `early` and `late`: by how many minutes.
    #[schema(required = true)]
    pub minutes_off: Option<i64>,
    /// Who has been alerted: `provider_late`, `provider_missed`, `council_missed`.
    pub alerts: Vec<String>,
    /// When it began, as monitoring takes it (a correction's time, or the check-in's).
    #[schema(required = true)]
    pub began_at: Option<String>,
    /// When it ended, likewise.
    #[schema(required = true)]
    pub ended_at: Option<String>,
    /// Minutes between the two.
    #[schema(required = true)]
    pub actual_minutes: Option<i64>,
    /// Whether it was a short call.
    pub short_call: bool,
    /// Whether a coordinator corrected its times.
    pub corrected: bool,
}

fn punctuality(value: Punctuality) -> (&'static str, Option<i64>) {
    match value {
        Punctuality::Pending => ("pending", None),
        Punctuality::OnTime => ("on_time", None),
        Punctuality::Early { minutes } => ("early", Some(minutes)),
        Punctuality::Late { minutes } => ("late", Some(minutes)),
        Punctuality::RunningLate => ("running_late", None),
        Punctuality::Missed => ("missed", None),
    }
}

fn alert_code(alert: Alert) -> &'static str {
    match alert {
        Alert::ProviderLate => "provider_late",
        Alert::ProviderMissed => "provider_missed",
        Alert::CouncilMissed => "council_missed",
    }
}

impl From<&MonitoredVisit> for MonitoredVisitDto {
    fn from(monitored: &MonitoredVisit) -> Self {
        let visit = &monitored.visit;
        let (code, minutes_off) = punctuality(monitored.assessment.punctuality);
        MonitoredVisitDto {
            visit_id: visit.id.to_string(),
            provider_id: visit.provider_id.to_string(),
            person_id: visit.dated.person_id.to_string(),
            planned_start: visit.dated.starts_at.to_string(),
            planned_minutes: visit.dated.duration_minutes,
            carers: visit.dated.carers,
            punctuality: code.to_owned(),
            minutes_off,
            alerts: monitored
                .assessment
                .alerts
                .iter()
                .map(|alert| alert_code(*alert).to_owned())
                .collect(),
            began_at: monitored.arrived.map(|at| at.to_string()),
            ended_at: monitored.left.map(|at| at.to_string()),
            actual_minutes: monitored.assessment.actual_minutes,
            short_call: monitored.assessment.short_call,
            corrected: monitored.correction.is_some(),
        }
    }
}

list_body!(
    MonitoredVisitList,
    MonitoredVisitDto,
    "A page of a day's monitored visits."
);

/// Which day and which visits.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MonitoringQuery {
    /// The local day (YYYY-MM-DD); today when absent.
    #[param(value_type = Option<String>, format = Date, pattern = r"^(19|20|21)[0-9]{2}-[0-9]{2}-[0-9]{2}$")]
    date: Option<String>,
    /// `alerts` (late, missed and short visits; the default) or `all`.
    #[param(value_type = Option<String>, pattern = "^(alerts|all)$")]
    show: Option<String>,
    /// Page, from 1.
    #[param(value_type = Option<u64>, minimum = 1, maximum = 1000000)]
    page: Option<String>,
    /// Items a page, 1 to 200.
    #[param(value_type = Option<u64>, minimum = 1, maximum = 200)]
    per_page: Option<String>,
}

/// A day's late, missed and short visits (or every visit), with the alerts raised, in order of
/// planned start.
#[utoipa::path(get, path = "/api/v1/monitoring", operation_id = "list_monitored_visits", tag = "visits", params(MonitoringQuery), security(("bearer" = [])),
    responses((status = 200, body = MonitoredVisitList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    ApiQuery(query): ApiQuery<MonitoringQuery>,
) -> Result<Json<MonitoredVisitList>, ApiError> {
    let date = match query.date.as_deref() {
        None => state.clock.today(),
        Some(text) => parse_date(text, "date")?,
    };
    let show_all = match query.show.as_deref() {
        None | Some("alerts") => false,
        Some("all") => true,
        Some(_) => return Err(ApiError::invalid("show", "show must be alerts or all")),
    };
    let paging = Paging::parse(query.page.as_deref(), query.per_page.as_deref())?;
    let filter = visibility::visits(&signed.account, VisitFilter::between(date, date))
        .ok_or_else(ApiError::forbidden)?;
    let visits = monitor(
        state.store.as_ref(),
        &filter,
        &MonitoringRules::default(),
        state.clock.now(),
    )
    .await
    .map_err(ApiError::store)?;
    let chosen: Vec<&MonitoredVisit> = visits
        .iter()
        .filter(|monitored| show_all || needs_attention(monitored))
        .collect();
    let total = chosen.len() as u64;
    Ok(Json(MonitoredVisitList {
        items: paging
            .slice(chosen)
            .into_iter()
            .map(MonitoredVisitDto::from)
            .collect(),
        page: paging.page,
        per_page: paging.per_page,
        total,
    }))
}

/// A correction of a visit's times.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectionRequestDto {
    /// When the visit really began (RFC 3339 with an offset); null or absent when it was not
    /// made.
    pub check_in: Option<String>,
    /// When it ended.
    pub check_out: Option<String>,
    /// `phone-failed`, `forgot-check-in`, `forgot-check-out`, `wrong-visit`, `not-made` or
    /// `other` (which needs a note).
    #[schema(
        pattern = "^(phone-failed|forgot-check-in|forgot-check-out|wrong-visit|not-made|other)$"
    )]
    pub reason: String,
    /// What else the coordinator says (at most 1,000 characters).
    #[schema(max_length = 1000)]
    pub note: Option<String>,
}

/// A stored correction.
#[derive(Serialize, ToSchema)]
pub struct CorrectionDto {
    /// Its id.
    pub id: String,
    /// The visit.
    pub visit_id: String,
    /// When the visit began (UTC); null when it was not made.
    #[schema(required = true)]
    pub check_in: Option<String>,
    /// When it ended.
    #[schema(required = true)]
    pub check_out: Option<String>,
    /// The reason's code.
    pub reason: String,
    /// The note.
    #[schema(required = true)]
    pub note: Option<String>,
    /// When it was made.
    pub corrected_at: String,
}

impl From<&Correction> for CorrectionDto {
    fn from(correction: &Correction) -> Self {
        CorrectionDto {
            id: correction.id.to_string(),
            visit_id: correction.visit_id.to_string(),
            check_in: correction.check_in.map(|at| at.to_string()),
            check_out: correction.check_out.map(|at| at.to_string()),
            reason: correction.reason.code().to_owned(),
            note: correction
                .note
                .as_ref()
                .map(|note| note.as_str().to_owned()),
            corrected_at: correction.corrected_at.to_string(),
        }
    }
}

fn instant(text: Option<&str>, field: &str) -> Result<Option<Timestamp>, ApiError> {
    text.map(|text| {
        text.parse::<Timestamp>().map_err(|error| {
            ApiError::invalid(
                field,
                format!("'{text}' is not an RFC 3339 instant: {error}"),
            )
        })
    })
    .transpose()
}

/// Corrects a visit's times: monitoring and the invoice then take these instead of the phone's.
#[utoipa::path(post, path = "/api/v1/visits/{id}/corrections", operation_id = "correct_visit", tag = "visits", request_body = CorrectionRequestDto, security(("bearer" = [])),
    params(("id" = String, Path, description = "The visit")),
    responses((status = 201, body = CorrectionDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 408, body = ErrorBody), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn correct(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Path(id): Path<String>,
    ApiBody(body): ApiBody,
) -> Result<(StatusCode, Json<CorrectionDto>), ApiError> {
    let Scope::Provider(provider) = &signed.account.scope else {
        return Err(ApiError::forbidden());
    };
    let visit_id = VisitId::parse(&id, "id").map_err(|_| ApiError::not_found("visit"))?;
    let request: CorrectionRequestDto = parse_body(&body)?;
    let reason = CorrectionReason::parse(&request.reason, "reason")?;
    let note = match request.note.as_deref() {
        Some(text) if text.chars().count() > CallNote::MAX_CHARS => {
            return Err(ApiError::invalid(
                "note",
                "note must be at most 1,000 characters",
            ));
        }
        Some(text) => CallNote::parse(text, "note")?,
        None => None,
    };
    let correction = CorrectionRequest {
        check_in: instant(request.check_in.as_deref(), "check_in")?,
        check_out: instant(request.check_out.as_deref(), "check_out")?,
        reason,
        note,
    };
    match corrections::correct(
        state.store.as_ref(),
        &Ids::random(),
        provider,
        &visit_id,
        correction,
        state.clock.now(),
        &signed.actor(),
    )
    .await
    {
        Ok(made) => Ok((StatusCode::CREATED, Json(CorrectionDto::from(&made)))),
        Err(CorrectionError::Invalid(invalid)) => {
            let first = invalid
                .0
                .into_iter()
                .next()
                .expect("Invalid is never empty");
            Err(ApiError::invalid(first.field, first.message))
        }
        Err(CorrectionError::NotFound) => Err(ApiError::not_found("visit")),
        Err(CorrectionError::Locked(reason)) => Err(ApiError::conflict(format!(
            "The visit cannot be corrected: {reason}."
        ))),
        Err(CorrectionError::Store(error)) => Err(ApiError::store(error)),
    }
}
