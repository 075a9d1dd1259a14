//! Backboard's SPA: every backup of every connected account in one list.

mod create;
pub mod store;
mod table;
pub mod transport;

use backboard_core::connection::Account;
use backboard_core::paging::{Options, Progress};
use backboard_core::providers::{mittwald, northflank, serveravatar};
use backboard_core::{Backup, Connection, Token};
use leptos::prelude::*;
use leptos::task::spawn_local;
use time::OffsetDateTime;

use transport::FetchTransport;

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Load {
    Loading(Progress),
    Done(Vec<Backup>),
    Failed(String),
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

pub(crate) fn base_for(connection: &Connection) -> String {
    format!("{}/proxy/{}", store::proxy_url().trim_end_matches('/'), connection.provider().slug())
}

fn set_load(state: AppState, id: &str, generation: u64, load: Load) {
    state.loads.update(|loads| match loads.iter_mut().find(|(i, _, _)| i == id) {
        Some(entry) if entry.1 <= generation => *entry = (id.to_string(), generation, load),
        Some(_) => {}
        None => loads.push((id.to_string(), generation, load)),
    });
}

pub(crate) fn load_connection(state: AppState, connection: Connection) {
    let generation = state.generation.get_value() + 1;
    state.generation.set_value(generation);
    let id = connection.id.clone();
    set_load(state, &id, generation, Load::Loading(Progress::default()));
    spawn_local(async move {
        let base = base_for(&connection);
        let result = connection
            .list_backups(&FetchTransport, &base, &Options::default(), &mut |p| {
                set_load(state, &id, generation, Load::Loading(p));
            })
            .await;
        let load = match result {
            Ok(list) => Load::Done(list),
            Err(e) => Load::Failed(e.to_string()),
        };
        set_load(state, &id, generation, load);
    });
}

fn refresh_all(state: AppState) {
    state.loads.update(|l| l.retain(|(id, _, _)| state.connections.with_untracked(|c| c.iter().any(|c| &c.id == id))));
    for c in state.connections.get_untracked() {
        load_connection(state, c);
    }
}

fn new_id() -> String {
    format!("c{:x}", (js_sys::Math::random() * 1e15) as u64)
}

fn add_connections(state: AppState, new: Vec<Connection>) {
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
            <Connections/>
            <create::CreateBackup/>
            <table::BackupList/>
        </main>
    }
}

