//! RPO compliance per source and day: was there, at every moment of the day, a restore point
//! recent enough? Days are UTC days: evidence meant for audits must not shift with the reader's
//! zone, and a UTC day is always 24 hours, so percentages compare across DST changes. The
//! digest and the SPA may label them in local words; the cells stay UTC.

use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime};

use super::{day_start, day_text, utc_day};
use crate::health::{duration_words, Expected, Policy};

/// One day of one source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayStatus {
    /// The newest restore point was never older than allowed.
    Met,
    /// The newest restore point was older than allowed, with no failed attempt since it.
    Missed,
    /// Older than allowed, and attempts failed since the last restore point.
    Failed,
    /// Nothing to judge: before the source was added, no run covered the day, the day has not
    /// come, or nothing is expected of the source.
    NoData,
}

impl DayStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DayStatus::Met => "met",
            DayStatus::Missed => "missed",
            DayStatus::Failed => "failed",
            DayStatus::NoData => "no data",
        }
    }
}

/// From `from` on, a restore point is expected every `every_secs` (None: nothing is expected).
/// A source's expectation over time is a list of these; the store adds one when it changes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntervalFrom {
    #[serde(with = "time::serde::rfc3339")]
    pub from: OffsetDateTime,
    pub every_secs: Option<u64>,
    /// `threshold`, `schedules` or a provider's slug ([`crate::health::ExpectedFrom::as_str`]);
    /// `none` when nothing is expected.
    pub origin: String,
}

/// The entry to add to a source's timeline at `now`, if its expected interval changed since
/// `last` (the newest entry stored).
pub fn interval_change(
    last: Option<&IntervalFrom>,
    expected: Option<&Expected>,
    now: OffsetDateTime,
) -> Option<IntervalFrom> {
    let every_secs = expected.map(|e| e.every_secs);
    let origin = expected.map_or("none", |e| e.from.as_str()).to_string();
    let changed = match last {
        Some(l) => l.every_secs != every_secs || l.origin != origin,
        None => true,
    };
    changed.then_some(IntervalFrom { from: now, every_secs, origin })
}

/// Everything known about one source, for [`days`].
#[derive(Clone, Copy, Debug)]
pub struct Evidence<'a> {
    /// When the source was first watched; earlier days are [`DayStatus::NoData`].
    pub added: OffsetDateTime,
    /// Its expected interval over time, in any order.
    pub intervals: &'a [IntervalFrom],
    /// Completion times of its restore points, in any order.
    pub points: &'a [OffsetDateTime],
    /// Times of its failed attempts.
    pub failures: &'a [OffsetDateTime],
    /// The UTC days on which at least one run judged it.
    pub covered: &'a [Date],
    /// The latest run: nothing after it is judged.
    pub observed_until: OffsetDateTime,
}

/// How late is still met: a restore point may be this many expected intervals old. The
/// default is health's `warn_factor` (1.5), so a day is missed exactly when the source would
/// have shown overdue at some moment of it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    pub tolerance: f64,
}

impl Default for Rule {
    fn default() -> Self {
        Self { tolerance: Policy::default().warn_factor }
    }
}

impl Rule {
    pub fn from_policy(policy: &Policy) -> Self {
        Self { tolerance: policy.warn_factor }
    }

    fn allowed(&self, every_secs: u64) -> u64 {
        let t = if self.tolerance.is_finite() && self.tolerance > 0.0 { self.tolerance } else { 1.0 };
        (every_secs as f64 * t).ceil() as u64
    }
}

/// Why a day has no data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoData {
    BeforeAdded,
    NoRun,
    NotYet,
    NoExpectation,
}

/// One cell of the strip: a day, its status, and what it is based on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Day {
    #[serde(with = "super::day_serde")]
    pub date: Date,
    pub status: DayStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_data: Option<NoData>,
    /// Restore points completed that day.
    pub restore_points: u32,
    /// Failed attempts that day.
    pub failures: u32,
    /// The oldest the newest restore point got during the judged part of the day (None: there
    /// was none at all).
    pub longest_secs: Option<u64>,
    /// What was allowed at that moment.
    pub allowed_secs: Option<u64>,
    /// The cell in words, its text alternative.
    pub text: String,
}

fn secs(d: Duration) -> u64 {
    u64::try_from(d.whole_seconds()).unwrap_or(0)
}

