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

pub use actions::Actions;
pub use connection::{draft, KIND};
pub use highlights::highlights;
pub use tools::Tools;
