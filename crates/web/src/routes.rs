//! Every route of the application, once, with who may use it. The router is built from this
//! table and the authorisation-matrix test walks it, so a route cannot escape the test.

use crate::auth;
use crate::security_headers::{self, SecurityHeaders};
use crate::{AppState, WebConfig, api, body_deadline, body_limit, catch_panic, pages, request_log};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::middleware::{Next, from_fn, from_fn_with_state};
use axum::routing::{MethodRouter, delete, get, patch, post};
use homeward_domain::Role;
use std::sync::Arc;
use tower_http::services::ServeDir;

/// Whether a route serves pages (sessions, HTML) or the API (bearer tokens, JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// HTML pages for people in a browser.
    Page,
    /// The JSON API for machine clients.
    Api,
}

/// Who may use a route. Record-level scope (which provider's people) is checked by the handler
/// through [`homeward_app::visibility`], answering 404 for records out of scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in account.
    SignedIn,
    /// Signed-in accounts with one of these roles.
    Roles(&'static [Role]),
}

/// One route: method, path, channel, access rule and handler.
pub struct Route {
    /// HTTP method.
    pub method: &'static str,
    /// Path, with `{id}` for a record id.
    pub path: &'static str,
    /// Pages or API.
    pub channel: Channel,
    /// Who may use it.
    pub access: Access,
    handler: fn() -> MethodRouter<AppState>,
}

const COUNCIL: &[Role] = &[Role::Commissioner, Role::Broker];
const COMMISSIONER: &[Role] = &[Role::Commissioner];
const MARKET_READERS: &[Role] = &[Role::Commissioner, Role::Broker, Role::ProviderUser];
const PROVIDER_PAGE_READERS: &[Role] = &[Role::Commissioner, Role::Broker, Role::ProviderUser];
const PERSON_READERS: &[Role] = &[
    Role::Commissioner,
    Role::Broker,
    Role::ProviderUser,
    Role::Person,
];
const WORKER_LIST_READERS: &[Role] = &[Role::ProviderUser];
const WORKER_READERS: &[Role] = &[Role::ProviderUser, Role::CareWorker];
const BROKER: &[Role] = &[Role::Broker];
/// Who makes API tokens: the council's staff and providers' users, whose systems use the API.
/// A care worker's phone page needs none, and a person has no system of their own.
const TOKEN_MAKERS: &[Role] = &[Role::Commissioner, Role::Broker, Role::ProviderUser];
const PROVIDER: &[Role] = &[Role::ProviderUser];
/// The phone page: care workers only.
const CARE_WORKER: &[Role] = &[Role::CareWorker];
/// Rosters: a provider's coordinators plan their branches' runs.
const COORDINATORS: &[Role] = &[Role::ProviderUser];
/// Check-ins and check-outs: care workers for themselves, providers' systems for their staff.
const CALL_EVENT_SENDERS: &[Role] = &[Role::ProviderUser, Role::CareWorker];
/// Payments (issue 6): invoices and reconciliation, the council's and each provider's own.
const INVOICE_READERS: &[Role] = &[Role::Commissioner, Role::Broker, Role::ProviderUser];
/// Fair work figures (issue 6): the council's of every provider, each provider its own.
const FAIR_WORK_READERS: &[Role] = &[Role::Commissioner, Role::Broker, Role::ProviderUser];

macro_rules! route {
    ($method:literal, $path:literal, $channel:ident, $access:expr, $handler:expr) => {
        Route {
            method: $method,
            path: $path,
            channel: Channel::$channel,
            access: $access,
            handler: || $handler,
        }
    };
}

