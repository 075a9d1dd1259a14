//! Northflank addon backup actions: create, get (for polling), delete, abort, restore, download
//! link and backup schedules, as provider-api-notes.md ("Northflank API v1") describes them.
//! Every call is a project route; errors come as `{"error": {"status", "code", "message"}}`,
//! which `Error::from_response` reads.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::OffsetDateTime;

use super::{expect_json, expect_success};
use crate::de::{self, open_enum, Decimal};
use crate::error::{Error, FieldError};
use crate::http::{build_query, encode_component, Method, Request, Response};
use crate::model::Provider;
use crate::providers::northflank::{
    authorized, Account, AddonBackup, BackupSchedule, BackupStatus, DestinationBackup, Interval, Target,
};

const P: Provider = Provider::Northflank;

/// The addon whose backups an action works on. An addon connection names it; a destination
/// backup names the addon it was taken for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Addon {
    pub project_id: String,
    pub addon_id: String,
}

impl Addon {
    pub fn new(project_id: impl Into<String>, addon_id: impl Into<String>) -> Self {
        Self { project_id: project_id.into(), addon_id: addon_id.into() }
    }

    /// The addon an addon connection lists; `None` for a destination connection.
    pub fn of_account(account: &Account) -> Option<Addon> {
        match &account.target {
            Target::Addon { project_id, addon_id } => Some(Addon::new(project_id, addon_id)),
            Target::Destination { .. } => None,
        }
    }

    /// The addon a destination backup was taken for, when the answer named it.
    pub fn of_destination_backup(backup: &DestinationBackup) -> Option<Addon> {
        let (project, addon) = (&backup.project.as_ref()?.id, &backup.addon.as_ref()?.id);
        (!project.is_empty() && !addon.is_empty()).then(|| Addon::new(project, addon))
    }
}

/// `{base}/v1/projects/{projectId}/addons/{addonId}/{rest}`, each id escaped alone.
fn addon_url(base: &str, addon: &Addon, rest: &str) -> String {
    format!(
        "{}/v1/projects/{}/addons/{}/{rest}",
        base.trim_end_matches('/'),
        encode_component(&addon.project_id),
        encode_component(&addon.addon_id)
    )
}

/// `.../backups/{backupId}` and, with an action, `.../backups/{backupId}/{action}`.
fn backup_url(base: &str, addon: &Addon, backup_id: &str, action: Option<&str>) -> String {
    let mut rest = format!("backups/{}", encode_component(backup_id));
    if let Some(a) = action {
        rest.push('/');
        rest.push_str(a);
    }
    addon_url(base, addon, &rest)
}

/// Every answer of these calls wraps its result in `data`.
#[derive(Deserialize)]
struct Data<T> {
    data: T,
}

// ---------------------------------------------------------------------------------------------
// Shared form checks

/// Ids as Northflank makes them (letters, digits, `-`, `_`), at most 128 characters.
fn is_id(s: &str) -> bool {
    !s.is_empty() && s.len() <= 128 && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
}

/// Items of a list typed into one box: separated by commas and/or whitespace.
fn items(s: &str) -> Vec<&str> {
    s.split(|c: char| c == ',' || c.is_whitespace()).filter(|i| !i.is_empty()).collect()
}

fn has_duplicates<T: PartialEq>(list: &[T]) -> bool {
    list.iter().enumerate().any(|(i, a)| list[..i].contains(a))
}

/// The documented name rule: 3 to 39 characters, letters and digits separated by single `-`,
/// space or `:`. `None` when the name is fine.
pub fn name_problem(name: &str) -> Option<&'static str> {
    if !(3..=39).contains(&name.chars().count()) {
        return Some("Name must be 3 to 39 characters.");
    }
    if name.chars().any(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | ' ' | ':'))) {
        return Some("Name can use only letters a to z, digits, hyphens, spaces and colons.");
    }
    let separator = |c: char| matches!(c, '-' | ' ' | ':');
    let chars: Vec<char> = name.chars().collect();
    let doubled = chars.windows(2).any(|w| separator(w[0]) && separator(w[1]));
    if doubled || chars.first().is_some_and(|c| separator(*c)) || chars.last().is_some_and(|c| separator(*c)) {
        return Some("Name must start and end with a letter or digit, with single hyphens, spaces or colons between.");
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Create a backup

open_enum!(BackupType { Dump = "dump", Snapshot = "snapshot" });
open_enum!(CompressionType { Gz = "gz", Zstd = "zstd" });

/// The create form as a person fills it in. Every field may stay blank.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CreateForm {
    pub name: String,
    /// "dump" or "snapshot"; blank means Northflank's default, snapshot.
    pub backup_type: String,
    /// "gz" or "zstd", dump backups only.
    pub compression_type: String,
    /// Dump backups only.
    pub custom_destination_id: String,
    /// Destination ids separated by commas or spaces; snapshot backups only.
    pub additional_destinations: String,
}

