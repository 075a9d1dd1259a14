//! A connection's notices on its source's page: the answer to an action begun in a details panel
//! that has closed since (a deleted backup's panel closes with it). One signal for the app, an entry
//! per connection, dropped with the connection's tools.

use leptos::prelude::*;

use super::task::{status_line, Said};

#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub busy: bool,
    pub said: Said,
}

#[derive(Clone, Copy)]
pub struct Notices(RwSignal<Vec<(String, Notice)>>);

impl Notices {
    pub fn provide() {
        provide_context(Notices(RwSignal::new(Vec::new())));
    }

    pub fn get() -> Self {
        expect_context()
    }

    /// While the work runs.
    pub fn busy(self, connection_id: &str, text: String) {
        self.set(connection_id, Notice { busy: true, said: Ok(text) });
    }

    pub fn said(self, connection_id: &str, said: Said) {
        self.set(connection_id, Notice { busy: false, said });
    }

    fn set(self, connection_id: &str, notice: Notice) {
        self.0.update(|list| match list.iter_mut().find(|(id, _)| id == connection_id) {
            Some(entry) => entry.1 = notice,
            None => list.push((connection_id.to_string(), notice)),
        });
    }

    /// The connection's notice, in its tools; it goes when they go.
    pub fn view(self, connection_id: String) -> impl IntoView {
        let id = connection_id.clone();
        on_cleanup(move || {
            let _ = self.0.try_update(|list| list.retain(|(i, _)| *i != id));
        });
        move || {
            self.0
                .with(|list| list.iter().find(|(id, _)| *id == connection_id).map(|(_, n)| n.clone()))
                .map(|n| status_line(n.busy, n.said))
        }
    }
}
