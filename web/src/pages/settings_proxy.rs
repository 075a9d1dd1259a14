//! The worker's address: the page's own by default, or one the user sets (within what the
//! page's Content-Security-Policy allows).

use backboard_core::proxy;
use backboard_core::FieldError;
use leptos::prelude::*;

use crate::state::{refresh_all, AppState};
use crate::store;
use crate::ui::Form;

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
pub fn ProxySetting() -> impl IntoView {
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
        <form class="proxy-form" on:submit=save>
                {form.field("proxy", "Proxy (worker) URL", |u| u, |u, v| *u = v).kind("url").input()}
                <button type="submit">"Save"</button>
                <button type="button" on:click=reset>"Use the page's default"</button>
                {form.alert()}
                {move || saved.get().map(|m| view! { <p class="ok" role="status">{m}</p> })}
        </form>
    }
}
