//! Reconciliation: each provider's period as planned, as delivered and as invoiced, with block
//! utilisation, and the period's invoice lines as CSV for the finance system.

use super::invoices::{
    PeriodPage, PeriodPicker, Section, invoice_href, minutes_text, period_from, status_text,
};
use super::views::{Cell, Table};
use super::{Layout, render};
use crate::AppState;
use crate::auth::Signed;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use homeward_app::ProviderInvoice;
use homeward_app::invoicing::{self, provider_names};
use homeward_app::visibility::{self, InvoiceScope};
use homeward_domain::invoice::reconcile::Reconciliation;
use homeward_domain::{InvoicePeriod, Pence, ProviderId};
use homeward_interchange::Format;
use std::collections::HashMap;

/// The query of the page and its download.
#[derive(serde::Deserialize)]
pub struct ReconciliationQuery {
    period: Option<String>,
    provider: Option<String>,
}

/// What a query asks for, in the caller's scope: the period and whose invoices.
enum Asked {
    /// This period, these providers' (all in scope when `None`).
    Period(InvoicePeriod, Option<ProviderId>),
    /// The answer already: not found, or the period refused.
    Answered(Response),
}

async fn asked(state: &AppState, signed: &Signed, query: &ReconciliationQuery) -> Asked {
    let Some(scope) = visibility::invoice_scope(&signed.account) else {
        return Asked::Answered(super::error::not_found(state, Some(signed)).await);
    };
    let wanted = match query
        .provider
        .as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty())
    {
        None => scope.provider().cloned(),
        Some(text) => match ProviderId::parse(text, "provider") {
            Ok(provider) if scope.allows(&provider) => Some(provider),
            _ => return Asked::Answered(super::error::not_found(state, Some(signed)).await),
        },
    };
    match period_from(query.period.as_deref(), state.clock.now()) {
        Ok(period) => Asked::Period(period, wanted),
        Err(error) => {
            let hidden = kept(&scope, wanted.as_ref());
            let typed = query.period.as_deref().unwrap_or_default();
            Asked::Answered(
                PeriodPage::refused(
                    state,
                    signed,
                    "/reconciliation",
                    "Reconciliation",
                    typed,
                    error,
                    hidden,
                )
                .await,
            )
        }
    }
}

/// The provider a council user narrowed the page to, kept across a change of period.
fn kept(scope: &InvoiceScope, wanted: Option<&ProviderId>) -> Vec<(&'static str, String)> {
    match (scope, wanted) {
        (InvoiceScope::Every, Some(provider)) => vec![("provider", provider.to_string())],
        _ => Vec::new(),
    }
}

/// The figures of each invoice, and every provider's together.
fn rows(
    invoices: &[ProviderInvoice],
    names: &HashMap<ProviderId, String>,
    period: &InvoicePeriod,
) -> Vec<Vec<Cell>> {
    let row = |name: Cell, status: String, figures: &Reconciliation| {
        vec![
            name,
            Cell::text(status),
            Cell::text(minutes_text(figures.planned_minutes as i64)),
            Cell::text(minutes_text(figures.delivered_minutes as i64)),
            Cell::text(minutes_text(figures.delivered_less_planned())),
            Cell::text(minutes_text(figures.invoiced_minutes as i64)),
            Cell::text(minutes_text(figures.invoiced_less_delivered())),
            Cell::text(figures.invoiced_amount),
            Cell::text(figures.unverified),
            Cell::text(figures.not_delivered),
            Cell::text(figures.exceptions),
        ]
    };
    let mut all = Reconciliation::default();
    let mut rows: Vec<Vec<Cell>> = invoices
        .iter()
        .map(|invoice| {
            let figures = invoice.reconciliation();
            add(&mut all, &figures);
            let provider = &invoice.invoice.provider_id;
            let name = names
                .get(provider)
                .cloned()
                .unwrap_or_else(|| provider.to_string());
            row(
                Cell::link(name, invoice_href(provider, period)),
                status_text(invoice),
                &figures,
            )
        })
        .collect();
    if invoices.len() > 1 {
        rows.push(row(Cell::text("All providers"), String::new(), &all));
    }
    rows
}

/// Adds `figures` into `all`.
fn add(all: &mut Reconciliation, figures: &Reconciliation) {
    all.planned_minutes += figures.planned_minutes;
    all.delivered_minutes += figures.delivered_minutes;
    all.invoiced_minutes += figures.invoiced_minutes;
    all.invoiced_amount = Pence(all.invoiced_amount.0 + figures.invoiced_amount.0);
    all.unverified += figures.unverified;
    all.not_delivered += figures.not_delivered;
    all.exceptions += figures.exceptions;
}

