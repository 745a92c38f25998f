//! Signing in and out on [`SqlStore`]: a session is started or ended in one transaction with
//! its audit event, and attempts that start no session (failures, lock-outs) are audited on
//! their own. Every event names the client's address and the account when there is one; none
//! holds a password, an email address typed, a token or a token's hash.

use super::SqlStore;
use crate::sql::audit::{self, AuditEvent};
use crate::sql::json;
use crate::sql::values::SqlValue;
use crate::sql::{Reference, access};
use crate::{AccessEvent, NewSession, RecordKind, StoreError};
use homeward_domain::AccountId;

/// What an access event's `after` holds: the client's address and what else is named.
pub(super) fn client_object(client: &str, more: &[(&str, SqlValue)]) -> String {
    let mut columns = vec!["client"];
    let mut values = vec![SqlValue::text(client)];
    for (column, value) in more {
        columns.push(column);
        values.push(value.clone());
    }
    json::object(&columns, &values)
}

/// An event about `account_id` (or no account), written by `actor`.
pub(super) fn access_event<'a>(
    actor: &'a str,
    action: &'a str,
    account_id: Option<&'a str>,
    summary: String,
    after: String,
) -> AuditEvent<'a> {
    AuditEvent {
        actor,
        action,
        record_kind: RecordKind::Account.name(),
        record_id: account_id,
        record_count: usize::from(account_id.is_some()),
        summary,
        before: None,
        after: Some(after),
    }
}

/// Stores `session` with its `sign-in` event, as [`crate::AccessStore::create_session`] describes.
pub(super) async fn create_session(
    store: &SqlStore,
    session: &NewSession,
    client: &str,
) -> Result<(), StoreError> {
    let account_id = session.account_id.as_str();
    let mut transaction = store.begin_write().await?;
    if let Err(error) = access::insert_session(&mut transaction, session, client).await {
        transaction.rollback().await.ok();
        // A session is named by its account: its token hash is never shown.
        return Err(store.explain_single_insert_failure(
            error,
            RecordKind::Session,
            account_id,
            account_id.to_owned(),
            Some(Reference {
                field: "account_id",
                table: "accounts",
                id: account_id.to_owned(),
            }),
        ));
    }
    let event = access_event(
        account_id,
        "sign-in",
        Some(account_id),
        format!("signed in from {client}"),
        client_object(client, &[]),
    );
    audit::append(&mut transaction, store.now(), event)
        .await
        .map_err(StoreError::database)?;
    transaction.commit().await.map_err(StoreError::database)
}

/// Ends the session with `token_hash` with its `sign-out` event, as
/// [`crate::Store::delete_session`] describes.
pub(super) async fn delete_session(
    store: &SqlStore,
    token_hash: &str,
    client: &str,
) -> Result<(), StoreError> {
    let mut transaction = store.begin_write().await?;
    let ended = access::delete_session(&mut transaction, token_hash)
        .await
        .map_err(StoreError::database)?;
    let Some(account_id) = ended else {
        transaction.rollback().await.ok();
        return Ok(());
    };
    let event = access_event(
        &account_id,
        "sign-out",
        Some(&account_id),
        format!("signed out from {client}"),
        client_object(client, &[]),
    );
    audit::append(&mut transaction, store.now(), event)
        .await
        .map_err(StoreError::database)?;
    transaction.commit().await.map_err(StoreError::database)
}

/// Ends the account's other sessions with their event, as
/// [`crate::Store::end_other_sessions`] describes.
pub(super) async fn end_other_sessions(
    store: &SqlStore,
    account_id: &AccountId,
    kept_hash: &str,
    client: &str,
) -> Result<u64, StoreError> {
    let mut transaction = store.begin_write().await?;
    let ended = access::delete_sessions_but(&mut transaction, account_id, kept_hash)
        .await
        .map_err(StoreError::database)?;
    if ended == 0 {
        // Nothing changed, so nothing is written or audited.
        transaction.rollback().await.ok();
        return Ok(0);
    }
    let count = i64::try_from(ended).unwrap_or(i64::MAX);
    let event = access_event(
        account_id.as_str(),
        "end-other-sessions",
        Some(account_id.as_str()),
        format!("ended {count} other sessions from {client}"),
        client_object(client, &[("sessions_ended", SqlValue::Integer(count))]),
    );
    audit::append(&mut transaction, store.now(), event)
        .await
        .map_err(StoreError::database)?;
    transaction.commit().await.map_err(StoreError::database)?;
    Ok(ended)
}

/// Audits `event`, as [`crate::Store::record_access_event`] describes.
pub(super) async fn record(store: &SqlStore, event: &AccessEvent) -> Result<(), StoreError> {
    let (action, account_id, client, summary, after) = match event {
        AccessEvent::SignInFailed { account_id, client } => (
            "sign-in-failed",
            account_id,
            client,
            match account_id {
                Some(id) => format!("failed to sign in to {id} from {client}"),
                None => {
                    format!("failed to sign in with an address that has no account from {client}")
                }
            },
            client_object(client, &[]),
        ),
        AccessEvent::LockOut {
            account_id,
            client,
            locked,
            minutes,
        } => (
            "lock-out",
            account_id,
            client,
            format!("locked sign-in for {locked} from {client} for {minutes} minutes"),
            client_object(
                client,
                &[
                    ("locked", SqlValue::text(locked)),
                    ("minutes", SqlValue::Integer(*minutes)),
                ],
            ),
        ),
    };
    // Before signing in, the caller is known only by where it calls from.
    let actor = format!("client {client}");
    let event = access_event(
        &actor,
        action,
        account_id.as_ref().map(|id| id.as_str()),
        summary,
        after,
    );
    let mut transaction = store.begin_write().await?;
    audit::append(&mut transaction, store.now(), event)
        .await
        .map_err(StoreError::database)?;
    transaction.commit().await.map_err(StoreError::database)
}
