//! Creating an addon backup: `POST /v1/projects/{p}/addons/{a}/backups`.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::addon::{call, has_duplicates, is_id, items, Addon, Data, BACKUPS};
use super::backup::BackupDetails;
use super::model::Account;
use super::P;
use crate::answer::expect_json;
use crate::de::open_enum;
use crate::error::{Error, FieldError};
use crate::http::{Method, Request, Response};
use crate::route::Route;
use crate::workspace::Act;

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

pub(super) const CREATE: Route = Route::new("create_backup", Method::Post, BACKUPS, Act::Create);

/// `POST {base}/v1/projects/{projectId}/addons/{addonId}/backups` with the form's body.
pub fn create_request(base: &str, account: &Account, addon: &Addon, create: &CreateRequest) -> Request {
    let body = serde_json::to_string(&create.body).unwrap_or_else(|_| "{}".into());
    call(&CREATE, base, account, addon, &[], "").json_body(body)
}

/// `{data: backup}`: the new backup, shaped as `get` answers it.
pub fn parse_create(response: &Response) -> Result<BackupDetails, Error> {
    expect_json::<Data<BackupDetails>>(P, response).map(|d| d.data)
}
