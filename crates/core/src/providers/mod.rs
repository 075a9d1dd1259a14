//! The registry: one folder per provider, each implementing [`ProviderApi`], and the enums that
//! hold any provider's connection, record or schedule. This is the only place that dispatches
//! over providers; the rest of the core calls the methods here.

pub mod mittwald;
pub mod northflank;
pub mod serveravatar;

use serde::{Deserialize, Serialize};

use crate::cron::Cadence;
use crate::error::Error;
use crate::http::Transport;
use crate::model::{Backup, Source};
use crate::paging::{Options, Progress};
use crate::provider::Provider;
use crate::route::{Route, RouteName};
use crate::secret::Token;

/// What Backboard does with one provider. A capability the provider lacks keeps its default.
#[allow(async_fn_in_trait)]
pub trait ProviderApi {
    const PROVIDER: Provider;
    /// Every call Backboard makes to the provider, each declared beside its builder.
    const ROUTES: &'static [Route];
    /// One connection's settings, with the documents' own parameter names.
    type Account;

    fn token(account: &Self::Account) -> &Token;

    /// This provider's settings in `any`, if `any` is one of its connections.
    fn account(any: &Account) -> Option<&Self::Account>;

    /// What the connection lacks besides its token ("the project id"), checked before any request.
    fn missing(account: &Self::Account) -> Option<&'static str>;

    /// The organization, addon, destination or project the connection lists.
    fn source(account: &Self::Account, label: &str) -> Source;

    /// Every backup of the source, all pages, normalized.
    async fn list<T: Transport>(
        account: &Self::Account,
        transport: &T,
        base: &str,
        options: &Options,
        source: &Source,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Vec<Backup>, Error>;

    /// The provider's backup schedules of the source, for health's expectations: a GET,
    /// retried like the list. None where the provider has no schedules to list.
    async fn schedules<T: Transport>(
        _account: &Self::Account,
        _transport: &T,
        _base: &str,
    ) -> Result<Vec<ScheduleSpec>, Error> {
        Ok(Vec::new())
    }
}

/// Every provider's routes, in [`Provider::ALL`] order.
const ROUTES: [(Provider, &[Route]); 3] = [
    (serveravatar::Api::PROVIDER, serveravatar::Api::ROUTES),
    (northflank::Api::PROVIDER, northflank::Api::ROUTES),
    (mittwald::Api::PROVIDER, mittwald::Api::ROUTES),
];

/// The routes of one provider: exactly the calls Backboard makes to it.
pub fn routes_of(provider: Provider) -> &'static [Route] {
    ROUTES.iter().find(|(p, _)| *p == provider).map_or(&[], |(_, routes)| routes)
}

/// Every route of every provider: what the proxy allows and what a simulator serves.
pub fn routes() -> impl Iterator<Item = (Provider, &'static Route)> {
    ROUTES.iter().flat_map(|(p, routes)| routes.iter().map(move |r| (*p, r)))
}

/// The route a request to `path` (below the provider's base; a leading `/` and a query are
/// ignored) with `method` takes, if it is one Backboard makes.
pub fn match_route(provider: Provider, method: crate::http::Method, path: &str) -> Option<RouteName> {
    find_route(provider, method, path).map(|r| r.name)
}

/// [`match_route`]'s route itself.
pub fn find_route(provider: Provider, method: crate::http::Method, path: &str) -> Option<&'static Route> {
    let path = path.split_once('?').map_or(path, |(p, _)| p).trim_start_matches('/');
    let segments: Vec<&str> = path.split('/').collect();
    routes_of(provider).iter().find(|r| r.method == method && r.fits(&segments))
}

/// The provider-specific part of a connection, with the documents' own parameter names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "provider", rename_all = "lowercase")]
pub enum Account {
    #[serde(rename = "serveravatar")]
    ServerAvatar(serveravatar::Account),
    Northflank(northflank::Account),
    Mittwald(mittwald::Account),
}

/// The one dispatch over accounts: `$p` names the provider's [`ProviderApi`] type and `$a` its
/// account in `$body`.
macro_rules! dispatch {
    ($account:expr, $p:ident, $a:ident => $body:expr) => {
        match $account {
            Account::ServerAvatar($a) => {
                type $p = serveravatar::Api;
                $body
            }
            Account::Northflank($a) => {
                type $p = northflank::Api;
                $body
            }
            Account::Mittwald($a) => {
                type $p = mittwald::Api;
                $body
            }
        }
    };
}

impl Account {
    pub fn provider(&self) -> Provider {
        dispatch!(self, P, _a => P::PROVIDER)
    }

    /// The API token, whichever provider.
    pub fn token(&self) -> &Token {
        dispatch!(self, P, a => P::token(a))
    }

