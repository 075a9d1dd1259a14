//! Compliance without a recorded history: the evidence the provider still lists. The SPA judges
//! it in the browser when it cannot read the worker's history (the static demo, no edge API key),
//! with the same [`days`] the worker uses. Days older than the oldest listed backup have no data:
//! the provider has let them go, and only the worker's history keeps them.

use time::{Date, OffsetDateTime};

use super::{days, utc_day, Compliance, Day, Evidence, IntervalFrom, NoData, Rule};
use crate::health::Expected;
use crate::model::{Backup, Status};

/// One source's listed backups as the rows [`Evidence`] borrows.
#[derive(Clone, Debug, PartialEq)]
pub struct Listed {
    /// The oldest time a listed backup carries (None: nothing is listed).
    pub first: Option<OffsetDateTime>,
    pub intervals: Vec<IntervalFrom>,
    pub points: Vec<OffsetDateTime>,
    pub failures: Vec<OffsetDateTime>,
    pub covered: Vec<Date>,
    pub now: OffsetDateTime,
}

/// What a day older than the listing says instead of "before the source was added".
pub const OLDER_THAN_LISTED: &str = "no data, older than the backups the provider still lists";

impl Listed {
    /// The rows of one source's `backups` (all of the same source), judged against `expected`
    /// (the health check's interval) over the whole listing, as of `now`. Restore points are
    /// completed or since expired backups, failures the failed attempts (not aborted ones), as
    /// the worker records them.
    pub fn of(backups: &[Backup], expected: Option<&Expected>, now: OffsetDateTime) -> Self {
        let mut out = Listed {
            first: None,
            intervals: Vec::new(),
            points: Vec::new(),
            failures: Vec::new(),
            covered: Vec::new(),
            now,
        };
        for b in backups {
            let Some(at) = b.completed.or(b.created) else { continue };
            if at > now {
                continue;
            }
            match b.status {
                Status::Completed | Status::Expired => out.points.push(at),
                Status::Failed => out.failures.push(at),
                _ => continue,
            }
            out.first = Some(out.first.map_or(at, |f: OffsetDateTime| f.min(at)));
        }
        out.points.sort();
        out.failures.sort();
        if let Some(first) = out.first {
            out.intervals.push(IntervalFrom {
                from: first,
                every_secs: expected.map(|e| e.every_secs),
                origin: expected.map_or("none", |e| e.from.as_str()).to_string(),
            });
            let mut day = utc_day(first);
            while day <= utc_day(now) {
                out.covered.push(day);
                match day.next_day() {
                    Some(d) => day = d,
                    None => break,
                }
            }
        }
        out
    }

    /// The evidence for [`days`]; None when nothing is listed.
    pub fn evidence(&self) -> Option<Evidence<'_>> {
        Some(Evidence {
            added: self.first?,
            intervals: &self.intervals,
            points: &self.points,
            failures: &self.failures,
            covered: &self.covered,
            observed_until: self.now,
        })
    }

    /// The cells from `from` to `to`: judged where the listing reaches, no data before it (in
    /// words that say so), and every day no data when nothing is listed.
    pub fn days(&self, from: Date, to: Date, rule: &Rule) -> Vec<Day> {
        let mut out = match self.evidence() {
            Some(e) => days(&e, from, to, rule),
            None => {
                // Judged as a source added after `to`: every cell is "before".
                let e = Evidence {
                    added: super::day_start(to.next_day().unwrap_or(to)),
                    intervals: &[],
                    points: &[],
                    failures: &[],
                    covered: &[],
                    observed_until: self.now,
                };
                days(&e, from, to, rule)
            }
        };
        for d in &mut out {
            if d.no_data == Some(NoData::BeforeAdded) {
                d.text = format!("{}: {OLDER_THAN_LISTED}", super::day_text(d.date));
            }
        }
        out
    }

    /// The 90-day strip and its 7, 30 and 90-day figures ending `today`.
    pub fn compliance(&self, today: Date, rule: &Rule) -> Compliance {
        Compliance::of_strip(self.days(super::strip_first(today), today, rule))
    }
}
