//! Lists the providers of the connections in use under `PARTS_KEY`, where the page's head script
//! reads them on the next load and fetches their parts beside the main module
//! (`crates/xtask/src/preload.rs`). Only provider names are written, never a connection: on
//! the device they are the one thing kept outside the passphrase's seal.

use backboard_core::page::PARTS_KEY;
use backboard_core::Provider;
use leptos::prelude::*;

use crate::state::AppState;
use crate::store::Keep;

/// Keeps `PARTS_KEY` in step with the connections: in the tab, and on the device when the
/// connections are kept there.
pub fn keep_parts_listed(state: AppState) {
    Effect::new(move |_| {
        // Locked or unreadable, the connections are not known yet: what is listed stays.
        let on_device = match &*state.keep.read() {
            Keep::Locked(_) | Keep::Unreadable(_) => return,
            Keep::Open | Keep::Plain => true,
            Keep::Tab | Keep::Workspace => false,
        };
        let providers: Vec<Provider> = state
            .connections
            .with(|cs| Provider::ALL.into_iter().filter(|p| cs.iter().any(|c| c.provider() == *p)).collect());
        let listed = providers.iter().map(|p| p.slug()).collect::<Vec<_>>().join(",");
        let window = web_sys::window();
        let session = window.as_ref().and_then(|w| w.session_storage().ok().flatten());
        let local = window.as_ref().and_then(|w| w.local_storage().ok().flatten());
        for (storage, keep) in [(session, true), (local, on_device)] {
            if let Some(storage) = storage {
                let _ = match keep && !listed.is_empty() {
                    true => storage.set_item(PARTS_KEY, &listed),
                    false => storage.remove_item(PARTS_KEY),
                };
            }
        }
    });
}