/// The worst age of the newest restore point over `[s, e]`, and the restore point the worst gap
/// started from (None: no restore point before it). None when the age is unbounded.
fn worst_age(points: &[OffsetDateTime], s: OffsetDateTime, e: OffsetDateTime) -> (Option<u64>, Option<OffsetDateTime>) {
    let last_at_or_before = |t: OffsetDateTime| {
        let i = points.partition_point(|p| *p <= t);
        i.checked_sub(1).map(|i| points[i])
    };
    let mut worst: (Option<u64>, Option<OffsetDateTime>) = match last_at_or_before(s) {
        Some(p) => (Some(secs(s - p)), Some(p)),
        None => return (None, None),
    };
    let mut consider = |age: u64, from: OffsetDateTime| {
        if worst.0.is_some_and(|w| age > w) {
            worst = (Some(age), Some(from));
        }
    };
    let start = points.partition_point(|p| *p <= s);
    let end = points.partition_point(|p| *p <= e);
    for i in start..end {
        // Just before points[i], the newest was points[i - 1] (i >= 1: points[start - 1] <= s).
        let prev = points[i - 1];
        consider(secs(points[i] - prev), prev);
    }
    if let Some(p) = last_at_or_before(e) {
        consider(secs(e - p), p);
    }
    worst
}

/// The expected interval in force at `t`.
fn interval_at(intervals: &[IntervalFrom], t: OffsetDateTime) -> Option<u64> {
    intervals.iter().filter(|i| i.from <= t).max_by_key(|i| i.from).and_then(|i| i.every_secs)
}

fn cell(date: Date, status: DayStatus, no_data: Option<NoData>) -> Day {
    Day {
        date,
        status,
        no_data,
        restore_points: 0,
        failures: 0,
        longest_secs: None,
        allowed_secs: None,
        text: String::new(),
    }
}

fn judge_day(e: &Evidence, points: &[OffsetDateTime], date: Date, rule: &Rule) -> Day {
    let start = day_start(date);
    let end = start + Duration::DAY;
    let in_day = |t: &&OffsetDateTime| **t >= start && **t < end;
    let mut day = if date < utc_day(e.added) {
        cell(date, DayStatus::NoData, Some(NoData::BeforeAdded))
    } else if date > utc_day(e.observed_until) {
        cell(date, DayStatus::NoData, Some(NoData::NotYet))
    } else if !e.covered.contains(&date) || e.added.max(start) >= e.observed_until.min(end) {
        cell(date, DayStatus::NoData, Some(NoData::NoRun))
    } else {
        judge_span(e, points, date, e.added.max(start), e.observed_until.min(end), rule)
    };
    day.restore_points = points.iter().filter(in_day).count() as u32;
    day.failures = e.failures.iter().filter(in_day).count() as u32;
    day.text = words(&day);
    day
}

/// Judges `[a, b]`, split where the expected interval changes.
fn judge_span(
    e: &Evidence,
    points: &[OffsetDateTime],
    date: Date,
    a: OffsetDateTime,
    b: OffsetDateTime,
    rule: &Rule,
) -> Day {
    let mut cuts: Vec<OffsetDateTime> = e.intervals.iter().map(|i| i.from).filter(|t| *t > a && *t < b).collect();
    cuts.sort();
    cuts.dedup();
    let mut bounds = vec![a];
    bounds.extend(cuts);
    bounds.push(b);
    let mut judged = false;
    let mut breach: Option<Option<OffsetDateTime>> = None;
    let (mut longest, mut allowed_at_longest): (Option<u64>, Option<u64>) = (Some(0), None);
    // The largest overshoot decides which age and allowance the cell reports.
    let mut overshoot: Option<f64> = None;
    for w in bounds.windows(2) {
        let Some(every) = interval_at(e.intervals, w[0]) else { continue };
        judged = true;
        let allowed = rule.allowed(every);
        let (age, from) = worst_age(points, w[0], w[1]);
        let ratio = age.map_or(f64::INFINITY, |a| a as f64 / allowed.max(1) as f64);
        if overshoot.is_none_or(|o| ratio > o) {
            overshoot = Some(ratio);
            longest = age;
            allowed_at_longest = Some(allowed);
        }
        if age.is_none_or(|a| a > allowed) && breach.is_none() {
            breach = Some(from);
        }
    }
    if !judged {
        return cell(date, DayStatus::NoData, Some(NoData::NoExpectation));
    }
    let status = match breach {
        None => DayStatus::Met,
        // Failed when an attempt failed after the restore point the gap started from.
        Some(from) => {
            if e.failures.iter().any(|f| from.is_none_or(|p| *f > p) && *f <= b) {
                DayStatus::Failed
            } else {
                DayStatus::Missed
            }
        }
    };
    let mut day = cell(date, status, None);
    day.longest_secs = longest;
    day.allowed_secs = allowed_at_longest;
    day
}

