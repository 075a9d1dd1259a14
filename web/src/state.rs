//! The app's shared state (provided as context): the connections, where they are kept, and each
//! connection's latest list load.
//!
//! The list loads are not a `LocalResource` per connection: a load reports every page as it
//! arrives (progress beside the last good list, which stays on screen), actions edit the loaded
//! lists in place at once (a deleted row goes before the provider is asked again), and any part
//! of the app may reload one connection. A generation number per load drops stale answers.

use backboard_core::paging::Progress;
use backboard_core::{Backup, Connection};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::store;

#[derive(Clone, Debug, PartialEq)]
pub enum Load {
    /// `previous`: the last list this connection gave, shown until the new one arrives.
    Loading {
        progress: Progress,
        previous: Vec<Backup>,
    },
    Done(Vec<Backup>),
    Failed(String),
}

impl Load {
    /// "Loading page 3 of 12…", "42 backups", or the error.
    pub fn progress_text(&self) -> String {
        match self {
            Load::Loading { progress: p, .. } => match p.pages_known {
                Some(k) if p.pages_done > 0 => format!("Loading page {} of {k}…", p.pages_done.min(k)),
                _ if p.pages_done > 0 => format!("Loading page {}…", p.pages_done + 1),
                _ => "Loading…".to_string(),
            },
            Load::Done(list) => format!("{} backups", list.len()),
            Load::Failed(e) => e.clone(),
        }
    }

    /// The backups to show for this connection now (a reload keeps the last good list).
    pub fn backups(&self) -> &[Backup] {
        match self {
            Load::Loading { previous, .. } => previous,
            Load::Done(list) => list,
            Load::Failed(_) => &[],
        }
    }
}

#[derive(Clone, Copy)]
pub struct AppState {
    pub connections: RwSignal<Vec<Connection>>,
    /// Where the connections are kept, and whether the device's sealed copy is open.
    pub keep: RwSignal<store::Keep>,
    /// Why the last write to the device failed, if it did.
    pub keep_error: RwSignal<Option<String>>,
    /// Per connection id, its latest load; a generation counter drops stale answers.
    pub loads: RwSignal<Vec<(String, u64, Load)>>,
    pub generation: StoredValue<u64>,
}

impl AppState {
    pub fn get() -> Self {
        expect_context::<AppState>()
    }

    /// The connections as stored, provided as context and kept in storage by one effect.
    pub fn provide() -> Self {
        // In workspace mode the connections come from the worker (`crate::workspace`).
        let (connections, keep) = match store::workspace_url() {
            Some(_) => (Vec::new(), store::Keep::Workspace),
            None => store::load_connections(),
        };
        let state = AppState {
            connections: RwSignal::new(connections),
            keep: RwSignal::new(keep),
            keep_error: RwSignal::new(None),
            loads: RwSignal::new(Vec::new()),
            generation: StoredValue::new(0),
        };
        provide_context(state);
        // Every change to the connections or to where they are kept is saved (not the first
        // run: that is what was just read). A locked, unreadable or plain store on the device
        // stays as it is until it is opened, forgotten, or sealed under a chosen passphrase.
        let writes = StoredValue::new(0u64);
        Effect::new(move |saved: Option<()>| {
            let keep = state.keep.get();
            let list = state.connections.get();
            if saved.is_none() {
                return;
            }
            match keep {
                store::Keep::Tab => store::save_in_tab(&list),
                store::Keep::Open => {
                    // Seals run one after another may end out of order: only the latest is written.
                    let n = writes.get_value() + 1;
                    writes.set_value(n);
                    spawn_local(async move {
                        match crate::vault::seal(&list).await {
                            Ok(sealed)
                                if writes.get_value() == n && state.keep.get_untracked() == store::Keep::Open =>
                            {
                                store::save_sealed(&sealed)
                            }
                            Ok(_) => {}
                            Err(e) => state.keep_error.set(Some(format!("The connections could not be kept: {e}"))),
                        }
                    });
                }
                store::Keep::Locked(_) | store::Keep::Unreadable(_) | store::Keep::Plain | store::Keep::Workspace => {}
            }
        });
        state
    }
}

/// Records a connection's load; progress of a reload carries the last good list along
/// (moved, not copied).
fn set_load(state: AppState, id: &str, generation: u64, load: Load) {
    state.loads.update(|loads| match loads.iter_mut().find(|(i, _, _)| i == id) {
        Some(entry) if entry.1 <= generation => {
            let load = match load {
                Load::Loading { progress, .. } => {
                    let previous = match std::mem::replace(&mut entry.2, Load::Failed(String::new())) {
                        Load::Done(list) | Load::Loading { previous: list, .. } => list,
                        Load::Failed(_) => Vec::new(),
                    };
                    Load::Loading { progress, previous }
                }
                other => other,
            };
            *entry = (id.to_string(), generation, load);
        }
        Some(_) => {}
        None => loads.push((id.to_string(), generation, load)),
    });
}

pub fn load_connection(state: AppState, connection: Connection) {
    let generation = state.generation.get_value() + 1;
    state.generation.set_value(generation);
    let id = connection.id.clone();
    set_load(state, &id, generation, Load::Loading { progress: Progress::default(), previous: Vec::new() });
    spawn_local(async move {
        let progress = {
            let id = id.clone();
            move |p| set_load(state, &id, generation, Load::Loading { progress: p, previous: Vec::new() })
        };
        // The provider's parsers come with its part.
        let load = match crate::providers::part_of(connection.provider()).await {
            Ok(part) => match part.list(connection, Box::new(progress)).await {
                Ok(list) => Load::Done(list),
                Err(e) => Load::Failed(e.to_string()),
            },
            Err(_) => Load::Failed(format!(
                "Backboard's {} code could not be loaded (offline, or Backboard was updated); retry.",
                connection.provider().name()
            )),
        };
        set_load(state, &id, generation, load);
    });
}

pub fn refresh_all(state: AppState) {
    state.loads.update(|l| l.retain(|(id, _, _)| state.connections.with_untracked(|c| c.iter().any(|c| &c.id == id))));
    for c in state.connections.get_untracked() {
        load_connection(state, c);
    }
}

pub fn add_connections(state: AppState, new: Vec<Connection>) {
    state.connections.update(|list| list.extend(new.iter().cloned()));
    for c in new {
        load_connection(state, c);
    }
}

/// Drops the connections `gone` says, with their loads.
pub fn remove_connections(state: AppState, gone: impl Fn(&Connection) -> bool) {
    let ids: Vec<String> =
        state.connections.with_untracked(|l| l.iter().filter(|c| gone(c)).map(|c| c.id.clone()).collect());
    state.connections.update(|l| l.retain(|c| !ids.contains(&c.id)));
    state.loads.update(|l| l.retain(|(i, _, _)| !ids.contains(i)));
}

/// Puts an edited connection in place of the one with its id, and reads it again.
pub fn replace_connection(state: AppState, connection: Connection) {
    state.connections.update(|list| {
        if let Some(slot) = list.iter_mut().find(|c| c.id == connection.id) {
            *slot = connection.clone();
        }
    });
    load_connection(state, connection);
}

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
