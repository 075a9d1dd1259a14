//! How every mittwald call is made: a route under the base, the list request's authorization
//! (`x-access-token`) and a JSON body; and the paths the routes share.

use serde::Serialize;

use super::model::Account;
use crate::http::Request;
use crate::route::Route;
use crate::route::Seg::{self, Id, Lit};

/// `v2/projects/{projectId}/backups`
pub(super) const PROJECT_BACKUPS: &[Seg] = &[Lit("v2"), Lit("projects"), Id, Lit("backups")];
/// `v2/project-backups/{projectBackupId}`
pub(super) const BACKUP: &[Seg] = &[Lit("v2"), Lit("project-backups"), Id];
/// `v2/projects/{projectId}/backup-schedules`
pub(super) const PROJECT_SCHEDULES: &[Seg] = &[Lit("v2"), Lit("projects"), Id, Lit("backup-schedules")];
/// `v2/project-backup-schedules/{id}`
pub(super) const SCHEDULE: &[Seg] = &[Lit("v2"), Lit("project-backup-schedules"), Id];

/// A call to `route` with its ids (and `query`: `""` or `?a=b`), authorized like the list.
pub(super) fn call(route: &Route, base: &str, account: &Account, ids: &[&str], query: &str) -> Request {
    route
        .request_with_query(base, ids, query)
        .header("x-access-token", account.token.expose())
        .header("Accept", "application/json")
}

pub(super) fn with_json<T: Serialize>(request: Request, body: &T) -> Request {
    // Serializing these plain structs cannot fail; an empty object would be refused upstream.
    request.json_body(serde_json::to_string(body).unwrap_or_else(|_| "{}".into()))
}
