//! `/api/v1/invoices` and `/api/v1/reconciliation`: providers' invoices for a four-weekly
//! period, draft or issued, with their lines, and the period reconciled, in the caller's scope
//! (a provider its own, the council's staff every provider's).

use super::error::{ApiError, ErrorBody};
use super::paging::{ApiQuery, Paging, list_body};
use crate::AppState;
use crate::auth::Signed;
use axum::extract::{FromRequestParts, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::{Extension, Json};
use homeward_app::Ids;
use homeward_app::invoicing::provider_names;
use homeward_app::invoicing::{self, InvoiceStatus, InvoicingError, ProviderInvoice};
use homeward_app::visibility::{self, InvoiceScope};
use homeward_domain::invoice::reconcile::Reconciliation;
use homeward_domain::{InvoiceLine, InvoicePeriod, ProviderId};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};

/// A period's planned, delivered and invoiced care; minutes are carer minutes, money pence.
#[derive(Serialize, ToSchema)]
pub struct ReconciliationDto {
    /// Minutes of the period's planned visits.
    pub planned_minutes: u64,
    /// Minutes verified by check-in and check-out.
    pub delivered_minutes: u64,
    /// Minutes charged (guarantees, rounding and minimum charges included).
    pub invoiced_minutes: u64,
    /// The amount invoiced, in pence.
    pub invoiced_pence: i64,
    /// Delivered less planned.
    pub delivered_less_planned_minutes: i64,
    /// Invoiced less delivered.
    pub invoiced_less_delivered_minutes: i64,
    /// Visits in the period.
    pub visits: u64,
    /// Visits charged on actual time with no check-out yet.
    pub unverified: u64,
    /// Visits with no check-in.
    pub not_delivered: u64,
    /// Visits of people who pay for their own care.
    pub not_council_funded: u64,
    /// Visits no contract covers.
    pub exceptions: u64,
    /// Minutes over individual service funds' budgets (not paid).
    pub over_budget_minutes: u64,
    /// Block and group fund guarantees and their use.
    pub guarantees: Vec<GuaranteeDto>,
}

/// A guarantee's use in the period.
#[derive(Serialize, ToSchema)]
pub struct GuaranteeDto {
    /// The block or group fund contract.
    pub contract_id: String,
    /// Minutes guaranteed.
    pub guaranteed_minutes: u64,
    /// Chargeable minutes delivered under it.
    pub counted_minutes: u64,
    /// Used over guaranteed in basis points (10000 = fully used); null with no guarantee.
    #[schema(required = true)]
    pub utilisation_bp: Option<u64>,
}

impl From<&Reconciliation> for ReconciliationDto {
    fn from(figures: &Reconciliation) -> Self {
        ReconciliationDto {
            planned_minutes: figures.planned_minutes,
            delivered_minutes: figures.delivered_minutes,
            invoiced_minutes: figures.invoiced_minutes,
            invoiced_pence: figures.invoiced_amount.0,
            delivered_less_planned_minutes: figures.delivered_less_planned(),
            invoiced_less_delivered_minutes: figures.invoiced_less_delivered(),
            visits: figures.visits,
            unverified: figures.unverified,
            not_delivered: figures.not_delivered,
            not_council_funded: figures.not_council_funded,
            exceptions: figures.exceptions,
            over_budget_minutes: figures.over_budget_minutes,
            guarantees: figures
                .guarantees
                .iter()
                .map(|guarantee| GuaranteeDto {
                    contract_id: guarantee.contract_id.to_string(),
                    guaranteed_minutes: guarantee.guaranteed_minutes,
                    counted_minutes: guarantee.counted_minutes,
                    utilisation_bp: guarantee.utilisation_bp,
                })
                .collect(),
        }
    }
}

/// A provider's invoice for a period, without its lines.
#[derive(Serialize, ToSchema)]
pub struct InvoiceSummaryDto {
    /// The provider.
    pub provider_id: String,
    /// Its name.
    pub provider_name: String,
    /// The period's first day (a Monday).
    pub period_starts_on: String,
    /// Its last day (a Sunday).
    pub period_ends_on: String,
    /// `draft` (it follows the visits until issued) or `issued` (fixed).
    pub status: String,
    /// The issued invoice's id.
    #[schema(required = true)]
    pub invoice_id: Option<String>,
    /// When it was issued.
    #[schema(required = true)]
    pub issued_at: Option<String>,
    /// Lines on it.
    pub line_count: u64,
    /// Its total: the sum of its lines, in pence.
    pub total_pence: i64,
    /// Planned, delivered and invoiced.
    pub reconciliation: ReconciliationDto,
}

