//! Creating a backup or a backup plan: the form, its rules, the body and the documented
//! answers. Document: seeds/serveravatar-create-backup.txt.

use serde::{Deserialize, Serialize};
use time::{macros::format_description, OffsetDateTime, PrimitiveDateTime};

use super::model::{
    call, Account, ApplicationExtension, BackupType, DatabaseExtension, RetentionPeriod, Schedule, StorageProvider,
};
use super::P;
use crate::de::{self, parse_json};
use crate::error::{Error, FieldError};
use crate::http::{Method, Request, Response};
use crate::route::Route;
use crate::route::Seg::{Id, Lit};
use crate::workspace::Act;

/// The create form as a person fills it in: strings and flags, exactly what was typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateForm {
    pub server: String,
    pub name: String,
    pub provider: String,
    pub cloud_storage_provider_id: String,
    pub automatic_backup: bool,
    #[serde(rename = "type")]
    pub backup_type: String,
    pub application_id: String,
    pub database_id: String,
    pub schedule: String,
    pub retention_period: String,
    pub start_backup_from_now: bool,
    pub start_backup: String,
    pub application_extension: String,
    pub database_extension: String,
}

/// Which optional fields of the form apply, given its current choices (the form shows only these).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Applicable {
    pub name: bool,
    pub schedule: bool,
    pub retention_period: bool,
    pub start_backup_from_now: bool,
    pub start_backup: bool,
    pub application_extension: bool,
    pub database_extension: bool,
}

impl CreateForm {
    pub fn applicable(&self) -> Applicable {
        let t = BackupType::parse(self.backup_type.trim());
        Applicable {
            name: !self.automatic_backup,
            schedule: self.automatic_backup,
            // Optional for every provider (the document's own example sends it with wasabi);
            // required only for ServerAvatar's storage, which `validate` checks.
            retention_period: true,
            start_backup_from_now: self.automatic_backup,
            start_backup: self.automatic_backup && !self.start_backup_from_now,
            application_extension: matches!(t, BackupType::Application | BackupType::Filesystem),
            database_extension: matches!(t, BackupType::Application | BackupType::Database),
        }
    }

    /// Checks every rule of the create document; `now` decides what "in the future" means.
    pub fn validate(&self, now: OffsetDateTime) -> Result<CreateRequest, Vec<FieldError>> {
        let mut errors = Vec::new();
        let ap = self.applicable();

        let server = self.server.trim();
        if server.is_empty() {
            errors.push(FieldError::new("server", "Choose the server to back up."));
        } else if !is_id(server) {
            errors.push(FieldError::new("server", "The server id is a number, like 15."));
        }

        let provider = StorageProvider::parse(self.provider.trim());
        if self.provider.trim().is_empty() {
            errors.push(FieldError::new("provider", "Choose a cloud storage provider."));
        } else if !provider.is_known() {
            errors.push(FieldError::new(
                "provider",
                format!("Unknown storage provider; choose one of {}.", list(StorageProvider::KNOWN)),
            ));
        }

        let cloud_storage_provider_id = required_number(
            &mut errors,
            "cloud_storage_provider_id",
            &self.cloud_storage_provider_id,
            "cloud storage provider id",
        );

        let backup_type = BackupType::parse(self.backup_type.trim());
        if self.backup_type.trim().is_empty() {
            errors.push(FieldError::new("type", "Choose what to back up: filesystem, database or application."));
        } else if !backup_type.is_known() {
            errors.push(FieldError::new("type", "The type must be filesystem, database or application."));
        }

        let application_id = required_number(&mut errors, "application_id", &self.application_id, "application id");

        let database_id = match self.database_id.trim() {
            "" => None,
            s if is_id(s) => s.parse().ok(),
            _ => {
                errors.push(FieldError::new("database_id", "The database id is a number, like 4223."));
                None
            }
        };

        let name = self.name.trim();
        let name = if name.is_empty() {
            None
        } else if !ap.name {
            errors.push(FieldError::new("name", "A name can only be given to an instant backup."));
            None
        } else {
            Some(name.to_string())
        };

        let schedule = if ap.schedule {
            let s = Schedule::parse(self.schedule.trim());
            if self.schedule.trim().is_empty() {
                errors.push(FieldError::new("schedule", "A schedule is required for automatic backups."));
            } else if !s.is_known() {
                errors.push(FieldError::new(
                    "schedule",
                    format!("Invalid schedule; choose one of {}.", list(Schedule::KNOWN)),
                ));
            }
            Some(s)
        } else {
            None
        };

        let retention_period = match self.retention_period.trim() {
            "" if provider == StorageProvider::ServerAvatar => {
                errors.push(FieldError::new(
                    "retention_period",
                    "A retention period is required when storing on ServerAvatar's own storage.",
                ));
                None
            }
            "" => None,
            r => {
                let r = RetentionPeriod::parse(r);
                if !r.is_known() {
                    errors.push(FieldError::new(
                        "retention_period",
                        format!("Invalid retention period; choose one of {}.", list(RetentionPeriod::KNOWN)),
                    ));
                }
                Some(r)
            }
        };

        let start_backup_from_now = ap.start_backup_from_now.then_some(self.start_backup_from_now);
        let start_backup = if ap.start_backup {
            let s = self.start_backup.trim();
            if s.is_empty() {
                errors.push(FieldError::new("start_backup", "Give a start date and time, or start from now."));
                None
            } else {
                match parse_start(s) {
                    None => {
                        errors.push(FieldError::new(
                            "start_backup",
                            "Use the format YYYY-MM-DD HH:MM, like 2023-07-13 17:49.",
                        ));
                        None
                    }
                    Some(t) if t <= now => {
                        errors.push(FieldError::new("start_backup", "The start must be in the future."));
                        None
                    }
                    Some(t) => Some(format_start(t)),
                }
            }
        } else {
            None
        };

        let application_extension = if ap.application_extension {
            let e = ApplicationExtension::parse(self.application_extension.trim());
            if self.application_extension.trim().is_empty() {
                errors.push(FieldError::new("application_extension", "Choose the archive format: .tar or .tar.gz."));
            } else if !e.is_known() {
                errors.push(FieldError::new("application_extension", "The archive format must be .tar or .tar.gz."));
            }
            Some(e)
        } else {
            None
        };

        let database_extension = if ap.database_extension {
            let e = DatabaseExtension::parse(self.database_extension.trim());
            if self.database_extension.trim().is_empty() {
                errors.push(FieldError::new("database_extension", "Choose the dump format: .sql or .sql.gz."));
            } else if !e.is_known() {
                errors.push(FieldError::new("database_extension", "The dump format must be .sql or .sql.gz."));
            }
            Some(e)
        } else {
            None
        };

        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(CreateRequest {
            server: server.to_string(),
            body: CreateBody {
                name,
                provider,
                cloud_storage_provider_id: cloud_storage_provider_id.unwrap_or_default(),
                automatic_backup: self.automatic_backup,
                backup_type,
                application_id: application_id.unwrap_or_default(),
                database_id,
                schedule,
                retention_period,
                start_backup_from_now,
                start_backup,
                application_extension,
                database_extension,
            },
        })
    }
}

