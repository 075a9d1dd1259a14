//! A connection: one account at one provider, as the user configured it, and listing it.

use std::cell::Cell;

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::health::ScheduleSpec;
use crate::http::Transport;
use crate::model::{Backup, Source};
use crate::paging::{fetch_all, send, Options, Progress, RetryPolicy};
use crate::provider::Provider;
use crate::providers::{mittwald, northflank, serveravatar};

/// The provider-specific part of a connection, with the documents' own parameter names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "provider", rename_all = "lowercase")]
pub enum Account {
    #[serde(rename = "serveravatar")]
    ServerAvatar(serveravatar::Account),
    Northflank(northflank::Account),
    Mittwald(mittwald::Account),
}

impl Account {
    /// The API token, whichever provider.
    pub fn token(&self) -> &crate::secret::Token {
        match self {
            Account::ServerAvatar(a) => &a.token,
            Account::Northflank(a) => &a.token,
            Account::Mittwald(a) => &a.token,
        }
    }
}

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
        match self.account {
            Account::ServerAvatar(_) => Provider::ServerAvatar,
            Account::Northflank(_) => Provider::Northflank,
            Account::Mittwald(_) => Provider::Mittwald,
        }
    }

    pub fn source(&self) -> Source {
        match &self.account {
            Account::ServerAvatar(a) => {
                Source { kind: "organization".into(), id: a.organization.clone(), label: self.label.clone() }
            }
            Account::Northflank(a) => a.source(&self.label),
            Account::Mittwald(a) => {
                Source { kind: "project".into(), id: a.project_id.clone(), label: self.label.clone() }
            }
        }
    }

    /// The provider's backup schedules of this source, as the health model's expectations:
    /// mittwald's backup schedules (cron). Northflank's travel with its destination backups and
    /// ServerAvatar lists none, so those give nothing here. A GET, retried like the list.
    pub async fn schedules<T: Transport>(&self, transport: &T, base: &str) -> Result<Vec<ScheduleSpec>, Error> {
        let Account::Mittwald(account) = &self.account else {
            return Ok(Vec::new());
        };
        let request = crate::providers::mittwald::list_schedules_request(base, account);
        let response = send(transport, Provider::Mittwald, request, &RetryPolicy::default(), &Cell::new(1)).await?;
        let list = crate::providers::mittwald::parse_list_schedules(&response)?;
        Ok(list.into_iter().map(|s| ScheduleSpec::Cron { cron: s.schedule }).collect())
    }

    /// Checks that the connection has what its provider needs, before any request.
    pub fn check(&self) -> Result<(), Error> {
        let missing = |what: &str| Err(Error::Config(format!("{}: {what} is missing", self.label)));
        if self.account.token().is_empty() {
            return missing("the API token");
        }
        match &self.account {
            Account::ServerAvatar(a) if a.organization.trim().is_empty() => missing("the organization id"),
            Account::Northflank(northflank::Account {
                target: northflank::Target::Addon { project_id, addon_id },
                ..
            }) if project_id.trim().is_empty() || addon_id.trim().is_empty() => missing("the project id and addon id"),
            Account::Northflank(northflank::Account {
                target: northflank::Target::Destination { backup_destination_id },
                ..
            }) if backup_destination_id.trim().is_empty() => missing("the backup destination id"),
            Account::Mittwald(a) if a.project_id.trim().is_empty() => missing("the project id"),
            _ => Ok(()),
        }
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
        let source = self.source();
        let base = base.to_string();
        Ok(match &self.account {
            Account::ServerAvatar(a) => {
                let ep = serveravatar::ListEndpoint { base, account: a.clone() };
                fetch_all(transport, &ep, options, progress)
                    .await?
                    .into_iter()
                    .map(|b| serveravatar::normalize(b, &source))
                    .collect()
            }
            Account::Northflank(a) => {
                let ep = northflank::ListEndpoint { base, account: a.clone(), per_page: northflank::MAX_PER_PAGE };
                fetch_all(transport, &ep, options, progress)
                    .await?
                    .into_iter()
                    .map(|b| northflank::normalize(b, &source))
                    .collect()
            }
            Account::Mittwald(a) => {
                let ep = mittwald::ListEndpoint { base, account: a.clone(), limit: mittwald::DEFAULT_LIMIT };
                fetch_all(transport, &ep, options, progress)
                    .await?
                    .into_iter()
                    .map(|b| mittwald::normalize(b, &source))
                    .collect()
            }
        })
    }
}
