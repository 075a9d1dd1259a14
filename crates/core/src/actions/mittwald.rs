//! mittwald mStudio v2 backup actions: create, get (for polling), update, delete, export and
//! its deletion, restore with its pickers (database dumps, directory tree), and backup schedules.
//! Contract: provider-api-notes.md, section "mittwald". Every builder authorizes exactly like
//! the list request (`x-access-token`), every form validates into the documented body.

use serde::{Deserialize, Serialize, Serializer};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Duration, OffsetDateTime, PrimitiveDateTime};

use super::{expect_json, expect_success};
use crate::de::{self, open_enum};
use crate::error::{Error, FieldError};
use crate::http::{build_query, encode_component, Method, Request, Response};
use crate::model::Provider;
use crate::providers::mittwald::{Account, DatabaseRestore, ExportPhase, ProjectBackup, RestorePhase};

const P: Provider = Provider::Mittwald;

/// A new backup's expiration must lie 7 days to 1 year ahead (a year read as 365 days).
pub const MIN_EXPIRATION: Duration = Duration::days(7);
pub const MAX_EXPIRATION: Duration = Duration::days(365);
/// A schedule's `ttl` is "7d" to "365d".
pub const MIN_TTL_DAYS: u32 = 7;
pub const MAX_TTL_DAYS: u32 = 365;
/// Longest path accepted in a restore (Linux's PATH_MAX).
const MAX_PATH: usize = 4096;

open_enum!(ExportFormat { Tar = "tar", Zip = "zip" });

// ---------------------------------------------------------------------------------------------
// Requests

fn url(base: &str, path: &str) -> String {
    format!("{}{path}", base.trim_end_matches('/'))
}

/// The list request's authorization, for every action.
fn authorized(method: Method, url: String, account: &Account) -> Request {
    crate::providers::mittwald::authorized(Request::new(method, url), account)
}

fn with_json<T: Serialize>(request: Request, body: &T) -> Request {
    // Serializing these plain structs cannot fail; an empty object would be refused upstream.
    request.json_body(serde_json::to_string(body).unwrap_or_else(|_| "{}".into()))
}

fn backup_path(backup_id: &str) -> String {
    format!("/v2/project-backups/{}", encode_component(backup_id))
}

fn schedule_path(schedule_id: &str) -> String {
    format!("/v2/project-backup-schedules/{}", encode_component(schedule_id))
}

/// `POST {base}/v2/projects/{projectId}/backups`
pub fn create_backup_request(base: &str, account: &Account, body: &CreateBackup) -> Request {
    let path = format!("/v2/projects/{}/backups", encode_component(&account.project_id));
    with_json(authorized(Method::Post, url(base, &path), account), body)
}

/// `GET {base}/v2/project-backups/{projectBackupId}`: one backup, for polling an export or restore.
pub fn get_backup_request(base: &str, account: &Account, backup_id: &str) -> Request {
    authorized(Method::Get, url(base, &backup_path(backup_id)), account)
}

/// `PATCH {base}/v2/project-backups/{projectBackupId}`
pub fn update_backup_request(base: &str, account: &Account, backup_id: &str, body: &UpdateBackup) -> Request {
    with_json(authorized(Method::Patch, url(base, &backup_path(backup_id)), account), body)
}

/// `DELETE {base}/v2/project-backups/{projectBackupId}`; check [`check_deletable`] first.
pub fn delete_backup_request(base: &str, account: &Account, backup_id: &str) -> Request {
    authorized(Method::Delete, url(base, &backup_path(backup_id)), account)
}

/// `POST {base}/v2/project-backups/{id}/export`
pub fn export_backup_request(base: &str, account: &Account, backup_id: &str, body: &ExportBackup) -> Request {
    let path = format!("{}/export", backup_path(backup_id));
    with_json(authorized(Method::Post, url(base, &path), account), body)
}

/// `DELETE {base}/v2/project-backups/{id}/export`
pub fn delete_export_request(base: &str, account: &Account, backup_id: &str) -> Request {
    let path = format!("{}/export", backup_path(backup_id));
    authorized(Method::Delete, url(base, &path), account)
}

/// `POST {base}/v2/project-backups/{id}/restore`
pub fn restore_backup_request(base: &str, account: &Account, backup_id: &str, body: &RestoreBackup) -> Request {
    let path = format!("{}/restore", backup_path(backup_id));
    with_json(authorized(Method::Post, url(base, &path), account), body)
}

