//! Compliance evidence in the SPA (`backboard_core::history`): `edge_key` keeps the key the
//! worker's history is read with, `evidence` says where a source's days come from (the worker's
//! record or the provider's listing), `strip` draws days as cells, `panel` is a source's history
//! on its page. The report page (`pages::report`) reads the same.

pub mod edge_key;
pub mod evidence;
mod panel;
pub mod strip;

pub use panel::{figure_parts, HistoryPanel};
