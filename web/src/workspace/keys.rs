//! The workspace's API keys for scripts: created with a label and a role (the key is shown once,
//! with a copy button), listed, revoked.

use backboard_core::http::encode_component;
use backboard_core::workspace::client::{self, ApiKey, NewKey};
use backboard_core::workspace::Role;
use gloo_net::http::Method;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::json;

use super::call;

#[component]
pub fn Keys() -> impl IntoView {
    let keys = RwSignal::new(Vec::<ApiKey>::new());
    let error = RwSignal::new(None::<String>);
    let load = move || {
        spawn_local(async move {
            match call(Method::GET, "/keys", None).await.and_then(|t| client::list_of(&t, "keys")) {
                Ok(list) => keys.set(list),
                Err(e) => error.set(Some(e)),
            }
        })
    };
    load();
    let revoke = move |id: String| {
        spawn_local(async move {
            match call(Method::DELETE, &format!("/keys/{}", encode_component(&id)), None).await {
                Ok(_) => load(),
                Err(e) => error.set(Some(e)),
            }
        })
    };
    let label = RwSignal::new(String::new());
    let role = RwSignal::new("viewer".to_string());
    let add_error = RwSignal::new(None::<String>);
    let created = RwSignal::new(None::<NewKey>);
    let copied = RwSignal::new(false);
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = json!({ "label": label.get_untracked().trim(), "role": role.get_untracked() });
        spawn_local(async move {
            let made = call(Method::POST, "/keys", Some(&body)).await.and_then(|t| {
                serde_json::from_str::<NewKey>(&t).map_err(|e| format!("unexpected answer from the workspace: {e}"))
            });
            match made {
                Ok(key) => {
                    label.set(String::new());
                    add_error.set(None);
                    copied.set(false);
                    created.set(Some(key));
                    load();
                }
                Err(e) => add_error.set(Some(e)),
            }
        });
    };
    let copy = move |_| {
        if let (Some(key), Some(w)) = (created.get_untracked(), web_sys::window()) {
            let _ = w.navigator().clipboard().write_text(&key.key);
            copied.set(true);
        }
    };
    view! {
        <section class="ws-keys" aria-labelledby="keys-title">
            <h2 id="keys-title">"API keys"</h2>
            <p class="muted">"Scripts call the workspace with “Authorization: Bearer <key>”. A key is shown once, when it is made; the workspace keeps only its hash."</p>
            {move || error.get().map(|e| view! { <p class="error" role="alert">"⚠ " {e}</p> })}
            <table class="ws-table">
                <thead><tr>
                    <th scope="col">"Label"</th><th scope="col">"Role"</th><th scope="col">"Created"</th>
                    <th scope="col">"Revoked"</th><th scope="col"><span class="sr-only">"Actions"</span></th>
                </tr></thead>
                <tbody>
                    <For each=move || keys.get() key=|k| (k.id.clone(), k.revoked_at.clone()) let:k>
                        {
                            let id = k.id.clone();
                            let live = k.revoked_at.is_none();
                            view! {
                                <tr>
                                    <td>{k.label.clone()}</td><td>{k.role.clone()}</td><td>{k.created_at.clone()}</td>
                                    <td>{k.revoked_at.clone().unwrap_or_else(|| "—".into())}</td>
                                    <td>{live.then(|| view! {
                                        <button type="button" class="danger" aria-label=format!("Revoke {}", k.label)
                                            on:click=move |_| revoke(id.clone())>"Revoke"</button>
                                    })}</td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
            {move || created.get().map(|k| view! {
                <div class="new-key" role="status">
                    <p>{format!("The key “{}” ({}): copy it now, it is not shown again.", k.label, k.role)}</p>
                    <code class="new-key-value">{k.key.clone()}</code>
                    <button type="button" on:click=copy>{move || if copied.get() { "Copied" } else { "Copy the key" }}</button>
                    <button type="button" on:click=move |_| created.set(None)>"Done"</button>
                </div>
            })}
            <form class="ws-form" aria-label="Create an API key" on:submit=create>
                <div class="field">
                    <label for="key-label">"Label"</label>
                    <input id="key-label" required=true prop:value=move || label.get() on:input=move |ev| label.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="key-role">"Role"</label>
                    <select id="key-role" on:change=move |ev| role.set(event_target_value(&ev))>
                        {Role::ALL.iter().map(|r| view! { <option value=r.as_str()>{r.as_str()}</option> }).collect_view()}
                    </select>
                </div>
                {move || add_error.get().map(|e| view! { <p class="error" role="alert">"⚠ " {e}</p> })}
                <div class="actions"><button type="submit" class="primary">"Create key"</button></div>
            </form>
        </section>
    }
}
