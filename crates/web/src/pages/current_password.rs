//! Asking a signed-in person for their password again before a change that matters (a new
//! password, an API token): what the page says when it is not confirmed.

use crate::AppState;
use crate::auth::client::ClientAddress;
use crate::auth::password_check::{self, Checked};
use axum::http::StatusCode;
use axum::http::header::RETRY_AFTER;
use axum::response::Response;
use homeward_domain::{Account, FieldError};
use std::time::Duration;

/// Why the password typed does not confirm the person, as the form shows it.
pub struct Refusal {
    /// The error by the `current_password` field.
    pub errors: Vec<FieldError>,
    /// 422 for a wrong password, 429 while the throttle says wait.
    pub status: StatusCode,
    wait: Option<Duration>,
}

impl Refusal {
    /// `page`, the form shown again with [`Refusal::errors`], told when to try again if the
    /// throttle said wait.
    pub fn answer(&self, mut page: Response) -> Response {
        if let Some(wait) = self.wait {
            let seconds = wait.as_secs_f64().ceil() as u64;
            page.headers_mut().insert(RETRY_AFTER, seconds.into());
        }
        page
    }
}

/// Whether `typed` is `account`'s password, checked through the sign-in throttle: `Ok(Ok(()))`
/// when it is, `Ok(Err(refusal))` when the form must say why not, `Err(response)` when the
/// store failed.
pub async fn confirm(
    state: &AppState,
    account: &Account,
    client: ClientAddress,
    typed: &str,
) -> Result<Result<(), Refusal>, Response> {
    let refusal = |message: String, status, wait| Refusal {
        errors: vec![FieldError::new("current_password", message)],
        status,
        wait,
    };
    match password_check::confirm(state, account, client, typed).await {
        Ok(Checked::Right(_)) => Ok(Ok(())),
        Ok(Checked::Wrong) => Ok(Err(refusal(
            "Your current password is not right".to_owned(),
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
        ))),
        Ok(Checked::Throttled(wait)) => Ok(Err(refusal(
            format!(
                "Too many wrong passwords. Try again in {}",
                super::sign_in::in_words(wait)
            ),
            StatusCode::TOO_MANY_REQUESTS,
            Some(wait),
        ))),
        Err(error) => Err(super::error::store_failure(error)),
    }
}
