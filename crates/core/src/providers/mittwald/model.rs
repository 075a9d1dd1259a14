//! mittwald's records and settings: a project backup with its export and restore, the list
//! filters, and what a connection needs. Document: seeds/mittwald-list-project-backups.txt.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::de::{self, open_enum};
use crate::model::Status;
use crate::secret::Token;

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

impl ProjectBackup {
    pub fn normalized_status(&self) -> Status {
        Status::from_words(&self.status)
    }
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
