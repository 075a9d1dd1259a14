//! Backup health: one verdict per source (healthy, unknown, warning, failing) with its reasons in
//! words, as pure functions of (backups, expectations, now, policy). The SPA's cards, the worker's
//! `/api/v1/backups/health` and the webhook cron all read the same [`SourceHealth`].
//!
//! What a source is expected to do comes from the provider's schedules (Northflank schedule
//! objects, mittwald cron strings, ServerAvatar presets) or from a threshold the user sets, which
//! overrides them. Without either, only failures, stuck operations and expiry are judged.
//!
//! `verdict` holds what a judgement says, `expect` what a source is expected to do and what is
//! under way, `judge` the judgement itself and `notify` the changes worth a message.

mod expect;
mod judge;
mod notify;
mod summary;
mod verdict;

pub use expect::*;
pub use judge::*;
pub use notify::*;
pub use summary::*;
pub use verdict::*;

use time::OffsetDateTime;

const MINUTE: u64 = 60;
const HOUR: u64 = 3600;
const DAY: u64 = 86_400;

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

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}
