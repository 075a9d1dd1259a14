//! One backup: create, get (for polling), update and delete, with the forms that validate into
//! their bodies. A new backup's expiration lies 7 days to a year ahead.

use serde::{Deserialize, Serialize, Serializer};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Duration, OffsetDateTime, PrimitiveDateTime};

use super::call::{call, with_json, BACKUP, PROJECT_BACKUPS};
use super::forms::description_of;
use super::model::{Account, ProjectBackup};
use super::P;
use crate::answer::{expect_json, expect_success};
use crate::de;
use crate::error::{Error, FieldError};
use crate::http::{Method, Request, Response};
use crate::route::Route;
use crate::workspace::Act;

/// A new backup's expiration must lie 7 days to 1 year ahead (a year read as 365 days).
pub const MIN_EXPIRATION: Duration = Duration::days(7);
pub const MAX_EXPIRATION: Duration = Duration::days(365);

pub(super) const CREATE: Route = Route::new("create_backup", Method::Post, PROJECT_BACKUPS, Act::Create);
pub(super) const GET: Route = Route::new("get_backup", Method::Get, BACKUP, Act::Read);
pub(super) const UPDATE: Route = Route::new("update_backup", Method::Patch, BACKUP, Act::Retain);
pub(super) const DELETE: Route = Route::new("delete_backup", Method::Delete, BACKUP, Act::Delete);

/// `POST {base}/v2/projects/{projectId}/backups`
pub fn create_backup_request(base: &str, account: &Account, body: &CreateBackup) -> Request {
    with_json(call(&CREATE, base, account, &[&account.project_id], ""), body)
}

/// `GET {base}/v2/project-backups/{projectBackupId}`: one backup, for polling an export or restore.
pub fn get_backup_request(base: &str, account: &Account, backup_id: &str) -> Request {
    call(&GET, base, account, &[backup_id], "")
}

/// `PATCH {base}/v2/project-backups/{projectBackupId}`
pub fn update_backup_request(base: &str, account: &Account, backup_id: &str, body: &UpdateBackup) -> Request {
    with_json(call(&UPDATE, base, account, &[backup_id], ""), body)
}

/// `DELETE {base}/v2/project-backups/{projectBackupId}`; check [`check_deletable`] first.
pub fn delete_backup_request(base: &str, account: &Account, backup_id: &str) -> Request {
    call(&DELETE, base, account, &[backup_id], "")
}

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
