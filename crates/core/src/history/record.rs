//! What one cron run records per source: the restore points and failed attempts it has not
//! recorded before, and the verdict of the day. Also how long history is kept.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime};

use super::{day_start, utc_day};
use crate::health::{source_key, SourceHealth, Verdict};
use crate::model::{Backup, Status};

/// A completed backup: evidence that the source could be restored to `completed`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestorePoint {
    /// [`source_key`].
    pub source: String,
    pub backup_id: String,
    #[serde(with = "time::serde::rfc3339")]
    pub completed: OffsetDateTime,
    pub size_bytes: Option<u64>,
    /// The run that first saw it (how late the provider listed it).
    #[serde(with = "time::serde::rfc3339")]
    pub seen: OffsetDateTime,
}

/// A backup attempt that failed or was aborted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempt {
    pub source: String,
    pub backup_id: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// [`Status::Failed`] or [`Status::Aborted`].
    pub status: Status,
}

/// One run's verdict for a source, folded into that source's UTC day (the store keeps one row
/// per source and day: first and last run, the number of runs, the worst and the last verdict).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayVerdict {
    pub source: String,
    #[serde(with = "super::day_serde")]
    pub day: Date,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub verdict: Verdict,
}

/// What is already stored, as far as this run needs to know. The worker loads the keys of rows
/// dated at or after `since` (now minus [`LOOKBACK_DAYS`]) and the newest stored time of each
/// source. A backup dated before `since` counts as recorded unless it is newer than anything
/// stored for its source: so a new source brings everything its provider still lists, and a
/// source that could not be listed for longer than the lookback loses nothing when it is back.
/// The store's unique keys stay the last guard: an insert that repeats a row is ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stored {
    pub since: Option<OffsetDateTime>,
    /// (source, backup id) of restore points.
    pub points: BTreeSet<(String, String)>,
    /// (source, backup id) of failed or aborted attempts.
    pub attempts: BTreeSet<(String, String)>,
    /// The newest stored restore point of each source.
    pub newest_point: BTreeMap<String, OffsetDateTime>,
    /// The newest stored attempt of each source.
    pub newest_attempt: BTreeMap<String, OffsetDateTime>,
}

/// How far back a run compares with what is stored: 7 days. Providers list a backup within
/// minutes of its end; a week covers a worker that was down for days, and keeps the rows loaded
/// per run to about a week of backups per source.
pub const LOOKBACK_DAYS: i64 = 7;

impl Stored {
    /// The `since` for a run at `now`.
    pub fn since_for(now: OffsetDateTime) -> OffsetDateTime {
        now - Duration::days(LOOKBACK_DAYS)
    }

    fn is_new(
        keys: &BTreeSet<(String, String)>,
        newest: &BTreeMap<String, OffsetDateTime>,
        since: Option<OffsetDateTime>,
        (source, id, at): (&str, &str, OffsetDateTime),
    ) -> bool {
        let unseen = since.is_none_or(|s| at >= s) || newest.get(source).is_none_or(|n| at > *n);
        unseen && !keys.contains(&(source.to_string(), id.to_string()))
    }

    /// Whether a restore point is not stored yet.
    pub fn new_point(&self, source: &str, id: &str, at: OffsetDateTime) -> bool {
        Self::is_new(&self.points, &self.newest_point, self.since, (source, id, at))
    }

    /// Whether an attempt is not stored yet.
    pub fn new_attempt(&self, source: &str, id: &str, at: OffsetDateTime) -> bool {
        Self::is_new(&self.attempts, &self.newest_attempt, self.since, (source, id, at))
    }

    /// What the store holds once `rec` is written (for a caller that keeps the set in memory).
    pub fn add(&mut self, rec: &Recording) {
        for p in &rec.points {
            self.points.insert((p.source.clone(), p.backup_id.clone()));
            let n = self.newest_point.entry(p.source.clone()).or_insert(p.completed);
            *n = (*n).max(p.completed);
        }
        for a in &rec.attempts {
            self.attempts.insert((a.source.clone(), a.backup_id.clone()));
            let n = self.newest_attempt.entry(a.source.clone()).or_insert(a.at);
            *n = (*n).max(a.at);
        }
    }
}

