//! Accounts, sessions and API tokens: their columns, the statements that write them and how
//! their rows become records.
//!
//! Secrets never leave these tables through the interface: password and token hashes are
//! written here, compared in SQL, and left out of every audit object.

use super::row::StoredRow;
use super::time::stored_timestamp;
use super::values::SqlValue;
use crate::{AccountSession, ApiToken, NewSession, RecordKind, Session, StoreError};
use homeward_domain::{Account, AccountId, Email, Role, Scope, TokenId};
use jiff::Timestamp;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool};

/// The columns of an account the audit trail shows: all but `password_hash`.
pub(crate) const ACCOUNT_COLUMNS: &[&str] = &[
    "id",
    "email",
    "name",
    "role",
    "scope_kind",
    "scope_id",
    "disabled",
    "created_at",
];

/// The columns of an API token the audit trail shows: all but `token_hash`.
pub(crate) const TOKEN_COLUMNS: &[&str] = &[
    "id",
    "account_id",
    "name",
    "created_at",
    "expires_at",
    "revoked_at",
];

/// An account's columns in [`ACCOUNT_COLUMNS`] order, as read from the table aliased `a`.
fn account_select() -> String {
    ACCOUNT_COLUMNS
        .iter()
        .map(|column| format!("a.{column}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// An account's values in [`ACCOUNT_COLUMNS`] order.
pub(crate) fn account_values(account: &Account, created_at: &str) -> Vec<SqlValue> {
    let (scope_kind, scope_id) = account.scope.parts();
    vec![
        SqlValue::text(account.id.as_str()),
        SqlValue::text(account.email.as_str()),
        SqlValue::text(&account.name),
        SqlValue::text(account.role.code()),
        SqlValue::text(scope_kind),
        SqlValue::optional_text(scope_id),
        SqlValue::flag(account.disabled),
        SqlValue::text(created_at),
    ]
}

/// A token's values in [`TOKEN_COLUMNS`] order.
pub(crate) fn token_values(token: &ApiToken) -> Vec<SqlValue> {
    vec![
        SqlValue::text(token.id.as_str()),
        SqlValue::text(token.account_id.as_str()),
        SqlValue::text(&token.name),
        SqlValue::Text(stored_timestamp(token.created_at)),
        SqlValue::Text(stored_timestamp(token.expires_at)),
        SqlValue::OptionalText(token.revoked_at.map(stored_timestamp)),
    ]
}

/// Inserts `account` with its password hash, created at `created_at` (stored form).
pub(crate) async fn insert_account(
    connection: &mut AnyConnection,
    account: &Account,
    password_hash: &str,
    created_at: &str,
) -> Result<(), sqlx::Error> {
    let mut query = sqlx::query(
        "INSERT INTO accounts (id, email, name, role, scope_kind, scope_id, disabled, created_at, password_hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    );
    for value in account_values(account, created_at) {
        query = value.bind_to(query);
    }
    query
        .bind(password_hash.to_owned())
        .execute(connection)
        .await?;
    Ok(())
}

/// Whether an account has `email`.
pub(crate) async fn email_taken(pool: &AnyPool, email: &Email) -> Result<bool, StoreError> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts WHERE email = $1")
        .bind(email.as_str().to_owned())
        .fetch_one(pool)
        .await
        .map_err(StoreError::database)?;
    Ok(count > 0)
}

/// The account with `id`.
pub(crate) async fn account(pool: &AnyPool, id: &AccountId) -> Result<Option<Account>, StoreError> {
    let sql = format!(
        "SELECT {} FROM accounts a WHERE a.id = $1",
        account_select()
    );
    let row = sqlx::query(&sql)
        .bind(id.as_str().to_owned())
        .fetch_optional(pool)
        .await
        .map_err(StoreError::database)?;
    row.as_ref().map(account_from_row).transpose()
}

/// The account with `email` and its password hash.
pub(crate) async fn account_for_sign_in(
    pool: &AnyPool,
    email: &Email,
) -> Result<Option<(Account, String)>, StoreError> {
    let sql = format!(
        "SELECT {}, a.password_hash FROM accounts a WHERE a.email = $1",
        account_select()
    );
    let row = sqlx::query(&sql)
        .bind(email.as_str().to_owned())
        .fetch_optional(pool)
        .await
        .map_err(StoreError::database)?;
    let Some(row) = row else { return Ok(None) };
    let account = account_from_row(&row)?;
    let hash = StoredRow::new(&row, RecordKind::Account)?.text("password_hash")?;
    Ok(Some((account, hash)))
}

/// Every account, by email (bytes, whatever the database's locale).
pub(crate) async fn accounts(pool: &AnyPool, text_order: &str) -> Result<Vec<Account>, StoreError> {
    let sql = format!(
        "SELECT {} FROM accounts a ORDER BY a.email{text_order}",
        account_select()
    );
    let rows = sqlx::query(&sql)
        .fetch_all(pool)
        .await
        .map_err(StoreError::database)?;
    rows.iter().map(account_from_row).collect()
}

/// Inserts `session`, started from `client` and last seen when it was made.
pub(crate) async fn insert_session(
    connection: &mut AnyConnection,
    session: &NewSession,
    client: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, account_id, csrf_token, created_at, expires_at, last_seen_at, client) \
         VALUES ($1, $2, $3, $4, $5, $4, $6)",
    )
    .bind(session.token_hash.clone())
    .bind(session.account_id.as_str().to_owned())
    .bind(session.csrf_token.clone())
    .bind(stored_timestamp(session.created_at))
    .bind(stored_timestamp(session.expires_at))
    .bind(client.to_owned())
    .execute(connection)
    .await?;
    Ok(())
}

/// Moves the session's `last_seen_at` on to `at`, never back.
pub(crate) async fn touch_session(
    pool: &AnyPool,
    token_hash: &str,
    at: Timestamp,
    text_order: &str,
) -> Result<(), StoreError> {
    let sql = format!(
        "UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2 AND last_seen_at{text_order} < $1"
    );
    sqlx::query(&sql)
        .bind(stored_timestamp(at))
        .bind(token_hash.to_owned())
        .execute(pool)
        .await
        .map_err(StoreError::database)?;
    Ok(())
}

/// `account_id`'s sessions that expire after `now`, last used first.
pub(crate) async fn account_sessions(
    pool: &AnyPool,
    account_id: &AccountId,
    now: Timestamp,
    text_order: &str,
) -> Result<Vec<AccountSession>, StoreError> {
    let sql = format!(
        "SELECT token_hash, created_at, last_seen_at, expires_at, client FROM sessions \
         WHERE account_id = $1 AND expires_at{text_order} > $2 \
         ORDER BY last_seen_at{text_order} DESC, created_at{text_order} DESC"
    );
    let rows = sqlx::query(&sql)
        .bind(account_id.as_str().to_owned())
        .bind(stored_timestamp(now))
        .fetch_all(pool)
        .await
        .map_err(StoreError::database)?;
    rows.iter()
        .map(|row| {
            let stored = StoredRow::keyed_by(row, RecordKind::Session, account_id.to_string());
            Ok(AccountSession {
                token_hash: stored.text("token_hash")?,
                created_at: stored.timestamp("created_at")?,
                last_seen_at: stored.timestamp("last_seen_at")?,
                expires_at: stored.timestamp("expires_at")?,
                client: stored.optional_text("client")?,
            })
        })
        .collect()
}

/// The session with `token_hash`, if it expires after `now` and its account is not disabled.
pub(crate) async fn session(
    pool: &AnyPool,
    token_hash: &str,
    now: Timestamp,
    text_order: &str,
) -> Result<Option<Session>, StoreError> {
    let sql = format!(
        "SELECT {}, s.csrf_token, s.expires_at, s.last_seen_at FROM sessions s JOIN accounts a ON a.id = s.account_id \
         WHERE s.token_hash = $1 AND s.expires_at{text_order} > $2 AND a.disabled = 0",
        account_select()
    );
    let row = sqlx::query(&sql)
        .bind(token_hash.to_owned())
        .bind(stored_timestamp(now))
        .fetch_optional(pool)
        .await
        .map_err(StoreError::database)?;
    let Some(row) = row else { return Ok(None) };
    let account = account_from_row(&row)?;
    let stored = StoredRow::keyed_by(&row, RecordKind::Session, account.id.to_string());
    Ok(Some(Session {
        csrf_token: stored.text("csrf_token")?,
        expires_at: stored.timestamp("expires_at")?,
        last_seen_at: stored.timestamp("last_seen_at")?,
        account,
    }))
}

/// Deletes the session with `token_hash`, if there is one, and says whose it was.
pub(crate) async fn delete_session(
    connection: &mut AnyConnection,
    token_hash: &str,
) -> Result<Option<String>, sqlx::Error> {
    let account_id: Option<String> =
        sqlx::query_scalar("SELECT account_id FROM sessions WHERE token_hash = $1")
            .bind(token_hash.to_owned())
            .fetch_optional(&mut *connection)
            .await?;
    if account_id.is_some() {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash.to_owned())
            .execute(&mut *connection)
            .await?;
    }
    Ok(account_id)
}

