//! Exporting a backup as a downloadable archive (`POST .../export`), deleting the export, and
//! reading the finished export's link.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::call::{call, with_json};
use super::model::{Account, ExportPhase, ProjectBackup};
use super::P;
use crate::answer::expect_success;
use crate::de::open_enum;
use crate::error::{Error, FieldError};
use crate::http::{Method, Request, Response};
use crate::route::Route;
use crate::route::Seg::{Id, Lit};
use crate::workspace::Act;

open_enum!(ExportFormat { Tar = "tar", Zip = "zip" });

pub(super) const EXPORT: Route =
    Route::new("export_backup", Method::Post, &[Lit("v2"), Lit("project-backups"), Id, Lit("export")], Act::Export);
pub(super) const DELETE_EXPORT: Route =
    Route::new("delete_export", Method::Delete, &[Lit("v2"), Lit("project-backups"), Id, Lit("export")], Act::Delete);

/// `POST {base}/v2/project-backups/{id}/export`
pub fn export_backup_request(base: &str, account: &Account, backup_id: &str, body: &ExportBackup) -> Request {
    with_json(call(&EXPORT, base, account, &[backup_id], ""), body)
}

/// `DELETE {base}/v2/project-backups/{id}/export`
pub fn delete_export_request(base: &str, account: &Account, backup_id: &str) -> Request {
    call(&DELETE_EXPORT, base, account, &[backup_id], "")
}

/// 204; the export then runs: poll [`get_backup_request`] until [`export_download`] gives a URL.
pub fn parse_export_backup(response: &Response) -> Result<(), Error> {
    expect_success(P, response)
}

/// 204.
pub fn parse_delete_export(response: &Response) -> Result<(), Error> {
    expect_success(P, response)
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
