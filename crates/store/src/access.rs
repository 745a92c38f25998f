//! Records of sign-in and accountability: sessions, API tokens and the audit trail.
//!
//! Secrets are never stored: sessions and API tokens are kept by the SHA-256 hash of their
//! token, which the web layer computes, and passwords by their argon2id hash. Neither hash is
//! ever put in the audit trail.
//!
//! Instants are stored as UTC text to the microsecond (`2026-11-25T09:30:00.123456Z`), so an
//! instant read back is the one written truncated to the microsecond.

use crate::StoreError;
use async_trait::async_trait;
use homeward_domain::Email;
use homeward_domain::{Account, AccountId, TokenId};
use jiff::Timestamp;

/// A signed-in browser session, by the hash of its cookie's token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    /// Hex SHA-256 of the session token.
    pub token_hash: String,
    /// Who signed in.
    pub account_id: AccountId,
    /// The session's anti-forgery token, put in every form.
    pub csrf_token: String,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it stops working.
    pub expires_at: Timestamp,
}

/// A live session with its account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// Who is signed in.
    pub account: Account,
    /// The anti-forgery token.
    pub csrf_token: String,
    /// When it stops working.
    pub expires_at: Timestamp,
    /// When it was last used, as far as [`crate::AccessStore::touch_session`] was told.
    pub last_seen_at: Timestamp,
}

/// One of an account's unexpired sessions, as its owner's sessions page lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountSession {
    /// Hex SHA-256 of its token: to tell the one in hand from the others, never shown.
    pub token_hash: String,
    /// When it was started (signed in).
    pub created_at: Timestamp,
    /// When it was last used.
    pub last_seen_at: Timestamp,
    /// When it stops working whatever happens.
    pub expires_at: Timestamp,
    /// The address it was started from; none for sessions started before it was kept.
    pub client: Option<String>,
}

/// A signed-in person's new password, with the session they changed it from given a new token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordChange {
    /// The argon2id hash of the new password.
    pub password_hash: String,
    /// The hash of the session's token the change was made from: ended with the others.
    pub from_session_hash: String,
    /// That session again under a new token, for the same account (`rotated.account_id`).
    pub rotated: NewSession,
}

/// An API token for a machine client, acting as its account with the account's scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    /// Stable id (not the secret).
    pub id: TokenId,
    /// The account it acts as.
    pub account_id: AccountId,
    /// What it is for, as its owner named it.
    pub name: String,
    /// When it was made.
    pub created_at: Timestamp,
    /// When it stops working: it authenticates only before this instant.
    pub expires_at: Timestamp,
    /// When it was revoked, if it was.
    pub revoked_at: Option<Timestamp>,
}

/// An attempt to sign in that started no session, for the audit trail. Neither the password
/// nor the email address typed is kept: only the account, when the address is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccessEvent {
    /// A wrong password, an address with no account, or a disabled account.
    SignInFailed {
        /// The account the address belongs to, if it belongs to one.
        account_id: Option<AccountId>,
        /// The client's address, as the server takes it.
        client: String,
    },
    /// Failures reached a limit, and sign-in is refused for a while.
    LockOut {
        /// The account locked, if the lock is on one.
        account_id: Option<AccountId>,
        /// The client's address, as the server takes it.
        client: String,
        /// What is locked, in words: `this client for this account`, `this client`, …
        locked: String,
        /// For how many whole minutes.
        minutes: i64,
    },
}

/// One entry in the append-only audit trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    /// Position in the trail, from 1, with no gaps.
    pub sequence: i64,
    /// When.
    pub at: Timestamp,
    /// Who: an account id, or the command that wrote (`homeward demo`).
    pub actor: String,
    /// What was done: `create`, `update`, `revoke`, `import`, `replace-market`, …
    pub action: String,
    /// The kind of record (`area`, `account`, `api-token`, `person`, …).
    pub record_kind: String,
    /// The record's id, when one record changed.
    pub record_id: Option<String>,
    /// How many records the write touched.
    pub record_count: i64,
    /// The record before the change, as a JSON object of its stored fields.
    pub before: Option<String>,
    /// The record after the change, as a JSON object of its stored fields.
    pub after: Option<String>,
}

/// Which audit events to list; unset fields match everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Exact actor.
    pub actor: Option<String>,
    /// Exact action.
    pub action: Option<String>,
    /// Exact record kind.
    pub record_kind: Option<String>,
    /// Exact record id.
    pub record_id: Option<String>,
}

/// A page of audit events, newest first, with the total that match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditPage {
    /// The events on this page.
    pub events: Vec<AuditEvent>,
    /// How many match the filter in all.
    pub total: u64,
}

