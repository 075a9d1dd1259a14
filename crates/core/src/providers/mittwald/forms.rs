//! What the forms share: mittwald's per-field validation messages mapped onto the forms' fields,
//! and the optional description.

use serde::Deserialize;

use crate::error::FieldError;

/// mittwald's per-field validation messages (`{"type": "ValidationError", "validationErrors":
/// [{"message", "path", "type"}]}`) on the fields of this module's forms, so a refused form shows
/// the provider's words where they belong. Paths of other fields are left to the overall message.
pub fn validation_errors(body: &[u8]) -> Vec<FieldError> {
    #[derive(Deserialize)]
    struct Item {
        #[serde(default)]
        message: Option<String>,
        #[serde(default)]
        path: Option<String>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Body {
        #[serde(default)]
        validation_errors: Vec<Item>,
    }
    let Ok(body) = serde_json::from_slice::<Body>(body) else {
        return Vec::new();
    };
    body.validation_errors
        .into_iter()
        .filter_map(|item| {
            let path = item.path?;
            let field = FIELDS.iter().find(|f| **f == field_of_path(&path))?;
            let message = item.message.filter(|m| !m.trim().is_empty())?;
            Some(FieldError::new(field, message))
        })
        .collect()
}

/// The body keys the forms of this module report on.
pub const FIELDS: &[&str] = &[
    "description",
    "expirationTime",
    "format",
    "password",
    "databaseRestores",
    "databaseRestores.databaseBackupDump",
    "databaseRestores.targetDatabaseId",
    "pathRestore.sourcePaths",
    "pathRestore.targetRestorePath",
    "schedule",
    "ttl",
];

/// `pathRestore.sourcePaths.0` and `databaseRestores[1].targetDatabaseId` name the fields
/// `pathRestore.sourcePaths` and `databaseRestores.targetDatabaseId`.
fn field_of_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for part in path.split('.') {
        // Array indices, written `.0` or `[0]`, are not part of the field's name.
        let part = part.split('[').next().unwrap_or("");
        if part.is_empty() || part.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        if !out.is_empty() {
            out.push('.');
        }
        out.push_str(part);
    }
    out
}

pub(super) fn description_of(typed: &str) -> Option<String> {
    let d = typed.trim();
    (!d.is_empty()).then(|| d.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_paths_name_fields() {
        assert_eq!(field_of_path("pathRestore.sourcePaths.0"), "pathRestore.sourcePaths");
        assert_eq!(field_of_path("databaseRestores[1].targetDatabaseId"), "databaseRestores.targetDatabaseId");
        assert_eq!(field_of_path("databaseRestores.1.targetDatabaseId"), "databaseRestores.targetDatabaseId");
        assert_eq!(field_of_path("expirationTime"), "expirationTime");
    }
}
