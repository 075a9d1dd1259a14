//! What the connections' reads are doing, in words, on every page that shows their backups:
//! "mittwald shop project: Loading page 3 of 12…", and a read that failed with its reason.

use leptos::prelude::*;

use crate::state::{AppState, Load};

/// Notes for every connection, or for the one with id `only`.
#[component]
pub fn LoadNotes(#[prop(optional, into)] only: Option<String>) -> impl IntoView {
    let state = AppState::get();
    let notes = move || {
        state.connections.with(|connections| {
            state.loads.with(|loads| {
                loads
                    .iter()
                    .filter(|(id, _, l)| only.as_ref().is_none_or(|o| o == id) && !matches!(l, Load::Done(_)))
                    .filter_map(|(id, _, l)| {
                        let c = connections.iter().find(|c| c.id == *id)?;
                        Some((matches!(l, Load::Failed(_)), format!("{}: {}", c.label, l.progress_text())))
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    view! {
        <div class="load-notes" role="status">
            {move || {
                let notes = notes();
                (!notes.is_empty()).then(|| view! {
                    <ul>
                        {notes.into_iter().map(|(failed, text)| match failed {
                            true => view! { <li class="error">"⚠ Not read: " {text}</li> }.into_any(),
                            false => view! { <li class="muted">{text}</li> }.into_any(),
                        }).collect_view()}
                    </ul>
                })
            }}
        </div>
    }
}
