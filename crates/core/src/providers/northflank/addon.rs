//! The addon every backup action works on, the URLs under it, and the checks its forms share.
//! Every call is a project route; errors come as `{"error": {"status", "code", "message"}}`,
//! which `Error::from_response` reads.

use serde::{Deserialize, Serialize};

use super::model::{authorized, Account, DestinationBackup, Target};
use crate::http::Request;
use crate::route::Route;
use crate::route::Seg::{self, Id, Lit};

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

/// `v1/projects/{projectId}/addons/{addonId}/backups`: the addon's backups.
pub(super) const BACKUPS: &[Seg] = &[Lit("v1"), Lit("projects"), Id, Lit("addons"), Id, Lit("backups")];
/// `.../backups/{backupId}`: one of them.
pub(super) const BACKUP: &[Seg] = &[Lit("v1"), Lit("projects"), Id, Lit("addons"), Id, Lit("backups"), Id];

/// A call to one of the addon's routes: its project and addon fill the first ids, then `ids`;
/// `query` is `""` or `?a=b`.
pub(super) fn call(route: &Route, base: &str, account: &Account, addon: &Addon, ids: &[&str], query: &str) -> Request {
    let ids: Vec<&str> =
        [addon.project_id.as_str(), addon.addon_id.as_str()].into_iter().chain(ids.iter().copied()).collect();
    authorized(route.request_with_query(base, &ids, query), account)
}

/// Every answer of these calls wraps its result in `data`.
#[derive(Deserialize)]
pub(super) struct Data<T> {
    pub data: T,
}

/// Ids as Northflank makes them (letters, digits, `-`, `_`), at most 128 characters.
pub(super) fn is_id(s: &str) -> bool {
    !s.is_empty() && s.len() <= 128 && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
}

/// Items of a list typed into one box: separated by commas and/or whitespace.
pub(super) fn items(s: &str) -> Vec<&str> {
    s.split(|c: char| c == ',' || c.is_whitespace()).filter(|i| !i.is_empty()).collect()
}

pub(super) fn has_duplicates<T: PartialEq>(list: &[T]) -> bool {
    list.iter().enumerate().any(|(i, a)| list[..i].contains(a))
}
