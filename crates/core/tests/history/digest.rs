//! When digests go out, run by a simulated cron every 15 minutes (each run twice, as an
//! overlapping run would), across DST changes around the digest hour; and what they say.

use backboard_core::health::{LastGood, Verdict};
use backboard_core::history::{
    build, Cadence, ChangeRecord, Compliance, DigestSchedule, Period, Ratio, Zone, FIRST_GRACE_SECS,
};
use time::macros::{date, datetime};
use time::{Duration, OffsetDateTime};

use crate::gen::{health, key, Tz};

/// Runs the cron every 15 minutes over [from, to); each run happens twice. Returns (period,
/// instant) of every digest sent.
fn simulate(
    s: &DigestSchedule,
    zone: &dyn Zone,
    from: OffsetDateTime,
    to: OffsetDateTime,
    mut last: Option<String>,
) -> Vec<(String, OffsetDateTime)> {
    let mut sent = Vec::new();
    let mut t = from;
    while t < to {
        for _ in 0..2 {
            if let Some(p) = s.due(zone, t, last.as_deref()) {
                sent.push((p.key(), t));
                last = Some(p.key());
            }
        }
        t += Duration::minutes(15);
    }
    sent
}

fn daily(hour: u8) -> DigestSchedule {
    DigestSchedule { cadence: Cadence::Daily, weekday: None, hour }
}

fn sent(list: &[(&str, OffsetDateTime)]) -> Vec<(String, OffsetDateTime)> {
    list.iter().map(|(k, t)| (k.to_string(), *t)).collect()
}

#[test]
fn a_daily_digest_at_nine_keeps_its_local_hour_over_spring_forward() {
    let berlin = Tz::named("Europe/Berlin");
    let got = simulate(&daily(9), &berlin, datetime!(2026-03-27 00:00 UTC), datetime!(2026-03-31 00:00 UTC), None);
    assert_eq!(
        got,
        sent(&[
            ("2026-03-27", datetime!(2026-03-27 08:00 UTC)),
            ("2026-03-28", datetime!(2026-03-28 08:00 UTC)),
            ("2026-03-29", datetime!(2026-03-29 07:00 UTC)),
            ("2026-03-30", datetime!(2026-03-30 07:00 UTC)),
        ])
    );
}

#[test]
fn a_skipped_hour_is_sent_when_the_clock_jumps_and_a_repeated_hour_once() {
    let berlin = Tz::named("Europe/Berlin");
    // 29 March: 02:00 does not exist; the clock jumps from 02:00 CET to 03:00 CEST (01:00 UTC).
    let spring = simulate(
        &daily(2),
        &berlin,
        datetime!(2026-03-28 00:00 UTC),
        datetime!(2026-03-31 00:00 UTC),
        Some("2026-03-27".into()),
    );
    assert_eq!(
        spring,
        sent(&[
            ("2026-03-28", datetime!(2026-03-28 01:00 UTC)),
            ("2026-03-29", datetime!(2026-03-29 01:00 UTC)),
            ("2026-03-30", datetime!(2026-03-30 00:00 UTC)),
        ])
    );
    // 25 October: 02:00 happens at 00:00 UTC (CEST) and again at 01:00 UTC (CET); sent once.
    let autumn = simulate(
        &daily(2),
        &berlin,
        datetime!(2026-10-24 00:00 UTC),
        datetime!(2026-10-27 00:00 UTC),
        Some("2026-10-23".into()),
    );
    assert_eq!(
        autumn,
        sent(&[
            ("2026-10-24", datetime!(2026-10-24 00:00 UTC)),
            ("2026-10-25", datetime!(2026-10-25 00:00 UTC)),
            ("2026-10-26", datetime!(2026-10-26 01:00 UTC)),
        ])
    );
}

#[test]
fn a_weekly_digest_on_mondays_across_the_american_dst_end() {
    let ny = Tz::named("America/New_York");
    let monday_8 = DigestSchedule { cadence: Cadence::Weekly, weekday: Some(1), hour: 8 };
    let got = simulate(
        &monday_8,
        &ny,
        datetime!(2026-10-24 00:00 UTC),
        datetime!(2026-11-12 00:00 UTC),
        Some("2026-10-19".into()),
    );
    assert_eq!(
        got,
        sent(&[
            ("2026-10-26", datetime!(2026-10-26 12:00 UTC)),
            ("2026-11-02", datetime!(2026-11-02 13:00 UTC)),
            ("2026-11-09", datetime!(2026-11-09 13:00 UTC)),
        ])
    );
}

