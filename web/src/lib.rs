//! Backboard's SPA: every backup of every connected account in one list.
//!
//! `state` holds the connections and their loads; `router` the address; `pages` one file per
//! page; `ui` the pieces every part shares (the form toolkit among them); `providers` every
//! provider's panels and forms behind one registry; the other modules are the pages' parts
//! (connections, health, the list and its details).

mod actions;
mod clock;
mod connections;
pub mod demo;
mod details;
mod export;
mod health;
mod history;
#[cfg(test)]
mod list_test;
mod load_notes;
mod lock;
mod pages;
mod preload;
mod providers;
mod router;
mod shell;
mod state;
pub mod store;
mod table;
pub mod transport;
mod ui;
pub mod vault;
mod workspace;

use backboard_core::page::{Page, NAV};
use backboard_core::Provider;
use leptos::prelude::*;

use state::{refresh_all, AppState};

/// Mounts the app on the page's body.
pub fn start() {
    console_error_panic_hook::set_once();
    shell::mount_over_shell(App)
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
    let router = router::Router::provide();
    health::HealthState::provide(state);
    history::edge_key::EdgeKey::provide();
    // Workspace mode reads its connections from the worker, then loads them.
    match store::workspace_url() {
        Some(_) => {
            workspace::Workspace::provide(state);
        }
        None => refresh_all(state),
    }
    preload::keep_parts_listed(state);
    let admin_nav = move || workspace::Workspace::get().is_some() && workspace::may("list_members");
    let current = move |page: &Page| router.page.with(|p| p.section().as_ref() == Some(page));
    // The skip link moves the focus without touching the address (it holds the page).
    let skip = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        if let Some(main) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("main")) {
            use wasm_bindgen::JsCast;
            if let Ok(main) = main.dyn_into::<web_sys::HtmlElement>() {
                let _ = main.focus();
            }
        }
    };
    view! {
        <a class="skip-link" href="#main" on:click=skip>"Skip to content"</a>
        <header class="top">
            <a class="brand" href=Page::Overview.href()>
                <span class="brand-name">"Backboard"</span>
                <span class="tagline">{format!("Every backup at {}, in one list.", provider_names())}</span>
            </a>
            <nav aria-label="Main">
                <ul>
                    {NAV.iter().map(|page| {
                        let page = page.clone();
                        let href = page.href();
                        let label = page.label();
                        view! {
                            <li><a href=href aria-current=move || current(&page).then_some("page")>{label}</a></li>
                        }
                    }).collect_view()}
                    <Show when=admin_nav>
                        <li><a href=Page::Workspace.href() aria-current=move || current(&Page::Workspace).then_some("page")>{Page::Workspace.label()}</a></li>
                    </Show>
                </ul>
            </nav>
            <workspace::Identity/>
        </header>
        <connections::DemoBanner/>
        <main id="main" tabindex="-1">
            <lock::Unlock/>
            {move || router.page.with(pages::page_view)}
        </main>
    }
}
