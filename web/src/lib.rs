//! Backboard's SPA: every backup of every connected account in one list.

mod actions;
mod connections;
mod create;
pub mod demo;
mod health;
pub mod store;
mod table;
pub mod transport;

use backboard_core::paging::{Options, Progress};
use backboard_core::{Backup, Connection};
use leptos::prelude::*;
use leptos::task::spawn_local;
use time::OffsetDateTime;

use transport::FetchTransport;

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Load {
    /// `previous`: the last list this connection gave, shown until the new one arrives.
    Loading {
        progress: Progress,
        previous: Vec<Backup>,
    },
    Done(Vec<Backup>),
    Failed(String),
}

impl Load {
    /// The backups to show for this connection now (a reload keeps the last good list).
    pub(crate) fn backups(&self) -> &[Backup] {
        match self {
            Load::Loading { previous, .. } => previous,
            Load::Done(list) => list,
            Load::Failed(_) => &[],
        }
    }
}

#[derive(Clone, Copy)]
pub(crate) struct AppState {
    pub connections: RwSignal<Vec<Connection>>,
    pub keep_on_device: RwSignal<bool>,
    /// Per connection id, its latest load; a generation counter drops stale answers.
    pub loads: RwSignal<Vec<(String, u64, Load)>>,
    pub generation: StoredValue<u64>,
}

pub(crate) fn now() -> OffsetDateTime {
    let ms = js_sys::Date::now();
    OffsetDateTime::from_unix_timestamp_nanos((ms as i128) * 1_000_000).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// Moves the keyboard focus to the element with this id (a form's first field with a problem).
pub(crate) fn focus(id: &str) {
    let element = leptos::prelude::document().get_element_by_id(id);
    if let Some(element) = element.and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok()) {
        let _ = element.focus();
    }
}

/// `aria-describedby` of the control with this id: its hint, and its error while there is one.
pub(crate) fn described_by(id: &str, hint: bool, error: bool) -> Option<String> {
    let ids: Vec<String> =
        [hint.then(|| format!("{id}-hint")), error.then(|| format!("{id}-error"))].into_iter().flatten().collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}

pub(crate) fn base_for(connection: &Connection) -> String {
    if demo::is_demo(connection) {
        return format!("{}/{}", demo::BASE, connection.provider().slug());
    }
    format!("{}/proxy/{}", store::proxy_url().trim_end_matches('/'), connection.provider().slug())
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

pub(crate) fn load_connection(state: AppState, connection: Connection) {
    let generation = state.generation.get_value() + 1;
    state.generation.set_value(generation);
    let id = connection.id.clone();
    set_load(state, &id, generation, Load::Loading { progress: Progress::default(), previous: Vec::new() });
    spawn_local(async move {
        let base = base_for(&connection);
        let result = connection
            .list_backups(&FetchTransport, &base, &Options::default(), &mut |p| {
                set_load(state, &id, generation, Load::Loading { progress: p, previous: Vec::new() });
            })
            .await;
        let load = match result {
            Ok(list) => Load::Done(list),
            Err(e) => Load::Failed(e.to_string()),
        };
        set_load(state, &id, generation, load);
    });
}

pub(crate) fn refresh_all(state: AppState) {
    state.loads.update(|l| l.retain(|(id, _, _)| state.connections.with_untracked(|c| c.iter().any(|c| &c.id == id))));
    for c in state.connections.get_untracked() {
        load_connection(state, c);
    }
}

pub(crate) fn new_id() -> String {
    format!("c{:x}", (js_sys::Math::random() * 1e15) as u64)
}

pub(crate) fn add_connections(state: AppState, new: Vec<Connection>) {
    state.connections.update(|list| list.extend(new.iter().cloned()));
    store::save_connections(&state.connections.get_untracked(), state.keep_on_device.get_untracked());
    for c in new {
        load_connection(state, c);
    }
}

/// Mounts the app on the page's body.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App)
}

// A backup's actions (every provider's forms and calls) are cut out of the main wasm by
// wasm-split (see `cargo xtask build-web`) and load when a backup's details first open. Splitting
// the health overview, create form and provider tools too was measured and dropped: the first
// download shrank to 326 KB, but the page did more work at start (Lighthouse 66-70 against 81-86).

/// A lazily loaded part of the app could not be fetched (offline, or a newer deployment
/// replaced it). Shown in its place with a retry; the rest of the app keeps working.
pub(crate) struct PartMissing;

impl From<wasm_split_helpers::SplitLoaderError> for PartMissing {
    fn from(_: wasm_split_helpers::SplitLoaderError) -> Self {
        PartMissing
    }
}

#[wasm_split_helpers::wasm_split(backup_actions_view, fallible)]
pub(crate) fn backup_actions_view(backup: Backup) -> Result<AnyView, PartMissing> {
    Ok(view! { <actions::BackupActions backup=backup/> }.into_any())
}

/// Renders a lazily loaded part once it has arrived; if it cannot be loaded, says so in its
/// place with a button that tries again.
pub(crate) fn lazy_part<F, Fut>(what: &'static str, load: F) -> impl IntoView
where
    F: Fn() -> Fut + Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<AnyView, PartMissing>> + 'static,
{
    let attempt = RwSignal::new(0u32);
    view! {
        <Suspense fallback=|| ()>
            {move || {
                attempt.track();
                let load = load.clone();
                // The loader's future lives on the page's one thread.
                Suspend::new(send_wrapper::SendWrapper::new(async move {
                    match load().await {
                        Ok(part) => part,
                        Err(PartMissing) => view! {
                            <p class="error part-missing" role="alert">
                                {format!("The {what} could not be loaded (offline, or Backboard was updated). ")}
                                <button type="button" on:click=move |_| attempt.update(|n| *n += 1)>"Try again"</button>
                            </p>
                        }
                        .into_any(),
                    }
                }))
            }}
        </Suspense>
    }
}

#[component]
fn App() -> impl IntoView {
    let state = AppState {
        connections: RwSignal::new(store::load_connections()),
        keep_on_device: RwSignal::new(store::remember()),
        loads: RwSignal::new(Vec::new()),
        generation: StoredValue::new(0),
    };
    provide_context(state);
    refresh_all(state);
    view! {
        <header class="top">
            <h1>"Backboard"</h1>
            <p class="tagline">"Every backup at ServerAvatar, Northflank and mittwald, in one list."</p>
        </header>
        <main>
            <connections::Connections/>
            <health::HealthOverview/>
            <table::BackupList/>
            <create::CreateBackup/>
            <actions::Sections/>
        </main>
    }
}
