//! Quiet periods (one-off, recurring across DST changes, snoozes) and the flapping filter.

use backboard_core::health::Verdict;
use backboard_core::history::{resolve, step, Decision, FlapState, Quiet, Resolved, Window, HOLD_RUNS};
use time::macros::datetime;
use time::{Duration, OffsetDateTime, UtcOffset};

use crate::gen::Tz;

const NOW: OffsetDateTime = datetime!(2026-11-29 12:00 UTC);

#[test]
fn one_off_windows_and_snoozes() {
    let q = Quiet {
        windows: vec![Window::Once { from: NOW - Duration::hours(1), until: NOW + Duration::hours(2) }],
        snooze_until: Some(NOW + Duration::hours(5)),
    };
    let utc = UtcOffset::UTC;
    assert_eq!(q.quiet_until(&utc, NOW), Some(NOW + Duration::hours(5)));
    assert_eq!(q.quiet_until(&utc, NOW + Duration::hours(4)), Some(NOW + Duration::hours(5)));
    assert!(!q.is_quiet(&utc, NOW + Duration::hours(5)), "the end is not included");
    // A snooze has no start: it holds until its end.
    assert!(q.is_quiet(&utc, NOW - Duration::hours(2)));
    let window_only = Quiet { snooze_until: None, ..q };
    assert!(!window_only.is_quiet(&utc, NOW - Duration::minutes(61)));
    assert_eq!(window_only.quiet_until(&utc, NOW - Duration::hours(1)), Some(NOW + Duration::hours(2)));
    assert!(!window_only.is_quiet(&utc, NOW + Duration::hours(2)));
}

#[test]
fn recurring_windows_follow_the_zone_across_dst() {
    let berlin = Tz::named("Europe/Berlin");
    let sunday_night = |cron: &str, mins: u64| Quiet {
        windows: vec![Window::Recurring { cron: cron.into(), duration_secs: mins * 60 }],
        snooze_until: None,
    };
    let q = sunday_night("0 2 * * sun", 180);
    // 29 November 2026 is a Sunday; 02:00 in Berlin (CET) is 01:00 UTC.
    assert!(!q.is_quiet(&berlin, datetime!(2026-11-29 00:59 UTC)));
    assert_eq!(q.quiet_until(&berlin, datetime!(2026-11-29 01:00 UTC)), Some(datetime!(2026-11-29 04:00 UTC)));
    assert!(q.is_quiet(&berlin, datetime!(2026-11-29 03:59:59 UTC)));
    assert!(!q.is_quiet(&berlin, datetime!(2026-11-29 04:00 UTC)));
    // In summer (CEST) the same line is 00:00 UTC.
    assert!(q.is_quiet(&berlin, datetime!(2026-07-05 00:00 UTC)));
    assert!(!q.is_quiet(&berlin, datetime!(2026-07-05 03:00 UTC)));

    // 29 March 2026: clocks go from 02:00 to 03:00, so 02:30 never happens and starts nothing.
    let half_past_two = sunday_night("30 2 * * sun", 30);
    for t in [datetime!(2026-03-29 00:30 UTC), datetime!(2026-03-29 01:00 UTC), datetime!(2026-03-29 01:30 UTC)] {
        assert!(!half_past_two.is_quiet(&berlin, t), "{t}");
    }
    // 25 October 2026: clocks go from 03:00 back to 02:00, so 02:30 happens twice.
    assert!(half_past_two.is_quiet(&berlin, datetime!(2026-10-25 00:30 UTC)));
    assert!(!half_past_two.is_quiet(&berlin, datetime!(2026-10-25 01:15 UTC)));
    assert!(half_past_two.is_quiet(&berlin, datetime!(2026-10-25 01:45 UTC)));
    assert!(!half_past_two.is_quiet(&berlin, datetime!(2026-10-25 02:00 UTC)));
}

#[test]
fn wall_clock_times_resolve_once_twice_or_not_at_all() {
    let berlin = Tz::named("Europe/Berlin");
    assert_eq!(resolve(&berlin, datetime!(2026-11-29 09:00)), Resolved::Once(datetime!(2026-11-29 08:00 UTC)));
    assert_eq!(
        resolve(&berlin, datetime!(2026-03-29 02:30)),
        Resolved::Skipped { after: datetime!(2026-03-29 01:30 UTC) }
    );
    assert_eq!(
        resolve(&berlin, datetime!(2026-10-25 02:30)),
        Resolved::Twice(datetime!(2026-10-25 00:30 UTC), datetime!(2026-10-25 01:30 UTC))
    );
    // The southern hemisphere: Sydney goes from 02:00 (+10) to 03:00 (+11) on 4 October.
    let sydney = Tz::named("Australia/Sydney");
    assert_eq!(resolve(&sydney, datetime!(2026-10-04 02:30)).first(), datetime!(2026-10-03 16:30 UTC));
    let fixed = UtcOffset::from_hms(5, 30, 0).unwrap();
    assert_eq!(resolve(&fixed, datetime!(2026-01-01 00:00)), Resolved::Once(datetime!(2025-12-31 18:30 UTC)));
}

