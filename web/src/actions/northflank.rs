//! northflank actions in the SPA (see the module above for the shared pieces).

use backboard_core::{Backup, Connection};
use leptos::prelude::*;

/// The actions for one northflank backup, in its details panel.
#[component]
pub fn Actions(backup: Backup, connection: Connection) -> impl IntoView {
    let _ = (backup, connection);
}

/// northflank's per-connection tools, below the list.
#[component]
pub fn Section() -> impl IntoView {}
