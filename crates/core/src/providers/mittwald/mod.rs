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

use std::cell::Cell;

use super::{ProviderApi, ScheduleSpec};
use crate::error::Error;
use crate::http::Transport;
use crate::model::{Backup as Normalized, Source};
use crate::paging::{fetch_all, send, Options, Progress, RetryPolicy};
use crate::provider::Provider;
use crate::route::Route;
use crate::secret::Token;

const P: Provider = Provider::Mittwald;

/// mittwald in the registry.
pub struct Api;

impl ProviderApi for Api {
    const PROVIDER: Provider = P;
    const ROUTES: &'static [Route] = &[
        list::LIST,
        backups::CREATE,
        backups::GET,
        backups::UPDATE,
        backups::DELETE,
        export::EXPORT,
        export::DELETE_EXPORT,
        restore::RESTORE,
        restore::DATABASE_DUMPS,
        restore::DIRECTORIES,
        schedules::LIST_SCHEDULES,
        schedules::CREATE_SCHEDULE,
        schedules::GET_SCHEDULE,
        schedules::UPDATE_SCHEDULE,
        schedules::DELETE_SCHEDULE,
    ];
    type Account = Account;

    fn account(any: &super::Account) -> Option<&Account> {
        match any {
            super::Account::Mittwald(a) => Some(a),
            _ => None,
        }
    }

    fn token(account: &Account) -> &Token {
        &account.token
    }

    fn missing(account: &Account) -> Option<&'static str> {
        account.project_id.trim().is_empty().then_some("the project id")
    }

    fn source(account: &Account, label: &str) -> Source {
        Source { kind: "project".into(), id: account.project_id.clone(), label: label.into() }
    }

    async fn list<T: Transport>(
        account: &Account,
        transport: &T,
        base: &str,
        options: &Options,
        source: &Source,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Vec<Normalized>, Error> {
        let endpoint = ListEndpoint { base: base.to_string(), account: account.clone(), limit: DEFAULT_LIMIT };
        let listed = fetch_all(transport, &endpoint, options, progress).await?;
        Ok(listed.into_iter().map(|b| normalize(b, source)).collect())
    }

    /// The project's backup schedules, as cron.
    async fn schedules<T: Transport>(account: &Account, transport: &T, base: &str) -> Result<Vec<ScheduleSpec>, Error> {
        let request = list_schedules_request(base, account);
        let response = send(transport, P, request, &RetryPolicy::default(), &Cell::new(1)).await?;
        Ok(parse_list_schedules(&response)?.into_iter().map(|s| ScheduleSpec::Cron { cron: s.schedule }).collect())
    }
}
