//! ServerAvatar in the SPA (the rules are `backboard_core::providers::serveravatar` and the
//! provider's create form in the core): a backup's actions, the organization's tools below the
//! list, the create-backup form and the connection form's part.

mod actions;
mod call;
mod connection;
mod create;
mod tools;

pub use actions::Actions;
pub use connection::{draft, KIND};
use create::CreateBackup;
pub use tools::Tools;
