//! ServerAvatar backup actions beyond list and create (those live in `providers::serveravatar`):
//! bulk delete, download links for a backup's filesystem or database part, the deleted-servers
//! view and the archive views. Source: provider-api-notes.md, section "ServerAvatar". No restore
//! endpoint is documented, so there is none here.
//!
//! Errors are always `{"message": "..."}`; they come back as [`Error::Http`] with that message.
//! Permission errors are 500 [`PERMISSION_DENIED`].

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::de;
use crate::error::{Error, FieldError};
use crate::http::{encode_component, Method, Request, Response};
use crate::paging::{Continuation, Endpoint, PageRef, PageResult};
use crate::provider::Provider;
use crate::providers::serveravatar::{authorized, parse_list, Account, Backup, Page};

use super::expect_json;

const P: Provider = Provider::ServerAvatar;

/// The documented success message of a delete.
pub const DELETED: &str = "Backup files successfully deleted from your cloud storage provider.";
/// The documented refusal when one of the ids is not a completed backup (nothing is deleted).
pub const NOT_COMPLETED: &str = "Backup not completed.";
/// The documented answer to a download of a backup or part that does not exist.
pub const NOT_FOUND: &str = "Backup not found!";
/// ServerAvatar's answer (status 500) when the token's member may not do this.
pub const PERMISSION_DENIED: &str = "You can not perform this action!";

/// `{base}/organizations/{organization}/backups`
fn backups_url(base: &str, account: &Account) -> String {
    format!("{}/organizations/{}/backups", base.trim_end_matches('/'), encode_component(&account.organization))
}

/// Backup ids are Laravel auto-increment keys: whole numbers from 1.
fn backup_id(s: &str) -> Option<u64> {
    (!s.is_empty() && s.len() <= 19 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
        .filter(|n| *n > 0)
}

/// Shortens what a person typed for quoting it back in a message.
fn quoted(s: &str) -> String {
    let mut short: String = s.chars().take(24).collect();
    if short.len() < s.len() {
        short.push('…');
    }
    format!("\"{short}\"")
}

// ---------------------------------------------------------------------------------------------
// Delete: POST /organizations/{org}/backups/destroy {"ids": [..]}

/// Most ids one delete sends. Not a documented limit: it keeps the body far below the proxy's
/// body limit and a slip of the selection from deleting a whole account.
pub const MAX_DELETE_IDS: usize = 1000;

/// The bulk delete as the selection (or a typed list) gives it: one string per backup id.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteForm {
    pub ids: Vec<String>,
}

impl DeleteForm {
    /// A typed list such as "14, 15 16": commas and whitespace separate ids.
    pub fn from_text(text: &str) -> Self {
        Self {
            ids: text
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
        }
    }

    /// Every id must be a backup id, each once, at least one and at most [`MAX_DELETE_IDS`].
    /// Blank entries are skipped. All problems come back at once, on the `ids` field.
    pub fn validate(&self, _now: OffsetDateTime) -> Result<DeleteRequest, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut ids = Vec::new();
        let mut seen = HashSet::new();
        let mut repeated = HashSet::new();
        for raw in self.ids.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            match backup_id(raw) {
                None => errors.push(FieldError::new(
                    "ids",
                    format!("{} is not a backup id: ids are whole numbers from 1, like 14.", quoted(raw)),
                )),
                Some(id) if !seen.insert(id) => {
                    // Reported once per id, however often it repeats.
                    if repeated.insert(id) {
                        errors.push(FieldError::new("ids", format!("Backup {id} is chosen more than once.")));
                    }
                }
                Some(id) => ids.push(id),
            }
        }
        if ids.is_empty() && errors.is_empty() {
            errors.push(FieldError::new("ids", "Choose at least one backup to delete."));
        }
        if ids.len() > MAX_DELETE_IDS {
            errors.push(FieldError::new(
                "ids",
                format!("Delete at most {MAX_DELETE_IDS} backups at once ({} are chosen).", ids.len()),
            ));
        }
        if errors.is_empty() {
            Ok(DeleteRequest { body: DeleteBody { ids } })
        } else {
            Err(errors)
        }
    }
}

/// The JSON body of the delete call.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteBody {
    pub ids: Vec<u64>,
}

/// A validated delete. Only [`DeleteForm::validate`] makes one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteRequest {
    body: DeleteBody,
}

