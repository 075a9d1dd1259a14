//! Downloading a backup's filesystem or database part:
//! `GET /organizations/{org}/backups/{backupId}/{filesystem|database}/download` answers a
//! presigned URL that works for a minute.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::model::{backup_id, call, Account, Backup};
use super::P;
use crate::answer::expect_json;
use crate::error::{Error, FieldError};
use crate::http::{Method, Request, Response};
use crate::route::Route;
use crate::route::Seg::{Id, Lit, Num};
use crate::workspace::Act;

/// The documented answer to a download of a backup or part that does not exist.
pub const NOT_FOUND: &str = "Backup not found!";

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

    fn route(self) -> &'static Route {
        match self {
            Part::Filesystem => &DOWNLOAD_FILESYSTEM,
            Part::Database => &DOWNLOAD_DATABASE,
        }
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
    call(request.part.route(), base, account, &[&request.backup_id.to_string()], "")
}

pub(super) const DOWNLOAD_FILESYSTEM: Route = Route::new(
    "download_filesystem",
    Method::Get,
    &[Lit("organizations"), Id, Lit("backups"), Num, Lit("filesystem"), Lit("download")],
    Act::Download,
);
pub(super) const DOWNLOAD_DATABASE: Route = Route::new(
    "download_database",
    Method::Get,
    &[Lit("organizations"), Id, Lit("backups"), Num, Lit("database"), Lit("download")],
    Act::Download,
);

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
    if crate::http::origin_of(url).is_none() || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::Parse {
            provider: P,
            field: "temporaryUrl".into(),
            message: "expected an http(s) URL".into(),
        });
    }
    Ok(TemporaryUrl(url.to_string()))
}
