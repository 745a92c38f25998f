//! Pagination and query strings for list endpoints.

use super::error::ApiError;
use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

/// Items a page holds unless asked otherwise, and at most.
pub const DEFAULT_PER_PAGE: u64 = 50;
const MAX_PER_PAGE: u64 = 200;

/// A query string parsed into `T`, refusing malformed ones with the API's error body.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(value)| ApiQuery(value))
            .map_err(|rejection| {
                ApiError::bad_request(format!(
                    "The query string is not valid: {}",
                    rejection.body_text()
                ))
            })
    }
}

/// A record id from the path; one that is not even text is simply not found.
pub struct ApiPath(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ApiPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Path::<String>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(id)| ApiPath(id))
            .map_err(|_| ApiError::not_found("record"))
    }
}

/// A request body, refusing one that cannot be read (too large, cut short) with the API's error.
pub struct ApiBody(pub axum::body::Bytes);

impl<S: Send + Sync> axum::extract::FromRequest<S> for ApiBody {
    type Rejection = ApiError;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, ApiError> {
        axum::body::Bytes::from_request(request, state)
            .await
            .map(ApiBody)
            .map_err(|rejection| {
                if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::too_large()
                } else {
                    ApiError::bad_request(format!(
                        "The body could not be read: {}",
                        rejection.body_text()
                    ))
                }
            })
    }
}

/// A page position, checked.
#[derive(Debug, Clone, Copy)]
pub struct Paging {
    /// From 1.
    pub page: u64,
    /// Items on a page.
    pub per_page: u64,
}

impl Paging {
    /// Reads `page` and `per_page`, naming the one that is wrong.
    pub fn parse(page: Option<&str>, per_page: Option<&str>) -> Result<Paging, ApiError> {
        let page = match page {
            None => 1,
            Some(text) => text
                .parse::<u64>()
                .ok()
                .filter(|page| (1..=1_000_000).contains(page))
                .ok_or_else(|| ApiError::invalid("page", "page must be a whole number from 1"))?,
        };
        let per_page = match per_page {
            None => DEFAULT_PER_PAGE,
            Some(text) => text
                .parse::<u64>()
                .ok()
                .filter(|size| (1..=MAX_PER_PAGE).contains(size))
                .ok_or_else(|| {
                    ApiError::invalid(
                        "per_page",
                        format!("per_page must be a whole number from 1 to {MAX_PER_PAGE}"),
                    )
                })?,
        };
        Ok(Paging { page, per_page })
    }

    /// Offset of the first item.
    pub fn offset(self) -> u64 {
        (self.page - 1) * self.per_page
    }

    /// This page of `items`.
    pub fn slice<T>(self, items: Vec<T>) -> Vec<T> {
        crate::pages::page_of(items, self.page, self.per_page)
    }
}

/// Declares a paginated list body for an item type.
macro_rules! list_body {
    ($name:ident, $item:ty, $doc:literal) => {
        #[doc = $doc]
        #[derive(serde::Serialize, utoipa::ToSchema)]
        pub struct $name {
            /// The items on this page.
            pub items: Vec<$item>,
            /// This page, from 1.
            pub page: u64,
            /// Items a page holds.
            pub per_page: u64,
            /// Items in all pages.
            pub total: u64,
        }
    };
}

pub(crate) use list_body;