/// The whole application.
pub static ROUTES: &[Route] = &[
    route!(
        "GET",
        "/health",
        Page,
        Access::Public,
        get(|| async { "ok" })
    ),
    route!("GET", "/", Page, Access::SignedIn, get(pages::home::page)),
    route!(
        "GET",
        "/sign-in",
        Page,
        Access::Public,
        get(pages::sign_in::form)
    ),
    route!(
        "POST",
        "/sign-in",
        Page,
        Access::Public,
        post(pages::sign_in::submit)
    ),
    route!(
        "POST",
        "/sign-out",
        Page,
        Access::SignedIn,
        post(pages::sign_in::sign_out)
    ),
    route!(
        "GET",
        "/market",
        Page,
        Access::Roles(MARKET_READERS),
        get(pages::market::overview)
    ),
    route!(
        "GET",
        "/areas/{id}",
        Page,
        Access::Roles(MARKET_READERS),
        get(pages::areas::page)
    ),
    route!(
        "GET",
        "/areas/{id}/edit",
        Page,
        Access::Roles(COMMISSIONER),
        get(pages::areas::edit_form)
    ),
    route!(
        "POST",
        "/areas/{id}/edit",
        Page,
        Access::Roles(COMMISSIONER),
        post(pages::areas::edit_submit)
    ),
    route!(
        "GET",
        "/providers",
        Page,
        Access::Roles(COUNCIL),
        get(pages::providers::list)
    ),
    route!(
        "GET",
        "/providers/{id}",
        Page,
        Access::Roles(PROVIDER_PAGE_READERS),
        get(pages::providers::page)
    ),
    route!(
        "GET",
        "/people",
        Page,
        Access::Roles(MARKET_READERS),
        get(pages::people::list)
    ),
    route!(
        "GET",
        "/people/{id}",
        Page,
        Access::Roles(PERSON_READERS),
        get(pages::people::page)
    ),
    route!(
        "GET",
        "/workers",
        Page,
        Access::Roles(WORKER_LIST_READERS),
        get(pages::workers::list)
    ),
    route!(
        "GET",
        "/workers/{id}",
        Page,
        Access::Roles(WORKER_READERS),
        get(pages::workers::page)
    ),
    route!(
        "GET",
        "/referrals",
        Page,
        Access::Roles(COUNCIL),
        get(pages::referrals::list)
    ),
    route!(
        "GET",
        "/referrals/new",
        Page,
        Access::Roles(BROKER),
        get(pages::referrals::new_form)
    ),
    route!(
        "POST",
        "/referrals/new",
        Page,
        Access::Roles(BROKER),
        post(pages::referrals::new_submit)
    ),
    route!(
        "GET",
        "/referrals/{id}",
        Page,
        Access::Roles(COUNCIL),
        get(pages::referrals::page)
    ),
    route!(
        "POST",
        "/referrals/{id}/advance",
        Page,
        Access::Roles(BROKER),
        post(pages::referrals::advance)
    ),
    route!(
        "POST",
        "/referrals/{id}/reablement",
        Page,
        Access::Roles(BROKER),
        post(pages::referrals::end_reablement)
    ),
    route!(
        "GET",
        "/pickups",
        Page,
        Access::Roles(COUNCIL),
        get(pages::pickups::page)
    ),
    route!(
        "GET",
        "/offers",
        Page,
        Access::Roles(PROVIDER),
        get(pages::offers::inbox)
    ),
    route!(
        "GET",
        "/offers/{id}",
        Page,
        Access::Roles(PROVIDER),
        get(pages::offers::page)
    ),
    route!(
        "POST",
        "/offers/{id}",
        Page,
        Access::Roles(PROVIDER),
        post(pages::offers::answer)
    ),
    route!(
        "GET",
        "/capacity",
        Page,
        Access::Roles(PROVIDER),
        get(pages::capacity::form)
    ),
    route!(
        "POST",
        "/capacity",
        Page,
        Access::Roles(PROVIDER),
        post(pages::capacity::submit)
    ),
    route!(
        "GET",
        "/audit",
        Page,
        Access::Roles(COMMISSIONER),
        get(pages::audit::list)
    ),
    route!(
        "GET",
        "/account/tokens",
        Page,
        Access::Roles(TOKEN_MAKERS),
        get(pages::tokens::list)
    ),
    route!(
        "POST",
        "/account/tokens",
        Page,
        Access::Roles(TOKEN_MAKERS),
        post(pages::tokens::create)
    ),
    route!(
        "POST",
        "/account/tokens/{id}/revoke",
        Page,
        Access::Roles(TOKEN_MAKERS),
        post(pages::tokens::revoke)
    ),
    route!(
        "GET",
        "/account/password",
        Page,
        Access::SignedIn,
        get(pages::password::form)
    ),
    route!(
        "POST",
        "/account/password",
        Page,
        Access::SignedIn,
        post(pages::password::submit)
    ),
    route!(
        "GET",
        "/account/sessions",
        Page,
        Access::SignedIn,
        get(pages::sessions::list)
    ),
    route!(
        "POST",
        "/account/sessions/end-others",
        Page,
        Access::SignedIn,
        post(pages::sessions::end_others)
    ),
    route!(
        "GET",
        "/api/v1/openapi.json",
        Api,
        Access::Public,
        get(api::openapi::document)
    ),
    route!("GET", "/api/v1/me", Api, Access::SignedIn, get(api::me::me)),
    route!(
        "GET",
        "/api/v1/areas",
        Api,
        Access::Roles(MARKET_READERS),
        get(api::areas::list)
    ),
    route!(
        "GET",
        "/api/v1/areas/{id}",
        Api,
        Access::Roles(MARKET_READERS),
        get(api::areas::one)
    ),
    route!(
        "PATCH",
        "/api/v1/areas/{id}",
        Api,
        Access::Roles(COMMISSIONER),
        patch(api::areas::update)
    ),
    route!(
        "GET",
        "/api/v1/providers",
        Api,
        Access::Roles(COUNCIL),
        get(api::providers::list)
    ),
    route!(
        "GET",
        "/api/v1/providers/{id}",
        Api,
        Access::Roles(PROVIDER_PAGE_READERS),
        get(api::providers::one)
    ),
    route!(
        "GET",
        "/api/v1/people",
        Api,
        Access::Roles(MARKET_READERS),
        get(api::people::list)
    ),
    route!(
        "GET",
        "/api/v1/people/{id}",
        Api,
        Access::Roles(PERSON_READERS),
        get(api::people::one)
    ),
    route!(
        "GET",
        "/api/v1/workers",
        Api,
        Access::Roles(WORKER_LIST_READERS),
        get(api::workers::list)
    ),
    route!(
        "GET",
        "/api/v1/workers/{id}",
        Api,
        Access::Roles(WORKER_READERS),
        get(api::workers::one)
    ),
    route!(
        "GET",
        "/api/v1/audit",
        Api,
        Access::Roles(COMMISSIONER),
        get(api::audit::list)
    ),
    route!(
        "GET",
        "/api/v1/referrals",
        Api,
        Access::Roles(COUNCIL),
        get(api::brokerage::list_referrals)
    ),
    route!(
        "POST",
        "/api/v1/referrals",
        Api,
        Access::Roles(BROKER),
        post(api::brokerage::create_referral)
    ),
    route!(
        "GET",
        "/api/v1/referrals/{id}",
        Api,
        Access::Roles(COUNCIL),
        get(api::brokerage::get_referral)
    ),
    route!(
        "GET",
        "/api/v1/offers",
        Api,
        Access::Roles(PROVIDER),
        get(api::brokerage::list_offers)
    ),
    route!(
        "POST",
        "/api/v1/offers/{id}/answer",
        Api,
        Access::Roles(PROVIDER),
        post(api::brokerage::answer_offer)
    ),
    route!(
        "GET",
        "/api/v1/pickups",
        Api,
        Access::Roles(COUNCIL),
        get(api::brokerage::list_pickups)
    ),
    route!(
        "GET",
        "/api/v1/capacity",
        Api,
        Access::Roles(PROVIDER),
        get(api::brokerage::list_capacity)
    ),
    route!(
        "POST",
        "/api/v1/capacity",
        Api,
        Access::Roles(PROVIDER),
        post(api::brokerage::put_capacity)
    ),
    route!(
        "POST",
        "/api/v1/call-events",
        Api,
        Access::Roles(CALL_EVENT_SENDERS),
        post(api::call_events::create)
    ),
    route!(
        "GET",
        "/api/v1/tokens",
        Api,
        Access::SignedIn,
        get(api::tokens::list)
    ),
    route!(
        "POST",
        "/api/v1/tokens",
        Api,
        Access::SignedIn,
        post(api::tokens::create)
    ),
    route!(
        "DELETE",
        "/api/v1/tokens/{id}",
        Api,
        Access::SignedIn,
        delete(api::tokens::revoke)
    ),
    // Payments (issue 6).
    route!(
        "GET",
        "/invoices",
        Page,
        Access::Roles(INVOICE_READERS),
        get(pages::invoices::list)
    ),
    route!(
        "GET",
        "/invoices/{provider_id}/{period}",
        Page,
        Access::Roles(INVOICE_READERS),
        get(pages::invoices::page)
    ),
    route!(
        "POST",
        "/invoices/{provider_id}/{period}/issue",
        Page,
        Access::Roles(PROVIDER),
        post(pages::invoices::issue)
    ),
    route!(
        "GET",
        "/reconciliation",
        Page,
        Access::Roles(INVOICE_READERS),
        get(pages::reconciliation::page)
    ),
    route!(
        "GET",
        "/reconciliation/lines.csv",
        Page,
        Access::Roles(INVOICE_READERS),
        get(pages::reconciliation::lines_csv)
    ),
    route!(
        "GET",
        "/api/v1/invoices",
        Api,
        Access::Roles(INVOICE_READERS),
        get(api::invoices::list)
    ),
    route!(
        "GET",
        "/api/v1/invoices/{provider_id}/{period}",
        Api,
        Access::Roles(INVOICE_READERS),
        get(api::invoices::one)
    ),
    route!(
        "POST",
        "/api/v1/invoices/{provider_id}/{period}/issue",
        Api,
        Access::Roles(PROVIDER),
        post(api::invoices::issue)
    ),
    route!(
        "GET",
        "/api/v1/reconciliation",
        Api,
        Access::Roles(INVOICE_READERS),
        get(api::invoices::reconciliation)
    ),
    // Call monitoring (issue 6).
    route!(
        "GET",
        "/monitoring",
        Page,
        Access::Roles(MARKET_READERS),
        get(pages::monitoring::day)
    ),
    route!(
        "GET",
        "/visits/{id}",
        Page,
        Access::Roles(MARKET_READERS),
        get(pages::monitoring::visit)
    ),
    route!(
        "POST",
        "/visits/{id}/corrections",
        Page,
        Access::Roles(COORDINATORS),
        post(pages::monitoring::correct)
    ),
    route!(
        "GET",
        "/api/v1/monitoring",
        Api,
        Access::Roles(MARKET_READERS),
        get(api::monitoring::list)
    ),
    route!(
        "POST",
        "/api/v1/visits/{id}/corrections",
        Api,
        Access::Roles(COORDINATORS),
        post(api::monitoring::correct)
    ),
    // The care worker's phone page (issue 6).
    route!(
        "GET",
        "/today",
        Page,
        Access::Roles(CARE_WORKER),
        get(pages::today::page)
    ),
    route!(
        "POST",
        "/today/events",
        Page,
        Access::Roles(CARE_WORKER),
        post(pages::today::record)
    ),
    route!(
        "GET",
        "/phone-sw.js",
        Page,
        Access::Public,
        get(pages::today::service_worker)
    ),
    // Rostering (issue 6).
    route!(
        "GET",
        "/workers/{id}/runs.ics",
        Page,
        Access::Roles(WORKER_READERS),
        get(pages::workers::calendar)
    ),
    route!(
        "GET",
        "/rosters",
        Page,
        Access::Roles(COORDINATORS),
        get(pages::rosters::list)
    ),
    route!(
        "POST",
        "/rosters/plan",
        Page,
        Access::Roles(COORDINATORS),
        post(pages::rosters::plan)
    ),
    route!(
        "GET",
        "/rosters/{id}",
        Page,
        Access::Roles(COORDINATORS),
        get(pages::rosters::page)
    ),
    route!(
        "POST",
        "/rosters/{id}/publish",
        Page,
        Access::Roles(COORDINATORS),
        post(pages::rosters::publish)
    ),
    route!(
        "GET",
        "/rosters/{id}/move",
        Page,
        Access::Roles(COORDINATORS),
        get(pages::rosters::move_form)
    ),
    route!(
        "POST",
        "/rosters/{id}/move",
        Page,
        Access::Roles(COORDINATORS),
        post(pages::rosters::move_submit)
    ),
    // Rostering API (issue 6).
    route!(
        "GET",
        "/api/v1/rosters",
        Api,
        Access::Roles(COORDINATORS),
        get(api::rosters::list)
    ),
    route!(
        "POST",
        "/api/v1/rosters",
        Api,
        Access::Roles(COORDINATORS),
        post(api::rosters::plan)
    ),
    route!(
        "GET",
        "/api/v1/rosters/{id}",
        Api,
        Access::Roles(COORDINATORS),
        get(api::rosters::one)
    ),
    route!(
        "POST",
        "/api/v1/rosters/{id}/move",
        Api,
        Access::Roles(COORDINATORS),
        post(api::rosters::move_visit)
    ),
    route!(
        "POST",
        "/api/v1/rosters/{id}/publish",
        Api,
        Access::Roles(COORDINATORS),
        post(api::rosters::publish)
    ),
    route!(
        "GET",
        "/api/v1/workers/{id}/runs.ics",
        Api,
        Access::Roles(WORKER_READERS),
        get(api::rosters::calendar)
    ),
    // Fair work figures (issue 6).
    route!(
        "GET",
        "/fair-work",
        Page,
        Access::Roles(COUNCIL),
        get(pages::fair_work::every_provider)
    ),
    route!(
        "GET",
        "/providers/{id}/fair-work",
        Page,
        Access::Roles(FAIR_WORK_READERS),
        get(pages::fair_work::one_provider)
    ),
    route!(
        "GET",
        "/api/v1/fair-work",
        Api,
        Access::Roles(FAIR_WORK_READERS),
        get(api::fair_work::list)
    ),
];

