//! mittwald's demo project backups and schedules, shaped like the list documents.

use serde_json::{json, Value};
use time::{Duration, OffsetDateTime};

use backboard_core::de::format_rfc3339;

use crate::data::{ago, hostile_or, uuid, Attempt, Rng};
pub const MW_STATUSES: &[&str] = &["Completed", "Completed", "Completed", "Pending", "Running", "Failed", "Expired"];
pub const MW_EXPORT_PHASES: &[&str] = &["Pending", "Exporting", "Failed", "Completed", "Expired"];

/// One mittwald project backup, shaped like the mittwald list document.
pub fn backup(i: usize, project_id: &str, rng: &mut Rng, now: OffsetDateTime) -> Value {
    let status = *rng.pick(MW_STATUSES);
    let requested = ago(now, rng, 150);
    let mut b = json!({
        "createdAt": format_rfc3339(requested + Duration::seconds(30)),
        // mittwald keeps some backups itself; every sixth is one, so each list shows a few.
        "deletable": !rng.chance(15) && i % 6 != 4,
        "expiresAt": format_rfc3339(requested + Duration::days(14 + rng.below(60) as i64)),
        "id": uuid(rng),
        "projectId": project_id,
        "requestedAt": format_rfc3339(requested),
        "status": status,
    });
    if !rng.chance(20) {
        b["description"] = json!(if i % 7 == 3 {
            hostile_or(rng, i, &[])
        } else {
            format!("{} {i}", rng.pick(&["Daily backup", "Before update", "Manual"]))
        });
    }
    if rng.chance(30) {
        let phase = *rng.pick(MW_EXPORT_PHASES);
        let mut e = json!({"format": rng.pick(&["tar", "zip"]), "phase": phase, "withPassword": rng.chance(30)});
        if phase == "Completed" {
            e["downloadURL"] = json!(format!("https://backup-exports.mittwald.example/{}.tar.gz", uuid(rng)));
            e["sha256Checksum"] = json!(format!(
                "{:016x}{:016x}{:016x}{:016x}",
                rng.next_u64(),
                rng.next_u64(),
                rng.next_u64(),
                rng.next_u64()
            ));
            e["expiresAt"] = json!(format_rfc3339(now + Duration::days(3)));
        }
        b["export"] = e;
    }
    if rng.chance(10) {
        b["restore"] = json!({
            "databaseRestores": [{"databaseBackupDump": "mysql_abc123.sql.gz", "targetDatabaseId": uuid(rng)}],
            "pathRestore": {"clearTargetPath": false, "determinedTargetPath": "/html", "sourcePaths": ["/html/wp-content"], "targetRestorePath": "/html"},
            "phase": rng.pick(&["running", "completed"]),
        });
    }
    if rng.chance(5) {
        b["restorePath"] = json!({"clearTargetPath": true, "determinedTargetPath": "/html", "phase": "completed", "sourcePath": "/html", "targetPath": "/html"});
    }
    if rng.chance(10) {
        b["parentId"] = json!(uuid(rng));
    }
    b
}

/// The demo project's backup schedules: mittwald's daily system schedule and one of the user's.
pub fn schedules(project_id: &str, rng: &mut Rng, now: OffsetDateTime) -> Vec<Value> {
    let created = format_rfc3339(now - Duration::days(200));
    let updated = format_rfc3339(now - Duration::days(12));
    vec![
        json!({
            "id": uuid(rng),
            "projectId": project_id,
            "isSystemBackup": true,
            "schedule": format!("{} 3 * * *", rng.below(60)),
            "ttl": "14d",
            "description": "Daily system backup",
            "createdAt": created,
            "updatedAt": created,
        }),
        json!({
            "id": uuid(rng),
            "projectId": project_id,
            "isSystemBackup": false,
            "schedule": "30 */6 * * *",
            "ttl": "30d",
            "description": "Shop every six hours",
            "createdAt": created,
            "updatedAt": updated,
        }),
    ]
}

/// A backup of a [`crate::History`]: no export or restore, the attempt's status and times.
pub fn history_backup(project_id: &str, a: &Attempt, rng: &mut Rng, now: OffsetDateTime) -> Value {
    let mut b = backup(a.index, project_id, rng, now);
    let map = b.as_object_mut().expect("a backup is an object");
    for key in ["export", "restore", "restorePath", "parentId"] {
        map.remove(key);
    }
    b["status"] = json!(if a.completed { "Completed" } else { "Failed" });
    b["requestedAt"] = json!(format_rfc3339(a.created));
    b["createdAt"] = json!(format_rfc3339(a.finished));
    b["expiresAt"] = json!(format_rfc3339(a.expires));
    b
}
