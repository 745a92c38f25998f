-- Sessions end after a spell unused as well as at their expiry: each keeps when it was last
-- used (UTC text with six fractional digits, as every instant here), which the server moves on
-- at most once a minute, and the address it was started from, which the account's own
-- sessions page shows so that a person can tell their devices apart.
--
-- Sessions started before this migration were last seen, as far as anyone knows, when they
-- were made, and their client was not kept. Portable as 0001–0011 are: TEXT only.
ALTER TABLE sessions ADD COLUMN last_seen_at TEXT NOT NULL DEFAULT '';
UPDATE sessions SET last_seen_at = created_at;
ALTER TABLE sessions ADD COLUMN client TEXT;
