//! What a run reads back from the store: the statements (tied to the tables of `store`) and
//! the rows D1 answers (`results`, one JSON object per row) turned into [`Stored`] and into
//! each source's compliance [`Evidence`].

use std::collections::BTreeMap;

use serde_json::{json, Value};
use time::{Date, OffsetDateTime};

use super::store::{Statement, ATTEMPTS, EXPECTED_INTERVALS, RESTORE_POINTS, SOURCE_DAYS, SOURCE_SETTINGS};
use super::{day_start, day_text, parse_day, Evidence, IntervalFrom, Stored};

fn row_err(table: &str, column: &str) -> String {
    format!("a {table} row has no readable {column}")
}

fn text(row: &Value, table: &str, column: &str) -> Result<String, String> {
    row.get(column).and_then(Value::as_str).map(str::to_string).ok_or_else(|| row_err(table, column))
}

fn int(row: &Value, table: &str, column: &str) -> Result<i64, String> {
    row.get(column).and_then(Value::as_i64).ok_or_else(|| row_err(table, column))
}

fn instant(row: &Value, table: &str, column: &str) -> Result<OffsetDateTime, String> {
    OffsetDateTime::from_unix_timestamp(int(row, table, column)?).map_err(|_| row_err(table, column))
}

// ---------------------------------------------------------------------------------------------
// Before recording: the keys stored since the lookback.

/// Four reads: restore point keys and attempt keys dated at or after `since`, and the newest
/// stored restore point and attempt of each source. Both are asked per known source (every
/// recorded source has its settings row), so each source is a range or one step down the
/// `(source, time)` index instead of a scan of the whole history (`CROSS JOIN` keeps SQLite from
/// scanning the history and looking the sources up instead).
pub fn stored_reads(since: OffsetDateTime) -> [Statement; 4] {
    let keys = |table: &str, column: &str| Statement {
        sql: format!(
            "SELECT t.source AS source, t.backup_id AS backup_id FROM {} AS s \
             CROSS JOIN {table} AS t ON t.source = s.source AND t.{column} >= ?1",
            SOURCE_SETTINGS.name
        ),
        params: vec![json!(since.unix_timestamp())],
    };
    let newest = |table: &str, column: &str| Statement {
        sql: format!(
            "SELECT source, (SELECT max({column}) FROM {table} WHERE source = s.source) AS newest FROM {} AS s",
            SOURCE_SETTINGS.name
        ),
        params: Vec::new(),
    };
    [
        keys(RESTORE_POINTS.name, "completed_at"),
        keys(ATTEMPTS.name, "at"),
        newest(RESTORE_POINTS.name, "completed_at"),
        newest(ATTEMPTS.name, "at"),
    ]
}

/// The answers of [`stored_reads`], in order.
pub fn stored_from_rows(since: OffsetDateTime, answers: &[Vec<Value>; 4]) -> Result<Stored, String> {
    let keys = |rows: &[Value], table: &str| -> Result<_, String> {
        rows.iter().map(|r| Ok((text(r, table, "source")?, text(r, table, "backup_id")?))).collect()
    };
    // A source with nothing stored in the table answers NULL.
    let newest = |rows: &[Value], table: &str| -> Result<_, String> {
        rows.iter()
            .filter(|r| !r.get("newest").is_some_and(Value::is_null))
            .map(|r| Ok((text(r, table, "source")?, instant(r, table, "newest")?)))
            .collect()
    };
    Ok(Stored {
        since: Some(since),
        points: keys(&answers[0], RESTORE_POINTS.name)?,
        attempts: keys(&answers[1], ATTEMPTS.name)?,
        newest_point: newest(&answers[2], RESTORE_POINTS.name)?,
        newest_attempt: newest(&answers[3], ATTEMPTS.name)?,
    })
}

// ---------------------------------------------------------------------------------------------
// For compliance: everything about the days `from..=to`.

/// How far before the first day failed attempts are read: one lookback, so a gap that began
/// before the first day can still be explained by its failure.
const FAILURES_BEFORE_DAYS: i64 = super::LOOKBACK_DAYS;

