//! Backup health: one verdict per source (healthy, unknown, warning, failing) with its reasons in
//! words, as pure functions of (backups, expectations, now, policy). The SPA's cards, the worker's
//! `/api/v1/backups/health` and the webhook cron all read the same [`SourceHealth`].
//!
//! What a source is expected to do comes from the provider's schedules (Northflank schedule
//! objects, mittwald cron strings, ServerAvatar presets) or from a threshold the user sets, which
//! overrides them. Without either, only failures, stuck operations and expiry are judged.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::cron::{longest_gap, Cadence};
use crate::error::Error;
use crate::model::{Backup, Source, Status};
use crate::provider::Provider;
use crate::providers::ScheduleSpec;

const MINUTE: u64 = 60;
const HOUR: u64 = 3600;
const DAY: u64 = 86_400;

// ---------------------------------------------------------------------------------------------
// Verdicts, reasons, policy

/// Ordered from best to worst so the overall verdict is `max`. Unknown sits below Warning: a
/// source that cannot be seen must never hide another one that is known to be failing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Healthy,
    Unknown,
    Warning,
    Failing,
}

impl Verdict {
    pub const ALL: [Verdict; 4] = [Verdict::Healthy, Verdict::Unknown, Verdict::Warning, Verdict::Failing];

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Healthy => "healthy",
            Verdict::Unknown => "unknown",
            Verdict::Warning => "warning",
            Verdict::Failing => "failing",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Verdict::ALL.into_iter().find(|v| v.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The machine-readable part of a reason (stable: monitors and the SPA match on it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonCode {
    /// The provider could not be asked.
    ListingFailed,
    /// The listing is empty.
    NoBackups,
    /// Backups exist, but none has completed.
    NeverCompleted,
    /// Completed backups exist, but none carries a date.
    Undated,
    /// Every completed backup has expired.
    AllExpired,
    /// The newest completed backup is older than the policy allows.
    Overdue,
    /// The newest completed backup is recent enough (informational).
    Fresh,
    /// Nothing says how often backups should happen (informational).
    NoExpectation,
    /// The newest completed backup expires soon and no newer one will replace it in time.
    ExpiringSoon,
    /// The last attempts all failed.
    ConsecutiveFailures,
    /// Failed or aborted attempts within the window.
    RecentFailures,
    /// A backup, export or restore has been running for too long.
    Stuck,
    /// A status Backboard does not know (informational).
    UnrecognizedStatus,
    /// A configured schedule could not be read (informational).
    UnreadableSchedule,
}

/// One reason: its code, how bad it is alone, and the words for people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub code: ReasonCode,
    pub severity: Verdict,
    pub text: String,
}

impl Reason {
    fn new(code: ReasonCode, severity: Verdict, text: impl Into<String>) -> Self {
        Self { code, severity, text: text.into() }
    }
}

/// The reasons to show at first: every kind of reason, but at most `per_code` of each (a
/// source with thousands of stuck backups would otherwise list thousands of lines). Returns the
/// indices to show, in order, and how many are left out.
pub fn brief(reasons: &[Reason], per_code: usize) -> (Vec<usize>, usize) {
    let mut seen: Vec<(ReasonCode, usize)> = Vec::new();
    let shown: Vec<usize> = (0..reasons.len())
        .filter(|&i| {
            let code = reasons[i].code;
            match seen.iter_mut().find(|(c, _)| *c == code) {
                Some((_, n)) => {
                    *n += 1;
                    *n <= per_code
                }
                None => {
                    seen.push((code, 1));
                    per_code > 0
                }
            }
        })
        .collect();
    let hidden = reasons.len() - shown.len();
    (shown, hidden)
}

/// The thresholds. Durations are whole seconds so a policy can live in JSON configuration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Policy {
    /// Warning once the newest completed backup is older than this many expected intervals.
    /// 1.5: a backup that is merely a little late (slow run, provider queue) is not news, but
    /// half an interval late means at least one run is missing.
    pub warn_factor: f64,
    /// Failing beyond this many intervals. 3: two runs in a row are missing, which no queue
    /// explains.
    pub fail_factor: f64,
    /// Failures and aborts count within this window (7 days: a week covers every schedule up to
    /// weekly, and a failure older than that is history).
    pub failure_window_secs: u64,
    /// Failing when this many of the newest attempts failed in a row (0 turns it off). 2: one
    /// failure may be a hiccup the next run fixes (the window already warns about it); two in a
    /// row is a pattern. Aborts do not count: they are usually someone's decision.
    pub failing_streak: u32,
    /// Warn when the newest completed backup expires within this time (3 days: time to notice
    /// and take or keep a backup by hand, even over a weekend).
    pub expiring_within_secs: u64,
    /// A backup, export or restore running longer than this is stuck (6 hours: far beyond any
    /// normal run, short enough to be noticed the same day).
    pub stuck_after_secs: u64,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            warn_factor: 1.5,
            fail_factor: 3.0,
            failure_window_secs: 7 * DAY,
            failing_streak: 2,
            expiring_within_secs: 3 * DAY,
            stuck_after_secs: 6 * HOUR,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Expectations (input)

/// Which operation is in progress.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Operation {
    Backup,
    Export,
    Restore,
}

impl Operation {
    fn word(self) -> &'static str {
        match self {
            Operation::Backup => "backup",
            Operation::Export => "export",
            Operation::Restore => "restore",
        }
    }
}

