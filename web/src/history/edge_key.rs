//! The edge API key the SPA reads the worker's recorded history with: kept where the connections
//! are (this tab, or this device when "keep on this device" is on), and moved with them when that
//! choice changes. Provided as context.

use leptos::prelude::*;

use crate::state::AppState;

const KEY: &str = "backboard.edgeKey";

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

fn load(keep_on_device: bool) -> String {
    let store = if keep_on_device { local() } else { session() };
    store.and_then(|s| s.get_item(KEY).ok().flatten()).unwrap_or_default()
}

/// Saves as connections are saved: always in the tab, on the device only when asked.
fn save(key: &str, keep_on_device: bool) {
    if let Some(l) = local() {
        let _ = match keep_on_device && !key.is_empty() {
            true => l.set_item(KEY, key),
            false => l.remove_item(KEY),
        };
    }
    if let Some(s) = session() {
        let _ = match key.is_empty() {
            true => s.remove_item(KEY),
            false => s.set_item(KEY, key),
        };
    }
}

/// Removes the key from the tab and the device ("Forget everything").
pub fn forget() {
    for store in [local(), session()].into_iter().flatten() {
        let _ = store.remove_item(KEY);
    }
}

/// The key (empty: none), provided once for the app.
#[derive(Clone, Copy)]
pub struct EdgeKey(pub RwSignal<String>);

impl EdgeKey {
    pub fn provide(state: AppState) -> Self {
        let key = EdgeKey(RwSignal::new(load(state.keep_on_device.get_untracked())));
        // Each change of the key or of where things are kept is saved (not the first run: that
        // is what was just read).
        Effect::new(move |saved: Option<()>| {
            let keep = state.keep_on_device.get();
            key.0.with(|k| {
                if saved.is_some() {
                    save(k, keep);
                }
            });
        });
        provide_context(key);
        key
    }

    pub fn get() -> Self {
        expect_context::<EdgeKey>()
    }
}
