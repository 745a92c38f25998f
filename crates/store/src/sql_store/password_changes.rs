//! Changing a password on [`SqlStore`]: the new hash, the end of the account's other sessions
//! and the new token of the one it was changed from are one transaction with their audit
//! event, so that no session made with the old password outlives the change.

use super::SqlStore;
use super::sign_ins::{access_event, client_object};
use crate::sql::access;
use crate::sql::audit;
use crate::sql::values::SqlValue;
use crate::{PasswordChange, RecordKind, StoreError};

/// Stores `change`, as [`crate::Store::change_password`] describes.
pub(super) async fn change_password(
    store: &SqlStore,
    change: &PasswordChange,
    client: &str,
) -> Result<u64, StoreError> {
    let account_id = &change.rotated.account_id;
    let mut transaction = store.begin_write().await?;
    let found = access::set_password_hash(&mut transaction, account_id, &change.password_hash)
        .await
        .map_err(StoreError::database)?;
    if !found {
        transaction.rollback().await.ok();
        return Err(StoreError::NotFound {
            kind: RecordKind::Account,
            id: account_id.to_string(),
        });
    }
    // Every session but the one the change was made from, then that one, which the rotated
    // session replaces.
    let others =
        access::delete_sessions_but(&mut transaction, account_id, &change.from_session_hash)
            .await
            .map_err(StoreError::database)?;
    access::delete_session(&mut transaction, &change.from_session_hash)
        .await
        .map_err(StoreError::database)?;
    access::insert_session(&mut transaction, &change.rotated, client)
        .await
        .map_err(StoreError::database)?;
    let ended = i64::try_from(others).unwrap_or(i64::MAX);
    let event = access_event(
        account_id.as_str(),
        "password-change",
        Some(account_id.as_str()),
        format!("changed the password from {client}, ending {ended} other sessions"),
        client_object(
            client,
            &[("other_sessions_ended", SqlValue::Integer(ended))],
        ),
    );
    audit::append(&mut transaction, store.now(), event)
        .await
        .map_err(StoreError::database)?;
    transaction.commit().await.map_err(StoreError::database)?;
    Ok(others)
}