/// When the caller first saw an operation running. mittwald's exports and restores carry no
/// start time, so only a caller that remembers (the cron, the SPA's session) can tell how long
/// they have been running; without a sighting they count as running but are never called stuck.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sighting {
    pub backup_id: String,
    pub operation: Operation,
    #[serde(with = "time::serde::rfc3339")]
    pub since: OffsetDateTime,
}

/// What is known about one source beyond its backups.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Expectation {
    pub provider: Provider,
    pub source: Source,
    /// The user's own expected interval; overrides every schedule. 0 counts as unset.
    #[serde(default)]
    pub threshold_secs: Option<u64>,
    /// The provider's schedules for this source. When empty, the schedules Northflank
    /// destination backups carry are used.
    #[serde(default)]
    pub schedules: Vec<ScheduleSpec>,
    #[serde(default)]
    pub running_since: Vec<Sighting>,
}

impl Expectation {
    pub fn new(provider: Provider, source: Source) -> Self {
        Self { provider, source, threshold_secs: None, schedules: Vec::new(), running_since: Vec::new() }
    }

    pub fn key(&self) -> String {
        source_key(self.provider, &self.source)
    }
}

/// The identity of a source across listings: provider, kind and id (the label may change).
pub fn source_key(provider: Provider, source: &Source) -> String {
    format!("{}:{}:{}", provider.slug(), source.kind, source.id)
}

// ---------------------------------------------------------------------------------------------
// Output

/// Where the expected interval came from. In JSON: `threshold`, `schedules` or the provider's slug.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpectedFrom {
    /// The user's threshold.
    Threshold,
    /// Schedules of one provider.
    Provider(Provider),
    /// Schedules of more than one kind.
    Schedules,
}

impl ExpectedFrom {
    pub fn as_str(self) -> &'static str {
        match self {
            ExpectedFrom::Threshold => "threshold",
            ExpectedFrom::Provider(p) => p.slug(),
            ExpectedFrom::Schedules => "schedules",
        }
    }
}

