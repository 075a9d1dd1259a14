//! Settings, quiet windows, flap states, changes and digests from D1's rows (as D1 answers them
//! for the migration's tables), and the statements that write them.

use backboard_core::health::Verdict;
use backboard_core::history::{
    changes_from_rows, changes_read, digests_from_rows, insert_change, settings_from_rows, step, upsert_flap_state,
    Cadence, ChangeRecord, Channel, DigestSchedule, FlapState, SizeRule, Window, HOLD_RUNS,
};
use serde_json::{json, Value};
use time::macros::datetime;

fn settings_row(extra: Value) -> Value {
    let mut row = json!({"source": "s", "label": "Shop", "added_at": 1_796_119_200, "threshold_secs": null,
        "size_window": null, "size_tolerance_pct": null, "size_min_points": null, "flap_runs": null,
        "snooze_until": null, "time_zone": null});
    if let (Some(r), Value::Object(e)) = (row.as_object_mut(), extra) {
        r.extend(e);
    }
    row
}

#[test]
fn settings_take_defaults_for_nulls_and_collect_their_windows() {
    let windows = [
        json!({"id": 1, "source": "s", "starts_at": null, "ends_at": null, "cron": "0 2 * * sun", "duration_secs": 3600, "note": ""}),
        json!({"id": 2, "source": "s", "starts_at": 1_796_119_200, "ends_at": 1_796_122_800, "cron": null, "duration_secs": null, "note": ""}),
        json!({"id": 3, "source": "gone", "starts_at": 1, "ends_at": 2, "cron": null, "duration_secs": null, "note": ""}),
    ];
    let flaps = [json!({"source": "s", "announced": "healthy", "pending": "failing", "pending_runs": 1,
        "pending_since": 1_796_119_200, "recorded_quietly": 1, "updated_at": 1_796_119_200})];
    let c = settings_from_rows(&[settings_row(json!({}))], &windows, &flaps).unwrap();
    let (settings, states) = (c.settings, c.flaps);
    let s = &settings["s"];
    assert_eq!(s.added, datetime!(2026-12-01 10:00 UTC));
    assert_eq!(s.size_rule, Some(SizeRule::default()));
    assert_eq!(s.hold_runs, HOLD_RUNS);
    assert_eq!(s.threshold_secs, None);
    assert_eq!(
        s.quiet.windows,
        [
            Window::Recurring { cron: "0 2 * * sun".into(), duration_secs: 3600 },
            Window::Once { from: datetime!(2026-12-01 10:00 UTC), until: datetime!(2026-12-01 11:00 UTC) },
        ]
    );
    assert_eq!(settings.len(), 1);
    let f = &states["s"];
    assert_eq!(
        (f.announced, f.pending, f.pending_runs, f.recorded_quietly),
        (Some(Verdict::Healthy), Some(Verdict::Failing), 1, true)
    );

    let custom = settings_row(json!({"threshold_secs": 93_600, "size_window": 3, "size_min_points": 2,
        "flap_runs": 4, "snooze_until": 1_796_122_800, "time_zone": "Europe/Berlin"}));
    let settings = settings_from_rows(&[custom], &[], &[]).unwrap().settings;
    let s = &settings["s"];
    assert_eq!(s.size_rule, Some(SizeRule { window: 3, tolerance_pct: 50, min_points: 2 }));
    assert_eq!((s.threshold_secs, s.hold_runs), (Some(93_600), 4));
    assert_eq!(s.quiet.snooze_until, Some(datetime!(2026-12-01 11:00 UTC)));
    assert_eq!(s.time_zone.as_deref(), Some("Europe/Berlin"));
    let off = settings_from_rows(&[settings_row(json!({"size_window": 0}))], &[], &[]).unwrap().settings;
    assert_eq!(off["s"].size_rule, None);
    let e = settings_from_rows(&[settings_row(json!({"added_at": "yesterday"}))], &[], &[]).unwrap_err();
    assert_eq!(e, "a source_settings row has no readable added_at");
}

