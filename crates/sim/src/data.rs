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
pub fn serveravatar_backup(id: u64, org: u64, i: usize, rng: &mut Rng, now: OffsetDateTime) -> Value {
    serveravatar_backup_of(id, org, i, rng, now, None)
}

/// An archived backup of a deleted server: completed before the server was deleted (two of the
/// first server's failed), of the type `i` gives in turn (application, filesystem, database).
pub fn serveravatar_archived_backup(i: usize, rng: &mut Rng, now: OffsetDateTime) -> Value {
    let (server, _, _, days) = SA_DELETED_SERVERS[i % SA_DELETED_SERVERS.len()];
    let deleted = now - Duration::days(days);
    let id = SA_ARCHIVED_FIRST_ID + i as u64;
    let mut b = serveravatar_backup_of(id, SA.organization, i, rng, deleted, Some((i % 3) as u64));
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
/// records without it stay exactly as before.
fn serveravatar_backup_of(id: u64, org: u64, i: usize, rng: &mut Rng, now: OffsetDateTime, kind: Option<u64>) -> Value {
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

/// `expiredBy` as the official client types it, a number of milliseconds; every fourth record
/// keeps the seed document's decimal string ("1729232400000.0"), so readers of both are tested.
pub fn northflank_expired_by(i: usize, millis: i64) -> Value {
    if i % 4 == 1 {
        json!(format!("{millis}.0"))
    } else {
        json!(millis)
    }
}

/// One Northflank addon backup, shaped like the addon list document; some carry the keys the
/// official client's types add (compression, destinations), which the document lacks.
pub fn northflank_addon_backup(i: usize, rng: &mut Rng, now: OffsetDateTime) -> Value {
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
        "expiredBy": northflank_expired_by(i, expires),
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

/// The records of a [`crate::History`]: drawn by the usual generator from their own random
/// stream (the other sources' data stays as it was), then given the history's status and times.
/// `provider` is one of the [`crate::Histories`] field names.
pub fn history(provider: &str, h: &crate::History, seed: u64, now: OffsetDateTime) -> Vec<Value> {
    let mut rng = Rng::new(seed ^ 0x41_574f_5259);
    let expires = now + Duration::days(60);
    h.attempts(now)
        .into_iter()
        .enumerate()
        .map(|(i, (finished, ok))| {
            // The history's times are when each attempt ended; each started 90 s before.
            let created = finished - Duration::seconds(90);
            match provider {
                "serveravatar" => {
                    let mut b = serveravatar_backup(14 + i as u64, SA.organization, i, &mut rng, now);
                    let (has_app, has_db) = (!b["application_id"].is_null(), !b["database_id"].is_null());
                    b["status"] = json!(if ok { "Completed" } else { "Failed" });
                    b["created_at"] = json!(laravel_time::format(created));
                    b["updated_at"] = json!(laravel_time::format(if ok { finished } else { created }));
                    b["expires_at"] = json!(laravel_time::format(expires));
                    b["application_available_in_cloudstorage"] = json!(u8::from(has_app && ok));
                    b["database_available_in_cloudstorage"] = json!(u8::from(has_db && ok));
                    b
                }
                "mittwald" => {
                    let mut b = mittwald_backup(i, crate::DEMO_MW_PROJECT, &mut rng, now);
                    let map = b.as_object_mut().expect("a mittwald backup is an object");
                    for key in ["export", "restore", "restorePath", "parentId"] {
                        map.remove(key);
                    }
                    b["status"] = json!(if ok { "Completed" } else { "Failed" });
                    b["requestedAt"] = json!(format_rfc3339(created));
                    b["createdAt"] = json!(format_rfc3339(finished));
                    b["expiresAt"] = json!(format_rfc3339(expires));
                    b
                }
                destination_or_addon => {
                    let mut b = if destination_or_addon == "northflank_destination" {
                        let mut b = northflank_destination_backup(i, &mut rng, now);
                        b["expiredBy"] = northflank_expired_by(i, expires.unix_timestamp() * 1000);
                        b
                    } else {
                        northflank_addon_backup(i, &mut rng, now)
                    };
                    b["status"] = json!(if ok { "completed" } else { "failed" });
                    b["createdAt"] = json!(format_rfc3339(created));
                    b["completedAt"] = json!(format_rfc3339(finished));
                    b
                }
            }
        })
        .collect()
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 (FIPS 180-4), for mittwald's export checksums; the simulator has no crypto dependency.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
        0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
        0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
        0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
        0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
        0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
        0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] =
        [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    let mut msg = data.to_vec();
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&((data.len() as u64).wrapping_mul(8)).to_be_bytes());
    for chunk in msg.chunks_exact(64) {
        let mut w = [0u32; 64];
        for (i, word) in chunk.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16].wrapping_add(s0).wrapping_add(w[i - 7]).wrapping_add(s1);
        }
        let mut v = h;
        for i in 0..64 {
            let s1 = v[4].rotate_right(6) ^ v[4].rotate_right(11) ^ v[4].rotate_right(25);
            let ch = (v[4] & v[5]) ^ (!v[4] & v[6]);
            let t1 = v[7].wrapping_add(s1).wrapping_add(ch).wrapping_add(K[i]).wrapping_add(w[i]);
            let s0 = v[0].rotate_right(2) ^ v[0].rotate_right(13) ^ v[0].rotate_right(22);
            let maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
            let t2 = s0.wrapping_add(maj);
            v = [t1.wrapping_add(t2), v[0], v[1], v[2], v[3].wrapping_add(t1), v[4], v[5], v[6]];
        }
        for (a, b) in h.iter_mut().zip(v) {
            *a = a.wrapping_add(b);
        }
    }
    let mut out = [0u8; 32];
    for (i, word) in h.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&word.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_known_answers() {
        assert_eq!(hex(&sha256(b"")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_eq!(hex(&sha256(b"abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        let long = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        assert_eq!(hex(&sha256(long)), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    }
}