/// `GET {base}/v2/project-backups/{id}/database-dumps`: the dumps a restore can pick from.
pub fn database_dumps_request(base: &str, account: &Account, backup_id: &str) -> Request {
    let path = format!("{}/database-dumps", backup_path(backup_id));
    authorized(Method::Get, url(base, &path), account)
}

/// `GET {base}/v2/project-backups/{id}/path?directory=...`: one level of the backup's file tree.
/// An empty `directory` leaves the parameter out (the backup's root).
pub fn directories_request(base: &str, account: &Account, backup_id: &str, directory: &str) -> Request {
    let query = match directory.trim() {
        "" => String::new(),
        d => build_query(&[("directory", d.to_string())]),
    };
    let path = format!("{}/path{query}", backup_path(backup_id));
    authorized(Method::Get, url(base, &path), account)
}

/// `GET {base}/v2/projects/{projectId}/backup-schedules`
pub fn list_schedules_request(base: &str, account: &Account) -> Request {
    let path = format!("/v2/projects/{}/backup-schedules", encode_component(&account.project_id));
    authorized(Method::Get, url(base, &path), account)
}

/// `POST {base}/v2/projects/{projectId}/backup-schedules`
pub fn create_schedule_request(base: &str, account: &Account, body: &CreateSchedule) -> Request {
    let path = format!("/v2/projects/{}/backup-schedules", encode_component(&account.project_id));
    with_json(authorized(Method::Post, url(base, &path), account), body)
}

/// `GET {base}/v2/project-backup-schedules/{id}`
pub fn get_schedule_request(base: &str, account: &Account, schedule_id: &str) -> Request {
    authorized(Method::Get, url(base, &schedule_path(schedule_id)), account)
}

/// `PATCH {base}/v2/project-backup-schedules/{id}`
pub fn update_schedule_request(base: &str, account: &Account, schedule_id: &str, body: &UpdateSchedule) -> Request {
    with_json(authorized(Method::Patch, url(base, &schedule_path(schedule_id)), account), body)
}

/// `DELETE {base}/v2/project-backup-schedules/{id}`
pub fn delete_schedule_request(base: &str, account: &Account, schedule_id: &str) -> Request {
    authorized(Method::Delete, url(base, &schedule_path(schedule_id)), account)
}

// ---------------------------------------------------------------------------------------------
// Answers

/// 201 with the new backup.
pub fn parse_create_backup(response: &Response) -> Result<ProjectBackup, Error> {
    expect_json(P, response)
}

/// 200 with the backup.
pub fn parse_get_backup(response: &Response) -> Result<ProjectBackup, Error> {
    expect_json(P, response)
}

/// 204.
pub fn parse_update_backup(response: &Response) -> Result<(), Error> {
    expect_success(P, response)
}

/// 204.
pub fn parse_delete_backup(response: &Response) -> Result<(), Error> {
    expect_success(P, response)
}

/// 204; the export then runs: poll [`get_backup_request`] until [`export_download`] gives a URL.
pub fn parse_export_backup(response: &Response) -> Result<(), Error> {
    expect_success(P, response)
}

/// 204.
pub fn parse_delete_export(response: &Response) -> Result<(), Error> {
    expect_success(P, response)
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

/// A backup schedule: `{id, projectId, isSystemBackup, schedule, ttl?, description?, createdAt?, updatedAt?}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProjectBackupSchedule {
    pub id: String,
    pub project_id: String,
    /// mittwald's own daily backup; it can be edited but must stay daily.
    #[serde(default)]
    pub is_system_backup: bool,
    /// A cron expression, at most hourly.
    pub schedule: String,
    /// How long backups of this schedule are kept: "7d" to "365d".
    #[serde(default)]
    pub ttl: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default, with = "de::rfc3339_time::option")]
    pub created_at: Option<OffsetDateTime>,
    #[serde(default, with = "de::rfc3339_time::option")]
    pub updated_at: Option<OffsetDateTime>,
}

/// 200 with every schedule of the project.
pub fn parse_list_schedules(response: &Response) -> Result<Vec<ProjectBackupSchedule>, Error> {
    expect_json(P, response)
}

/// What a schedule's creation answers. The notes say only "201"; mittwald's create calls answer
/// `{"id": "..."}`, and a full schedule (which also has `id`) parses too.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedSchedule {
    pub id: String,
}

/// 201 with the new schedule's id.
pub fn parse_create_schedule(response: &Response) -> Result<CreatedSchedule, Error> {
    expect_json(P, response)
}

