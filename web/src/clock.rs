//! The page's clock, in the core's time type.

use time::OffsetDateTime;

pub fn now() -> OffsetDateTime {
    let ms = js_sys::Date::now();
    OffsetDateTime::from_unix_timestamp_nanos((ms as i128) * 1_000_000).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// The time of day in UTC, "12:04:31 UTC", for "asked for at …".
pub fn time_of_day() -> String {
    let t = now();
    format!("{:02}:{:02}:{:02} UTC", t.hour(), t.minute(), t.second())
}
