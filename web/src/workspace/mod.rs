//! Workspace mode: when the page names a workspace (`<meta name="backboard-workspace">` or the
//! Settings page), connections come from the worker, provider calls go through its proxy by
//! connection id (the worker adds the token), and the caller's role decides which actions are
//! shown, by the same routes and acts the worker decides with (`backboard_core::workspace`).
//!
//! - `identity`: who is signed in, and their role, in the page's header.
//! - `connections`: the connections' list and form, saved to the worker.
//! - `members`, `keys`, `audit`: the admin's Workspace page.

mod audit;
mod connections;
mod identity;
mod keys;
mod members;
pub mod page;

use backboard_core::workspace::client::{self, Me};
use backboard_core::Provider;
use gloo_net::http::{Method, RequestBuilder};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::state::{refresh_all, AppState};

pub use connections::{remove_connection, save_connection};
pub use identity::Identity;

/// The workspace's origin, when the page is in workspace mode.
pub fn origin() -> Option<String> {
    crate::store::workspace_url()
}

/// Who is signed in (workspace mode only), provided as context.
#[derive(Clone, Copy)]
pub struct Workspace {
    pub me: RwSignal<Option<Me>>,
    /// Why the workspace could not be read.
    pub error: RwSignal<Option<String>>,
}

impl Workspace {
    /// The workspace's context, in workspace mode.
    pub fn get() -> Option<Self> {
        use_context::<Workspace>()
    }

    /// Reads who is signed in and the workspace's connections, then loads their lists.
    pub fn provide(state: AppState) -> Self {
        let ws = Workspace { me: RwSignal::new(None), error: RwSignal::new(None) };
        provide_context(ws);
        spawn_local(async move {
            match call(Method::GET, "/me", None).await.and_then(|t| client::me(&t)) {
                Ok(me) => ws.me.set(Some(me)),
                Err(e) => ws.error.set(Some(e)),
            }
            reload(state, ws).await;
        });
        ws
    }
}

/// Reads the workspace's connections again and loads their lists.
pub async fn reload(state: AppState, ws: Workspace) {
    match call(Method::GET, "/connections", None).await.and_then(|t| client::connections(&t)) {
        Ok(list) => {
            state.connections.set(list);
            refresh_all(state);
        }
        Err(e) => ws.error.set(Some(format!("The workspace's connections could not be read: {e}"))),
    }
}

/// Whether the signed-in member may call the workspace route named `name` (personal mode:
/// always; workspace mode before `/me` answered: never).
pub fn may(name: &str) -> bool {
    match Workspace::get() {
        None => true,
        Some(ws) => ws.me.with(|m| m.as_ref().is_some_and(|m| client::may(m.role, name))),
    }
}

/// Whether the signed-in member may make `provider`'s call named `name` (personal mode: always).
pub fn may_call(provider: Provider, name: &str) -> bool {
    match Workspace::get() {
        None => true,
        Some(ws) => ws.me.with(|m| m.as_ref().is_some_and(|m| client::may_call(m.role, provider, name))),
    }
}

/// A call to the workspace's API (`path` below `/api/v1/workspace`), with the browser's
/// credentials (the Access cookie); the answer's text, or the worker's message.
pub async fn call(method: Method, path: &str, body: Option<&serde_json::Value>) -> Result<String, String> {
    let origin = origin().ok_or("the page names no workspace")?;
    let url = format!("{}{path}", client::api(&origin));
    let builder = RequestBuilder::new(&url).method(method).credentials(web_sys::RequestCredentials::Include);
    let sent = match body {
        Some(v) => {
            builder
                .header("Content-Type", "application/json")
                .body(v.to_string())
                .map_err(|e| e.to_string())?
                .send()
                .await
        }
        None => builder.send().await,
    };
    let response =
        sent.map_err(|_| "the workspace could not be reached (network error or CORS refused)".to_string())?;
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    match status {
        200..=299 => Ok(text),
        _ => Err(client::error_message(status, &text)),
    }
}
