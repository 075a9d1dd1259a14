//! Auto-refresh: connections with something under way are read again, with backoff, until it
//! has all settled. `poll_until` waits while the tab is hidden.

use backboard_core::Connection;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::running_signature;
use crate::actions::poll_until;
use crate::state::{load_connection, AppState, Load};

/// How many reads one round of polling makes at most (1 s, 2 s, 4 s … 30 s: about 9 minutes).
const MAX_CHECKS: u32 = 24;

/// Reads the connection again and waits for the answer; true when nothing is under way any more
/// (or the connection is gone).
async fn reread(state: AppState, connection: Connection) -> bool {
    load_connection(state, connection.clone());
    let current = || {
        state.loads.with_untracked(|loads| {
            loads.iter().find(|(id, _, _)| *id == connection.id).map(|(_, _, load)| match load {
                Load::Loading { .. } => None,
                Load::Done(list) => Some(running_signature(list).is_empty()),
                // A failed read says nothing about the operation: keep polling.
                Load::Failed(_) => Some(false),
            })
        })
    };
    // Up to 2 minutes for a long, paged listing.
    for _ in 0..1200 {
        match current() {
            None => return true,
            Some(Some(settled)) => return settled,
            Some(None) => gloo_timers::future::TimeoutFuture::new(100).await,
        }
    }
    false
}

/// Lists longer than this are not re-read by themselves: each re-read is the whole paged list,
/// which would spend the provider's rate limit (Northflank: 1,000 requests an hour) and keep a
/// 10,000-row page busy (bench: a filter keystroke took 133 ms with it, 28 ms without). "Refresh all" and
/// the actions' own polling of one backup still work there.
const AUTO_REFRESH_MAX_BACKUPS: usize = 1_000;

pub fn auto_refresh(state: AppState) {
    // Connections being polled now, and (connection, what was running) rounds that ran out of
    // checks: those only start again when something else starts running.
    let polling = StoredValue::new(Vec::<String>::new());
    let gave_up = StoredValue::new(Vec::<(String, Vec<String>)>::new());
    Effect::new(move |_| {
        let candidates: Vec<(Connection, Vec<String>)> = state.connections.with(|connections| {
            state.loads.with(|loads| {
                connections
                    .iter()
                    .filter_map(|c| {
                        let (_, _, load) = loads.iter().find(|(id, _, _)| *id == c.id)?;
                        let Load::Done(list) = load else { return None };
                        if list.len() > AUTO_REFRESH_MAX_BACKUPS {
                            return None;
                        }
                        let sig = running_signature(list);
                        (!sig.is_empty()).then(|| (c.clone(), sig))
                    })
                    .collect()
            })
        });
        for (connection, sig) in candidates {
            let id = connection.id.clone();
            if polling.with_value(|p| p.contains(&id))
                || gave_up.with_value(|g| g.iter().any(|(i, s)| *i == id && *s == sig))
            {
                continue;
            }
            polling.update_value(|p| p.push(id.clone()));
            spawn_local(async move {
                let settled = std::rc::Rc::new(std::cell::Cell::new(false));
                let flag = settled.clone();
                let alive_id = id.clone();
                let alive = move || state.connections.with_untracked(|l| l.iter().any(|c| c.id == alive_id));
                poll_until(
                    move || {
                        let (connection, flag) = (connection.clone(), flag.clone());
                        async move {
                            let done = reread(state, connection).await;
                            flag.set(done);
                            done
                        }
                    },
                    alive,
                    MAX_CHECKS,
                )
                .await;
                polling.update_value(|p| p.retain(|i| *i != id));
                if !settled.get() {
                    let sig = state.loads.with_untracked(|loads| {
                        loads
                            .iter()
                            .find(|(i, _, _)| *i == id)
                            .map(|(_, _, l)| running_signature(l.backups()))
                            .unwrap_or_default()
                    });
                    gave_up.update_value(|g| {
                        g.retain(|(i, _)| *i != id);
                        g.push((id, sig));
                    });
                }
            });
        }
    });
}