/// Which fields of the create form apply to its current backup type (the form shows only these).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CreateApplicable {
    pub compression_type: bool,
    pub custom_destination_id: bool,
    pub additional_destinations: bool,
}

impl CreateForm {
    /// The backup type the provider will use: the typed one, snapshot when blank.
    fn effective_type(&self) -> BackupType {
        match self.backup_type.trim() {
            "" => BackupType::Snapshot,
            t => BackupType::parse(t),
        }
    }

    pub fn applicable(&self) -> CreateApplicable {
        let t = self.effective_type();
        CreateApplicable {
            compression_type: t == BackupType::Dump,
            custom_destination_id: t == BackupType::Dump,
            additional_destinations: t == BackupType::Snapshot,
        }
    }

    /// Checks every documented rule; all problems at once. `_now` is unused: no rule of this
    /// call depends on time, but every form of the core validates with the same signature.
    pub fn validate(&self, _now: OffsetDateTime) -> Result<CreateRequest, Vec<FieldError>> {
        let mut errors = Vec::new();
        let known_type = self.effective_type().is_known();
        let ap = self.applicable();

        let name = self.name.trim();
        let name = if name.is_empty() {
            None
        } else {
            if let Some(problem) = name_problem(name) {
                errors.push(FieldError::new("name", problem));
            }
            Some(name.to_string())
        };

        let backup_type = match self.backup_type.trim() {
            "" => None,
            t => {
                let t = BackupType::parse(t);
                if !t.is_known() {
                    errors.push(FieldError::new("backupType", "Backup type must be dump or snapshot."));
                }
                Some(t)
            }
        };

        let compression_type = match self.compression_type.trim() {
            "" => None,
            c => {
                let c = CompressionType::parse(c);
                if known_type && !ap.compression_type {
                    errors.push(FieldError::new("compressionType", "Compression applies only to dump backups."));
                } else if !c.is_known() {
                    errors.push(FieldError::new("compressionType", "Compression must be gz or zstd."));
                }
                Some(c)
            }
        };

        let custom_destination_id = match self.custom_destination_id.trim() {
            "" => None,
            d => {
                if known_type && !ap.custom_destination_id {
                    errors.push(FieldError::new(
                        "customDestinationId",
                        "A custom destination applies only to dump backups.",
                    ));
                } else if !is_id(d) {
                    errors.push(FieldError::new(
                        "customDestinationId",
                        "A destination id uses only letters, digits, hyphens and underscores.",
                    ));
                }
                Some(d.to_string())
            }
        };

        let listed = items(&self.additional_destinations);
        let additional_destinations = if listed.is_empty() {
            None
        } else {
            let field = "additionalDestinations";
            if known_type && !ap.additional_destinations {
                errors.push(FieldError::new(field, "Additional destinations apply only to snapshot backups."));
            } else if !listed.iter().all(|d| is_id(d)) {
                errors.push(FieldError::new(
                    field,
                    "Destination ids use only letters, digits, hyphens and underscores, separated by commas.",
                ));
            } else if has_duplicates(&listed) {
                errors.push(FieldError::new(field, "Each destination can be named only once."));
            }
            Some(listed.iter().map(|d| DestinationRef::custom(d)).collect())
        };

        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(CreateRequest {
            body: CreateBody { name, backup_type, compression_type, custom_destination_id, additional_destinations },
        })
    }
}

