//! The digest: when a daily or weekly summary is due at a local hour in a time zone, and what it
//! says per source (verdict, compliance, last good backup, what changed since the last one).
//!
//! DST: an hour the clock skips (spring forward) is sent when the clock jumps, at the same
//! distance past the jump (02:00 becomes 03:00, 02:30 becomes 03:30); an hour that happens
//! twice (fall back) is sent at its first pass. A period is the local date of its occurrence,
//! so any number of runs sends it once: the worker claims the period in the store (see
//! [`super::claim_digest`]) before it sends.

use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime, Time};

use super::zone::{local, resolve, Zone};
use super::{day_text, parse_day, Compliance};
use crate::display::{absolute, relative};
use crate::health::{SourceHealth, Verdict};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Cadence {
    Daily,
    Weekly,
}

impl Cadence {
    pub fn as_str(self) -> &'static str {
        match self {
            Cadence::Daily => "daily",
            Cadence::Weekly => "weekly",
        }
    }
}

/// When a digest goes out: every day, or on one weekday (0 is Sunday, as in cron), at `hour`
/// o'clock local time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestSchedule {
    pub cadence: Cadence,
    #[serde(default)]
    pub weekday: Option<u8>,
    pub hour: u8,
}

/// How late a first digest may still go out: 1 hour. Without a last period there is nothing to
/// catch up on, so a digest set up at 14:00 for 09:00 waits for tomorrow instead of going out at
/// once; a worker that was down for longer sends the latest period when it is back.
pub const FIRST_GRACE_SECS: i64 = 3600;

impl DigestSchedule {
    pub fn validate(&self) -> Result<(), String> {
        if self.hour > 23 {
            return Err(format!("a digest hour is from 0 to 23, not {}", self.hour));
        }
        match (self.cadence, self.weekday) {
            (Cadence::Weekly, Some(d)) if d <= 6 => Ok(()),
            (Cadence::Weekly, Some(d)) => Err(format!("a weekday is from 0 (Sunday) to 6, not {d}")),
            (Cadence::Weekly, None) => Err("a weekly digest needs a weekday (0 is Sunday)".to_string()),
            (Cadence::Daily, _) => Ok(()),
        }
    }

    fn runs_on(&self, date: Date) -> bool {
        match self.cadence {
            Cadence::Daily => true,
            Cadence::Weekly => self.weekday == Some(date.weekday().number_days_from_sunday()),
        }
    }

    /// The instant of this schedule's occurrence on a local date.
    pub fn occurrence(&self, zone: &dyn Zone, date: Date) -> Option<OffsetDateTime> {
        let wall = date.with_time(Time::from_hms(self.hour, 0, 0).ok()?);
        Some(resolve(zone, wall).first())
    }

    /// The latest occurrence at or before `now`.
    pub fn latest(&self, zone: &dyn Zone, now: OffsetDateTime) -> Option<Period> {
        let today = local(zone, now).date();
        (0..=8)
            .filter_map(|back| today.checked_sub(Duration::days(back)))
            .filter(|d| self.runs_on(*d))
            .find_map(|d| self.occurrence(zone, d).filter(|at| *at <= now).map(|at| Period { date: d, at }))
    }

    /// The period to send at `now`, if one is due: the latest occurrence, unless it (or a later
    /// one) was sent already. `last` is the stored last period ([`Period::key`]).
    pub fn due(&self, zone: &dyn Zone, now: OffsetDateTime, last: Option<&str>) -> Option<Period> {
        self.validate().ok()?;
        let p = self.latest(zone, now)?;
        match last.and_then(|l| parse_day(l).ok()) {
            Some(sent) => (p.date > sent).then_some(p),
            None => ((now - p.at).whole_seconds() < FIRST_GRACE_SECS).then_some(p),
        }
    }
}

/// One digest period: the local date of its occurrence, and when that was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub date: Date,
    pub at: OffsetDateTime,
}

impl Period {
    /// What the store keeps as the last period sent.
    pub fn key(&self) -> String {
        day_text(self.date)
    }
}

/// A verdict change as recorded (the `verdict_changes` table).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeRecord {
    pub source: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub from: Option<Verdict>,
    pub to: Verdict,
    pub reason: String,
    /// Sent when it happened (false: held during a quiet period).
    pub announced: bool,
}

