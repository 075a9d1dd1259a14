//! The normalized model every provider's backups are mapped into.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::provider::Provider;
use crate::providers::Details;

/// The small set of states all providers' statuses are mapped to; the original is kept beside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Scheduled,
    Running,
    Completed,
    Failed,
    Aborted,
    Expired,
    Other,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::Scheduled,
        Status::Running,
        Status::Completed,
        Status::Failed,
        Status::Aborted,
        Status::Expired,
        Status::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Scheduled => "scheduled",
            Status::Running => "running",
            Status::Completed => "completed",
            Status::Failed => "failed",
            Status::Aborted => "aborted",
            Status::Expired => "expired",
            Status::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Status::ALL.into_iter().find(|x| x.as_str().eq_ignore_ascii_case(s))
    }

    /// Maps free-text statuses (ServerAvatar, mittwald) by their usual words.
    pub fn from_words(raw: &str) -> Self {
        let s = raw.trim().to_ascii_lowercase().replace(['_', '-'], " ");
        match s.as_str() {
            "completed" | "complete" | "success" | "successful" | "succeeded" | "done" | "finished" | "ready" => {
                Status::Completed
            }
            "failed" | "failure" | "error" | "errored" => Status::Failed,
            "aborted" | "cancelled" | "canceled" | "aborting" => Status::Aborted,
            "expired" | "deleted" => Status::Expired,
            "scheduled" | "queued" | "pending" | "requested" | "waiting" => Status::Scheduled,
            "running" | "in progress" | "processing" | "started" | "creating" | "exporting" | "uploading" => {
                Status::Running
            }
            _ => Status::Other,
        }
    }
}

/// What a backup holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contents {
    pub files: bool,
    pub database: bool,
    pub application: bool,
}

impl Contents {
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.application {
            parts.push("application");
        }
        if self.files {
            parts.push("files");
        }
        if self.database {
            parts.push("database");
        }
        if parts.is_empty() {
            "unknown".into()
        } else {
            parts.join(" + ")
        }
    }
}

/// Where a backup comes from: one organization, addon, destination or project of one connection.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Source {
    /// organization, addon, destination or project
    pub kind: String,
    pub id: String,
    /// The connection's label, as the user named it.
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Backup {
    pub provider: Provider,
    pub source: Source,
    pub id: String,
    pub name: String,
    pub status: Status,
    /// The provider's own status word, unchanged.
    pub status_raw: String,
    #[serde(with = "time::serde::rfc3339::option")]
    pub created: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub completed: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub expires: Option<OffsetDateTime>,
    pub size_bytes: Option<u64>,
    pub contents: Contents,
    /// The provider's own page or API record for this backup.
    pub link: Option<String>,
    pub details: Details,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_words() {
        assert_eq!(Status::from_words("Completed"), Status::Completed);
        assert_eq!(Status::from_words("in-progress"), Status::Running);
        assert_eq!(Status::from_words("Pending"), Status::Scheduled);
        assert_eq!(Status::from_words("something new"), Status::Other);
    }
}
