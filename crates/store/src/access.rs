//! Records of sign-in and accountability: sessions, API tokens and the audit trail.
//!
//! Secrets are never stored: sessions and API tokens are kept by the SHA-256 hash of their
//! token, which the web layer computes, and passwords by their argon2id hash. Neither hash is
//! ever put in the audit trail.
//!
//! Instants are stored as UTC text to the microsecond (`2026-11-25T09:30:00.123456Z`), so an
//! instant read back is the one written truncated to the microsecond.

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
    /// When it was last used, as far as [`crate::Store::touch_session`] was told.
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