#[test]
fn a_first_digest_waits_for_its_hour_and_a_late_worker_sends_the_latest_once() {
    let utc = time::UtcOffset::UTC;
    // Set up at 14:00 for 09:00: nothing today, the first one tomorrow.
    let first = simulate(&daily(9), &utc, datetime!(2026-11-02 14:00 UTC), datetime!(2026-11-03 12:00 UTC), None);
    assert_eq!(first, sent(&[("2026-11-03", datetime!(2026-11-03 09:00 UTC))]));
    assert_eq!(FIRST_GRACE_SECS, 3600);
    // Down from the 3rd to the 6th at 10:00: one digest, for the 6th.
    let late = simulate(
        &daily(9),
        &utc,
        datetime!(2026-11-06 10:00 UTC),
        datetime!(2026-11-06 12:00 UTC),
        Some("2026-11-03".into()),
    );
    assert_eq!(late, sent(&[("2026-11-06", datetime!(2026-11-06 10:00 UTC))]));
    // A last period from the future (a changed zone) sends nothing until it has passed.
    assert_eq!(daily(9).due(&utc, datetime!(2026-11-06 10:00 UTC), Some("2026-11-07")), None);
}

#[test]
fn schedules_that_cannot_be_kept_are_refused() {
    let bad = [
        (DigestSchedule { cadence: Cadence::Daily, weekday: None, hour: 24 }, "from 0 to 23"),
        (DigestSchedule { cadence: Cadence::Weekly, weekday: None, hour: 8 }, "needs a weekday"),
        (DigestSchedule { cadence: Cadence::Weekly, weekday: Some(7), hour: 8 }, "not 7"),
    ];
    for (s, words) in bad {
        assert!(s.validate().unwrap_err().contains(words));
        assert_eq!(s.due(&time::UtcOffset::UTC, datetime!(2026-11-06 10:00 UTC), None), None);
    }
}

fn ratio(percent: Option<f64>) -> Ratio {
    Ratio { percent, ..Ratio::default() }
}

#[test]
fn the_digest_names_each_source_worst_first_with_what_changed_since_the_last_one() {
    let now = datetime!(2026-11-29 08:00 UTC);
    let period = Period { date: date!(2026 - 11 - 29), at: now };
    let since = Some(datetime!(2026-11-28 08:00 UTC));
    let mut a = health("a", Verdict::Healthy);
    a.reasons.clear();
    a.last_good = Some(LastGood {
        id: "a-1".into(),
        name: "a-1".into(),
        completed: datetime!(2026-11-29 03:00 UTC),
        age_secs: 5 * 3600,
        age: "5 h".into(),
        expires: None,
    });
    let b = health("b", Verdict::Failing);
    let compliance = |p7, p30| Compliance {
        last_7: ratio(p7),
        last_30: ratio(p30),
        last_90: ratio(p30),
        strip: Vec::new(),
        text: String::new(),
    };
    let changes = vec![
        // Before the last digest: left out.
        ChangeRecord {
            source: key("b"),
            at: datetime!(2026-11-27 10:00 UTC),
            from: Some(Verdict::Healthy),
            to: Verdict::Warning,
            reason: "old".into(),
            announced: true,
        },
        ChangeRecord {
            source: key("b"),
            at: datetime!(2026-11-28 21:15 UTC),
            from: Some(Verdict::Warning),
            to: Verdict::Failing,
            reason: "the last 2 backups failed".into(),
            announced: false,
        },
    ];
    let d = build(
        Cadence::Daily,
        &period,
        since,
        &[a, b],
        &[(key("a"), compliance(Some(100.0), Some(96.7))), (key("b"), compliance(Some(57.1), None))],
        &changes,
        now,
    );
    assert_eq!(d.overall, Verdict::Failing);
    assert_eq!(d.title(), "Backboard daily digest, 2026-11-29: 1 failing, 1 healthy");
    let labels: Vec<&str> = d.sources.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(labels, ["Label b", "Label a"]);
    assert_eq!(
        d.lines(&d.sources[0]),
        [
            "failing: could not list backups: mittwald could not be reached: ",
            "Compliance: 57.1% over 7 days, no data over 30 days, no data over 90 days",
            "Last good backup: none",
            "2026-11-28 21:15 UTC: warning → failing (during a quiet period): the last 2 backups failed",
        ]
    );
    assert_eq!(
        d.lines(&d.sources[1]),
        [
            "healthy",
            "Compliance: 100.0% over 7 days, 96.7% over 30 days, 96.7% over 90 days",
            "Last good backup: 2026-11-29 03:00 UTC (5 h ago)",
            "No change since the last digest",
        ]
    );
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["period"], "2026-11-29");
    assert_eq!(json["sources"][0]["changes"][0]["to"], "failing");
}
