//! Who is signed in to the workspace and their role, in the page's header; or why the
//! workspace could not be read.

use leptos::prelude::*;

use super::Workspace;

#[component]
pub fn Identity() -> impl IntoView {
    let Some(ws) = Workspace::get() else { return ().into_any() };
    view! {
        <p class="identity" aria-live="polite">
            {move || match (ws.me.get(), ws.error.get()) {
                (Some(me), _) => view! {
                    "Workspace · " <span class="identity-email">{me.email}</span>
                    " · " <span class="identity-role">{me.role.as_str()}</span>
                }.into_any(),
                (None, Some(e)) => view! { <span class="error" role="alert">"⚠ " {e}</span> }.into_any(),
                (None, None) => view! { "Workspace · signing in…" }.into_any(),
            }}
        </p>
    }
    .into_any()
}
