//! The workspace this page uses, if any: the page's `<meta name="backboard-workspace">` by
//! default, or one the user names. A change applies on reload, where the page starts over in
//! the mode it names.

use backboard_core::proxy;
use backboard_core::FieldError;
use leptos::prelude::*;

use crate::store;
use crate::ui::Form;

#[allow(clippy::ptr_arg)] // a form validator takes its values as the form holds them
fn check_workspace(url: &String) -> Result<String, Vec<FieldError>> {
    let url = url.trim().trim_end_matches('/').to_string();
    match proxy::origin_of(&url) {
        Some(_) => Ok(url),
        None => Err(vec![FieldError::new(
            "",
            "Enter the workspace's address, starting with https:// (or http:// locally).",
        )]),
    }
}

#[component]
pub fn WorkspaceSetting() -> impl IntoView {
    let form = Form::new("workspace", store::workspace_url().unwrap_or_default(), check_workspace, &["workspace"]);
    let reload = || {
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(url) = form.try_submit() else { return };
        store::set_workspace_url(&url);
        reload();
    };
    let leave = move |_| {
        store::set_workspace_url("");
        reload();
    };
    view! {
        <section class="settings-workspace" aria-labelledby="workspace-title">
            <h2 id="workspace-title">"Workspace"</h2>
            <p class="muted">{move || match store::workspace_url() {
                Some(url) => format!("This page uses the team workspace at {url}: connections and their tokens are kept there, and your role decides what you may do."),
                None => "Personal mode: connections and tokens are kept in this browser. A team workspace keeps them at its worker instead.".to_string(),
            }}</p>
            <form class="workspace-form" on:submit=save>
                {form.field("workspace", "Workspace URL", |u| u, |u, v| *u = v).kind("url").input()}
                <button type="submit">"Use this workspace"</button>
                <button type="button" on:click=leave>"Forget this workspace URL"</button>
                {form.alert()}
            </form>
        </section>
    }
}
