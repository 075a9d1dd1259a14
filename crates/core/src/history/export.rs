//! The evidence for people and programs: the query of `/api/v1/sources/{key}/history` and
//! `/api/v1/compliance`, and their JSON and CSV (the report page exports the same).

use serde_json::{json, Value};
use time::{Date, Duration, OffsetDateTime};

use super::store::{Statement, RESTORE_POINTS, RUNS};
use super::{day_start, day_text, parse_day, Day, Ratio, RestorePoint, Retention};
use crate::de::format_rfc3339;
use crate::edge::csv_field;

/// A range of UTC days, both ends included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    pub from: Date,
    pub to: Date,
}

impl Range {
    /// Days in the range.
    pub fn len(&self) -> i64 {
        (self.to - self.from).whole_days() + 1
    }

    pub fn is_empty(&self) -> bool {
        self.to < self.from
    }
}

/// The history query: `from` and `to` as `YYYY-MM-DD` (UTC days). Without `to`, today; without
/// `from`, 30 days up to `to`. At most [`Retention::MAX_DAYS`] days.
pub fn range_from_query(pairs: &[(String, String)], today: Date) -> Result<Range, String> {
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let to = get("to").map(|v| parse_day(v).map_err(|e| format!("to: {e}"))).transpose()?.unwrap_or(today);
    let from = match get("from") {
        Some(v) => parse_day(v).map_err(|e| format!("from: {e}"))?,
        None => to.checked_sub(Duration::days(29)).unwrap_or(Date::MIN),
    };
    let range = Range { from, to };
    if range.is_empty() {
        return Err(format!("from ({}) is after to ({})", day_text(from), day_text(to)));
    }
    if range.len() > i64::from(Retention::MAX_DAYS) {
        return Err(format!("a range is at most {} days, not {}", Retention::MAX_DAYS, range.len()));
    }
    Ok(range)
}

/// The compliance query: `days` from 1 to [`Retention::MAX_DAYS`], 90 when absent.
pub fn days_from_query(pairs: &[(String, String)]) -> Result<u32, String> {
    match pairs.iter().find(|(k, _)| k == "days") {
        None => Ok(90),
        Some((_, v)) => match v.trim().parse::<u32>() {
            Ok(d) if (1..=Retention::MAX_DAYS).contains(&d) => Ok(d),
            _ => Err(format!("days must be a whole number from 1 to {}, not {v:?}", Retention::MAX_DAYS)),
        },
    }
}

/// The latest run: compliance judges nothing after it.
pub fn last_run_read() -> Statement {
    Statement { sql: format!("SELECT max(at) AS at FROM {}", RUNS.name), params: Vec::new() }
}

/// The answer of [`last_run_read`]; None before the first run.
pub fn last_run_from_rows(rows: &[Value]) -> Result<Option<OffsetDateTime>, String> {
    match rows.first().and_then(|r| r.get("at")) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_i64()
            .and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok())
            .map(Some)
            .ok_or_else(|| format!("a {} row has no readable at", RUNS.name)),
    }
}

/// A source's restore points within a range, for its history.
pub fn points_read(source: &str, range: Range) -> Statement {
    let end = range.to.next_day().map_or(i64::MAX, |d| day_start(d).unix_timestamp());
    Statement {
        sql: format!(
            "SELECT {} FROM {} WHERE source = ?1 AND completed_at >= ?2 AND completed_at < ?3 ORDER BY completed_at",
            RESTORE_POINTS.columns.join(", "),
            RESTORE_POINTS.name
        ),
        params: vec![json!(source), json!(day_start(range.from).unix_timestamp()), json!(end)],
    }
}

pub fn points_from_rows(rows: &[Value]) -> Result<Vec<RestorePoint>, String> {
    let t = RESTORE_POINTS.name;
    let bad = |c: &str| format!("a {t} row has no readable {c}");
    let at = |r: &Value, c: &str| {
        r.get(c).and_then(Value::as_i64).and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok()).ok_or_else(|| bad(c))
    };
    let text = |r: &Value, c: &str| r.get(c).and_then(Value::as_str).map(str::to_string).ok_or_else(|| bad(c));
    rows.iter()
        .map(|r| {
            Ok(RestorePoint {
                source: text(r, "source")?,
                backup_id: text(r, "backup_id")?,
                completed: at(r, "completed_at")?,
                size_bytes: r.get("size_bytes").and_then(Value::as_u64),
                seen: at(r, "seen_at")?,
            })
        })
        .collect()
}

/// `GET /api/v1/sources/{key}/history` as JSON: the days, their totals and the restore points.
pub fn history_json(source: &str, range: Range, days: &[Day], points: &[RestorePoint]) -> Value {
    json!({
        "source": source,
        "from": day_text(range.from),
        "to": day_text(range.to),
        "summary": Ratio::of(days),
        "days": days,
        "restore_points": points,
    })
}

pub const DAYS_CSV_HEADER: &str = "source,date,status,restore_points,failures,longest_secs,allowed_secs,text";

/// Days of one or more sources as CSV (the strip, the report page's export).
pub fn days_csv(sources: &[(&str, &[Day])]) -> String {
    let mut out = format!("{DAYS_CSV_HEADER}\r\n");
    let n = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
    for (source, days) in sources {
        for d in *days {
            let row = [
                source.to_string(),
                day_text(d.date),
                d.status.as_str().to_string(),
                d.restore_points.to_string(),
                d.failures.to_string(),
                n(d.longest_secs),
                n(d.allowed_secs),
                d.text.clone(),
            ];
            out.push_str(&row.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
            out.push_str("\r\n");
        }
    }
    out
}

pub const POINTS_CSV_HEADER: &str = "source,backup_id,completed,size_bytes,seen";

pub fn points_csv(points: &[RestorePoint]) -> String {
    let mut out = format!("{POINTS_CSV_HEADER}\r\n");
    for p in points {
        let row = [
            p.source.clone(),
            p.backup_id.clone(),
            format_rfc3339(p.completed),
            p.size_bytes.map(|s| s.to_string()).unwrap_or_default(),
            format_rfc3339(p.seen),
        ];
        out.push_str(&row.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

/// One source's compliance over the asked days.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceCompliance {
    pub key: String,
    pub label: String,
    pub ratio: Ratio,
}

/// `GET /api/v1/compliance?days=` as JSON.
pub fn compliance_json(days: u32, to: Date, sources: &[SourceCompliance]) -> Value {
    let list: Vec<Value> = sources
        .iter()
        .map(|s| {
            json!({"key": s.key, "label": s.label, "percent": s.ratio.percent, "met": s.ratio.met,
            "missed": s.ratio.missed, "failed": s.ratio.failed, "no_data": s.ratio.no_data})
        })
        .collect();
    json!({ "days": days, "to": day_text(to), "sources": list })
}

pub const COMPLIANCE_CSV_HEADER: &str = "source,label,days,met,missed,failed,no_data,percent";

pub fn compliance_csv(days: u32, sources: &[SourceCompliance]) -> String {
    let mut out = format!("{COMPLIANCE_CSV_HEADER}\r\n");
    for s in sources {
        let r = &s.ratio;
        let row = [
            s.key.clone(),
            s.label.clone(),
            days.to_string(),
            r.met.to_string(),
            r.missed.to_string(),
            r.failed.to_string(),
            r.no_data.to_string(),
            r.percent.map(|p| format!("{p:.1}")).unwrap_or_default(),
        ];
        out.push_str(&row.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}
