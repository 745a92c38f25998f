//! The start page: sends each role to where its work is.

use crate::auth::Signed;
use axum::Extension;
use axum::response::Redirect;
use homeward_domain::Scope;

/// Redirects to the account's home: the market for council and provider staff, today's visits
/// for a care worker (on their phone), their own record for a person.
pub async fn page(Extension(signed): Extension<Signed>) -> Redirect {
    match &signed.account.scope {
        Scope::Council | Scope::Provider(_) => Redirect::to("/market"),
        Scope::Worker(_) => Redirect::to("/today"),
        Scope::Person(id) => Redirect::to(&format!("/people/{id}")),
    }
}
