//! What one cron run announces: each source's verdict through its quiet periods and the
//! flapping filter ([`step`]), from the settings and filter states stored in D1. The change
//! message and the digest both follow it: a change held back here is in neither.

use std::collections::{BTreeMap, BTreeSet};

use time::{OffsetDateTime, UtcOffset};

use super::{step, ChangeRecord, Configured, Decision, FlapState, Zone, HOLD_RUNS};
use crate::health::SourceHealth;

/// What a run decided, for the worker to store and send.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Announced {
    /// Filter states that differ from the stored ones, to store.
    pub states: Vec<(String, FlapState)>,
    /// Changes that held, to record in `verdict_changes` (sent, or kept quiet).
    pub records: Vec<ChangeRecord>,
    /// Sources whose verdict is not told this run (settling, or a change kept quiet): the change
    /// message leaves them as last told.
    pub held: BTreeSet<String>,
    /// Sources in a quiet period at `now`, with its end.
    pub quiet: BTreeMap<String, OffsetDateTime>,
}

/// Runs each source's verdict through its filter. `zone_of` turns a source's zone name into
/// a zone (None for a name the host does not know: UTC). A source without settings has the
/// defaults: no quiet period, [`HOLD_RUNS`].
pub fn announce(
    health: &[SourceHealth],
    configured: &Configured,
    now: OffsetDateTime,
    zone_of: &dyn Fn(&str) -> Option<Box<dyn Zone>>,
) -> Announced {
    let mut out = Announced::default();
    for h in health {
        let settings = configured.settings.get(&h.key);
        let hold = settings.map_or(HOLD_RUNS, |s| s.hold_runs);
        let quiet_until = settings.and_then(|s| {
            let zone: Box<dyn Zone> = s.time_zone.as_deref().and_then(zone_of).unwrap_or(Box::new(UtcOffset::UTC));
            s.quiet.quiet_until(zone.as_ref(), now)
        });
        if let Some(until) = quiet_until {
            out.quiet.insert(h.key.clone(), until);
        }
        let prev = configured.flaps.get(&h.key).cloned().unwrap_or_default();
        let (next, decision) = step(&prev, h.verdict, now, quiet_until.is_some(), hold);
        match decision {
            Decision::Same => {}
            Decision::Settling { .. } | Decision::StillQuiet { .. } => {
                out.held.insert(h.key.clone());
            }
            Decision::Changed { from, to, send, .. } => {
                if !send {
                    out.held.insert(h.key.clone());
                }
                let reason = h.headline().to_string();
                out.records.push(ChangeRecord { source: h.key.clone(), at: now, from, to, reason, announced: send });
            }
        }
        if configured.flaps.get(&h.key) != Some(&next) {
            out.states.push((h.key.clone(), next));
        }
    }
    out
}

