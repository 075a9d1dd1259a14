//! Connections: add, edit and remove accounts, and "Try the demo".

use backboard_core::Connection;
use leptos::prelude::*;

use crate::lock::KeepOnDevice;
use crate::pages::PageHead;
use crate::providers::{connection_of_draft, draft_of, kind, Draft, KINDS};
use crate::state::{
    add_connections, load_connection, refresh_all, remove_connections, replace_connection, AppState, Load,
};
use crate::store::{self, new_id};
use crate::ui::lazy::lazy_part;
use crate::ui::{Form, Task};

/// "Try the demo": the simulator's ready-made connections, added beside any others.
#[component]
pub fn TryDemo() -> impl IntoView {
    let state = AppState::get();
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
    view! {
        <button type="button" class="primary" on:click=move |_| demo.run("", ())>"Try the demo"</button>
        {move || demo.progress.failure().map(|e| view! { <p class="error" role="alert">"⚠ " {e}</p> })}
    }
}

/// While demo accounts are listed, every page says so (and how to leave the demo).
#[component]
pub fn DemoBanner() -> impl IntoView {
    let state = AppState::get();
    let has_demo = move || state.connections.with(|l| l.iter().any(crate::demo::is_demo));
    view! {
        <Show when=has_demo>
            <aside class="demo-banner" aria-label="Demo">
                <p>
                    <strong>"Demo: "</strong>
                    "the “demo” accounts are simulated inside this page; nothing is sent to any provider. "
                    "To see your own backups, add a connection with your provider's API token, and remove the demo accounts."
                </p>
                <button type="button" on:click=move |_| remove_connections(state, crate::demo::is_demo)>"Remove the demo accounts"</button>
            </aside>
        </Show>
    }
}

/// The Connections page: the accounts Backboard reads, their state, and the form that adds or
/// edits one.
#[component]
pub fn Connections() -> impl IntoView {
    let state = AppState::get();
    let editing = RwSignal::new(None::<Connection>);
    let ws = crate::workspace::Workspace::get();
    let remove_error = RwSignal::new(None::<String>);
    let remove = move |id: String| {
        if editing.with_untracked(|e| e.as_ref().is_some_and(|e| e.id == id)) {
            editing.set(None);
        }
        // In workspace mode the worker removes it, then the list is read again.
        match ws {
            Some(ws) => leptos::task::spawn_local(async move {
                remove_error.set(crate::workspace::remove_connection(state, ws, &id).await.err());
            }),
            None => remove_connections(state, |c| c.id == id),
        }
    };
    let personal = ws.is_none();
    let may_add = move || crate::workspace::may("add_connection") || editing.with(Option::is_some);
    // A removed demo account may be the one being edited.
    Effect::new(move |_| {
        let gone = editing
            .with(|e| e.as_ref().map(|e| e.id.clone()))
            .is_some_and(|id| state.connections.with(|l| !l.iter().any(|c| c.id == id)));
        if gone {
            editing.set(None);
        }
    });
    view! {
        <PageHead title="Connections">
            {personal.then(|| view! { <TryDemo/> })}
            <button type="button" on:click=move |_| refresh_all(state)>"Refresh all"</button>
        </PageHead>
        <section class="connections" aria-labelledby="connections-list-title">
            <h2 id="connections-list-title">"Your accounts"</h2>
            <Show when=move || state.connections.with(Vec::is_empty)>
                <p class="empty">{if personal { "No connection yet. Add one with the form below, or try the demo." } else { "The workspace has no connection yet." }}</p>
            </Show>
            {move || remove_error.get().map(|e| view! { <p class="error" role="alert">"⚠ " {e}</p> })}
            <ul class="connection-list">
                <For each=move || state.connections.get() key=|c| (c.id.clone(), c.label.clone(), c.source().id) let:c>
                    <ConnectionRow connection=c on_remove=remove on_edit=move |c| editing.set(Some(c))/>
                </For>
            </ul>
            {personal.then(|| view! { <KeepOnDevice/> })}
        </section>
        <Show when=may_add>
            <section class="connection-form-section" aria-label="Connection form">
                <ConnectionForm editing=editing/>
            </section>
        </Show>
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
                let text = load.progress_text();
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
            <div class="conn-text">
                <span class=format!("provider-tag {}", connection.provider().slug())>{connection.provider().name()}</span>
                <span class="conn-label">{connection.label.clone()}</span>
                <span class="conn-source">{format!("{} {}", source.kind, source.id)}</span>
                {status}
            </div>
            <div class="conn-actions">
                <button type="button" on:click=retry aria-label=format!("Retry {label}")>"Retry"</button>
                // Rows are made after the workspace said who is signed in.
                {crate::workspace::may("update_connection").then(|| view! {
                    <button type="button" on:click=edit aria-label=format!("Edit {label}")>"Edit"</button>
                })}
                {crate::workspace::may("remove_connection").then(|| view! {
                    <button type="button" class="danger" on:click=move |_| on_remove(id.clone()) aria-label=format!("Remove {label}")>"Remove"</button>
                })}
            </div>
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
    // In workspace mode the page holds no token (its connections hold a stand-in), and a blank
    // token field is not sent: the workspace keeps its own.
    let ws = crate::workspace::Workspace::get();
    Effect::new(move |_| {
        if let Some(c) = editing.get() {
            form.values.set(draft_of(&c));
            form.reset();
        }
    });
    let saving = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if editing.with_untracked(Option::is_none) {
            form.values.update(|d| d.connection_id = new_id());
        }
        let Some(connection) = form.try_submit() else { return };
        if let Some(ws) = ws {
            // The worker says whether it took it; what was typed stays until it did.
            if saving.get_untracked() {
                return;
            }
            saving.set(true);
            let is_edit = editing.with_untracked(Option::is_some);
            let token_typed = form.values.with_untracked(|d| !d.token.trim().is_empty());
            leptos::task::spawn_local(async move {
                match crate::workspace::save_connection(state, ws, &connection, is_edit, token_typed).await {
                    Ok(()) => {
                        form.reset();
                        editing.set(None);
                        form.values.set(Draft::new(&form.values.with_untracked(|d| d.kind.clone())));
                    }
                    Err(e) => form.refused(vec![backboard_core::FieldError::new("", e)]),
                }
                saving.set(false);
            });
            return;
        }
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
            {move || chosen().filter(|k| k.options).map(|k| {
                let provider = k.provider;
                lazy_part("options of this kind of connection", move || async move {
                    Ok(crate::providers::part_of(provider).await?.connection_options(form))
                })
            })}
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
