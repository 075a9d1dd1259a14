//! Northflank's demo addon and destination backups, shaped like the list documents.

use serde_json::{json, Value};
use time::{Duration, OffsetDateTime};

use backboard_core::de::format_rfc3339;

use crate::data::{ago, hostile_or, Attempt, Rng};
pub const NF_STATUSES: &[&str] = &[
    "completed",
    "completed",
    "completed",
    "completed",
    "scheduled",
    "in-progress",
    "aborting",
    "aborted",
    "failed",
    "not-supported",
];
pub const NF_ADDON_SOURCES: &[&str] = &["snapshot", "liveInstance", "fileUpload", "externalDump", "sameAddon"];

fn nf_times(rng: &mut Rng, now: OffsetDateTime, status: &str) -> (String, String) {
    let created = ago(now, rng, 120);
    let completed = match status {
        "completed" | "aborted" | "failed" => format_rfc3339(created + Duration::seconds(rng.below(900) as i64 + 1)),
        _ => String::new(),
    };
    (format_rfc3339(created), completed)
}

/// `expiredBy` as the official client types it, a number of milliseconds; every fourth record
/// keeps the seed document's decimal string ("1729232400000.0"), so readers of both are tested.
pub fn expired_by(i: usize, millis: i64) -> Value {
    if i % 4 == 1 {
        json!(format!("{millis}.0"))
    } else {
        json!(millis)
    }
}

/// One Northflank addon backup, shaped like the addon list document; some carry the keys the
/// official client's types add (compression, destinations), which the document lacks.
pub fn addon_backup(i: usize, rng: &mut Rng, now: OffsetDateTime) -> Value {
    let status = *rng.pick(NF_STATUSES);
    let (created, completed) = nf_times(rng, now, status);
    let name = if i % 7 == 3 {
        hostile_or(rng, i, &[])
    } else {
        format!("postgres-{}-{i}", rng.pick(&["nightly", "manual", "pre-deploy"]))
    };
    let mut b = json!({
        "id": format!("backup-{i:05}-{:04x}", rng.below(0xffff)),
        "name": name,
        "status": status,
        "createdAt": created,
        "completedAt": completed,
        "config": {
            "source": {"type": rng.pick(NF_ADDON_SOURCES)},
            "size": (rng.below(5_000_000_000) + 1024).to_string(),
            "addonVersion": rng.pick(&["4.4.8", "14.9.0", "16.2.0", "7.2.4"]),
        }
    });
    match i % 6 {
        5 => {
            b["config"]["compressionType"] = json!("zstd");
            b["customDestinationId"] = json!("offsite-s3");
        }
        2 => {
            b["config"]["additionalDestinations"] =
                json!([{"destinationId": "offsite-s3", "type": "custom", "retentionTime": 30}])
        }
        _ => {}
    }
    b
}

/// One Northflank destination backup, shaped like the destination list document; as the official
/// client's types allow, some name their project and addon by id only.
pub fn destination_backup(i: usize, rng: &mut Rng, now: OffsetDateTime) -> Value {
    let status = *rng.pick(NF_STATUSES);
    let (created, completed) = nf_times(rng, now, status);
    let schedules = match rng.below(4) {
        0 => json!([{"interval": "hourly", "minute": [0, 30]}]),
        1 => json!([{"interval": "daily", "minute": [15], "hour": [2]}]),
        2 => json!([{"interval": "weekly", "minute": [30], "hour": [18], "day": [4]}]),
        _ => json!([]),
    };
    let expires = (now + Duration::days(rng.below(90) as i64 - 10)).unix_timestamp() * 1000;
    let name = if i % 7 == 3 { hostile_or(rng, i, &[]) } else { format!("offsite-{i}") };
    let (project, addon) = if i % 5 == 2 {
        (json!({"id": "demo-project"}), json!({"id": "mongo-main"}))
    } else {
        (json!({"id": "demo-project", "name": "Demo Project"}), json!({"id": "mongo-main", "name": "Mongo main"}))
    };
    json!({
        "id": format!("dest-backup-{i:05}"),
        "name": name,
        "status": status,
        "project": project,
        "addon": addon,
        "config": {
            "addonVersion": "4.4.8",
            "addonType": rng.pick(&["mongodb", "postgresql", "mysql", "redis"]),
            "source": {"type": "global"},
            "size": (rng.below(2_000_000_000) + 1).to_string(),
        },
        "schedules": schedules,
        "expiredBy": expired_by(i, expires),
        "createdAt": created,
        "completedAt": completed,
    })
}

/// A backup of a [`crate::History`], from the destination's generator or the addon's.
pub fn history_backup(destination: bool, a: &Attempt, rng: &mut Rng, now: OffsetDateTime) -> Value {
    let i = a.index;
    let mut b = if destination {
        let mut b = destination_backup(i, rng, now);
        b["expiredBy"] = expired_by(i, a.expires.unix_timestamp() * 1000);
        b
    } else {
        addon_backup(i, rng, now)
    };
    b["status"] = json!(if a.completed { "completed" } else { "failed" });
    b["createdAt"] = json!(format_rfc3339(a.created));
    b["completedAt"] = json!(format_rfc3339(a.finished));
    b
}
