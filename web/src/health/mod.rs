//! Backup health in the SPA: the core's verdict per connection (`backboard_core::health`), with
//! the expected interval from the user's threshold (kept on this device) or the provider's
//! schedules. [`HealthState`] is judged once for the whole app and read by the overview and the
//! source pages. Also: backups, exports and restores in progress refresh by themselves.
//!
//! `badge` draws a verdict, `chart` the size charts, `threshold` the interval form, `card` one
//! source's health on its page, `refresh` the polling of what is under way.

mod badge;
mod card;
mod chart;
mod refresh;
mod threshold;

pub use badge::VerdictBadge;
pub use card::SourceHealthPanel;
pub use chart::{SizeChart, Sparkline};

use backboard_core::health::{
    evaluate_with_failures, in_progress, source_key, unreachable, Expectation, Policy, Sighting, SourceHealth,
    Unreachable,
};
use backboard_core::providers::ScheduleSpec;
use backboard_core::{Backup, Connection, Error};
use leptos::prelude::*;
use leptos::task::spawn_local;
use time::OffsetDateTime;

use crate::clock::now;
use crate::state::{AppState, Load};
use crate::store;

// ---------------------------------------------------------------------------------------------
// Verdicts per connection

/// One card: the connection and its health (None while its first list is still being read).
#[derive(Clone, Debug, PartialEq)]
pub struct Card {
    pub connection: Connection,
    pub health: Option<SourceHealth>,
    pub threshold: Option<u64>,
}

/// The core's verdict for one connection: its listed backups, or Unknown with the error when
/// its listing failed.
fn judge(connection: &Connection, load: &Load, expectation: Expectation, at: OffsetDateTime) -> SourceHealth {
    let (provider, source) = (connection.provider(), connection.source());
    let key = expectation.key();
    let failed = match load {
        Load::Failed(message) => {
            vec![Unreachable { provider, source: source.clone(), error: Error::Config(message.clone()) }]
        }
        _ => Vec::new(),
    };
    evaluate_with_failures(load.backups(), &failed, &[expectation], at, &Policy::default())
        .into_iter()
        .find(|h| h.key == key)
        .unwrap_or_else(|| unreachable(provider, &source, &Error::Config("no answer".into())))
}

/// What is running in a list, as stable words (to tell one set of operations from another).
pub(crate) fn running_signature(list: &[Backup]) -> Vec<String> {
    let mut sig: Vec<String> =
        in_progress(list).into_iter().map(|p| format!("{}:{:?}", p.backup_id, p.operation)).collect();
    sig.sort();
    sig
}

/// The health of every connection, judged once for the whole app (provided as context).
#[derive(Clone, Copy)]
pub struct HealthState {
    pub cards: Memo<Vec<Card>>,
    /// Ages move on with the clock: re-judged every minute.
    pub clock: RwSignal<OffsetDateTime>,
    thresholds: RwSignal<Vec<(String, u64)>>,
}