impl DeleteRequest {
    pub fn body(&self) -> &DeleteBody {
        &self.body
    }
}

/// `POST {base}/organizations/{organization}/backups/destroy` with `{"ids": [..]}`. A POST: the
/// paging engine's `send` never repeats it.
pub fn delete_request(base: &str, account: &Account, request: &DeleteRequest) -> Request {
    let url = format!("{}/destroy", backups_url(base, account));
    let body = serde_json::to_string(&request.body).unwrap_or_default();
    authorized(Request::new(Method::Post, url), &account.token).json_body(body)
}

#[derive(Deserialize)]
struct MessageBody {
    message: String,
}

/// The provider's message on success (normally [`DELETED`]); errors such as 500
/// [`NOT_COMPLETED`] or [`PERMISSION_DENIED`], or a Laravel 422, as [`Error::Http`].
pub fn parse_delete(response: &Response) -> Result<String, Error> {
    expect_json::<MessageBody>(P, response).map(|b| b.message)
}

/// The per-id messages of a Laravel 422 to a delete (`errors.ids`, `errors."ids.0"`, ...), all
/// on the form's `ids` field; other keys and malformed bodies give nothing.
pub fn delete_validation_errors(body: &[u8]) -> Vec<FieldError> {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return Vec::new();
    };
    let Some(errors) = value.get("errors").and_then(|e| e.as_object()) else {
        return Vec::new();
    };
    errors
        .iter()
        .filter(|(key, _)| {
            *key == "ids" || key.strip_prefix("ids.").is_some_and(|i| i.bytes().all(|b| b.is_ascii_digit()))
        })
        .flat_map(|(_, messages)| match messages {
            serde_json::Value::Array(list) => list.iter().filter_map(|m| m.as_str()).map(str::to_string).collect(),
            serde_json::Value::String(m) => vec![m.clone()],
            _ => Vec::new(),
        })
        .filter(|m| !m.trim().is_empty())
        .map(|m| FieldError::new("ids", m))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Download: GET /organizations/{org}/backups/{backupId}/{filesystem|database}/download

/// The two parts of a backup that can be downloaded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Part {
    /// The application's files (`application_extension`, .tar or .tar.gz).
    Filesystem,
    /// The database dump (`database_extension`, .sql or .sql.gz).
    Database,
}

impl Part {
    pub const ALL: [Part; 2] = [Part::Filesystem, Part::Database];

    pub fn as_str(self) -> &'static str {
        match self {
            Part::Filesystem => "filesystem",
            Part::Database => "database",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Part::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// The parts of a listed backup that are in cloud storage, so worth a download button. A flag
/// the list leaves out counts as "not there" only if the part itself is absent.
pub fn downloadable_parts(backup: &Backup) -> Vec<Part> {
    let has = |available: Option<bool>, id: Option<u64>, ext: &Option<String>| {
        available.unwrap_or(id.is_some() || ext.is_some())
    };
    let mut parts = Vec::new();
    if has(backup.application_available_in_cloudstorage, backup.application_id, &backup.application_extension) {
        parts.push(Part::Filesystem);
    }
    if has(backup.database_available_in_cloudstorage, backup.database_id, &backup.database_extension) {
        parts.push(Part::Database);
    }
    parts
}

/// Which backup and which part to download, as strings from the page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DownloadForm {
    #[serde(rename = "backupId")]
    pub backup_id: String,
    /// "filesystem" or "database".
    #[serde(rename = "type")]
    pub part: String,
}

impl DownloadForm {
    /// Field names are the path parameters: `backupId` and `type`.
    pub fn validate(&self, _now: OffsetDateTime) -> Result<DownloadRequest, Vec<FieldError>> {
        let mut errors = Vec::new();
        let id = self.backup_id.trim();
        let backup_id = if id.is_empty() {
            errors.push(FieldError::new("backupId", "Choose the backup to download."));
            None
        } else {
            let parsed = backup_id(id);
            if parsed.is_none() {
                errors.push(FieldError::new("backupId", "The backup id is a whole number from 1, like 14."));
            }
            parsed
        };
        let part = match self.part.trim() {
            "" => {
                errors.push(FieldError::new("type", "Choose what to download: filesystem or database."));
                None
            }
            p => {
                let parsed = Part::parse(p);
                if parsed.is_none() {
                    errors.push(FieldError::new("type", "Only the filesystem or the database part can be downloaded."));
                }
                parsed
            }
        };
        match (backup_id, part) {
            (Some(backup_id), Some(part)) if errors.is_empty() => Ok(DownloadRequest { backup_id, part }),
            _ => Err(errors),
        }
    }
}

/// A validated download request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DownloadRequest {
    pub backup_id: u64,
    pub part: Part,
}

