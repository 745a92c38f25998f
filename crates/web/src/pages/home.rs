//! The start page: sends each role to where its work is.

use crate::auth::Signed;
use axum::Extension;
use axum::response::Redirect;
use homeward_domain::Scope;

/// Redirects to the account's home: the market for council and provider staff, their own
/// record for a care worker or a person.
pub async fn page(Extension(signed): Extension<Signed>) -> Redirect {
    match &signed.account.scope {
        Scope::Council | Scope::Provider(_) => Redirect::to("/market"),
        Scope::Worker(id) => Redirect::to(&format!("/workers/{id}")),
        Scope::Person(id) => Redirect::to(&format!("/people/{id}")),
    }
}
