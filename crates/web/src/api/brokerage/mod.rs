//! `/api/v1/referrals`, `/api/v1/offers`, `/api/v1/pickups` and `/api/v1/capacity`: brokerage
//! for brokers' and providers' own systems.
//!
//! One module a resource: `referrals`, `offers`, `pickups` and `capacity`; what they share
//! (brokerage's errors as the API answers them, the calling provider) is here.

pub mod capacity;
pub mod offers;
pub mod pickups;
pub mod referrals;

use super::error::ApiError;
use crate::auth::Signed;
use homeward_app::BrokerageError;
use homeward_domain::Scope;

fn brokerage_error(error: BrokerageError) -> ApiError {
    match error {
        BrokerageError::Invalid(invalid) => invalid
            .0
            .into_iter()
            .next()
            .map(ApiError::from)
            .unwrap_or_else(ApiError::internal),
        BrokerageError::NotFound(what) => ApiError::not_found(&what),
        BrokerageError::Store(error) => ApiError::store(error),
    }
}

fn own_provider(signed: &Signed) -> Result<&homeward_domain::ProviderId, ApiError> {
    match &signed.account.scope {
        Scope::Provider(provider) => Ok(provider),
        _ => Err(ApiError::forbidden()),
    }
}
