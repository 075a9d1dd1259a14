//! Northflank: list addon backups and list backup-destination backups (cursor paging).
//! Documents: seeds/northflank-list-addon-backups.txt, seeds/northflank-list-destination-backups.txt.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::de::{self, open_enum, parse_json, Decimal};
use crate::error::Error;
use crate::http::{build_query, encode_component, Method, Request, Response};
use crate::model::{self, Contents, Provider, Source, Status};
use crate::paging::{Continuation, Endpoint, PageRef, PageResult};
use crate::secret::Token;

const P: Provider = Provider::Northflank;
/// The documented maximum of `per_page`.
pub const MAX_PER_PAGE: u32 = 100;

open_enum!(
    BackupStatus {
        Scheduled = "scheduled",
        InProgress = "in-progress",
        Completed = "completed",
        Aborting = "aborting",
        Aborted = "aborted",
        Failed = "failed",
        NotSupported = "not-supported",
    }
);

impl BackupStatus {
    pub fn normalized(&self) -> Status {
        match self {
            BackupStatus::Scheduled => Status::Scheduled,
            BackupStatus::InProgress | BackupStatus::Aborting => Status::Running,
            BackupStatus::Completed => Status::Completed,
            BackupStatus::Aborted => Status::Aborted,
            BackupStatus::Failed => Status::Failed,
            BackupStatus::NotSupported => Status::Other,
            BackupStatus::Other(s) => Status::from_words(s),
        }
    }
}

open_enum!(
    SourceType {
        FileUpload = "fileUpload",
        LiveInstance = "liveInstance",
        Snapshot = "snapshot",
        ExternalDump = "externalDump",
        SameAddon = "sameAddon",
        Global = "global",
    }
);

open_enum!(Interval { Hourly = "hourly", Daily = "daily", Weekly = "weekly" });

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BackupSource {
    #[serde(rename = "type")]
    pub source_type: Option<SourceType>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddonBackupConfig {
    pub source: Option<BackupSource>,
    /// Bytes, as a decimal string.
    pub size: Decimal,
    pub addon_version: Option<String>,
}

/// One backup as listed by `GET /v1/projects/{projectId}/addons/{addonId}/backups`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddonBackup {
    pub id: String,
    pub name: String,
    pub status: BackupStatus,
    #[serde(default, with = "de::rfc3339_time::option")]
    pub created_at: Option<OffsetDateTime>,
    #[serde(default, with = "de::rfc3339_time::option")]
    pub completed_at: Option<OffsetDateTime>,
    pub config: AddonBackupConfig,
}

/// The project or addon a destination backup was taken for. Both keys are optional in the
/// official client's types (the seed document marks them required): absent reads as empty.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NamedRef {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DestinationBackupConfig {
    pub addon_version: Option<String>,
    pub addon_type: Option<String>,
    pub source: Option<BackupSource>,
    pub size: Decimal,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BackupSchedule {
    pub interval: Interval,
    pub minute: Vec<u8>,
    /// Absent, not null, where it is unavailable: the schedule create call sends this shape too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hour: Option<Vec<u8>>,
    /// 0 is Monday, 6 is Sunday.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day: Option<Vec<u8>>,
}

const DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

fn join_words(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

impl BackupSchedule {
    /// "weekly on Friday at 18:30", "hourly at minute 0 and 30", "daily at 02:15".
    pub fn in_words(&self) -> String {
        let minutes: Vec<u8> = self.minute.iter().copied().filter(|m| *m < 60).collect();
        let hours: Vec<u8> = self.hour.iter().flatten().copied().filter(|h| *h < 24).collect();
        let times = || -> String {
            let mut t = Vec::new();
            for h in &hours {
                for m in &minutes {
                    t.push(format!("{h:02}:{m:02}"));
                }
            }
            join_words(&t)
        };
        match &self.interval {
            Interval::Hourly => {
                let m: Vec<String> = minutes.iter().map(|m| m.to_string()).collect();
                format!("hourly at minute {}", join_words(&m))
            }
            Interval::Daily => format!("daily at {}", times()),
            Interval::Weekly => {
                let days: Vec<String> =
                    self.day.iter().flatten().filter_map(|d| DAYS.get(*d as usize)).map(|d| d.to_string()).collect();
                format!("weekly on {} at {}", join_words(&days), times())
            }
            Interval::Other(other) => format!("{other} schedule"),
        }
    }
}

/// One backup as listed by `GET /v1/backup-destinations/{backupDestinationId}/backups`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DestinationBackup {
    pub id: String,
    pub name: String,
    pub status: BackupStatus,
    pub project: Option<NamedRef>,
    pub addon: Option<NamedRef>,
    pub config: DestinationBackupConfig,
    pub schedules: Option<Vec<BackupSchedule>>,
    /// Milliseconds since the epoch: a number in the official client's types, a decimal string
    /// like "1729232400000.0" in the seed document's example; both are read.
    pub expired_by: Option<Decimal>,
    #[serde(default, with = "de::rfc3339_time::option")]
    pub created_at: Option<OffsetDateTime>,
    #[serde(default, with = "de::rfc3339_time::option")]
    pub completed_at: Option<OffsetDateTime>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pagination {
    pub has_next_page: bool,
    pub cursor: Option<String>,
    pub count: Decimal,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AddonBackups {
    pub backups: Vec<AddonBackup>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AddonBackupsResponse {
    pub data: AddonBackups,
    pub pagination: Pagination,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DestinationBackupsResponse {
    pub data: Vec<DestinationBackup>,
    pub pagination: Pagination,
}

/// What a Northflank connection lists: one addon's backups, or one destination's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Target {
    #[serde(rename_all = "camelCase")]
    Addon { project_id: String, addon_id: String },
    #[serde(rename_all = "camelCase")]
    Destination { backup_destination_id: String },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub token: Token,
    #[serde(flatten)]
    pub target: Target,
}

impl Account {
    pub fn source(&self, label: &str) -> Source {
        match &self.target {
            Target::Addon { project_id, addon_id } => {
                Source { kind: "addon".into(), id: format!("{project_id}/{addon_id}"), label: label.into() }
            }
            Target::Destination { backup_destination_id } => {
                Source { kind: "destination".into(), id: backup_destination_id.clone(), label: label.into() }
            }
        }
    }
}

/// `GET .../backups?per_page=N[&cursor=C]`
pub fn list_request(base: &str, account: &Account, per_page: u32, cursor: Option<&str>) -> Request {
    let path = match &account.target {
        Target::Addon { project_id, addon_id } => {
            format!("/v1/projects/{}/addons/{}/backups", encode_component(project_id), encode_component(addon_id))
        }
        Target::Destination { backup_destination_id } => {
            format!("/v1/backup-destinations/{}/backups", encode_component(backup_destination_id))
        }
    };
    let mut q = vec![("per_page", per_page.clamp(1, MAX_PER_PAGE).to_string())];
    if let Some(c) = cursor {
        q.push(("cursor", c.to_string()));
    }
    let url = format!("{}{}{}", base.trim_end_matches('/'), path, build_query(&q));
    authorized(Request::new(Method::Get, url), account)
}

/// Northflank's auth: `Authorization: Bearer <token>`, JSON answers. Every call adds these.
pub fn authorized(request: Request, account: &Account) -> Request {
    request.header("Authorization", format!("Bearer {}", account.token.expose())).header("Accept", "application/json")
}

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
        Listed::Addon(b) => (shared!(b), None, model::Details::NorthflankAddon(b)),
        Listed::Destination(b) => {
            (shared!(b), b.expired_by.and_then(Decimal::as_epoch_millis), model::Details::NorthflankDestination(b))
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