/// 200 with the schedule.
pub fn parse_get_schedule(response: &Response) -> Result<ProjectBackupSchedule, Error> {
    expect_json(P, response)
}

/// 204; 412 when a change would make the system schedule other than daily.
pub fn parse_update_schedule(response: &Response) -> Result<(), Error> {
    expect_success(P, response)
}

/// 204.
pub fn parse_delete_schedule(response: &Response) -> Result<(), Error> {
    expect_success(P, response)
}

/// mittwald's per-field validation messages (`{"type": "ValidationError", "validationErrors":
/// [{"message", "path", "type"}]}`) on the fields of this module's forms, so a refused form shows
/// the provider's words where they belong. Paths of other fields are left to the overall message.
pub fn validation_errors(body: &[u8]) -> Vec<FieldError> {
    #[derive(Deserialize)]
    struct Item {
        #[serde(default)]
        message: Option<String>,
        #[serde(default)]
        path: Option<String>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Body {
        #[serde(default)]
        validation_errors: Vec<Item>,
    }
    let Ok(body) = serde_json::from_slice::<Body>(body) else {
        return Vec::new();
    };
    body.validation_errors
        .into_iter()
        .filter_map(|item| {
            let path = item.path?;
            let field = FIELDS.iter().find(|f| **f == field_of_path(&path))?;
            let message = item.message.filter(|m| !m.trim().is_empty())?;
            Some(FieldError::new(field, message))
        })
        .collect()
}

/// The body keys the forms of this module report on.
pub const FIELDS: &[&str] = &[
    "description",
    "expirationTime",
    "format",
    "password",
    "databaseRestores",
    "databaseRestores.databaseBackupDump",
    "databaseRestores.targetDatabaseId",
    "pathRestore.sourcePaths",
    "pathRestore.targetRestorePath",
    "schedule",
    "ttl",
];

/// `pathRestore.sourcePaths.0` and `databaseRestores[1].targetDatabaseId` name the fields
/// `pathRestore.sourcePaths` and `databaseRestores.targetDatabaseId`.
fn field_of_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for part in path.split('.') {
        // Array indices, written `.0` or `[0]`, are not part of the field's name.
        let part = part.split('[').next().unwrap_or("");
        if part.is_empty() || part.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        if !out.is_empty() {
            out.push('.');
        }
        out.push_str(part);
    }
    out
}

/// The finished export's download URL and checksum, once `export.phase` is Completed.
pub fn export_download(backup: &ProjectBackup) -> Option<(&str, Option<&str>)> {
    let export = backup.export.as_ref()?;
    if export.phase != Some(ExportPhase::Completed) {
        return None;
    }
    let url = export.download_url.as_deref().filter(|u| !u.is_empty())?;
    Some((url, export.sha256_checksum.as_deref()))
}

/// Whether an export is still being made (Pending or Exporting): poll again.
pub fn export_running(backup: &ProjectBackup) -> bool {
    backup.export.as_ref().is_some_and(|e| matches!(e.phase, Some(ExportPhase::Pending | ExportPhase::Exporting)))
}

/// Whether a restore of this backup is still running: poll again.
pub fn restore_running(backup: &ProjectBackup) -> bool {
    backup.restore.as_ref().is_some_and(|r| r.phase == RestorePhase::Running)
        || backup.restore_path.as_ref().is_some_and(|r| r.phase == RestorePhase::Running)
}

/// Refuses, before sending, to delete a backup mittwald marks as not deletable.
pub fn check_deletable(backup: &ProjectBackup) -> Result<(), Error> {
    if backup.deletable {
        Ok(())
    } else {
        Err(Error::Validation(vec![FieldError::new(
            "deletable",
            "This backup is kept by mittwald and cannot be deleted.",
        )]))
    }
}

// ---------------------------------------------------------------------------------------------
// Forms and the bodies they validate into

fn rfc3339<S: Serializer>(t: &OffsetDateTime, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&de::format_rfc3339(*t))
}

/// Reads a date and time as typed: RFC 3339 ("2025-03-01T12:00:00Z", "...+01:00"), or a
/// browser's datetime-local value ("2025-03-01T12:00", with or without seconds, `T` or a
/// space), which is read as UTC.
pub fn parse_date_time(s: &str) -> Option<OffsetDateTime> {
    let s = s.trim();
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Some(t);
    }
    let local = s.replacen(' ', "T", 1);
    let with_seconds = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    let without = format_description!("[year]-[month]-[day]T[hour]:[minute]");
    PrimitiveDateTime::parse(&local, with_seconds)
        .or_else(|_| PrimitiveDateTime::parse(&local, without))
        .ok()
        .map(PrimitiveDateTime::assume_utc)
}

