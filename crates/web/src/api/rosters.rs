//! `/api/v1/rosters`: rostering for providers' own systems, as the roster pages do it — a
//! branch's rosters over a span of days, one roster with its runs, unmade visits, figures and
//! breaches, planning a day or a week with the scheduling engine, moving one carer's part of a
//! visit by hand (answering what the move breaks), and publishing. Also a care worker's
//! published runs as iCalendar (`/api/v1/workers/{id}/runs.ics`).
//!
//! Only a provider's users reach rosters, and only their own branches': another provider's
//! roster or branch is not found. Care workers may read their own calendar.

use super::areas::parse_body;
use super::error::{ApiError, ErrorBody};
use super::paging::{ApiBody, ApiPath, ApiQuery, Paging, list_body};
use crate::AppState;
use crate::auth::Signed;
use axum::extract::State;
use axum::response::Response;
use axum::{Extension, Json};
use homeward_app::Ids;
use homeward_app::rostering::{self, Move, RosterError, RosterView, Violation};
use homeward_app::visibility;
use homeward_domain::{Branch, BranchId, Roster, RosterId, VisitId, WorkerId, parse_date};
use jiff::civil::Date;
use serde::de::Deserializer;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Days a list spans unless asked otherwise, and at most.
const DEFAULT_DAYS: i64 = 14;
const MAX_DAYS: i64 = 62;

/// A roster without its runs.
#[derive(Serialize, ToSchema)]
pub struct RosterSummaryDto {
    /// Stable id.
    pub id: String,
    /// The branch whose care workers make the runs.
    pub branch_id: String,
    /// The local date (YYYY-MM-DD).
    pub date: String,
    /// `draft` (only the branch's coordinators see it) or `published` (given to the care
    /// workers).
    pub status: String,
    /// When it was last planned or changed, RFC 3339.
    pub changed_at: String,
    /// When it was published, RFC 3339; null for a draft.
    #[schema(required = true)]
    pub published_at: Option<String>,
    /// Visit parts on its runs.
    pub stops: u64,
    /// The day's visits no run holds.
    pub unmade: u64,
}

list_body!(RosterList, RosterSummaryDto, "A page of rosters.");

/// Which rosters to list.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RosterQuery {
    /// Only this branch's (one of yours); all your branches' when absent.
    branch_id: Option<String>,
    /// The first day (YYYY-MM-DD, 1900 to 2199); today (UK) when absent.
    #[param(value_type = Option<String>, format = Date, pattern = r"^(19|20|21)[0-9]{2}-[0-9]{2}-[0-9]{2}$")]
    from: Option<String>,
    /// Days from `from`, 1 to 62; 14 when absent.
    #[param(value_type = Option<u64>, minimum = 1, maximum = 62)]
    days: Option<String>,
    /// Page, from 1.
    #[param(value_type = Option<u64>, minimum = 1, maximum = 1000000)]
    page: Option<String>,
    /// Items a page, 1 to 200.
    #[param(value_type = Option<u64>, minimum = 1, maximum = 200)]
    per_page: Option<String>,
}

/// The caller's branches, or 403 for anyone but a provider's user.
async fn own_branches(state: &AppState, signed: &Signed) -> Result<Vec<Branch>, ApiError> {
    visibility::own_branches(state.store.as_ref(), &signed.account)
        .await
        .map_err(ApiError::store)?
        .ok_or_else(ApiError::forbidden)
}

/// The caller's branch `id`; another provider's, or none, is not found.
fn own_branch<'a>(branches: &'a [Branch], id: &BranchId) -> Result<&'a Branch, ApiError> {
    branches
        .iter()
        .find(|branch| &branch.id == id)
        .ok_or_else(|| ApiError::not_found("branch"))
}

/// A date field of a request, named (1900 to 2199, as every date from outside).
fn date_of(text: &str, field: &str) -> Result<Date, ApiError> {
    Ok(parse_date(text, field)?)
}

