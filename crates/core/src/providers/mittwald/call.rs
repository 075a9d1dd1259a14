//! How every mittwald call is made: the base, the list request's authorization
//! (`Authorization: Bearer`) and a JSON body.

use serde::Serialize;

use super::model::Account;
use crate::http::{encode_component, Method, Request};

pub(super) fn url(base: &str, path: &str) -> String {
    format!("{}{path}", base.trim_end_matches('/'))
}

/// The list request's authorization, for every action.
pub(super) fn authorized(method: Method, url: String, account: &Account) -> Request {
    Request::new(method, url)
        .header("Authorization", format!("Bearer {}", account.token.expose()))
        .header("Accept", "application/json")
}

pub(super) fn with_json<T: Serialize>(request: Request, body: &T) -> Request {
    // Serializing these plain structs cannot fail; an empty object would be refused upstream.
    request.json_body(serde_json::to_string(body).unwrap_or_else(|_| "{}".into()))
}

pub(super) fn backup_path(backup_id: &str) -> String {
    format!("/v2/project-backups/{}", encode_component(backup_id))
}

pub(super) fn schedule_path(schedule_id: &str) -> String {
    format!("/v2/project-backup-schedules/{}", encode_component(schedule_id))
}
