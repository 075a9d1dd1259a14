//! The address bar is the SPA's truth: the page and its query live in the fragment
//! (`backboard_core::page`), the back and forward buttons move between pages, and a bookmark
//! opens the page as it was. Links are plain `<a href="#/…">`, so the keyboard, middle-click
//! and "copy link" all work.

use backboard_core::page::{legacy_redirect, Page};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

#[derive(Clone, Copy)]
pub struct Router {
    pub page: Memo<Page>,
    /// The fragment's query (the list's view on the pages that have one).
    pub query: RwSignal<String>,
    location: RwSignal<(Page, String)>,
}

fn fragment() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

impl Router {
    /// Reads the address, follows it on every `hashchange` (links, back, forward) and provides
    /// the router as context.
    pub fn provide() -> Self {
        if let Some(window) = web_sys::window() {
            let search = window.location().search().unwrap_or_default();
            if let Some(to) = legacy_redirect(&search, &fragment()) {
                let path = window.location().pathname().unwrap_or_default();
                if let Ok(history) = window.history() {
                    let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("{path}{to}")));
                }
            }
        }
        let location = RwSignal::new(Page::parse(&fragment()));
        let page = Memo::new(move |_| location.with(|(p, _)| p.clone()));
        let query = RwSignal::new(location.with_untracked(|(_, q)| q.clone()));
        let router = Router { page, query, location };
        let on_change = Closure::<dyn Fn()>::new(move || {
            let (p, q) = Page::parse(&fragment());
            if location.with_untracked(|(current, _)| *current != p) {
                location.set((p, q.clone()));
            }
            if query.with_untracked(|current| *current != q) {
                query.set(q);
            }
        });
        if let Some(window) = web_sys::window() {
            let _ = window.add_event_listener_with_callback("hashchange", on_change.as_ref().unchecked_ref());
        }
        // The listener lives as long as the page.
        on_change.forget();
        provide_context(router);
        router
    }

    pub fn get() -> Self {
        expect_context::<Router>()
    }

    /// Writes this page's query into the address without a history entry (typing in the
    /// search must not fill the back button).
    pub fn replace_query(&self, query: &str) {
        let Some(window) = web_sys::window() else { return };
        let href = self.page.with_untracked(|p| p.href_with(query));
        let location = window.location();
        let url = format!("{}{}{href}", location.pathname().unwrap_or_default(), location.search().unwrap_or_default());
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
        }
        self.query.set(query.to_string());
        self.location.update_untracked(|(_, q)| *q = query.to_string());
    }
}