/// Accounts, their sessions and API tokens, and the audit trail that records who did what.
#[async_trait]
pub trait AccessStore: Send + Sync + 'static {
    /// Stores a new account with its argon2id password hash; audited as `create` by `actor`,
    /// the event's `after` holding every stored field but the hash, and `created_at`, the time
    /// of storing.
    ///
    /// A broken rule of [`Account::validate`] is [`StoreError::Invalid`] (index 0). A taken
    /// email is [`StoreError::Duplicate`] whose `id` is the email address; a taken account id
    /// is one whose `id` is the account id.
    async fn create_account(
        &self,
        account: &Account,
        password_hash: &str,
        actor: &str,
    ) -> Result<(), StoreError>;

    /// Stores `account` under its id: creates it, or replaces its email, name, role, scope,
    /// state and password hash; audited as `create` or `update` (never with the hash).
    async fn put_account(
        &self,
        account: &Account,
        password_hash: &str,
        actor: &str,
    ) -> Result<(), StoreError>;

    /// The account with this id.
    async fn account(&self, id: &AccountId) -> Result<Option<Account>, StoreError>;

    /// The account with this email and its password hash, for signing in.
    async fn account_for_sign_in(
        &self,
        email: &Email,
    ) -> Result<Option<(Account, String)>, StoreError>;

    /// Every account, ordered by email.
    async fn accounts(&self) -> Result<Vec<Account>, StoreError>;

    /// Stores a new session: a sign-in from `client` (its address, kept with the session; its
    /// `last_seen_at` is its `created_at`), audited in the same
    /// transaction as `sign-in` of the account by the account, the event's `after` holding the
    /// client and never the token or its hash. Errors name the session by its account id, never
    /// by its token hash; an account that does not exist is [`StoreError::MissingReference`].
    async fn create_session(&self, session: &NewSession, client: &str) -> Result<(), StoreError>;

    /// The session with this token hash, if it has not expired by `now` and its account is
    /// not disabled.
    async fn session(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<Session>, StoreError>;

    /// Notes that the session with this token hash was used at `at`: its `last_seen_at` moves
    /// on to `at`, never back. Bookkeeping, not a change of record: not audited, and written
    /// outside the audited writers' turn.
    async fn touch_session(&self, token_hash: &str, at: Timestamp) -> Result<(), StoreError>;

    /// The account's sessions that have not expired by `now`, last used first (idle ones
    /// included: the caller knows how long a session may stay unused).
    async fn account_sessions(
        &self,
        account_id: &AccountId,
        now: Timestamp,
    ) -> Result<Vec<AccountSession>, StoreError>;

    /// Ends every session of `account_id` but the one with `kept_hash`, in one transaction with
    /// an `end-other-sessions` event of the account by the account, whose `after` holds the
    /// client and how many were ended; returns how many. When there were none, nothing is
    /// written or audited.
    async fn end_other_sessions(
        &self,
        account_id: &AccountId,
        kept_hash: &str,
        client: &str,
    ) -> Result<u64, StoreError>;

    /// Ends a session: a sign-out from `client`, audited in the same transaction as `sign-out`
    /// of the session's account by the account. Ending one that does not exist is not an error
    /// and is not audited.
    async fn delete_session(&self, token_hash: &str, client: &str) -> Result<(), StoreError>;

    /// Changes an account's password, in one transaction: stores `change.password_hash` for
    /// `change.rotated.account_id`, ends every session of the account (the one it was changed
    /// from, `change.from_session_hash`, included) and starts `change.rotated` in place of that
    /// one, with a `password-change` event of the account by the account whose `after` holds
    /// the client and how many other sessions were ended, never a password, hash or token.
    /// Returns how many other sessions were ended. An account that does not exist is
    /// [`StoreError::NotFound`], and nothing is written.
    async fn change_password(
        &self,
        change: &PasswordChange,
        client: &str,
    ) -> Result<u64, StoreError>;

    /// Stores a new API token by the hash of its secret; audited as `create` by `actor`, the
    /// event's `after` holding every stored field but the hash. A taken id or hash is
    /// [`StoreError::Duplicate`], an account that does not exist
    /// [`StoreError::MissingReference`].
    async fn create_api_token(
        &self,
        token: &ApiToken,
        token_hash: &str,
        actor: &str,
    ) -> Result<(), StoreError>;

    /// An account's API tokens, newest first, revoked ones included.
    async fn api_tokens(&self, account_id: &AccountId) -> Result<Vec<ApiToken>, StoreError>;

    /// The live token with this secret hash and its account: not revoked, not expired by `now`
    /// (it works until just before its `expires_at`), account not disabled.
    async fn api_token_account(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<(ApiToken, Account)>, StoreError>;

    /// Revokes one of `account_id`'s tokens at `at`; audited as `revoke` by `actor`. Returns
    /// false when the account has no such live token.
    async fn revoke_api_token(
        &self,
        id: &TokenId,
        account_id: &AccountId,
        at: Timestamp,
        actor: &str,
    ) -> Result<bool, StoreError>;

    /// Audits a failed sign-in or a lock-out, in a transaction of its own: actor `client` and
    /// the client's address, action `sign-in-failed` or `lock-out`, kind `account` with the
    /// account's id when there is one; `after` holds the client (and for a lock-out what is
    /// locked and for how long), never a password or an email address.
    async fn record_access_event(&self, event: &AccessEvent) -> Result<(), StoreError>;

    /// Audit events matching `filter`, newest first (by sequence), `limit` from `offset`, with
    /// the total that match. `limit` is capped at 500; 0 gives no events, only the total.
    async fn audit_events(
        &self,
        filter: &AuditFilter,
        offset: u64,
        limit: u64,
    ) -> Result<AuditPage, StoreError>;
}
