//! Making an API token: a random secret shown once, stored by its hash only.

use super::secrets;
use homeward_domain::{AccountId, TokenId};
use homeward_store::{ApiToken, Store, StoreError};

/// Makes a new API token named `name` for `account_id` and stores it by the hash of its
/// secret, audited as made by `actor`; returns the token and its secret (`hw_` and 64 hex
/// digits), which is never stored and cannot be shown again. Used by the token pages and the
/// API, and by `homeward bench call-events` for its senders.
pub async fn issue_api_token(
    store: &dyn Store,
    account_id: &AccountId,
    name: String,
    actor: &str,
) -> Result<(ApiToken, String), StoreError> {
    let secret = format!("hw_{}", secrets::new_secret());
    let suffix = &secrets::new_secret()[..16];
    let token = ApiToken {
        id: TokenId::from_suffix(suffix).expect("hex digits make a valid id"),
        account_id: account_id.clone(),
        name,
        created_at: jiff::Timestamp::now(),
        revoked_at: None,
    };
    store
        .create_api_token(&token, &secrets::hash_secret(&secret), actor)
        .await?;
    Ok((token, secret))
}
