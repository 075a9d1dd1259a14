-- A team's workspace: its connections (tokens sealed), members and their roles, API keys
-- (hashed) and the audit log. Instants are Unix milliseconds. The column lists are mirrored in
-- crates/core/src/workspace/schema.rs, whose test reads this file.

-- One account at one provider. `settings` is the connection's JSON without its token; the token
-- is only ever here sealed (v1.<kid>.<nonce>.<ciphertext>, AES-256-GCM, bound to `id`), and
-- `key_id` names the key that sealed it, so a rotation finds the rows still under an old key.
CREATE TABLE connections (
  id TEXT PRIMARY KEY,
  provider TEXT NOT NULL CHECK (provider IN ('serveravatar', 'northflank', 'mittwald')),
  label TEXT NOT NULL,
  settings TEXT NOT NULL,
  token_sealed TEXT NOT NULL CHECK (token_sealed LIKE 'v1.%'),
  key_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX connections_key_id ON connections (key_id);

-- People, known by the email Cloudflare Access asserts (lower-cased).
CREATE TABLE members (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE CHECK (email = lower(email) AND email LIKE '%_@_%'),
  role TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
  added_at INTEGER NOT NULL,
  added_by TEXT NOT NULL
);

-- Personal API keys for scripts: only the SHA-256 of the key (bbk_<id>_<secret>) is kept.
-- A revoked key keeps its row, with the time it was revoked.
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  hash TEXT NOT NULL CHECK (length(hash) = 64),
  role TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
  owner TEXT NOT NULL,
  label TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);

-- Every action: who, how they signed in, with which role, on which connection and backup,
-- what, how it ended (status: the HTTP status, none when denied) and when. Ids and names only:
-- never a token, a key or a body.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  who TEXT NOT NULL,
  via TEXT NOT NULL CHECK (via IN ('access', 'key', 'anonymous')),
  key_id TEXT,
  role TEXT CHECK (role IS NULL OR role IN ('viewer', 'operator', 'admin')),
  connection_id TEXT,
  backup_id TEXT,
  action TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'denied', 'failed')),
  status INTEGER
);
-- Retention deletes by time (DELETE FROM audit_log WHERE at < ?), and the log reads newest first.
CREATE INDEX audit_log_at ON audit_log (at);
