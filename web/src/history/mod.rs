//! Compliance evidence in the SPA (`backboard_core::history`): `edge_key` keeps the key the
//! worker's history is read with, `evidence` says where a source's days come from (the worker's
//! record or the provider's listing), `strip` draws days as cells, `panel` is a source's history
//! on its page. The report page (`pages::report`) reads the same.

pub mod edge_key;
pub mod evidence;
mod panel;
pub mod strip;

pub use panel::figure_parts;

use leptos::prelude::*;

use crate::ui::lazy::PartMissing;

/// A source's compliance on its page: a part of the app of its own (wasm-split), with the
/// strip, the judging of listed backups and the reading of the worker's answer, which the
/// report's part shares; the start of the app carries none of it.
#[cfg(all(feature = "split", not(test)))]
#[wasm_split_helpers::wasm_split(history_panel_view, fallible)]
pub fn history_panel_view(connection_id: String) -> Result<AnyView, PartMissing> {
    Ok(view! { <panel::HistoryPanel connection_id=connection_id/> }.into_any())
}

/// Tests link no split loader: the part is at hand.
#[cfg(any(test, not(feature = "split")))]
pub async fn history_panel_view(connection_id: String) -> Result<AnyView, PartMissing> {
    Ok(view! { <panel::HistoryPanel connection_id=connection_id/> }.into_any())
}