/// The expiration rule of a backup: a date at most 1 year after `now`, and at least `min` after
/// it (7 days for a new backup; the spec's update sets no minimum, a date already past is refused).
fn check_expiration(
    errors: &mut Vec<FieldError>,
    typed: &str,
    now: OffsetDateTime,
    min: Duration,
) -> Option<OffsetDateTime> {
    match parse_date_time(typed) {
        None => {
            errors.push(FieldError::new(
                "expirationTime",
                "Give the expiration as a date and time, like 2025-03-01T12:00:00Z.",
            ));
            None
        }
        Some(t) if t <= now || t < now + min => {
            let message = if min.is_zero() {
                "The expiration must lie in the future."
            } else {
                "The backup must be kept at least 7 days from now."
            };
            errors.push(FieldError::new("expirationTime", message));
            None
        }
        Some(t) if t > now + MAX_EXPIRATION => {
            errors.push(FieldError::new("expirationTime", "The backup can be kept at most 1 year from now."));
            None
        }
        Some(t) => Some(t.to_offset(time::UtcOffset::UTC)),
    }
}

fn description_of(typed: &str) -> Option<String> {
    let d = typed.trim();
    (!d.is_empty()).then(|| d.to_string())
}

/// The create form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateBackupForm {
    pub description: String,
    pub expiration_time: String,
}

/// `{expirationTime, description?}`. Only [`CreateBackupForm::validate`] makes one.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateBackup {
    #[serde(serialize_with = "rfc3339")]
    expiration_time: OffsetDateTime,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
}

impl CreateBackup {
    pub fn expiration_time(&self) -> OffsetDateTime {
        self.expiration_time
    }
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }
}

impl CreateBackupForm {
    pub fn validate(&self, now: OffsetDateTime) -> Result<CreateBackup, Vec<FieldError>> {
        let mut errors = Vec::new();
        let expiration_time = if self.expiration_time.trim().is_empty() {
            errors.push(FieldError::new("expirationTime", "Choose until when the backup is kept."));
            None
        } else {
            check_expiration(&mut errors, &self.expiration_time, now, MIN_EXPIRATION)
        };
        match expiration_time {
            Some(expiration_time) if errors.is_empty() => {
                Ok(CreateBackup { expiration_time, description: description_of(&self.description) })
            }
            _ => Err(errors),
        }
    }
}

/// The edit form, prefilled with the backup's values. The description is always sent (so it
/// can be cleared); an empty expiration leaves it as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateBackupForm {
    pub description: String,
    pub expiration_time: String,
}

/// `{description?, expirationTime?}`. Only [`UpdateBackupForm::validate`] makes one.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateBackup {
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", with = "de::rfc3339_time::option")]
    expiration_time: Option<OffsetDateTime>,
}

impl UpdateBackupForm {
    /// A form prefilled from the backup being edited.
    pub fn from_backup(backup: &ProjectBackup) -> Self {
        Self {
            description: backup.description.clone().unwrap_or_default(),
            expiration_time: backup.expires_at.map(de::format_rfc3339).unwrap_or_default(),
        }
    }

    /// A new expiration lies at most 1 year ahead, as the spec's update says (unlike create, it
    /// names no 7-day minimum).
    pub fn validate(&self, now: OffsetDateTime) -> Result<UpdateBackup, Vec<FieldError>> {
        let mut errors = Vec::new();
        let expiration_time = match self.expiration_time.trim() {
            "" => None,
            t => check_expiration(&mut errors, t, now, Duration::ZERO),
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(UpdateBackup { description: Some(self.description.trim().to_string()), expiration_time })
    }
}

/// The export form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportBackupForm {
    pub format: String,
    /// Empty for an archive without a password. Sent exactly as typed (spaces count).
    pub password: String,
}

/// `{format, password?}`. Only [`ExportBackupForm::validate`] makes one.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExportBackup {
    format: ExportFormat,
    #[serde(skip_serializing_if = "Option::is_none")]
    password: Option<String>,
}

impl ExportBackup {
    pub fn format(&self) -> &ExportFormat {
        &self.format
    }
}

