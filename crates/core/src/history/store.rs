//! The D1 tables of the history, declared once beside `worker/migrations/0002_history.sql`
//! (a test checks that both name the same columns), and the statements the worker runs, so
//! the SQL lives in one place and the worker only binds and sends it.

use serde_json::{json, Value};
use time::OffsetDateTime;

use super::{day_text, Recording};
use crate::health::Verdict;

/// A table and its columns, in the migration's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [&'static str],
}

pub const RUNS: Table = Table { name: "runs", columns: &["at", "sources", "unreachable"] };
pub const RESTORE_POINTS: Table =
    Table { name: "restore_points", columns: &["source", "backup_id", "completed_at", "size_bytes", "seen_at"] };
pub const ATTEMPTS: Table = Table { name: "attempts", columns: &["source", "backup_id", "at", "status"] };
pub const SOURCE_DAYS: Table = Table {
    name: "source_days",
    columns: &["source", "day", "first_run_at", "last_run_at", "runs", "worst_verdict", "last_verdict"],
};
pub const VERDICT_CHANGES: Table =
    Table { name: "verdict_changes", columns: &["source", "at", "from_verdict", "to_verdict", "reason", "announced"] };
pub const SOURCE_SETTINGS: Table = Table {
    name: "source_settings",
    columns: &[
        "source",
        "label",
        "added_at",
        "threshold_secs",
        "size_window",
        "size_tolerance_pct",
        "size_min_points",
        "flap_runs",
        "snooze_until",
        "time_zone",
    ],
};
pub const EXPECTED_INTERVALS: Table =
    Table { name: "expected_intervals", columns: &["source", "from_at", "every_secs", "origin"] };
pub const QUIET_WINDOWS: Table = Table {
    name: "quiet_windows",
    columns: &["id", "source", "starts_at", "ends_at", "cron", "duration_secs", "note"],
};
pub const FLAP_STATE: Table = Table {
    name: "flap_state",
    columns: &["source", "announced", "pending", "pending_runs", "pending_since", "recorded_quietly", "updated_at"],
};
pub const DIGESTS: Table = Table {
    name: "digests",
    columns: &[
        "name",
        "cadence",
        "weekday",
        "hour",
        "time_zone",
        "channel",
        "target_secret",
        "token_secret",
        "last_period",
        "last_sent_at",
    ],
};

/// Every table of the migration.
pub const TABLES: [Table; 10] = [
    RUNS,
    RESTORE_POINTS,
    ATTEMPTS,
    SOURCE_DAYS,
    VERDICT_CHANGES,
    SOURCE_SETTINGS,
    EXPECTED_INTERVALS,
    QUIET_WINDOWS,
    FLAP_STATE,
    DIGESTS,
];

/// One SQL statement with its parameters (`?1`, `?2`, … in order), for D1's `prepare().bind()`.
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    pub sql: String,
    pub params: Vec<Value>,
}

/// D1 binds at most 100 parameters to one statement.
pub const MAX_PARAMS: usize = 100;

/// `(?b+1, …, ?b+n)`: one row's placeholders after `b` bound ones.
pub(super) fn placeholders(b: usize, n: usize) -> String {
    format!("({})", (b + 1..=b + n).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", "))
}

fn insert_head(table: Table) -> String {
    format!("INSERT OR IGNORE INTO {} ({}) VALUES", table.name, table.columns.join(", "))
}

/// `INSERT OR IGNORE INTO t (all columns) VALUES (?1, …)`: a row already there stays as it is.
pub fn insert_or_ignore(table: Table) -> String {
    format!("{} {}", insert_head(table), placeholders(0, table.columns.len()))
}

/// Rows of one shape in as few statements as D1 takes: `head`, one `group(b)` per row (its
/// placeholders after `b` bound ones), `tail`; each statement binds at most [`MAX_PARAMS`].
/// A batch's statements each count as a query, so a run's rows go in a few statements.
pub fn packed(
    head: &str,
    tail: &str,
    width: usize,
    group: impl Fn(usize) -> String,
    rows: &[Vec<Value>],
) -> Vec<Statement> {
    let per = (MAX_PARAMS / width.max(1)).max(1);
    rows.chunks(per)
        .map(|chunk| {
            let groups: Vec<String> = (0..chunk.len()).map(|i| group(i * width)).collect();
            Statement { sql: format!("{head} {}{tail}", groups.join(", ")), params: chunk.concat() }
        })
        .collect()
}

/// Rows of a table, each binding every column, as packed `INSERT OR IGNORE`s.
pub(super) fn insert_rows(table: Table, rows: &[Vec<Value>]) -> Vec<Statement> {
    let n = table.columns.len();
    packed(&insert_head(table), "", n, |b| placeholders(b, n), rows)
}

fn unix(t: OffsetDateTime) -> Value {
    json!(t.unix_timestamp())
}

/// Verdicts in ascending order as one string, so SQL can rank a verdict by `instr` (its
/// position grows with its severity).
fn verdict_ranks() -> String {
    Verdict::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(" ")
}

