//! Server-rendered pages: GOV.UK Frontend markup from askama templates in `templates/`.

pub mod areas;
pub mod audit;
pub mod capacity;
mod current_password;
pub mod error;
pub mod home;
pub mod market;
pub mod monitoring;
pub mod offers;
pub mod password;
pub mod people;
pub mod pickups;
pub mod providers;
pub mod referrals;
pub mod rosters;
pub mod sessions;
pub mod sign_in;
pub mod today;
pub mod tokens;
pub mod views;
pub mod workers;
// Payments.
pub mod invoices;
pub mod reconciliation;
// Fair work figures.
pub mod fair_work;

use crate::AppState;
use crate::auth::Signed;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use homeward_domain::{Account, Role, Scope};

pub use crate::paging::{PER_PAGE, Pagination, page_number, page_of};

/// What the layout needs on every page.
pub struct Layout {
    /// The council's name, shown in the header.
    pub council: String,
    /// The signed-in account, if any.
    pub account: Option<AccountLine>,
    /// Links in the service navigation for the account's role.
    pub navigation: Vec<NavigationItem>,
    /// The session's anti-forgery token, for the sign-out form.
    pub csrf_token: String,
}

/// The signed-in account as the header shows it.
pub struct AccountLine {
    /// Name.
    pub name: String,
    /// Role label.
    pub role: &'static str,
}

/// A link in the service navigation.
pub struct NavigationItem {
    /// Where it goes.
    pub href: String,
    /// Its text.
    pub label: &'static str,
    /// Whether it is the current section.
    pub active: bool,
}

impl Layout {
    /// The layout for `signed` (or nobody) in section `section` (a path prefix such as `/people`).
    pub async fn new(state: &AppState, signed: Option<&Signed>, section: &str) -> Layout {
        let council = match crate::figures::snapshot(state).await {
            Ok(snapshot) => snapshot.council_name().to_owned(),
            Err(_) => "Homeward".to_owned(),
        };
        let links = signed.map_or_else(Vec::new, |signed| navigation_for(&signed.account));
        // The current section is the link the page's path falls under most closely.
        let current = links
            .iter()
            .filter(|(href, _)| section == href || section.starts_with(&format!("{href}/")))
            .max_by_key(|(href, _)| href.len())
            .map(|(href, _)| href.clone());
        let navigation = links
            .into_iter()
            .map(|(href, label)| NavigationItem {
                active: current.as_ref() == Some(&href),
                href,
                label,
            })
            .collect();
        Layout {
            council,
            account: signed.map(|signed| AccountLine {
                name: signed.account.name.clone(),
                role: signed.account.role.label(),
            }),
            navigation,
            csrf_token: signed
                .and_then(|signed| signed.csrf_token.clone())
                .unwrap_or_default(),
        }
    }
}

/// The sections an account can reach, with its own record first where it has one.
fn navigation_for(account: &Account) -> Vec<(String, &'static str)> {
    let mut links: Vec<(String, &'static str)> = Vec::new();
    match &account.scope {
        Scope::Provider(id) => links.push((format!("/providers/{id}"), "Your organisation")),
        Scope::Worker(id) => {
            links.push(("/today".to_owned(), "Today"));
            links.push((format!("/workers/{id}"), "Your record"));
        }
        Scope::Person(id) => links.push((format!("/people/{id}"), "Your care")),
        Scope::Council => {}
    }
    let role = account.role;
    if matches!(role, Role::Commissioner | Role::Broker | Role::ProviderUser) {
        links.extend([
            ("/market".to_owned(), "Market overview"),
            ("/people".to_owned(), "People"),
        ]);
    }
    if matches!(role, Role::Commissioner | Role::Broker) {
        links.push(("/providers".to_owned(), "Providers"));
        links.push(("/referrals".to_owned(), "Referrals"));
    }
    if role == Role::Broker {
        links.push(("/referrals/new".to_owned(), "New referral"));
    }
    if matches!(role, Role::Commissioner | Role::Broker) {
        links.push(("/pickups".to_owned(), "Pick-up times"));
    }
    if role == Role::ProviderUser {
        links.push(("/workers".to_owned(), "Care workers"));
        links.push(("/offers".to_owned(), "Offers"));
        links.push(("/capacity".to_owned(), "Capacity"));
    }
    if role == Role::Commissioner {
        links.push(("/audit".to_owned(), "Audit log"));
    }
    // Call monitoring.
    if matches!(role, Role::Commissioner | Role::Broker | Role::ProviderUser) {
        links.push(("/monitoring".to_owned(), "Call monitoring"));
    }
    // Rostering.
    if role == Role::ProviderUser {
        links.push(("/rosters".to_owned(), "Rosters"));
    }
    // Payments.
    if matches!(role, Role::Commissioner | Role::Broker | Role::ProviderUser) {
        links.push(("/invoices".to_owned(), "Invoices"));
        links.push(("/reconciliation".to_owned(), "Reconciliation"));
    }
    // Fair work figures: the council's table of every provider, a provider's own.
    match &account.scope {
        Scope::Council => links.push(("/fair-work".to_owned(), "Fair work")),
        Scope::Provider(id) => links.push((format!("/providers/{id}/fair-work"), "Fair work")),
        Scope::Worker(_) | Scope::Person(_) => {}
    }
    // Tokens are for the systems of the council and providers (`routes::TOKEN_MAKERS`).
    if matches!(role, Role::Commissioner | Role::Broker | Role::ProviderUser) {
        links.push(("/account/tokens".to_owned(), "API tokens"));
    }
    links
}

/// The message for `field` among a form's `errors`, if it has one.
pub fn error_for<'a>(errors: &'a [homeward_domain::FieldError], field: &str) -> Option<&'a str> {
    errors
        .iter()
        .find(|error| error.field == field)
        .map(|error| error.message.as_str())
}

/// Renders a template as a page with `status`.
pub fn render(template: &impl Template, status: StatusCode) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(error) => {
            tracing::error!(error = ?error.to_string(), "rendering a page failed");
            error::internal()
        }
    }
}

/// Whether a page's script sent the request and wants JSON back (the phone's outbox does).
pub fn wants_json(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(axum::http::header::ACCEPT)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|accept| accept.contains("application/json"))
}

/// Percent-encodes text for a query string value.
pub fn encode_query(text: &str) -> String {
    let mut encoded = String::new();
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                encoded.push(char::from(byte))
            }
            _ => encoded.push_str(&format!("%{byte:02X}")),
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_encoded() {
        assert_eq!(encode_query("/people?page=2"), "/people%3Fpage%3D2");
    }
}