/// Lists the rosters of your branches (or one branch) over a span of days, by date then
/// branch: each with its status and how many visit parts are on runs and unmade.
#[utoipa::path(get, path = "/api/v1/rosters", operation_id = "list_rosters", tag = "rosters", params(RosterQuery), security(("bearer" = [])),
    responses((status = 200, body = RosterList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    ApiQuery(query): ApiQuery<RosterQuery>,
) -> Result<Json<RosterList>, ApiError> {
    let paging = Paging::parse(query.page.as_deref(), query.per_page.as_deref())?;
    let from = match query.from.as_deref() {
        None => state.clock.today(),
        Some(text) => date_of(text, "from")?,
    };
    let days = match query.days.as_deref() {
        None => DEFAULT_DAYS,
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|days| (1..=MAX_DAYS).contains(days))
            .ok_or_else(|| {
                ApiError::invalid(
                    "days",
                    format!("days must be a whole number from 1 to {MAX_DAYS}"),
                )
            })?,
    };
    let until = from
        .checked_add(jiff::Span::new().days(days - 1))
        .map_err(|_| ApiError::invalid("days", "the span runs beyond the calendar"))?;
    let branches = own_branches(&state, &signed).await?;
    let chosen: Vec<&Branch> = match query.branch_id.as_deref() {
        None => branches.iter().collect(),
        Some(text) => {
            let id =
                BranchId::parse(text, "branch_id").map_err(|_| ApiError::not_found("branch"))?;
            vec![own_branch(&branches, &id)?]
        }
    };
    let mut rosters = Vec::new();
    for branch in chosen {
        rosters.extend(
            state
                .store
                .branch_rosters(&branch.id, from, until)
                .await
                .map_err(ApiError::store)?,
        );
    }
    rosters.sort_by(|a, b| {
        (a.roster.date, &a.roster.branch_id).cmp(&(b.roster.date, &b.roster.branch_id))
    });
    let total = rosters.len() as u64;
    let items = paging
        .slice(rosters)
        .into_iter()
        .map(|summary| RosterSummaryDto {
            stops: summary.stops as u64,
            unmade: summary.unmade as u64,
            ..summary_of(&summary.roster)
        })
        .collect();
    Ok(Json(RosterList {
        items,
        page: paging.page,
        per_page: paging.per_page,
        total,
    }))
}

fn summary_of(roster: &Roster) -> RosterSummaryDto {
    RosterSummaryDto {
        id: roster.id.to_string(),
        branch_id: roster.branch_id.to_string(),
        date: roster.date.to_string(),
        status: roster.status.as_str().to_owned(),
        changed_at: roster.changed_at.to_string(),
        published_at: roster.published_at.map(|at| at.to_string()),
        stops: roster.stops.len() as u64,
        unmade: roster.unmade.len() as u64,
    }
}

/// A roster with its runs, unmade visits, figures and breaches.
#[derive(Serialize, ToSchema)]
pub struct RosterDto {
    /// The roster.
    #[serde(flatten)]
    pub summary: RosterSummaryDto,
    /// The branch's name.
    pub branch_name: String,
    /// Travel and continuity.
    pub figures: RosterFiguresDto,
    /// The runs of the care workers given work, by worker name.
    pub runs: Vec<RunDto>,
    /// The day's visits no run holds, in order of start.
    pub unmade_visits: Vec<UnmadeDto>,
    /// Every rule the roster breaks now, as the scheduling engine's checker finds it.
    pub breaches: Vec<BreachDto>,
    /// The branch's care workers with no work that day.
    pub idle_worker_ids: Vec<String>,
    /// Stops of visits cancelled since the roster was made (left out of the runs).
    pub stale_stops: u64,
}

/// A roster's figures.
#[derive(Serialize, ToSchema)]
pub struct RosterFiguresDto {
    /// Visits of the day.
    pub visits: u64,
    /// Visits no run holds.
    pub unmade: u64,
    /// Care workers given work.
    pub workers_used: u64,
    /// Minutes of travel, all runs (home again included).
    pub travel_minutes: u64,
    /// Minutes of paid time (leaving home to getting back), all runs.
    pub paid_minutes: u64,
    /// Travel as a share of paid time, per cent.
    pub travel_share_percent: f64,
    /// People visited.
    pub people: u64,
    /// Distinct carers a person sees that day, on average.
    pub carers_per_person: f64,
    /// Of the visit parts for people who had carers the week before, the share made by one of
    /// them, per cent; null when nobody had.
    #[schema(required = true)]
    pub known_carer_percent: Option<f64>,
    /// Visit parts starting after their window.
    pub late_parts: u64,
}

/// One care worker's run.
#[derive(Serialize, ToSchema)]
pub struct RunDto {
    /// The care worker.
    pub worker_id: String,
    /// Their name.
    pub worker_name: String,
    /// Minutes of travel, home again included.
    pub travel_minutes: u64,
    /// Minutes from leaving home to getting back.
    pub working_minutes: u64,
    /// The visits, in order.
    pub stops: Vec<StopDto>,
}