#[test]
fn windows_that_cannot_be_kept_are_refused() {
    let bad = [
        (Window::Once { from: NOW, until: NOW }, "end after it starts"),
        (Window::Recurring { cron: "0 2 * *".into(), duration_secs: 600 }, "not a cron line"),
        (Window::Recurring { cron: "@daily".into(), duration_secs: 30 }, "not 30 seconds"),
        (Window::Recurring { cron: "@daily".into(), duration_secs: 8 * 86_400 }, "7 days"),
    ];
    for (w, words) in bad {
        let e = w.validate().unwrap_err();
        assert!(e.contains(words), "{e}");
    }
    assert_eq!(Window::Recurring { cron: "@weekly".into(), duration_secs: 3600 }.validate(), Ok(()));
    let json = serde_json::to_value(Window::Once { from: NOW, until: NOW + Duration::hours(1) }).unwrap();
    assert_eq!(json["kind"], "once");
    assert_eq!(json["until"], "2026-11-29T13:00:00Z");
}

/// Runs every 15 minutes from NOW with these verdicts; the decisions that were not `Same`.
fn run(verdicts: &[Verdict], quiet: &[bool], hold: u32) -> (FlapState, Vec<(usize, Decision)>) {
    let mut state = FlapState::default();
    let mut out = Vec::new();
    for (i, v) in verdicts.iter().enumerate() {
        let now = NOW + Duration::minutes(15 * i as i64);
        let (next, d) = step(&state, *v, now, quiet.get(i).copied().unwrap_or(false), hold);
        state = next;
        if d != Decision::Same {
            out.push((i, d));
        }
    }
    (state, out)
}

fn at(i: i64) -> OffsetDateTime {
    NOW + Duration::minutes(15 * i)
}

#[test]
fn a_verdict_must_hold_for_two_runs() {
    use Verdict::*;
    assert_eq!(HOLD_RUNS, 2);
    // A first healthy run is taken silently; a one-run glitch is never announced.
    let (state, decisions) = run(&[Healthy, Unknown, Healthy, Healthy], &[], HOLD_RUNS);
    assert_eq!(decisions, [(1, Decision::Settling { verdict: Unknown, runs: 1, needed: 2 })]);
    assert_eq!(state, FlapState { announced: Some(Healthy), ..FlapState::default() });
    // Flapping between two bad verdicts restarts the count each time.
    let (_, decisions) = run(&[Healthy, Warning, Failing, Warning, Warning], &[], HOLD_RUNS);
    assert_eq!(
        decisions.last(),
        Some(&(4, Decision::Changed { from: Some(Healthy), to: Warning, since: at(3), send: true }))
    );
    assert_eq!(decisions.len(), 4);
    // A first run that is not healthy is announced once it holds, from nothing.
    let (state, decisions) = run(&[Failing, Failing, Failing], &[], HOLD_RUNS);
    assert_eq!(decisions[1], (1, Decision::Changed { from: None, to: Failing, since: at(0), send: true }));
    assert_eq!(decisions.len(), 2);
    assert_eq!(state.announced, Some(Failing));
    // Holding for one run announces at once.
    let (_, decisions) = run(&[Healthy, Warning], &[], 1);
    assert_eq!(decisions, [(1, Decision::Changed { from: Some(Healthy), to: Warning, since: at(1), send: true })]);
}

#[test]
fn quiet_periods_record_once_and_send_what_still_holds_afterwards() {
    use Verdict::*;
    let verdicts = [Healthy, Failing, Failing, Failing, Failing, Failing];
    let quiet = [false, true, true, true, false, false];
    let (state, decisions) = run(&verdicts, &quiet, HOLD_RUNS);
    assert_eq!(
        decisions,
        [
            (1, Decision::Settling { verdict: Failing, runs: 1, needed: 2 }),
            (2, Decision::Changed { from: Some(Healthy), to: Failing, since: at(1), send: false }),
            (3, Decision::StillQuiet { to: Failing }),
            (4, Decision::Changed { from: Some(Healthy), to: Failing, since: at(1), send: true }),
        ]
    );
    assert_eq!(state.announced, Some(Failing));
    // Maintenance that breaks and mends a source within the window sends nothing.
    let (state, decisions) = run(&[Healthy, Failing, Failing, Healthy, Healthy], &[false, true, true, true, false], 2);
    assert_eq!(decisions.len(), 2);
    assert!(matches!(decisions[1].1, Decision::Changed { send: false, .. }));
    assert_eq!(state, FlapState { announced: Some(Healthy), ..FlapState::default() });
}

/// Counts how often the zone is asked (the worker asks JavaScript's Intl each time).
struct Counting(Tz, std::cell::Cell<usize>);

impl backboard_core::history::Zone for Counting {
    fn offset_at(&self, utc: OffsetDateTime) -> UtcOffset {
        self.1.set(self.1.get() + 1);
        self.0.offset_at(utc)
    }
}

#[test]
fn a_long_window_asks_the_zone_twice_unless_the_offset_changes_within_it() {
    let week = Quiet {
        windows: vec![Window::Recurring { cron: "0 22 * * fri".into(), duration_secs: 7 * 86_400 - 60 }],
        snooze_until: None,
    };
    let zone = Counting(Tz::named("Europe/Berlin"), std::cell::Cell::new(0));
    // Friday 27 November 22:00 CET is 21:00 UTC; a week later it is still open.
    assert!(week.is_quiet(&zone, datetime!(2026-12-04 20:00 UTC)));
    assert_eq!(zone.1.get(), 2);
    // Across the change of 25 October the zone is asked minute by minute, and still right.
    zone.1.set(0);
    assert!(week.is_quiet(&zone, datetime!(2026-10-28 12:00 UTC)));
    assert_eq!(week.quiet_until(&zone, datetime!(2026-10-28 12:00 UTC)), Some(datetime!(2026-10-30 19:59 UTC)));
    assert!(zone.1.get() > 10_000, "{}", zone.1.get());
}