/// One more destination of a snapshot: `{destinationId, type: "custom"}`, `type` required by the
/// official client's `BackupAddonData` (its only value), `retentionTime` optional and left out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DestinationRef {
    pub destination_id: String,
    #[serde(rename = "type")]
    pub destination_type: String,
}

impl DestinationRef {
    pub fn custom(destination_id: &str) -> Self {
        Self { destination_id: destination_id.into(), destination_type: "custom".into() }
    }
}

/// The JSON body of the create call: only what the form gave (`{}` takes every default).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup_type: Option<BackupType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compression_type: Option<CompressionType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_destination_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_destinations: Option<Vec<DestinationRef>>,
}

/// A validated create call. Only [`CreateForm::validate`] makes one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateRequest {
    body: CreateBody,
}

impl CreateRequest {
    pub fn body(&self) -> &CreateBody {
        &self.body
    }
}

/// `POST {base}/v1/projects/{projectId}/addons/{addonId}/backups` with the form's body.
pub fn create_request(base: &str, account: &Account, addon: &Addon, create: &CreateRequest) -> Request {
    let body = serde_json::to_string(&create.body).unwrap_or_else(|_| "{}".into());
    authorized(Request::new(Method::Post, addon_url(base, addon, "backups")), account).json_body(body)
}

/// `{data: backup}`: the new backup, shaped as `get` answers it.
pub fn parse_create(response: &Response) -> Result<BackupDetails, Error> {
    expect_json::<Data<BackupDetails>>(P, response).map(|d| d.data)
}

// ---------------------------------------------------------------------------------------------
// Get one backup (polling)

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

/// `GET {base}/v1/projects/{projectId}/addons/{addonId}/backups/{backupId}`
pub fn get_request(base: &str, account: &Account, addon: &Addon, backup_id: &str) -> Request {
    authorized(Request::new(Method::Get, backup_url(base, addon, backup_id, None)), account)
}

pub fn parse_get(response: &Response) -> Result<BackupDetails, Error> {
    expect_json::<Data<BackupDetails>>(P, response).map(|d| d.data)
}

// ---------------------------------------------------------------------------------------------
// Delete, abort

/// `DELETE {base}/v1/projects/{projectId}/addons/{addonId}/backups/{backupId}`
pub fn delete_request(base: &str, account: &Account, addon: &Addon, backup_id: &str) -> Request {
    authorized(Request::new(Method::Delete, backup_url(base, addon, backup_id, None)), account)
}

/// `{data: {}}` on success.
pub fn parse_delete(response: &Response) -> Result<(), Error> {
    expect_success(P, response)
}

/// `POST {base}/v1/projects/{projectId}/addons/{addonId}/backups/{backupId}/abort` (no body).
pub fn abort_request(base: &str, account: &Account, addon: &Addon, backup_id: &str) -> Request {
    authorized(Request::new(Method::Post, backup_url(base, addon, backup_id, Some("abort"))), account)
}

/// `{data: {}}` on success; the backup then goes aborting, then aborted.
pub fn parse_abort(response: &Response) -> Result<(), Error> {
    expect_success(P, response)
}

// ---------------------------------------------------------------------------------------------
// Restore

/// The restore form: both blank restores the addon's own backup; both given restores a backup
/// of another addon (a global backup) into this one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RestoreForm {
    pub source_project_id: String,
    pub source_addon_id: String,
}

