//! The passphrase that keeps connections on this device: asked for on load when a sealed store
//! exists ([`Unlock`]), and chosen when the user keeps them on the device ([`KeepOnDevice`]).

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::state::{refresh_all, AppState};
use crate::store::Keep;
use crate::vault;

/// The fewest characters a new passphrase may have.
const MIN_LEN: usize = 8;

/// A passphrase field with its label and, below it, what went wrong in words.
#[component]
fn PassphraseField(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    error: Signal<Option<String>>,
    #[prop(default = "current-password")] autocomplete: &'static str,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let described = error_id.clone();
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input id=id type="password" autocomplete=autocomplete required=true
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby=move || error.with(Option::is_some).then(|| described.clone())/>
            {move || error.get().map(|e| view! { <p class="error" id=error_id.clone() role="alert">"⚠ " {e}</p> })}
        </div>
    }
}

/// Asks for the passphrase when the connections kept on this device are sealed. A wrong one
/// says so; the store stays as it is, and the user may try again.
#[component]
pub fn Unlock() -> impl IntoView {
    let state = AppState::get();
    let passphrase = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let opening = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Keep::Locked(sealed) = state.keep.get_untracked() else { return };
        if opening.get_untracked() {
            return;
        }
        opening.set(true);
        error.set(None);
        let given = passphrase.get_untracked();
        spawn_local(async move {
            match vault::open(&given, &sealed).await {
                Ok(list) => {
                    passphrase.set(String::new());
                    // Connections added while locked stay, after the kept ones.
                    state.connections.update(|l| {
                        let added = std::mem::take(l);
                        *l = list;
                        l.extend(added);
                    });
                    state.keep.set(Keep::Open);
                    refresh_all(state);
                }
                Err(e) => error.set(Some(capital(&e))),
            }
            opening.set(false);
        });
    };
    let locked = move || matches!(state.keep.get(), Keep::Locked(_));
    let unreadable = move || match state.keep.get() {
        Keep::Unreadable(e) => Some(e),
        _ => None,
    };
    view! {
        <Show when=locked>
            <section class="unlock" aria-labelledby="unlock-title">
                <h2 id="unlock-title">"Your connections are locked"</h2>
                <p>"The connections kept on this device are encrypted. Enter your passphrase to open them."</p>
                <form on:submit=submit>
                    <PassphraseField id="unlock-passphrase" label="Passphrase" value=passphrase error=error.into()/>
                    <div class="actions">
                        <button type="submit" class="primary" disabled=move || opening.get()>
                            {move || if opening.get() { "Opening…" } else { "Unlock" }}
                        </button>
                    </div>
                </form>
                <p class="muted">"Forgot it? “Forget everything on this device” in Settings removes them; add them again afterwards."</p>
            </section>
        </Show>
        {move || unreadable().map(|e| view! {
            <section class="unlock" aria-labelledby="unlock-title">
                <h2 id="unlock-title">"Your kept connections cannot be opened"</h2>
                <p class="error" role="alert">"⚠ " {capital(&e)} ". They are left as they are; “Forget everything on this device” in Settings removes them."</p>
            </section>
        })}
    }
}

/// "Keep connections and tokens on this device": ticking it asks for a new passphrase, and the
/// connections are kept sealed under it from then on. Shown on the Connections and Settings
/// pages.
#[component]
pub fn KeepOnDevice() -> impl IntoView {
    let state = AppState::get();
    let choosing = RwSignal::new(false);
    let on_keep = move |ev| {
        let on = event_target_checked(&ev);
        if on {
            choosing.set(true);
        } else if choosing.get_untracked() && !state.keep.with_untracked(Keep::on_device) {
            choosing.set(false);
        } else {
            vault::forget_key();
            choosing.set(false);
            state.keep.set(Keep::Tab);
        }
    };
    let checked = move || choosing.get() || state.keep.with(Keep::on_device);
    // A locked store is opened (or forgotten) first: unticking would drop it unseen.
    let locked = move || matches!(state.keep.get(), Keep::Locked(_) | Keep::Unreadable(_));
    let plain = move || state.keep.get() == Keep::Plain;
    view! {
        <div class="keep">
            <label class="check">
                <input type="checkbox" prop:checked=checked on:change=on_keep disabled=locked/>
                " Keep connections and tokens on this device, encrypted with a passphrase (otherwise they are forgotten when the tab closes)"
            </label>
            <Show when=plain>
                <p class="warning" role="status">
                    "Your connections are kept on this device without encryption (as earlier versions of Backboard kept them). "
                    "Choose a passphrase to encrypt them; until then nothing else is written there."
                </p>
            </Show>
            <Show when=move || (choosing.get() && !state.keep.with(Keep::on_device)) || plain()>
                <ChoosePassphrase on_done=move || choosing.set(false)/>
            </Show>
            {move || state.keep_error.get().map(|e| view! { <p class="error" role="alert">"⚠ " {e}</p> })}
        </div>
    }
}

/// A new passphrase, typed twice; the key derived from it seals the connections from then on.
#[component]
fn ChoosePassphrase(on_done: impl Fn() + Copy + 'static) -> impl IntoView {
    let state = AppState::get();
    let first = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let first_error = RwSignal::new(None::<String>);
    let again_error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (p, q) = (first.get_untracked(), again.get_untracked());
        first_error
            .set((p.chars().count() < MIN_LEN).then(|| format!("The passphrase needs at least {MIN_LEN} characters.")));
        again_error.set((p != q).then(|| "The two passphrases differ.".to_string()));
        if first_error.get_untracked().is_some() || again_error.get_untracked().is_some() || busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match vault::choose(&p).await {
                Ok(()) => {
                    first.set(String::new());
                    again.set(String::new());
                    state.keep_error.set(None);
                    state.keep.set(Keep::Open);
                    on_done();
                }
                Err(e) => first_error.set(Some(capital(&e))),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="choose-passphrase" aria-label="Passphrase for this device" on:submit=submit>
            <p class="muted">"The passphrase is never stored; without it the connections kept here cannot be opened."</p>
            <PassphraseField id="new-passphrase" label="New passphrase" value=first error=first_error.into() autocomplete="new-password"/>
            <PassphraseField id="new-passphrase-again" label="The same passphrase again" value=again error=again_error.into() autocomplete="new-password"/>
            <div class="actions">
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || if busy.get() { "Encrypting…" } else { "Keep encrypted on this device" }}
                </button>
            </div>
        </form>
    }
}

/// "that passphrase …" as a sentence.
fn capital(text: &str) -> String {
    let mut c = text.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