impl Serialize for ExpectedFrom {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ExpectedFrom {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let provider = Provider::ALL.into_iter().find(|p| p.slug() == s);
        match (s.as_str(), provider) {
            ("threshold", _) => Ok(ExpectedFrom::Threshold),
            ("schedules", _) => Ok(ExpectedFrom::Schedules),
            (_, Some(p)) => Ok(ExpectedFrom::Provider(p)),
            _ => Err(serde::de::Error::custom(format!("unknown origin {s:?}"))),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expected {
    /// The longest time between two expected backups.
    pub every_secs: u64,
    /// `every_secs` in words ("1 h").
    pub every: String,
    pub from: ExpectedFrom,
    /// The schedules in words, or "your threshold".
    pub description: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastGood {
    pub id: String,
    pub name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub completed: OffsetDateTime,
    pub age_secs: u64,
    /// `age_secs` in words.
    pub age: String,
    #[serde(with = "time::serde::rfc3339::option")]
    pub expires: Option<OffsetDateTime>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub total: usize,
    pub completed: usize,
    pub failed_in_window: usize,
    pub aborted_in_window: usize,
    /// Backups, exports and restores in progress (scheduled backups included).
    pub running: usize,
    pub stuck: usize,
    /// Expired by status, or completed with an expiry in the past.
    pub expired: usize,
    /// Statuses Backboard does not know.
    pub unrecognized: usize,
}

/// One point of the size-over-time chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SizePoint {
    #[serde(with = "time::serde::rfc3339")]
    pub time: OffsetDateTime,
    pub bytes: u64,
}

/// The health of one source: what a card shows and what the JSON endpoint serves.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SourceHealth {
    /// [`source_key`].
    pub key: String,
    pub provider: Provider,
    pub kind: String,
    pub id: String,
    pub label: String,
    pub verdict: Verdict,
    /// Worst first; the first one is the headline.
    pub reasons: Vec<Reason>,
    pub last_good: Option<LastGood>,
    pub expected: Option<Expected>,
    pub counts: Counts,
    /// Completed backups with a size and a date, oldest first.
    pub sizes: Vec<SizePoint>,
}

impl SourceHealth {
    /// The words of the worst reason.
    pub fn headline(&self) -> &str {
        self.reasons.first().map(|r| r.text.as_str()).unwrap_or("")
    }

