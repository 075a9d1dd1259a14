//! ServerAvatar's demo organization and its backups, shaped like the list document.

use serde_json::{json, Value};
use time::{Duration, OffsetDateTime};

use backboard_core::de::laravel_time;

use crate::data::{ago, hash, hostile_or, round2, Attempt, Rng};
const APP_NAMES: &[&str] = &["ServerAvatar", "shop", "blog", "crm", "wiki", "api-gateway", "landing", "intranet"];
const DB_NAMES: &[&str] = &["ServeravatarDb", "shop_prod", "wordpress", "crm_main", "wiki_db", "analytics"];

pub struct SaIds {
    pub organization: u64,
    pub servers: &'static [u64],
    pub applications: &'static [(u64, u64, &'static str)],
    pub databases: &'static [(u64, u64, &'static str)],
    pub storage: &'static [(u64, &'static str)],
}

pub const SA: SaIds = SaIds {
    organization: 5,
    servers: &[15, 36],
    applications: &[(4246, 42, "shop"), (92, 42, "ServerAvatar"), (4300, 43, "blog")],
    databases: &[(4223, 15, "shop_prod"), (51, 36, "ServeravatarDb"), (4301, 36, "wordpress")],
    storage: &[(10, "wasabi"), (1, "gdrive"), (3, "serveravatar"), (7, "amazon_s3"), (8, "dropbox"), (9, "custom_s3")],
};

pub const SA_STATUSES: &[&str] =
    &["Completed", "Completed", "Completed", "Completed", "Failed", "Processing", "Pending"];

/// A member of the demo organization whose role may look but not act: every action answers
/// ServerAvatar's permission error.
pub const SA_READONLY_TOKEN: &str = "sa-readonly-token";

/// Servers of the demo organization that were deleted, with backups left in the archive:
/// (id, name, ip, deleted this many days ago).
pub const SA_DELETED_SERVERS: &[(u64, &str, &str, i64)] =
    &[(21, "old-web-01", "203.0.113.21", 40), (22, "staging-db", "198.51.100.22", 12)];
/// Archived backups in all (types in turn, so each archive view has more than one page).
pub const SA_ARCHIVED: usize = 36;
/// Ids of archived backups start here, far from the list's ids.
pub const SA_ARCHIVED_FIRST_ID: u64 = 900_000;

/// One ServerAvatar backup record, shaped exactly like the list document's example.
pub fn backup(id: u64, org: u64, i: usize, rng: &mut Rng, now: OffsetDateTime) -> Value {
    backup_of(id, org, i, rng, now, None)
}

/// An archived backup of a deleted server: completed before the server was deleted (two of the
/// first server's failed), of the type `i` gives in turn (application, filesystem, database).
pub fn archived_backup(i: usize, rng: &mut Rng, now: OffsetDateTime) -> Value {
    let (server, _, _, days) = SA_DELETED_SERVERS[i % SA_DELETED_SERVERS.len()];
    let deleted = now - Duration::days(days);
    let id = SA_ARCHIVED_FIRST_ID + i as u64;
    let mut b = backup_of(id, SA.organization, i, rng, deleted, Some((i % 3) as u64));
    let status = if i % 18 == 8 { "Failed" } else { "Completed" };
    let has_app = !b["application_id"].is_null();
    let has_db = !b["database_id"].is_null();
    let created = laravel_time::parse(b["created_at"].as_str().unwrap_or_default()).unwrap_or(deleted);
    b["status"] = json!(status);
    b["server_id"] = json!(server);
    b["updated_at"] = json!(laravel_time::format(created + Duration::seconds(90)));
    b["application_available_in_cloudstorage"] = json!(u8::from(has_app && status == "Completed"));
    b["database_available_in_cloudstorage"] = json!(u8::from(has_db && status == "Completed"));
    if has_db {
        b["database"]["server_id"] = json!(server);
    }
    b
}

