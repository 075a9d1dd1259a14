//! Northflank: an addon's or a backup destination's backups (cursor paging), and the addon
//! backup actions of provider-api-notes.md ("Northflank API v1"): create, get (for polling),
//! delete, abort, restore, download link and backup schedules.

mod addon;
mod backup;
mod create;
mod download;
mod list;
mod model;
mod restore;
mod schedules;

pub use addon::*;
pub use backup::*;
pub use create::*;
pub use download::*;
pub use list::*;
pub use model::*;
pub use restore::*;
pub use schedules::*;

use crate::provider::Provider;

const P: Provider = Provider::Northflank;
