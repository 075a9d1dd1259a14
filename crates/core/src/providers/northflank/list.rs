//! Listing an addon's or a backup destination's backups (cursor paging) and mapping them into
//! the model.

use super::addon::BACKUPS;
use super::model::{
    authorized, Account, AddonBackup, AddonBackupsResponse, DestinationBackup, DestinationBackupsResponse, Pagination,
    Target,
};
use super::P;
use crate::de::{parse_json, Decimal};
use crate::error::Error;
use crate::http::{build_query, encode_component, Method, Request, Response};
use crate::model::{self, Contents, Source};
use crate::paging::{Continuation, Endpoint, PageRef, PageResult};
use crate::provider::Provider;
use crate::providers::Details;
use crate::route::Route;
use crate::route::Seg::{Id, Lit};
use crate::workspace::Act;

/// The documented maximum of `per_page`.
pub const MAX_PER_PAGE: u32 = 100;

/// `GET .../backups?per_page=N[&cursor=C]`
pub fn list_request(base: &str, account: &Account, per_page: u32, cursor: Option<&str>) -> Request {
    let mut q = vec![("per_page", per_page.clamp(1, MAX_PER_PAGE).to_string())];
    if let Some(c) = cursor {
        q.push(("cursor", c.to_string()));
    }
    let query = build_query(&q);
    let request = match &account.target {
        Target::Addon { project_id, addon_id } => LIST_ADDON.request_with_query(base, &[project_id, addon_id], &query),
        Target::Destination { backup_destination_id } => {
            LIST_DESTINATION.request_with_query(base, &[backup_destination_id], &query)
        }
    };
    authorized(request, account)
}

pub(super) const LIST_ADDON: Route = Route::new("list_addon_backups", Method::Get, BACKUPS, Act::Read);
pub(super) const LIST_DESTINATION: Route = Route::new(
    "list_destination_backups",
    Method::Get,
    &[Lit("v1"), Lit("backup-destinations"), Id, Lit("backups")],
    Act::Read,
);

/// A listed Northflank backup of either endpoint.
#[derive(Clone, Debug, PartialEq)]
pub enum Listed {
    Addon(AddonBackup),
    Destination(DestinationBackup),
}

pub fn parse_list(account: &Account, response: &Response) -> Result<(Vec<Listed>, Pagination), Error> {
    if !response.is_success() {
        return Err(Error::from_response(P, response));
    }
    Ok(match account.target {
        Target::Addon { .. } => {
            let r: AddonBackupsResponse = parse_json(P, &response.body)?;
            (r.data.backups.into_iter().map(Listed::Addon).collect(), r.pagination)
        }
        Target::Destination { .. } => {
            let r: DestinationBackupsResponse = parse_json(P, &response.body)?;
            (r.data.into_iter().map(Listed::Destination).collect(), r.pagination)
        }
    })
}

pub struct ListEndpoint {
    pub base: String,
    pub account: Account,
    pub per_page: u32,
}

impl Endpoint for ListEndpoint {
    type Item = Listed;

    fn provider(&self) -> Provider {
        P
    }

    fn first_page(&self) -> PageRef {
        PageRef::Cursor(None)
    }

    fn request(&self, page: &PageRef) -> Request {
        let cursor = match page {
            PageRef::Cursor(c) => c.as_deref(),
            _ => None,
        };
        list_request(&self.base, &self.account, self.per_page, cursor)
    }

    fn parse(&self, _page: &PageRef, response: &Response) -> Result<PageResult<Listed>, Error> {
        let (items, pagination) = parse_list(&self.account, response)?;
        let next = if pagination.has_next_page { pagination.cursor.filter(|c| !c.is_empty()) } else { None };
        Ok(PageResult { items, continuation: Continuation::Next(next) })
    }

    fn key(&self, item: &Listed) -> String {
        match item {
            Listed::Addon(b) => b.id.clone(),
            Listed::Destination(b) => b.id.clone(),
        }
    }
}

/// The dashboard page of the source: `s/project/{project}/addons/{addon}` for an addon (its
/// source id is "project/addon"), the destination's page otherwise. Each id is escaped alone.
fn link(source: &Source) -> Option<String> {
    let path = match source.id.split_once('/') {
        Some((project, addon)) if source.kind == "addon" => {
            format!("s/project/{}/addons/{}", encode_component(project), encode_component(addon))
        }
        _ => format!("s/account/backup-destinations/{}", encode_component(&source.id)),
    };
    Some(format!("https://app.northflank.com/{path}"))
}

pub fn normalize(item: Listed, source: &Source) -> model::Backup {
    // Both records share these fields; only the expiry (destinations) and the details differ.
    macro_rules! shared {
        ($b:expr) => {
            ($b.id.clone(), $b.name.clone(), $b.status.clone(), $b.created_at, $b.completed_at, $b.config.size.to_u64())
        };
    }
    let ((id, name, status, created, completed, size_bytes), expires, details) = match item {
        Listed::Addon(b) => (shared!(b), None, Details::NorthflankAddon(b)),
        Listed::Destination(b) => {
            (shared!(b), b.expired_by.and_then(Decimal::as_epoch_millis), Details::NorthflankDestination(b))
        }
    };
    model::Backup {
        provider: P,
        source: source.clone(),
        id,
        name,
        status: status.normalized(),
        status_raw: status.to_string(),
        created,
        completed,
        expires,
        size_bytes,
        contents: Contents { files: false, database: true, application: false },
        link: link(source),
        details,
    }
}