/// One line of an invoice.
#[derive(Serialize, ToSchema)]
pub struct InvoiceLineDto {
    /// From 1.
    pub number: u32,
    /// `visit`, `guaranteed-visit`, `guarantee`, `beyond-guarantee`, `fund-visit`, `fund-week`,
    /// `over-budget`, `incentive`, `unverified`, `not-delivered`, `not-council-funded` or
    /// `uncovered`.
    pub kind: String,
    /// The contract charging it.
    #[schema(required = true)]
    pub contract_id: Option<String>,
    /// That contract's kind: `block`, `spot`, `isf` or `gsf`.
    #[schema(required = true)]
    pub contract_kind: Option<String>,
    /// The visit, for a line about one.
    #[schema(required = true)]
    pub visit_id: Option<String>,
    /// The person cared for.
    #[schema(required = true)]
    pub person_id: Option<String>,
    /// The placement's referral, for an incentive.
    #[schema(required = true)]
    pub referral_id: Option<String>,
    /// The day.
    pub date: String,
    /// Carer minutes planned.
    pub planned_minutes: u32,
    /// Carer minutes between check-in and check-out.
    pub verified_minutes: u32,
    /// Minutes counted against a guarantee or fund, or over a fund's budget.
    pub counted_minutes: u32,
    /// Minutes charged on this line.
    pub charged_minutes: u32,
    /// Hourly rate in pence.
    pub rate_pence: i64,
    /// Amount in pence.
    pub amount_pence: i64,
    /// How it is charged.
    pub note: String,
}

impl From<&InvoiceLine> for InvoiceLineDto {
    fn from(line: &InvoiceLine) -> Self {
        InvoiceLineDto {
            number: line.number,
            kind: line.kind.code().into(),
            contract_id: line.contract_id.as_ref().map(ToString::to_string),
            contract_kind: line.contract_kind.map(|kind| kind.code().into()),
            visit_id: line.visit_id.as_ref().map(ToString::to_string),
            person_id: line.person_id.as_ref().map(ToString::to_string),
            referral_id: line.referral_id.as_ref().map(ToString::to_string),
            date: line.date.to_string(),
            planned_minutes: line.planned_minutes,
            verified_minutes: line.verified_minutes,
            counted_minutes: line.counted_minutes,
            charged_minutes: line.charged_minutes,
            rate_pence: line.rate.0,
            amount_pence: line.amount.0,
            note: line.note.clone(),
        }
    }
}

/// A provider's invoice for a period with its lines.
#[derive(Serialize, ToSchema)]
pub struct InvoiceDto {
    /// The invoice.
    #[serde(flatten)]
    pub summary: InvoiceSummaryDto,
    /// Its lines, in order.
    pub lines: Vec<InvoiceLineDto>,
}

fn summary(invoice: &ProviderInvoice, names: &HashMap<ProviderId, String>) -> InvoiceSummaryDto {
    let provider = &invoice.invoice.provider_id;
    let period = invoice.invoice.period;
    let issued_at = match &invoice.status {
        InvoiceStatus::Draft => None,
        InvoiceStatus::Issued { issued_at, .. } => Some(issued_at.to_string()),
    };
    InvoiceSummaryDto {
        provider_id: provider.to_string(),
        provider_name: names.get(provider).cloned().unwrap_or_default(),
        period_starts_on: period.starts_on().to_string(),
        period_ends_on: period.ends_on().to_string(),
        status: invoice.status.code().into(),
        invoice_id: invoice.invoice_id().map(ToString::to_string),
        issued_at,
        line_count: invoice.invoice.lines.len() as u64,
        total_pence: invoice.invoice.total().0,
        reconciliation: ReconciliationDto::from(&invoice.reconciliation()),
    }
}

list_body!(
    InvoiceList,
    InvoiceSummaryDto,
    "A page of a period's invoices."
);

