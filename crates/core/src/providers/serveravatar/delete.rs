//! Deleting backups in bulk: `POST /organizations/{org}/backups/destroy {"ids": [..]}`.
//! Source: provider-api-notes.md, section "ServerAvatar".

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::model::{backup_id, call, Account};
use super::P;
use crate::answer::expect_json;
use crate::error::{Error, FieldError};
use crate::http::{Method, Request, Response};
use crate::route::Route;
use crate::route::Seg::{Id, Lit};
use crate::workspace::Act;

/// The documented success message of a delete.
pub const DELETED: &str = "Backup files successfully deleted from your cloud storage provider.";
/// The documented refusal when one of the ids is not a completed backup (nothing is deleted).
pub const NOT_COMPLETED: &str = "Backup not completed.";

/// Shortens what a person typed for quoting it back in a message.
fn quoted(s: &str) -> String {
    let mut short: String = s.chars().take(24).collect();
    if short.len() < s.len() {
        short.push('…');
    }
    format!("\"{short}\"")
}

/// Most ids one delete sends. Not a documented limit: it keeps the body far below the proxy's
/// body limit and a slip of the selection from deleting a whole account.
pub const MAX_DELETE_IDS: usize = 1000;

/// The bulk delete as the selection (or a typed list) gives it: one string per backup id.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteForm {
    pub ids: Vec<String>,
}

impl DeleteForm {
    /// A typed list such as "14, 15 16": commas and whitespace separate ids.
    pub fn from_text(text: &str) -> Self {
        Self {
            ids: text
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
        }
    }

    /// Every id must be a backup id, each once, at least one and at most [`MAX_DELETE_IDS`].
    /// Blank entries are skipped. All problems come back at once, on the `ids` field.
    pub fn validate(&self, _now: OffsetDateTime) -> Result<DeleteRequest, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut ids = Vec::new();
        let mut seen = HashSet::new();
        let mut repeated = HashSet::new();
        for raw in self.ids.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            match backup_id(raw) {
                None => errors.push(FieldError::new(
                    "ids",
                    format!("{} is not a backup id: ids are whole numbers from 1, like 14.", quoted(raw)),
                )),
                Some(id) if !seen.insert(id) => {
                    // Reported once per id, however often it repeats.
                    if repeated.insert(id) {
                        errors.push(FieldError::new("ids", format!("Backup {id} is chosen more than once.")));
                    }
                }
                Some(id) => ids.push(id),
            }
        }
        if ids.is_empty() && errors.is_empty() {
            errors.push(FieldError::new("ids", "Choose at least one backup to delete."));
        }
        if ids.len() > MAX_DELETE_IDS {
            errors.push(FieldError::new(
                "ids",
                format!("Delete at most {MAX_DELETE_IDS} backups at once ({} are chosen).", ids.len()),
            ));
        }
        if errors.is_empty() {
            Ok(DeleteRequest { body: DeleteBody { ids } })
        } else {
            Err(errors)
        }
    }
}

/// The JSON body of the delete call.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteBody {
    pub ids: Vec<u64>,
}

/// A validated delete. Only [`DeleteForm::validate`] makes one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteRequest {
    body: DeleteBody,
}

impl DeleteRequest {
    pub fn body(&self) -> &DeleteBody {
        &self.body
    }
}

/// `POST {base}/organizations/{organization}/backups/destroy` with `{"ids": [..]}`. A POST: the
/// paging engine's `send` never repeats it.
pub fn delete_request(base: &str, account: &Account, request: &DeleteRequest) -> Request {
    let body = serde_json::to_string(&request.body).unwrap_or_default();
    call(&DELETE, base, account, &[], "").json_body(body)
}

pub(super) const DELETE: Route = Route::new(
    "delete_backups",
    Method::Post,
    &[Lit("organizations"), Id, Lit("backups"), Lit("destroy")],
    Act::Delete,
);

#[derive(Deserialize)]
struct MessageBody {
    message: String,
}

/// The provider's message on success (normally [`DELETED`]); errors such as 500
/// [`NOT_COMPLETED`] or [`PERMISSION_DENIED`], or a Laravel 422, as [`Error::Http`].
pub fn parse_delete(response: &Response) -> Result<String, Error> {
    expect_json::<MessageBody>(P, response).map(|b| b.message)
}

/// The per-id messages of a Laravel 422 to a delete (`errors.ids`, `errors."ids.0"`, ...), all
/// on the form's `ids` field; other keys and malformed bodies give nothing.
pub fn delete_validation_errors(body: &[u8]) -> Vec<FieldError> {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return Vec::new();
    };
    let Some(errors) = value.get("errors").and_then(|e| e.as_object()) else {
        return Vec::new();
    };
    errors
        .iter()
        .filter(|(key, _)| {
            *key == "ids" || key.strip_prefix("ids.").is_some_and(|i| i.bytes().all(|b| b.is_ascii_digit()))
        })
        .flat_map(|(_, messages)| match messages {
            serde_json::Value::Array(list) => list.iter().filter_map(|m| m.as_str()).map(str::to_string).collect(),
            serde_json::Value::String(m) => vec![m.clone()],
            _ => Vec::new(),
        })
        .filter(|m| !m.trim().is_empty())
        .map(|m| FieldError::new("ids", m))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_input_is_shortened_in_messages_without_splitting_characters() {
        assert_eq!(quoted("abc"), "\"abc\"");
        assert_eq!(quoted(&"é".repeat(30)), format!("\"{}…\"", "é".repeat(24)));
    }
}
