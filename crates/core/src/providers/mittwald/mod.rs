//! mittwald mStudio v2: a project's backups (offset paging with X-Pagination-* headers), and the
//! backup actions of provider-api-notes.md ("mittwald"): create, get (for polling), update,
//! delete, export and its deletion, restore with its pickers (database dumps, directory tree),
//! and backup schedules. Every call authorizes like the list; every form validates into the
//! documented body.

mod backups;
mod call;
mod export;
mod forms;
mod list;
mod model;
mod restore;
mod schedules;

pub use backups::*;
pub use export::*;
pub use forms::*;
pub use list::*;
pub use model::*;
pub use restore::*;
pub use schedules::*;

use crate::provider::Provider;

const P: Provider = Provider::Mittwald;
