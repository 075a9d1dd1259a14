//! Northflank's records and settings: addon and destination backups as listed, their statuses,
//! and what a connection lists. Documents: seeds/northflank-list-addon-backups.txt,
//! seeds/northflank-list-destination-backups.txt.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::schedules::BackupSchedule;
use crate::de::{self, open_enum, Decimal};
use crate::http::Request;
use crate::model::{Source, Status};
use crate::secret::Token;

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

impl DestinationBackup {
    /// The schedules this backup was taken for, with its addon's id ("" when unnamed); None
    /// when it carries none.
    pub fn carried_schedules(&self) -> Option<(String, &[BackupSchedule])> {
        let schedules = self.schedules.as_deref().filter(|s| !s.is_empty())?;
        Some((self.addon.as_ref().map(|a| a.id.clone()).unwrap_or_default(), schedules))
    }
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

/// Northflank's auth: `Authorization: Bearer <token>`, JSON answers. Every call adds these.
pub fn authorized(request: Request, account: &Account) -> Request {
    request.header("Authorization", format!("Bearer {}", account.token.expose())).header("Accept", "application/json")
}
