//! A destructive action's button. The first click asks, naming what is affected; only "confirm"
//! runs it. Cancel, Escape or a second look leave everything as it was.

use std::sync::Arc;

use leptos::prelude::*;

use super::task::Progress;

#[component]
pub fn Confirm(
    /// The button's text, e.g. "Delete".
    label: String,
    /// The question, naming the backup: "Delete the backup “nightly”? This cannot be undone."
    question: String,
    /// The confirming button's text, e.g. "Delete “nightly”".
    confirm_label: String,
    progress: Progress,
    on_confirm: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    confirm(label, question, confirm_label, progress, Arc::new(on_confirm))
}

/// The button and its question, compiled once (the confirming action is boxed).
fn confirm(
    label: String,
    question: String,
    confirm_label: String,
    progress: Progress,
    on_confirm: Arc<dyn Fn() + Send + Sync>,
) -> AnyView {
    let asking = RwSignal::new(false);
    let confirm_ref = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(b) = confirm_ref.get() {
            let _ = b.focus();
        }
    });
    let question_id = format!("confirm-{}", (js_sys::Math::random() * 1e9) as u64);
    let labelled = question_id.clone();
    view! {
        <Show
            when=move || asking.get()
            fallback=move || {
                let label = label.clone();
                view! {
                    <button type="button" class="danger" disabled=move || progress.pending()
                        on:click=move |_| { progress.clear(); asking.set(true) }>{label}</button>
                }
            }
        >
            <div class="confirm" role="alertdialog" aria-labelledby=labelled.clone()
                on:keydown=move |ev| if ev.key() == "Escape" { ev.stop_propagation(); asking.set(false) }>
                <p id=question_id.clone()>{question.clone()}</p>
                <button type="button" class="danger" node_ref=confirm_ref
                    on:click={ let on_confirm = on_confirm.clone(); move |_| { asking.set(false); on_confirm() } }>{confirm_label.clone()}</button>
                <button type="button" on:click=move |_| asking.set(false)>"Cancel"</button>
            </div>
        </Show>
    }
    .into_any()
}
