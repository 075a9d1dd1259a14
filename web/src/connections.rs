//! Connections: add, edit and remove accounts, "Try the demo", and the proxy setting.

use backboard_core::providers::mittwald::{ListQuery, SortOrder};
use backboard_core::providers::{mittwald, northflank, serveravatar};
use backboard_core::proxy;
use backboard_core::Account;
use backboard_core::{Connection, Token};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::{add_connections, load_connection, new_id, refresh_all, store, AppState, Load};

#[component]
pub fn Connections() -> impl IntoView {
    let state = expect_context::<AppState>();
    let demo_error = RwSignal::new(None::<String>);
    let editing = RwSignal::new(None::<Connection>);
    // A simulator server when the page names one (local runs, tests), else the simulator
    // inside the page: a static deployment needs nothing else to show the demo.
    let try_demo = move |_| {
        let server = store::simulator_url();
        spawn_local(async move {
            let result = match server {
                Some(sim) => server_demo(&sim).await,
                None => crate::demo::connections().await,
            };
            match result {
                Ok(list) => {
                    demo_error.set(None);
                    add_connections(state, list);
                }
                Err(e) => demo_error.set(Some(format!("The demo could not be loaded: {e}"))),
            }
        });
    };
    let remove_demo = move |_| {
        state.connections.update(|l| l.retain(|c| !crate::demo::is_demo(c)));
        state.loads.update(|l| l.retain(|(i, _, _)| !i.starts_with(crate::demo::ID_PREFIX)));
        store::save_connections(&state.connections.get_untracked(), state.keep_on_device.get_untracked());
        editing.set(None);
    };
    let has_demo = move || state.connections.with(|l| l.iter().any(crate::demo::is_demo));
    let remove = move |id: String| {
        state.connections.update(|l| l.retain(|c| c.id != id));
        state.loads.update(|l| l.retain(|(i, _, _)| *i != id));
        store::save_connections(&state.connections.get_untracked(), state.keep_on_device.get_untracked());
        if editing.with_untracked(|e| e.as_ref().is_some_and(|e| e.id == id)) {
            editing.set(None);
        }
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
            {move || demo_error.get().map(|e| view! { <p class="error" role="alert">"⚠ " {e}</p> })}
            <Show when=has_demo>
                <aside class="demo-banner" aria-label="Demo">
                    <p>
                        <strong>"Demo: "</strong>
                        "the “demo” accounts below are simulated inside this page; nothing is sent to any provider. "
                        "To see your own backups, add a connection with your provider's API token (Backboard reaches the providers through its worker, set under “Proxy settings”), and remove the demo accounts."
                    </p>
                    <button type="button" on:click=remove_demo>"Remove the demo accounts"</button>
                </aside>
            </Show>
            <ul class="connection-list">
                <For each=move || state.connections.get() key=|c| (c.id.clone(), c.label.clone(), c.source().id) let:c>
                    <ConnectionRow connection=c on_remove=remove on_edit=move |c| editing.set(Some(c))/>
                </For>
            </ul>
            <ConnectionForm editing=editing/>
            <label class="keep">
                <input type="checkbox" prop:checked=move || state.keep_on_device.get() on:change=on_keep/>
                " Keep connections and tokens on this device (otherwise they are forgotten when the tab closes)"
            </label>
            <ProxySetting/>
        </section>
    }
}

fn status_text(load: &Load) -> String {
    match load {
        Load::Loading { progress: p, .. } => match p.pages_known {
            Some(k) if p.pages_done > 0 => format!("Loading page {} of {k}…", p.pages_done.min(k)),
            _ if p.pages_done > 0 => format!("Loading page {}…", p.pages_done + 1),
            _ => "Loading…".to_string(),
        },
        Load::Done(list) => format!("{} backups", list.len()),
        Load::Failed(e) => e.clone(),
    }
}

