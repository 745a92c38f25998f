//! Invoices: the list for a period (a provider its own, the council every provider's), one
//! invoice with its lines and totals, and issuing it (the provider, once the period is over).

use super::views::{Cell, Table};
use super::{Layout, Pagination, encode_query, page_number, page_of, render};
use crate::AppState;
use crate::auth::Signed;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use homeward_app::invoicing::{self, InvoiceStatus, ProviderInvoice, provider_names};
use homeward_app::visibility::{self, InvoiceScope};
use homeward_app::{Ids, InvoicingError};
use homeward_domain::{FieldError, InvoicePeriod, ProviderId};
use jiff::Timestamp;
use std::collections::HashMap;

/// Lines an invoice page shows at a time.
const LINES_A_PAGE: u64 = 100;

/// The period a query names (any day of it), or the latest that has ended when it names none.
pub(crate) fn period_from(text: Option<&str>, now: Timestamp) -> Result<InvoicePeriod, FieldError> {
    match text.map(str::trim).filter(|text| !text.is_empty()) {
        None => Ok(invoicing::last_ended_period(now)),
        Some(text) => InvoicePeriod::parse(text, "period"),
    }
}

/// Minutes as hours and minutes: "12 h 05 min", "−1 h 30 min".
pub(crate) fn minutes_text(minutes: i64) -> String {
    let sign = if minutes < 0 { "−" } else { "" };
    let magnitude = minutes.unsigned_abs();
    format!("{sign}{} h {:02} min", magnitude / 60, magnitude % 60)
}

/// Where a provider's invoice for a period is.
pub(crate) fn invoice_href(provider: &ProviderId, period: &InvoicePeriod) -> String {
    format!("/invoices/{provider}/{}", period.starts_on())
}

/// "Draft" or "Issued 2026-07-01".
pub(crate) fn status_text(invoice: &ProviderInvoice) -> String {
    match &invoice.status {
        InvoiceStatus::Draft => "Draft".to_owned(),
        InvoiceStatus::Issued { issued_at, .. } => format!(
            "Issued {}",
            issued_at.to_zoned(homeward_domain::london().clone()).date()
        ),
    }
}

