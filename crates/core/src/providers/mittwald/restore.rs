//! Restoring a backup's databases and paths (`POST .../restore`), with its pickers: the
//! backup's database dumps and one level of its file tree.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::call::{call, with_json};
use super::model::{Account, DatabaseRestore, ProjectBackup, RestorePhase};
use super::P;
use crate::answer::{expect_json, expect_success};
use crate::de;
use crate::error::{Error, FieldError};
use crate::http::{build_query, Method, Request, Response};
use crate::route::Route;
use crate::route::Seg::{Id, Lit};
use crate::workspace::Act;

/// Longest path accepted in a restore (Linux's PATH_MAX).
const MAX_PATH: usize = 4096;

pub(super) const RESTORE: Route =
    Route::new("restore_backup", Method::Post, &[Lit("v2"), Lit("project-backups"), Id, Lit("restore")], Act::Restore);
pub(super) const DATABASE_DUMPS: Route = Route::new(
    "database_dumps",
    Method::Get,
    &[Lit("v2"), Lit("project-backups"), Id, Lit("database-dumps")],
    Act::Read,
);
pub(super) const DIRECTORIES: Route =
    Route::new("directories", Method::Get, &[Lit("v2"), Lit("project-backups"), Id, Lit("path")], Act::Read);

/// `POST {base}/v2/project-backups/{id}/restore`
pub fn restore_backup_request(base: &str, account: &Account, backup_id: &str, body: &RestoreBackup) -> Request {
    with_json(call(&RESTORE, base, account, &[backup_id], ""), body)
}

/// `GET {base}/v2/project-backups/{id}/database-dumps`: the dumps a restore can pick from.
pub fn database_dumps_request(base: &str, account: &Account, backup_id: &str) -> Request {
    call(&DATABASE_DUMPS, base, account, &[backup_id], "")
}

/// `GET {base}/v2/project-backups/{id}/path?directory=...`: one level of the backup's file tree.
/// An empty `directory` leaves the parameter out (the backup's root).
pub fn directories_request(base: &str, account: &Account, backup_id: &str, directory: &str) -> Request {
    let query = match directory.trim() {
        "" => String::new(),
        d => build_query(&[("directory", d.to_string())]),
    };
    call(&DIRECTORIES, base, account, &[backup_id], &query)
}

/// 204; the restore then runs: poll until [`restore_running`] is false.
pub fn parse_restore_backup(response: &Response) -> Result<(), Error> {
    expect_success(P, response)
}

/// `{"databases": ["..."]}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatabaseDumps {
    #[serde(default)]
    pub databases: Vec<String>,
}

/// 200 with the names of the database dumps in the backup.
pub fn parse_database_dumps(response: &Response) -> Result<Vec<String>, Error> {
    expect_json::<DatabaseDumps>(P, response).map(|d| d.databases)
}

/// One node of a backup's file tree. The notes say only "path tree"; this is the
/// `ProjectBackupPath` schema of mittwald's public OpenAPI spec (absolutePath, name and size
/// required; `items` holds the children of a directory that was asked for).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProjectBackupPath {
    pub absolute_path: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<de::Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_directory: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_file: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_executable: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_symlink: Option<bool>,
    /// Where a symlink points.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<ProjectBackupPath>>,
}

impl ProjectBackupPath {
    /// Size in bytes, if sent as a sensible number.
    pub fn size_bytes(&self) -> Option<u64> {
        self.size.and_then(de::Decimal::to_u64)
    }

    /// A directory can be opened in the picker; without the flag, having children says so.
    pub fn is_dir(&self) -> bool {
        self.is_directory.unwrap_or(self.items.is_some())
    }
}

/// 200 with the directory asked for and its children in `items`.
pub fn parse_directories(response: &Response) -> Result<ProjectBackupPath, Error> {
    expect_json(P, response)
}

/// Whether a restore of this backup is still running: poll again.
pub fn restore_running(backup: &ProjectBackup) -> bool {
    backup.restore.as_ref().is_some_and(|r| r.phase == RestorePhase::Running)
        || backup.restore_path.as_ref().is_some_and(|r| r.phase == RestorePhase::Running)
}

/// One database of a restore, as picked: a dump of the backup and the database to restore into.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseRestoreForm {
    pub database_backup_dump: String,
    pub target_database_id: String,
}

/// The restore form: databases and/or paths. Rows left entirely empty are ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RestoreBackupForm {
    pub database_restores: Vec<DatabaseRestoreForm>,
    /// Paths picked from the backup's tree.
    pub source_paths: Vec<String>,
    /// Empty: restore where the paths were.
    pub target_restore_path: String,
    pub clear_target_path: bool,
}

