//! Checking a password someone typed, through the sign-in throttle: the one way a password is
//! checked, whether to sign in or to confirm who is at a signed-in browser before a change that
//! matters (a new password, an API token). A check is refused while the throttle says wait;
//! otherwise it costs one argon2 check whatever the account (its own hash, or the decoy when
//! there is no account or it is disabled), a wrong password counts as a failure and is audited
//! with the locks it started, and a right one forgets that client's failures on that account.

use super::client::ClientAddress;
use super::throttle::{Lock, WINDOW};
use crate::AppState;
use homeward_domain::{Account, AccountId};
use homeward_store::{AccessEvent, StoreError};
use std::time::{Duration, Instant};

/// What checking a password came to.
#[derive(Debug)]
pub enum Checked {
    /// The password is the account's, and the account may sign in.
    Right(Account),
    /// Wrong, no such account, or a disabled one: which of them is never told.
    Wrong,
    /// Not checked: the client must wait this long first.
    Throttled(Duration),
}

/// The key the throttle counts an address by: as typed, trimmed and in lower case, whether or
/// not it has an account.
pub fn throttle_key(typed_email: &str) -> String {
    typed_email.trim().to_lowercase()
}

/// How long `client` must wait before trying `key`, if it must.
pub fn throttled(state: &AppState, key: &str, client: ClientAddress) -> Option<Duration> {
    state.throttle.check(key, client.0, Instant::now()).err()
}

/// Checks `password` against `found` (an account and its hash, or nothing) for `client`,
/// counted under `key`; see the module's description. The throttle must have been asked first
/// ([`throttled`]).
pub async fn check_found(
    state: &AppState,
    key: &str,
    client: ClientAddress,
    found: Option<(Account, String)>,
    password: &str,
) -> Result<Checked, StoreError> {
    // Exactly one argon2 check whatever the address: the account's own hash when it may sign
    // in, else the decoy, so that neither the time taken nor the answer tells a disabled
    // account, or an address with no account, from a wrong password.
    let right = match &found {
        Some((account, hash)) if !account.disabled => {
            state
                .passwords
                .verify(password.to_owned(), hash.clone())
                .await
        }
        _ => {
            state.passwords.check_decoy(password.to_owned()).await;
            false
        }
    };
    match found {
        Some((account, _)) if right => {
            state.throttle.succeed(key, client.0);
            Ok(Checked::Right(account))
        }
        found => {
            let locks = state.throttle.fail(key, client.0, Instant::now());
            audit_failure(state, found.map(|(account, _)| account.id), client, &locks).await?;
            Ok(Checked::Wrong)
        }
    }
}

/// Confirms that the person at `account`'s signed-in browser knows its password, through the
/// throttle as signing in is: a stolen session cannot guess its way to a new password or token
/// faster than a sign-in could.
pub async fn confirm(
    state: &AppState,
    account: &Account,
    client: ClientAddress,
    password: &str,
) -> Result<Checked, StoreError> {
    let key = throttle_key(account.email.as_str());
    if let Some(wait) = throttled(state, &key, client) {
        return Ok(Checked::Throttled(wait));
    }
    let found = state.store.account_for_sign_in(&account.email).await?;
    // The account as stored must still be the one signed in.
    let found = found.filter(|(stored, _)| stored.id == account.id);
    check_found(state, &key, client, found, password).await
}

/// Audits a failed check and the locks it started.
async fn audit_failure(
    state: &AppState,
    account_id: Option<AccountId>,
    client: ClientAddress,
    locks: &[Lock],
) -> Result<(), StoreError> {
    // The log's line beside the audit's row: for whoever watches the log, never the email typed.
    tracing::warn!(
        client = %client,
        account = account_id.as_ref().map(tracing::field::display),
        "a sign-in failed"
    );
    let client = client.to_string();
    state
        .store
        .record_access_event(&AccessEvent::SignInFailed {
            account_id: account_id.clone(),
            client: client.clone(),
        })
        .await?;
    for lock in locks {
        // A lock of the client alone is about no one account.
        let account_id = match lock {
            Lock::Client => None,
            Lock::ClientOnAccount | Lock::Account => account_id.clone(),
        };
        tracing::warn!(
            client = %client,
            account = account_id.as_ref().map(tracing::field::display),
            locked = lock.describe(),
            "sign-ins locked out"
        );
        state
            .store
            .record_access_event(&AccessEvent::LockOut {
                account_id,
                client: client.clone(),
                locked: lock.describe().to_owned(),
                minutes: i64::try_from(WINDOW.as_secs() / 60).unwrap_or(i64::MAX),
            })
            .await?;
    }
    Ok(())
}