impl RestoreForm {
    pub fn validate(&self, _now: OffsetDateTime) -> Result<RestoreRequest, Vec<FieldError>> {
        let mut errors = Vec::new();
        let (project, addon) = (self.source_project_id.trim(), self.source_addon_id.trim());
        let fields = [("sourceProjectId", project, "project"), ("sourceAddonId", addon, "addon")];
        for (field, value, what) in fields {
            if value.is_empty() && !(project.is_empty() && addon.is_empty()) {
                errors.push(FieldError::new(
                    field,
                    format!("Give the source {what} too, or leave both source fields blank."),
                ));
            } else if !value.is_empty() && !is_id(value) {
                errors.push(FieldError::new(
                    field,
                    format!("The {what} id uses only letters, digits, hyphens and underscores."),
                ));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let source = (!project.is_empty()).then(|| Addon::new(project, addon));
        Ok(RestoreRequest { source })
    }
}

/// A validated restore call. Only [`RestoreForm::validate`] makes one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RestoreRequest {
    source: Option<Addon>,
}

impl RestoreRequest {
    /// The addon the backup belongs to, when it is not the addon restored into.
    pub fn source(&self) -> Option<&Addon> {
        self.source.as_ref()
    }
}

/// `POST {base}/v1/projects/{projectId}/addons/{addonId}/backups/{backupId}/restore
/// [?sourceProjectId=..&sourceAddonId=..]` (no body).
pub fn restore_request(
    base: &str,
    account: &Account,
    addon: &Addon,
    backup_id: &str,
    restore: &RestoreRequest,
) -> Request {
    let query = match &restore.source {
        Some(s) => build_query(&[("sourceProjectId", s.project_id.clone()), ("sourceAddonId", s.addon_id.clone())]),
        None => String::new(),
    };
    let url = format!("{}{query}", backup_url(base, addon, backup_id, Some("restore")));
    authorized(Request::new(Method::Post, url), account)
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Restore {
    pub restore_id: String,
}

/// `{data: {restoreId}}`; the backup's `lastRestore` then shows the progress.
pub fn parse_restore(response: &Response) -> Result<Restore, Error> {
    expect_json::<Data<Restore>>(P, response).map(|d| d.data)
}

// ---------------------------------------------------------------------------------------------
// Download link

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DownloadLink {
    /// A temporary http(s) URL of the backup file.
    pub download_link: String,
}

/// `GET {base}/v1/projects/{projectId}/addons/{addonId}/backups/{backupId}/download-link`
pub fn download_link_request(base: &str, account: &Account, addon: &Addon, backup_id: &str) -> Request {
    authorized(Request::new(Method::Get, backup_url(base, addon, backup_id, Some("download-link"))), account)
}

/// `{data: {downloadLink}}`. Anything but an http(s) URL is refused: the SPA offers it as a
/// link, and a `javascript:` one would run in the page.
pub fn parse_download_link(response: &Response) -> Result<DownloadLink, Error> {
    let link = expect_json::<Data<DownloadLink>>(P, response)?.data;
    if crate::proxy::origin_of(&link.download_link).is_none() {
        return Err(Error::Parse {
            provider: P,
            field: "data.downloadLink".into(),
            message: "expected an http or https URL".into(),
        });
    }
    Ok(link)
}

// ---------------------------------------------------------------------------------------------
// Backup schedules

/// The schedule form: an interval and lists of numbers typed as "0, 30", the backup type and
/// how many days its backups are kept.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ScheduleForm {
    /// "hourly", "daily" or "weekly".
    pub interval: String,
    /// Minutes 0 to 59.
    pub minute: String,
    /// Hours 0 to 23: daily and weekly only.
    pub hour: String,
    /// Days 0 (Monday) to 6 (Sunday): weekly only.
    pub day: String,
    /// "dump" or "snapshot"; blank means snapshot, as for a single backup.
    pub backup_type: String,
    /// Whole days the schedule's backups are kept.
    pub retention_time: String,
}

/// Which lists of the schedule form apply to its interval.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScheduleApplicable {
    pub hour: bool,
    pub day: bool,
}

/// Reads a typed list of whole numbers up to `max`; `Err` carries the message for people.
fn numbers(s: &str, max: u8, plural: &str, range: &str) -> Result<Vec<u8>, String> {
    let list: Vec<u8> = items(s)
        .iter()
        .map(|i| i.parse::<u8>().ok().filter(|n| *n <= max))
        .collect::<Option<_>>()
        .ok_or_else(|| format!("{plural} are whole numbers from {range}, separated by commas."))?;
    if has_duplicates(&list) {
        return Err(format!("Each of the {} can be given only once.", plural.to_lowercase()));
    }
    Ok(list)
}

impl ScheduleForm {
    pub fn applicable(&self) -> ScheduleApplicable {
        let i = Interval::parse(self.interval.trim());
        ScheduleApplicable { hour: matches!(i, Interval::Daily | Interval::Weekly), day: i == Interval::Weekly }
    }