/// Folds a run into its source's day: the first and last run, the number of runs (counted when
/// newer than the last one, so a repeated run is not counted twice), the worst and the latest
/// verdict.
pub fn upsert_source_day() -> String {
    let (head, tail) = source_day_parts();
    format!("{head} {}{tail}", source_day_group(0))
}

/// One day row after `b` bound values: source, day, the run's time and its verdict.
fn source_day_group(b: usize) -> String {
    format!("(?{s}, ?{d}, ?{t}, ?{t}, 1, ?{v}, ?{v})", s = b + 1, d = b + 2, t = b + 3, v = b + 4)
}

fn source_day_parts() -> (String, String) {
    let ranks = verdict_ranks();
    let head = format!("INSERT INTO {} ({}) VALUES", SOURCE_DAYS.name, SOURCE_DAYS.columns.join(", "));
    let tail = format!(
        " ON CONFLICT (source, day) DO UPDATE SET \
         runs = runs + (excluded.last_run_at > last_run_at), \
         first_run_at = min(first_run_at, excluded.first_run_at), \
         last_verdict = CASE WHEN excluded.last_run_at >= last_run_at THEN excluded.last_verdict ELSE last_verdict END, \
         worst_verdict = CASE WHEN instr('{ranks}', excluded.worst_verdict) > instr('{ranks}', worst_verdict) \
         THEN excluded.worst_verdict ELSE worst_verdict END, \
         last_run_at = max(last_run_at, excluded.last_run_at)"
    );
    (head, tail)
}

impl Recording {
    /// The statements that store this recording, run as one D1 batch: the rows of each table
    /// packed into as few statements as D1 takes.
    pub fn statements(&self) -> Vec<Statement> {
        let points: Vec<Vec<Value>> = self
            .points
            .iter()
            .map(|p| vec![json!(p.source), json!(p.backup_id), unix(p.completed), json!(p.size_bytes), unix(p.seen)])
            .collect();
        let attempts: Vec<Vec<Value>> = self
            .attempts
            .iter()
            .map(|a| vec![json!(a.source), json!(a.backup_id), unix(a.at), json!(a.status.as_str())])
            .collect();
        let days: Vec<Vec<Value>> = self
            .days
            .iter()
            .map(|d| vec![json!(d.source), json!(day_text(d.day)), unix(d.at), json!(d.verdict.as_str())])
            .collect();
        let (head, tail) = source_day_parts();
        let mut out = insert_rows(RESTORE_POINTS, &points);
        out.extend(insert_rows(ATTEMPTS, &attempts));
        out.extend(packed(&head, &tail, 4, source_day_group, &days));
        out
    }
}

/// The run itself, keyed by its scheduled time.
pub fn run_statement(at: OffsetDateTime, sources: usize, unreachable: usize) -> Statement {
    Statement { sql: insert_or_ignore(RUNS), params: vec![unix(at), json!(sources), json!(unreachable)] }
}

/// Deletes what is older than the retention cutoff (see [`super::Retention::cutoff`]).
pub fn retention_statements(cutoff: OffsetDateTime) -> Vec<Statement> {
    let c = unix(cutoff);
    let del = |table: Table, column: &str, value: Value| Statement {
        sql: format!("DELETE FROM {} WHERE {column} < ?1", table.name),
        params: vec![value],
    };
    vec![
        del(RUNS, "at", c.clone()),
        del(RESTORE_POINTS, "completed_at", c.clone()),
        del(ATTEMPTS, "at", c.clone()),
        del(SOURCE_DAYS, "day", json!(day_text(super::utc_day(cutoff)))),
        del(VERDICT_CHANGES, "at", c),
    ]
}

/// Claims a digest period before sending: changes one row only if the period was not claimed
/// yet, so of two overlapping runs exactly one sees `changes == 1` and sends.
pub fn claim_digest(name: &str, period: &str, now: OffsetDateTime) -> Statement {
    Statement {
        sql: format!(
            "UPDATE {} SET last_period = ?2, last_sent_at = ?3 WHERE name = ?1 AND (last_period IS NULL OR last_period <> ?2)",
            DIGESTS.name
        ),
        params: vec![json!(name), json!(period), unix(now)],
    }
}