/// The sources a digest at `now` reports: those not in a quiet period. None when every source
/// is quiet: then no digest goes out for the period.
pub fn digest_sources(health: &[SourceHealth], announced: &Announced) -> Option<Vec<SourceHealth>> {
    let loud: Vec<SourceHealth> = health.iter().filter(|h| !announced.quiet.contains_key(&h.key)).cloned().collect();
    (!loud.is_empty()).then_some(loud)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::health::{Counts, Verdict};
    use crate::history::{Quiet, SourceSettings, Window};
    use crate::provider::Provider;
    use time::macros::datetime;
    use time::Duration;

    const T0: OffsetDateTime = datetime!(2026-06-01 12:00 UTC);

    fn health(key: &str, v: Verdict) -> SourceHealth {
        SourceHealth {
            key: key.to_string(),
            provider: Provider::Mittwald,
            kind: "project".into(),
            id: key.into(),
            label: key.into(),
            verdict: v,
            reasons: Vec::new(),
            last_good: None,
            expected: None,
            counts: Counts::default(),
            sizes: Vec::new(),
        }
    }

    fn settings(hold: u32, quiet: Quiet, zone: Option<&str>) -> SourceSettings {
        SourceSettings {
            label: "s".into(),
            added: T0 - Duration::days(30),
            threshold_secs: None,
            size_rule: None,
            hold_runs: hold,
            quiet,
            time_zone: zone.map(str::to_string),
        }
    }

    fn no_zone(_: &str) -> Option<Box<dyn Zone>> {
        None
    }

    /// Runs `verdicts` one run each (15 minutes apart) and returns each run's result, the
    /// stored states carried from one run to the next.
    fn runs(c: &mut Configured, verdicts: &[Verdict]) -> Vec<Announced> {
        verdicts
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let now = T0 + Duration::minutes(15 * i as i64);
                let a = announce(&[health("a", *v)], c, now, &no_zone);
                for (k, s) in &a.states {
                    c.flaps.insert(k.clone(), s.clone());
                }
                a
            })
            .collect()
    }

    #[test]
    fn a_change_is_told_once_it_held_the_default_runs() {
        use Verdict::*;
        let mut c = Configured::default();
        let r = runs(&mut c, &[Healthy, Failing, Failing, Failing]);
        assert!(r[0].held.is_empty() && r[0].records.is_empty(), "a first healthy run is taken silently");
        assert!(r[1].held.contains("a") && r[1].records.is_empty(), "one run is not enough");
        assert!(r[2].held.is_empty());
        assert_eq!(r[2].records.len(), 1);
        let rec = &r[2].records[0];
        assert_eq!((rec.from, rec.to, rec.announced), (Some(Healthy), Failing, true));
        assert!(r[3].records.is_empty() && r[3].held.is_empty() && r[3].states.is_empty(), "nothing new");
    }

    #[test]
    fn a_flapping_verdict_is_never_told() {
        use Verdict::*;
        let mut c = Configured::default();
        let r = runs(&mut c, &[Healthy, Failing, Healthy, Warning, Healthy, Failing]);
        assert!(r.iter().all(|a| a.records.is_empty()), "{r:?}");
        assert!(r[1].held.contains("a") && r[3].held.contains("a") && r[5].held.contains("a"));
    }

    #[test]
    fn hold_runs_come_from_the_source_settings() {
        use Verdict::*;
        let mut c = Configured::default();
        c.settings.insert("a".into(), settings(1, Quiet::default(), None));
        let r = runs(&mut c, &[Healthy, Warning]);
        assert_eq!(r[1].records.len(), 1, "a hold of 1 tells at once");
        c.settings.insert("a".into(), settings(3, Quiet::default(), None));
        let r = runs(&mut c, &[Failing, Failing, Failing]);
        assert_eq!(r.iter().map(|a| a.records.len()).collect::<Vec<_>>(), [0, 0, 1]);
    }

    #[test]
    fn a_snooze_records_quietly_and_tells_after_it_if_the_change_holds() {
        use Verdict::*;
        let mut c = Configured::default();
        let quiet = Quiet { windows: Vec::new(), snooze_until: Some(T0 + Duration::minutes(50)) };
        c.settings.insert("a".into(), settings(2, quiet, None));
        c.flaps.insert("a".into(), FlapState { announced: Some(Healthy), ..FlapState::default() });
        // Runs at 0, 15, 30, 45 (quiet) and 60 (after the snooze).
        let r = runs(&mut c, &[Failing, Failing, Failing, Failing, Failing]);
        assert_eq!(r[0].quiet.get("a"), Some(&(T0 + Duration::minutes(50))));
        assert_eq!(r[1].records.len(), 1);
        assert!(!r[1].records[0].announced, "recorded, not sent");
        assert!(r[1].held.contains("a") && r[2].held.contains("a") && r[3].held.contains("a"));
        assert!(r[2].records.is_empty() && r[3].records.is_empty(), "recorded once");
        assert!(r[4].quiet.is_empty() && r[4].held.is_empty());
        assert_eq!(r[4].records.len(), 1);
        assert!(r[4].records[0].announced, "sent after the snooze");
    }

    #[test]
    fn a_recurring_window_is_read_in_the_source_zone() {
        use Verdict::*;
        // 14:00 daily for an hour, in a zone 2 hours ahead of UTC: 12:00 to 13:00 UTC.
        let quiet = Quiet {
            windows: vec![Window::Recurring { cron: "0 14 * * *".into(), duration_secs: 3600 }],
            snooze_until: None,
        };
        let mut c = Configured::default();
        c.settings.insert("a".into(), settings(2, quiet, Some("Plus/Two")));
        let zone = |name: &str| -> Option<Box<dyn Zone>> {
            (name == "Plus/Two").then(|| Box::new(UtcOffset::from_hms(2, 0, 0).expect("offset")) as Box<dyn Zone>)
        };
        let a = announce(&[health("a", Healthy)], &c, T0 + Duration::minutes(30), &zone);
        assert_eq!(a.quiet.get("a"), Some(&(T0 + Duration::hours(1))));
        let a = announce(&[health("a", Healthy)], &c, T0 + Duration::minutes(30), &no_zone);
        assert!(a.quiet.is_empty(), "in UTC the window is two hours later");
    }

    #[test]
    fn the_digest_leaves_quiet_sources_out_and_is_not_sent_when_all_are() {
        let all = [health("a", Verdict::Healthy), health("b", Verdict::Failing)];
        let mut a = Announced::default();
        assert_eq!(digest_sources(&all, &a).map(|v| v.len()), Some(2));
        a.quiet.insert("b".into(), T0);
        assert_eq!(digest_sources(&all, &a).map(|v| v.iter().map(|h| h.key.clone()).collect()), Some(vec!["a".into()]));
        a.quiet.insert("a".into(), T0);
        assert_eq!(digest_sources(&all, &a), None);
    }
}