/// Six reads for the UTC days `from..=to`: restore points in them, the newest one before them
/// per source (the age at the first moment), failed attempts, the days with a run, the
/// expected interval timelines and when each source was added.
pub fn evidence_reads(from: Date, to: Date) -> [Statement; 6] {
    let start = day_start(from).unix_timestamp();
    let end = to.next_day().map_or(i64::MAX, |d| day_start(d).unix_timestamp());
    let rp = RESTORE_POINTS.name;
    [
        Statement {
            sql: format!("SELECT source, completed_at FROM {rp} WHERE completed_at >= ?1 AND completed_at < ?2"),
            params: vec![json!(start), json!(end)],
        },
        Statement {
            sql: format!(
                "SELECT source, max(completed_at) AS completed_at FROM {rp} WHERE completed_at < ?1 GROUP BY source"
            ),
            params: vec![json!(start)],
        },
        Statement {
            sql: format!("SELECT source, at FROM {} WHERE status = 'failed' AND at >= ?1 AND at < ?2", ATTEMPTS.name),
            params: vec![json!(start - FAILURES_BEFORE_DAYS * 86_400), json!(end)],
        },
        Statement {
            sql: format!("SELECT source, day FROM {} WHERE day >= ?1 AND day <= ?2", SOURCE_DAYS.name),
            params: vec![json!(day_text(from)), json!(day_text(to))],
        },
        Statement {
            sql: format!("SELECT {} FROM {}", EXPECTED_INTERVALS.columns.join(", "), EXPECTED_INTERVALS.name),
            params: Vec::new(),
        },
        Statement { sql: format!("SELECT source, added_at FROM {}", SOURCE_SETTINGS.name), params: Vec::new() },
    ]
}

/// One source's rows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SourceRows {
    pub added: Option<OffsetDateTime>,
    pub intervals: Vec<IntervalFrom>,
    pub points: Vec<OffsetDateTime>,
    pub failures: Vec<OffsetDateTime>,
    pub covered: Vec<Date>,
}

impl SourceRows {
    /// The evidence as of `observed_until` (the latest run); None for a source never added.
    pub fn evidence(&self, observed_until: OffsetDateTime) -> Option<Evidence<'_>> {
        Some(Evidence {
            added: self.added?,
            intervals: &self.intervals,
            points: &self.points,
            failures: &self.failures,
            covered: &self.covered,
            observed_until,
        })
    }
}

/// The answers of [`evidence_reads`], in order, grouped by source key.
pub fn evidence_from_rows(answers: &[Vec<Value>; 6]) -> Result<BTreeMap<String, SourceRows>, String> {
    let mut out: BTreeMap<String, SourceRows> = BTreeMap::new();
    let rp = RESTORE_POINTS.name;
    for row in answers[0].iter().chain(&answers[1]) {
        // `max()` over no row is NULL: no restore point before the first day.
        if row.get("completed_at").is_some_and(Value::is_null) {
            continue;
        }
        out.entry(text(row, rp, "source")?).or_default().points.push(instant(row, rp, "completed_at")?);
    }
    for row in &answers[2] {
        out.entry(text(row, ATTEMPTS.name, "source")?).or_default().failures.push(instant(row, ATTEMPTS.name, "at")?);
    }
    for row in &answers[3] {
        let day = parse_day(&text(row, SOURCE_DAYS.name, "day")?)?;
        out.entry(text(row, SOURCE_DAYS.name, "source")?).or_default().covered.push(day);
    }
    let ei = EXPECTED_INTERVALS.name;
    for row in &answers[4] {
        let every_secs = match row.get("every_secs") {
            None | Some(Value::Null) => None,
            Some(v) => Some(v.as_u64().ok_or_else(|| row_err(ei, "every_secs"))?),
        };
        let interval =
            IntervalFrom { from: instant(row, ei, "from_at")?, every_secs, origin: text(row, ei, "origin")? };
        out.entry(text(row, ei, "source")?).or_default().intervals.push(interval);
    }
    for row in &answers[5] {
        out.entry(text(row, SOURCE_SETTINGS.name, "source")?).or_default().added =
            Some(instant(row, SOURCE_SETTINGS.name, "added_at")?);
    }
    for rows in out.values_mut() {
        rows.points.sort();
        rows.failures.sort();
        rows.covered.sort();
        rows.covered.dedup();
        rows.intervals.sort_by_key(|i| i.from);
    }
    Ok(out)
}
