//! Northflank in the SPA (the rules are `backboard_core::providers::northflank`): an addon
//! backup's actions, the addon's tools on its source's page (create a backup, create a schedule) and
//! the connection form's part (an addon, or a backup destination).

mod actions;
mod call;
mod connection;
mod highlights;
mod tools;

pub use actions::Actions;
pub use connection::{draft, ADDON, DESTINATION};
pub use highlights::highlights;
pub use tools::Tools;