#[component]
fn ConnectionRow(
    connection: Connection,
    on_remove: impl Fn(String) + Copy + 'static,
    on_edit: impl Fn(Connection) + Copy + 'static,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let id = connection.id.clone();
    let source = connection.source();
    let status = {
        let id = id.clone();
        move || {
            state.loads.with(|l| l.iter().find(|(i, _, _)| *i == id).map(|(_, _, load)| load.clone())).map(|load| {
                let text = status_text(&load);
                match load {
                    Load::Loading { .. } => {
                        view! { <span class="conn-status loading" aria-live="polite">{text}</span> }.into_any()
                    }
                    Load::Done(_) => view! { <span class="conn-status ok">{text}</span> }.into_any(),
                    Load::Failed(_) => view! { <span class="conn-status error" role="alert">{text}</span> }.into_any(),
                }
            })
        }
    };
    let retry = {
        let c = connection.clone();
        move |_| load_connection(state, c.clone())
    };
    let edit = {
        let c = connection.clone();
        move |_| on_edit(c.clone())
    };
    let label = connection.label.clone();
    view! {
        <li class="connection" data-provider=connection.provider().slug()>
            <span class=format!("provider-tag {}", connection.provider().slug())>{connection.provider().name()}</span>
            <span class="conn-label">{connection.label.clone()}</span>
            <span class="conn-source">{format!("{} {}", source.kind, source.id)}</span>
            {status}
            <button type="button" on:click=retry aria-label=format!("Retry {label}")>"Retry"</button>
            <button type="button" on:click=edit aria-label=format!("Edit {label}")>"Edit"</button>
            <button type="button" class="danger" on:click=move |_| on_remove(id.clone()) aria-label=format!("Remove {label}")>"Remove"</button>
        </li>
    }
}

/// The form's fields as typed; kept as they are when something is wrong.
#[derive(Clone, Default)]
struct Draft {
    kind: String,
    label: String,
    token: String,
    id_a: String,
    id_b: String,
    search_term: String,
    exports_only: bool,
    sort_order: String,
    running_restores_only: bool,
}

impl Draft {
    fn of(c: &Connection) -> Self {
        let mut d = Draft { label: c.label.clone(), ..Draft::default() };
        match &c.account {
            Account::ServerAvatar(a) => {
                d.kind = "serveravatar".into();
                d.id_a = a.organization.clone();
            }
            Account::Northflank(a) => match &a.target {
                northflank::Target::Addon { project_id, addon_id } => {
                    d.kind = "northflank-addon".into();
                    d.id_a = project_id.clone();
                    d.id_b = addon_id.clone();
                }
                northflank::Target::Destination { backup_destination_id } => {
                    d.kind = "northflank-destination".into();
                    d.id_a = backup_destination_id.clone();
                }
            },
            Account::Mittwald(a) => {
                d.kind = "mittwald".into();
                d.id_a = a.project_id.clone();
                d.search_term = a.query.search_term.clone().unwrap_or_default();
                d.exports_only = a.query.with_exports_only.unwrap_or(false);
                d.sort_order = a.query.sort_order.as_ref().map(|s| s.to_string()).unwrap_or_default();
                d.running_restores_only = a.query.running_restores_only.unwrap_or(false);
            }
        }
        d
    }

    /// The connection this draft describes; an empty token keeps `previous`'s.
    fn build(&self, id: String, previous: Option<&Connection>) -> Connection {
        let old_token = previous.map(|c| c.account.token().clone());
        let t = match (self.token.trim(), old_token) {
            ("", Some(old)) => old,
            (t, _) => Token::new(t),
        };
        let (a, b) = (self.id_a.trim().to_string(), self.id_b.trim().to_string());
        let account = match self.kind.as_str() {
            "serveravatar" => Account::ServerAvatar(serveravatar::Account { token: t, organization: a }),
            "northflank-addon" => Account::Northflank(northflank::Account {
                token: t,
                target: northflank::Target::Addon { project_id: a, addon_id: b },
            }),
            "northflank-destination" => Account::Northflank(northflank::Account {
                token: t,
                target: northflank::Target::Destination { backup_destination_id: a },
            }),
            _ => Account::Mittwald(mittwald::Account {
                token: t,
                project_id: a,
                query: ListQuery {
                    search_term: Some(self.search_term.trim().to_string()).filter(|s| !s.is_empty()),
                    with_exports_only: self.exports_only.then_some(true),
                    sort_order: (!self.sort_order.is_empty()).then(|| SortOrder::parse(&self.sort_order)),
                    running_restores_only: self.running_restores_only.then_some(true),
                },
            }),
        };
        let label = match self.label.trim() {
            "" => self.kind.clone(),
            l => l.to_string(),
        };
        Connection { id, label, account }
    }
}