impl ExportBackupForm {
    pub fn validate(&self, _now: OffsetDateTime) -> Result<ExportBackup, Vec<FieldError>> {
        let mut errors = Vec::new();
        let format = ExportFormat::parse(self.format.trim());
        if self.format.trim().is_empty() {
            errors.push(FieldError::new("format", "Choose the archive format: tar or zip."));
        } else if !format.is_known() {
            errors.push(FieldError::new("format", "The archive format must be tar or zip."));
        }
        if self.password.chars().any(char::is_control) {
            errors.push(FieldError::new("password", "The password cannot contain line breaks or tabs."));
        } else if !self.password.is_empty() && self.password.trim().is_empty() {
            errors.push(FieldError::new("password", "The password cannot be only spaces."));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let password = (!self.password.is_empty()).then(|| self.password.clone());
        Ok(ExportBackup { format, password })
    }
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

// ---------------------------------------------------------------------------------------------
// Schedules

/// Parses one cron field: `*`, `n`, `a-b`, each optionally `/step`, comma-separated.
fn cron_field_ok(field: &str, min: u32, max: u32) -> bool {
    let num = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
            .filter(|n| (min..=max).contains(n))
    };
    field.split(',').all(|item| {
        let (range, step) = match item.split_once('/') {
            Some((r, s)) => (r, Some(s)),
            None => (item, None),
        };
        let step_ok = step.is_none_or(|s| {
            s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit()) && s.parse::<u32>().is_ok_and(|n| n >= 1)
        });
        let range_ok = range == "*"
            || match range.split_once('-') {
                Some((a, b)) => matches!((num(a), num(b)), (Some(a), Some(b)) if a <= b),
                None => num(range).is_some(),
            };
        step_ok && range_ok
    })
}

/// How often a valid cron expression fires, as far as the rules here care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CronFrequency {
    /// One fixed minute and one fixed hour, every day.
    Daily,
    /// A fixed minute: at most hourly.
    AtMostHourly,
}

/// Checks a cron expression (minute hour day-of-month month day-of-week, numbers only) and
/// mittwald's rule that backups run at most hourly; the message is for the form.
pub fn check_cron(expression: &str) -> Result<CronFrequency, String> {
    let fields: Vec<&str> = expression.split_whitespace().collect();
    let [minute, hour, dom, month, dow] = fields.as_slice() else {
        return Err("A schedule has five parts: minute hour day month weekday, like 0 3 * * *.".into());
    };
    let ranges = [("minute", 0, 59), ("hour", 0, 23), ("day", 1, 31), ("month", 1, 12), ("weekday", 0, 7)];
    for ((name, min, max), field) in ranges.iter().zip([minute, hour, dom, month, dow]) {
        if !cron_field_ok(field, *min, *max) {
            return Err(format!(
                "The {name} part {field} is not valid; use numbers from {min} to {max}, *, ranges or steps."
            ));
        }
    }
    let single = |f: &str| f.bytes().all(|b| b.is_ascii_digit());
    if !single(minute) {
        return Err("Backups can run at most hourly: give one minute, like 0 * * * *.".into());
    }
    if single(hour) && [dom, month, dow].iter().all(|f| **f == "*") {
        Ok(CronFrequency::Daily)
    } else {
        Ok(CronFrequency::AtMostHourly)
    }
}

/// Reads a ttl such as "30d" (7d to 365d) into days.
pub fn parse_ttl(ttl: &str) -> Option<u32> {
    let days = ttl.strip_suffix('d')?;
    if days.is_empty() || days.len() > 3 || !days.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    days.parse().ok().filter(|d| (MIN_TTL_DAYS..=MAX_TTL_DAYS).contains(d))
}

fn check_ttl(errors: &mut Vec<FieldError>, typed: &str) -> Option<String> {
    let t = typed.trim();
    match parse_ttl(t) {
        Some(days) => Some(format!("{days}d")),
        None => {
            errors.push(FieldError::new("ttl", "Keep backups from 7 to 365 days, written like 30d."));
            None
        }
    }
}

const SYSTEM_DAILY: &str = "The system backup must stay daily: one minute and one hour, like 0 3 * * *.";

/// The new schedule form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateScheduleForm {
    pub description: String,
    pub schedule: String,
    pub ttl: String,
}

/// `{schedule, ttl, description?}`. Only [`CreateScheduleForm::validate`] makes one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CreateSchedule {
    schedule: String,
    ttl: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
}