/// One source in a digest.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DigestSource {
    pub key: String,
    pub label: String,
    pub provider: String,
    pub verdict: Verdict,
    pub headline: String,
    pub compliance_7: Option<f64>,
    pub compliance_30: Option<f64>,
    pub compliance_90: Option<f64>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_good: Option<OffsetDateTime>,
    pub changes: Vec<ChangeRecord>,
}

/// A digest: every source, worst first.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Digest {
    pub cadence: Cadence,
    #[serde(with = "super::day_serde")]
    pub period: Date,
    /// The previous digest, where "what changed" starts (None: the first digest).
    #[serde(with = "time::serde::rfc3339::option")]
    pub since: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    pub generated: OffsetDateTime,
    pub overall: Verdict,
    pub sources: Vec<DigestSource>,
}

/// Builds the digest of `period` at `now`: each judged source with its compliance (by key) and
/// the changes recorded after `since` and up to `now`.
pub fn build(
    cadence: Cadence,
    period: &Period,
    since: Option<OffsetDateTime>,
    health: &[SourceHealth],
    compliance: &[(String, Compliance)],
    changes: &[ChangeRecord],
    now: OffsetDateTime,
) -> Digest {
    let mut sources: Vec<DigestSource> = health
        .iter()
        .map(|h| {
            let c = compliance.iter().find(|(k, _)| *k == h.key).map(|(_, c)| c);
            let mut mine: Vec<ChangeRecord> = changes
                .iter()
                .filter(|c| c.source == h.key && since.is_none_or(|s| c.at > s) && c.at <= now)
                .cloned()
                .collect();
            mine.sort_by_key(|c| c.at);
            DigestSource {
                key: h.key.clone(),
                label: h.label.clone(),
                provider: h.provider.name().to_string(),
                verdict: h.verdict,
                headline: h.headline().to_string(),
                compliance_7: c.and_then(|c| c.last_7.percent),
                compliance_30: c.and_then(|c| c.last_30.percent),
                compliance_90: c.and_then(|c| c.last_90.percent),
                last_good: h.last_good.as_ref().map(|g| g.completed),
                changes: mine,
            }
        })
        .collect();
    sources.sort_by(|a, b| {
        (std::cmp::Reverse(a.verdict), &a.label, &a.key).cmp(&(std::cmp::Reverse(b.verdict), &b.label, &b.key))
    });
    let overall = sources.iter().map(|s| s.verdict).max().unwrap_or(Verdict::Unknown);
    Digest { cadence, period: period.date, since, generated: now, overall, sources }
}

fn percent(p: Option<f64>) -> String {
    p.map_or("no data".to_string(), |p| format!("{p:.1}%"))
}

impl Digest {
    /// "Backboard daily digest, 2026-11-29: 1 failing, 2 healthy".
    pub fn title(&self) -> String {
        let mut counts = Vec::new();
        for v in Verdict::ALL.iter().rev() {
            let n = self.sources.iter().filter(|s| s.verdict == *v).count();
            if n > 0 {
                counts.push(format!("{n} {v}"));
            }
        }
        let counts = if counts.is_empty() { "no sources".to_string() } else { counts.join(", ") };
        format!("Backboard {} digest, {}: {counts}", self.cadence.as_str(), day_text(self.period))
    }

    /// The lines for one source, plain text (channels add their own markup).
    pub fn lines(&self, s: &DigestSource) -> Vec<String> {
        let mut out = Vec::new();
        out.push(if s.headline.is_empty() { s.verdict.to_string() } else { format!("{}: {}", s.verdict, s.headline) });
        out.push(format!(
            "Compliance: {} over 7 days, {} over 30 days, {} over 90 days",
            percent(s.compliance_7),
            percent(s.compliance_30),
            percent(s.compliance_90)
        ));
        out.push(match s.last_good {
            Some(t) => format!("Last good backup: {} ({})", absolute(t), relative(t, self.generated)),
            None => "Last good backup: none".to_string(),
        });
        if s.changes.is_empty() {
            out.push(if self.since.is_some() {
                "No change since the last digest".to_string()
            } else {
                "No change recorded".to_string()
            });
        }
        for c in &s.changes {
            let from = c.from.map(|f| format!("{f} → ")).unwrap_or_default();
            let quiet = if c.announced { "" } else { " (during a quiet period)" };
            let reason = if c.reason.is_empty() { String::new() } else { format!(": {}", c.reason) };
            out.push(format!("{}: {from}{}{quiet}{reason}", absolute(c.at), c.to));
        }
        out
    }
}
