//! The Backups page: every backup of every connection in one list, its view (filters, sort,
//! search) kept in the address.

use backboard_core::view::View;
use backboard_core::Provider;
use leptos::prelude::*;

use super::PageHead;
use crate::load_notes::LoadNotes;
use crate::router::Router;
use crate::table::BackupList;

/// How long typing must pause before the address bar follows the search.
const URL_DELAY: std::time::Duration = std::time::Duration::from_millis(150);

#[component]
pub fn Backups() -> impl IntoView {
    let view = url_view(None);
    view! {
        <PageHead title="Backups"/>
        <LoadNotes/>
        <BackupList view=view/>
    }
}

/// The page's view, read from the address and written back to it. The address follows typing
/// once it pauses: history.replaceState cost about 2 ms of every keystroke at 10,000 backups,
/// on the way from the key to the paint. Any other change (a filter, a sort) is written at once,
/// so a reload right after it keeps it. Back and forward to another view of the list reach it
/// through the router's query. On a source's page (`fixed`) the provider and source are the
/// page's own, so the address leaves them out.
pub fn url_view(fixed: Option<(Provider, String)>) -> RwSignal<View> {
    let router = Router::get();
    let fixed = StoredValue::new(fixed);
    let read = move |query: &str| {
        let mut v = View::from_query(query);
        if let Some((provider, source)) = fixed.get_value() {
            v.provider = Some(provider);
            v.source = Some(source);
        }
        v
    };
    let query_of = move |v: &View| match fixed.with_value(Option::is_some) {
        true => View { provider: None, source: None, ..v.clone() }.to_query(),
        false => v.to_query(),
    };
    let view = RwSignal::new(read(&router.query.get_untracked()));
    Effect::new(move |_| {
        let from_address = read(&router.query.get());
        if view.with_untracked(|v| *v != from_address) {
            view.set(from_address);
        }
    });
    let url_timer = StoredValue::new(None::<leptos::leptos_dom::helpers::TimeoutHandle>);
    let written = StoredValue::new(view.get_untracked());
    Effect::new(move |_| {
        let current = view.get();
        if let Some(pending) = url_timer.get_value() {
            pending.clear();
        }
        let typing = written.with_value(|w| View { search: w.search.clone(), ..current.clone() } == *w);
        let write = move || {
            if let Some(v) = view.try_get_untracked() {
                router.replace_query(&query_of(&v));
                written.try_set_value(v);
            }
        };
        if typing {
            url_timer.set_value(leptos::leptos_dom::helpers::set_timeout_with_handle(write, URL_DELAY).ok());
        } else {
            url_timer.set_value(None);
            write();
        }
    });
    on_cleanup(move || {
        if let Some(pending) = url_timer.try_get_value().flatten() {
            pending.clear();
        }
    });
    view
}
