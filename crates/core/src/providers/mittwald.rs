//! mittwald mStudio v2: list project backups (offset paging with X-Pagination-* headers).
//! Document: seeds/mittwald-list-project-backups.txt.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::de::{self, open_enum, parse_json};
use crate::error::Error;
use crate::http::{build_query, encode_component, Method, Request, Response};
use crate::model::{self, Contents, Provider, Source, Status};
use crate::paging::{Continuation, Endpoint, PageRef, PageResult};
use crate::secret::Token;

const P: Provider = Provider::Mittwald;
/// Items per request: the spec's default `limit`, the largest page size it names (its minimum
/// is 0 and it sets no maximum), so a list takes the fewest round trips.
pub const DEFAULT_LIMIT: u64 = 1000;

open_enum!(ExportPhase { Pending = "Pending", Exporting = "Exporting", Failed = "Failed", Completed = "Completed", Expired = "Expired" });
open_enum!(RestorePhase { Running = "running", Completed = "completed" });
open_enum!(SortOrder { OldestFirst = "oldestFirst", NewestFirst = "newestFirst" });

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Export {
    #[serde(rename = "downloadURL")]
    pub download_url: Option<String>,
    #[serde(default, with = "de::rfc3339_time::option")]
    pub expires_at: Option<OffsetDateTime>,
    pub format: String,
    pub phase: Option<ExportPhase>,
    pub sha256_checksum: Option<String>,
    pub with_password: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseRestore {
    pub database_backup_dump: String,
    pub target_database_id: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PathRestore {
    pub clear_target_path: bool,
    pub determined_target_path: String,
    pub source_paths: Vec<String>,
    pub target_restore_path: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Restore {
    pub database_restores: Option<Vec<DatabaseRestore>>,
    pub path_restore: Option<PathRestore>,
    pub phase: RestorePhase,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RestorePath {
    pub clear_target_path: bool,
    pub determined_target_path: String,
    pub phase: RestorePhase,
    pub source_path: String,
    pub target_path: Option<String>,
}

/// One backup as listed by `GET /v2/projects/{projectId}/backups`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProjectBackup {
    #[serde(default, with = "de::rfc3339_time::option")]
    pub created_at: Option<OffsetDateTime>,
    pub deletable: bool,
    pub description: Option<String>,
    #[serde(default, with = "de::rfc3339_time::option")]
    pub expires_at: Option<OffsetDateTime>,
    pub export: Option<Export>,
    pub id: String,
    pub parent_id: Option<String>,
    pub project_id: String,
    #[serde(default, with = "de::rfc3339_time::option")]
    pub requested_at: Option<OffsetDateTime>,
    pub restore: Option<Restore>,
    pub restore_path: Option<RestorePath>,
    pub status: String,
}

/// mittwald's own list filters.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub search_term: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_exports_only: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort_order: Option<SortOrder>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub running_restores_only: Option<bool>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    pub token: Token,
    pub project_id: String,
    #[serde(default)]
    pub query: ListQuery,
}

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
    let url = format!(
        "{}/v2/projects/{}/backups{}",
        base.trim_end_matches('/'),
        encode_component(&account.project_id),
        build_query(&pairs)
    );
    authorized(Request::new(Method::Get, url), account)
}

/// mittwald's token header: the operations' security scheme in the published spec is
/// `x-access-token` (`Authorization: Bearer`, which the seed document shows, is its legacy form).
pub fn authorized(request: Request, account: &Account) -> Request {
    request.header("x-access-token", account.token.expose()).header("Accept", "application/json")
}

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

impl ProjectBackup {
    pub fn normalized_status(&self) -> Status {
        Status::from_words(&self.status)
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
        details: model::Details::Mittwald(b),
    }
}
