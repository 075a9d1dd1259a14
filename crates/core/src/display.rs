//! Text for people: sizes, dates and ages, the same in the SPA and the edge CSV.

use time::{macros::format_description, OffsetDateTime};

/// 1536 -> "1.5 KiB".
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let mut v = bytes as f64;
    let mut unit = 0;
    while v >= 1024.0 && unit < UNITS.len() - 1 {
        v /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else if v < 10.0 {
        format!("{v:.1} {}", UNITS[unit])
    } else {
        format!("{v:.0} {}", UNITS[unit])
    }
}

/// "2025-02-11 11:12 UTC".
pub fn absolute(t: OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .format(format_description!("[year]-[month]-[day] [hour]:[minute] UTC"))
        .unwrap_or_default()
}

/// "3 d ago", "in 2 h", "just now".
pub fn relative(t: OffsetDateTime, now: OffsetDateTime) -> String {
    let secs = (t - now).whole_seconds();
    let a = secs.unsigned_abs();
    let amount = if a < 60 {
        return "just now".into();
    } else if a < 3600 {
        format!("{} min", a / 60)
    } else if a < 86_400 {
        format!("{} h", a / 3600)
    } else if a < 86_400 * 60 {
        format!("{} d", a / 86_400)
    } else if a < 86_400 * 730 {
        format!("{} mo", a / (86_400 * 30))
    } else {
        format!("{} y", a / (86_400 * 365))
    };
    if secs < 0 {
        format!("{amount} ago")
    } else {
        format!("in {amount}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn sizes() {
        assert_eq!(human_size(0), "0 B");
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(77_528_064), "74 MiB");
        assert_eq!(human_size(u64::MAX), "16384 PiB");
    }

    #[test]
    fn times() {
        let now = datetime!(2026-11-23 09:00 UTC);
        assert_eq!(relative(datetime!(2026-11-20 09:00 UTC), now), "3 d ago");
        assert_eq!(relative(datetime!(2026-11-23 11:30 UTC), now), "in 2 h");
        assert_eq!(relative(now, now), "just now");
        assert_eq!(absolute(now), "2026-11-23 09:00 UTC");
    }
}
