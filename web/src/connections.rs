//! Connections: add, edit and remove accounts, "Try the demo", and the proxy setting.

use backboard_core::proxy;
use backboard_core::{Connection, FieldError};
use leptos::prelude::*;

use crate::providers::{connection_of_draft, draft_of, kind, Draft, KINDS};
use crate::state::{
    add_connections, load_connection, refresh_all, remove_connections, replace_connection, AppState, Load,
};
use crate::store::{self, new_id};
use crate::ui::{Form, Task};

#[component]
pub fn Connections() -> impl IntoView {
    let state = expect_context::<AppState>();
    let editing = RwSignal::new(None::<Connection>);
    // A simulator server when the page names one (local runs, tests), else the simulator
    // inside the page: a static deployment needs nothing else to show the demo.
    let demo = Task::new(move |_: &()| {
        let server = store::simulator_url();
        async move {
            let list = match server {
                Some(sim) => server_demo(&sim).await,
                None => crate::demo::connections().await,
            }
            .map_err(|e| format!("The demo could not be loaded: {e}"))?;
            add_connections(state, list);
            Ok(String::new())
        }
    });
    let try_demo = move |_| demo.run("", ());
    let remove_demo = move |_| {
        remove_connections(state, crate::demo::is_demo);
        editing.set(None);
    };
    let has_demo = move || state.connections.with(|l| l.iter().any(crate::demo::is_demo));
    let remove = move |id: String| {
        remove_connections(state, |c| c.id == id);
        if editing.with_untracked(|e| e.as_ref().is_some_and(|e| e.id == id)) {
            editing.set(None);
        }
    };
    let on_keep = move |ev| state.keep_on_device.set(event_target_checked(&ev));
    view! {
        <section class="connections" aria-labelledby="connections-title">
            <div class="section-head">
                <h2 id="connections-title">"Connections"</h2>
                <div class="actions">
                    <button type="button" class="primary" on:click=try_demo>"Try the demo"</button>
                    <button type="button" on:click=move |_| refresh_all(state)>"Refresh all"</button>
                </div>
            </div>
            {move || demo.progress.failure().map(|e| view! { <p class="error" role="alert">"⚠ " {e}</p> })}
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

const DRAFT_ORDER: &[&str] = &["provider", "label", "token", "id_a", "id_b"];

#[component]
fn ConnectionForm(editing: RwSignal<Option<Connection>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let first = KINDS[0].value;
    let form = Form::new("connection", Draft::new(first), connection_of_draft, DRAFT_ORDER);
    // Editing fills the form from the connection (the token stays blank: blank keeps it).
    Effect::new(move |_| {
        if let Some(c) = editing.get() {
            form.values.set(draft_of(&c));
            form.reset();
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if editing.with_untracked(Option::is_none) {
            form.values.update(|d| d.connection_id = new_id());
        }
        let Some(connection) = form.try_submit() else { return };
        form.reset();
        if editing.with_untracked(Option::is_some) {
            replace_connection(state, connection);
            editing.set(None);
        } else {
            add_connections(state, vec![connection]);
        }
        form.values.set(Draft::new(&form.values.with_untracked(|d| d.kind.clone())));
    };
    let cancel = move |_| {
        editing.set(None);
        form.values.set(Draft::new(first));
        form.reset();
    };
    let kind_value = Memo::new(move |_| form.values.with(|d| d.kind.clone()));
    let chosen = move || kind_value.with(|k| kind(k));
    let id_label = move |i: usize| move || chosen().and_then(|k| k.ids.get(i).copied()).unwrap_or("Id").to_string();
    let is_editing = move || editing.with(Option::is_some);
    let kinds: Vec<(&'static str, &'static str)> = KINDS.iter().map(|k| (k.value, k.label)).collect();
    view! {
        <form class="add-connection" on:submit=submit>
            <h3>{move || editing.with(|e| match e { Some(c) => format!("Edit “{}”", c.label), None => "Add a connection".into() })}</h3>
            <div class="fields">
                {form.field("provider", "Provider", |d| &d.kind, |d, v| d.kind = v).disabled(Signal::derive(is_editing)).select(kinds)}
                {form.field("label", "Label", |d| &d.label, |d, v| d.label = v).placeholder("e.g. Production").input()}
                {form.field("token", "API token", |d| &d.token, |d, v| d.token = v).kind("password")
                    .placeholder(move || if is_editing() { "leave empty to keep the current token" } else { "" }).input()}
                {form.field("id_a", id_label(0), |d| &d.ids[0], |d, v| d.ids[0] = v).input()}
                <Show when=move || chosen().is_some_and(|k| k.ids.len() > 1)>
                    {form.field("id_b", id_label(1), |d| &d.ids[1], |d, v| d.ids[1] = v).input()}
                </Show>
            </div>
            {move || chosen().and_then(|k| k.options).map(|options| options(form))}
            {form.alert()}
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

/// The worker's address as typed, if it is one this page may use.
#[allow(clippy::ptr_arg)] // a form validator takes its values as the form holds them
fn check_proxy(url: &String) -> Result<String, Vec<FieldError>> {
    let url = url.trim().trim_end_matches('/').to_string();
    let whole = |message: String| vec![FieldError::new("", message)];
    let Some(origin) = proxy::origin_of(&url) else {
        return Err(whole("Enter the worker's address, starting with https:// (or http:// locally).".into()));
    };
    match allowed_origins() {
        Some(allowed) if !allowed.contains(&origin) => Err(whole(format!(
            "This page's security policy only lets it talk to {}. Publish the page with BACKBOARD_PROXY_URL set to use another worker.",
            allowed.join(", ")
        ))),
        _ => Ok(url),
    }
}

#[component]
fn ProxySetting() -> impl IntoView {
    let state = expect_context::<AppState>();
    let form = Form::new("proxy", store::proxy_url(), check_proxy, &["proxy"]);
    let saved = RwSignal::new(None::<String>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(None);
        let Some(url) = form.try_submit() else { return };
        form.reset();
        store::set_proxy_url(&url);
        saved.set(Some(format!("Saved. Backups now load through {url}.")));
        refresh_all(state);
    };
    let reset = move |_| {
        store::set_proxy_url("");
        form.values.set(store::proxy_url());
        form.reset();
        saved.set(Some("Back to this page's own worker.".into()));
        refresh_all(state);
    };
    view! {
        <details class="settings">
            <summary>"Proxy settings"</summary>
            <form on:submit=save>
                {form.field("proxy", "Proxy (worker) URL", |u| u, |u, v| *u = v).kind("url").input()}
                <button type="submit">"Save"</button>
                <button type="button" on:click=reset>"Use the page's default"</button>
                {form.alert()}
                {move || saved.get().map(|m| view! { <p class="ok" role="status">{m}</p> })}
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
