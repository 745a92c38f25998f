-- API tokens expire: each works only before its `expires_at` (UTC text with six fractional
-- digits, as every instant here), which the person making it chooses up to a maximum.
--
-- Tokens made before this migration had no expiry, and any of them may have been made by
-- another token (the API let a token make tokens), which nothing recorded. They expire at
-- once: `expires_at` is their creation time, so the tokens page lists them as expired and
-- their owners make new ones, signed in. Portable as 0001–0009 are: TEXT only, no date
-- arithmetic.
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT NOT NULL DEFAULT '';
UPDATE api_tokens SET expires_at = created_at;
