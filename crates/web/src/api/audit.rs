//! `/api/v1/audit`: the audit trail, for commissioners.

use super::error::{ApiError, ErrorBody};
use super::paging::{ApiQuery, Paging, list_body};
use crate::AppState;
use axum::Json;
use axum::extract::State;
use homeward_store::AuditFilter;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// One change to the register.
#[derive(Serialize, ToSchema)]
pub struct AuditEventDto {
    /// Position in the trail, from 1.
    pub sequence: i64,
    /// When, RFC 3339 in UTC.
    pub at: String,
    /// Who: an account id, or the command that wrote.
    pub actor: String,
    /// What was done.
    pub action: String,
    /// The kind of record.
    pub record_kind: String,
    /// The record, when one changed.
    pub record_id: Option<String>,
    /// How many records the write touched.
    pub record_count: i64,
    /// The record's stored fields before the change, as a JSON object (for a batch, an array
    /// of them); null for a record created, or an event about no one record.
    pub before: Option<serde_json::Value>,
    /// The record's stored fields after the change, as a JSON object (for a batch, an array of
    /// them); for a sign-in, a sign-out, a failed sign-in or a lock-out, the client's address.
    pub after: Option<serde_json::Value>,
}

/// A record stored as JSON text, as JSON. The store writes only objects and arrays of them;
/// anything else is corrupt.
fn stored_json(sequence: i64, text: Option<String>) -> Result<Option<serde_json::Value>, ApiError> {
    let Some(text) = text else { return Ok(None) };
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(value) if value.is_object() || value.is_array() => Ok(Some(value)),
        _ => {
            tracing::error!(sequence, "an audit event holds a record that is not JSON");
            Err(ApiError::internal())
        }
    }
}

list_body!(
    AuditList,
    AuditEventDto,
    "A page of audit events, newest first."
);

/// Exact-match filters and paging.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Who.
    actor: Option<String>,
    /// What was done.
    action: Option<String>,
    /// The kind of record.
    record_kind: Option<String>,
    /// The record's id.
    record_id: Option<String>,
    /// Page, from 1.
    #[param(value_type = Option<u64>, minimum = 1, maximum = 1000000)]
    page: Option<String>,
    /// Items a page, 1 to 200.
    #[param(value_type = Option<u64>, minimum = 1, maximum = 200)]
    per_page: Option<String>,
}

fn filled(value: Option<String>) -> Option<String> {
    value.filter(|value| !value.trim().is_empty())
}

/// Lists audit events, newest first.
#[utoipa::path(get, path = "/api/v1/audit", operation_id = "list_audit_events", tag = "audit", params(AuditQuery), security(("bearer" = [])),
    responses((status = 200, body = AuditList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<AuditQuery>,
) -> Result<Json<AuditList>, ApiError> {
    let paging = Paging::parse(query.page.as_deref(), query.per_page.as_deref())?;
    let filter = AuditFilter {
        actor: filled(query.actor),
        action: filled(query.action),
        record_kind: filled(query.record_kind),
        record_id: filled(query.record_id),
    };
    let found = state
        .store
        .audit_events(&filter, paging.offset(), paging.per_page)
        .await
        .map_err(ApiError::store)?;
    let items = found
        .events
        .into_iter()
        .map(|event| {
            Ok(AuditEventDto {
                before: stored_json(event.sequence, event.before)?,
                after: stored_json(event.sequence, event.after)?,
                sequence: event.sequence,
                at: event.at.to_string(),
                actor: event.actor,
                action: event.action,
                record_kind: event.record_kind,
                record_id: event.record_id,
                record_count: event.record_count,
            })
        })
        .collect::<Result<_, ApiError>>()?;
    Ok(Json(AuditList {
        items,
        page: paging.page,
        per_page: paging.per_page,
        total: found.total,
    }))
}
