//! Deterministic demo data: the same seed and clock give the same backups, every run.

use serde_json::{json, Value};
use time::{Duration, OffsetDateTime};

use backboard_core::de::{format_rfc3339, laravel_time};

/// splitmix64: small, fast and identical on every platform.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// Names that must always be shown literally by a UI: markup, right-to-left text, emoji, length.
pub const HOSTILE: &[&str] = &[
    "<script>alert('xss')</script>",
    "<img src=x onerror=alert(1)>",
    "\"><svg onload=alert(1)>",
    "نسخة احتياطية للموقع",
    "\u{202E}gnp.exe",
    "🚀 release-day 💾 backup",
    "Robert'); DROP TABLE backups;--",
    "a-very-long-name-that-keeps-going-and-going-because-people-name-things-like-this-when-they-automate-backups-from-scripts-with-timestamps-2025-02-11T11-12-22Z-and-hostnames-like-web-01.eu-central.example.internal",
];

const APP_NAMES: &[&str] = &["ServerAvatar", "shop", "blog", "crm", "wiki", "api-gateway", "landing", "intranet"];
const DB_NAMES: &[&str] = &["ServeravatarDb", "shop_prod", "wordpress", "crm_main", "wiki_db", "analytics"];

pub fn hostile_or<'a>(rng: &mut Rng, i: usize, fallback: &'a [&'a str]) -> String {
    // Every 7th record carries a hostile name, so every page of a list exercises escaping.
    if i % 7 == 3 {
        HOSTILE[(i / 7) % HOSTILE.len()].to_string()
    } else {
        rng.pick(fallback).to_string()
    }
}

pub fn ago(now: OffsetDateTime, rng: &mut Rng, max_days: i64) -> OffsetDateTime {
    now - Duration::minutes(rng.below((max_days * 24 * 60) as u64) as i64 + 5)
}

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

/// One ServerAvatar backup record, shaped exactly like the list document's example.
pub fn serveravatar_backup(id: u64, org: u64, i: usize, rng: &mut Rng, now: OffsetDateTime) -> Value {
    let (app_id, sys_user, _) = *rng.pick(SA.applications);
    let (db_id, db_server, _) = *rng.pick(SA.databases);
    let (storage_id, provider) = *rng.pick(SA.storage);
    let kind = rng.below(3); // 0 application, 1 filesystem, 2 database
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

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn hash(rng: &mut Rng) -> String {
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    (0..32).map(|_| CHARS[rng.below(CHARS.len() as u64) as usize] as char).collect()
}

pub fn uuid(rng: &mut Rng) -> String {
    let a = rng.next_u64();
    let b = rng.next_u64();
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        0x8000 | (b >> 48 & 0x3fff),
        b & 0xffff_ffff_ffff
    )
}

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

/// One Northflank addon backup, shaped like the addon list document.
pub fn northflank_addon_backup(i: usize, rng: &mut Rng, now: OffsetDateTime) -> Value {
    let status = *rng.pick(NF_STATUSES);
    let (created, completed) = nf_times(rng, now, status);
    let name = if i % 7 == 3 {
        hostile_or(rng, i, &[])
    } else {
        format!("postgres-{}-{i}", rng.pick(&["nightly", "manual", "pre-deploy"]))
    };
    json!({
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
    })
}

/// One Northflank destination backup, shaped like the destination list document.
pub fn northflank_destination_backup(i: usize, rng: &mut Rng, now: OffsetDateTime) -> Value {
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
    json!({
        "id": format!("dest-backup-{i:05}"),
        "name": name,
        "status": status,
        "project": {"id": "demo-project", "name": "Demo Project"},
        "addon": {"id": "mongo-main", "name": "Mongo main"},
        "config": {
            "addonVersion": "4.4.8",
            "addonType": rng.pick(&["mongodb", "postgresql", "mysql", "redis"]),
            "source": {"type": "global"},
            "size": (rng.below(2_000_000_000) + 1).to_string(),
        },
        "schedules": schedules,
        "expiredBy": format!("{expires}.0"),
        "createdAt": created,
        "completedAt": completed,
    })
}

pub const MW_STATUSES: &[&str] = &["Completed", "Completed", "Completed", "Pending", "Running", "Failed", "Expired"];
pub const MW_EXPORT_PHASES: &[&str] = &["Pending", "Exporting", "Failed", "Completed", "Expired"];

/// One mittwald project backup, shaped like the mittwald list document.
pub fn mittwald_backup(i: usize, project_id: &str, rng: &mut Rng, now: OffsetDateTime) -> Value {
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
pub fn mittwald_schedules(project_id: &str, rng: &mut Rng, now: OffsetDateTime) -> Vec<Value> {
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