/// `pathRestore`: `{sourcePaths, targetRestorePath?, clearTargetPath}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PathRestoreRequest {
    source_paths: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    target_restore_path: Option<String>,
    clear_target_path: bool,
}

/// `{databaseRestores?, pathRestore?}`. Only [`RestoreBackupForm::validate`] makes one.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RestoreBackup {
    #[serde(skip_serializing_if = "Option::is_none")]
    database_restores: Option<Vec<DatabaseRestore>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path_restore: Option<PathRestoreRequest>,
}

/// A lower-case or upper-case UUID in its 8-4-4-4-12 form.
pub fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// An absolute path inside the project: starts with `/`, no `.`/`..` or empty segments.
fn path_problem(p: &str) -> Option<&'static str> {
    if !p.starts_with('/') {
        return Some("must start with /");
    }
    if p.len() > MAX_PATH {
        return Some("is too long");
    }
    if p.chars().any(char::is_control) {
        return Some("cannot contain control characters");
    }
    let inner = p.trim_end_matches('/');
    if inner.split('/').skip(1).any(|seg| seg.is_empty() || seg == "." || seg == "..") {
        return Some("cannot contain empty, . or .. parts");
    }
    None
}

impl RestoreBackupForm {
    pub fn validate(&self, _now: OffsetDateTime) -> Result<RestoreBackup, Vec<FieldError>> {
        let mut errors = Vec::new();
        let rows: Vec<(usize, &DatabaseRestoreForm)> = self
            .database_restores
            .iter()
            .enumerate()
            .filter(|(_, r)| !(r.database_backup_dump.trim().is_empty() && r.target_database_id.trim().is_empty()))
            .collect();
        let mut databases = Vec::new();
        let mut targets = Vec::new();
        for (i, row) in &rows {
            let n = i + 1;
            let dump = row.database_backup_dump.trim();
            let target = row.target_database_id.trim();
            if dump.is_empty() {
                errors.push(FieldError::new(
                    "databaseRestores.databaseBackupDump",
                    format!("Database {n}: choose a dump from the backup."),
                ));
            }
            if target.is_empty() {
                errors.push(FieldError::new(
                    "databaseRestores.targetDatabaseId",
                    format!("Database {n}: choose the database to restore into."),
                ));
            } else if !is_uuid(target) {
                errors.push(FieldError::new(
                    "databaseRestores.targetDatabaseId",
                    format!(
                        "Database {n}: the target database id is a UUID, like 9d8c7b6a-5f4e-4d3c-2b1a-0f9e8d7c6b5a."
                    ),
                ));
            } else if targets.contains(&target.to_ascii_lowercase()) {
                errors.push(FieldError::new(
                    "databaseRestores.targetDatabaseId",
                    format!("Database {n}: each database can be restored into only once."),
                ));
            } else {
                targets.push(target.to_ascii_lowercase());
            }
            databases.push(DatabaseRestore {
                database_backup_dump: dump.to_string(),
                target_database_id: target.to_string(),
            });
        }

        let mut source_paths: Vec<String> = Vec::new();
        for p in self.source_paths.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
            if let Some(problem) = path_problem(p) {
                errors.push(FieldError::new("pathRestore.sourcePaths", format!("The path {p} {problem}.")));
            } else if !source_paths.iter().any(|s| s == p) {
                source_paths.push(p.to_string());
            }
        }
        let target = self.target_restore_path.trim();
        if !target.is_empty() {
            if let Some(problem) = path_problem(target) {
                errors.push(FieldError::new("pathRestore.targetRestorePath", format!("The target path {problem}.")));
            }
        }
        let wants_paths = !self.source_paths.iter().all(|p| p.trim().is_empty());
        if !wants_paths && (!target.is_empty() || self.clear_target_path) {
            errors.push(FieldError::new("pathRestore.sourcePaths", "Choose the paths to restore."));
        }
        if rows.is_empty() && !wants_paths && target.is_empty() && !self.clear_target_path {
            errors.push(FieldError::new("databaseRestores", "Choose at least one database or path to restore."));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(RestoreBackup {
            database_restores: (!databases.is_empty()).then_some(databases),
            path_restore: (!source_paths.is_empty()).then(|| PathRestoreRequest {
                source_paths,
                target_restore_path: (!target.is_empty()).then(|| target.to_string()),
                clear_target_path: self.clear_target_path,
            }),
        })
    }
}
