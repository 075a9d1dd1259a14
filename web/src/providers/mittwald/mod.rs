//! mittwald in the SPA (every rule is the core's, `backboard_core::providers::mittwald`: forms
//! validate there before anything is sent, requests are built and answers read there).
//!
//! In a backup's details panel ([`Actions`]): edit its description and expiration, delete it
//! (only when mittwald marks it deletable), export it (then poll until the download is ready),
//! delete the export, and restore databases and paths. Below the list ([`Section`], one per
//! mittwald connection): create a backup, and the project's backup schedules.

mod actions;
mod call;
mod connection;
mod export;
mod highlights;
mod restore;
mod schedules;
mod store;
mod tools;

use actions::Actions;
pub use connection::{draft, KIND};
use tools::Tools;

use backboard_core::providers::Details;
use backboard_core::{Backup, Connection};
use leptos::prelude::*;

/// mittwald's part of the app (`super::Part`).
pub struct Ui;

impl super::Views for Ui {
    type Api = backboard_core::providers::mittwald::Api;

    fn highlights(backup: &Backup) -> Vec<AnyView> {
        match &backup.details {
            Details::Mittwald(b) => highlights::highlights(b),
            _ => Vec::new(),
        }
    }

    fn actions(backup: Backup, connection: Connection) -> AnyView {
        view! { <Actions backup=backup connection=connection/> }.into_any()
    }

    fn tools(connection: Connection) -> AnyView {
        view! { <Tools connection=connection/> }.into_any()
    }

    fn connection_options(form: crate::ui::Form<super::Draft, Connection>) -> AnyView {
        connection::filters(form)
    }
}
