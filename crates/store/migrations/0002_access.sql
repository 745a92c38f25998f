-- Accounts, their sessions and API tokens, and record-level audit. Portable as 0001 is: TEXT and
-- BIGINT only. Timestamps are UTC text with exactly six fractional digits
-- (`2026-11-25T09:30:00.000000Z`), so text order is time order on both backends.

-- People who sign in. `scope_id` names a provider, worker or person but is deliberately not a
-- foreign key: replacing the market deletes and re-creates the register, and accounts outlive
-- that (an account whose scope has gone simply sees nothing).
CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    scope_kind TEXT NOT NULL,
    scope_id TEXT,
    password_hash TEXT NOT NULL,
    disabled BIGINT NOT NULL CHECK (disabled IN (0, 1)),
    created_at TEXT NOT NULL
);

-- Browser sessions, by the hash of the cookie's token.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

-- API tokens for machine clients, by the hash of their secret; revoked ones are kept.
CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

CREATE INDEX sessions_by_account ON sessions (account_id);
CREATE INDEX api_tokens_by_account ON api_tokens (account_id, created_at);

-- Record-level audit: which record changed, and its stored fields before and after as JSON
-- objects. Batch events (import, replace-market) leave all three NULL.
ALTER TABLE audit_events ADD COLUMN record_id TEXT;
ALTER TABLE audit_events ADD COLUMN before_json TEXT;
ALTER TABLE audit_events ADD COLUMN after_json TEXT;

-- The audit log's filters, newest first within each.
CREATE INDEX audit_events_by_record ON audit_events (record_kind, record_id, sequence);
CREATE INDEX audit_events_by_actor ON audit_events (actor, sequence);
CREATE INDEX audit_events_by_action ON audit_events (action, sequence);