/// One carer's part of a visit on a run.
#[derive(Serialize, ToSchema)]
pub struct StopDto {
    /// The visit.
    pub visit_id: String,
    /// 0, or 1 for the second carer of a double-handed visit.
    pub part: u8,
    /// Who makes it.
    pub worker_id: String,
    /// Who is visited.
    pub person_id: String,
    /// When the carer is to start, RFC 3339.
    pub starts_at: String,
    /// The visit's planned start, RFC 3339.
    pub planned_start: String,
    /// Minutes the stop starts after the planned start (negative when early).
    pub minutes_from_plan: i64,
    /// The visit's length in minutes.
    pub duration_minutes: u64,
    /// Carers the visit needs (1 or 2).
    pub carers: u8,
    /// Minutes of travel from the carer's previous place (home, for the first visit).
    pub travel_minutes: u64,
    /// Whether the carer made the person's visits the week before.
    pub known_carer: bool,
}

/// A visit no run holds.
#[derive(Serialize, ToSchema)]
pub struct UnmadeDto {
    /// The visit.
    pub visit_id: String,
    /// Who is visited.
    pub person_id: String,
    /// The planned start, RFC 3339.
    pub planned_start: String,
    /// The visit's length in minutes.
    pub duration_minutes: u64,
    /// Carers the visit needs (1 or 2).
    pub carers: u8,
    /// Why no run holds it.
    pub reason: String,
}

/// A rule the roster breaks.
#[derive(Serialize, ToSchema)]
pub struct BreachDto {
    /// The rule's stable code, such as `skills`, `window` or `working_time`.
    pub rule: String,
    /// What is wrong, naming the values involved.
    pub message: String,
    /// The care worker concerned, if one is.
    #[schema(required = true)]
    pub worker_id: Option<String>,
    /// The visit concerned, if one is.
    #[schema(required = true)]
    pub visit_id: Option<String>,
}

impl From<&Violation> for BreachDto {
    fn from(breach: &Violation) -> BreachDto {
        BreachDto {
            rule: breach.rule.to_owned(),
            message: breach.message.clone(),
            worker_id: breach.worker.clone(),
            visit_id: breach.visit.clone(),
        }
    }
}

fn roster_dto(view: &RosterView) -> RosterDto {
    let figures = &view.figures;
    RosterDto {
        summary: summary_of(&view.roster),
        branch_name: view.day.branch.name.clone(),
        figures: RosterFiguresDto {
            visits: figures.visits as u64,
            unmade: figures.unmade as u64,
            workers_used: figures.workers_used as u64,
            travel_minutes: u64::from(figures.travel_minutes),
            paid_minutes: u64::from(figures.paid_minutes),
            travel_share_percent: figures.travel_share_percent,
            people: figures.people as u64,
            carers_per_person: figures.carers_per_person,
            known_carer_percent: figures.known_carer_percent,
            late_parts: figures.late_parts as u64,
        },
        runs: view
            .runs
            .iter()
            .map(|run| RunDto {
                worker_id: run.worker.id.to_string(),
                worker_name: run.worker.name.clone(),
                travel_minutes: u64::from(run.travel_minutes),
                working_minutes: u64::from(run.working_minutes),
                stops: run
                    .stops
                    .iter()
                    .map(|stop| StopDto {
                        visit_id: stop.visit.id.to_string(),
                        part: stop.stop.part,
                        worker_id: stop.stop.worker_id.to_string(),
                        person_id: stop.person.id.to_string(),
                        starts_at: stop.stop.starts_at.to_string(),
                        planned_start: stop.visit.dated.starts_at.to_string(),
                        minutes_from_plan: stop.minutes_from_plan,
                        duration_minutes: u64::from(stop.visit.dated.duration_minutes),
                        carers: stop.visit.dated.carers,
                        travel_minutes: u64::from(stop.stop.travel_minutes),
                        known_carer: stop.known_carer,
                    })
                    .collect(),
            })
            .collect(),
        unmade_visits: view
            .unmade
            .iter()
            .map(|unmade| UnmadeDto {
                visit_id: unmade.visit.id.to_string(),
                person_id: unmade.person.id.to_string(),
                planned_start: unmade.visit.dated.starts_at.to_string(),
                duration_minutes: u64::from(unmade.visit.dated.duration_minutes),
                carers: unmade.visit.dated.carers,
                reason: unmade.reason.clone(),
            })
            .collect(),
        breaches: view.breaches.iter().map(BreachDto::from).collect(),
        idle_worker_ids: view
            .idle
            .iter()
            .map(|worker| worker.id.to_string())
            .collect(),
        stale_stops: view.stale_stops as u64,
    }
}

