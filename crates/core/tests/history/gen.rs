//! Generated histories: a daily backup per source with gaps, failures and sizes of one's choice.

use backboard_core::health::{source_key, SourceHealth, Verdict};
use backboard_core::model::{Backup, Contents, Source};
use backboard_core::providers::{mittwald, Details};
use backboard_core::{Provider, Status};
use serde_json::json;
use time::{Duration, OffsetDateTime};

pub fn src(id: &str) -> Source {
    Source { kind: "project".into(), id: id.into(), label: format!("Label {id}") }
}

pub fn key(id: &str) -> String {
    source_key(Provider::Mittwald, &src(id))
}

/// A mittwald backup of `source` with `status` that ended at `at`.
pub fn backup(source: &str, id: &str, status: Status, at: OffsetDateTime, size: Option<u64>) -> Backup {
    let record: mittwald::ProjectBackup =
        serde_json::from_value(json!({"deletable": true, "id": id, "projectId": source, "status": "Completed"}))
            .expect("a valid mittwald record");
    Backup {
        provider: Provider::Mittwald,
        source: src(source),
        id: id.into(),
        name: format!("Backup {id}"),
        status,
        status_raw: status.as_str().into(),
        created: Some(at - Duration::minutes(10)),
        completed: (status == Status::Completed).then_some(at),
        expires: None,
        size_bytes: size,
        contents: Contents::default(),
        link: None,
        details: Details::Mittwald(record),
    }
}

/// One backup a day at `first + n days` for n in 0..days, skipping `gaps`; the days in
/// `failed` get a failed attempt instead. Sizes grow by 1 MB a day from 100 MB.
pub fn daily(source: &str, first: OffsetDateTime, days: i64, gaps: &[i64], failed: &[i64]) -> Vec<Backup> {
    (0..days)
        .filter(|n| !gaps.contains(n))
        .map(|n| {
            let at = first + Duration::days(n);
            let status = if failed.contains(&n) { Status::Failed } else { Status::Completed };
            backup(source, &format!("{source}-{n}"), status, at, Some(100_000_000 + n as u64 * 1_000_000))
        })
        .collect()
}

/// A judged source with a verdict and nothing else.
pub fn health(source: &str, verdict: Verdict) -> SourceHealth {
    let mut h = backboard_core::health::unreachable(
        Provider::Mittwald,
        &src(source),
        &backboard_core::Error::Transport { provider: Provider::Mittwald, message: String::new() },
    );
    h.verdict = verdict;
    h
}

/// A real time zone from jiff's bundled tz database, as the worker's `Intl` zone would be.
pub struct Tz(pub jiff::tz::TimeZone);

impl Tz {
    pub fn named(name: &str) -> Self {
        Tz(jiff::tz::TimeZone::get(name).expect("a zone of the bundled database"))
    }
}

impl backboard_core::history::Zone for Tz {
    fn offset_at(&self, utc: OffsetDateTime) -> time::UtcOffset {
        let ts = jiff::Timestamp::from_second(utc.unix_timestamp()).expect("an instant jiff can hold");
        time::UtcOffset::from_whole_seconds(self.0.to_offset(ts).seconds()).expect("an offset within a day")
    }
}