/// Each guarantee's use.
fn guarantee_rows(
    invoices: &[ProviderInvoice],
    names: &HashMap<ProviderId, String>,
) -> Vec<Vec<Cell>> {
    invoices
        .iter()
        .flat_map(|invoice| {
            let provider = &invoice.invoice.provider_id;
            let name = names
                .get(provider)
                .cloned()
                .unwrap_or_else(|| provider.to_string());
            invoice
                .reconciliation()
                .guarantees
                .into_iter()
                .map(move |guarantee| {
                    vec![
                        Cell::text(&name),
                        Cell::text(&guarantee.contract_id),
                        Cell::text(minutes_text(guarantee.guaranteed_minutes as i64)),
                        Cell::text(minutes_text(guarantee.counted_minutes as i64)),
                        Cell::text(guarantee.utilisation_bp.map_or_else(
                            || "No whole week guaranteed".to_owned(),
                            |bp| format!("{}.{:02}%", bp / 100, bp % 100),
                        )),
                    ]
                })
        })
        .collect()
}

/// Planned, delivered and invoiced for a period, provider by provider.
pub async fn page(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Query(query): Query<ReconciliationQuery>,
) -> Response {
    let (period, wanted) = match asked(&state, &signed, &query).await {
        Asked::Period(period, wanted) => (period, wanted),
        Asked::Answered(response) => return response,
    };
    let store = state.store.as_ref();
    let (invoices, names) = match (
        invoicing::invoices(store, period, wanted.as_ref(), state.clock.now()).await,
        provider_names(store).await,
    ) {
        (Ok(invoices), Ok(names)) => (invoices, names),
        (Err(error), _) | (_, Err(error)) => return super::error::store_failure(error),
    };
    let mut invoices = invoices;
    invoices.sort_by_key(|invoice| {
        let provider = &invoice.invoice.provider_id;
        (
            names.get(provider).cloned().unwrap_or_default(),
            provider.clone(),
        )
    });
    let scope = visibility::invoice_scope(&signed.account).unwrap_or(InvoiceScope::Every);
    let hidden = kept(&scope, wanted.as_ref());
    let download = {
        let mut href = format!("/reconciliation/lines.csv?period={}", period.starts_on());
        if let Some(provider) = &wanted {
            href.push_str(&format!("&provider={provider}"));
        }
        href
    };
    let page = PeriodPage {
        layout: Layout::new(&state, Some(&signed), "/reconciliation").await,
        errors: Vec::new(),
        caption: period.to_string(),
        heading: "Reconciliation",
        intro: vec![
            "Planned is the carer time of the period's planned visits; delivered, the time verified by check-in and check-out; charged, what the invoices charge (guarantees, rounding and minimum charges included). Visits of people who pay for their own care are left out.".to_owned(),
        ],
        picker: PeriodPicker::new("/reconciliation", period, hidden, None),
        links: vec![(download, "Download the invoice lines (CSV)".to_owned())],
        sections: vec![
            Section {
                table: Table {
                    caption: format!("Planned, delivered and invoiced, {period}"),
                    headings: vec![
                        "Provider",
                        "Status",
                        "Planned",
                        "Delivered",
                        "Delivered less planned",
                        "Charged",
                        "Charged less delivered",
                        "Amount",
                        "Unverified",
                        "Not delivered",
                        "Exceptions",
                    ],
                    rows: rows(&invoices, &names, &period),
                },
                empty: "There is nothing to invoice for this period.",
            },
            Section {
                table: Table {
                    caption: "Block and group fund guarantees".into(),
                    headings: vec!["Provider", "Contract", "Guaranteed", "Used", "Utilisation"],
                    rows: guarantee_rows(&invoices, &names),
                },
                empty: "No block or group fund guarantee falls in this period.",
            },
        ],
    };
    render(&page, StatusCode::OK)
}

/// The period's invoice lines as CSV, one row per line, issued lines where issued.
pub async fn lines_csv(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Query(query): Query<ReconciliationQuery>,
) -> Response {
    let (period, wanted) = match asked(&state, &signed, &query).await {
        Asked::Period(period, wanted) => (period, wanted),
        Asked::Answered(response) => return response,
    };
    let mut csv = Vec::new();
    let written = homeward_app::finance_export::write_invoice_lines_of(
        state.store.as_ref(),
        period,
        wanted.as_ref(),
        Format::Csv,
        &mut csv,
        state.clock.now(),
    )
    .await;
    if let Err(error) = written {
        tracing::error!(error = ?error.to_string(), "writing invoice lines failed");
        return super::error::internal();
    }
    (
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"invoice-lines-{}.csv\"",
                    period.starts_on()
                ),
            ),
        ],
        csv,
    )
        .into_response()
}
