//! Listing a project's backups (offsets with X-Pagination-* headers) and mapping them into the
//! model.

use super::call::{call, PROJECT_BACKUPS};
use super::model::{Account, ProjectBackup};
use super::P;
use crate::de::{self, parse_json};
use crate::error::Error;
use crate::http::{build_query, encode_component, Method, Request, Response};
use crate::model::{self, Contents, Source, Status};
use crate::paging::{Continuation, Endpoint, PageRef, PageResult};
use crate::route::Route;
use crate::workspace::Act;

use crate::provider::Provider;
use crate::providers::Details;

/// Items per request: the spec's default `limit`, the largest page size it names (its minimum
/// is 0 and it sets no maximum), so a list takes the fewest round trips.
pub const DEFAULT_LIMIT: u64 = 1000;

/// The X-Pagination-* headers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PaginationHeaders {
    pub limit: Option<u64>,
    pub skip: Option<u64>,
    pub page: Option<u64>,
    pub total_count: Option<u64>,
}

impl PaginationHeaders {
    pub fn read(response: &Response) -> Self {
        let num = |name: &str| {
            response.header(name).and_then(|v| v.trim().parse::<f64>().ok()).and_then(|f| de::Decimal(f).to_u64())
        };
        Self {
            limit: num("X-Pagination-Limit"),
            skip: num("X-Pagination-Skip"),
            page: num("X-Pagination-Page"),
            total_count: num("X-Pagination-TotalCount"),
        }
    }
}

/// `GET {base}/v2/projects/{projectId}/backups?{filters}&limit=L&skip=S`
pub fn list_request(base: &str, account: &Account, limit: u64, skip: u64) -> Request {
    let q = &account.query;
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if let Some(s) = q.search_term.as_ref().filter(|s| !s.is_empty()) {
        pairs.push(("searchTerm", s.clone()));
    }
    if let Some(b) = q.with_exports_only {
        pairs.push(("withExportsOnly", b.to_string()));
    }
    if let Some(o) = &q.sort_order {
        pairs.push(("sortOrder", o.to_string()));
    }
    if let Some(b) = q.running_restores_only {
        pairs.push(("runningRestoresOnly", b.to_string()));
    }
    pairs.push(("limit", limit.to_string()));
    pairs.push(("skip", skip.to_string()));
    call(&LIST, base, account, &[&account.project_id], &build_query(&pairs))
}

pub(super) const LIST: Route = Route::new("list_backups", Method::Get, PROJECT_BACKUPS, Act::Read);

pub fn parse_list(response: &Response) -> Result<(Vec<ProjectBackup>, PaginationHeaders), Error> {
    if !response.is_success() {
        return Err(Error::from_response(P, response));
    }
    Ok((parse_json(P, &response.body)?, PaginationHeaders::read(response)))
}

pub struct ListEndpoint {
    pub base: String,
    pub account: Account,
    pub limit: u64,
}

impl Endpoint for ListEndpoint {
    type Item = ProjectBackup;

    fn provider(&self) -> Provider {
        P
    }

    fn first_page(&self) -> PageRef {
        PageRef::Offset { skip: 0, limit: self.limit }
    }

    fn request(&self, page: &PageRef) -> Request {
        let (skip, limit) = match page {
            PageRef::Offset { skip, limit } => (*skip, *limit),
            _ => (0, self.limit),
        };
        list_request(&self.base, &self.account, limit, skip)
    }

    fn parse(&self, page: &PageRef, response: &Response) -> Result<PageResult<ProjectBackup>, Error> {
        let (items, headers) = parse_list(response)?;
        let limit = headers.limit.filter(|l| *l > 0).unwrap_or(match page {
            PageRef::Offset { limit, .. } => *limit,
            _ => self.limit,
        });
        // Without a total, the list is as long as what has been seen.
        let skip = headers.skip.unwrap_or(match page {
            PageRef::Offset { skip, .. } => *skip,
            _ => 0,
        });
        let total = headers.total_count.unwrap_or(skip + items.len() as u64);
        Ok(PageResult { items, continuation: Continuation::Total { total, limit } })
    }

    fn key(&self, item: &ProjectBackup) -> String {
        item.id.clone()
    }
}

pub fn normalize(b: ProjectBackup, source: &Source) -> model::Backup {
    let name = b.description.clone().filter(|d| !d.trim().is_empty()).unwrap_or_else(|| format!("Backup {}", b.id));
    model::Backup {
        provider: P,
        source: source.clone(),
        id: b.id.clone(),
        name,
        status: b.normalized_status(),
        status_raw: b.status.clone(),
        created: b.created_at.or(b.requested_at),
        completed: if Status::from_words(&b.status) == Status::Completed { b.created_at } else { None },
        expires: b.expires_at,
        size_bytes: None,
        contents: Contents { files: true, database: true, application: false },
        link: Some(format!("https://studio.mittwald.de/app/projects/{}/backups", encode_component(&b.project_id))),
        details: Details::Mittwald(b),
    }
}
