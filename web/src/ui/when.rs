//! Times as a reader wants them: in their own time zone, with UTC on hover and the exact
//! instant in `datetime` for machines.

use backboard_core::de::format_rfc3339;
use backboard_core::display::{absolute, relative};
use leptos::prelude::*;
use time::{OffsetDateTime, UtcOffset};

/// The reader's offset from UTC at `t` (the browser's zone, so summer time is right per date).
fn reader_offset(t: OffsetDateTime) -> UtcOffset {
    let ms = (t.unix_timestamp_nanos() / 1_000_000) as f64;
    // getTimezoneOffset is minutes west of UTC.
    let west = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms)).get_timezone_offset();
    UtcOffset::from_whole_seconds(-(west as i32) * 60).unwrap_or(UtcOffset::UTC)
}

/// "2026-11-30 09:59 (UTC+01:00)" in the reader's zone; plain UTC when the reader is on UTC.
pub fn local(t: OffsetDateTime) -> String {
    let offset = reader_offset(t);
    if offset == UtcOffset::UTC {
        return absolute(t);
    }
    let l = t.to_offset(offset);
    let (h, m, _) = offset.as_hms();
    format!(
        "{}-{:02}-{:02} {:02}:{:02} (UTC{}{:02}:{:02})",
        l.year(),
        l.month() as u8,
        l.day(),
        l.hour(),
        l.minute(),
        if offset.is_negative() { '-' } else { '+' },
        h.unsigned_abs(),
        m.unsigned_abs()
    )
}

/// A time in the reader's zone, UTC on hover.
#[component]
pub fn LocalTime(t: OffsetDateTime) -> impl IntoView {
    view! { <time datetime=format_rfc3339(t) title=absolute(t)>{local(t)}</time> }
}

/// "3 h ago" for scanning, the reader's time and UTC on hover.
#[component]
pub fn Ago(t: OffsetDateTime, now: OffsetDateTime) -> impl IntoView {
    let (l, utc) = (local(t), absolute(t));
    let title = if l == utc { utc } else { format!("{l} · {utc}") };
    view! { <time datetime=format_rfc3339(t) title=title>{relative(t, now)}</time> }
}
