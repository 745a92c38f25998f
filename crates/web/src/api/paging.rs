//! Pagination and query strings for list endpoints.

use super::error::ApiError;
use axum::extract::{FromRequestParts, Query};
use axum::http::HeaderValue;
use axum::http::header::CONTENT_TYPE;
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

/// A request body sent as JSON, refusing any other type (415) before reading it, and a body that
/// cannot be read (too large, cut short) with the API's error.
pub struct ApiBody(pub axum::body::Bytes);

impl<S: Send + Sync> axum::extract::FromRequest<S> for ApiBody {
    type Rejection = ApiError;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, ApiError> {
        let mut content_types = request.headers().get_all(CONTENT_TYPE).iter();
        let json = match (content_types.next(), content_types.next()) {
            (Some(content_type), None) => is_json(content_type),
            // None, or two that may disagree.
            _ => false,
        };
        if !json {
            return Err(ApiError::unsupported_media_type());
        }
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

/// Whether a `Content-Type` says JSON: `application/json` in any case, with any parameters but a
/// `charset` other than UTF-8. JSON between systems is UTF-8 (RFC 8259, 8.1) and the body is read
/// as UTF-8, so a body declared in another character set would be misread.
fn is_json(content_type: &HeaderValue) -> bool {
    let Ok(text) = content_type.to_str() else {
        return false;
    };
    let mut parts = text.split(';');
    let essence = parts.next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/json")
        && parts.all(|parameter| match parameter.split_once('=') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("charset") => {
                value.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
            }
            _ => true,
        })
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
        crate::paging::page_of(items, self.page, self.per_page)
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

#[cfg(test)]
mod tests {
    use super::is_json;
    use axum::http::HeaderValue;

    #[test]
    fn json_is_application_json_in_utf_8() {
        for taken in [
            "application/json",
            "APPLICATION/JSON",
            "application/json; charset=utf-8",
            "application/json;charset=\"UTF-8\"",
            "application/json; profile=x",
        ] {
            assert!(is_json(&HeaderValue::from_static(taken)), "{taken}");
        }
        for refused in [
            "",
            "text/plain",
            "text/json",
            "application/jsonx",
            "application/json-patch+json",
            "application/x-www-form-urlencoded",
            "application/json; charset=iso-8859-1",
            "application/json; charset=utf-16",
        ] {
            assert!(!is_json(&HeaderValue::from_static(refused)), "{refused}");
        }
    }
}