/// Replaces the password hash of the account with `id`; says whether there was one.
pub(crate) async fn set_password_hash(
    connection: &mut AnyConnection,
    id: &AccountId,
    password_hash: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE accounts SET password_hash = $1 WHERE id = $2")
        .bind(password_hash.to_owned())
        .bind(id.as_str().to_owned())
        .execute(connection)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Deletes every session of `account_id` but the one with `kept_hash`; says how many.
pub(crate) async fn delete_sessions_but(
    connection: &mut AnyConnection,
    account_id: &AccountId,
    kept_hash: &str,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND token_hash <> $2")
        .bind(account_id.as_str().to_owned())
        .bind(kept_hash.to_owned())
        .execute(connection)
        .await?;
    Ok(done.rows_affected())
}

/// Inserts `token` with the hash of its secret.
pub(crate) async fn insert_token(
    connection: &mut AnyConnection,
    token: &ApiToken,
    token_hash: &str,
) -> Result<(), sqlx::Error> {
    let mut query = sqlx::query(
        "INSERT INTO api_tokens (id, account_id, name, created_at, expires_at, revoked_at, token_hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    );
    for value in token_values(token) {
        query = value.bind_to(query);
    }
    query
        .bind(token_hash.to_owned())
        .execute(connection)
        .await?;
    Ok(())
}

/// `account_id`'s tokens, newest first.
pub(crate) async fn tokens(
    pool: &AnyPool,
    account_id: &AccountId,
    text_order: &str,
) -> Result<Vec<ApiToken>, StoreError> {
    let sql = format!(
        "SELECT {} FROM api_tokens WHERE account_id = $1 ORDER BY created_at{text_order} DESC, id{text_order} DESC",
        TOKEN_COLUMNS.join(", ")
    );
    let rows = sqlx::query(&sql)
        .bind(account_id.as_str().to_owned())
        .fetch_all(pool)
        .await
        .map_err(StoreError::database)?;
    rows.iter().map(|row| token_from_row(row, "")).collect()
}

/// The live token with `token_hash` — not revoked, expiring after `now` — and its account,
/// which is not disabled.
pub(crate) async fn token_account(
    pool: &AnyPool,
    token_hash: &str,
    now: Timestamp,
    text_order: &str,
) -> Result<Option<(ApiToken, Account)>, StoreError> {
    let token_columns: Vec<String> = TOKEN_COLUMNS
        .iter()
        .map(|column| format!("t.{column} AS token_{column}"))
        .collect();
    let sql = format!(
        "SELECT {}, {} FROM api_tokens t JOIN accounts a ON a.id = t.account_id \
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at{text_order} > $2 \
         AND a.disabled = 0",
        token_columns.join(", "),
        account_select()
    );
    let row = sqlx::query(&sql)
        .bind(token_hash.to_owned())
        .bind(stored_timestamp(now))
        .fetch_optional(pool)
        .await
        .map_err(StoreError::database)?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some((
        token_from_row(&row, "token_")?,
        account_from_row(&row)?,
    )))
}

/// `account_id`'s live token `id`, read inside a write transaction.
pub(crate) async fn live_token(
    connection: &mut AnyConnection,
    id: &TokenId,
    account_id: &AccountId,
) -> Result<Option<ApiToken>, StoreError> {
    let sql = format!(
        "SELECT {} FROM api_tokens WHERE id = $1 AND account_id = $2 AND revoked_at IS NULL",
        TOKEN_COLUMNS.join(", ")
    );
    let row = sqlx::query(&sql)
        .bind(id.as_str().to_owned())
        .bind(account_id.as_str().to_owned())
        .fetch_optional(connection)
        .await
        .map_err(StoreError::database)?;
    row.map(|row| token_from_row(&row, "")).transpose()
}

/// Marks token `id` revoked at `at`.
pub(crate) async fn revoke_token(
    connection: &mut AnyConnection,
    id: &TokenId,
    at: Timestamp,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2")
        .bind(stored_timestamp(at))
        .bind(id.as_str().to_owned())
        .execute(connection)
        .await?;
    Ok(())
}

/// The account in `row`'s columns named as in [`ACCOUNT_COLUMNS`].
fn account_from_row(row: &AnyRow) -> Result<Account, StoreError> {
    let row = StoredRow::new(row, RecordKind::Account)?;
    let scope_kind = row.text("scope_kind")?;
    let scope_id = row.optional_text("scope_id")?;
    let scope = Scope::from_parts(&scope_kind, scope_id.as_deref())
        .map_err(|error| row.corrupt(&error.field, &error.message))?;
    Ok(Account {
        id: row.parse("id", AccountId::parse)?,
        email: row.parse("email", Email::parse)?,
        name: row.text("name")?,
        role: row.parse("role", Role::parse)?,
        scope,
        disabled: row.flag("disabled")?,
    })
}

/// The token in `row`'s columns named as in [`TOKEN_COLUMNS`], each after `prefix`.
fn token_from_row(row: &AnyRow, prefix: &str) -> Result<ApiToken, StoreError> {
    let column = |name: &str| format!("{prefix}{name}");
    let row = StoredRow::with_id_column(row, RecordKind::ApiToken, &column("id"))?;
    Ok(ApiToken {
        id: row.parse(&column("id"), TokenId::parse)?,
        account_id: row.parse(&column("account_id"), AccountId::parse)?,
        name: row.text(&column("name"))?,
        created_at: row.timestamp(&column("created_at"))?,
        expires_at: row.timestamp(&column("expires_at"))?,
        revoked_at: row.optional_timestamp(&column("revoked_at"))?,
    })
}

/// When the account with `id` was stored, in stored form.
pub(crate) async fn account_created_at(
    connection: &mut AnyConnection,
    id: &AccountId,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT created_at FROM accounts WHERE id = $1")
        .bind(id.as_str().to_owned())
        .fetch_optional(connection)
        .await
}

/// Replaces everything but the id and creation time of a stored account.
pub(crate) async fn update_account(
    connection: &mut AnyConnection,
    account: &Account,
    password_hash: &str,
) -> Result<(), sqlx::Error> {
    let (scope_kind, scope_id) = account.scope.parts();
    sqlx::query(
        "UPDATE accounts SET email = $2, name = $3, role = $4, scope_kind = $5, scope_id = $6, disabled = $7, password_hash = $8 \
         WHERE id = $1",
    )
    .bind(account.id.as_str().to_owned())
    .bind(account.email.as_str().to_owned())
    .bind(account.name.clone())
    .bind(account.role.code().to_owned())
    .bind(scope_kind.to_owned())
    .bind(scope_id.map(str::to_owned))
    .bind(i64::from(account.disabled))
    .bind(password_hash.to_owned())
    .execute(connection)
    .await?;
    Ok(())
}
