//! The edge API key: with it, a source's page and the report read the worker's recorded history
//! (`BACKBOARD_API_KEY` at the worker); without it they judge the backups the providers still
//! list. Kept where the connections are kept.

use leptos::prelude::*;

use crate::history::edge_key::EdgeKey;
use crate::store;

#[component]
pub fn EdgeKeySetting() -> impl IntoView {
    let key = EdgeKey::get();
    let typed = RwSignal::new(String::new());
    let said = RwSignal::new(None::<String>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let value = typed.get_untracked().trim().to_string();
        if value.is_empty() {
            said.set(Some("Enter the key first (the worker's BACKBOARD_API_KEY).".into()));
            return;
        }
        key.0.set(value);
        typed.set(String::new());
        said.set(Some(format!(
            "Saved. History is read from {} with this key.",
            store::proxy_url().trim_end_matches('/')
        )));
    };
    let remove = move |_| {
        key.0.set(String::new());
        said.set(Some("Removed. History now comes from the backups the providers still list.".into()));
    };
    let is_set = move || key.0.with(|k| !k.is_empty());
    view! {
        <form class="edge-key-form" on:submit=save>
            <div class="fields">
                <label>
                    "Edge API key"
                    <input type="password" name="edge-key" autocomplete="off" prop:value=move || typed.get()
                        on:input=move |ev| typed.set(event_target_value(&ev))
                        aria-describedby="edge-key-state"/>
                </label>
            </div>
            <p id="edge-key-state" class="muted">{move || match is_set() {
                true => "A key is set: compliance comes from the worker's recorded history.",
                false => "No key set: compliance comes from the backups the providers still list.",
            }}</p>
            <div class="actions">
                <button type="submit">"Save key"</button>
                <button type="button" disabled=move || !is_set() on:click=remove>"Remove key"</button>
            </div>
            {move || said.get().map(|m| view! { <p class="ok" role="status">{m}</p> })}
        </form>
    }
}
