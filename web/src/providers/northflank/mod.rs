//! Northflank in the SPA (the rules are `backboard_core::providers::northflank`): an addon
//! backup's actions, the addon's tools on its source's page (create a backup, create a schedule) and
//! the connection form's part (an addon, or a backup destination).

mod actions;
mod call;
mod connection;
mod highlights;
mod tools;

use actions::Actions;
pub use connection::{draft, ADDON, DESTINATION};
use tools::Tools;

use backboard_core::providers::Details;
use backboard_core::{Backup, Connection};
use leptos::prelude::*;

/// Northflank's part of the app (`super::Part`).
pub struct Ui;

impl super::Views for Ui {
    type Api = backboard_core::providers::northflank::Api;

    fn highlights(backup: &Backup) -> Vec<AnyView> {
        match &backup.details {
            Details::NorthflankDestination(b) => highlights::highlights(b),
            _ => Vec::new(),
        }
    }

    fn actions(backup: Backup, connection: Connection) -> AnyView {
        view! { <Actions backup=backup connection=connection/> }.into_any()
    }

    fn tools(connection: Connection) -> AnyView {
        view! { <Tools connection=connection/> }.into_any()
    }
}
