//! What a source is expected to do (the user's threshold, the provider's schedules) and what is
//! under way in it (backups, exports and restores in progress).

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::duration_words;
use crate::cron::{longest_gap, Cadence};
use crate::history::SizeRule;
use crate::model::{Backup, Source, Status};
use crate::provider::Provider;
use crate::providers::ScheduleSpec;

/// Which operation is in progress.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Operation {
    Backup,
    Export,
    Restore,
}

impl Operation {
    pub(super) fn word(self) -> &'static str {
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
    /// When set, a newest backup of unusual size is a warning ([`crate::history::SizeRule`]).
    /// Off unless the caller asks: the cron passes the source's rule or the default one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_rule: Option<SizeRule>,
}

impl Expectation {
    pub fn new(provider: Provider, source: Source) -> Self {
        Self {
            provider,
            source,
            threshold_secs: None,
            schedules: Vec::new(),
            running_since: Vec::new(),
            size_rule: None,
        }
    }

    pub fn key(&self) -> String {
        source_key(self.provider, &self.source)
    }
}

/// The identity of a source across listings: provider, kind and id (the label may change).
pub fn source_key(provider: Provider, source: &Source) -> String {
    format!("{}:{}:{}", provider.slug(), source.kind, source.id)
}

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
pub(super) fn schedules_from_backups(backups: &[&Backup]) -> Vec<ScheduleSpec> {
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

pub(super) fn operations(b: &Backup, sightings: &[Sighting]) -> Vec<InProgress> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expected_from_reads_what_it_writes() {
        let all = [ExpectedFrom::Threshold, ExpectedFrom::Schedules].into_iter();
        for from in all.chain(Provider::ALL.map(ExpectedFrom::Provider)) {
            let json = serde_json::to_value(from).unwrap();
            assert_eq!(json, from.as_str());
            assert_eq!(serde_json::from_value::<ExpectedFrom>(json).unwrap(), from);
        }
        assert!(serde_json::from_str::<ExpectedFrom>(r#""Mittwald""#).is_err());
    }
}
