//! Compliance over a generated 96-day history: a source added mid-period, a missed backup, a
//! failed one, days without runs, and a schedule that changes mid-period.

use backboard_core::history::{compliance, days, DayStatus, Evidence, IntervalFrom, NoData, Rule};
use backboard_core::Status;
use time::macros::{date, datetime};
use time::{Date, Duration, OffsetDateTime};

use crate::gen::daily;

const FIRST_BACKUP: OffsetDateTime = datetime!(2026-08-25 03:00 UTC);
const ADDED: OffsetDateTime = datetime!(2026-09-01 12:00 UTC);
const CHANGE: OffsetDateTime = datetime!(2026-11-01 12:00 UTC);
const NOW: OffsetDateTime = datetime!(2026-11-29 12:00 UTC);
const TODAY: Date = date!(2026 - 11 - 29);

fn every(from: OffsetDateTime, hours: u64) -> IntervalFrom {
    IntervalFrom { from, every_secs: Some(hours * 3600), origin: "threshold".into() }
}

/// Daily backups at 03:00 until 1 November (9 Sept... day 20 missing, day 30 failed), then
/// every 6 hours from 09:00 when `six_hourly`.
fn history(six_hourly: bool) -> (Vec<OffsetDateTime>, Vec<OffsetDateTime>) {
    let backups = daily("a", FIRST_BACKUP, 69, &[20], &[30]);
    let mut points: Vec<OffsetDateTime> =
        backups.iter().filter(|b| b.status == Status::Completed).filter_map(|b| b.completed).collect();
    let failures: Vec<OffsetDateTime> =
        backups.iter().filter(|b| b.status == Status::Failed).filter_map(|b| b.created).collect();
    let mut t = datetime!(2026-11-01 09:00 UTC);
    while six_hourly && t <= NOW {
        points.push(t);
        t += Duration::hours(6);
    }
    if !six_hourly {
        points.extend((0..29).map(|n| datetime!(2026-11-02 03:00 UTC) + Duration::days(n)));
    }
    (points, failures)
}

/// Days with a run: every day from the added day to today, but 4 to 6 October.
fn covered() -> Vec<Date> {
    let mut out = Vec::new();
    let mut d = ADDED.date();
    while d <= TODAY {
        if !(date!(2026 - 10 - 04)..=date!(2026 - 10 - 06)).contains(&d) {
            out.push(d);
        }
        d = d.next_day().unwrap();
    }
    out
}

fn status_of(cells: &[backboard_core::history::Day], d: Date) -> DayStatus {
    cells.iter().find(|c| c.date == d).map(|c| c.status).unwrap()
}

#[test]
fn ninety_days_with_a_gap_a_failure_days_without_runs_and_a_faster_schedule() {
    let (points, failures) = history(true);
    let intervals = [every(CHANGE, 6), every(ADDED, 24)];
    let covered = covered();
    let e = Evidence {
        added: ADDED,
        intervals: &intervals,
        points: &points,
        failures: &failures,
        covered: &covered,
        observed_until: NOW,
    };
    let c = compliance(&e, TODAY, &Rule::default());
    assert_eq!(c.strip.len(), 90);
    assert_eq!(c.strip[0].date, date!(2026 - 09 - 01));
    assert_eq!(c.strip[89].date, TODAY);
    let not_met: Vec<(String, DayStatus)> =
        c.strip.iter().filter(|d| d.status != DayStatus::Met).map(|d| (d.date.to_string(), d.status)).collect();
    assert_eq!(
        not_met,
        [
            // The backup of 14 Sept is missing: from 15:00 on the 14th to 03:00 on the 15th the
            // newest restore point is older than 36 h.
            ("2026-09-14".to_string(), DayStatus::Missed),
            ("2026-09-15".into(), DayStatus::Missed),
            // The attempt of the 24th failed: the same gap, explained by the failure.
            ("2026-09-24".into(), DayStatus::Failed),
            ("2026-09-25".into(), DayStatus::Failed),
            ("2026-10-04".into(), DayStatus::NoData),
            ("2026-10-05".into(), DayStatus::NoData),
            ("2026-10-06".into(), DayStatus::NoData),
        ]
    );
    assert_eq!((c.last_90.met, c.last_90.missed, c.last_90.failed, c.last_90.no_data), (83, 2, 2, 3));
    assert_eq!(c.last_90.percent, Some(95.4));
    assert_eq!(c.last_30.percent, Some(100.0));
    assert_eq!(c.last_7.days, 7);
    assert_eq!(
        c.text,
        "Last 90 days: 95.4% (83 of 87 days; 2 missed, 2 failed, 3 without data). \
         Last 30 days: 100.0% (30 of 30 days). Last 7 days: 100.0% (7 of 7 days)."
    );
    let missed = c.strip.iter().find(|d| d.date == date!(2026 - 09 - 14)).unwrap();
    assert_eq!(missed.text, "2026-09-14: missed, no restore point for 1 d 21 h (allowed 1 d 12 h)");
    let failed = c.strip.iter().find(|d| d.date == date!(2026 - 09 - 24)).unwrap();
    assert_eq!((failed.restore_points, failed.failures), (0, 1));
    assert!(failed.text.ends_with("; 1 failed attempt"), "{}", failed.text);
    let gap = c.strip.iter().find(|d| d.date == date!(2026 - 10 - 05)).unwrap();
    assert_eq!(gap.no_data, Some(NoData::NoRun));
    assert_eq!(gap.text, "2026-10-05: no data, no check ran; 1 restore point");
    // Four restore points a day once the schedule is every 6 hours.
    assert_eq!(status_of(&c.strip, date!(2026 - 11 - 10)), DayStatus::Met);
    assert_eq!(c.strip.iter().find(|d| d.date == date!(2026 - 11 - 10)).unwrap().restore_points, 4);
}

