//! What a Northflank backup's details point out.

use backboard_core::providers::northflank::DestinationBackup;
use leptos::prelude::*;

/// What a destination backup's details point out: the schedules it travels with.
pub fn highlights(backup: &DestinationBackup) -> Vec<AnyView> {
    backup.schedules.iter().flatten().map(|s| view! { <li>"Schedule: " {s.in_words()}</li> }.into_any()).collect()
}