impl HealthState {
    pub fn provide(state: AppState) -> Self {
        let thresholds = RwSignal::new(store::load_thresholds());
        // When the page first saw an export or restore running (mittwald gives no start time):
        // (connection id, sighting).
        let sightings = RwSignal::new(Vec::<(String, Sighting)>::new());
        // Ages move on with the clock: re-judge every minute.
        let clock = RwSignal::new(now());
        spawn_local(async move {
            loop {
                gloo_timers::future::TimeoutFuture::new(60_000).await;
                if clock.try_set(now()).is_some() {
                    break;
                }
            }
        });

        Effect::new(move |_| {
            let at = now();
            let seen: Vec<(String, Sighting)> = state.loads.with(|loads| {
                loads
                    .iter()
                    .flat_map(|(id, _, load)| {
                        in_progress(load.backups())
                            .into_iter()
                            .filter(|p| p.started.is_none())
                            .map(move |p| (id.clone(), p))
                            .collect::<Vec<_>>()
                    })
                    .map(|(id, p)| {
                        let since = sightings
                            .with_untracked(|s| {
                                s.iter()
                                    .find(|(i, s)| *i == id && s.backup_id == p.backup_id && s.operation == p.operation)
                                    .map(|(_, s)| s.since)
                            })
                            .unwrap_or(at);
                        (id, Sighting { backup_id: p.backup_id, operation: p.operation, since })
                    })
                    .collect()
            });
            if sightings.with_untracked(|s| *s != seen) {
                sightings.set(seen);
            }
        });
        refresh::auto_refresh(state);

        // The provider's schedules of each source (those that have any; the core answers the others
        // with none, without a request), read again after each list read: (connection id, load
        // generation, schedules).
        let schedules = RwSignal::new(Vec::<(String, u64, Vec<ScheduleSpec>)>::new());
        Effect::new(move |_| {
            let due: Vec<(Connection, u64)> = state.loads.with(|loads| {
                state.connections.with(|connections| {
                    loads
                        .iter()
                        .filter(|(_, _, load)| matches!(load, Load::Done(_)))
                        .filter_map(|(id, generation, _)| {
                            let c = connections.iter().find(|c| c.id == *id)?;
                            let known =
                                schedules.with_untracked(|s| s.iter().any(|(i, g, _)| i == id && g == generation));
                            (!known).then(|| (c.clone(), *generation))
                        })
                        .collect()
                })
            });
            for (connection, generation) in due {
                schedules.update(|s| match s.iter_mut().find(|(i, _, _)| *i == connection.id) {
                    Some(entry) => entry.1 = generation,
                    None => s.push((connection.id.clone(), generation, Vec::new())),
                });
                spawn_local(async move {
                    let Ok(part) = crate::providers::part_of(connection.provider()).await else { return };
                    let Ok(specs) = part.schedules(connection.clone()).await else { return };
                    let _ = schedules.try_update(|s| {
                        if let Some(entry) = s.iter_mut().find(|(i, g, _)| *i == connection.id && *g == generation) {
                            entry.2 = specs;
                        }
                    });
                });
            }
        });

        let cards = Memo::new(move |_| {
            let at = clock.get().max(now());
            state.connections.with(|connections| {
                state.loads.with(|loads| {
                    thresholds.with(|thresholds| {
                        sightings.with(|sightings| {
                            connections
                                .iter()
                                .map(|c| {
                                    let key = source_key(c.provider(), &c.source());
                                    let threshold = thresholds.iter().find(|(k, _)| *k == key).map(|(_, s)| *s);
                                    let load = loads.iter().find(|(id, _, _)| *id == c.id).map(|(_, _, l)| l);
                                    let health = match load {
                                        None => None,
                                        Some(Load::Loading { previous, .. }) if previous.is_empty() => None,
                                        Some(load) => {
                                            let mut e = Expectation::new(c.provider(), c.source());
                                            e.threshold_secs = threshold;
                                            e.schedules = schedules.with(|s| {
                                                s.iter()
                                                    .find(|(id, _, _)| *id == c.id)
                                                    .map(|(_, _, v)| v.clone())
                                                    .unwrap_or_default()
                                            });
                                            e.running_since = sightings
                                                .iter()
                                                .filter(|(id, _)| *id == c.id)
                                                .map(|(_, s)| s.clone())
                                                .collect();
                                            Some(judge(c, load, e, at))
                                        }
                                    };
                                    Card { connection: c.clone(), health, threshold }
                                })
                                .collect::<Vec<_>>()
                        })
                    })
                })
            })
        });
        let health = HealthState { cards, clock, thresholds };
        provide_context(health);
        health
    }

    pub fn get() -> Self {
        expect_context::<HealthState>()
    }

    /// The card of the connection with this id.
    pub fn card(&self, id: &str) -> Option<Card> {
        self.cards.with(|list| list.iter().find(|c| c.connection.id == id).cloned())
    }

    /// Sets (or, with None, clears) a source's threshold and keeps it on this device.
    pub fn set_threshold(&self, key: String, secs: Option<u64>) {
        let thresholds = self.thresholds;
        thresholds.update(|list| {
            list.retain(|(k, _)| *k != key);
            if let Some(secs) = secs {
                list.push((key, secs));
            }
        });
        thresholds.with_untracked(|list| store::save_thresholds(list));
    }
}
