//! Backup actions in the SPA: the pieces every provider's actions share. Each provider module
//! lays out its own buttons and forms; the rules (validation, requests, answers) are the core's
//! (`backboard_core::providers`).
//!
//! - [`Action`]: one action's state; a click while it runs does nothing (no double submit).
//! - [`send_once`]: exactly one attempt; non-GET requests are never retried.
//! - [`Confirm`]: destructive actions ask first, naming the backup.
//! - [`poll_until`]: long-running states refresh by themselves with backoff, and not while the
//!   tab is hidden.
//! - [`remove_listed`] / [`replace_listed`] update the list at once; [`reconcile`] reloads the
//!   connection from the provider afterwards, so the list always ends as the provider says.

pub mod mittwald;
pub mod northflank;
pub mod serveravatar;

use std::cell::Cell;
use std::future::Future;

use backboard_core::http::Request;
use backboard_core::paging::{send, RetryPolicy};
use backboard_core::{Backup, Connection, Error, Provider, Response};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::transport::FetchTransport;
use crate::{load_connection, AppState, Load};

/// The connection a backup was listed from.
pub fn connection_of(state: AppState, backup: &Backup) -> Option<Connection> {
    state.connections.with_untracked(|list| {
        list.iter()
            .find(|c| {
                let source = c.source();
                c.provider() == backup.provider && source.kind == backup.source.kind && source.id == backup.source.id
            })
            .cloned()
    })
}

/// Sends an action's request exactly once: a lost answer is reported, never repeated, so a
/// backup is not created, deleted or restored twice.
pub async fn send_once(provider: Provider, request: Request) -> Result<Response, Error> {
    send(&FetchTransport, provider, request, &RetryPolicy { max_attempts: 1, ..RetryPolicy::default() }, &Cell::new(1))
        .await
}

/// What one action is doing, shown next to its button or form.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Idle,
    Busy(String),
    /// The provider's answer, in words.
    Done(String),
    Failed(String),
}

/// One action's state. `run` starts the work unless it is already running.
#[derive(Clone, Copy)]
pub struct Action {
    pub outcome: RwSignal<Outcome>,
}

impl Default for Action {
    fn default() -> Self {
        Self { outcome: RwSignal::new(Outcome::Idle) }
    }
}

impl Action {
    pub fn busy(&self) -> bool {
        matches!(self.outcome.get(), Outcome::Busy(_))
    }

    /// Runs `work` (its `Ok` is the message shown on success) unless this action is busy.
    pub fn run(&self, busy_text: impl Into<String>, work: impl Future<Output = Result<String, String>> + 'static) {
        if matches!(self.outcome.get_untracked(), Outcome::Busy(_)) {
            return;
        }
        self.outcome.set(Outcome::Busy(busy_text.into()));
        let outcome = self.outcome;
        spawn_local(async move {
            let result = work.await;
            outcome.set(match result {
                Ok(message) => Outcome::Done(message),
                Err(message) => Outcome::Failed(message),
            });
        });
    }

    pub fn reset(&self) {
        self.outcome.set(Outcome::Idle);
    }
}

/// The answer of an action: a polite status on success, an alert on failure.
#[component]
pub fn OutcomeView(action: Action) -> impl IntoView {
    move || match action.outcome.get() {
        Outcome::Idle => ().into_any(),
        Outcome::Busy(text) => view! { <p class="action-status busy" role="status">{text}</p> }.into_any(),
        Outcome::Done(text) => view! { <p class="action-status ok" role="status">"✓ " {text}</p> }.into_any(),
        Outcome::Failed(text) => view! { <p class="action-status error" role="alert">"⚠ " {text}</p> }.into_any(),
    }
}

/// A destructive action's button. The first click asks, naming what is affected; only
/// "confirm" runs it. Cancel, Escape or a second look leave everything as it was.
#[component]
pub fn Confirm(
    /// The button's text, e.g. "Delete".
    label: String,
    /// The question, naming the backup: "Delete the backup “nightly”? This cannot be undone."
    question: String,
    /// The confirming button's text, e.g. "Delete “nightly”".
    confirm_label: String,
    action: Action,
    on_confirm: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let asking = RwSignal::new(false);
    let confirm_ref = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(b) = confirm_ref.get() {
            let _ = b.focus();
        }
    });
    let question_id = format!("confirm-{}", (js_sys::Math::random() * 1e9) as u64);
    let labelled = question_id.clone();
    view! {
        <Show
            when=move || asking.get()
            fallback=move || {
                let label = label.clone();
                view! {
                    <button type="button" class="danger" disabled=move || action.busy()
                        on:click=move |_| { action.reset(); asking.set(true) }>{label}</button>
                }
            }
        >
            <div class="confirm" role="alertdialog" aria-labelledby=labelled.clone()
                on:keydown=move |ev| if ev.key() == "Escape" { ev.stop_propagation(); asking.set(false) }>
                <p id=question_id.clone()>{question.clone()}</p>
                <button type="button" class="danger" node_ref=confirm_ref
                    on:click=move |_| { asking.set(false); on_confirm() }>{confirm_label.clone()}</button>
                <button type="button" on:click=move |_| asking.set(false)>"Cancel"</button>
            </div>
        </Show>
    }
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
    Fut: Future<Output = bool>,
{
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

/// The actions for one backup, shown in its details panel.
#[component]
pub fn BackupActions(backup: Backup) -> impl IntoView {
    let state = expect_context::<AppState>();
    let Some(connection) = connection_of(state, &backup) else {
        return view! { <p class="muted">"This backup's connection was removed; no actions."</p> }.into_any();
    };
    let inner = match backup.provider {
        Provider::ServerAvatar => view! { <serveravatar::Actions backup=backup connection=connection/> }.into_any(),
        Provider::Northflank => view! { <northflank::Actions backup=backup connection=connection/> }.into_any(),
        Provider::Mittwald => view! { <mittwald::Actions backup=backup connection=connection/> }.into_any(),
    };
    view! { <section class="backup-actions" aria-label="Actions">{inner}</section> }.into_any()
}

/// Per-connection tools (create forms, schedules, archive views), below the list.
#[component]
pub fn Sections() -> impl IntoView {
    view! {
        <mittwald::Section/>
        <northflank::Section/>
        <serveravatar::Section/>
    }
}
