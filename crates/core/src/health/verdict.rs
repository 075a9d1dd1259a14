//! What a judgement says: verdicts, reasons, the thresholds, and the health of one source.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::expect::{source_key, Expected};
use super::{DAY, HOUR};
use crate::error::Error;
use crate::model::Source;
use crate::provider::Provider;

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
    /// The newest completed backup is much smaller or larger than the ones before it.
    UnusualSize,
}

/// One reason: its code, how bad it is alone, and the words for people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub code: ReasonCode,
    pub severity: Verdict,
    pub text: String,
}

impl Reason {
    pub(super) fn new(code: ReasonCode, severity: Verdict, text: impl Into<String>) -> Self {
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

    pub(super) fn empty(provider: Provider, source: &Source) -> Self {
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
