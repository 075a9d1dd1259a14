//! The Workspace page, an admin's: members, API keys and the audit log. Connections are managed
//! on the Connections page. Each part is shown only to a role that may call its routes.

use leptos::prelude::*;

use super::{audit::Audit, keys::Keys, may, members::Members, Workspace};
use crate::pages::PageHead;
use crate::ui::lazy::{lazy_part, PartMissing};

#[component]
pub fn WorkspacePage() -> impl IntoView {
    let ws = Workspace::get();
    view! {
        <PageHead title="Workspace"/>
        {match ws {
            None => view! { <p class="empty">"This page is not in workspace mode: Settings can name a workspace."</p> }.into_any(),
            Some(_) => lazy_part("workspace's members, keys and audit log", admin_view).into_any(),
        }}
    }
}

/// The admin's tools are a part of the app of their own (wasm-split), loaded when the page first
/// opens: most members never see them.
#[cfg(all(feature = "split", not(test)))]
#[wasm_split_helpers::wasm_split(workspace_admin_view, fallible)]
fn admin_view() -> Result<AnyView, PartMissing> {
    Ok(view! { <Admin/> }.into_any())
}

/// Tests link no split loader: the part is at hand.
#[cfg(any(test, not(feature = "split")))]
async fn admin_view() -> Result<AnyView, PartMissing> {
    Ok(view! { <Admin/> }.into_any())
}

#[component]
fn Admin() -> impl IntoView {
    view! {
        <Show when=move || !may("list_members") && !may("list_keys") && !may("audit_log")>
            <p class="empty">"Members, API keys and the audit log are an admin's."</p>
        </Show>
        <Show when=move || may("list_members")><Members/></Show>
        <Show when=move || may("list_keys")><Keys/></Show>
        <Show when=move || may("audit_log")><Audit/></Show>
    }
}
