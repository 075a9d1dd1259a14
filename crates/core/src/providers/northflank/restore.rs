//! Restoring an addon backup, into its own addon or from another addon's (global) backup:
//! `POST .../backups/{id}/restore`.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::addon::{call, is_id, Addon, Data};
use super::model::Account;
use super::P;
use crate::answer::expect_json;
use crate::error::{Error, FieldError};
use crate::http::{build_query, Method, Request, Response};
use crate::route::Route;
use crate::route::Seg::{Id, Lit};
use crate::workspace::Act;

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

pub(super) const RESTORE: Route = Route::new(
    "restore_backup",
    Method::Post,
    &[Lit("v1"), Lit("projects"), Id, Lit("addons"), Id, Lit("backups"), Id, Lit("restore")],
    Act::Restore,
);

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
    call(&RESTORE, base, account, addon, &[backup_id], &query)
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
