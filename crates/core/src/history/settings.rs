//! Per-source settings, quiet windows, the flapping filter's state, digests and recorded
//! changes: the statements that read and write them, and their rows as the core's types.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use time::OffsetDateTime;

use super::store::{
    insert_or_ignore, insert_rows, packed, placeholders, Statement, DIGESTS, EXPECTED_INTERVALS, FLAP_STATE,
    QUIET_WINDOWS, SOURCE_SETTINGS, VERDICT_CHANGES,
};
use super::{
    Cadence, ChangeRecord, Channel, DigestSchedule, FlapState, IntervalFrom, Quiet, SizeRule, Window, HOLD_RUNS,
};
use crate::health::Verdict;

fn bad(table: &str, column: &str) -> String {
    format!("a {table} row has no readable {column}")
}

/// A column that may be NULL.
fn opt<'a>(row: &'a Value, column: &str) -> Option<&'a Value> {
    row.get(column).filter(|v| !v.is_null())
}

fn opt_int(row: &Value, table: &str, column: &str) -> Result<Option<i64>, String> {
    opt(row, column).map(|v| v.as_i64().ok_or_else(|| bad(table, column))).transpose()
}

fn opt_text(row: &Value, table: &str, column: &str) -> Result<Option<String>, String> {
    opt(row, column).map(|v| v.as_str().map(str::to_string).ok_or_else(|| bad(table, column))).transpose()
}

fn req<T>(v: Option<T>, table: &str, column: &str) -> Result<T, String> {
    v.ok_or_else(|| bad(table, column))
}

fn opt_instant(row: &Value, table: &str, column: &str) -> Result<Option<OffsetDateTime>, String> {
    opt_int(row, table, column)?
        .map(|t| OffsetDateTime::from_unix_timestamp(t).map_err(|_| bad(table, column)))
        .transpose()
}

fn opt_verdict(row: &Value, table: &str, column: &str) -> Result<Option<Verdict>, String> {
    opt_text(row, table, column)?.map(|v| Verdict::parse(&v).ok_or_else(|| bad(table, column))).transpose()
}

fn secs(t: Option<OffsetDateTime>) -> Value {
    json!(t.map(|t| t.unix_timestamp()))
}

/// What one source is configured with.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceSettings {
    pub label: String,
    pub added: OffsetDateTime,
    pub threshold_secs: Option<u64>,
    /// None when `size_window` is 0 (the check is off); NULL columns take the defaults.
    pub size_rule: Option<SizeRule>,
    /// Runs a verdict must hold ([`HOLD_RUNS`] unless set).
    pub hold_runs: u32,
    pub quiet: Quiet,
    /// IANA name of the zone recurring windows are read in (None: UTC).
    pub time_zone: Option<String>,
}

/// Reads the settings, quiet windows and flap states of every source.
pub fn settings_reads() -> [Statement; 3] {
    let all =
        |t: &str, cols: &[&str]| Statement { sql: format!("SELECT {} FROM {t}", cols.join(", ")), params: Vec::new() };
    [
        all(SOURCE_SETTINGS.name, SOURCE_SETTINGS.columns),
        all(QUIET_WINDOWS.name, QUIET_WINDOWS.columns),
        all(FLAP_STATE.name, FLAP_STATE.columns),
    ]
}

/// What [`settings_reads`] answers, by source.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Configured {
    /// Settings with their quiet windows.
    pub settings: BTreeMap<String, SourceSettings>,
    pub flaps: BTreeMap<String, FlapState>,
}