    pub fn missing(&self) -> Option<&'static str> {
        dispatch!(self, P, a => P::missing(a))
    }

    pub fn source(&self, label: &str) -> Source {
        dispatch!(self, P, a => P::source(a, label))
    }

    pub async fn list<T: Transport>(
        &self,
        transport: &T,
        base: &str,
        options: &Options,
        source: &Source,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Vec<Backup>, Error> {
        dispatch!(self, P, a => P::list(a, transport, base, options, source, progress).await)
    }

    pub async fn schedules<T: Transport>(&self, transport: &T, base: &str) -> Result<Vec<ScheduleSpec>, Error> {
        dispatch!(self, P, a => P::schedules(a, transport, base).await)
    }
}

/// The provider's own record, for the details view.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "provider", content = "record", rename_all = "lowercase")]
pub enum Details {
    ServerAvatar(serveravatar::Backup),
    NorthflankAddon(northflank::AddonBackup),
    NorthflankDestination(northflank::DestinationBackup),
    Mittwald(mittwald::ProjectBackup),
}

impl Details {
    /// The schedules a record carries (Northflank destination backups do), with the addon they
    /// were taken for ("" when unnamed).
    pub fn carried_schedules(&self) -> Option<(String, Vec<ScheduleSpec>)> {
        match self {
            Details::NorthflankDestination(d) => {
                let (addon, schedules) = d.carried_schedules()?;
                let specs = schedules.iter().map(|s| ScheduleSpec::Northflank { schedule: s.clone() }).collect();
                Some((addon, specs))
            }
            _ => None,
        }
    }

    /// An export of this backup is being made (mittwald's exports).
    pub fn export_running(&self) -> bool {
        match self {
            Details::Mittwald(b) => mittwald::export_running(b),
            _ => false,
        }
    }

    /// A restore of this backup is running (mittwald's restores).
    pub fn restore_running(&self) -> bool {
        match self {
            Details::Mittwald(b) => mittwald::restore_running(b),
            _ => false,
        }
    }
}

/// One schedule a provider exposes (or the user copied from it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum ScheduleSpec {
    /// A Northflank schedule object (addon backup schedules, destination backups' `schedules`).
    Northflank { schedule: northflank::BackupSchedule },
    /// A cron string, as mittwald's backup schedules carry (`"0 3 * * *"`).
    Cron { cron: String },
    /// A ServerAvatar schedule preset ("Every Hour" ... "Every Year").
    #[serde(rename = "serveravatar")]
    ServerAvatar { preset: String },
}

impl ScheduleSpec {
    pub fn provider(&self) -> Provider {
        match self {
            ScheduleSpec::Northflank { .. } => Provider::Northflank,
            ScheduleSpec::Cron { .. } => Provider::Mittwald,
            ScheduleSpec::ServerAvatar { .. } => Provider::ServerAvatar,
        }
    }

    /// When it runs; None when it cannot be read.
    pub fn cadence(&self) -> Option<Cadence> {
        match self {
            ScheduleSpec::Northflank { schedule } => schedule.cron().map(Cadence::Calendar),
            ScheduleSpec::Cron { cron } => crate::cron::Cron::parse(cron).ok().map(Cadence::Calendar),
            ScheduleSpec::ServerAvatar { preset } => serveravatar::preset_interval(preset).map(Cadence::Every),
        }
    }

    pub fn in_words(&self) -> String {
        match self {
            ScheduleSpec::Northflank { schedule } => schedule.in_words(),
            ScheduleSpec::Cron { cron } => format!("cron \"{}\"", cron.trim()),
            ScheduleSpec::ServerAvatar { preset } => preset.trim().to_string(),
        }
    }
}

/// The header carrying the account's token, as each provider's client sends it: ServerAvatar
/// the raw token in `Authorization`, Northflank `Bearer <token>`, mittwald `x-access-token`.
pub fn credential_header(account: &Account) -> (&'static str, String) {
    let token = account.token().expose();
    match account.provider() {
        Provider::ServerAvatar => ("authorization", token.to_string()),
        Provider::Northflank => ("authorization", format!("Bearer {token}")),
        Provider::Mittwald => ("x-access-token", token.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::Method;

    #[test]
    fn routes_are_matched_below_the_base() {
        let m = match_route;
        assert_eq!(m(Provider::Mittwald, Method::Post, "/v2/project-backups/b1/export?x=1"), Some("export_backup"));
        assert_eq!(m(Provider::Mittwald, Method::Get, "v2/project-backups/b1/export"), None);
        assert_eq!(m(Provider::Northflank, Method::Post, "v2/project-backups/b1/export"), None);
        assert_eq!(
            m(Provider::ServerAvatar, Method::Get, "organizations/5/backups/14/database/download"),
            Some("download_database")
        );
        assert_eq!(m(Provider::ServerAvatar, Method::Get, "organizations/5/backups/archive/database/download"), None);
    }

    #[test]
    fn no_two_routes_of_a_provider_are_the_same_call() {
        let all: Vec<_> = routes().collect();
        for (i, (p, r)) in all.iter().enumerate() {
            for (q, s) in &all[..i] {
                assert!(!(p == q && r.method == s.method && r.path == s.path), "{p}: {r} twice");
            }
        }
    }
}
