//! ServerAvatar in the SPA (the rules are `backboard_core::providers::serveravatar` and the
//! provider's create form in the core): a backup's actions, the organization's tools below the
//! list, the create-backup form and the connection form's part.

mod actions;
mod call;
mod connection;
mod create;
mod tools;

use actions::Actions;
pub use connection::{draft, KIND};
use create::CreateBackup;
use tools::Tools;

use backboard_core::{Backup, Connection};
use leptos::prelude::*;

/// ServerAvatar's part of the app (`super::Part`).
pub struct Ui;

impl super::Views for Ui {
    type Api = backboard_core::providers::serveravatar::Api;

    fn actions(backup: Backup, connection: Connection) -> AnyView {
        view! { <Actions backup=backup connection=connection/> }.into_any()
    }

    fn tools(connection: Connection) -> AnyView {
        view! { <Tools connection=connection/> }.into_any()
    }
}