/// `GET {base}/organizations/{organization}/backups/{backupId}/{filesystem|database}/download`.
/// Send it when the person clicks "download", and open the answer's URL right away.
pub fn download_request(base: &str, account: &Account, request: &DownloadRequest) -> Request {
    let url = format!("{}/{}/{}/download", backups_url(base, account), request.backup_id, request.part.as_str());
    authorized(Request::new(Method::Get, url), &account.token)
}

/// How long a [`TemporaryUrl`] works after the provider answered.
pub const TEMPORARY_URL_VALID_SECS: u64 = 60;

/// A presigned download URL, valid for [`TEMPORARY_URL_VALID_SECS`] from the moment ServerAvatar
/// answered. Ask for it at click time (with [`download_request`]) and open it at once; never keep
/// it: it is deliberately neither `Clone` nor serializable, so it cannot land in a cache, the
/// stored state or a rendered list, where it would only be a dead link a minute later.
#[derive(Debug, PartialEq, Eq)]
pub struct TemporaryUrl(String);

impl TemporaryUrl {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The URL, to hand to the browser's navigation right away.
    pub fn into_string(self) -> String {
        self.0
    }
}

#[derive(Deserialize)]
struct DownloadBody {
    #[serde(rename = "temporaryUrl")]
    temporary_url: String,
}

/// Reads `{"temporaryUrl": "..."}`. Only an absolute http(s) URL without user info is accepted:
/// the page navigates to it, so a `javascript:` or look-alike answer is a parse error, not a link.
/// 404 [`NOT_FOUND`] (no such backup, or the backup lacks that part) is an [`Error::Http`].
pub fn parse_download(response: &Response) -> Result<TemporaryUrl, Error> {
    let body: DownloadBody = expect_json(P, response)?;
    let url = body.temporary_url.trim();
    if crate::proxy::origin_of(url).is_none() || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::Parse {
            provider: P,
            field: "temporaryUrl".into(),
            message: "expected an http(s) URL".into(),
        });
    }
    Ok(TemporaryUrl(url.to_string()))
}

// ---------------------------------------------------------------------------------------------
// Deleted servers: GET /organizations/{org}/backups/deleted-server

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
    let url = format!("{}/deleted-server", backups_url(base, account));
    authorized(Request::new(Method::Get, url), &account.token)
}

/// Reads `{"servers": [{id, name, ip, deleted_at}]}`.
pub fn parse_deleted_servers(response: &Response) -> Result<Vec<DeletedServer>, Error> {
    expect_json::<DeletedServersBody>(P, response).map(|b| b.servers)
}

// ---------------------------------------------------------------------------------------------
// Archive: GET /organizations/{org}/backups/archive/{filesystem|database|application}

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
}

/// `GET {base}/organizations/{organization}/backups/archive/{kind}?page={page}`
pub fn archive_request(base: &str, account: &Account, kind: ArchiveKind, page: u32) -> Request {
    let url = format!("{}/archive/{}?page={page}", backups_url(base, account), kind.as_str());
    authorized(Request::new(Method::Get, url), &account.token)
}

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
        let n = match page {
            PageRef::Number(n) => *n,
            _ => 1,
        };
        archive_request(&self.base, &self.account, self.kind, n)
    }

    fn parse(&self, _page: &PageRef, response: &Response) -> Result<PageResult<Backup>, Error> {
        let page = parse_archive(response)?;
        Ok(PageResult { items: page.data, continuation: Continuation::LastPage(page.last_page) })
    }

    fn key(&self, item: &Backup) -> String {
        item.id.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_positive_whole_numbers() {
        assert_eq!(backup_id("14"), Some(14));
        for bad in ["", "0", "-1", "1.5", "1e3", " 1", "99999999999999999999", "٣"] {
            assert_eq!(backup_id(bad), None, "{bad}");
        }
    }

    #[test]
    fn long_input_is_shortened_in_messages_without_splitting_characters() {
        assert_eq!(quoted("abc"), "\"abc\"");
        assert_eq!(quoted(&"é".repeat(30)), format!("\"{}…\"", "é".repeat(24)));
    }
}
