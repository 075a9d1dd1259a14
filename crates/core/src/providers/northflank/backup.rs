//! One addon backup: reading it while it runs (`GET .../backups/{id}`), deleting it and
//! aborting it.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::OffsetDateTime;

use super::addon::{call, Addon, Data, BACKUP};
use super::model::{Account, AddonBackup, BackupStatus};
use super::P;
use crate::answer::{expect_json, expect_success};
use crate::de::{self, Decimal};
use crate::error::Error;
use crate::http::{Method, Request, Response};
use crate::route::Route;
use crate::route::Seg::{Id, Lit};
use crate::workspace::Act;

/// One backup as `GET .../backups/{backupId}` answers: the listed fields plus the last restore.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupDetails {
    #[serde(flatten)]
    pub backup: AddonBackup,
    #[serde(default)]
    pub last_restore: Option<LastRestore>,
}

impl BackupDetails {
    /// Nothing more will change by itself: stop polling.
    pub fn is_settled(&self) -> bool {
        is_settled(&self.backup.status) && self.last_restore.as_ref().is_none_or(|r| is_settled(&r.status))
    }
}

/// A status no further phase follows (unknown statuses count as settled: polling them forever
/// would be worse than showing them).
pub fn is_settled(status: &BackupStatus) -> bool {
    !matches!(status, BackupStatus::Scheduled | BackupStatus::InProgress | BackupStatus::Aborting)
}

/// The latest restore of a backup. Its statuses are not documented apart from the backup's;
/// they share the open enum (in-progress, completed, failed ...).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LastRestore {
    #[serde(default, with = "time_or_millis")]
    pub restore_timestamp: Option<OffsetDateTime>,
    pub status: BackupStatus,
    #[serde(default, with = "de::rfc3339_time::option")]
    pub completed_at: Option<OffsetDateTime>,
}

/// `restoreTimestamp`'s encoding is not documented: an RFC 3339 string (like every other date
/// of this API) or epoch milliseconds (like `expiredBy`), as a number or a decimal string.
mod time_or_millis {
    use super::*;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<OffsetDateTime>, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            S(String),
            N(f64),
        }
        let unreadable = |what: String| serde::de::Error::custom(format!("expected a date-time, got {what}"));
        match Option::<Raw>::deserialize(d)? {
            None => Ok(None),
            Some(Raw::S(s)) if s.is_empty() => Ok(None),
            Some(Raw::S(s)) => de::rfc3339(&s)
                .or_else(|| s.trim().parse::<f64>().ok().and_then(|n| Decimal(n).as_epoch_millis()))
                .map(Some)
                .ok_or_else(|| unreadable(format!("{s:?}"))),
            Some(Raw::N(n)) => Decimal(n).as_epoch_millis().map(Some).ok_or_else(|| unreadable(n.to_string())),
        }
    }

    pub fn serialize<S: Serializer>(v: &Option<OffsetDateTime>, s: S) -> Result<S::Ok, S::Error> {
        de::rfc3339_time::option::serialize(v, s)
    }
}

pub(super) const GET: Route = Route::new("get_backup", Method::Get, BACKUP, Act::Read);

/// `GET {base}/v1/projects/{projectId}/addons/{addonId}/backups/{backupId}`
pub fn get_request(base: &str, account: &Account, addon: &Addon, backup_id: &str) -> Request {
    call(&GET, base, account, addon, &[backup_id], "")
}

pub fn parse_get(response: &Response) -> Result<BackupDetails, Error> {
    expect_json::<Data<BackupDetails>>(P, response).map(|d| d.data)
}

pub(super) const DELETE: Route = Route::new("delete_backup", Method::Delete, BACKUP, Act::Delete);

/// `DELETE {base}/v1/projects/{projectId}/addons/{addonId}/backups/{backupId}`
pub fn delete_request(base: &str, account: &Account, addon: &Addon, backup_id: &str) -> Request {
    call(&DELETE, base, account, addon, &[backup_id], "")
}

/// `{data: {}}` on success.
pub fn parse_delete(response: &Response) -> Result<(), Error> {
    expect_success(P, response)
}

pub(super) const ABORT: Route = Route::new(
    "abort_backup",
    Method::Post,
    &[Lit("v1"), Lit("projects"), Id, Lit("addons"), Id, Lit("backups"), Id, Lit("abort")],
    Act::Abort,
);

/// `POST {base}/v1/projects/{projectId}/addons/{addonId}/backups/{backupId}/abort` (no body).
pub fn abort_request(base: &str, account: &Account, addon: &Addon, backup_id: &str) -> Request {
    call(&ABORT, base, account, addon, &[backup_id], "")
}

/// `{data: {}}` on success; the backup then goes aborting, then aborted.
pub fn parse_abort(response: &Response) -> Result<(), Error> {
    expect_success(P, response)
}
