//! Listing an organization's backups (Laravel's page numbers) and mapping them into the model.
//! Document: seeds/serveravatar-list-backups.txt.

use super::model::{call, Account, Backup, Page};
use super::P;
use crate::de::{self, parse_json};
use crate::error::Error;
use crate::http::{Method, Request, Response};
use crate::model::{self, Contents, Source, Status};
use crate::paging::{Continuation, Endpoint, PageRef, PageResult};
use crate::provider::Provider;
use crate::providers::Details;
use crate::route::Route;
use crate::route::Seg::{Id, Lit};
use crate::workspace::Act;

/// ServerAvatar reports sizes in megabytes.
const MB: f64 = 1024.0 * 1024.0;

pub(super) const LIST: Route =
    Route::new("list_backups", Method::Get, &[Lit("organizations"), Id, Lit("backups")], Act::Read);

/// `GET {base}/organizations/{organization}/backups?page={page}`
pub fn list_request(base: &str, account: &Account, page: u32) -> Request {
    call(&LIST, base, account, &[], &format!("?page={page}"))
}

pub fn parse_list(response: &Response) -> Result<Page<Backup>, Error> {
    if !response.is_success() {
        return Err(Error::from_response(P, response));
    }
    parse_json(P, &response.body)
}

fn megabytes_to_bytes(mb: f64) -> Option<u64> {
    de::Decimal(mb * MB).to_u64()
}

/// Maps a listed backup into the normalized model.
pub fn normalize(b: Backup, source: &Source) -> model::Backup {
    let size_bytes = match (b.application_size, b.database_size, b.total_size) {
        (None, None, total) => total.and_then(megabytes_to_bytes),
        (a, d, _) => megabytes_to_bytes(a.unwrap_or(0.0) + d.unwrap_or(0.0)),
    };
    let has_app = b.application_id.is_some() || b.application_extension.is_some();
    let has_db = b.database_id.is_some() || b.database_extension.is_some();
    let name = b
        .backup_configuration
        .as_ref()
        .and_then(|c| c.name.clone())
        .filter(|n| !n.is_empty())
        .or_else(|| {
            let app = b.application.as_ref().and_then(|a| a.name.clone());
            let db = b.database.as_ref().and_then(|d| d.name.clone());
            match (app, db) {
                (Some(a), Some(d)) => Some(format!("{a} + {d}")),
                (a, d) => a.or(d),
            }
        })
        .unwrap_or_else(|| format!("Backup #{}", b.id));
    let status = Status::from_words(&b.status);
    let completed = (status == Status::Completed).then_some(b.updated_at).flatten();
    model::Backup {
        provider: P,
        source: source.clone(),
        id: b.id.to_string(),
        name,
        status,
        status_raw: b.status.clone(),
        created: b.created_at,
        completed,
        expires: b.expires_at,
        size_bytes,
        contents: Contents { files: has_app, database: has_db, application: has_app && has_db },
        link: Some(format!("https://app.serveravatar.com/organizations/{}/backups", source.id)),
        details: Details::ServerAvatar(b),
    }
}

/// The page a [`PageRef`] names: Laravel pages by number, the list and the archive views alike.
pub(super) fn page_number(page: &PageRef) -> u32 {
    match page {
        PageRef::Number(n) => *n,
        _ => 1,
    }
}

/// One Laravel page of backups for the paging engine, up to its `last_page`.
pub(super) fn parse_page(response: &Response) -> Result<PageResult<Backup>, Error> {
    let page = parse_list(response)?;
    Ok(PageResult { items: page.data, continuation: Continuation::LastPage(page.last_page) })
}

pub struct ListEndpoint {
    pub base: String,
    pub account: Account,
}

impl Endpoint for ListEndpoint {
    type Item = Backup;

    fn provider(&self) -> Provider {
        P
    }

    fn first_page(&self) -> PageRef {
        PageRef::Number(1)
    }

    fn request(&self, page: &PageRef) -> Request {
        list_request(&self.base, &self.account, page_number(page))
    }

    fn parse(&self, _page: &PageRef, response: &Response) -> Result<PageResult<Backup>, Error> {
        parse_page(response)
    }

    fn key(&self, item: &Backup) -> String {
        item.id.to_string()
    }
}