#[component]
fn ConnectionForm(editing: RwSignal<Option<Connection>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let draft = RwSignal::new(Draft { kind: "serveravatar".into(), ..Draft::default() });
    let error = RwSignal::new(None::<String>);
    // Editing fills the form from the connection (the token stays blank: blank keeps it).
    Effect::new(move |_| {
        if let Some(c) = editing.get() {
            draft.set(Draft::of(&c));
            error.set(None);
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let previous = editing.get_untracked();
        let id = previous.as_ref().map(|c| c.id.clone()).unwrap_or_else(new_id);
        let connection = draft.with_untracked(|d| d.build(id, previous.as_ref()));
        if let Err(e) = connection.check() {
            error.set(Some(e.to_string()));
            return;
        }
        error.set(None);
        if previous.is_some() {
            state.connections.update(|list| {
                if let Some(slot) = list.iter_mut().find(|c| c.id == connection.id) {
                    *slot = connection.clone();
                }
            });
            store::save_connections(&state.connections.get_untracked(), state.keep_on_device.get_untracked());
            load_connection(state, connection);
            editing.set(None);
        } else {
            add_connections(state, vec![connection]);
        }
        draft.set(Draft { kind: draft.with_untracked(|d| d.kind.clone()), ..Draft::default() });
    };
    let cancel = move |_| {
        editing.set(None);
        draft.set(Draft { kind: "serveravatar".into(), ..Draft::default() });
        error.set(None);
    };
    let kind = move || draft.with(|d| d.kind.clone());
    let id_a_label = move || match kind().as_str() {
        "serveravatar" => "Organization id",
        "northflank-addon" => "Project id",
        "northflank-destination" => "Backup destination id",
        _ => "Project id (uuid)",
    };
    macro_rules! text {
        ($field:ident) => {
            (move || draft.with(|d| d.$field.clone()), move |ev| draft.update(|d| d.$field = event_target_value(&ev)))
        };
    }
    macro_rules! flag {
        ($field:ident) => {
            (move || draft.with(|d| d.$field), move |ev| draft.update(|d| d.$field = event_target_checked(&ev)))
        };
    }
    let (label_v, label_in) = text!(label);
    let (token_v, token_in) = text!(token);
    let (a_v, a_in) = text!(id_a);
    let (b_v, b_in) = text!(id_b);
    let (search_v, search_in) = text!(search_term);
    let (sort_v, sort_in) = text!(sort_order);
    let (exports_v, exports_in) = flag!(exports_only);
    let (running_v, running_in) = flag!(running_restores_only);
    let is_editing = move || editing.with(Option::is_some);
    view! {
        <form class="add-connection" on:submit=submit>
            <h3>{move || editing.with(|e| match e { Some(c) => format!("Edit “{}”", c.label), None => "Add a connection".into() })}</h3>
            <div class="fields">
                <label>"Provider"
                    <select name="provider" prop:value=kind disabled=is_editing
                        on:change=move |ev| draft.update(|d| d.kind = event_target_value(&ev))>
                        <option value="serveravatar">"ServerAvatar organization"</option>
                        <option value="northflank-addon">"Northflank addon"</option>
                        <option value="northflank-destination">"Northflank backup destination"</option>
                        <option value="mittwald">"mittwald project"</option>
                    </select>
                </label>
                <label>"Label"
                    <input name="label" type="text" prop:value=label_v on:input=label_in placeholder="e.g. Production"/>
                </label>
                <label>"API token"
                    <input name="token" type="password" autocomplete="off" prop:value=token_v on:input=token_in
                        placeholder=move || if is_editing() { "leave empty to keep the current token" } else { "" }/>
                </label>
                <label>{id_a_label}
                    <input name="id_a" type="text" prop:value=a_v on:input=a_in/>
                </label>
                <Show when=move || kind() == "northflank-addon">
                    <label>"Addon id"
                        <input name="id_b" type="text" prop:value=b_v on:input=b_in/>
                    </label>
                </Show>
            </div>
            <Show when=move || kind() == "mittwald">
                <fieldset class="fields mittwald-filters">
                    <legend>"mittwald's own filters"</legend>
                    <label>"Search term"
                        <input name="searchTerm" type="text" prop:value=search_v on:input=search_in/>
                    </label>
                    <label>"Order"
                        <select name="sortOrder" prop:value=sort_v on:change=sort_in>
                            <option value="">"mittwald's default"</option>
                            <option value="newestFirst">"Newest first"</option>
                            <option value="oldestFirst">"Oldest first"</option>
                        </select>
                    </label>
                    <label class="check"><input name="withExportsOnly" type="checkbox" prop:checked=exports_v on:change=exports_in/>" Only backups with an export"</label>
                    <label class="check"><input name="runningRestoresOnly" type="checkbox" prop:checked=running_v on:change=running_in/>" Only backups being restored"</label>
                </fieldset>
            </Show>
            {move || error.get().map(|e| view! { <p class="error" role="alert">"⚠ " {e}</p> })}
            <div class="actions">
                <button type="submit" class="primary">{move || if is_editing() { "Save connection" } else { "Add connection" }}</button>
                <Show when=is_editing>
                    <button type="button" on:click=cancel>"Cancel"</button>
                </Show>
            </div>
        </form>
    }
}

/// Origins the page's Content-Security-Policy lets it connect to ('self' aside).
fn allowed_origins() -> Option<Vec<String>> {
    let doc = web_sys::window()?.document()?;
    let csp = doc.query_selector("meta[http-equiv=\"Content-Security-Policy\"]").ok()??.get_attribute("content")?;
    let connect = csp.split(';').map(str::trim).find(|d| d.starts_with("connect-src"))?;
    Some(connect.split_whitespace().skip(1).filter(|s| !s.starts_with('\'')).map(str::to_string).collect())
}

#[component]
fn ProxySetting() -> impl IntoView {
    let state = expect_context::<AppState>();
    let value = RwSignal::new(store::proxy_url());
    let message = RwSignal::new(None::<(bool, String)>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let url = value.get_untracked().trim().trim_end_matches('/').to_string();
        let Some(origin) = proxy::origin_of(&url) else {
            message
                .set(Some((false, "Enter the worker's address, starting with https:// (or http:// locally).".into())));
            return;
        };
        if let Some(allowed) = allowed_origins() {
            if !allowed.contains(&origin) {
                message.set(Some((
                    false,
                    format!(
                        "This page's security policy only lets it talk to {}. Publish the page with BACKBOARD_PROXY_URL set to use another worker.",
                        allowed.join(", ")
                    ),
                )));
                return;
            }
        }
        store::set_proxy_url(&url);
        message.set(Some((true, format!("Saved. Backups now load through {url}."))));
        refresh_all(state);
    };
    let reset = move |_| {
        store::set_proxy_url("");
        value.set(store::proxy_url());
        message.set(Some((true, "Back to this page's own worker.".into())));
        refresh_all(state);
    };
    view! {
        <details class="settings">
            <summary>"Proxy settings"</summary>
            <form on:submit=save>
                <label>"Proxy (worker) URL"
                    <input name="proxy" type="url" prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
                </label>
                <button type="submit">"Save"</button>
                <button type="button" on:click=reset>"Use the page's default"</button>
                {move || message.get().map(|(ok, m)| if ok {
                    view! { <p class="ok" role="status">{m}</p> }.into_any()
                } else {
                    view! { <p class="error" role="alert">"⚠ " {m}</p> }.into_any()
                })}
            </form>
        </details>
    }
}

/// The ready-made connections of a simulator server (`GET /_demo/connections`).
async fn server_demo(sim: &str) -> Result<Vec<Connection>, String> {
    let url = format!("{}/_demo/connections", sim.trim_end_matches('/'));
    let r = gloo_net::http::Request::get(&url)
        .send()
        .await
        .map_err(|_| "the simulator could not be reached".to_string())?;
    let list = r.json::<Vec<Connection>>().await.map_err(|e| format!("unexpected answer: {e}"))?;
    Ok(list
        .into_iter()
        .map(|mut c| {
            c.id = new_id();
            c
        })
        .collect())
}