    fn empty(provider: Provider, source: &Source) -> Self {
        Self {
            key: source_key(provider, source),
            provider,
            kind: source.kind.clone(),
            id: source.id.clone(),
            label: source.label.clone(),
            verdict: Verdict::Unknown,
            reasons: Vec::new(),
            last_good: None,
            expected: None,
            counts: Counts::default(),
            sizes: Vec::new(),
        }
    }
}

/// The health of a source whose listing failed: Unknown, with the error in words.
pub fn unreachable(provider: Provider, source: &Source, error: &Error) -> SourceHealth {
    let mut h = SourceHealth::empty(provider, source);
    h.reasons.push(Reason::new(
        ReasonCode::ListingFailed,
        Verdict::Unknown,
        format!("could not list backups: {error}"),
    ));
    h
}

/// The worst verdict; Unknown when there is nothing to judge.
pub fn worst(sources: &[SourceHealth]) -> Verdict {
    sources.iter().map(|s| s.verdict).max().unwrap_or(Verdict::Unknown)
}

// ---------------------------------------------------------------------------------------------
// Durations in words

/// 187 200 -> "2 d 4 h", 2700 -> "45 min", 3600 -> "1 h", 5400 -> "1 h 30 min", 20 -> "20 s".
/// Two units at most, rounded down: enough to read at a glance.
pub fn duration_words(secs: u64) -> String {
    let (d, h, m) = (secs / DAY, secs % DAY / HOUR, secs % HOUR / MINUTE);
    if d > 0 {
        if h > 0 {
            format!("{d} d {h} h")
        } else {
            format!("{d} d")
        }
    } else if h > 0 {
        if m > 0 {
            format!("{h} h {m} min")
        } else {
            format!("{h} h")
        }
    } else if m > 0 {
        format!("{m} min")
    } else {
        format!("{secs} s")
    }
}

fn seconds(secs: u64) -> time::Duration {
    time::Duration::seconds(i64::try_from(secs).unwrap_or(i64::MAX))
}

/// Seconds from `a` to `b`, 0 when `b` is not after `a` (clock skew never gives negative ages).
fn secs_between(a: OffsetDateTime, b: OffsetDateTime) -> u64 {
    u64::try_from((b - a).whole_seconds()).unwrap_or(0)
}

// ---------------------------------------------------------------------------------------------
// Expected intervals from schedules

/// The expected interval of several schedules together, and the ones that could not be read.
/// Calendar schedules (cron, Northflank) are merged exactly; a ServerAvatar preset counts from
/// its own start time, so it is combined by taking the shortest interval.
pub fn expected_interval(schedules: &[ScheduleSpec]) -> (Option<Expected>, Vec<ScheduleSpec>) {
    let mut calendar = Vec::new();
    let mut fixed: Option<u64> = None;
    let mut used: Vec<&ScheduleSpec> = Vec::new();
    let mut unreadable = Vec::new();
    for s in schedules {
        match s.cadence() {
            Some(Cadence::Calendar(cron)) => calendar.push(cron),
            Some(Cadence::Every(secs)) => fixed = Some(fixed.map_or(secs, |f| f.min(secs))),
            None => {
                unreadable.push(s.clone());
                continue;
            }
        }
        used.push(s);
    }
    let every = match (longest_gap(&calendar), fixed) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => match a.or(b) {
            Some(x) => x,
            None => return (None, unreadable),
        },
    };
    let from = match used.first() {
        Some(first) if used.iter().all(|s| s.provider() == first.provider()) => {
            ExpectedFrom::Provider(first.provider())
        }
        _ => ExpectedFrom::Schedules,
    };
    let description = used.iter().map(|s| s.in_words()).collect::<Vec<_>>().join("; ");
    (Some(Expected { every_secs: every, every: duration_words(every), from, description }), unreadable)
}

/// Northflank destination backups carry the schedules they were taken for. A destination can
/// hold several addons, so the newest backup of each addon speaks for that addon; older backups
/// may carry schedules since deleted.
fn schedules_from_backups(backups: &[&Backup]) -> Vec<ScheduleSpec> {
    let mut newest: Vec<(String, Option<OffsetDateTime>, Vec<ScheduleSpec>)> = Vec::new();
    for b in backups {
        let Some((addon, schedules)) = b.details.carried_schedules() else { continue };
        let when = b.created.or(b.completed);
        match newest.iter_mut().find(|(a, _, _)| *a == addon) {
            Some(entry) if when > entry.1 => *entry = (addon, when, schedules),
            Some(_) => {}
            None => newest.push((addon, when, schedules)),
        }
    }
    let mut out: Vec<ScheduleSpec> = Vec::new();
    for (_, _, schedules) in newest {
        for spec in schedules {
            if !out.contains(&spec) {
                out.push(spec);
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Operations in progress

/// A backup, export or restore that is under way.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InProgress {
    pub backup_id: String,
    pub backup_name: String,
    pub operation: Operation,
    /// The backup's creation for backups; for exports and restores only a [`Sighting`] knows.
    #[serde(with = "time::serde::rfc3339::option")]
    pub started: Option<OffsetDateTime>,
    /// Scheduled or queued, not started yet.
    pub waiting: bool,
}

/// Everything under way in these backups (so a caller can remember first sightings).
pub fn in_progress(backups: &[Backup]) -> Vec<InProgress> {
    backups.iter().flat_map(|b| operations(b, &[])).collect()
}

fn operations(b: &Backup, sightings: &[Sighting]) -> Vec<InProgress> {
    let seen =
        |op: Operation| sightings.iter().filter(|s| s.backup_id == b.id && s.operation == op).map(|s| s.since).min();
    let mut out = Vec::new();
    let mut push = |operation: Operation, started: Option<OffsetDateTime>, waiting: bool| {
        out.push(InProgress { backup_id: b.id.clone(), backup_name: b.name.clone(), operation, started, waiting });
    };
    if matches!(b.status, Status::Running | Status::Scheduled) {
        push(Operation::Backup, b.created.or_else(|| seen(Operation::Backup)), b.status == Status::Scheduled);
    }
    if b.details.export_running() {
        push(Operation::Export, seen(Operation::Export), false);
    }
    if b.details.restore_running() {
        push(Operation::Restore, seen(Operation::Restore), false);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/// One [`SourceHealth`] per source that has backups or an expectation, sorted by provider,
/// label and key. Expectations for the same key after the first are ignored.
pub fn evaluate(
    backups: &[Backup],
    expectations: &[Expectation],
    now: OffsetDateTime,
    policy: &Policy,
) -> Vec<SourceHealth> {
    evaluate_with_failures(backups, &[], expectations, now, policy)
}

/// A source whose listing failed, for [`evaluate_with_failures`].
#[derive(Clone, Debug, PartialEq)]
pub struct Unreachable {
    pub provider: Provider,
    pub source: Source,
    pub error: Error,
}

/// Like [`evaluate`], but the sources in `failed` are [`unreachable`] (keeping their expected
/// interval) instead of being judged on whatever backups were passed for them.
pub fn evaluate_with_failures(
    backups: &[Backup],
    failed: &[Unreachable],
    expectations: &[Expectation],
    now: OffsetDateTime,
    policy: &Policy,
) -> Vec<SourceHealth> {
    // (key, provider, source, backups): a Vec keeps the first label seen and the input's order.
    type Group<'a> = (String, Provider, &'a Source, Vec<&'a Backup>);
    fn group<'a>(groups: &mut Vec<Group<'a>>, provider: Provider, source: &'a Source) -> usize {
        let key = source_key(provider, source);
        match groups.iter().position(|g| g.0 == key) {
            Some(i) => i,
            None => {
                groups.push((key, provider, source, Vec::new()));
                groups.len() - 1
            }
        }
    }
    let mut groups: Vec<Group> = Vec::new();
    for b in backups {
        let i = group(&mut groups, b.provider, &b.source);
        groups[i].3.push(b);
    }
    for e in expectations {
        group(&mut groups, e.provider, &e.source);
    }
    for f in failed {
        group(&mut groups, f.provider, &f.source);
    }
    let mut out: Vec<SourceHealth> = groups
        .into_iter()
        .map(|(key, provider, source, list)| {
            let expectation = expectations.iter().find(|e| e.key() == key);
            match failed.iter().find(|f| source_key(f.provider, &f.source) == key) {
                Some(f) => {
                    let mut h = unreachable(provider, source, &f.error);
                    h.expected = expectation.and_then(|e| expected_for(Some(e), &[]).0);
                    h
                }
                None => judge(provider, source, &list, expectation, now, policy),
            }
        })
        .collect();
    out.sort_by(|a, b| (a.provider, &a.label, &a.key).cmp(&(b.provider, &b.label, &b.key)));
    out
}

/// The user's threshold, else the expectation's schedules, else the schedules in the backups.
fn expected_for(expectation: Option<&Expectation>, backups: &[&Backup]) -> (Option<Expected>, Vec<ScheduleSpec>) {
    if let Some(secs) = expectation.and_then(|e| e.threshold_secs).filter(|s| *s > 0) {
        let e = Expected {
            every_secs: secs,
            every: duration_words(secs),
            from: ExpectedFrom::Threshold,
            description: "your threshold".into(),
        };
        return (Some(e), Vec::new());
    }
    match expectation.map(|e| e.schedules.as_slice()).filter(|s| !s.is_empty()) {
        Some(schedules) => expected_interval(schedules),
        None => expected_interval(&schedules_from_backups(backups)),
    }
}

/// When a backup happened: its completion, else its creation.
fn when(b: &Backup) -> Option<OffsetDateTime> {
    b.completed.or(b.created)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

fn judge(
    provider: Provider,
    source: &Source,
    backups: &[&Backup],
    expectation: Option<&Expectation>,
    now: OffsetDateTime,
    policy: &Policy,
) -> SourceHealth {
    let mut h = SourceHealth::empty(provider, source);
    let (expected, unreadable) = expected_for(expectation, backups);
    let mut reasons = Vec::new();
    let expect_words = expected.as_ref().map(|e| format!("expected every {}", e.every));

    // Completed backups: the good ones (dated, not expired), the expired and the undated.
    let completed: Vec<&Backup> = backups.iter().copied().filter(|b| b.status == Status::Completed).collect();
    let is_expired = |b: &Backup| b.expires.is_some_and(|e| e <= now);
    let mut good: Vec<(OffsetDateTime, &Backup)> =
        completed.iter().filter(|b| !is_expired(b)).filter_map(|b| when(b).map(|t| (t, *b))).collect();
    // Newest last; ties broken by id so the answer does not depend on listing order.
    good.sort_by(|a, b| (a.0, &a.1.id).cmp(&(b.0, &b.1.id)));
    let newest_expired =
        completed.iter().filter(|b| is_expired(b)).filter_map(|b| when(b).map(|t| (t, b.expires))).max();
    let undated = completed.iter().filter(|b| when(b).is_none()).count();

    h.counts.total = backups.len();
    h.counts.completed = completed.len();
    h.counts.expired = backups
        .iter()
        .filter(|b| b.status == Status::Expired || (b.status == Status::Completed && is_expired(b)))
        .count();
    h.counts.unrecognized = backups.iter().filter(|b| b.status == Status::Other).count();

    let mut sizes: Vec<SizePoint> =
        completed.iter().filter_map(|b| Some(SizePoint { time: when(b)?, bytes: b.size_bytes? })).collect();
    sizes.sort_by_key(|p| (p.time, p.bytes));
    h.sizes = sizes;

    // Freshness.
    if let Some((t, b)) = good.last() {
        let age = secs_between(*t, now);
        h.last_good = Some(LastGood {
            id: b.id.clone(),
            name: b.name.clone(),
            completed: *t,
            age_secs: age,
            age: duration_words(age),
            expires: b.expires,
        });
        match &expected {
            Some(e) => {
                let age_f = age as f64;
                let every = e.every_secs as f64;
                let words = format!("{}; expected every {}", duration_words(age), e.every);
                if age_f > every * policy.fail_factor {
                    reasons.push(Reason::new(
                        ReasonCode::Overdue,
                        Verdict::Failing,
                        format!("no completed backup for {words}"),
                    ));
                } else if age_f > every * policy.warn_factor {
                    reasons.push(Reason::new(
                        ReasonCode::Overdue,
                        Verdict::Warning,
                        format!("no completed backup for {words}"),
                    ));
                } else {
                    reasons.push(Reason::new(
                        ReasonCode::Fresh,
                        Verdict::Healthy,
                        format!("last completed backup {} ago; expected every {}", duration_words(age), e.every),
                    ));
                }
            }
            None => reasons.push(Reason::new(
                ReasonCode::NoExpectation,
                Verdict::Healthy,
                format!(
                    "last completed backup {} ago; no schedule or threshold is known, so its age is not judged",
                    duration_words(age)
                ),
            )),
        }
        // Expiry: only a threat if no newer backup is due before it.
        if let Some(expires) = b.expires {
            let left = secs_between(now, expires);
            let replaced_in_time = expected.as_ref().is_some_and(|e| {
                // Past the end of time (a garbage threshold) nothing is due.
                let due = t.checked_add(seconds(e.every_secs));
                due.is_some_and(|due| now < due && due < expires)
            });
            if left <= policy.expiring_within_secs && !replaced_in_time {
                reasons.push(Reason::new(
                    ReasonCode::ExpiringSoon,
                    Verdict::Warning,
                    format!(
                        "the newest completed backup expires in {} and there is no newer one",
                        duration_words(left)
                    ),
                ));
            }
        }
    } else if backups.is_empty() {
        reasons.push(match &expect_words {
            Some(w) => Reason::new(ReasonCode::NoBackups, Verdict::Failing, format!("no backups at all; {w}")),
            None => Reason::new(ReasonCode::NoBackups, Verdict::Unknown, "no backups at all"),
        });
    } else if let Some((t, expires)) = newest_expired {
        let ago = expires.map(|e| duration_words(secs_between(e, now))).unwrap_or_default();
        let text = format!(
            "every completed backup has expired; the newest, from {} ago, expired {ago} ago",
            duration_words(secs_between(t, now))
        );
        let severity = if expected.is_some() { Verdict::Failing } else { Verdict::Warning };
        reasons.push(Reason::new(ReasonCode::AllExpired, severity, text));
    } else if undated > 0 {
        reasons.push(Reason::new(
            ReasonCode::Undated,
            Verdict::Unknown,
            format!(
                "{} no date, so freshness cannot be judged",
                plural(undated, "completed backup has", "completed backups have")
            ),
        ));
    } else {
        reasons.push(match &expect_words {
            Some(w) => {
                Reason::new(ReasonCode::NeverCompleted, Verdict::Failing, format!("no completed backup yet; {w}"))
            }
            None => Reason::new(ReasonCode::NeverCompleted, Verdict::Unknown, "no completed backup yet"),
        });
    }

    // Failures: a streak of the newest attempts, else any in the window.
    // A window reaching before the start of time holds everything.
    let window_start = now.checked_sub(seconds(policy.failure_window_secs));
    let in_window = |b: &&&Backup| when(b).is_some_and(|t| window_start.is_none_or(|w| t >= w));
    let failed = backups.iter().filter(|b| b.status == Status::Failed).filter(in_window).count();
    let aborted = backups.iter().filter(|b| b.status == Status::Aborted).filter(in_window).count();
    h.counts.failed_in_window = failed;
    h.counts.aborted_in_window = aborted;
    let mut attempts: Vec<(OffsetDateTime, &Backup)> = backups
        .iter()
        .filter(|b| matches!(b.status, Status::Completed | Status::Failed | Status::Expired))
        .filter_map(|b| b.created.or(b.completed).map(|t| (t, *b)))
        .collect();
    attempts.sort_by(|a, b| (b.0, &b.1.id).cmp(&(a.0, &a.1.id)));
    let streak = attempts.iter().take_while(|(_, b)| b.status == Status::Failed).count();
    if policy.failing_streak > 0 && streak >= policy.failing_streak as usize {
        reasons.push(Reason::new(
            ReasonCode::ConsecutiveFailures,
            Verdict::Failing,
            if streak == attempts.len() {
                format!("every backup failed ({streak})")
            } else {
                format!("the last {streak} backups failed")
            },
        ));
    } else if failed + aborted > 0 {
        let mut parts = Vec::new();
        if failed > 0 {
            parts.push(format!("{failed} failed"));
        }
        if aborted > 0 {
            parts.push(format!("{aborted} aborted"));
        }
        reasons.push(Reason::new(
            ReasonCode::RecentFailures,
            Verdict::Warning,
            format!("{} in the last {}", parts.join(" and "), duration_words(policy.failure_window_secs)),
        ));
    }

    // Operations in progress.
    let sightings = expectation.map(|e| e.running_since.as_slice()).unwrap_or(&[]);
    for op in backups.iter().flat_map(|b| operations(b, sightings)) {
        h.counts.running += 1;
        let Some(started) = op.started else { continue };
        let running = secs_between(started, now);
        if running > policy.stuck_after_secs {
            h.counts.stuck += 1;
            let what = match op.operation {
                Operation::Backup => format!("backup \"{}\"", op.backup_name),
                other => format!("{} of backup \"{}\"", other.word(), op.backup_name),
            };
            reasons.push(Reason::new(
                ReasonCode::Stuck,
                Verdict::Warning,
                format!(
                    "{what} has been {} for {}",
                    if op.waiting { "waiting to start" } else { "running" },
                    duration_words(running)
                ),
            ));
        }
    }

    if h.counts.unrecognized > 0 {
        let mut raw: Vec<&str> =
            backups.iter().filter(|b| b.status == Status::Other).map(|b| b.status_raw.as_str()).collect();
        raw.sort_unstable();
        raw.dedup();
        let quoted: Vec<String> = raw.iter().map(|r| format!("\"{r}\"")).collect();
        reasons.push(Reason::new(
            ReasonCode::UnrecognizedStatus,
            Verdict::Healthy,
            format!(
                "{} a status Backboard does not know ({})",
                plural(h.counts.unrecognized, "backup has", "backups have"),
                quoted.join(", ")
            ),
        ));
    }
    for s in &unreadable {
        reasons.push(Reason::new(
            ReasonCode::UnreadableSchedule,
            Verdict::Healthy,
            format!("the schedule {} could not be read", s.in_words()),
        ));
    }

    // Worst first; stable, so equal severities keep the order above.
    reasons.sort_by_key(|r| std::cmp::Reverse(r.severity));
    h.verdict = reasons.iter().map(|r| r.severity).max().unwrap_or(Verdict::Healthy);
    h.reasons = reasons;
    h.expected = expected;
    h
}

// ---------------------------------------------------------------------------------------------
// Notifications

/// A verdict that changed since the last check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub key: String,
    pub provider: Provider,
    pub label: String,
    /// None for a source not seen before.
    pub from: Option<Verdict>,
    pub to: Verdict,
    /// The headline of the new verdict.
    pub reason: String,
}

/// The changes worth a notification: a verdict that differs from the previous one, and a new
/// source that is not healthy (a first run over healthy sources stays quiet). Sources that
/// disappeared are not reported: a removed connection is the user's own doing.
pub fn changes(previous: &[(String, Verdict)], current: &[SourceHealth]) -> Vec<Change> {
    current
        .iter()
        .filter_map(|h| {
            let from = previous.iter().find(|(k, _)| *k == h.key).map(|(_, v)| *v);
            let notify = match from {
                Some(v) => v != h.verdict,
                None => h.verdict != Verdict::Healthy,
            };
            notify.then(|| Change {
                key: h.key.clone(),
                provider: h.provider,
                label: h.label.clone(),
                from,
                to: h.verdict,
                reason: h.headline().to_string(),
            })
        })
        .collect()
}

/// What to remember for the next [`changes`].
pub fn verdicts(current: &[SourceHealth]) -> Vec<(String, Verdict)> {
    current.iter().map(|h| (h.key.clone(), h.verdict)).collect()
}

/// Slack's three control characters, escaped as its message format asks.
fn slack_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// A Slack-compatible webhook body (`{"text": ...}`, also understood by Mattermost, Rocket.Chat
/// and Discord's `/slack` endpoints), or None when nothing changed.
pub fn slack_message(changes: &[Change]) -> Option<String> {
    if changes.is_empty() {
        return None;
    }
    let mut text = format!("Backboard: {} changed", plural(changes.len(), "backup source", "backup sources"));
    for c in changes {
        let from = c.from.map(|v| format!("{v} → ")).unwrap_or_default();
        text.push_str(&format!("\n• *{}* ({}): {from}*{}*", slack_escape(&c.label), c.provider.name(), c.to));
        if !c.reason.is_empty() {
            text.push_str(&format!(" — {}", slack_escape(&c.reason)));
        }
    }
    Some(serde_json::json!({ "text": text }).to_string())
}