/// The answers of [`settings_reads`], in order.
pub fn settings_from_rows(settings: &[Value], windows: &[Value], flaps: &[Value]) -> Result<Configured, String> {
    let st = SOURCE_SETTINGS.name;
    let mut out = BTreeMap::new();
    for r in settings {
        let source = req(opt_text(r, st, "source")?, st, "source")?;
        let size = |c: &str| -> Result<Option<u32>, String> {
            opt_int(r, st, c)?.map(|v| u32::try_from(v).map_err(|_| bad(st, c))).transpose()
        };
        let d = SizeRule::default();
        let window = size("size_window")?.unwrap_or(d.window);
        let size_rule = (window > 0).then_some(SizeRule {
            window,
            tolerance_pct: size("size_tolerance_pct")?.unwrap_or(d.tolerance_pct),
            min_points: size("size_min_points")?.unwrap_or(d.min_points),
        });
        let threshold = opt_int(r, st, "threshold_secs")?;
        out.insert(
            source,
            SourceSettings {
                label: opt_text(r, st, "label")?.unwrap_or_default(),
                added: req(opt_instant(r, st, "added_at")?, st, "added_at")?,
                threshold_secs: threshold.and_then(|t| u64::try_from(t).ok()).filter(|t| *t > 0),
                size_rule,
                hold_runs: size("flap_runs")?.filter(|n| *n > 0).unwrap_or(HOLD_RUNS),
                quiet: Quiet { windows: Vec::new(), snooze_until: opt_instant(r, st, "snooze_until")? },
                time_zone: opt_text(r, st, "time_zone")?,
            },
        );
    }
    let qw = QUIET_WINDOWS.name;
    for r in windows {
        let source = req(opt_text(r, qw, "source")?, qw, "source")?;
        let window = match opt_text(r, qw, "cron")? {
            Some(cron) => {
                let duration = req(opt_int(r, qw, "duration_secs")?, qw, "duration_secs")?;
                Window::Recurring {
                    cron,
                    duration_secs: u64::try_from(duration).map_err(|_| bad(qw, "duration_secs"))?,
                }
            }
            None => Window::Once {
                from: req(opt_instant(r, qw, "starts_at")?, qw, "starts_at")?,
                until: req(opt_instant(r, qw, "ends_at")?, qw, "ends_at")?,
            },
        };
        // A window of a source without settings has nothing to keep quiet.
        if let Some(s) = out.get_mut(&source) {
            s.quiet.windows.push(window);
        }
    }
    let fs = FLAP_STATE.name;
    let mut flaps_out = BTreeMap::new();
    for r in flaps {
        let source = req(opt_text(r, fs, "source")?, fs, "source")?;
        let runs = opt_int(r, fs, "pending_runs")?.unwrap_or(0);
        flaps_out.insert(
            source,
            FlapState {
                announced: opt_verdict(r, fs, "announced")?,
                pending: opt_verdict(r, fs, "pending")?,
                pending_runs: u32::try_from(runs).unwrap_or(0),
                pending_since: opt_instant(r, fs, "pending_since")?,
                recorded_quietly: opt_int(r, fs, "recorded_quietly")?.unwrap_or(0) != 0,
            },
        );
    }
    Ok(Configured { settings: out, flaps: flaps_out })
}

/// Takes a source in the first time a run sees it (its `added_at` is that run), and keeps its
/// label current.
pub fn upsert_source(source: &str, label: &str, now: OffsetDateTime) -> Statement {
    let mut all = upsert_sources(&[(source, label)], now);
    all.pop().unwrap_or(Statement { sql: String::new(), params: Vec::new() })
}

/// [`upsert_source`] for every source of a run, packed into as few statements as D1 takes.
pub fn upsert_sources(sources: &[(&str, &str)], now: OffsetDateTime) -> Vec<Statement> {
    let rows: Vec<Vec<Value>> =
        sources.iter().map(|(s, l)| vec![json!(s), json!(l), json!(now.unix_timestamp())]).collect();
    packed(
        &format!("INSERT INTO {} (source, label, added_at) VALUES", SOURCE_SETTINGS.name),
        " ON CONFLICT (source) DO UPDATE SET label = excluded.label",
        3,
        |b| format!("(?{}, ?{}, ?{})", b + 1, b + 2, b + 3),
        &rows,
    )
}

/// Stores the filter's state after a run.
pub fn upsert_flap_state(source: &str, s: &FlapState, now: OffsetDateTime) -> Statement {
    let mut all = upsert_flap_states([(source, s)], now);
    all.pop().unwrap_or(Statement { sql: String::new(), params: Vec::new() })
}

/// [`upsert_flap_state`] for every source of a run, packed into as few statements as D1 takes
/// (each statement counts as a query of the run).
pub fn upsert_flap_states<'a>(
    states: impl IntoIterator<Item = (&'a str, &'a FlapState)>,
    now: OffsetDateTime,
) -> Vec<Statement> {
    let rows: Vec<Vec<Value>> = states
        .into_iter()
        .map(|(source, s)| {
            vec![
                json!(source),
                json!(s.announced.map(Verdict::as_str)),
                json!(s.pending.map(Verdict::as_str)),
                json!(s.pending_runs),
                secs(s.pending_since),
                json!(i32::from(s.recorded_quietly)),
                json!(now.unix_timestamp()),
            ]
        })
        .collect();
    let n = FLAP_STATE.columns.len();
    let head = format!("INSERT OR REPLACE INTO {} ({}) VALUES", FLAP_STATE.name, FLAP_STATE.columns.join(", "));
    packed(&head, "", n, |b| placeholders(b, n), &rows)
}

/// Records a change that held (sent or kept quiet).
pub fn insert_change(c: &ChangeRecord) -> Statement {
    let mut all = insert_changes([c]);
    all.pop().unwrap_or(Statement { sql: String::new(), params: Vec::new() })
}

/// [`insert_change`] for every change of a run, packed into as few statements as D1 takes.
pub fn insert_changes<'a>(changes: impl IntoIterator<Item = &'a ChangeRecord>) -> Vec<Statement> {
    let rows: Vec<Vec<Value>> = changes
        .into_iter()
        .map(|c| {
            vec![
                json!(c.source),
                json!(c.at.unix_timestamp()),
                json!(c.from.map(Verdict::as_str)),
                json!(c.to.as_str()),
                json!(c.reason),
                json!(i32::from(c.announced)),
            ]
        })
        .collect();
    insert_rows(VERDICT_CHANGES, &rows)
}

