//! "The record this path names, if the caller may see it": one extractor for the routes whose
//! path ends in a record's id. It parses the id, asks `homeward_app::visibility` for the record
//! in the caller's scope and reads it; an id that does not parse, a record that does not exist
//! and one outside the caller's scope all answer the same "not found", so that nobody can learn
//! which records exist by asking for them.
//!
//! [`Found`] answers a page's way (the not-found page, the failure page); [`ApiFound`] the
//! API's (its error body). Both need the guard's [`Signed`] caller, so they serve signed-in
//! routes only.

use crate::AppState;
use crate::api::error::ApiError;
use crate::auth::Signed;
use crate::pages::error as page_error;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::response::Response;
use homeward_app::visibility;
use homeward_domain::{Account, CareWorker, Person, PersonId, Provider, ProviderId, WorkerId};
use homeward_store::StoreError;
use std::future::Future;

/// A record a path can name, read within the caller's scope.
pub trait Visible: Sized + Send {
    /// The record's name in the API's "not found" answer.
    const NAME: &'static str;
    /// Its id.
    type Id: Send + Sync;
    /// The id a path's text names, if it is one.
    fn parse_id(text: &str) -> Option<Self::Id>;
    /// The record, if it exists and the caller may see it.
    fn find(
        state: &AppState,
        account: &Account,
        id: &Self::Id,
    ) -> impl Future<Output = Result<Option<Self>, StoreError>> + Send;
}

/// A record for a page: the not-found page when the caller may not have it.
pub struct Found<T>(pub T);

/// A record for the API: its 404 body when the caller may not have it.
pub struct ApiFound<T>(pub T);

/// Why a record could not be had.
enum Missing {
    /// No signed-in caller: the route is not behind the guard, which is our fault.
    Unsigned,
    /// Not there, or not the caller's.
    NotFound(Signed),
    /// The store failed.
    Store(StoreError),
}

async fn look_up<T: Visible>(parts: &mut Parts, state: &AppState) -> Result<T, Missing> {
    let signed = parts
        .extensions
        .get::<Signed>()
        .cloned()
        .ok_or(Missing::Unsigned)?;
    let id = match Path::<String>::from_request_parts(parts, state).await {
        Ok(Path(text)) => T::parse_id(&text),
        Err(_) => None,
    };
    let Some(id) = id else {
        return Err(Missing::NotFound(signed));
    };
    match T::find(state, &signed.account, &id).await {
        Ok(Some(record)) => Ok(record),
        Ok(None) => Err(Missing::NotFound(signed)),
        Err(error) => Err(Missing::Store(error)),
    }
}

impl<T: Visible> FromRequestParts<AppState> for Found<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        match look_up(parts, state).await {
            Ok(record) => Ok(Found(record)),
            Err(Missing::NotFound(signed)) => {
                Err(page_error::not_found(state, Some(&signed)).await)
            }
            Err(Missing::Store(error)) => Err(page_error::store_failure(error)),
            Err(Missing::Unsigned) => {
                tracing::error!("a record was asked for on a route outside the guard");
                Err(page_error::internal())
            }
        }
    }
}

impl<T: Visible> FromRequestParts<AppState> for ApiFound<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        match look_up(parts, state).await {
            Ok(record) => Ok(ApiFound(record)),
            Err(Missing::NotFound(_)) => Err(ApiError::not_found(T::NAME)),
            Err(Missing::Store(error)) => Err(ApiError::store(error)),
            Err(Missing::Unsigned) => {
                tracing::error!("a record was asked for on a route outside the guard");
                Err(ApiError::internal())
            }
        }
    }
}

impl Visible for Person {
    const NAME: &'static str = "person";
    type Id = PersonId;

    fn parse_id(text: &str) -> Option<PersonId> {
        PersonId::parse(text, "id").ok()
    }

    async fn find(
        state: &AppState,
        account: &Account,
        id: &PersonId,
    ) -> Result<Option<Person>, StoreError> {
        visibility::person(state.store.as_ref(), account, id, state.clock.today()).await
    }
}

impl Visible for Provider {
    const NAME: &'static str = "provider";
    type Id = ProviderId;

    fn parse_id(text: &str) -> Option<ProviderId> {
        ProviderId::parse(text, "id").ok()
    }

    async fn find(
        state: &AppState,
        account: &Account,
        id: &ProviderId,
    ) -> Result<Option<Provider>, StoreError> {
        visibility::provider(state.store.as_ref(), account, id).await
    }
}

impl Visible for CareWorker {
    const NAME: &'static str = "care worker";
    type Id = WorkerId;

    fn parse_id(text: &str) -> Option<WorkerId> {
        WorkerId::parse(text, "id").ok()
    }

    async fn find(
        state: &AppState,
        account: &Account,
        id: &WorkerId,
    ) -> Result<Option<CareWorker>, StoreError> {
        visibility::worker(state.store.as_ref(), account, id).await
    }
}