/// `kind` forces the type (0 application, 1 filesystem, 2 database) after the same draws, so
/// records without it are drawn exactly as with `None`.
fn backup_of(id: u64, org: u64, i: usize, rng: &mut Rng, now: OffsetDateTime, kind: Option<u64>) -> Value {
    let (app_id, sys_user, _) = *rng.pick(SA.applications);
    let (db_id, db_server, _) = *rng.pick(SA.databases);
    let (storage_id, provider) = *rng.pick(SA.storage);
    let drawn = rng.below(3); // 0 application, 1 filesystem, 2 database
    let kind = kind.unwrap_or(drawn);
    let has_app = kind != 2;
    let has_db = kind != 1;
    let app_size = if has_app { (rng.below(500_000) as f64) / 100.0 } else { 0.0 };
    let db_size = if has_db { (rng.below(20_000) as f64) / 100.0 } else { 0.0 };
    let created = ago(now, rng, 180);
    let status = *rng.pick(SA_STATUSES);
    let updated =
        if status == "Completed" { created + Duration::seconds(rng.below(3600) as i64 + 20) } else { created };
    let config_id = 10 + rng.below(5);
    let config_name = if rng.chance(50) {
        Value::String(hostile_or(rng, i, &["Nightly", "Hourly shop", "Weekly full"]))
    } else {
        Value::Null
    };
    json!({
        "id": id,
        "backup_config_id": config_id,
        "organization_id": org,
        "server_id": if rng.chance(20) { Value::Null } else { json!(db_server) },
        "cloud_storage_provider_id": storage_id,
        "application_id": if has_app { json!(app_id) } else { Value::Null },
        "database_id": if has_db { json!(db_id) } else { Value::Null },
        "backup_hash": hash(rng),
        "application_extension": if has_app { json!(".tar.gz") } else { Value::Null },
        "database_extension": if has_db { json!(".sql.gz") } else { Value::Null },
        "price": 0,
        "application_size": round2(app_size),
        "database_size": round2(db_size),
        "total_application_size": round2(app_size * 4.5),
        "total_database_size": round2(db_size * 3.0),
        "status": status,
        "application_file_id": Value::Null,
        "database_file_id": Value::Null,
        "application_available_in_cloudstorage": u8::from(has_app && status == "Completed"),
        "database_available_in_cloudstorage": u8::from(has_db && status == "Completed"),
        "expires_at": laravel_time::format(created + Duration::days(7 + rng.below(60) as i64)),
        "created_at": laravel_time::format(created),
        "updated_at": laravel_time::format(updated),
        "deleted_at": Value::Null,
        "provider": provider,
        "totalSize": round2(app_size + db_size),
        "database": if has_db { json!({"id": db_id, "server_id": db_server, "name": hostile_or(rng, i + 1, DB_NAMES)}) } else { Value::Null },
        "application": if has_app { json!({"id": app_id, "system_user_id": sys_user, "name": hostile_or(rng, i, APP_NAMES)}) } else { Value::Null },
        "backup_configuration": {"id": config_id, "name": config_name},
    })
}

/// A backup of a [`crate::History`]: the attempt's status, times and cloud-storage flags.
pub fn history_backup(a: &Attempt, rng: &mut Rng, now: OffsetDateTime) -> Value {
    let (created, ok) = (a.created, a.completed);
    let mut b = backup(14 + a.index as u64, SA.organization, a.index, rng, now);
    let (has_app, has_db) = (!b["application_id"].is_null(), !b["database_id"].is_null());
    b["status"] = json!(if ok { "Completed" } else { "Failed" });
    b["created_at"] = json!(laravel_time::format(created));
    b["updated_at"] = json!(laravel_time::format(if ok { a.finished } else { created }));
    b["expires_at"] = json!(laravel_time::format(a.expires));
    b["application_available_in_cloudstorage"] = json!(u8::from(has_app && ok));
    b["database_available_in_cloudstorage"] = json!(u8::from(has_db && ok));
    b
}