#[test]
fn flap_states_and_changes_survive_the_store() {
    let t = datetime!(2026-12-01 10:00 UTC);
    let (state, _) =
        step(&FlapState { announced: Some(Verdict::Healthy), ..FlapState::default() }, Verdict::Failing, t, false, 2);
    let st = upsert_flap_state("s", &state, t);
    assert_eq!(
        st.params,
        [
            json!("s"),
            json!("healthy"),
            json!("failing"),
            json!(1),
            json!(1_796_119_200),
            json!(0),
            json!(1_796_119_200)
        ]
    );
    // The row as D1 gives it back: the same state.
    let row = json!({"source": "s", "announced": "healthy", "pending": "failing", "pending_runs": 1,
        "pending_since": 1_796_119_200, "recorded_quietly": 0, "updated_at": 1_796_119_200});
    let states = settings_from_rows(&[], &[], &[row]).unwrap().flaps;
    assert_eq!(states["s"], state);

    let change = ChangeRecord {
        source: "s".into(),
        at: t,
        from: None,
        to: Verdict::Failing,
        reason: "r".into(),
        announced: false,
    };
    let ins = insert_change(&change);
    assert_eq!(ins.params, [json!("s"), json!(1_796_119_200), Value::Null, json!("failing"), json!("r"), json!(0)]);
    let row = json!({"source": "s", "at": 1_796_119_200, "from_verdict": null, "to_verdict": "failing", "reason": "r", "announced": 0});
    assert_eq!(changes_from_rows(&[row]).unwrap(), [change]);
    assert_eq!(changes_read(None).params, [json!(0)]);
    assert_eq!(changes_read(Some(t)).params, [json!(1_796_119_200)]);
    let e = changes_from_rows(&[json!({"source": "s", "at": 1, "to_verdict": "green"})]).unwrap_err();
    assert_eq!(e, "a verdict_changes row has no readable to_verdict");
}

#[test]
fn digests_from_rows_are_checked() {
    let row = |extra: Value| {
        let mut r = json!({"name": "w", "cadence": "weekly", "weekday": 1, "hour": 8, "time_zone": "America/New_York",
            "channel": "teams", "target_secret": "TEAMS_URL", "token_secret": null, "last_period": "2026-11-23", "last_sent_at": 1_795_953_600});
        if let (Some(o), Value::Object(e)) = (r.as_object_mut(), extra) {
            o.extend(e);
        }
        r
    };
    let d = &digests_from_rows(&[row(json!({}))]).unwrap()[0];
    assert_eq!(d.schedule, DigestSchedule { cadence: Cadence::Weekly, weekday: Some(1), hour: 8 });
    assert_eq!(
        (d.channel, d.time_zone.as_str(), d.last_period.as_deref()),
        (Channel::Teams, "America/New_York", Some("2026-11-23"))
    );
    assert_eq!(d.token_secret, None);
    for (extra, words) in [
        (json!({"cadence": "hourly"}), "digest \"w\": \"hourly\" is not daily or weekly"),
        (json!({"weekday": null}), "digest \"w\": a weekly digest needs a weekday (0 is Sunday)"),
        (json!({"channel": "email"}), "digest \"w\": \"email\" is not a channel"),
        (json!({"hour": 300}), "a digests row has no readable hour"),
    ] {
        let e = digests_from_rows(&[row(extra)]).unwrap_err();
        assert!(e.starts_with(words), "{e}");
    }
}

#[test]
fn the_latest_interval_of_each_source_is_read_back_as_written() {
    use backboard_core::history::{insert_interval, latest_intervals_from_rows, IntervalFrom};
    let i =
        IntervalFrom { from: datetime!(2026-12-01 10:00 UTC), every_secs: Some(86_400), origin: "threshold".into() };
    let written = insert_interval("s", &i);
    let row = json!({"source": written.params[0], "from_at": written.params[1], "every_secs": written.params[2],
        "origin": written.params[3]});
    let none = json!({"source": "n", "from_at": 1_796_119_200, "every_secs": null, "origin": "none"});
    let read = latest_intervals_from_rows(&[row, none]).unwrap();
    assert_eq!(read["s"], i);
    assert_eq!(read["n"].every_secs, None);
    let broken = json!({"source": "s", "from_at": "yesterday", "every_secs": 1, "origin": "threshold"});
    assert_eq!(latest_intervals_from_rows(&[broken]).unwrap_err(), "a expected_intervals row has no readable from_at");
}
