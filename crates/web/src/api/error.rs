//! The API's one error type: every 4xx and 5xx answers `{"error":{"code","message","field"}}`.

use axum::Json;
use axum::http::StatusCode;
use axum::http::header::WWW_AUTHENTICATE;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// An error answer.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    body: ErrorDetail,
}

/// The error's body.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ErrorDetail,
}

/// What went wrong, in a stable code, a sentence, and the field at fault if one is.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable code: `unauthenticated`, `forbidden`, `not_found`, `invalid`, `too_large`,
    /// `unsupported_media_type`, `conflict`, `method_not_allowed`, `timeout`, `busy` or
    /// `internal`.
    #[schema(value_type = String, example = "invalid")]
    pub code: &'static str,
    /// A sentence for people.
    pub message: String,
    /// The request field at fault, when there is one; `null` otherwise.
    #[schema(required = true)]
    pub field: Option<String>,
}

impl ApiError {
    fn new(
        status: StatusCode,
        code: &'static str,
        message: impl Into<String>,
        field: Option<String>,
    ) -> ApiError {
        ApiError {
            status,
            body: ErrorDetail {
                code,
                message: message.into(),
                field,
            },
        }
    }

    /// No valid bearer token.
    pub fn unauthenticated() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "Send a valid API token as 'Authorization: Bearer <token>'.",
            None,
        )
    }

    /// The token's account may not use this endpoint.
    pub fn forbidden() -> ApiError {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Your account's role does not allow this.",
            None,
        )
    }

    /// The caller may not do this, for the reason `message` gives.
    pub fn forbidden_because(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", message, None)
    }

    /// No such record, or not one the caller may see.
    pub fn not_found(what: &str) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("No {what} with that id is available to you."),
            None,
        )
    }

    /// A request value is wrong.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            message,
            Some(field.into()),
        )
    }

    /// The request is malformed as a whole (not JSON, wrong query string).
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid", message, None)
    }

    /// The request conflicts with the record's state (an offer already answered).
    pub fn conflict(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, "conflict", message, None)
    }

    /// The body is larger than the server accepts.
    pub fn too_large() -> ApiError {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            "The request body is too large.",
            None,
        )
    }

    /// The body is not sent as JSON, the one type the API reads.
    pub fn unsupported_media_type() -> ApiError {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Send the body as JSON, with the header 'Content-Type: application/json'.",
            None,
        )
    }

    /// The server cannot take the request now (every planner is busy); try again shortly.
    pub fn busy(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "busy", message, None)
    }

    /// The body did not arrive within the server's time limit.
    pub fn timed_out() -> ApiError {
        ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            "timeout",
            "The request body did not arrive in time. Send the request again.",
            None,
        )
    }

    /// The method is not allowed on this path.
    pub fn method_not_allowed() -> ApiError {
        ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "This method is not allowed here.",
            None,
        )
    }

    /// Our own failure; details go to the log only.
    pub fn internal() -> ApiError {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Something went wrong on our side. Try again later.",
            None,
        )
    }

    /// Logs a store failure and answers [`ApiError::internal`].
    pub fn store(error: homeward_store::StoreError) -> ApiError {
        tracing::error!(error = ?error.to_string(), "store failure");
        ApiError::internal()
    }
}

impl From<homeward_domain::FieldError> for ApiError {
    fn from(error: homeward_domain::FieldError) -> ApiError {
        ApiError::invalid(error.field, error.message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status;
        let mut response = (status, Json(ErrorBody { error: self.body })).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}