/// Which period, and a page of its invoices.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct InvoiceQuery {
    /// Any day of the four-weekly period (YYYY-MM-DD, 1900 to 2199); the latest period that has
    /// ended when absent.
    #[param(value_type = Option<String>, format = Date, pattern = r"^(19|20|21)[0-9]{2}-[0-9]{2}-[0-9]{2}$")]
    period: Option<String>,
    /// Page, from 1.
    #[param(value_type = Option<u64>, minimum = 1, maximum = 1000000)]
    page: Option<String>,
    /// Items a page, 1 to 200.
    #[param(value_type = Option<u64>, minimum = 1, maximum = 200)]
    per_page: Option<String>,
}

fn scope_of(signed: &Signed) -> Result<InvoiceScope, ApiError> {
    visibility::invoice_scope(&signed.account).ok_or_else(ApiError::forbidden)
}

/// The period a request names; only an absent one means the latest that has ended (an empty
/// one is not a date).
fn period_of(text: Option<&str>, now: Timestamp) -> Result<InvoicePeriod, ApiError> {
    match text {
        None => Ok(invoicing::last_ended_period(now)),
        Some(text) => InvoicePeriod::parse(text, "period").map_err(ApiError::from),
    }
}

/// Lists the invoices of a period, by provider id: issued ones as issued, drafts otherwise.
#[utoipa::path(get, path = "/api/v1/invoices", operation_id = "list_invoices", tag = "payments", params(InvoiceQuery), security(("bearer" = [])),
    responses((status = 200, body = InvoiceList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    ApiQuery(query): ApiQuery<InvoiceQuery>,
) -> Result<Json<InvoiceList>, ApiError> {
    let scope = scope_of(&signed)?;
    let period = period_of(query.period.as_deref(), state.clock.now())?;
    let paging = Paging::parse(query.page.as_deref(), query.per_page.as_deref())?;
    let store = state.store.as_ref();
    let invoices = invoicing::invoices(store, period, scope.provider(), state.clock.now())
        .await
        .map_err(ApiError::store)?;
    let names = provider_names(store).await.map_err(ApiError::store)?;
    let total = invoices.len() as u64;
    let items = paging
        .slice(invoices)
        .iter()
        .map(|invoice| summary(invoice, &names))
        .collect();
    Ok(Json(InvoiceList {
        items,
        page: paging.page,
        per_page: paging.per_page,
        total,
    }))
}

/// An invoice's path: the provider and any day of the period.
pub struct InvoicePath(String, String);

impl<S: Send + Sync> FromRequestParts<S> for InvoicePath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Path::<(String, String)>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path((provider, period))| InvoicePath(provider, period))
            .map_err(|_| ApiError::not_found("invoice"))
    }
}