fn list<T: std::fmt::Display>(items: &[T]) -> String {
    items.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(", ")
}

fn is_id(s: &str) -> bool {
    !s.is_empty() && s.len() <= 19 && s.bytes().all(|b| b.is_ascii_digit())
}

fn required_number(errors: &mut Vec<FieldError>, field: &'static str, value: &str, what: &str) -> Option<u64> {
    let v = value.trim();
    if v.is_empty() {
        errors.push(FieldError::new(field, format!("The {what} is required.")));
        None
    } else if !is_id(v) {
        errors.push(FieldError::new(field, format!("The {what} is a number.")));
        None
    } else {
        v.parse().ok()
    }
}

/// "Y-m-d H:i", read as UTC.
pub fn parse_start(s: &str) -> Option<OffsetDateTime> {
    let fmt = format_description!("[year]-[month]-[day] [hour]:[minute]");
    PrimitiveDateTime::parse(s, fmt).ok().map(PrimitiveDateTime::assume_utc)
}

pub fn format_start(t: OffsetDateTime) -> String {
    t.format(format_description!("[year]-[month]-[day] [hour]:[minute]")).unwrap_or_default()
}

/// The JSON body of the create call, with only the fields that apply.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreateBody {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub name: Option<String>,
    pub provider: StorageProvider,
    pub cloud_storage_provider_id: u64,
    #[serde(with = "de::flag")]
    pub automatic_backup: bool,
    #[serde(rename = "type")]
    pub backup_type: BackupType,
    pub application_id: u64,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub database_id: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub schedule: Option<Schedule>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub retention_period: Option<RetentionPeriod>,
    #[serde(skip_serializing_if = "Option::is_none", default, with = "de::flag::option")]
    pub start_backup_from_now: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub start_backup: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub application_extension: Option<ApplicationExtension>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub database_extension: Option<DatabaseExtension>,
}

pub(super) const CREATE: Route = Route::new(
    "create_backup",
    Method::Post,
    &[Lit("organizations"), Id, Lit("servers"), Id, Lit("backups")],
    Act::Create,
);

/// A validated create call. Only [`CreateForm::validate`] makes one.
#[derive(Clone, Debug, PartialEq)]
pub struct CreateRequest {
    server: String,
    body: CreateBody,
}

impl CreateRequest {
    pub fn body(&self) -> &CreateBody {
        &self.body
    }