fn roster_error(error: RosterError) -> ApiError {
    match error {
        RosterError::Invalid(invalid) => invalid
            .0
            .into_iter()
            .next()
            .map(ApiError::from)
            .unwrap_or_else(ApiError::internal),
        RosterError::NotFound(what) => ApiError::not_found(&what),
        RosterError::DayPassed(date) => ApiError::conflict(format!(
            "The roster of {date} is for a day that has passed: it stays as planned. Correct a \
             visit's times from its record instead."
        )),
        RosterError::Busy => {
            ApiError::busy("Every planner is busy planning other days. Try again in a minute.")
        }
        RosterError::Store(error) => ApiError::store(error),
        RosterError::Engine(error) => {
            tracing::error!(error = ?error.to_string(), "rostering failed");
            ApiError::internal()
        }
    }
}

/// The roster `id` read back in full, if it is of one of the caller's branches.
async fn own_view(state: &AppState, signed: &Signed, id: &str) -> Result<RosterView, ApiError> {
    let not_found = || ApiError::not_found("roster");
    let id = RosterId::parse(id, "id").map_err(|_| not_found())?;
    visibility::own_roster(state.store.as_ref(), &signed.account, &id)
        .await
        .map_err(ApiError::store)?
        .ok_or_else(not_found)?;
    rostering::view(state.store.as_ref(), &id, &state.plan_settings())
        .await
        .map_err(roster_error)
}

/// One roster: its runs (each stop with its worker, visit, person, start and travel), the
/// visits no run holds and why, the day's figures and every rule it breaks.
#[utoipa::path(get, path = "/api/v1/rosters/{id}", operation_id = "get_roster", tag = "rosters", params(("id" = String, Path, description = "Roster id")), security(("bearer" = [])),
    responses((status = 200, body = RosterDto), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn one(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    ApiPath(id): ApiPath,
) -> Result<Json<RosterDto>, ApiError> {
    let view = own_view(&state, &signed, &id).await?;
    Ok(Json(roster_dto(&view)))
}

/// What to plan.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanRequest {
    /// One of your branches.
    pub branch_id: String,
    /// The day, or the first day of the week, to plan (YYYY-MM-DD): today (UK) to 28 days
    /// ahead.
    #[schema(format = Date, pattern = r"^(19|20|21)[0-9]{2}-[0-9]{2}-[0-9]{2}$")]
    pub date: String,
    /// `day`, or `week` for the seven days from `date` (those within the 28 days).
    #[schema(pattern = "^(day|week)$")]
    pub span: String,
}

/// The rosters planned.
#[derive(Serialize, ToSchema)]
pub struct PlannedBody {
    /// Each day's roster, a draft, in date order.
    pub items: Vec<RosterDto>,
}

/// Plans a branch's day, or week, with the scheduling engine and stores each day as a draft,
/// replacing what was planned for it (the people's carers of the week before preferred).
/// Answers the rosters made. Each day takes the engine's search time, a few seconds.
#[utoipa::path(post, path = "/api/v1/rosters", operation_id = "plan_rosters", tag = "rosters", request_body = PlanRequest, security(("bearer" = [])),
    responses((status = 200, body = PlannedBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 408, body = ErrorBody), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn plan(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    ApiBody(body): ApiBody,
) -> Result<Json<PlannedBody>, ApiError> {
    let request: PlanRequest = parse_body(&body)?;
    let branch_id = BranchId::parse(request.branch_id.trim(), "branch_id")?;
    let date = date_of(&request.date, "date")?;
    let week = match request.span.as_str() {
        "day" => false,
        "week" => true,
        _ => return Err(ApiError::invalid("span", "span must be day or week")),
    };
    let branches = own_branches(&state, &signed).await?;
    let branch = own_branch(&branches, &branch_id)?;
    let store = state.store.as_ref();
    let settings = state.plan_settings();
    let ids = Ids::random();
    let now = state.clock.now();
    let actor = signed.actor();
    let rosters = if week {
        rostering::plan_week(store, &ids, &branch.id, date, &settings, now, &actor).await
    } else {
        rostering::plan_day(store, &ids, &branch.id, date, &settings, now, &actor)
            .await
            .map(|roster| vec![roster])
    }
    .map_err(roster_error)?;
    let mut items = Vec::new();
    for roster in rosters {
        let view = rostering::view(store, &roster.id, &settings)
            .await
            .map_err(roster_error)?;
        items.push(roster_dto(&view));
    }
    Ok(Json(PlannedBody { items }))
}

/// `null` told apart from a field left out: `Some(None)` is null, `None` absent.
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(deserializer).map(Some)
}