#[component]
fn Connections() -> impl IntoView {
    let state = expect_context::<AppState>();
    let demo_error = RwSignal::new(None::<String>);
    let try_demo = move |_| {
        let Some(sim) = store::simulator_url() else {
            demo_error.set(Some("No simulator is configured for this page.".into()));
            return;
        };
        spawn_local(async move {
            let url = format!("{}/_demo/connections", sim.trim_end_matches('/'));
            let result = async {
                let r = gloo_net::http::Request::get(&url)
                    .send()
                    .await
                    .map_err(|_| "the simulator could not be reached".to_string())?;
                r.json::<Vec<Connection>>().await.map_err(|e| format!("unexpected answer: {e}"))
            }
            .await;
            match result {
                Ok(list) => {
                    demo_error.set(None);
                    let list = list
                        .into_iter()
                        .map(|mut c| {
                            c.id = new_id();
                            c
                        })
                        .collect();
                    add_connections(state, list);
                }
                Err(e) => demo_error.set(Some(format!("The demo could not be loaded: {e}"))),
            }
        });
    };
    let remove = move |id: String| {
        state.connections.update(|l| l.retain(|c| c.id != id));
        state.loads.update(|l| l.retain(|(i, _, _)| *i != id));
        store::save_connections(&state.connections.get_untracked(), state.keep_on_device.get_untracked());
    };
    let on_keep = move |ev| {
        let keep = event_target_checked(&ev);
        state.keep_on_device.set(keep);
        store::save_connections(&state.connections.get_untracked(), keep);
    };
    view! {
        <section class="connections" aria-labelledby="connections-title">
            <div class="section-head">
                <h2 id="connections-title">"Connections"</h2>
                <div class="actions">
                    <button type="button" class="primary" on:click=try_demo>"Try the demo"</button>
                    <button type="button" on:click=move |_| refresh_all(state)>"Refresh all"</button>
                </div>
            </div>
            {move || demo_error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <ul class="connection-list">
                <For each=move || state.connections.get() key=|c| c.id.clone() let:c>
                    <ConnectionRow connection=c on_remove=remove/>
                </For>
            </ul>
            <AddConnection/>
            <label class="keep">
                <input type="checkbox" prop:checked=move || state.keep_on_device.get() on:change=on_keep/>
                " Keep connections and tokens on this device (otherwise they are forgotten when the tab closes)"
            </label>
        </section>
    }
}

#[component]
fn ConnectionRow(connection: Connection, on_remove: impl Fn(String) + Copy + 'static) -> impl IntoView {
    let state = expect_context::<AppState>();
    let id = connection.id.clone();
    let source = connection.source();
    let status = {
        let id = id.clone();
        move || {
            state.loads.with(|l| l.iter().find(|(i, _, _)| *i == id).map(|(_, _, load)| load.clone())).map(|load| {
                match load {
                    Load::Loading(p) => {
                        let text = match p.pages_known {
                            Some(k) if p.pages_done > 0 => format!("Loading page {} of {k}…", p.pages_done.min(k)),
                            _ if p.pages_done > 0 => format!("Loading page {}…", p.pages_done + 1),
                            _ => "Loading…".to_string(),
                        };
                        view! { <span class="conn-status loading" aria-live="polite">{text}</span> }.into_any()
                    }
                    Load::Done(list) => {
                        view! { <span class="conn-status ok">{format!("{} backups", list.len())}</span> }.into_any()
                    }
                    Load::Failed(e) => view! { <span class="conn-status error" role="alert">{e}</span> }.into_any(),
                }
            })
        }
    };
    let retry = {
        let c = connection.clone();
        move |_| load_connection(state, c.clone())
    };
    let label = connection.label.clone();
    view! {
        <li class="connection" data-provider=connection.provider().slug()>
            <span class=format!("provider-tag {}", connection.provider().slug())>{connection.provider().name()}</span>
            <span class="conn-label">{connection.label.clone()}</span>
            <span class="conn-source">{format!("{} {}", source.kind, source.id)}</span>
            {status}
            <button type="button" on:click=retry aria-label=format!("Retry {label}")>"Retry"</button>
            <button type="button" class="danger" on:click=move |_| on_remove(id.clone()) aria-label=format!("Remove {}", connection.label)>"Remove"</button>
        </li>
    }
}

#[component]
fn AddConnection() -> impl IntoView {
    let state = expect_context::<AppState>();
    let kind = RwSignal::new("serveravatar".to_string());
    let label = RwSignal::new(String::new());
    let token = RwSignal::new(String::new());
    let id_a = RwSignal::new(String::new());
    let id_b = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = Token::new(token.get_untracked().trim());
        let (a, b) = (id_a.get_untracked().trim().to_string(), id_b.get_untracked().trim().to_string());
        let account = match kind.get_untracked().as_str() {
            "serveravatar" => Account::ServerAvatar(serveravatar::Account { token: t, organization: a }),
            "northflank-addon" => Account::Northflank(northflank::Account {
                token: t,
                target: northflank::Target::Addon { project_id: a, addon_id: b },
            }),
            "northflank-destination" => Account::Northflank(northflank::Account {
                token: t,
                target: northflank::Target::Destination { backup_destination_id: a },
            }),
            _ => Account::Mittwald(mittwald::Account { token: t, project_id: a, query: Default::default() }),
        };
        let mut label_text = label.get_untracked().trim().to_string();
        if label_text.is_empty() {
            label_text = kind.get_untracked();
        }
        let connection = Connection { id: new_id(), label: label_text, account };
        match connection.check() {
            Err(e) => error.set(Some(e.to_string())),
            Ok(()) => {
                error.set(None);
                token.set(String::new());
                add_connections(state, vec![connection]);
            }
        }
    };
    let id_a_label = move || match kind.get().as_str() {
        "serveravatar" => "Organization id",
        "northflank-addon" => "Project id",
        "northflank-destination" => "Backup destination id",
        _ => "Project id (uuid)",
    };
    view! {
        <form class="add-connection" on:submit=submit>
            <h3>"Add a connection"</h3>
            <div class="fields">
                <label>"Provider"
                    <select name="provider" on:change=move |ev| kind.set(event_target_value(&ev)) prop:value=move || kind.get()>
                        <option value="serveravatar">"ServerAvatar organization"</option>
                        <option value="northflank-addon">"Northflank addon"</option>
                        <option value="northflank-destination">"Northflank backup destination"</option>
                        <option value="mittwald">"mittwald project"</option>
                    </select>
                </label>
                <label>"Label"
                    <input name="label" type="text" bind:value=label placeholder="e.g. Production"/>
                </label>
                <label>"API token"
                    <input name="token" type="password" autocomplete="off" bind:value=token/>
                </label>
                <label>{id_a_label}
                    <input name="id_a" type="text" bind:value=id_a/>
                </label>
                <Show when=move || kind.get() == "northflank-addon">
                    <label>"Addon id"
                        <input name="id_b" type="text" bind:value=id_b/>
                    </label>
                </Show>
            </div>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <button type="submit" class="primary">"Add connection"</button>
        </form>
    }
}