#[test]
fn a_faster_schedule_without_faster_backups_is_missed_from_the_change_on() {
    let (points, failures) = history(false);
    let intervals = [every(ADDED, 24), every(CHANGE, 6)];
    let covered = covered();
    let e = Evidence {
        added: ADDED,
        intervals: &intervals,
        points: &points,
        failures: &failures,
        covered: &covered,
        observed_until: NOW,
    };
    let c = compliance(&e, TODAY, &Rule::default());
    assert_eq!(status_of(&c.strip, date!(2026 - 10 - 31)), DayStatus::Met);
    let change_day = c.strip.iter().find(|d| d.date == date!(2026 - 11 - 01)).unwrap();
    assert_eq!(change_day.status, DayStatus::Missed);
    // The afternoon under the new interval decides: 21 h at midnight against 9 h allowed.
    assert_eq!(change_day.longest_secs, Some(21 * 3600));
    assert_eq!(change_day.allowed_secs, Some(9 * 3600));
    assert_eq!((c.last_30.met, c.last_30.missed), (1, 29));
    assert_eq!(c.last_30.percent, Some(3.3));
}

#[test]
fn days_before_the_source_was_added_or_still_to_come_have_no_data() {
    let (points, failures) = history(true);
    let intervals = [every(ADDED, 24)];
    let covered = covered();
    let e = Evidence {
        added: ADDED,
        intervals: &intervals,
        points: &points,
        failures: &failures,
        covered: &covered,
        observed_until: NOW,
    };
    let cells = days(&e, date!(2026 - 08 - 30), date!(2026 - 09 - 02), &Rule::default());
    let got: Vec<(DayStatus, Option<NoData>)> = cells.iter().map(|d| (d.status, d.no_data)).collect();
    assert_eq!(
        got,
        [
            (DayStatus::NoData, Some(NoData::BeforeAdded)),
            (DayStatus::NoData, Some(NoData::BeforeAdded)),
            // Added at noon: judged from then on, with the restore point of 03:00.
            (DayStatus::Met, None),
            (DayStatus::Met, None),
        ]
    );
    assert_eq!(cells[2].longest_secs, Some(21 * 3600));
    let future = days(&e, date!(2026 - 11 - 30), date!(2026 - 11 - 30), &Rule::default());
    assert_eq!(future[0].no_data, Some(NoData::NotYet));
    // Nothing expected: no data, whatever the backups.
    let none = [IntervalFrom { from: ADDED, every_secs: None, origin: "none".into() }];
    let e = Evidence { intervals: &none, ..e };
    let c = compliance(&e, TODAY, &Rule::default());
    assert!(c.strip.iter().all(|d| d.no_data.is_some()));
    assert_eq!(c.last_90.percent, None);
    assert!(c.text.starts_with("Last 90 days: no data for 90 days."), "{}", c.text);
}

#[test]
fn a_source_that_never_had_a_restore_point_misses_or_fails() {
    let added = datetime!(2026-11-20 10:00 UTC);
    let covered: Vec<Date> =
        (20..=29).map(|d| Date::from_calendar_date(2026, time::Month::November, d).unwrap()).collect();
    let failures = [datetime!(2026-11-25 03:00 UTC)];
    let intervals = [every(added, 24)];
    let e = Evidence {
        added,
        intervals: &intervals,
        points: &[],
        failures: &failures,
        covered: &covered,
        observed_until: NOW,
    };
    let c = compliance(&e, TODAY, &Rule::default());
    let tail: Vec<DayStatus> = c.strip[80..].iter().map(|d| d.status).collect();
    use DayStatus::*;
    assert_eq!(c.strip[79].no_data, Some(backboard_core::history::NoData::BeforeAdded));
    assert_eq!(tail, [Missed, Missed, Missed, Missed, Missed, Failed, Failed, Failed, Failed, Failed]);
    assert_eq!(c.strip[80].text, "2026-11-20: missed, no restore point at all");
}

#[test]
fn the_expected_interval_is_added_to_the_timeline_only_when_it_changes() {
    use backboard_core::health::{Expected, ExpectedFrom};
    use backboard_core::history::interval_change;
    let t = datetime!(2026-11-01 00:00 UTC);
    let daily =
        Expected { every_secs: 86_400, every: "1 d".into(), from: ExpectedFrom::Threshold, description: String::new() };
    let first = interval_change(None, Some(&daily), t).unwrap();
    assert_eq!(first, IntervalFrom { from: t, every_secs: Some(86_400), origin: "threshold".into() });
    assert_eq!(interval_change(Some(&first), Some(&daily), t + Duration::hours(1)), None);
    let gone = interval_change(Some(&first), None, t + Duration::hours(2)).unwrap();
    assert_eq!((gone.every_secs, gone.origin.as_str()), (None, "none"));
}