/// The form that picks a period, with links to the periods either side.
pub struct PeriodPicker {
    /// Where the form goes.
    pub action: &'static str,
    /// The field's value.
    pub value: String,
    /// A date to show as the example.
    pub example: String,
    /// The field's error, if any.
    pub error: Option<String>,
    /// Other fields kept across a change of period.
    pub hidden: Vec<(&'static str, String)>,
    /// The period before.
    pub previous_href: String,
    /// The period after.
    pub next_href: String,
}

impl PeriodPicker {
    /// The picker for `period` on the page at `action`, keeping `hidden` fields; `typed` is what
    /// was entered when it was refused with `error`.
    pub fn new(
        action: &'static str,
        period: InvoicePeriod,
        hidden: Vec<(&'static str, String)>,
        typed: Option<(&str, &FieldError)>,
    ) -> PeriodPicker {
        let href = |period: InvoicePeriod| {
            let mut query = format!("period={}", period.starts_on());
            for (name, value) in &hidden {
                query.push_str(&format!("&{name}={}", encode_query(value)));
            }
            format!("{action}?{query}")
        };
        PeriodPicker {
            action,
            value: typed.map_or_else(
                || period.starts_on().to_string(),
                |(text, _)| text.to_owned(),
            ),
            example: period.starts_on().to_string(),
            error: typed.map(|(_, error)| error.message.clone()),
            previous_href: href(period.previous()),
            next_href: href(period.next()),
            hidden,
        }
    }
}

/// A table of a period page and what it says when it is empty.
pub struct Section {
    /// The table.
    pub table: Table,
    /// What to say when it has no rows.
    pub empty: &'static str,
}

/// A page about one period: a picker, then tables.
#[derive(Template)]
#[template(path = "period_page.html")]
pub struct PeriodPage {
    /// The layout.
    pub layout: Layout,
    /// The period field's error, if any.
    pub errors: Vec<FieldError>,
    /// Above the heading: the period.
    pub caption: String,
    /// The heading.
    pub heading: &'static str,
    /// Paragraphs under the heading.
    pub intro: Vec<String>,
    /// The period picker.
    pub picker: PeriodPicker,
    /// Downloads: address and text.
    pub links: Vec<(String, String)>,
    /// The tables.
    pub sections: Vec<Section>,
}

impl PeriodPage {
    /// The page saying only that the period asked for is not one.
    pub async fn refused(
        state: &AppState,
        signed: &Signed,
        section: &'static str,
        heading: &'static str,
        typed: &str,
        error: FieldError,
        hidden: Vec<(&'static str, String)>,
    ) -> Response {
        let fallback = invoicing::last_ended_period(state.clock.now());
        let page = PeriodPage {
            layout: Layout::new(state, Some(signed), section).await,
            caption: "Payments".into(),
            heading,
            intro: Vec::new(),
            picker: PeriodPicker::new(section, fallback, hidden, Some((typed, &error))),
            errors: vec![FieldError::new("period", error.message.clone())],
            links: Vec::new(),
            sections: Vec::new(),
        };
        render(&page, StatusCode::UNPROCESSABLE_ENTITY)
    }
}

/// The list's query.
#[derive(serde::Deserialize)]
pub struct ListQuery {
    period: Option<String>,
}

/// The invoices of a period in the caller's scope.
pub async fn list(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Query(query): Query<ListQuery>,
) -> Response {
    let Some(scope) = visibility::invoice_scope(&signed.account) else {
        return super::error::not_found(&state, Some(&signed)).await;
    };
    let now = state.clock.now();
    let period = match period_from(query.period.as_deref(), now) {
        Ok(period) => period,
        Err(error) => {
            let typed = query.period.as_deref().unwrap_or_default();
            return PeriodPage::refused(
                &state,
                &signed,
                "/invoices",
                "Invoices",
                typed,
                error,
                Vec::new(),
            )
            .await;
        }
    };
    let store = state.store.as_ref();
    let (invoices, names) = match (
        invoicing::invoices(store, period, scope.provider(), now).await,
        provider_names(store).await,
    ) {
        (Ok(invoices), Ok(names)) => (invoices, names),
        (Err(error), _) | (_, Err(error)) => return super::error::store_failure(error),
    };
    let name = |id: &ProviderId| names.get(id).cloned().unwrap_or_else(|| id.to_string());
    let mut invoices = invoices;
    invoices.sort_by_key(|invoice| {
        (
            name(&invoice.invoice.provider_id),
            invoice.invoice.provider_id.clone(),
        )
    });
    let total: i64 = invoices
        .iter()
        .map(|invoice| invoice.invoice.total().0)
        .sum();
    let rows = invoices
        .iter()
        .map(|invoice| {
            let figures = invoice.reconciliation();
            let provider = &invoice.invoice.provider_id;
            vec![
                Cell::link(name(provider), invoice_href(provider, &period)),
                Cell::text(status_text(invoice)),
                Cell::text(figures.visits),
                Cell::text(minutes_text(figures.invoiced_minutes as i64)),
                Cell::text(figures.exceptions),
                Cell::text(invoice.invoice.total()),
            ]
        })
        .collect();
    let whose = match scope {
        InvoiceScope::Every => "every provider's",
        InvoiceScope::Own(_) => "your",
    };
    let page = PeriodPage {
        layout: Layout::new(&state, Some(&signed), "/invoices").await,
        errors: Vec::new(),
        caption: period.to_string(),
        heading: "Invoices",
        intro: vec![format!(
            "{} invoices, {}, come to {}. A draft follows the visits' check-ins and check-outs until the provider issues it after the period has ended; an issued invoice never changes.",
            invoices.len(),
            whose,
            homeward_domain::Pence(total)
        )],
        picker: PeriodPicker::new("/invoices", period, Vec::new(), None),
        links: Vec::new(),
        sections: vec![Section {
            table: Table {
                caption: format!("Invoices for {period}"),
                headings: vec![
                    "Provider",
                    "Status",
                    "Visits",
                    "Charged time",
                    "Exceptions",
                    "Amount",
                ],
                rows,
            },
            empty: "There is nothing to invoice for this period.",
        }],
    };
    render(&page, StatusCode::OK)
}

/// The issue form, or why there is none.
struct IssueForm {
    open: bool,
    action: String,
    csrf_token: String,
    closed_because: String,
}

#[derive(Template)]
#[template(path = "invoice.html")]
struct InvoicePage {
    layout: Layout,
    errors: Vec<FieldError>,
    provider: String,
    period_name: String,
    summary: Vec<(&'static str, String)>,
    issue: Option<IssueForm>,
    reconciliation_href: String,
    lines: Table,
    pagination: Pagination,
}

/// The invoice page's query.
#[derive(serde::Deserialize)]
pub struct InvoiceQuery {
    page: Option<String>,
}

/// The provider and period a path names, if the caller may see them; otherwise the page to
/// answer with (not found, or the period refused).
async fn find(
    state: &AppState,
    signed: &Signed,
    provider: &str,
    period: &str,
) -> Result<(ProviderId, InvoicePeriod), Response> {
    let scope = visibility::invoice_scope(&signed.account);
    let provider = match (ProviderId::parse(provider, "provider_id"), scope) {
        (Ok(provider), Some(scope)) if scope.allows(&provider) => provider,
        _ => return Err(super::error::not_found(state, Some(signed)).await),
    };
    match InvoicePeriod::parse(period, "period") {
        Ok(period) => Ok((provider, period)),
        Err(error) => Err(PeriodPage::refused(
            state,
            signed,
            "/invoices",
            "Invoices",
            period,
            error,
            Vec::new(),
        )
        .await),
    }
}

/// One invoice with its lines, and the issue button for its provider.
pub async fn page(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Path((provider, period)): Path<(String, String)>,
    Query(query): Query<InvoiceQuery>,
) -> Response {
    let (provider, period) = match find(&state, &signed, &provider, &period).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    show(
        &state,
        &signed,
        &provider,
        period,
        page_number(query.page.as_deref()),
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

async fn show(
    state: &AppState,
    signed: &Signed,
    provider: &ProviderId,
    period: InvoicePeriod,
    page: u64,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Response {
    let now = state.clock.now();
    let store = state.store.as_ref();
    let (invoice, names, people) = match (
        invoicing::invoice(store, provider, period, now).await,
        provider_names(store).await,
        visibility::people(store, &signed.account, state.clock.today()).await,
    ) {
        (Ok(Some(invoice)), Ok(names), Ok(people)) => (invoice, names, people),
        (Ok(None), ..) => return super::error::not_found(state, Some(signed)).await,
        (Err(error), ..) | (_, Err(error), _) | (.., Err(error)) => {
            return super::error::store_failure(error);
        }
    };
    let person_names: HashMap<_, _> = people
        .into_iter()
        .map(|person| (person.id, person.name))
        .collect();
    let figures = invoice.reconciliation();
    let mut summary = vec![
        ("Period", period.to_string()),
        (
            "Status",
            match &invoice.status {
                InvoiceStatus::Draft => {
                    "Draft: it follows the visits' check-ins and check-outs until it is issued"
                        .to_owned()
                }
                InvoiceStatus::Issued {
                    id,
                    issued_at,
                    issued_by,
                } => format!(
                    "Issued as {id} at {} by {issued_by}",
                    issued_at.strftime("%Y-%m-%d %H:%M UTC")
                ),
            },
        ),
        ("Total", invoice.invoice.total().to_string()),
        ("Lines", invoice.invoice.lines.len().to_string()),
        ("Planned", minutes_text(figures.planned_minutes as i64)),
        (
            "Delivered (verified)",
            minutes_text(figures.delivered_minutes as i64),
        ),
        ("Charged", minutes_text(figures.invoiced_minutes as i64)),
    ];
    if figures.exceptions > 0 {
        summary.push((
            "Exceptions",
            format!("{} visits no contract covers", figures.exceptions),
        ));
    }
    let own = signed.account.scope == homeward_domain::Scope::Provider(provider.clone());
    let issue = own.then(|| {
        let ended = period.has_ended_by(invoicing::today(now));
        let (open, closed_because) = match (&invoice.status, ended) {
            (InvoiceStatus::Issued { .. }, _) => {
                (false, "This invoice has been issued.".to_owned())
            }
            (InvoiceStatus::Draft, _) if invoice.invoice.lines.is_empty() => (
                false,
                "There is nothing to invoice for this period.".to_owned(),
            ),
            (InvoiceStatus::Draft, false) => (
                false,
                format!(
                    "The period runs to {}: you can issue this invoice from {}.",
                    period.ends_on(),
                    period.next().starts_on()
                ),
            ),
            (InvoiceStatus::Draft, true) => (true, String::new()),
        };
        IssueForm {
            open,
            action: format!("{}/issue", invoice_href(provider, &period)),
            csrf_token: signed.csrf_token.clone().unwrap_or_default(),
            closed_because,
        }
    });
    let total = invoice.invoice.lines.len() as u64;
    let href = invoice_href(provider, &period);
    let pagination = Pagination::new(page, LINES_A_PAGE, total, |number| {
        format!("{href}?page={number}")
    });
    if pagination.is_past_the_end() {
        return super::error::not_found(state, Some(signed)).await;
    }
    let rows = page_of(invoice.invoice.lines.clone(), page, LINES_A_PAGE)
        .into_iter()
        .map(|line| {
            vec![
                Cell::text(line.number),
                Cell::text(line.kind.label()),
                Cell::text(line.date),
                Cell::text(line.visit_id.map(|id| id.to_string()).unwrap_or_default()),
                // Named and linked where the caller may see the person; the id otherwise.
                match &line.person_id {
                    Some(person) => match person_names.get(person) {
                        Some(name) => Cell::link(name, format!("/people/{person}")),
                        None => Cell::text(person),
                    },
                    None => Cell::text(""),
                },
                Cell::text(line.planned_minutes),
                Cell::text(line.verified_minutes),
                Cell::text(line.charged_minutes),
                Cell::text(line.rate),
                Cell::text(line.amount),
                Cell::text(line.note),
            ]
        })
        .collect();
    let first_shown = if total == 0 {
        0
    } else {
        (page - 1) * LINES_A_PAGE + 1
    };
    let provider_name = names
        .get(provider)
        .cloned()
        .unwrap_or_else(|| provider.to_string());
    let page = InvoicePage {
        layout: Layout::new(state, Some(signed), "/invoices").await,
        errors,
        period_name: period.to_string(),
        summary,
        issue,
        reconciliation_href: format!(
            "/reconciliation?period={}&provider={provider}",
            period.starts_on()
        ),
        lines: Table {
            caption: format!(
                "Lines {first_shown} to {} of {total}",
                (page * LINES_A_PAGE).min(total)
            ),
            headings: vec![
                "Line",
                "What",
                "Date",
                "Visit",
                "Person",
                "Planned (min)",
                "Verified (min)",
                "Charged (min)",
                "Rate an hour",
                "Amount",
                "How it is charged",
            ],
            rows,
        },
        pagination,
        provider: provider_name,
    };
    render(&page, status)
}

/// Issues the provider's own invoice for a period that has ended.
pub async fn issue(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Path((provider, period)): Path<(String, String)>,
) -> Response {
    let (provider, period) = match find(&state, &signed, &provider, &period).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let outcome = invoicing::issue(
        state.store.as_ref(),
        &Ids::random(),
        &provider,
        period,
        state.clock.now(),
        &signed.actor(),
    )
    .await;
    match outcome {
        Ok(_) => Redirect::to(&invoice_href(&provider, &period)).into_response(),
        Err(InvoicingError::Invalid(error)) => {
            show(
                &state,
                &signed,
                &provider,
                period,
                1,
                vec![error],
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(InvoicingError::AlreadyIssued) => {
            let error = FieldError::new(
                "period",
                "This invoice has been issued already: it cannot be issued again",
            );
            show(
                &state,
                &signed,
                &provider,
                period,
                1,
                vec![error],
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(InvoicingError::UnknownProvider(_)) => {
            super::error::not_found(&state, Some(&signed)).await
        }
        Err(InvoicingError::Store(error)) => super::error::store_failure(error),
    }
}
