//! Properties over arbitrary input: the history's parsers never panic, compliance only gets
//! better with more restore points, the flapping filter never announces a verdict that did not
//! hold, and every signature verifies within the window.

use backboard_core::health::{SizePoint, Verdict};
use backboard_core::history::{
    compliance, days_from_query, ntfy_root, parse_day, range_from_query, sign, step, unusual_points, verify, Cadence,
    Channel, DayStatus, Decision, DigestSchedule, Evidence, FlapState, IntervalFrom, Quiet, Retention, Rule, SizeRule,
    Window, REPLAY_WINDOW_SECS,
};
use proptest::prelude::*;
use time::macros::{date, datetime};
use time::{Date, Duration, OffsetDateTime, UtcOffset};

use crate::gen::Tz;

const NOW: OffsetDateTime = datetime!(2026-12-01 12:00 UTC);
const TODAY: Date = date!(2026 - 12 - 01);

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x6869_7374),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn at(secs: i64) -> OffsetDateTime {
    NOW + Duration::seconds(secs)
}

/// Seconds around NOW, within the 90-day strip and a little before it.
fn offset() -> impl Strategy<Value = i64> {
    -100i64 * 86_400..86_400
}

fn intervals() -> impl Strategy<Value = Vec<IntervalFrom>> {
    proptest::collection::vec((offset(), proptest::option::of(600u64..10 * 86_400)), 0..4).prop_map(|v| {
        v.into_iter()
            .map(|(o, every_secs)| IntervalFrom { from: at(o), every_secs, origin: "threshold".into() })
            .collect()
    })
}

fn verdict() -> impl Strategy<Value = Verdict> {
    (0usize..4).prop_map(|i| Verdict::ALL[i])
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn text_inputs_never_panic(s in ".{0,40}", n in any::<u8>(), w in proptest::option::of(any::<u8>())) {
        let _ = parse_day(&s);
        let _ = Retention::parse(&s);
        let pairs = vec![("from".to_string(), s.clone()), ("to".to_string(), s.clone()), ("days".to_string(), s.clone())];
        let _ = range_from_query(&pairs, TODAY);
        let _ = days_from_query(&pairs);
        let _ = ntfy_root(&s);
        let _ = Channel::parse(&s);
        let _ = verify("k", &s, "{}", NOW, REPLAY_WINDOW_SECS);
        let window = Window::Recurring { cron: s.clone(), duration_secs: u64::from(n) * 600 };
        let _ = window.validate();
        let q = Quiet { windows: vec![window], snooze_until: None };
        let _ = q.quiet_until(&UtcOffset::UTC, NOW);
        let d = DigestSchedule { cadence: if w.is_some() { Cadence::Weekly } else { Cadence::Daily }, weekday: w, hour: n };
        let _ = d.due(&Tz::named("Europe/Berlin"), NOW, Some(&s));
    }

    #[test]
    fn a_day_once_met_stays_met_with_more_restore_points(
        points in proptest::collection::vec(offset(), 0..40),
        extra in offset(),
        failures in proptest::collection::vec(offset(), 0..5),
        intervals in intervals(),
        added in offset(),
        gaps in proptest::collection::vec(0i64..90, 0..10),
    ) {
        let points: Vec<OffsetDateTime> = points.into_iter().map(at).collect();
        let failures: Vec<OffsetDateTime> = failures.into_iter().map(at).collect();
        let covered: Vec<Date> = (0..95).filter(|d| !gaps.contains(d)).map(|d| TODAY - Duration::days(d)).collect();
        let e = Evidence { added: at(added), intervals: &intervals, points: &points, failures: &failures, covered: &covered, observed_until: NOW };
        let before = compliance(&e, TODAY, &Rule::default());
        let r = before.last_90;
        prop_assert_eq!(r.met + r.missed + r.failed + r.no_data, 90);
        prop_assert!(r.percent.is_none_or(|p| (0.0..=100.0).contains(&p)));
        let more: Vec<OffsetDateTime> = points.iter().copied().chain([at(extra)]).collect();
        let after = compliance(&Evidence { points: &more, ..e }, TODAY, &Rule::default());
        for (b, a) in before.strip.iter().zip(&after.strip) {
            if b.status == DayStatus::Met {
                prop_assert_eq!(a.status, DayStatus::Met, "{} / {}", b.text, a.text);
            }
            prop_assert_eq!(b.status == DayStatus::NoData, a.status == DayStatus::NoData);
        }
        // Without failures nothing is failed.
        let calm = compliance(&Evidence { failures: &[], ..e }, TODAY, &Rule::default());
        prop_assert_eq!(calm.last_90.failed, 0);
        prop_assert_eq!(calm.last_90.met, r.met);
    }

    #[test]
    fn sizes_of_any_magnitude_are_judged_without_panicking(
        sizes in proptest::collection::vec(any::<u64>(), 0..20),
        window in 0u32..12, tolerance in 0u32..300, min in 0u32..12,
    ) {
        let points: Vec<SizePoint> = sizes.iter().enumerate().map(|(i, b)| SizePoint { time: at(i as i64 * 3600), bytes: *b }).collect();
        let rule = SizeRule { window, tolerance_pct: tolerance, min_points: min };
        for u in unusual_points(&points, &rule) {
            prop_assert!(rule.validate().is_ok());
            prop_assert!(u.compared >= min && u.compared <= window);
            prop_assert!(u.bytes != u.median);
        }
    }

    #[test]
    fn only_a_verdict_that_held_is_announced(
        runs in proptest::collection::vec((verdict(), any::<bool>()), 1..40),
        hold in 1u32..4,
    ) {
        let mut state = FlapState::default();
        let mut streak: (Option<Verdict>, u32) = (None, 0);
        for (i, (v, quiet)) in runs.iter().enumerate() {
            streak = if streak.0 == Some(*v) { (Some(*v), streak.1 + 1) } else { (Some(*v), 1) };
            let (next, d) = step(&state, *v, at(i as i64 * 900), *quiet, hold);
            if let Decision::Changed { from, to, send, .. } = d {
                prop_assert_eq!(to, *v);
                prop_assert!(streak.1 >= hold);
                prop_assert_eq!(from, state.announced);
                prop_assert_ne!(Some(to), state.announced);
                prop_assert_eq!(send, !quiet);
                if send {
                    prop_assert_eq!(next.announced, Some(to));
                }
            }
            // Nothing is announced during a quiet period.
            if *quiet && state.announced.is_some() {
                prop_assert_eq!(next.announced, state.announced);
            }
            state = next;
        }
    }

    #[test]
    fn every_signature_verifies_within_the_window_and_no_other(
        secret in ".{1,20}", body in ".{0,200}", t in 1_700_000_000i64..1_900_000_000, skew in -600i64..600,
    ) {
        let header = format!("t={t},v1={}", sign(&secret, t, &body));
        let now = OffsetDateTime::from_unix_timestamp(t + skew).unwrap();
        let result = verify(&secret, &header, &body, now, REPLAY_WINDOW_SECS);
        prop_assert_eq!(result.is_ok(), skew.abs() <= REPLAY_WINDOW_SECS);
        let tampered = format!("{body}x");
        prop_assert!(verify(&secret, &header, &tampered, now, REPLAY_WINDOW_SECS).is_err());
    }
}
