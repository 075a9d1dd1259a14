//! Backup history: the evidence of older days that the providers no longer keep. Pure functions
//! of what the cron saw and what is already stored, with `now` passed in; the worker only moves
//! rows between them and D1 (`worker/migrations/0002_history.sql`).
//!
//! - `record`: the rows one cron run adds (restore points, failed attempts, the day's verdict),
//!   only those not stored yet, and the retention cutoff.
//! - `compliance`: per source and UTC day, met / missed / failed / no data; the 7, 30 and 90-day
//!   percentages and the 90-day strip.
//! - `size`: a completed backup whose size strays from the median of the ones before it.
//! - `zone`: the time zone trait the worker implements (no tz database in the core).
//! - `quiet`: maintenance windows, snoozes, and the flapping filter deciding what is announced.
//! - `announce`: one run's verdicts through every source's quiet periods and filter.
//! - `digest`: when a daily or weekly digest is due, and what it says.
//! - `digest_config`: the worker's `DIGEST` setting, read and checked.
//! - `export`: the history and compliance queries of the edge API, and their JSON and CSV.
//! - `listed`: compliance from the backups a provider still lists (the SPA without the history).
//! - `report`: the SPA's report page: its address, its range and its JSON.
//! - `channels`: the digest (or an alert) as a Slack, Discord, Teams, ntfy or signed JSON request.
//! - `store`: the D1 tables and columns, declared once, and the statements that write them.
//! - `load`: the statements that read them back, and their rows as `Stored` and `Evidence`.
//! - `source_config`: a source's settings as the edge API reads and writes them, checked.
//! - `settings`: per-source settings, quiet windows, flap states, digests and recorded changes:
//!   their statements and rows.

mod announce;
mod channels;
mod compliance;
mod digest;
mod digest_config;
mod export;
mod listed;
mod load;
mod quiet;
mod record;
mod report;
mod settings;
mod size;
mod source_config;
mod store;
mod zone;

pub use announce::*;
pub use channels::*;
pub use compliance::*;
pub use digest::*;
pub use digest_config::*;
pub use export::*;
pub use listed::*;
pub use load::*;
pub use quiet::*;
pub use record::*;
pub use report::*;
pub use settings::*;
pub use size::*;
pub use source_config::*;
pub use store::*;
pub use zone::*;

use time::{Date, OffsetDateTime, Time};

/// `YYYY-MM-DD`, the form days take in JSON, CSV and the store.
pub fn day_text(day: Date) -> String {
    format!("{:04}-{:02}-{:02}", day.year(), u8::from(day.month()), day.day())
}

/// Reads [`day_text`]'s form back.
pub fn parse_day(text: &str) -> Result<Date, String> {
    let bad = || format!("{text:?} is not a day like 2026-12-01");
    let mut parts = text.trim().splitn(3, '-');
    let mut next = || parts.next().ok_or_else(bad);
    let (y, m, d) = (next()?, next()?, next()?);
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u8>(), d.parse::<u8>()) else { return Err(bad()) };
    let month = time::Month::try_from(m).map_err(|_| bad())?;
    Date::from_calendar_date(y, month, d).map_err(|_| bad())
}

/// Serde for a [`Date`] as [`day_text`].
pub mod day_serde {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;

    pub fn serialize<S: Serializer>(day: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::day_text(*day))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let text = String::deserialize(d)?;
        super::parse_day(&text).map_err(serde::de::Error::custom)
    }
}

/// The UTC day an instant falls in.
pub fn utc_day(t: OffsetDateTime) -> Date {
    t.to_offset(time::UtcOffset::UTC).date()
}

/// Midnight UTC starting `day`.
pub fn day_start(day: Date) -> OffsetDateTime {
    day.with_time(Time::MIDNIGHT).assume_utc()
}
