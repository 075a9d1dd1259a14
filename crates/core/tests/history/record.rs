//! Recording: a run adds only what is not stored yet, a new source brings its past, and
//! retention cuts whole days.

use backboard_core::health::Verdict;
use backboard_core::history::{record, Retention, Stored};
use backboard_core::Status;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

use crate::gen::{backup, daily, health, key};

const START: OffsetDateTime = datetime!(2026-09-01 03:00 UTC);

#[test]
fn a_new_source_brings_everything_listed_and_a_repeated_run_adds_nothing() {
    // 30 days of backups, day 4 missing, day 9 failed.
    let backups = daily("a", START, 30, &[4], &[9]);
    let now = START + Duration::days(29) + Duration::hours(1);
    let mut stored = Stored { since: Some(Stored::since_for(now)), ..Stored::default() };
    let first = record(&backups, &[health("a", Verdict::Healthy)], &stored, now);
    assert_eq!(first.points.len(), 28);
    assert_eq!(first.attempts.len(), 1);
    assert_eq!(first.attempts[0].backup_id, "a-9");
    assert_eq!(first.attempts[0].status, Status::Failed);
    assert_eq!(first.points[0].backup_id, "a-0");
    assert_eq!(first.points[0].completed, START);
    assert_eq!(first.points[0].size_bytes, Some(100_000_000));
    assert_eq!(first.points[0].seen, now);
    assert_eq!(first.days.len(), 1);
    assert_eq!(first.days[0].source, key("a"));
    assert_eq!(first.days[0].verdict, Verdict::Healthy);
    stored.add(&first);

    // The same run again (or an overlapping one): no restore point, no attempt.
    let again = record(&backups, &[health("a", Verdict::Healthy)], &stored, now);
    assert!(again.points.is_empty(), "{:?}", again.points);
    assert!(again.attempts.is_empty());
    assert_eq!(again.days.len(), 1, "the day's verdict is folded, not added");

    // The next day's backup, and only it.
    let later = now + Duration::days(1);
    let next = daily("a", START, 31, &[4], &[9]);
    stored.since = Some(Stored::since_for(later));
    let third = record(&next, &[health("a", Verdict::Healthy)], &stored, later);
    let ids: Vec<&str> = third.points.iter().map(|p| p.backup_id.as_str()).collect();
    assert_eq!(ids, ["a-30"]);
}

#[test]
fn old_backups_of_a_known_source_count_as_recorded() {
    let now = START + Duration::days(20);
    let mut stored = Stored { since: Some(Stored::since_for(now)), ..Stored::default() };
    stored.newest_point.insert(key("a"), now - Duration::days(9));
    // Known source: a backup from 10 days ago, not among the keys loaded, is before `since` and
    // not newer than the newest stored one.
    let old = backup("a", "old", Status::Completed, now - Duration::days(10), None);
    let recent = backup("a", "recent", Status::Completed, now - Duration::days(2), None);
    // Unknown source: its old backup is taken in.
    let other = backup("b", "old-b", Status::Completed, now - Duration::days(10), None);
    let rec = record(&[old, recent, other], &[], &stored, now);
    let got: Vec<(&str, &str)> = rec.points.iter().map(|p| (p.source.as_str(), p.backup_id.as_str())).collect();
    assert_eq!(got, [(key("a").as_str(), "recent"), (key("b").as_str(), "old-b")]);
    assert!(rec.days.is_empty());
}

#[test]
fn a_source_back_after_a_long_outage_loses_nothing() {
    // Nothing could be listed for 12 days; the newest stored restore point is 12 days old.
    let now = START + Duration::days(40);
    let mut stored = Stored { since: Some(Stored::since_for(now)), ..Stored::default() };
    stored.newest_point.insert(key("a"), now - Duration::days(12));
    stored.points.insert((key("a"), "a-28".into()));
    let backups = daily("a", START, 41, &[], &[]);
    let rec = record(&backups, &[], &stored, now);
    let ids: Vec<&str> = rec.points.iter().map(|p| p.backup_id.as_str()).collect();
    assert_eq!(ids, ["a-29", "a-30", "a-31", "a-32", "a-33", "a-34", "a-35", "a-36", "a-37", "a-38", "a-39", "a-40"]);
}

#[test]
fn a_listing_that_repeats_a_backup_records_it_once_and_skips_undated_and_running() {
    let now = START;
    let t = START - Duration::hours(2);
    let mut undated = backup("a", "u", Status::Completed, t, None);
    undated.created = None;
    undated.completed = None;
    let running = backup("a", "r", Status::Running, t, None);
    let aborted = backup("a", "x", Status::Aborted, t, None);
    let twice = backup("a", "d", Status::Completed, t, Some(7));
    let rec = record(&[twice.clone(), twice, undated, running, aborted], &[], &Stored::default(), now);
    assert_eq!(rec.points.len(), 1);
    assert_eq!(rec.points[0].size_bytes, Some(7));
    assert_eq!(rec.attempts.len(), 1);
    assert_eq!(rec.attempts[0].status, Status::Aborted);
    // An aborted attempt has no completion; it is dated by its creation.
    assert_eq!(rec.attempts[0].at, t - Duration::minutes(10));
}

#[test]
fn retention_keeps_whole_days() {
    let now = datetime!(2026-12-06 22:30 UTC);
    assert_eq!(Retention::default().keep_days, 400);
    assert_eq!(Retention::default().cutoff(now), datetime!(2025-11-01 00:00 UTC));
    assert_eq!(Retention::parse(" 90 ").map(|r| r.cutoff(now)), Ok(datetime!(2026-09-07 00:00 UTC)));
    assert_eq!(Retention::parse(""), Ok(Retention::default()));
    for bad in ["89", "3651", "-1", "1y", "400.5"] {
        let e = Retention::parse(bad).unwrap_err();
        assert!(e.contains("from 90 to 3650"), "{bad}: {e}");
    }
}

#[test]
fn retention_runs_on_the_first_run_of_each_utc_day() {
    let now = datetime!(2026-12-06 00:00 UTC);
    assert!(Retention::due(now, None), "the very first run");
    assert!(Retention::due(now, Some(datetime!(2026-12-05 23:45 UTC))));
    assert!(Retention::due(now, Some(datetime!(2026-12-01 10:00 UTC))), "after days without a run");
    assert!(!Retention::due(datetime!(2026-12-06 00:15 UTC), Some(now)));
    assert!(!Retention::due(now, Some(now)), "the same run again");
}