impl CreateScheduleForm {
    pub fn validate(&self, _now: OffsetDateTime) -> Result<CreateSchedule, Vec<FieldError>> {
        let mut errors = Vec::new();
        let schedule = normalize_cron(&self.schedule);
        if schedule.is_empty() {
            errors.push(FieldError::new("schedule", "Give a schedule as a cron expression, like 0 3 * * *."));
        } else if let Err(m) = check_cron(&schedule) {
            errors.push(FieldError::new("schedule", m));
        }
        let ttl = if self.ttl.trim().is_empty() {
            errors.push(FieldError::new("ttl", "Choose how long backups are kept, like 30d."));
            None
        } else {
            check_ttl(&mut errors, &self.ttl)
        };
        match ttl {
            Some(ttl) if errors.is_empty() => {
                Ok(CreateSchedule { schedule, ttl, description: description_of(&self.description) })
            }
            _ => Err(errors),
        }
    }
}

/// Cron fields separated by single spaces, as mittwald shows them.
fn normalize_cron(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The schedule edit form, prefilled from the schedule. The description is always sent, except
/// for the system schedule, whose description the spec says cannot be changed; an empty
/// schedule or ttl leaves it as it is. `is_system_backup` comes from the schedule (not typed):
/// the system schedule must stay daily.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateScheduleForm {
    pub is_system_backup: bool,
    pub description: String,
    pub schedule: String,
    pub ttl: String,
}

/// `{description?, schedule?, ttl?}`. Only [`UpdateScheduleForm::validate`] makes one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UpdateSchedule {
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    schedule: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ttl: Option<String>,
}

impl UpdateScheduleForm {
    pub fn from_schedule(s: &ProjectBackupSchedule) -> Self {
        Self {
            is_system_backup: s.is_system_backup,
            description: s.description.clone().unwrap_or_default(),
            schedule: s.schedule.clone(),
            ttl: s.ttl.clone().unwrap_or_default(),
        }
    }

    pub fn validate(&self, _now: OffsetDateTime) -> Result<UpdateSchedule, Vec<FieldError>> {
        let mut errors = Vec::new();
        let schedule = normalize_cron(&self.schedule);
        let schedule = if schedule.is_empty() {
            None
        } else {
            match check_cron(&schedule) {
                Err(m) => errors.push(FieldError::new("schedule", m)),
                Ok(CronFrequency::AtMostHourly) if self.is_system_backup => {
                    errors.push(FieldError::new("schedule", SYSTEM_DAILY))
                }
                Ok(_) => {}
            }
            Some(schedule)
        };
        let ttl = match self.ttl.trim() {
            "" => None,
            t => check_ttl(&mut errors, t),
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let description = (!self.is_system_backup).then(|| self.description.trim().to_string());
        Ok(UpdateSchedule { description, schedule, ttl })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cron_rules() {
        assert_eq!(check_cron("0 3 * * *"), Ok(CronFrequency::Daily));
        assert_eq!(check_cron("15 */6 * * 1-5"), Ok(CronFrequency::AtMostHourly));
        assert_eq!(check_cron("0 * * * *"), Ok(CronFrequency::AtMostHourly));
        assert_eq!(check_cron("0 3 1,15 * *"), Ok(CronFrequency::AtMostHourly));
        for bad in ["* * * * *", "*/5 * * * *", "0,30 * * * *", "0-5 3 * * *", "60 3 * * *", "0 24 * * *", "0 3 0 * *"]
        {
            assert!(check_cron(bad).is_err(), "{bad}");
        }
        for bad in ["0 3 * *", "0 3 * * * *", "0 3 * * MON", "0 3/0 * * *", "0 5-3 * * *", "", "0 3 ** * *"] {
            assert!(check_cron(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ttl_rules() {
        assert_eq!(parse_ttl("7d"), Some(7));
        assert_eq!(parse_ttl("365d"), Some(365));
        for bad in ["6d", "366d", "30", "d", "30 d", "1w", "-7d", "0030d", "30D"] {
            assert_eq!(parse_ttl(bad), None, "{bad}");
        }
    }

    #[test]
    fn validation_paths_name_fields() {
        assert_eq!(field_of_path("pathRestore.sourcePaths.0"), "pathRestore.sourcePaths");
        assert_eq!(field_of_path("databaseRestores[1].targetDatabaseId"), "databaseRestores.targetDatabaseId");
        assert_eq!(field_of_path("databaseRestores.1.targetDatabaseId"), "databaseRestores.targetDatabaseId");
        assert_eq!(field_of_path("expirationTime"), "expirationTime");
    }
}
