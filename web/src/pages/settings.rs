//! Settings: the worker the page reaches the providers through, and what this device keeps.

use leptos::prelude::*;

use super::settings_edge::EdgeKeySetting;
use super::settings_proxy::ProxySetting;
use super::settings_workspace::WorkspaceSetting;
use super::PageHead;
use crate::lock::KeepOnDevice;
use crate::state::{remove_connections, AppState};
use crate::store;
use crate::ui::{Confirm, OutcomeView, Task};

#[component]
pub fn Settings() -> impl IntoView {
    let state = AppState::get();
    let edge_key = crate::history::edge_key::EdgeKey::get();
    let forget = Task::new(move |_: &()| {
        remove_connections(state, |_| true);
        edge_key.0.set(String::new());
        crate::history::edge_key::forget();
        state.keep.set(store::Keep::Tab);
        crate::vault::forget_key();
        store::forget_everything();
        async { Ok("Everything Backboard kept in this browser is gone.".to_string()) }
    });
    view! {
        <PageHead title="Settings"/>
        <section class="settings-proxy" aria-labelledby="proxy-title">
            <h2 id="proxy-title">"Proxy"</h2>
            <p class="muted">"Browsers may not call the providers' APIs directly, so Backboard reaches them through its worker. Tokens pass through it and are never stored there."</p>
            <ProxySetting/>
        </section>
        <section class="settings-edge" aria-labelledby="edge-title">
            <h2 id="edge-title">"History from the worker"</h2>
            <p class="muted">"The worker's cron records every source it watches, day by day, for longer than the providers keep backups. With its API key (BACKBOARD_API_KEY), source pages and the report read that record; without it, they judge the backups the providers still list. The key is kept in this tab only."</p>
            <EdgeKeySetting/>
        </section>
        <WorkspaceSetting/>
        <section class="settings-storage" aria-labelledby="storage-title">
            <h2 id="storage-title">"Storage"</h2>
            <Show when=|| store::workspace_url().is_none()>
                <KeepOnDevice/>
            </Show>
            <p class="muted">"Thresholds and the proxy address are not secret and are always kept on this device."</p>
            <Confirm label="Forget everything on this device".to_string() confirm_label="Forget everything".to_string()
                question="Remove every connection, token, threshold and setting from this browser?".to_string()
                progress=forget.progress on_confirm=move || forget.run("Forgetting…", ())/>
            <OutcomeView progress=forget.progress/>
        </section>
        <section class="settings-appearance" aria-labelledby="appearance-title">
            <h2 id="appearance-title">"Appearance"</h2>
            <p>"Light or dark follows your system's setting."</p>
        </section>
    }
}