/// Gives a claimed period back when its message could not be sent, so the next run tries
/// again: restores the previous period only if this run's claim is still the stored one.
pub fn unclaim_digest(
    name: &str,
    period: &str,
    previous: Option<&str>,
    previous_sent: Option<OffsetDateTime>,
) -> Statement {
    Statement {
        sql: format!(
            "UPDATE {} SET last_period = ?3, last_sent_at = ?4 WHERE name = ?1 AND last_period = ?2",
            DIGESTS.name
        ),
        params: vec![json!(name), json!(period), json!(previous), json!(previous_sent.map(|t| t.unix_timestamp()))],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIGRATION: &str = include_str!("../../../../worker/migrations/0002_history.sql");

    /// (table, columns) of each CREATE TABLE in the migration, in order.
    fn migration_tables() -> Vec<(String, Vec<String>)> {
        let mut out = Vec::new();
        let mut current: Option<(String, Vec<String>)> = None;
        for line in MIGRATION.lines().map(str::trim) {
            if let Some(rest) = line.strip_prefix("CREATE TABLE IF NOT EXISTS ") {
                let name = rest.split_whitespace().next().unwrap_or_default().to_string();
                current = Some((name, Vec::new()));
            } else if line.starts_with(");") {
                out.extend(current.take());
            } else if let Some((_, cols)) = current.as_mut() {
                let first = line.split_whitespace().next().unwrap_or_default();
                let constraint = ["PRIMARY", "UNIQUE", "CHECK", "OR", "FOREIGN", "CONSTRAINT", "--"]
                    .iter()
                    .any(|k| first.starts_with(k));
                if !first.is_empty() && !constraint {
                    cols.push(first.to_string());
                }
            }
        }
        out
    }

    #[test]
    fn the_migration_and_the_core_name_the_same_tables_and_columns() {
        let migration = migration_tables();
        let declared: Vec<(String, Vec<String>)> =
            TABLES.iter().map(|t| (t.name.to_string(), t.columns.iter().map(|c| c.to_string()).collect())).collect();
        assert_eq!(migration, declared);
    }

    #[test]
    fn rows_are_packed_within_the_parameter_limit() {
        use crate::history::{DayVerdict, RestorePoint};
        use time::macros::{date, datetime};
        let t = datetime!(2026-12-01 10:00 UTC);
        let rec = Recording {
            points: (0..21)
                .map(|i| RestorePoint {
                    source: "s".into(),
                    backup_id: format!("b{i}"),
                    completed: t,
                    size_bytes: None,
                    seen: t,
                })
                .collect(),
            attempts: Vec::new(),
            days: (0..50)
                .map(|i| DayVerdict {
                    source: format!("s{i}"),
                    day: date!(2026 - 12 - 01),
                    at: t,
                    verdict: Verdict::Healthy,
                })
                .collect(),
        };
        let st = rec.statements();
        // 21 points of 5 values: 20 + 1; 50 days of 4 values: 25 + 25.
        let rows: Vec<usize> = st.iter().map(|s| s.sql.matches("(?").count()).collect();
        assert_eq!(rows, [20, 1, 25, 25]);
        assert!(st.iter().all(|s| s.params.len() <= MAX_PARAMS));
        assert!(st[0].sql.ends_with("(?96, ?97, ?98, ?99, ?100)"), "{}", st[0].sql);
        assert!(st[3].sql.contains("(?97, ?98, ?99, ?99, 1, ?100, ?100) ON CONFLICT (source, day)"), "{}", st[3].sql);
        assert_eq!(st[3].params.len(), 100);
        assert_eq!(st[1].sql, insert_or_ignore(RESTORE_POINTS));
        let sources: Vec<(String, String)> = (0..34).map(|i| (format!("s{i}"), format!("l{i}"))).collect();
        let refs: Vec<(&str, &str)> = sources.iter().map(|(s, l)| (s.as_str(), l.as_str())).collect();
        let ups = crate::history::upsert_sources(&refs, t);
        assert_eq!(ups.iter().map(|s| s.params.len()).collect::<Vec<_>>(), [99, 3]);
        assert_eq!(ups[1].sql, crate::history::upsert_source("s33", "l33", t).sql);
    }

    #[test]
    fn inserts_bind_one_value_per_column() {
        use crate::history::{Attempt, DayVerdict, RestorePoint};
        use time::macros::{date, datetime};
        let t = datetime!(2026-12-01 10:00 UTC);
        let rec = Recording {
            points: vec![RestorePoint {
                source: "s".into(),
                backup_id: "b".into(),
                completed: t,
                size_bytes: Some(5),
                seen: t,
            }],
            attempts: vec![Attempt { source: "s".into(), backup_id: "f".into(), at: t, status: crate::Status::Failed }],
            days: vec![DayVerdict { source: "s".into(), day: date!(2026 - 12 - 01), at: t, verdict: Verdict::Warning }],
        };
        let st = rec.statements();
        assert_eq!(st.len(), 3);
        assert_eq!(
            st[0].sql,
            "INSERT OR IGNORE INTO restore_points (source, backup_id, completed_at, size_bytes, seen_at) \
             VALUES (?1, ?2, ?3, ?4, ?5)"
        );
        assert_eq!(st[0].params, vec![json!("s"), json!("b"), json!(1_796_119_200), json!(5), json!(1_796_119_200)]);
        assert_eq!(st[1].params.len(), ATTEMPTS.columns.len());
        assert_eq!(st[2].params, vec![json!("s"), json!("2026-12-01"), json!(1_796_119_200), json!("warning")]);
        assert!(st[2].sql.contains("instr('healthy unknown warning failing', excluded.worst_verdict)"));
        let run = run_statement(t, 3, 1);
        assert_eq!(run.params.len(), RUNS.columns.len());
        let back = unclaim_digest("d", "2026-12-01", Some("2026-11-30"), None);
        assert_eq!(back.params, vec![json!("d"), json!("2026-12-01"), json!("2026-11-30"), Value::Null]);
    }
}
