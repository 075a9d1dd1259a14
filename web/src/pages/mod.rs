//! The SPA's pages, one file each; `crate::router` says which one the address names. A page
//! owns what it shows: leaving it disposes its state.

mod backups;
mod overview;
mod report;
mod settings;
mod settings_edge;
mod settings_proxy;
mod settings_workspace;
mod source;

use std::sync::atomic::{AtomicBool, Ordering};

use backboard_core::page::Page;
use leptos::prelude::*;

/// Set once the first page has shown: later pages take the focus (the first one leaves it
/// where the browser puts it).
static SHOWN: AtomicBool = AtomicBool::new(false);

/// The page's heading (its `<h1>`), the tab's title, and the page's own buttons. After a move
/// between pages the heading takes the focus, so keyboard and screen-reader users start there.
#[component]
pub fn PageHead(#[prop(into)] title: String, #[prop(optional)] children: Option<Children>) -> impl IntoView {
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        doc.set_title(&format!("{title} · Backboard"));
    }
    let heading = NodeRef::<leptos::html::H1>::new();
    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            if SHOWN.swap(true, Ordering::Relaxed) {
                let _ = h.focus();
            }
        }
    });
    view! {
        <div class="page-head">
            <h1 id="page-title" tabindex="-1" node_ref=heading>{title}</h1>
            {children.map(|c| view! { <div class="actions">{c()}</div> })}
        </div>
    }
}

/// The page the address names.
pub fn page_view(page: &Page) -> AnyView {
    match page {
        Page::Overview => view! { <overview::Overview/> }.into_any(),
        Page::Backups => view! { <backups::Backups/> }.into_any(),
        Page::Source { provider, id } => view! { <source::Source provider=*provider id=id.clone()/> }.into_any(),
        Page::Connections => view! { <crate::connections::Connections/> }.into_any(),
        Page::Settings => view! { <settings::Settings/> }.into_any(),
        Page::Report => view! {
            <PageHead title="Report"/>
            {crate::ui::lazy::lazy_part("report", report::report_view)}
        }
        .into_any(),
        Page::Workspace => view! { <crate::workspace::page::WorkspacePage/> }.into_any(),
        Page::Unknown(path) => view! {
            <PageHead title="Page not found"/>
            <section class="empty-state">
                <p>{format!("Backboard has no page at “{path}”. ")}<a href=Page::Overview.href()>"Go to the overview"</a></p>
            </section>
        }
        .into_any(),
    }
}
