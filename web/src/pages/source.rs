//! A source's page: its health (every reason, the threshold, the size chart), its backups, and
//! the provider's tools for it.

use backboard_core::page::Page;
use backboard_core::Provider;
use leptos::prelude::*;

use super::backups::url_view;
use super::PageHead;
use crate::health::SourceHealthPanel;
use crate::history::history_panel_view;
use crate::load_notes::LoadNotes;
use crate::providers::source_tools_view;
use crate::state::AppState;
use crate::table::BackupList;
use crate::ui::lazy::lazy_part;

#[component]
pub fn Source(provider: Provider, id: String) -> impl IntoView {
    let state = AppState::get();
    let wanted = id.clone();
    let connection = Memo::new(move |_| {
        state.connections.with(|l| l.iter().find(|c| c.provider() == provider && c.source().id == wanted).cloned())
    });
    // Recreated only when another connection answers for this source.
    let connection_id = Memo::new(move |_| connection.with(|c| c.as_ref().map(|c| c.id.clone())));
    move || match connection_id.get() {
        None => view! {
            <PageHead title="Source not found"/>
            <section class="empty-state">
                <p>{format!("No connection reads the {} source “{id}” on this device. ", provider.name())}
                    <a href=Page::Connections.href()>"Add or check your connections"</a></p>
            </section>
        }
        .into_any(),
        Some(cid) => {
            let Some(c) = connection.get_untracked() else { return ().into_any() };
            let source = c.source();
            let view = url_view(Some((provider, source.id.clone())));
            view! {
                <PageHead title=c.label.clone()/>
                <p class="muted page-sub">{format!("{} · {} {}", provider.name(), source.kind, source.id)}</p>
                <LoadNotes only=cid.clone()/>
                <SourceHealthPanel connection_id=cid.clone()/>
                {lazy_part("compliance", move || history_panel_view(cid.clone()))}
                <BackupList view=view fixed=true/>
                {lazy_part("tools for this source", move || source_tools_view(c.clone()))}
            }
            .into_any()
        }
    }
}