/// One provider's invoice for a period, with its lines.
#[utoipa::path(get, path = "/api/v1/invoices/{provider_id}/{period}", operation_id = "get_invoice", tag = "payments",
    params(("provider_id" = String, Path, description = "Provider id"), ("period" = String, Path, format = Date, pattern = r"^(19|20|21)[0-9]{2}-[0-9]{2}-[0-9]{2}$", description = "Any day of the period (YYYY-MM-DD, 1900 to 2199)")),
    security(("bearer" = [])),
    responses((status = 200, body = InvoiceDto), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn one(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    InvoicePath(provider, period): InvoicePath,
) -> Result<Json<InvoiceDto>, ApiError> {
    let scope = scope_of(&signed)?;
    let provider = ProviderId::parse(&provider, "provider_id")
        .ok()
        .filter(|provider| scope.allows(provider))
        .ok_or_else(|| ApiError::not_found("invoice"))?;
    let period = period_of(Some(&period), state.clock.now())?;
    let store = state.store.as_ref();
    let invoice = invoicing::invoice(store, &provider, period, state.clock.now())
        .await
        .map_err(ApiError::store)?
        .ok_or_else(|| ApiError::not_found("invoice"))?;
    let names = provider_names(store).await.map_err(ApiError::store)?;
    Ok(Json(invoice_dto(&invoice, &names)))
}

/// An invoice with its lines, as the API gives it.
fn invoice_dto(invoice: &ProviderInvoice, names: &HashMap<ProviderId, String>) -> InvoiceDto {
    InvoiceDto {
        summary: summary(invoice, names),
        lines: invoice
            .invoice
            .lines
            .iter()
            .map(InvoiceLineDto::from)
            .collect(),
    }
}

/// Issues the caller's own invoice for a period that has ended, as drafted now, in one audited
/// transaction; its visits' times are then locked. For provider users: a council's finance
/// system reads invoices, a provider sends them. Another provider's invoice is not found; a
/// period not yet ended, or with nothing to invoice, is refused naming `period`; an invoice
/// already issued is a conflict.
#[utoipa::path(post, path = "/api/v1/invoices/{provider_id}/{period}/issue", operation_id = "issue_invoice", tag = "payments",
    params(("provider_id" = String, Path, description = "Provider id"), ("period" = String, Path, format = Date, pattern = r"^(19|20|21)[0-9]{2}-[0-9]{2}-[0-9]{2}$", description = "Any day of the period (YYYY-MM-DD, 1900 to 2199)")),
    security(("bearer" = [])),
    responses((status = 201, body = InvoiceDto), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn issue(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    InvoicePath(provider, period): InvoicePath,
) -> Result<(StatusCode, Json<InvoiceDto>), ApiError> {
    let scope = scope_of(&signed)?;
    let provider = ProviderId::parse(&provider, "provider_id")
        .ok()
        .filter(|provider| scope.provider() == Some(provider))
        .ok_or_else(|| ApiError::not_found("invoice"))?;
    let period = period_of(Some(&period), state.clock.now())?;
    let store = state.store.as_ref();
    let issued = invoicing::issue(
        store,
        &Ids::random(),
        &provider,
        period,
        state.clock.now(),
        &signed.actor(),
    )
    .await
    .map_err(|error| match error {
        InvoicingError::Invalid(error) => ApiError::from(error),
        InvoicingError::AlreadyIssued => {
            ApiError::conflict("This invoice has been issued already: it cannot be issued again")
        }
        InvoicingError::UnknownProvider(_) => ApiError::not_found("invoice"),
        InvoicingError::Store(error) => ApiError::store(error),
    })?;
    let invoice = ProviderInvoice::from(issued);
    let names = provider_names(store).await.map_err(ApiError::store)?;
    Ok((StatusCode::CREATED, Json(invoice_dto(&invoice, &names))))
}

/// A provider's reconciliation for the period.
#[derive(Serialize, ToSchema)]
pub struct ReconciledDto {
    /// The provider.
    pub provider_id: String,
    /// Its name.
    pub provider_name: String,
    /// `draft` or `issued`: which invoice the figures are read from.
    pub status: String,
    /// The figures.
    #[serde(flatten)]
    pub figures: ReconciliationDto,
}

/// A period reconciled, provider by provider.
#[derive(Serialize, ToSchema)]
pub struct ReconciliationBody {
    /// The period's first day.
    pub period_starts_on: String,
    /// Its last day.
    pub period_ends_on: String,
    /// Each provider's figures, by provider id.
    pub items: Vec<ReconciledDto>,
}

/// Which period to reconcile.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReconciliationQuery {
    /// Any day of the four-weekly period (YYYY-MM-DD, 1900 to 2199); the latest period that has
    /// ended when absent.
    #[param(value_type = Option<String>, format = Date, pattern = r"^(19|20|21)[0-9]{2}-[0-9]{2}-[0-9]{2}$")]
    period: Option<String>,
}

/// Planned, delivered and invoiced care of a period, for each provider in the caller's scope:
/// the figures the reconciliation page shows and the finance export's lines add up to.
#[utoipa::path(get, path = "/api/v1/reconciliation", operation_id = "get_reconciliation", tag = "payments", params(ReconciliationQuery), security(("bearer" = [])),
    responses((status = 200, body = ReconciliationBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn reconciliation(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    ApiQuery(query): ApiQuery<ReconciliationQuery>,
) -> Result<Json<ReconciliationBody>, ApiError> {
    let scope = scope_of(&signed)?;
    let period = period_of(query.period.as_deref(), state.clock.now())?;
    let store = state.store.as_ref();
    let invoices = invoicing::invoices(store, period, scope.provider(), state.clock.now())
        .await
        .map_err(ApiError::store)?;
    let names = provider_names(store).await.map_err(ApiError::store)?;
    Ok(Json(ReconciliationBody {
        period_starts_on: period.starts_on().to_string(),
        period_ends_on: period.ends_on().to_string(),
        items: invoices
            .iter()
            .map(|invoice| ReconciledDto {
                provider_id: invoice.invoice.provider_id.to_string(),
                provider_name: names
                    .get(&invoice.invoice.provider_id)
                    .cloned()
                    .unwrap_or_default(),
                status: invoice.status.code().into(),
                figures: ReconciliationDto::from(&invoice.reconciliation()),
            })
            .collect(),
    }))
}