/// Adds an entry to a source's expected-interval timeline (see [`super::interval_change`]).
pub fn insert_interval(source: &str, i: &IntervalFrom) -> Statement {
    Statement {
        sql: insert_or_ignore(EXPECTED_INTERVALS),
        params: vec![json!(source), json!(i.from.unix_timestamp()), json!(i.every_secs), json!(i.origin)],
    }
}

/// The newest timeline entry of every source, to compare this run's expected interval with.
pub fn latest_intervals_read() -> Statement {
    let t = EXPECTED_INTERVALS.name;
    Statement {
        sql: format!(
            "SELECT {cols} FROM {t} AS e WHERE from_at = (SELECT max(from_at) FROM {t} WHERE source = e.source)",
            cols = EXPECTED_INTERVALS.columns.join(", ")
        ),
        params: Vec::new(),
    }
}

/// The answer of [`latest_intervals_read`]: each source's newest timeline entry.
pub fn latest_intervals_from_rows(rows: &[Value]) -> Result<BTreeMap<String, IntervalFrom>, String> {
    let t = EXPECTED_INTERVALS.name;
    let mut out = BTreeMap::new();
    for r in rows {
        let every =
            opt_int(r, t, "every_secs")?.map(|v| u64::try_from(v).map_err(|_| bad(t, "every_secs"))).transpose()?;
        let interval = IntervalFrom {
            from: req(opt_instant(r, t, "from_at")?, t, "from_at")?,
            every_secs: every,
            origin: req(opt_text(r, t, "origin")?, t, "origin")?,
        };
        out.insert(req(opt_text(r, t, "source")?, t, "source")?, interval);
    }
    Ok(out)
}

/// The changes recorded after `since` (the last digest), for the digest.
pub fn changes_read(since: Option<OffsetDateTime>) -> Statement {
    Statement {
        sql: format!(
            "SELECT {} FROM {} WHERE at > ?1 ORDER BY at",
            VERDICT_CHANGES.columns.join(", "),
            VERDICT_CHANGES.name
        ),
        params: vec![json!(since.map_or(0, |t| t.unix_timestamp()))],
    }
}

pub fn changes_from_rows(rows: &[Value]) -> Result<Vec<ChangeRecord>, String> {
    let t = VERDICT_CHANGES.name;
    rows.iter()
        .map(|r| {
            Ok(ChangeRecord {
                source: req(opt_text(r, t, "source")?, t, "source")?,
                at: req(opt_instant(r, t, "at")?, t, "at")?,
                from: opt_verdict(r, t, "from_verdict")?,
                to: req(opt_verdict(r, t, "to_verdict")?, t, "to_verdict")?,
                reason: opt_text(r, t, "reason")?.unwrap_or_default(),
                announced: opt_int(r, t, "announced")?.unwrap_or(1) != 0,
            })
        })
        .collect()
}

/// One channel's row in `digests`. The worker's `DIGEST` setting is the configuration: every run
/// rewrites the rows from it ([`super::DigestSetting::upserts`]); a row's own state is only the
/// period it last sent and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DigestConfig {
    pub name: String,
    pub schedule: DigestSchedule,
    /// IANA zone name; the worker turns it into a [`super::Zone`].
    pub time_zone: String,
    pub channel: Channel,
    /// The worker secret holding the channel's URL.
    pub target_secret: String,
    /// The worker secret holding the webhook's signing secret or ntfy's access token.
    pub token_secret: Option<String>,
    pub last_period: Option<String>,
    pub last_sent_at: Option<OffsetDateTime>,
}

pub fn digests_read() -> Statement {
    Statement { sql: format!("SELECT {} FROM {}", DIGESTS.columns.join(", "), DIGESTS.name), params: Vec::new() }
}

pub fn digests_from_rows(rows: &[Value]) -> Result<Vec<DigestConfig>, String> {
    let t = DIGESTS.name;
    rows.iter()
        .map(|r| {
            let name = req(opt_text(r, t, "name")?, t, "name")?;
            let at = |e: String| format!("digest {name:?}: {e}");
            let cadence = match req(opt_text(r, t, "cadence")?, t, "cadence")?.as_str() {
                "daily" => Cadence::Daily,
                "weekly" => Cadence::Weekly,
                other => return Err(at(format!("{other:?} is not daily or weekly"))),
            };
            let small = |c: &str| -> Result<Option<u8>, String> {
                opt_int(r, t, c)?.map(|v| u8::try_from(v).map_err(|_| bad(t, c))).transpose()
            };
            let schedule =
                DigestSchedule { cadence, weekday: small("weekday")?, hour: req(small("hour")?, t, "hour")? };
            schedule.validate().map_err(at)?;
            Ok(DigestConfig {
                schedule,
                time_zone: req(opt_text(r, t, "time_zone")?, t, "time_zone")?,
                channel: Channel::parse(&req(opt_text(r, t, "channel")?, t, "channel")?).map_err(at)?,
                target_secret: req(opt_text(r, t, "target_secret")?, t, "target_secret")?,
                token_secret: opt_text(r, t, "token_secret")?,
                last_period: opt_text(r, t, "last_period")?,
                last_sent_at: opt_instant(r, t, "last_sent_at")?,
                name,
            })
        })
        .collect()
}
