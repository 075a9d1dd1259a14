//! The one cron grammar of Backboard: five fields (minute hour day-of-month month day-of-week)
//! of `*` or `?`, numbers, three-letter names (`jan`, `mon`), ranges, steps and lists, or a
//! macro (`@hourly`, `@daily`, `@midnight`, `@weekly`, `@monthly`, `@yearly`, `@annually`).
//! Health reads schedules with it, mittwald's schedule forms validate with it and the simulator
//! checks what it is sent with it. Also: the longest gap between runs.

use time::{Date, Month, PrimitiveDateTime, Weekday};

const MINUTE: u64 = 60;

/// A parsed cron line: the sets of minutes, hours, days and months it runs at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cron {
    minutes: u64,
    hours: u32,
    /// Bits 1..=31.
    days_of_month: u32,
    /// Bits 1..=12.
    months: u16,
    /// Bits 0..=6, 0 is Sunday.
    days_of_week: u8,
    dom_any: bool,
    dow_any: bool,
}

/// How often a schedule runs: on the calendar, or every so many seconds from its own start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cadence {
    Calendar(Cron),
    Every(u64),
}

/// Why a line is not cron: the number of fields, or the first field that cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    FieldCount,
    Field { name: &'static str, text: String, min: u32, max: u32 },
}

const ALL_HOURS: u32 = (1 << 24) - 1;
const ALL_DOM: u32 = ((1u64 << 32) - 2) as u32;
const ALL_MONTHS: u16 = ((1 << 13) - 2) as u16;
const ALL_DOW: u8 = (1 << 7) - 1;

const MONTH_NAMES: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAY_NAMES: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/// The five fields: name for messages, range, and the names of `min`, `min + 1`, ...
const FIELDS: [(&str, u32, u32, &[&str]); 5] = [
    ("minute", 0, 59, &[]),
    ("hour", 0, 23, &[]),
    ("day", 1, 31, &[]),
    ("month", 1, 12, &MONTH_NAMES),
    // 7 is Sunday too; folded onto 0.
    ("weekday", 0, 7, &DAY_NAMES),
];

/// The five fields a macro stands for; None for anything that is not a macro.
pub fn expand_macro(line: &str) -> Option<&'static str> {
    Some(match line.trim().to_ascii_lowercase().as_str() {
        "@hourly" => "0 * * * *",
        "@daily" | "@midnight" => "0 0 * * *",
        "@weekly" => "0 0 * * 0",
        "@monthly" => "0 0 1 * *",
        "@yearly" | "@annually" => "0 0 1 1 *",
        _ => return None,
    })
}

