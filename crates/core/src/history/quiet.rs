//! Quiet periods and flapping: when a verdict change is sent, and when it is only recorded.
//! Maintenance windows (one-off, or recurring by cron in a time zone) and "snooze until" keep a
//! source quiet; a verdict must also hold for some runs in a row before it is announced.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime, PrimitiveDateTime};

use super::zone::{local, Zone};
use crate::cron::Cron;
use crate::health::Verdict;

/// The longest recurring window: 7 days (a window that never ends is a snooze, not a window;
/// the limit also bounds the minutes walked to find the window's start).
pub const MAX_WINDOW_SECS: u64 = 7 * 86_400;

/// A maintenance window.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Window {
    /// From `from` until `until` (excluded).
    Once {
        #[serde(with = "time::serde::rfc3339")]
        from: OffsetDateTime,
        #[serde(with = "time::serde::rfc3339")]
        until: OffsetDateTime,
    },
    /// From each run of `cron` (wall-clock time in the source's quiet zone) for `duration_secs`.
    /// A run time the clock skips (spring forward) does not start a window; one it passes twice
    /// (fall back) starts it at the first pass and again at the second.
    Recurring { cron: String, duration_secs: u64 },
}

impl Window {
    pub fn validate(&self) -> Result<(), String> {
        match self {
            Window::Once { from, until } if from >= until => {
                Err("a maintenance window must end after it starts".to_string())
            }
            Window::Once { .. } => Ok(()),
            Window::Recurring { cron, duration_secs } => {
                Cron::parse(cron).map_err(|_| format!("{cron:?} is not a cron line like \"0 2 * * sun\""))?;
                if *duration_secs < 60 || *duration_secs > MAX_WINDOW_SECS {
                    return Err(format!(
                        "a recurring window lasts from 1 minute to 7 days, not {duration_secs} seconds"
                    ));
                }
                Ok(())
            }
        }
    }

    /// The end of the window that holds `now`, if one does.
    pub fn active_until(&self, zone: &dyn Zone, now: OffsetDateTime) -> Option<OffsetDateTime> {
        match self {
            Window::Once { from, until } => (*from <= now && now < *until).then_some(*until),
            Window::Recurring { cron, duration_secs } => {
                let cron = Cron::parse(cron).ok()?;
                let duration = (*duration_secs).min(MAX_WINDOW_SECS) as i64;
                // Walk back minute by minute over one duration: the latest start still open.
                let minute = now.replace_second(0).ok()?.replace_nanosecond(0).ok()?;
                let first = minute - Duration::minutes(duration / 60);
                // The same offset at both ends: no change between (zones change at most twice a
                // year), so the zone is asked twice instead of once a minute.
                let fixed = Some(zone.offset_at(minute)).filter(|o| *o == zone.offset_at(first));
                let wall = |t: OffsetDateTime| match fixed {
                    Some(o) => {
                        let l = t.to_offset(o);
                        PrimitiveDateTime::new(l.date(), l.time())
                    }
                    None => local(zone, t),
                };
                (0..=duration / 60)
                    .map(|m| minute - Duration::minutes(m))
                    .filter(|start| cron.matches(wall(*start)))
                    .map(|start| start + Duration::seconds(duration))
                    .find(|end| now < *end)
            }
        }
    }
}

/// A source's quiet settings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quiet {
    #[serde(default)]
    pub windows: Vec<Window>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub snooze_until: Option<OffsetDateTime>,
}

impl Quiet {
    /// Until when the source is quiet at `now` (the latest end of what holds it), or None.
    pub fn quiet_until(&self, zone: &dyn Zone, now: OffsetDateTime) -> Option<OffsetDateTime> {
        let snooze = self.snooze_until.filter(|u| now < *u);
        self.windows.iter().filter_map(|w| w.active_until(zone, now)).chain(snooze).max()
    }

    pub fn is_quiet(&self, zone: &dyn Zone, now: OffsetDateTime) -> bool {
        self.quiet_until(zone, now).is_some()
    }
}

/// How many runs in a row a new verdict must hold before it is announced: 2. The cron runs
/// every 15 minutes, so a glitch of one run (a provider answering 500 once, a listing caught
/// mid-write) is never announced, and a real change waits 15 minutes more, little against
/// backup intervals of hours or days and within health's own slack of half an interval.
pub const HOLD_RUNS: u32 = 2;

/// What the flapping filter remembers per source between runs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlapState {
    /// The verdict last announced (or taken silently on the first run); None before any.
    pub announced: Option<Verdict>,
    /// A different verdict waiting to hold.
    pub pending: Option<Verdict>,
    pub pending_runs: u32,
    #[serde(with = "time::serde::rfc3339::option")]
    pub pending_since: Option<OffsetDateTime>,
    /// The pending change held during a quiet period and was recorded, not sent.
    pub recorded_quietly: bool,
}

/// What to do with one run's verdict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// The announced verdict still holds (or a first run found the source healthy).
    Same,
    /// A new verdict, not held long enough yet.
    Settling { verdict: Verdict, runs: u32, needed: u32 },
    /// A change that held: record it, and send it when `send` (false during a quiet period).
    Changed { from: Option<Verdict>, to: Verdict, since: OffsetDateTime, send: bool },
    /// A change already recorded quietly, still quiet: nothing to do.
    StillQuiet { to: Verdict },
}

/// The filter's step: (previous state, this run's verdict, now, quiet?) to the next state and
/// the decision. A change held during a quiet period is recorded once, and sent on the first
/// run after the period if it still holds; a change that reverts in the meantime is never sent.
pub fn step(prev: &FlapState, verdict: Verdict, now: OffsetDateTime, quiet: bool, hold: u32) -> (FlapState, Decision) {
    let hold = hold.max(1);
    if prev.announced == Some(verdict) {
        return (FlapState { announced: prev.announced, ..FlapState::default() }, Decision::Same);
    }
    // The first verdict ever, when healthy, is taken silently (as the first run of the cron).
    if prev.announced.is_none() && prev.pending.is_none() && verdict == Verdict::Healthy {
        return (FlapState { announced: Some(verdict), ..FlapState::default() }, Decision::Same);
    }
    let mut next = prev.clone();
    if prev.pending == Some(verdict) {
        next.pending_runs = prev.pending_runs.saturating_add(1);
    } else {
        next.pending = Some(verdict);
        next.pending_runs = 1;
        next.pending_since = Some(now);
        next.recorded_quietly = false;
    }
    if next.pending_runs < hold {
        let runs = next.pending_runs;
        return (next, Decision::Settling { verdict, runs, needed: hold });
    }
    let since = next.pending_since.unwrap_or(now);
    if quiet {
        if next.recorded_quietly {
            return (next, Decision::StillQuiet { to: verdict });
        }
        next.recorded_quietly = true;
        return (next, Decision::Changed { from: prev.announced, to: verdict, since, send: false });
    }
    let decision = Decision::Changed { from: prev.announced, to: verdict, since, send: true };
    (FlapState { announced: Some(verdict), ..FlapState::default() }, decision)
}