/// The router: every route behind its guard, the compiled assets, and a not-found page, inside
/// what every request goes through ([`around`]).
pub fn build(state: AppState) -> Router {
    let mut router = Router::new();
    for route in ROUTES {
        let guard = from_fn_with_state(
            state.clone(),
            move |state: State<AppState>, request: Request, next: Next| {
                auth::guard(state, route, request, next)
            },
        );
        router = router.route(route.path, (route.handler)().route_layer(guard));
    }
    let router = router
        .nest_service("/assets", ServeDir::new(&state.config.assets_dir))
        .fallback(pages::error::not_found_handler)
        .method_not_allowed_fallback(pages::error::method_not_allowed_handler);
    around(router, &state.config).with_state(state)
}

/// What every request goes through, from the outside in: its span and line in the log
/// ([`request_log`]), which sees the answer as the client gets it; the security headers on every response;
/// a panic answered as our own failure, so that even that answer has the headers; the body's
/// deadline; and its size limit, answered in the caller's channel.
fn around<S: Clone + Send + Sync + 'static>(router: Router<S>, config: &WebConfig) -> Router<S> {
    router
        // axum's extractors keep their own limit, the same, which the middleware reaches first.
        .layer(DefaultBodyLimit::max(body_limit::MAX_BODY_BYTES))
        .layer(from_fn(body_limit::enforce))
        .layer(from_fn_with_state(
            config.body_read_timeout,
            body_deadline::enforce,
        ))
        .layer(from_fn(catch_panic::answer_panics))
        .layer(from_fn_with_state(
            Arc::new(SecurityHeaders::new(config.secure_cookies)),
            security_headers::add,
        ))
        .layer(from_fn_with_state(
            config.trusted_proxy,
            request_log::record,
        ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::StatusCode;
    use axum::http::header::{CONTENT_SECURITY_POLICY, CONTENT_TYPE};
    use tower::ServiceExt;

    async fn boom() -> &'static str {
        panic!("a bug")
    }

    /// A router around a panicking handler, as `build` lays it out.
    fn panicking() -> Router {
        around(
            Router::new()
                .route("/api/v1/boom", get(boom))
                .route("/boom", get(boom)),
            &WebConfig::default(),
        )
    }

    #[tokio::test]
    async fn a_panicking_handler_is_answered_500_with_the_security_headers() {
        for (path, kind) in [("/api/v1/boom", "application/json"), ("/boom", "text/html")] {
            let response = panicking()
                .oneshot(Request::get(path).body(Body::empty()).unwrap())
                .await
                .unwrap();
            assert_eq!(
                response.status(),
                StatusCode::INTERNAL_SERVER_ERROR,
                "{path}"
            );
            let headers = response.headers();
            assert!(
                headers[CONTENT_TYPE].to_str().unwrap().starts_with(kind),
                "{path}: {:?}",
                headers[CONTENT_TYPE]
            );
            assert_eq!(
                headers[CONTENT_SECURITY_POLICY],
                security_headers::CONTENT_SECURITY_POLICY_VALUE,
                "{path}"
            );
            assert_eq!(headers["x-frame-options"], "DENY", "{path}");
            assert_eq!(headers["cache-control"], "no-store", "{path}");
            let body = axum::body::to_bytes(response.into_body(), 100_000)
                .await
                .unwrap();
            let body = String::from_utf8(body.to_vec()).unwrap();
            let expected = if kind == "application/json" {
                "\"code\":\"internal\""
            } else {
                "Sorry, there is a problem with the service"
            };
            assert!(body.contains(expected), "{path}: {body}");
            assert!(!body.contains("a bug"), "{path}: {body}");
        }
    }
}