/// One cron field as a bit set over `min..=max`.
fn field(field: &str, min: u32, max: u32, names: &[&str]) -> Option<u64> {
    let value = |s: &str| -> Option<u32> {
        let s = s.trim();
        if let Some(i) = names.iter().position(|n| n.eq_ignore_ascii_case(s)) {
            return Some(min + i as u32);
        }
        if s.is_empty() || s.len() > 2 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    let mut bits = 0u64;
    for item in field.split(',') {
        let (range, step) = match item.split_once('/') {
            Some((r, s)) => {
                let step: u32 = s.trim().parse().ok().filter(|s| *s > 0)?;
                (r, step)
            }
            None => (item, 1),
        };
        let (lo, hi) = match range.trim() {
            "*" | "?" => (min, max),
            r => match r.split_once('-') {
                Some((a, b)) => (value(a)?, value(b)?),
                // "5/15" runs from 5 to the end, as in Vixie cron.
                None if step > 1 => (value(r)?, max),
                None => {
                    let v = value(r)?;
                    (v, v)
                }
            },
        };
        if lo < min || hi > max || lo > hi {
            return None;
        }
        let mut v = lo;
        while v <= hi {
            bits |= 1 << v;
            v += step;
        }
    }
    Some(bits)
}

fn bits_of(list: &[u8], max: u8) -> u64 {
    list.iter().filter(|v| **v <= max).fold(0u64, |acc, v| acc | 1 << v)
}

impl Cron {
    pub fn parse(line: &str) -> Result<Self, Problem> {
        let line = expand_macro(line).unwrap_or(line);
        let fields: Vec<&str> = line.split_whitespace().collect();
        let fields: [&str; 5] = fields.try_into().map_err(|_| Problem::FieldCount)?;
        let mut bits = [0u64; 5];
        for (i, ((name, min, max, names), text)) in FIELDS.iter().zip(fields).enumerate() {
            bits[i] = field(text, *min, *max, names).ok_or_else(|| Problem::Field {
                name,
                text: text.to_string(),
                min: *min,
                max: *max,
            })?;
        }
        let any = |f: &str| matches!(f, "*" | "?");
        Ok(Cron {
            minutes: bits[0],
            hours: bits[1] as u32,
            days_of_month: bits[2] as u32,
            months: bits[3] as u16,
            days_of_week: ((bits[4] | (bits[4] >> 7)) & u64::from(ALL_DOW)) as u8,
            dom_any: any(fields[2]),
            dow_any: any(fields[4]),
        })
    }

    /// Runs every day of every month at these minutes of these hours (`None`: every hour), on
    /// these weekdays (0 is Sunday; `None`: every day). Values out of range are dropped; None
    /// when a given list keeps no value.
    pub fn at(minutes: &[u8], hours: Option<&[u8]>, weekdays: Option<&[u8]>) -> Option<Self> {
        let minutes = Some(bits_of(minutes, 59)).filter(|m| *m != 0)?;
        let hours = match hours {
            None => ALL_HOURS,
            Some(h) => Some(bits_of(h, 23) as u32).filter(|h| *h != 0)?,
        };
        let days_of_week = match weekdays {
            None => ALL_DOW,
            Some(d) => Some(bits_of(d, 6) as u8).filter(|d| *d != 0)?,
        };
        Some(Cron {
            minutes,
            hours,
            days_of_month: ALL_DOM,
            months: ALL_MONTHS,
            days_of_week,
            dom_any: true,
            dow_any: weekdays.is_none(),
        })
    }

    /// Runs at one minute of an hour at most.
    pub fn is_at_most_hourly(&self) -> bool {
        self.minutes.count_ones() == 1
    }

    /// Runs once a day, every day.
    pub fn is_daily(&self) -> bool {
        self.is_at_most_hourly()
            && self.hours.count_ones() == 1
            && self.dom_any
            && self.dow_any
            && self.months == ALL_MONTHS
    }

    /// Runs at this minute (a wall-clock time; seconds are ignored).
    pub fn matches(&self, at: PrimitiveDateTime) -> bool {
        self.runs_on(at.date()) && self.hours & (1 << at.hour()) != 0 && self.minutes & (1 << at.minute()) != 0
    }

    fn runs_on(&self, date: Date) -> bool {
        if self.months & (1 << u8::from(date.month())) == 0 {
            return false;
        }
        let dom = self.days_of_month & (1 << date.day()) != 0;
        let dow = self.days_of_week & (1 << date.weekday().number_days_from_sunday()) != 0;
        // Vixie cron: when both day fields are restricted, either one matching is enough.
        match (self.dom_any, self.dow_any) {
            (false, false) => dom || dow,
            _ => dom && dow,
        }
    }

    /// The minutes of a day it runs at, as 1440 bits.
    fn day_mask(&self) -> [u64; 23] {
        let mut mask = [0u64; 23];
        for h in 0..24 {
            if self.hours & (1 << h) == 0 {
                continue;
            }
            for m in 0..60 {
                if self.minutes & (1 << m) != 0 {
                    let i = h * 60 + m;
                    mask[i / 64] |= 1 << (i % 64);
                }
            }
        }
        mask
    }
}

/// The longest gap, in seconds, between consecutive runs of any of `specs`, walked minute by
/// minute over 800 days from a fixed Monday: long enough for yearly schedules and every month
/// length, and fixed so the answer depends on the schedules alone. None when there are fewer
/// than two runs in that time (a leap-day schedule, nothing valid).
pub fn longest_gap(specs: &[Cron]) -> Option<u64> {
    if specs.is_empty() {
        return None;
    }
    let masks: Vec<[u64; 23]> = specs.iter().map(Cron::day_mask).collect();
    let start = Date::from_calendar_date(2024, Month::January, 1).ok()?;
    debug_assert_eq!(start.weekday(), Weekday::Monday);
    let mut last: Option<u64> = None;
    let mut longest: Option<u64> = None;
    let mut date = start;
    for day in 0u64..800 {
        let mut mask = [0u64; 23];
        for (spec, m) in specs.iter().zip(&masks) {
            if spec.runs_on(date) {
                for (a, b) in mask.iter_mut().zip(m) {
                    *a |= b;
                }
            }
        }
        for (w, word) in mask.iter().enumerate() {
            let mut bits = *word;
            while bits != 0 {
                let minute = day * 1440 + (w as u64) * 64 + u64::from(bits.trailing_zeros());
                bits &= bits - 1;
                if let Some(prev) = last {
                    longest = longest.max(Some(minute - prev));
                }
                last = Some(minute);
            }
        }
        date = date.next_day()?;
    }
    longest.map(|m| m * MINUTE)
}

/// The longest gap between runs of a cron line. None for anything that is not five valid
/// fields or a macro.
pub fn interval(line: &str) -> Option<u64> {
    longest_gap(&[Cron::parse(line).ok()?])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_name_the_first_bad_field() {
        assert_eq!(Cron::parse("0 3 * *"), Err(Problem::FieldCount));
        assert_eq!(Cron::parse(""), Err(Problem::FieldCount));
        assert_eq!(
            Cron::parse("60 3 * * 8"),
            Err(Problem::Field { name: "minute", text: "60".into(), min: 0, max: 59 })
        );
        assert_eq!(Cron::parse("0 3 * * 8"), Err(Problem::Field { name: "weekday", text: "8".into(), min: 0, max: 7 }));
    }

    #[test]
    fn frequencies() {
        let cron = |s: &str| Cron::parse(s).unwrap();
        assert!(cron("0 3 * * *").is_daily());
        assert!(cron("@daily").is_daily());
        assert!(cron("0 3 ? * ?").is_daily());
        for not_daily in ["0 3 * * MON", "0 3 1 * *", "0 3 * jan *", "0 */6 * * *", "@hourly"] {
            assert!(cron(not_daily).is_at_most_hourly(), "{not_daily}");
            assert!(!cron(not_daily).is_daily(), "{not_daily}");
        }
        assert!(!cron("*/30 * * * *").is_at_most_hourly());
    }

    #[test]
    fn matches_a_minute() {
        use time::macros::datetime;
        let c = Cron::parse("30 2 * * sun").unwrap();
        assert!(c.matches(datetime!(2026-03-29 02:30)));
        assert!(c.matches(datetime!(2026-03-29 02:30:59)));
        assert!(!c.matches(datetime!(2026-03-29 02:31)));
        assert!(!c.matches(datetime!(2026-03-30 02:30)));
    }

    #[test]
    fn at_is_the_same_as_the_line() {
        assert_eq!(Cron::at(&[30], Some(&[18]), Some(&[5])), Cron::parse("30 18 * * fri").ok());
        assert_eq!(Cron::at(&[0, 30], None, None), Cron::parse("0,30 * * * *").ok());
        assert_eq!(Cron::at(&[60], None, None), None);
        assert_eq!(Cron::at(&[0], Some(&[]), None), None);
        assert_eq!(Cron::at(&[0], Some(&[3]), Some(&[7])), None);
    }
}