/// The rows one run adds.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recording {
    pub points: Vec<RestorePoint>,
    pub attempts: Vec<Attempt>,
    pub days: Vec<DayVerdict>,
}

/// The new rows of a run at `now` that listed `backups` and judged them into `health`.
/// Sources whose listing failed are judged without backups, so they add a verdict only.
/// Rows are sorted by source, then time, then backup id, and each (source, id) appears once.
pub fn record(backups: &[Backup], health: &[SourceHealth], stored: &Stored, now: OffsetDateTime) -> Recording {
    let mut out = Recording::default();
    let mut points: BTreeSet<(String, String)> = BTreeSet::new();
    let mut attempts: BTreeSet<(String, String)> = BTreeSet::new();
    for b in backups {
        let source = source_key(b.provider, &b.source);
        match b.status {
            // An expired backup was a restore point while it lasted.
            Status::Completed | Status::Expired => {
                let Some(completed) = b.completed.or(b.created) else { continue };
                if stored.new_point(&source, &b.id, completed) && points.insert((source.clone(), b.id.clone())) {
                    out.points.push(RestorePoint {
                        source,
                        backup_id: b.id.clone(),
                        completed,
                        size_bytes: b.size_bytes,
                        seen: now,
                    });
                }
            }
            Status::Failed | Status::Aborted => {
                let Some(at) = b.completed.or(b.created) else { continue };
                if stored.new_attempt(&source, &b.id, at) && attempts.insert((source.clone(), b.id.clone())) {
                    out.attempts.push(Attempt { source, backup_id: b.id.clone(), at, status: b.status });
                }
            }
            _ => {}
        }
    }
    out.points.sort_by(|a, b| (&a.source, a.completed, &a.backup_id).cmp(&(&b.source, b.completed, &b.backup_id)));
    out.attempts.sort_by(|a, b| (&a.source, a.at, &a.backup_id).cmp(&(&b.source, b.at, &b.backup_id)));
    out.days = health
        .iter()
        .map(|h| DayVerdict { source: h.key.clone(), day: utc_day(now), at: now, verdict: h.verdict })
        .collect();
    out.days.sort_by(|a, b| a.source.cmp(&b.source));
    out
}

/// How long history is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retention {
    pub keep_days: u32,
}

impl Retention {
    /// 400 days: a full year back from any day, plus a month to compare a year ago with.
    pub const DEFAULT_DAYS: u32 = 400;
    /// The 90-day strip and percentages need at least this much.
    pub const MIN_DAYS: u32 = 90;
    /// Ten years; beyond that a number is more likely a typo.
    pub const MAX_DAYS: u32 = 3650;

    /// A number of days, e.g. from `BACKBOARD_HISTORY_DAYS`; empty means the default.
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim();
        if t.is_empty() {
            return Ok(Self::default());
        }
        match t.parse::<u32>() {
            Ok(d) if (Self::MIN_DAYS..=Self::MAX_DAYS).contains(&d) => Ok(Self { keep_days: d }),
            _ => Err(format!(
                "history retention {t:?} must be a whole number of days from {} to {}",
                Self::MIN_DAYS,
                Self::MAX_DAYS
            )),
        }
    }

    /// Whether a run at `now` deletes what is past the retention: the first run of each UTC day
    /// (`last_run` is the latest run stored before it). Deleting scans the history by time, so
    /// once a day is enough for whole days.
    pub fn due(now: OffsetDateTime, last_run: Option<OffsetDateTime>) -> bool {
        last_run.is_none_or(|l| utc_day(l) < utc_day(now))
    }

    /// Rows dated before this instant are deleted: midnight UTC `keep_days` days before today,
    /// so whole days go and today plus `keep_days` full days before it stay.
    pub fn cutoff(&self, now: OffsetDateTime) -> OffsetDateTime {
        let today = utc_day(now);
        let first = today.checked_sub(Duration::days(i64::from(self.keep_days))).unwrap_or(Date::MIN);
        day_start(first)
    }
}

impl Default for Retention {
    fn default() -> Self {
        Self { keep_days: Self::DEFAULT_DAYS }
    }
}