/// Which carer's part of which visit goes on whose run.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveRequest {
    /// One of the roster day's visits.
    pub visit_id: String,
    /// 0, or 1 for the second carer of a double-handed visit. Read as a number, so that `1.0`
    /// is the integer 1 as JSON Schema has it.
    #[schema(value_type = i64, minimum = 0, maximum = 1)]
    pub part: f64,
    /// The care worker (of the roster's branch) whose run it goes on, in order of planned
    /// start; null takes it off every run.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, required = true)]
    pub worker_id: Option<Option<String>>,
}

/// The roster after a move, and what the move breaks.
#[derive(Serialize, ToSchema)]
pub struct MovedBody {
    /// The roster as stored after the move (a draft), with every rule it breaks.
    pub roster: RosterDto,
    /// The breaches that concern the visit moved or the run it went to.
    pub caused: Vec<BreachDto>,
}

/// Moves one carer's part of a visit onto a care worker's run (or off every run), times the
/// runs again and stores the roster as a draft. The move is made even when it breaks a rule:
/// the answer says what it breaks.
#[utoipa::path(post, path = "/api/v1/rosters/{id}/move", operation_id = "move_roster_visit", tag = "rosters", params(("id" = String, Path, description = "Roster id")), request_body = MoveRequest, security(("bearer" = [])),
    responses((status = 200, body = MovedBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 408, body = ErrorBody), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn move_visit(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    ApiPath(id): ApiPath,
    ApiBody(body): ApiBody,
) -> Result<Json<MovedBody>, ApiError> {
    let request: MoveRequest = parse_body(&body)?;
    let visit_id = VisitId::parse(request.visit_id.trim(), "visit_id")?;
    let part = if request.part == 0.0 {
        0
    } else if request.part == 1.0 {
        1
    } else {
        return Err(ApiError::invalid("part", "part must be 0 or 1"));
    };
    let to = match request.worker_id {
        None => {
            return Err(ApiError::invalid(
                "worker_id",
                "worker_id is required: a care worker's id, or null to take the visit off every run",
            ));
        }
        Some(None) => None,
        Some(Some(text)) => Some(WorkerId::parse(text.trim(), "worker_id")?),
    };
    let view = own_view(&state, &signed, &id).await?;
    let settings = state.plan_settings();
    let store = state.store.as_ref();
    let change = Move {
        visit_id: &visit_id,
        part,
        to: to.as_ref(),
    };
    let outcome = rostering::move_visit(
        store,
        &view.roster.id,
        change,
        &settings,
        state.clock.now(),
        &signed.actor(),
    )
    .await
    .map_err(roster_error)?;
    let moved = rostering::view(store, &outcome.roster.id, &settings)
        .await
        .map_err(roster_error)?;
    Ok(Json(MovedBody {
        roster: roster_dto(&moved),
        caused: outcome.caused.iter().map(BreachDto::from).collect(),
    }))
}

/// Publishes a roster to its care workers (their phones and calendars); publishing one already
/// published changes nothing.
#[utoipa::path(post, path = "/api/v1/rosters/{id}/publish", operation_id = "publish_roster", tag = "rosters", params(("id" = String, Path, description = "Roster id")), security(("bearer" = [])),
    responses((status = 200, body = RosterDto), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn publish(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    ApiPath(id): ApiPath,
) -> Result<Json<RosterDto>, ApiError> {
    let view = own_view(&state, &signed, &id).await?;
    let store = state.store.as_ref();
    let roster = rostering::publish(store, &view.roster.id, state.clock.now(), &signed.actor())
        .await
        .map_err(roster_error)?;
    let view = rostering::view(store, &roster.id, &state.plan_settings())
        .await
        .map_err(roster_error)?;
    Ok(Json(roster_dto(&view)))
}

/// A care worker's published runs from a week ago to four weeks ahead, as an iCalendar file
/// (RFC 5545): one event per visit, naming the person by first name and initial only. For a
/// provider's systems (their own care workers) and for care workers themselves.
#[utoipa::path(get, path = "/api/v1/workers/{id}/runs.ics", operation_id = "get_worker_runs_calendar", tag = "rosters", params(("id" = String, Path, description = "Care worker id")), security(("bearer" = [])),
    responses((status = 200, content_type = "text/calendar", body = String, description = "The runs as iCalendar"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn calendar(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    ApiPath(id): ApiPath,
) -> Result<Response, ApiError> {
    let id = WorkerId::parse(&id, "id").map_err(|_| ApiError::not_found("care worker"))?;
    let now = state.clock.now();
    let runs = homeward_app::runs::calendar_of(
        state.store.as_ref(),
        &signed.account,
        &id,
        homeward_domain::london_date(now),
    )
    .await
    .map_err(ApiError::store)?
    .ok_or_else(|| ApiError::not_found("care worker"))?;
    Ok(crate::calendar::response(&runs, now))
}
