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

use super::ProviderApi;
use crate::error::Error;
use crate::http::Transport;
use crate::model::{Backup as Normalized, Source};
use crate::paging::{fetch_all, Options, Progress};
use crate::provider::Provider;
use crate::route::Route;
use crate::secret::Token;

const P: Provider = Provider::Northflank;

/// Northflank in the registry.
pub struct Api;

impl ProviderApi for Api {
    const PROVIDER: Provider = P;
    const ROUTES: &'static [Route] = &[
        list::LIST_ADDON,
        list::LIST_DESTINATION,
        create::CREATE,
        backup::GET,
        backup::DELETE,
        backup::ABORT,
        restore::RESTORE,
        download::DOWNLOAD_LINK,
        schedules::CREATE_SCHEDULE,
    ];
    type Account = Account;

    fn account(any: &super::Account) -> Option<&Account> {
        match any {
            super::Account::Northflank(a) => Some(a),
            _ => None,
        }
    }

    fn token(account: &Account) -> &Token {
        &account.token
    }

    fn missing(account: &Account) -> Option<&'static str> {
        let blank = |s: &String| s.trim().is_empty();
        match &account.target {
            Target::Addon { project_id, addon_id } if blank(project_id) || blank(addon_id) => {
                Some("the project id and addon id")
            }
            Target::Destination { backup_destination_id } if blank(backup_destination_id) => {
                Some("the backup destination id")
            }
            _ => None,
        }
    }

    fn source(account: &Account, label: &str) -> Source {
        account.source(label)
    }

    async fn list<T: Transport>(
        account: &Account,
        transport: &T,
        base: &str,
        options: &Options,
        source: &Source,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Vec<Normalized>, Error> {
        let endpoint = ListEndpoint { base: base.to_string(), account: account.clone(), per_page: MAX_PER_PAGE };
        let listed = fetch_all(transport, &endpoint, options, progress).await?;
        Ok(listed.into_iter().map(|b| normalize(b, source)).collect())
    }
}
