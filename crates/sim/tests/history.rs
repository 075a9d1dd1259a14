//! The `history` knob: each source's backups as a test asks for them, judged by the core's
//! health checks to exactly the verdict the history was made for.

use backboard_core::connection::Connection;
use backboard_core::health::{self, Expectation, Policy, Verdict};
use backboard_core::paging::Options;
use backboard_core::Status;
use backboard_sim::{Config, Histories, History, InProcess, Sim};
use futures::executor::block_on;
use time::macros::datetime;
use time::OffsetDateTime;

const NOW: OffsetDateTime = datetime!(2026-11-23 09:00 UTC);
const DAY: u64 = 86_400;

fn connections() -> Vec<(Connection, &'static str)> {
    let list: Vec<Connection> = serde_json::from_value(backboard_sim::demo_connections()).unwrap();
    let bases = ["/serveravatar", "/northflank", "/northflank", "/mittwald"];
    list.into_iter().zip(bases).collect()
}

/// The verdict of every demo source, each expected daily, with every source given `h`.
fn verdicts(h: History) -> Vec<(String, Verdict, Vec<backboard_core::Backup>)> {
    let histories = Histories {
        serveravatar: Some(h.clone()),
        northflank_addon: Some(h.clone()),
        northflank_destination: Some(h.clone()),
        mittwald: Some(h),
    };
    let t = InProcess::new(Sim::new(Config { history: histories, ..Config::default() }, NOW), NOW);
    connections()
        .into_iter()
        .map(|(c, base)| {
            let backups = block_on(c.list_backups(&t, base, &Options::default(), &mut |_| {})).unwrap();
            let mut e = Expectation::new(c.provider(), c.source());
            e.threshold_secs = Some(DAY);
            let judged = health::evaluate(&backups, &[e], NOW, &Policy::default());
            assert_eq!(judged.len(), 1, "{}", c.label);
            (c.label.clone(), judged[0].verdict, backups)
        })
        .collect()
}

#[test]
fn attempts_are_newest_first_with_failures_after_the_newest_completed() {
    let h = History { completed: 3, every_secs: DAY, newest_age_secs: 3 * 3600, failed: 2, missing: Vec::new() };
    let a = h.attempts(NOW);
    let hours = |t: OffsetDateTime| (NOW - t).whole_hours();
    let shape: Vec<(i64, bool)> = a.iter().map(|(t, ok)| (hours(*t), *ok)).collect();
    assert_eq!(shape, vec![(1, false), (2, false), (3, true), (27, true), (51, true)]);
}

#[test]
fn missing_positions_leave_gaps_in_the_completed_backups() {
    let h = History { completed: 5, newest_age_secs: 3600, missing: vec![1, 2, 9], ..History::default() };
    let hours: Vec<i64> = h.attempts(NOW).iter().map(|(t, _)| (NOW - *t).whole_hours()).collect();
    assert_eq!(hours, vec![1, 73, 97]);
}

#[test]
fn each_history_gives_its_verdict_at_every_provider() {
    let cases = [
        (History { newest_age_secs: 3600, ..History::default() }, Verdict::Healthy),
        // 2 days old, expected daily: past 1.5 intervals.
        (History { newest_age_secs: 2 * DAY, ..History::default() }, Verdict::Warning),
        // One failure after a fresh backup: a warning, not yet a streak.
        (History { failed: 1, ..History::default() }, Verdict::Warning),
        (History { newest_age_secs: 4 * DAY, ..History::default() }, Verdict::Failing),
        (History { failed: 2, ..History::default() }, Verdict::Failing),
        (History { completed: 0, failed: 0, ..History::default() }, Verdict::Failing),
    ];
    for (h, want) in cases {
        for (label, verdict, backups) in verdicts(h.clone()) {
            assert_eq!(verdict, want, "{label} with {h:?}");
            assert_eq!(backups.len(), h.completed + h.failed, "{label}");
            assert_eq!(backups.iter().filter(|b| b.status == Status::Failed).count(), h.failed, "{label}");
        }
    }
}

#[test]
fn unset_sources_keep_their_generated_data() {
    let plain = Sim::new(Config::default(), NOW);
    let only_sa = Sim::new(
        Config {
            history: Histories { serveravatar: Some(History::default()), ..Histories::default() },
            ..Config::default()
        },
        NOW,
    );
    let t1 = InProcess::new(plain, NOW);
    let t2 = InProcess::new(only_sa, NOW);
    for (c, base) in connections() {
        let a = block_on(c.list_backups(&t1, base, &Options::default(), &mut |_| {})).unwrap();
        let b = block_on(c.list_backups(&t2, base, &Options::default(), &mut |_| {})).unwrap();
        if base == "/serveravatar" {
            assert_eq!(b.len(), 3);
            assert_ne!(a, b);
        } else {
            assert_eq!(a, b, "{}", c.label);
        }
    }
}

#[test]
fn the_knob_is_accepted_by_reset_and_typos_are_refused() {
    let c =
        Config::default().with_knobs(r#"{"history": {"mittwald": {"newest_age_secs": 7200, "failed": 1}}}"#).unwrap();
    assert_eq!(c.history.mittwald, Some(History { newest_age_secs: 7200, failed: 1, ..History::default() }));
    assert_eq!(c.history.serveravatar, None);
    assert!(Config::default().with_knobs(r#"{"history": {"mitwald": {}}}"#).is_err());
    assert!(Config::default().with_knobs(r#"{"history": {"mittwald": {"age": 1}}}"#).is_err());
}

#[test]
fn the_newest_completed_backup_is_exactly_as_old_as_asked() {
    let h = History { newest_age_secs: 5 * 3600, failed: 1, ..History::default() };
    let t = InProcess::new(
        Sim::new(Config { history: Histories { mittwald: Some(h), ..Histories::default() }, ..Config::default() }, NOW),
        NOW,
    );
    let (c, base) = connections().pop().unwrap();
    let backups = block_on(c.list_backups(&t, base, &Options::default(), &mut |_| {})).unwrap();
    let judged = health::evaluate(&backups, &[], NOW, &Policy::default());
    assert_eq!(judged[0].last_good.as_ref().map(|g| g.age_secs), Some(5 * 3600));
    assert_eq!(judged[0].counts.failed_in_window, 1);
}

#[test]
fn a_history_is_kept_by_a_reset_that_does_not_name_it() {
    let with = Config::default().with_knobs(r#"{"history": {"serveravatar": {"failed": 1}}}"#).unwrap();
    let again = with.with_knobs(r#"{"latency_ms": 5}"#).unwrap();
    assert_eq!(again.history, with.history);
    let cleared = with.with_knobs(r#"{"history": {}}"#).unwrap();
    assert!(cleared.history.is_empty());
    let shown = serde_json::to_value(Config::default()).unwrap();
    assert!(shown.get("history").is_none(), "the default config's JSON has no history key");
}
