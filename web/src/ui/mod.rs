//! The pieces every part of the SPA shares: the form toolkit, actions with their answers, the
//! confirm button, downloads, loads, per-backup state, connection notices, lazily loaded parts
//! and the words for backups.

pub mod confirm;
pub mod download;
pub mod form;
pub mod lazy;
pub mod load;
pub mod notice;
pub mod scope;
pub mod task;
pub mod text;
pub mod when;

pub use confirm::Confirm;
pub use download::Download;
pub use form::Form;
pub use load::Loaded;
pub use notice::Notices;
pub use scope::BackupScope;
pub use task::{OutcomeView, Task};
