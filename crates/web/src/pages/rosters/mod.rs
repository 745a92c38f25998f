//! Rostering for a provider's coordinator: the branches' days with their rosters, planning a day
//! or a week with the scheduling engine, one roster's runs with their figures and breaches,
//! moving a visit by hand, and publishing the day to the care workers.
//!
//! One module a page: `list` (the branches' days and the plan form), `roster` (one roster and
//! publishing it) and `moving` (moving a visit by hand); what they share is here.

mod list;
mod moving;
mod roster;

pub use list::{list, plan};
pub use moving::{move_form, move_submit};
pub use roster::{page, publish};

use crate::AppState;
use crate::auth::Signed;
use axum::http::StatusCode;
use axum::response::Response;
use homeward_app::rostering::{self, RosterError, RosterView};
use homeward_domain::{Branch, RosterId};

/// The branches of the signed-in provider, by name; `None` for anyone else.
async fn own_branches(state: &AppState, signed: &Signed) -> Result<Option<Vec<Branch>>, Response> {
    homeward_app::visibility::own_branches(state.store.as_ref(), &signed.account)
        .await
        .map_err(super::error::store_failure)
}

/// The page for a step the roster's state or the server's load refused, or for our own failure.
async fn failed(state: &AppState, signed: &Signed, error: RosterError) -> Response {
    match error {
        RosterError::DayPassed(_) => {
            super::error::refused(
                state,
                signed,
                "This roster's day has passed",
                "A past day's roster stays as it was planned and published. To record when a visit really happened, correct its times from the visit's record in call monitoring.",
                StatusCode::CONFLICT,
            )
            .await
        }
        RosterError::Busy => {
            super::error::refused(
                state,
                signed,
                "Planning is busy",
                "Every planner is busy planning other days. Nothing was changed. Try again in a minute.",
                StatusCode::SERVICE_UNAVAILABLE,
            )
            .await
        }
        error => {
            tracing::error!(error = ?error.to_string(), "rostering failed");
            super::error::internal()
        }
    }
}

/// The roster `id` and its view, if it is one of the signed-in provider's branches'.
async fn own_roster(state: &AppState, signed: &Signed, id: &str) -> Result<RosterView, Response> {
    let Ok(id) = RosterId::parse(id, "id") else {
        return Err(super::error::not_found(state, Some(signed)).await);
    };
    match homeward_app::visibility::own_roster(state.store.as_ref(), &signed.account, &id).await {
        Ok(Some(_)) => {}
        Ok(None) => return Err(super::error::not_found(state, Some(signed)).await),
        Err(error) => return Err(super::error::store_failure(error)),
    }
    match rostering::view(state.store.as_ref(), &id, &state.plan_settings()).await {
        Ok(view) => Ok(view),
        Err(error) => Err(failed(state, signed, error).await),
    }
}

/// The roster `id` for a form that changes it (the guard has checked its anti-forgery token).
async fn roster_to_change(
    state: &AppState,
    signed: &Signed,
    id: &str,
) -> Result<RosterView, Response> {
    own_roster(state, signed, id).await
}
