//! The OpenAPI 3.1 document, generated from the handlers' annotations.

use super::{areas, audit, brokerage, call_events, error, me, people, providers, tokens, workers};
// Payments.
use super::invoices;
// Call monitoring.
use super::monitoring;
// Rostering API.
use super::rosters;
// Fair work figures.
use super::fair_work;
use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// The API's description.
#[derive(OpenApi)]
#[openapi(
    info(title = "Homeward API", description = "The market register of a council's commissioned home care: areas, providers, people, care workers, visits' check-ins and check-outs, tokens and the audit trail. Every record is limited to the caller's scope."),
    paths(
        me::me,
        areas::list, areas::one, areas::update,
        providers::list, providers::one,
        people::list, people::one,
        workers::list, workers::one,
        audit::list,
        tokens::list, tokens::create, tokens::revoke,
        brokerage::referrals::list_referrals, brokerage::referrals::get_referral, brokerage::referrals::create_referral,
        brokerage::offers::list_offers, brokerage::offers::answer_offer, brokerage::pickups::list_pickups,
        brokerage::capacity::list_capacity, brokerage::capacity::put_capacity,
        call_events::create,
        // Payments.
        invoices::list, invoices::one, invoices::issue, invoices::reconciliation,
        // Call monitoring.
        monitoring::list, monitoring::correct,
        // Rostering API.
        rosters::list, rosters::one, rosters::plan, rosters::move_visit, rosters::publish,
        rosters::calendar,
        // Fair work figures.
        fair_work::list,
    ),
    components(schemas(error::ErrorBody, error::ErrorDetail)),
    modifiers(&BearerScheme),
    tags(
        (name = "areas", description = "Areas and their figures"),
        (name = "providers", description = "Providers, branches, lots and contracts"),
        (name = "people", description = "People receiving care and their packages"),
        (name = "workers", description = "Care workers"),
        (name = "audit", description = "The audit trail"),
        (name = "tokens", description = "API tokens"),
        (name = "account", description = "The calling account"),
        (name = "brokerage", description = "Referrals, offers, pick-up times and capacity returns"),
        (name = "visits", description = "Check-ins and check-outs of visits (call monitoring)"),
        (name = "payments", description = "Providers' four-weekly invoices, draft or issued, and their reconciliation"),
        // Rostering API.
        (name = "rosters", description = "A provider's branch-days of care workers' runs: planned by the scheduling engine, moved by hand, published; runs as iCalendar"),
        // Fair work figures.
        (name = "fair-work", description = "Providers' fair work figures by calendar month: the Unison Ethical Care Charter's measurable points"),
    )
)]
pub struct ApiDoc;

struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Serves the document.
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
