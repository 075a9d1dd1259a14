-- Backup history, compliance evidence, quiet periods and digests (backboard_core::history).
-- Times are Unix seconds (UTC), days are 'YYYY-MM-DD' (UTC), verdicts are health's words.
-- The column lists are declared once more in backboard_core::history::store, and a test there
-- checks that both agree. Every insert the cron makes is idempotent (INSERT OR IGNORE, or an
-- upsert that keeps the larger values), so a repeated or overlapping run records nothing twice.

-- One row per cron run, keyed by its scheduled time.
CREATE TABLE IF NOT EXISTS runs (
  at INTEGER PRIMARY KEY,
  sources INTEGER NOT NULL,
  unreachable INTEGER NOT NULL
);

-- Completed backups, as evidence that a source could be restored to that time.
CREATE TABLE IF NOT EXISTS restore_points (
  source TEXT NOT NULL,
  backup_id TEXT NOT NULL,
  completed_at INTEGER NOT NULL,
  size_bytes INTEGER,
  seen_at INTEGER NOT NULL,
  PRIMARY KEY (source, backup_id)
);
CREATE INDEX IF NOT EXISTS restore_points_by_time ON restore_points (source, completed_at);

-- Failed and aborted backup attempts.
CREATE TABLE IF NOT EXISTS attempts (
  source TEXT NOT NULL,
  backup_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('failed', 'aborted')),
  PRIMARY KEY (source, backup_id)
);
CREATE INDEX IF NOT EXISTS attempts_by_time ON attempts (source, at);

-- One row per source and UTC day that a run covered: which days have data at all.
CREATE TABLE IF NOT EXISTS source_days (
  source TEXT NOT NULL,
  day TEXT NOT NULL,
  first_run_at INTEGER NOT NULL,
  last_run_at INTEGER NOT NULL,
  runs INTEGER NOT NULL,
  worst_verdict TEXT NOT NULL,
  last_verdict TEXT NOT NULL,
  PRIMARY KEY (source, day)
);

-- Verdict changes that held (after the flapping filter), sent or kept quiet.
CREATE TABLE IF NOT EXISTS verdict_changes (
  source TEXT NOT NULL,
  at INTEGER NOT NULL,
  from_verdict TEXT,
  to_verdict TEXT NOT NULL,
  reason TEXT NOT NULL,
  announced INTEGER NOT NULL,
  PRIMARY KEY (source, at)
);

-- Per-source settings; NULL means the default. time_zone (IANA) is where recurring maintenance
-- windows are read; NULL is UTC.
CREATE TABLE IF NOT EXISTS source_settings (
  source TEXT PRIMARY KEY,
  label TEXT NOT NULL,
  added_at INTEGER NOT NULL,
  threshold_secs INTEGER,
  size_window INTEGER,
  size_tolerance_pct INTEGER,
  size_min_points INTEGER,
  flap_runs INTEGER,
  snooze_until INTEGER,
  time_zone TEXT
);

-- The expected interval of each source over time: from this instant on, every so many seconds
-- (NULL: nothing expected). A new row is added only when the interval changes.
CREATE TABLE IF NOT EXISTS expected_intervals (
  source TEXT NOT NULL,
  from_at INTEGER NOT NULL,
  every_secs INTEGER,
  origin TEXT NOT NULL,
  PRIMARY KEY (source, from_at)
);

-- Maintenance windows: one-off (starts_at .. ends_at) or recurring (a cron line in the source's
-- time zone, lasting duration_secs from each run).
CREATE TABLE IF NOT EXISTS quiet_windows (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  source TEXT NOT NULL,
  starts_at INTEGER,
  ends_at INTEGER,
  cron TEXT,
  duration_secs INTEGER,
  note TEXT NOT NULL DEFAULT '',
  CHECK ((starts_at IS NOT NULL AND ends_at IS NOT NULL AND cron IS NULL)
      OR (cron IS NOT NULL AND duration_secs IS NOT NULL AND starts_at IS NULL))
);
CREATE INDEX IF NOT EXISTS quiet_windows_by_source ON quiet_windows (source);

-- The flapping filter's state per source: what was announced last, a verdict waiting to hold,
-- and whether that one was already recorded during a quiet period.
CREATE TABLE IF NOT EXISTS flap_state (
  source TEXT PRIMARY KEY,
  announced TEXT,
  pending TEXT,
  pending_runs INTEGER NOT NULL,
  pending_since INTEGER,
  recorded_quietly INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL
);

-- Digests: when (local hour in an IANA zone, daily or weekly), where (a channel kind, the name
-- of the worker secret holding its URL, and of the one holding the webhook's signing secret or
-- ntfy's access token), and the last period sent.
CREATE TABLE IF NOT EXISTS digests (
  name TEXT PRIMARY KEY,
  cadence TEXT NOT NULL CHECK (cadence IN ('daily', 'weekly')),
  weekday INTEGER CHECK (weekday BETWEEN 0 AND 6),
  hour INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),
  time_zone TEXT NOT NULL,
  channel TEXT NOT NULL,
  target_secret TEXT NOT NULL,
  token_secret TEXT,
  last_period TEXT,
  last_sent_at INTEGER
);
