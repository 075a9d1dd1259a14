//! ServerAvatar: an organization's backups (Laravel paging), creating a backup or a plan, bulk
//! delete, downloads of a backup's parts, and the deleted-server and archive views. No restore
//! endpoint is documented, so there is none here. Errors are always `{"message": "..."}`; they
//! come back as `Error::Http` with that message, and permission errors are 500
//! [`PERMISSION_DENIED`].

mod archive;
mod create;
mod delete;
mod download;
mod list;
mod model;

pub use archive::*;
pub use create::*;
pub use delete::*;
pub use download::*;
pub use list::*;
pub use model::*;

use crate::provider::Provider;

const P: Provider = Provider::ServerAvatar;
