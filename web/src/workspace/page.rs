//! The Workspace page, an admin's: members, API keys and the audit log. Connections are managed
//! on the Connections page. Each part is shown only to a role that may call its routes.

use leptos::prelude::*;

use super::{audit::Audit, keys::Keys, may, members::Members, Workspace};
use crate::pages::PageHead;

#[component]
pub fn WorkspacePage() -> impl IntoView {
    let ws = Workspace::get();
    view! {
        <PageHead title="Workspace"/>
        {match ws {
            None => view! { <p class="empty">"This page is not in workspace mode: Settings can name a workspace."</p> }.into_any(),
            Some(_) => view! {
                <Show when=move || !may("list_members") && !may("list_keys") && !may("audit_log")>
                    <p class="empty">"Members, API keys and the audit log are an admin's."</p>
                </Show>
                <Show when=move || may("list_members")><Members/></Show>
                <Show when=move || may("list_keys")><Keys/></Show>
                <Show when=move || may("audit_log")><Audit/></Show>
            }.into_any(),
        }}
    }
}
