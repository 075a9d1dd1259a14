//! Unusual sizes: against the median of the backups before, only with enough of them, and as a
//! health reason when the caller asks for it.

use backboard_core::health::{evaluate, Expectation, Policy, ReasonCode, SizePoint, Verdict};
use backboard_core::history::{median, newest_unusual, unusual_points, SizeRule};
use backboard_core::{Provider, Status};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

use crate::gen::{backup, src};

const T0: OffsetDateTime = datetime!(2026-11-01 03:00 UTC);
const MB: u64 = 1_048_576;

fn points(mbs: &[u64]) -> Vec<SizePoint> {
    mbs.iter().enumerate().map(|(i, m)| SizePoint { time: T0 + Duration::days(i as i64), bytes: m * MB }).collect()
}

#[test]
fn medians() {
    assert_eq!(median(&[]), None);
    assert_eq!(median(&[5]), Some(5));
    assert_eq!(median(&[9, 1, 5]), Some(5));
    assert_eq!(median(&[1, 2, 3, 10]), Some(2));
    assert_eq!(median(&[u64::MAX, u64::MAX]), Some(u64::MAX));
}

#[test]
fn the_newest_size_against_the_median_of_the_seven_before_it() {
    let rule = SizeRule::default();
    assert_eq!(rule, SizeRule { window: 7, tolerance_pct: 50, min_points: 3 });
    // An old outlier (400) is outside the window of 7; the median of the last 7 is 101.
    let shrunk = newest_unusual(&points(&[400, 100, 102, 101, 99, 103, 100, 104, 40]), &rule).unwrap();
    assert_eq!((shrunk.median, shrunk.change_pct, shrunk.compared), (101 * MB, Some(-60), 7));
    assert_eq!(
        shrunk.words(),
        "the newest backup is 40 MiB, 60 % smaller than the median of the 7 before it (101 MiB)"
    );
    let grown = newest_unusual(&points(&[100, 100, 100, 152]), &rule).unwrap();
    assert_eq!(grown.change_pct, Some(52));
    // Exactly 50 % off is still usual; so is anything with fewer than 3 before it.
    assert_eq!(newest_unusual(&points(&[100, 100, 100, 150]), &rule), None);
    assert_eq!(newest_unusual(&points(&[100, 100, 50]), &rule), None);
    assert_eq!(newest_unusual(&points(&[100, 100, 100, 49]), &rule).map(|u| u.change_pct), Some(Some(-51)));
    // From nothing to something.
    let from_zero = newest_unusual(&points(&[0, 0, 0, 1]), &rule).unwrap();
    assert_eq!(from_zero.change_pct, None);
    assert!(from_zero.words().contains("not empty, unlike the median"), "{}", from_zero.words());
    // A stricter rule per source.
    let strict = SizeRule { window: 3, tolerance_pct: 10, min_points: 2 };
    assert!(newest_unusual(&points(&[100, 100, 112]), &strict).is_some());
    assert!(newest_unusual(&points(&[100, 100, 109]), &strict).is_none());
}

#[test]
fn every_unusual_point_of_a_history() {
    let marks = unusual_points(&points(&[100, 100, 100, 300, 100, 100, 20, 100]), &SizeRule::default());
    let at: Vec<(u64, Option<i64>)> = marks.iter().map(|u| (u.bytes / MB, u.change_pct)).collect();
    assert_eq!(at, [(300, Some(200)), (20, Some(-80))]);
}

#[test]
fn rules_that_cannot_judge_are_refused() {
    for (rule, words) in [
        (SizeRule { window: 0, ..SizeRule::default() }, "window 0"),
        (SizeRule { min_points: 8, ..SizeRule::default() }, "from 1 to 7 earlier backups"),
        (SizeRule { min_points: 0, ..SizeRule::default() }, "not 0"),
        (SizeRule { tolerance_pct: 0, ..SizeRule::default() }, "tolerance 0 %"),
    ] {
        let e = rule.validate().unwrap_err();
        assert!(e.contains(words), "{e}");
        assert_eq!(newest_unusual(&points(&[1, 1, 1, 100]), &rule), None);
    }
    let json: SizeRule = serde_json::from_str(r#"{"tolerance_pct": 30}"#).unwrap();
    assert_eq!(json, SizeRule { tolerance_pct: 30, ..SizeRule::default() });
}

#[test]
fn health_warns_about_an_unusual_size_only_when_asked() {
    let now = T0 + Duration::days(5) + Duration::hours(1);
    let backups: Vec<_> = [100u64, 101, 99, 100, 102, 30]
        .iter()
        .enumerate()
        .map(|(i, m)| backup("a", &format!("b{i}"), Status::Completed, T0 + Duration::days(i as i64), Some(m * MB)))
        .collect();
    let mut e = Expectation::new(Provider::Mittwald, src("a"));
    e.threshold_secs = Some(86_400);
    let plain = evaluate(&backups, &[e.clone()], now, &Policy::default());
    assert_eq!(plain[0].verdict, Verdict::Healthy);
    e.size_rule = Some(SizeRule::default());
    let judged = evaluate(&backups, &[e], now, &Policy::default());
    assert_eq!(judged[0].verdict, Verdict::Warning);
    let r = &judged[0].reasons[0];
    assert_eq!((r.code, r.severity), (ReasonCode::UnusualSize, Verdict::Warning));
    assert_eq!(r.text, "the newest backup is 30 MiB, 70 % smaller than the median of the 5 before it (100 MiB)");
    assert_eq!(serde_json::to_value(r.code).unwrap(), "unusual_size");
}