fn plural(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "2026-12-01: missed, no restore point for 2 d (allowed 1 d 12 h); 1 failed attempt".
fn words(d: &Day) -> String {
    let mut parts: Vec<String> = Vec::new();
    match (d.status, d.no_data) {
        (DayStatus::NoData, why) => parts.push(
            match why {
                Some(NoData::BeforeAdded) => "no data, before the source was added",
                Some(NoData::NotYet) => "no data yet",
                Some(NoData::NoExpectation) => "no data, nothing says how often backups should happen",
                _ => "no data, no check ran",
            }
            .into(),
        ),
        (status, _) => {
            let allowed = d.allowed_secs.map(|a| format!(" (allowed {})", duration_words(a))).unwrap_or_default();
            let age = match d.longest_secs {
                Some(s) => format!("restore points at most {} old{allowed}", duration_words(s)),
                None => "no restore point at all".to_string(),
            };
            let age = match status {
                DayStatus::Met => age,
                _ => match d.longest_secs {
                    Some(s) => format!("no restore point for {}{allowed}", duration_words(s)),
                    None => age,
                },
            };
            parts.push(format!("{}, {age}", status.as_str()));
        }
    }
    if d.restore_points > 0 {
        parts.push(plural(d.restore_points, "restore point", "restore points"));
    }
    if d.failures > 0 {
        parts.push(plural(d.failures, "failed attempt", "failed attempts"));
    }
    format!("{}: {}", day_text(d.date), parts.join("; "))
}

/// One cell per UTC day from `from` to `to`, both included, oldest first.
pub fn days(e: &Evidence, from: Date, to: Date, rule: &Rule) -> Vec<Day> {
    let mut points: Vec<OffsetDateTime> = e.points.to_vec();
    points.sort();
    let mut out = Vec::new();
    let mut date = from;
    while date <= to {
        out.push(judge_day(e, &points, date, rule));
        match date.next_day() {
            Some(d) => date = d,
            None => break,
        }
    }
    out
}

/// The counts of a run of days, and met ÷ days with data.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Ratio {
    pub days: u32,
    pub met: u32,
    pub missed: u32,
    pub failed: u32,
    pub no_data: u32,
    /// Percent to one decimal; None when no day has data.
    pub percent: Option<f64>,
}

impl Ratio {
    pub fn of(days: &[Day]) -> Self {
        let mut r = Ratio { days: days.len() as u32, ..Ratio::default() };
        for d in days {
            match d.status {
                DayStatus::Met => r.met += 1,
                DayStatus::Missed => r.missed += 1,
                DayStatus::Failed => r.failed += 1,
                DayStatus::NoData => r.no_data += 1,
            }
        }
        let with_data = r.met + r.missed + r.failed;
        r.percent = (with_data > 0).then(|| (u64::from(r.met) * 1000 / u64::from(with_data)) as f64 / 10.0);
        r
    }

    /// "94.1% (80 of 85 days; 3 missed, 2 failed, 5 without data)".
    pub fn words(&self) -> String {
        let Some(p) = self.percent else { return format!("no data for {}", plural(self.days, "day", "days")) };
        let with_data = self.met + self.missed + self.failed;
        let mut extra = Vec::new();
        if self.missed > 0 {
            extra.push(format!("{} missed", self.missed));
        }
        if self.failed > 0 {
            extra.push(format!("{} failed", self.failed));
        }
        if self.no_data > 0 {
            extra.push(format!("{} without data", self.no_data));
        }
        let extra = if extra.is_empty() { String::new() } else { format!("; {}", extra.join(", ")) };
        format!("{p:.1}% ({} of {}{extra})", self.met, plural(with_data, "day", "days"))
    }
}

/// The 7, 30 and 90-day ratios and the 90 cells they are computed from (oldest first, the
/// last one `today`): the SPA's strip and the digest read the same cells.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Compliance {
    pub last_7: Ratio,
    pub last_30: Ratio,
    pub last_90: Ratio,
    pub strip: Vec<Day>,
    /// The whole strip in words, for screen readers and the digest.
    pub text: String,
}

pub const STRIP_DAYS: usize = 90;

/// The first day of the strip ending `today` (what the worker reads evidence from).
pub fn strip_first(today: Date) -> Date {
    today.checked_sub(Duration::days(STRIP_DAYS as i64 - 1)).unwrap_or(Date::MIN)
}

pub fn compliance(e: &Evidence, today: Date, rule: &Rule) -> Compliance {
    Compliance::of_strip(days(e, strip_first(today), today, rule))
}

impl Compliance {
    /// The figures of a strip already judged (oldest first, the last cell today): the worker's
    /// recorded days as the SPA reads them, or the days of [`compliance`].
    pub fn of_strip(strip: Vec<Day>) -> Self {
        let tail = |n: usize| Ratio::of(&strip[strip.len().saturating_sub(n)..]);
        let (last_7, last_30, last_90) = (tail(7), tail(30), tail(90));
        let text = format!(
            "Last 90 days: {}. Last 30 days: {}. Last 7 days: {}.",
            last_90.words(),
            last_30.words(),
            last_7.words()
        );
        Compliance { last_7, last_30, last_90, strip, text }
    }
}
