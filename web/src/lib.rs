//! Backboard's SPA: every backup of every connected account in one list.
//!
//! `state` holds the connections and their loads; `ui` the pieces every part shares (the form
//! toolkit among them); `providers` every provider's panels and forms behind one registry; the
//! other modules are the page's parts (connections, health, the list and its details).

mod actions;
mod clock;
mod connections;
pub mod demo;
mod details;
mod export;
mod health;
#[cfg(test)]
mod list_test;
mod providers;
mod state;
pub mod store;
mod table;
pub mod transport;
mod ui;

use backboard_core::Provider;
use leptos::prelude::*;

use state::{refresh_all, AppState};

/// Mounts the app on the page's body.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App)
}

/// "ServerAvatar, Northflank and mittwald".
fn provider_names() -> String {
    let names: Vec<&str> = Provider::ALL.iter().map(|p| p.name()).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

#[component]
fn App() -> impl IntoView {
    let state = AppState::provide();
    ui::Notices::provide();
    refresh_all(state);
    view! {
        <header class="top">
            <h1>"Backboard"</h1>
            <p class="tagline">{format!("Every backup at {}, in one list.", provider_names())}</p>
        </header>
        <main>
            <connections::Connections/>
            <health::HealthOverview/>
            <table::BackupList/>
            <providers::CreateForms/>
            <providers::Sections/>
        </main>
    }
}
