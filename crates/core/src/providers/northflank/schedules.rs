//! Backup schedules: the schedule object Northflank lists with destination backups and takes
//! when one is created (`POST /v1/projects/{p}/addons/{a}/backup-schedules`), in words and as
//! cron, and the form that validates into it.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::addon::{call, has_duplicates, items, Addon, Data};
use super::create::BackupType;
use super::model::{Account, Interval};
use super::P;
use crate::answer::expect_json;
use crate::cron::{self, Cron};
use crate::error::{Error, FieldError};
use crate::http::{Method, Request, Response};
use crate::route::Route;
use crate::route::Seg::{Id, Lit};
use crate::workspace::Act;

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
    /// The schedule as cron. Invalid objects (no minutes, a daily schedule without hours, an
    /// unknown interval) are None.
    pub fn cron(&self) -> Option<Cron> {
        match &self.interval {
            Interval::Hourly => Cron::at(&self.minute, None, None),
            Interval::Daily => Cron::at(&self.minute, Some(self.hour.as_deref()?), None),
            Interval::Weekly => {
                // Northflank's 0 is Monday; cron's 0 is Sunday.
                let days: Vec<u8> = self.day.as_deref()?.iter().filter(|d| **d <= 6).map(|d| (d + 1) % 7).collect();
                Cron::at(&self.minute, Some(self.hour.as_deref()?), Some(&days))
            }
            Interval::Other(_) => None,
        }
    }

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

/// The longest gap between runs of all these schedules together; invalid schedule objects are
/// skipped. None when none is valid.
pub fn schedules_interval(schedules: &[BackupSchedule]) -> Option<u64> {
    let specs: Vec<Cron> = schedules.iter().filter_map(BackupSchedule::cron).collect();
    cron::longest_gap(&specs)
}

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

pub(super) const CREATE_SCHEDULE: Route = Route::new(
    "create_schedule",
    Method::Post,
    &[Lit("v1"), Lit("projects"), Id, Lit("addons"), Id, Lit("backup-schedules")],
    Act::Schedule,
);

/// `POST {base}/v1/projects/{projectId}/addons/{addonId}/backup-schedules`
pub fn schedule_request(base: &str, account: &Account, addon: &Addon, schedule: &ScheduleRequest) -> Request {
    let body = serde_json::to_string(&schedule.body).unwrap_or_default();
    call(&CREATE_SCHEDULE, base, account, addon, &[], "").json_body(body)
}

/// `{data: {id}}` (`CreateAddonBackupscheduleResult`): the new schedule's id.
pub fn parse_schedule(response: &Response) -> Result<String, Error> {
    #[derive(Deserialize)]
    struct Created {
        id: String,
    }
    expect_json::<Data<Created>>(P, response).map(|d| d.data.id)
}
