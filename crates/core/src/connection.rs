//! A connection: one account at one provider, as the user configured it, and listing it.

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::http::Transport;
use crate::model::{Backup, Source};
use crate::paging::{Options, Progress};
use crate::provider::Provider;
use crate::providers::{Account, ProviderApi, ScheduleSpec};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Connection {
    #[serde(default)]
    pub id: String,
    pub label: String,
    #[serde(flatten)]
    pub account: Account,
}

impl Connection {
    pub fn provider(&self) -> Provider {
        self.account.provider()
    }

    pub fn source(&self) -> Source {
        self.account.source(&self.label)
    }

    /// The provider's backup schedules of this source, as the health model's expectations:
    /// mittwald's backup schedules (cron). Northflank's travel with its destination backups and
    /// ServerAvatar lists none, so those give nothing here. A GET, retried like the list.
    pub async fn schedules<T: Transport>(&self, transport: &T, base: &str) -> Result<Vec<ScheduleSpec>, Error> {
        self.account.schedules(transport, base).await
    }

    /// [`Self::schedules`] for a connection of `P`: what calls it compiles only `P`'s reader.
    pub async fn schedules_as<P: ProviderApi, T: Transport>(
        &self,
        transport: &T,
        base: &str,
    ) -> Result<Vec<ScheduleSpec>, Error> {
        P::schedules(self.account_of::<P>()?, transport, base).await
    }

    /// The settings of a connection known to be `P`'s; another provider's is a config error.
    fn account_of<P: ProviderApi>(&self) -> Result<&P::Account, Error> {
        P::account(&self.account)
            .ok_or_else(|| Error::Config(format!("{}: not a {} connection", self.label, P::PROVIDER.name())))
    }

    /// Checks that the connection has what its provider needs, before any request.
    pub fn check(&self) -> Result<(), Error> {
        let missing = |what: &str| Err(Error::Config(format!("{}: {what} is missing", self.label)));
        if self.account.token().is_empty() {
            return missing("the API token");
        }
        self.account.missing().map_or(Ok(()), missing)
    }

    /// Lists every backup of this connection, all pages, normalized. `base` is the provider's
    /// API base (the real one, the worker's `/proxy/{provider}`, or the simulator's prefix).
    pub async fn list_backups<T: Transport>(
        &self,
        transport: &T,
        base: &str,
        options: &Options,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Vec<Backup>, Error> {
        self.check()?;
        self.account.list(transport, base, options, &self.source(), progress).await
    }

    /// [`Self::list_backups`] for a connection of `P`: what calls it compiles only `P`'s
    /// parsers (the SPA's provider parts).
    pub async fn list_backups_as<P: ProviderApi, T: Transport>(
        &self,
        transport: &T,
        base: &str,
        options: &Options,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Vec<Backup>, Error> {
        self.check()?;
        P::list(self.account_of::<P>()?, transport, base, options, &self.source(), progress).await
    }
}
