//! What outlives a deleted server: the list of deleted servers that still have backups
//! (`GET /organizations/{org}/backups/deleted-server`) and the archive views by backup type
//! (`GET /organizations/{org}/backups/archive/{filesystem|database|application}`).

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::list::{page_number, parse_list, parse_page};
use super::model::{call, Account, Backup, Page};
use super::P;
use crate::answer::expect_json;
use crate::de;
use crate::error::Error;
use crate::http::{Method, Request, Response};
use crate::paging::{Endpoint, PageRef, PageResult};
use crate::provider::Provider;
use crate::route::Route;
use crate::route::Seg::{Id, Lit};
use crate::workspace::Act;

/// A server that was deleted but still has backups (see the archive views).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeletedServer {
    pub id: u64,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub ip: Option<String>,
    #[serde(default, with = "de::laravel_time::option")]
    pub deleted_at: Option<OffsetDateTime>,
}

#[derive(Deserialize)]
struct DeletedServersBody {
    servers: Vec<DeletedServer>,
}

/// `GET {base}/organizations/{organization}/backups/deleted-server`
pub fn deleted_servers_request(base: &str, account: &Account) -> Request {
    call(&DELETED_SERVERS, base, account, &[], "")
}

pub(super) const DELETED_SERVERS: Route = Route::new(
    "deleted_servers",
    Method::Get,
    &[Lit("organizations"), Id, Lit("backups"), Lit("deleted-server")],
    Act::Read,
);

/// Reads `{"servers": [{id, name, ip, deleted_at}]}`.
pub fn parse_deleted_servers(response: &Response) -> Result<Vec<DeletedServer>, Error> {
    expect_json::<DeletedServersBody>(P, response).map(|b| b.servers)
}

/// The three archive views, by backup type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ArchiveKind {
    Filesystem,
    Database,
    Application,
}

impl ArchiveKind {
    pub const ALL: [ArchiveKind; 3] = [ArchiveKind::Filesystem, ArchiveKind::Database, ArchiveKind::Application];

    pub fn as_str(self) -> &'static str {
        match self {
            ArchiveKind::Filesystem => "filesystem",
            ArchiveKind::Database => "database",
            ArchiveKind::Application => "application",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        ArchiveKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    fn route(self) -> &'static Route {
        match self {
            ArchiveKind::Filesystem => &ARCHIVE_FILESYSTEM,
            ArchiveKind::Database => &ARCHIVE_DATABASE,
            ArchiveKind::Application => &ARCHIVE_APPLICATION,
        }
    }
}

/// `GET {base}/organizations/{organization}/backups/archive/{kind}?page={page}`
pub fn archive_request(base: &str, account: &Account, kind: ArchiveKind, page: u32) -> Request {
    call(kind.route(), base, account, &[], &format!("?page={page}"))
}

pub(super) const ARCHIVE_FILESYSTEM: Route = Route::new(
    "archive_filesystem",
    Method::Get,
    &[Lit("organizations"), Id, Lit("backups"), Lit("archive"), Lit("filesystem")],
    Act::Read,
);
pub(super) const ARCHIVE_DATABASE: Route = Route::new(
    "archive_database",
    Method::Get,
    &[Lit("organizations"), Id, Lit("backups"), Lit("archive"), Lit("database")],
    Act::Read,
);
pub(super) const ARCHIVE_APPLICATION: Route = Route::new(
    "archive_application",
    Method::Get,
    &[Lit("organizations"), Id, Lit("backups"), Lit("archive"), Lit("application")],
    Act::Read,
);

/// One archive page: Laravel's paginator of backups, the list's own shape.
pub fn parse_archive(response: &Response) -> Result<Page<Backup>, Error> {
    parse_list(response)
}

/// An archive view for the paging engine (`paging::fetch_all`), like `ListEndpoint`.
pub struct ArchiveEndpoint {
    pub base: String,
    pub account: Account,
    pub kind: ArchiveKind,
}

impl Endpoint for ArchiveEndpoint {
    type Item = Backup;

    fn provider(&self) -> Provider {
        P
    }

    fn first_page(&self) -> PageRef {
        PageRef::Number(1)
    }

    fn request(&self, page: &PageRef) -> Request {
        archive_request(&self.base, &self.account, self.kind, page_number(page))
    }

    fn parse(&self, _page: &PageRef, response: &Response) -> Result<PageResult<Backup>, Error> {
        parse_page(response)
    }

    fn key(&self, item: &Backup) -> String {
        item.id.to_string()
    }
}
