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

use super::ProviderApi;
use crate::error::Error;
use crate::http::Transport;
use crate::model::{Backup as Normalized, Source};
use crate::paging::{fetch_all, Options, Progress};
use crate::provider::Provider;
use crate::route::Route;
use crate::secret::Token;

const P: Provider = Provider::ServerAvatar;

/// ServerAvatar in the registry.
pub struct Api;

impl ProviderApi for Api {
    const PROVIDER: Provider = P;
    const ROUTES: &'static [Route] = &[
        list::LIST,
        create::CREATE,
        delete::DELETE,
        download::DOWNLOAD_FILESYSTEM,
        download::DOWNLOAD_DATABASE,
        archive::DELETED_SERVERS,
        archive::ARCHIVE_FILESYSTEM,
        archive::ARCHIVE_DATABASE,
        archive::ARCHIVE_APPLICATION,
    ];
    type Account = Account;

    fn account(any: &super::Account) -> Option<&Account> {
        match any {
            super::Account::ServerAvatar(a) => Some(a),
            _ => None,
        }
    }

    fn token(account: &Account) -> &Token {
        &account.token
    }

    fn missing(account: &Account) -> Option<&'static str> {
        account.organization.trim().is_empty().then_some("the organization id")
    }

    fn source(account: &Account, label: &str) -> Source {
        Source { kind: "organization".into(), id: account.organization.clone(), label: label.into() }
    }

    async fn list<T: Transport>(
        account: &Account,
        transport: &T,
        base: &str,
        options: &Options,
        source: &Source,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Vec<Normalized>, Error> {
        let endpoint = ListEndpoint { base: base.to_string(), account: account.clone() };
        let listed = fetch_all(transport, &endpoint, options, progress).await?;
        Ok(listed.into_iter().map(|b| normalize(b, source)).collect())
    }
}