    /// Checks the documented rules: minutes always; hours required for daily and weekly and
    /// unavailable for hourly; days required for weekly only; every value in range.
    pub fn validate(&self, _now: OffsetDateTime) -> Result<ScheduleRequest, Vec<FieldError>> {
        let mut errors = Vec::new();
        let interval = Interval::parse(self.interval.trim());
        if self.interval.trim().is_empty() {
            errors.push(FieldError::new("interval", "Choose an interval: hourly, daily or weekly."));
        } else if !interval.is_known() {
            errors.push(FieldError::new("interval", "Interval must be hourly, daily or weekly."));
        }
        let ap = self.applicable();

        let minute = match numbers(&self.minute, 59, "Minutes", "0 to 59") {
            Ok(m) if m.is_empty() => {
                errors.push(FieldError::new("minute", "Give at least one minute, from 0 to 59."));
                m
            }
            Ok(m) => m,
            Err(message) => {
                errors.push(FieldError::new("minute", message));
                Vec::new()
            }
        };

        let mut list =
            |field: &'static str, text: &str, applies: bool, max: u8, plural: &str, range: &str| match numbers(
                text, max, plural, range,
            ) {
                Ok(l) if l.is_empty() && applies => {
                    let what = if field == "hour" { "daily or weekly" } else { "weekly" };
                    errors.push(FieldError::new(
                        field,
                        format!("A {what} schedule needs at least one {field}, from {range}."),
                    ));
                    None
                }
                Ok(l) if !l.is_empty() && !applies && interval.is_known() => {
                    let only = if field == "hour" { "daily and weekly" } else { "weekly" };
                    errors.push(FieldError::new(field, format!("{plural} apply only to {only} schedules.")));
                    None
                }
                Ok(l) => (applies && !l.is_empty()).then_some(l),
                Err(message) => {
                    errors.push(FieldError::new(field, message));
                    None
                }
            };
        let hour = list("hour", &self.hour, ap.hour, 23, "Hours", "0 to 23");
        let day = list("day", &self.day, ap.day, 6, "Days", "0 (Monday) to 6 (Sunday)");

        let backup_type = match self.backup_type.trim() {
            "" => BackupType::Snapshot,
            t => BackupType::parse(t),
        };
        if !backup_type.is_known() {
            errors.push(FieldError::new("backupType", "Backup type must be dump or snapshot."));
        }
        let retention = self.retention_time.trim();
        let retention_time = match retention.parse::<u32>() {
            Ok(days) if days >= 1 && retention.bytes().all(|b| b.is_ascii_digit()) => days,
            _ => {
                let message = if retention.is_empty() {
                    "Choose how many days the backups are kept, like 7."
                } else {
                    "Keep the backups a whole number of days, like 7."
                };
                errors.push(FieldError::new("retentionTime", message));
                0
            }
        };

        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ScheduleRequest {
            body: ScheduleBody {
                scheduling: BackupSchedule { interval, minute, hour, day },
                backup_type,
                retention_time,
            },
        })
    }
}

/// The JSON body of the schedule call: `CreateAddonBackupscheduleData` of the official client,
/// whose `backupType` and `retentionTime` (days) are required. Its optional compression and
/// destinations are left to Northflank's defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleBody {
    pub scheduling: BackupSchedule,
    pub backup_type: BackupType,
    pub retention_time: u32,
}

/// A validated schedule call. Only [`ScheduleForm::validate`] makes one.
#[derive(Clone, Debug, PartialEq)]
pub struct ScheduleRequest {
    body: ScheduleBody,
}

impl ScheduleRequest {
    pub fn body(&self) -> &ScheduleBody {
        &self.body
    }
}

/// `POST {base}/v1/projects/{projectId}/addons/{addonId}/backup-schedules`
pub fn schedule_request(base: &str, account: &Account, addon: &Addon, schedule: &ScheduleRequest) -> Request {
    let body = serde_json::to_string(&schedule.body).unwrap_or_default();
    authorized(Request::new(Method::Post, addon_url(base, addon, "backup-schedules")), account).json_body(body)
}

/// `{data: {id}}` (`CreateAddonBackupscheduleResult`): the new schedule's id.
pub fn parse_schedule(response: &Response) -> Result<String, Error> {
    #[derive(Deserialize)]
    struct Created {
        id: String,
    }
    expect_json::<Data<Created>>(P, response).map(|d| d.data.id)
}
