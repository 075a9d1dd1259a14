//! The edge API key the SPA reads the worker's recorded history with: kept in this tab only (on
//! the device, secrets are kept only sealed under the passphrase). Provided as context.

use leptos::prelude::*;

const KEY: &str = "backboard.edgeKey";

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

fn load() -> String {
    session().and_then(|s| s.get_item(KEY).ok().flatten()).unwrap_or_default()
}

/// Saves in the tab only: on the device, secrets are kept only under the passphrase's seal.
fn save(key: &str) {
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
    pub fn provide() -> Self {
        let key = EdgeKey(RwSignal::new(load()));
        // A copy an earlier version kept on the device goes: only sealed secrets stay there.
        if let Some(l) = local() {
            let _ = l.remove_item(KEY);
        }
        // Each change of the key is saved (not the first run: that is what was just read).
        Effect::new(move |saved: Option<()>| {
            key.0.with(|k| {
                if saved.is_some() {
                    save(k);
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
