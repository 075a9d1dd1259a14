//! What every provider's actions share (each provider lays out its own buttons and forms; the
//! rules, requests and answers are the core's, `backboard_core::actions`):
//!
//! - [`send_once`]: exactly one attempt; non-GET requests are never retried. [`read`]: a GET,
//!   retried like the list's reads.
//! - [`poll_until`]: long-running states refresh by themselves with backoff, and not while the
//!   tab is hidden.
//! - [`remove_listed`] / [`replace_listed`] update the list at once; [`reconcile`] reloads the
//!   connection from the provider afterwards, so the list always ends as the provider says.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;

use backboard_core::http::Request;
use backboard_core::paging::{send, RetryPolicy};
use backboard_core::{Backup, Connection, Error, Provider, Response};
use leptos::prelude::*;

use crate::state::{load_connection, AppState, Load};
use crate::transport::FetchTransport;

/// Sends an action's request exactly once: a lost answer is reported, never repeated, so a
/// backup is not created, deleted or restored twice.
pub async fn send_once(provider: Provider, request: Request) -> Result<Response, Error> {
    send(&FetchTransport, provider, request, &RetryPolicy { max_attempts: 1, ..RetryPolicy::default() }, &Cell::new(1))
        .await
}

/// A read (GET): retried like the list's reads, as reading twice changes nothing.
pub async fn read(provider: Provider, request: Request) -> Result<Response, Error> {
    send(&FetchTransport, provider, request, &RetryPolicy::default(), &Cell::new(1)).await
}

fn tab_hidden() -> bool {
    web_sys::window().and_then(|w| w.document()).is_some_and(|d| d.hidden())
}

/// Calls `check` until it says the state has settled (`true`), waiting 1 s, 2 s, 4 s … up to
/// 30 s between calls. Nothing is sent while the tab is hidden, and polling ends when `alive`
/// turns false (the panel closed) or after `max_checks`.
pub async fn poll_until<F, Fut>(mut check: F, alive: impl Fn() -> bool, max_checks: u32)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool> + 'static,
{
    poll(&mut || Box::pin(check()), &alive, max_checks).await
}

/// [`poll_until`]'s loop, compiled once for every poll of the SPA.
async fn poll(
    check: &mut dyn FnMut() -> Pin<Box<dyn Future<Output = bool>>>,
    alive: &dyn Fn() -> bool,
    max_checks: u32,
) {
    let mut delay_ms = 1_000u32;
    for _ in 0..max_checks {
        gloo_timers::future::TimeoutFuture::new(delay_ms).await;
        while tab_hidden() && alive() {
            gloo_timers::future::TimeoutFuture::new(1_000).await;
        }
        if !alive() || check().await {
            return;
        }
        delay_ms = (delay_ms * 2).min(30_000);
    }
}

/// Applies `change` to the backups listed for `connection_id`, at once (before the provider's
/// list is read again).
fn edit_listed(state: AppState, connection_id: &str, change: impl FnOnce(&mut Vec<Backup>)) {
    state.loads.update(|loads| {
        if let Some((_, _, load)) = loads.iter_mut().find(|(id, _, _)| id == connection_id) {
            match load {
                Load::Done(list) | Load::Loading { previous: list, .. } => change(list),
                Load::Failed(_) => {}
            }
        }
    });
}

/// Takes a deleted backup off the list now; [`reconcile`] confirms it with the provider.
pub fn remove_listed(state: AppState, connection_id: &str, backup_id: &str) {
    edit_listed(state, connection_id, |list| list.retain(|b| b.id != backup_id));
}

/// Puts a fresh copy of a backup (e.g. read after an action) in the list, or adds it.
pub fn replace_listed(state: AppState, connection_id: &str, backup: Backup) {
    edit_listed(state, connection_id, |list| match list.iter_mut().find(|b| b.id == backup.id) {
        Some(slot) => *slot = backup,
        None => list.insert(0, backup),
    });
}

/// Reads the connection's list from the provider again, so the list ends as the provider says.
pub fn reconcile(state: AppState, connection: Connection) {
    load_connection(state, connection);
}