    /// `POST {base}/organizations/{organization}/servers/{server}/backups`
    pub fn to_request(&self, base: &str, account: &Account) -> Request {
        let body = serde_json::to_string(&self.body).unwrap_or_default();
        call(&CREATE, base, account, &[&self.server], "").json_body(body)
    }
}

/// The documented success answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CreateOutcome {
    /// "Backup plan created successfully." (automatic backup)
    PlanCreated(String),
    /// "Backup Process has been started successfully!" (instant backup)
    BackupStarted(String),
}

impl CreateOutcome {
    pub fn message(&self) -> &str {
        match self {
            CreateOutcome::PlanCreated(m) | CreateOutcome::BackupStarted(m) => m,
        }
    }
}

/// The documented failure answers, by their messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CreateFailure {
    OrganizationNotFound,
    ServerNotFound,
    ApplicationNotFound,
    DatabaseNotFound,
    CloudStorageProviderNotFound,
    InvalidSchedule,
    StartDateNotInFuture,
    NotEnoughDiskSpace,
    InvalidRetentionPeriod,
    ServerError,
    /// Anything else, as the provider said it.
    Other {
        status: u16,
        message: String,
    },
}

impl CreateFailure {
    pub fn from_message(status: u16, message: &str) -> Self {
        match message {
            "Organization not found!" => Self::OrganizationNotFound,
            "Server not found!" => Self::ServerNotFound,
            "Application not found!" => Self::ApplicationNotFound,
            "Database not found!" => Self::DatabaseNotFound,
            "Cloud storage Provider not found!" => Self::CloudStorageProviderNotFound,
            "Invalid schedule!" => Self::InvalidSchedule,
            "Start from choose future date!" => Self::StartDateNotInFuture,
            "Instant Backup is failed because you do not have enough disk space available on your server." => {
                Self::NotEnoughDiskSpace
            }
            "Invalid retention period!" => Self::InvalidRetentionPeriod,
            "Something went really wrong!" => Self::ServerError,
            other => Self::Other { status, message: other.to_string() },
        }
    }

    /// The form field a failure belongs to, so the form can show it there.
    pub fn field(&self) -> Option<&'static str> {
        Some(match self {
            Self::ServerNotFound => "server",
            Self::ApplicationNotFound => "application_id",
            Self::DatabaseNotFound => "database_id",
            Self::CloudStorageProviderNotFound => "cloud_storage_provider_id",
            Self::InvalidSchedule => "schedule",
            Self::StartDateNotInFuture => "start_backup",
            Self::InvalidRetentionPeriod => "retention_period",
            _ => return None,
        })
    }
}

/// The create form's fields, by the document's names (also the keys of a Laravel 422).
pub const CREATE_FIELDS: &[&str] = &[
    "server",
    "automatic_backup",
    "name",
    "type",
    "application_id",
    "database_id",
    "application_extension",
    "database_extension",
    "provider",
    "cloud_storage_provider_id",
    "retention_period",
    "schedule",
    "start_backup_from_now",
    "start_backup",
];

/// The per-field messages of a Laravel 422 (`{"message", "errors": {"field": ["..."]}}`), for
/// the fields of the create form; other keys and malformed bodies give nothing.
pub fn validation_errors(body: &[u8]) -> Vec<FieldError> {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return Vec::new();
    };
    let Some(errors) = value.get("errors").and_then(|e| e.as_object()) else {
        return Vec::new();
    };
    CREATE_FIELDS
        .iter()
        .filter_map(|field| {
            let messages: Vec<&str> = match errors.get(*field)? {
                serde_json::Value::Array(list) => list.iter().filter_map(|m| m.as_str()).collect(),
                serde_json::Value::String(m) => vec![m.as_str()],
                _ => Vec::new(),
            };
            (!messages.is_empty()).then(|| FieldError::new(field, messages.join(" ")))
        })
        .collect()
}

#[derive(Deserialize)]
struct MessageBody {
    message: String,
}

/// Reads the answer to a create call: a documented outcome, a documented failure, or an error.
pub fn parse_create(response: &Response, automatic: bool) -> Result<Result<CreateOutcome, CreateFailure>, Error> {
    if response.is_success() {
        let body: MessageBody = parse_json(P, &response.body)?;
        return Ok(Ok(match body.message.as_str() {
            "Backup plan created successfully." => CreateOutcome::PlanCreated(body.message),
            "Backup Process has been started successfully!" => CreateOutcome::BackupStarted(body.message),
            _ if automatic => CreateOutcome::PlanCreated(body.message),
            _ => CreateOutcome::BackupStarted(body.message),
        }));
    }
    match Error::from_response(P, response) {
        Error::Http { status, message, .. } if (400..600).contains(&status) && status != 429 && status < 502 => {
            Ok(Err(CreateFailure::from_message(status, &message)))
        }
        other => Err(other),
    }
}
