//! Backup schedules: list, create, get, update and delete, with the forms that validate into
//! their bodies. A schedule is cron in the core's one grammar, run at most hourly, and keeps its
//! backups 7 to 365 days.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::call::{call, with_json, PROJECT_SCHEDULES, SCHEDULE};
use super::forms::description_of;
use super::model::Account;
use super::P;
use crate::answer::{expect_json, expect_success};
use crate::cron::{self, Cron};
use crate::de;
use crate::error::{Error, FieldError};
use crate::http::{Method, Request, Response};
use crate::route::Route;
use crate::workspace::Act;

/// A schedule's `ttl` is "7d" to "365d".
pub const MIN_TTL_DAYS: u32 = 7;
pub const MAX_TTL_DAYS: u32 = 365;

pub(super) const LIST_SCHEDULES: Route = Route::new("list_schedules", Method::Get, PROJECT_SCHEDULES, Act::Read);
pub(super) const CREATE_SCHEDULE: Route = Route::new("create_schedule", Method::Post, PROJECT_SCHEDULES, Act::Schedule);
pub(super) const GET_SCHEDULE: Route = Route::new("get_schedule", Method::Get, SCHEDULE, Act::Read);
pub(super) const UPDATE_SCHEDULE: Route = Route::new("update_schedule", Method::Patch, SCHEDULE, Act::Schedule);
pub(super) const DELETE_SCHEDULE: Route = Route::new("delete_schedule", Method::Delete, SCHEDULE, Act::Delete);

/// `GET {base}/v2/projects/{projectId}/backup-schedules`
pub fn list_schedules_request(base: &str, account: &Account) -> Request {
    call(&LIST_SCHEDULES, base, account, &[&account.project_id], "")
}

/// `POST {base}/v2/projects/{projectId}/backup-schedules`
pub fn create_schedule_request(base: &str, account: &Account, body: &CreateSchedule) -> Request {
    with_json(call(&CREATE_SCHEDULE, base, account, &[&account.project_id], ""), body)
}

/// `GET {base}/v2/project-backup-schedules/{id}`
pub fn get_schedule_request(base: &str, account: &Account, schedule_id: &str) -> Request {
    call(&GET_SCHEDULE, base, account, &[schedule_id], "")
}

/// `PATCH {base}/v2/project-backup-schedules/{id}`
pub fn update_schedule_request(base: &str, account: &Account, schedule_id: &str, body: &UpdateSchedule) -> Request {
    with_json(call(&UPDATE_SCHEDULE, base, account, &[schedule_id], ""), body)
}

/// `DELETE {base}/v2/project-backup-schedules/{id}`
pub fn delete_schedule_request(base: &str, account: &Account, schedule_id: &str) -> Request {
    call(&DELETE_SCHEDULE, base, account, &[schedule_id], "")
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

/// How often a valid cron expression fires, as far as the rules here care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CronFrequency {
    /// One fixed minute and one fixed hour, every day.
    Daily,
    /// A fixed minute: at most hourly.
    AtMostHourly,
}

/// Checks a cron expression (core's one grammar, [`crate::cron`]) and mittwald's rule that
/// backups run at most hourly; the message is for the form.
pub fn check_cron(expression: &str) -> Result<CronFrequency, String> {
    let cron = Cron::parse(expression).map_err(|problem| match problem {
        cron::Problem::FieldCount => "A schedule has five parts: minute hour day month weekday, like 0 3 * * *.".into(),
        cron::Problem::Field { name, text, min, max } => {
            format!("The {name} part {text} is not valid; use numbers from {min} to {max}, *, ranges or steps.")
        }
    })?;
    if !cron.is_at_most_hourly() {
        return Err("Backups can run at most hourly: give one minute, like 0 * * * *.".into());
    }
    Ok(if cron.is_daily() { CronFrequency::Daily } else { CronFrequency::AtMostHourly })
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

/// Cron fields separated by single spaces, as mittwald shows them; a macro such as `@daily` is
/// sent as the five fields it stands for.
fn normalize_cron(s: &str) -> String {
    cron::expand_macro(s).map_or_else(|| s.split_whitespace().collect::<Vec<_>>().join(" "), str::to_string)
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
        for bad in ["0 3 * *", "0 3 * * * *", "0 3/0 * * *", "0 5-3 * * *", "", "0 3 ** * *", "@reboot"] {
            assert!(check_cron(bad).is_err(), "{bad}");
        }
        // The one grammar of the core: names and macros too.
        assert_eq!(check_cron("0 3 * * MON"), Ok(CronFrequency::AtMostHourly));
        assert_eq!(check_cron("@daily"), Ok(CronFrequency::Daily));
        assert_eq!(check_cron("@hourly"), Ok(CronFrequency::AtMostHourly));
        assert_eq!(normalize_cron(" @Daily "), "0 0 * * *");
        assert_eq!(normalize_cron(" 0  3 * * *"), "0 3 * * *");
    }

    #[test]
    fn ttl_rules() {
        assert_eq!(parse_ttl("7d"), Some(7));
        assert_eq!(parse_ttl("365d"), Some(365));
        for bad in ["6d", "366d", "30", "d", "30 d", "1w", "-7d", "0030d", "30D"] {
            assert_eq!(parse_ttl(bad), None, "{bad}");
        }
    }
}
