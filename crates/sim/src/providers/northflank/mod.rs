//! Northflank: addon backups and destination backups, cursor or page paging.

pub mod data;

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

use backboard_core::de::format_rfc3339;

use backboard_core::http::{Method, Request, Response};
use backboard_core::provider::Provider;

use crate::data::{self as shared, Rng};
use crate::route::routed_or_shaped;
use crate::{get_param, Config, DEMO_NF_TOKEN};

pub const DEFAULT_PER_PAGE: usize = 50;
pub const MAX_PER_PAGE: usize = 100;

pub struct State {
    addon: Vec<Value>,
    destination: Vec<Value>,
    /// `lastRestore` per backup id. Kept apart from the records: only `get` answers it, and the
    /// list documents no such key.
    last_restore: BTreeMap<String, Value>,
    /// Phases still to come; each applies to the first request answered at or after its time.
    timers: Vec<Timer>,
    schedules: Vec<Value>,
    downloads: Vec<Download>,
    /// Numbers the ids of everything created here.
    counter: u64,
}

/// The addon every action works on, the one the demo's addon connection lists.
const PROJECT: &str = "demo-project";
const ADDON: &str = "postgres-main";
/// The only backup destination the demo account has.
const DESTINATIONS: &[&str] = &["offsite-s3"];
/// How long a download link works.
const DOWNLOAD_TTL_SECS: i64 = 15 * 60;
/// Statuses an abort applies to.
const ABORTABLE: &[&str] = &["scheduled", "in-progress"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// A created backup: in-progress -> completed.
    Completed,
    /// An abort: aborting -> aborted.
    Aborted,
    /// A restore: lastRestore in-progress -> completed.
    Restored,
}

struct Timer {
    backup_id: String,
    at: OffsetDateTime,
    phase: Phase,
}

struct Download {
    token: String,
    backup_id: String,
    expires: OffsetDateTime,
}

fn error(status: u16, code: &str, message: &str) -> Response {
    Response::json(status, &json!({"error": {"status": status, "code": code, "message": message}}))
}

fn invalid(message: &str) -> Response {
    error(400, "invalid_request", message)
}

fn backup_not_found() -> Response {
    error(404, "backup_not_found", "Backup not found")
}

/// Cursors are opaque to clients; here they encode the offset of the next item.
fn cursor_for(offset: usize) -> String {
    format!("c{:x}", offset * 7919 + 13)
}

fn offset_of(cursor: &str) -> Option<usize> {
    let n = usize::from_str_radix(cursor.strip_prefix('c')?, 16).ok()?;
    (n >= 13 && (n - 13) % 7919 == 0).then(|| (n - 13) / 7919)
}

/// When a phase begun at `now` ends. A huge `operation_ms` means "not in this simulation",
/// never an overflow.
fn phase_end(now: OffsetDateTime, operation_ms: u64) -> OffsetDateTime {
    let ms = i64::try_from(operation_ms).unwrap_or(i64::MAX);
    now.checked_add(Duration::milliseconds(ms)).unwrap_or(datetime!(9999-12-31 23:59:59 UTC))
}

fn status_of(record: &Value) -> &str {
    record["status"].as_str().unwrap_or("")
}

/// The documented name rule, checked as Northflank states it: 3 to 39 characters, words of
/// letters and digits joined by single `-`, space or `:`.
fn valid_name(name: &str) -> bool {
    (3..=39).contains(&name.len())
        && name.split(['-', ' ', ':']).all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The request's JSON body as an object; no body at all counts as `{}`.
fn body_object(request: &Request) -> Result<Map<String, Value>, Response> {
    match request.body.as_deref().map(str::trim) {
        None | Some("") => Ok(Map::new()),
        Some(text) => match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(map)) => Ok(map),
            Ok(_) => Err(invalid("The request body must be a JSON object")),
            Err(_) => Err(invalid("The request body is not valid JSON")),
        },
    }
}

/// `additionalDestinations` as the official client types it: `[{destinationId, type: "custom",
/// retentionTime?}]`. The destination ids, or the refusal.
fn additional_destinations(list: &Value) -> Result<Vec<String>, Response> {
    const SHAPE: &str = "additionalDestinations must be an array of {destinationId, type: \"custom\", retentionTime?}";
    let Some(items) = list.as_array() else { return Err(invalid(SHAPE)) };
    let mut ids = Vec::new();
    for item in items {
        let Some(o) = item.as_object() else { return Err(invalid(SHAPE)) };
        only_keys(o, &["destinationId", "type", "retentionTime"], "additionalDestinations[].")?;
        let Some(id) = o.get("destinationId").and_then(Value::as_str) else { return Err(invalid(SHAPE)) };
        if o.get("retentionTime").is_some_and(|t| t.as_u64().is_none_or(|d| d == 0)) {
            return Err(invalid(&format!("{SHAPE}: retentionTime must be a whole number of days")));
        }
        // `type` is required by the official client's BackupAddonData, and "custom" is its only value.
        if o.get("type").is_none_or(|t| t != "custom") {
            return Err(invalid(&format!("{SHAPE}: type must be custom")));
        }
        ids.push(id.to_string());
    }
    Ok(ids)
}

/// Compression and destinations, which a backup and a schedule take by the same rules: compression
/// and a custom destination for dumps, more destinations for snapshots, every destination known.
fn check_storage(body: &Map<String, Value>, dump: bool) -> Result<(), Response> {
    match body.get("compressionType") {
        None => {}
        Some(_) if !dump => return Err(invalid("compressionType is only allowed for dump backups")),
        Some(c) if c == "gz" || c == "zstd" => {}
        Some(_) => return Err(invalid("compressionType must be one of gz, zstd")),
    }
    let mut destinations = Vec::new();
    match body.get("customDestinationId") {
        None => {}
        Some(_) if !dump => return Err(invalid("customDestinationId is only allowed for dump backups")),
        Some(Value::String(d)) => destinations.push(d.clone()),
        Some(_) => return Err(invalid("customDestinationId must be a string")),
    }
    match body.get("additionalDestinations") {
        None => {}
        Some(_) if dump => return Err(invalid("additionalDestinations is only allowed for snapshot backups")),
        Some(list) => destinations.extend(additional_destinations(list)?),
    }
    if destinations.iter().any(|d| !DESTINATIONS.contains(&d.as_str())) {
        return Err(error(404, "backup_destination_not_found", "Backup destination not found"));
    }
    Ok(())
}

/// Refuses keys the operation does not know, as a strict schema does.
fn only_keys(map: &Map<String, Value>, allowed: &[&str], prefix: &str) -> Result<(), Response> {
    match map.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(invalid(&format!("\"{prefix}{k}\" is not allowed"))),
        None => Ok(()),
    }
}

fn route_not_found() -> Response {
    error(404, "not_found", "Route not found")
}

fn check_addon(project: &str, addon: &str) -> Result<(), Response> {
    if project != PROJECT {
        return Err(error(404, "project_not_found", "Project not found"));
    }
    if addon != ADDON {
        return Err(error(404, "addon_not_found", "Addon not found"));
    }
    Ok(())
}

/// A call Backboard does not make: below an addon, the project and addon are still checked
/// first, so an unknown one answers as it would to a known call.
fn unrouted(path: &[&str]) -> Response {
    match path {
        ["v1", "projects", project, "addons", addon, ..] => check_addon(project, addon).err(),
        _ => None,
    }
    .unwrap_or_else(route_not_found)
}

impl State {
    pub fn generate(config: &Config, rng: &mut Rng, now: OffsetDateTime) -> Self {
        let mut addon: Vec<Value> = (0..config.northflank_addon).map(|i| data::addon_backup(i, rng, now)).collect();
        let mut destination: Vec<Value> =
            (0..config.northflank_destination).map(|i| data::destination_backup(i, rng, now)).collect();
        if let Some(h) = &config.history.northflank_addon {
            addon = shared::history(h, config.seed, now, |a, rng| data::history_backup(false, a, rng, now));
        }
        if let Some(h) = &config.history.northflank_destination {
            destination = shared::history(h, config.seed, now, |a, rng| data::history_backup(true, a, rng, now));
        }
        Self {
            addon,
            destination,
            last_restore: BTreeMap::new(),
            timers: Vec::new(),
            schedules: Vec::new(),
            downloads: Vec::new(),
            counter: 0,
        }
    }

    pub fn handle(
        &mut self,
        request: &Request,
        path: &[&str],
        params: &[(String, String)],
        now: OffsetDateTime,
        config: &Config,
    ) -> Response {
        self.tick(now);
        // Download links are presigned: they carry no token, as a storage URL would not.
        if let ["_downloads", token] = path {
            return self.download(request, token, now);
        }
        match request.header_value("authorization") {
            None => return error(401, "unauthenticated", "No API token was provided"),
            Some(v) if v != format!("Bearer {DEMO_NF_TOKEN}") => {
                return error(401, "unauthenticated", "The API token is invalid or has expired")
            }
            _ => {}
        }
        let due = phase_end(now, config.operation_ms);
        let Some((route, ids)) = routed_or_shaped(Provider::Northflank, request.method, path) else {
            return unrouted(path);
        };
        if route == "list_destination_backups" {
            if !DESTINATIONS.contains(&ids[0]) {
                return error(404, "backup_destination_not_found", "Backup destination not found");
            }
            return match page(&self.destination, params) {
                Ok((data, pagination)) => Response::json(200, &Page { data, pagination }),
                Err(r) => r,
            };
        }
        // Every other route is below one project's addon.
        if let Err(r) = check_addon(ids[0], ids[1]) {
            return r;
        }
        match route {
            "list_addon_backups" => match page(&self.addon, params) {
                Ok((backups, pagination)) => Response::json(200, &Page { data: Backups { backups }, pagination }),
                Err(r) => r,
            },
            "create_backup" => self.create(request, now, due),
            "get_backup" => self.get(ids[2]),
            "delete_backup" => self.delete(ids[2]),
            "abort_backup" => self.abort(ids[2], due),
            "restore_backup" => self.restore(ids[2], params, now, due),
            "download_link" => self.download_link(ids[2], now, config),
            "create_schedule" => self.schedule(request),
            _ => route_not_found(),
        }
    }

    /// Applies every phase due by `now`, oldest first.
    fn tick(&mut self, now: OffsetDateTime) {
        let (mut due, later): (Vec<Timer>, Vec<Timer>) = self.timers.drain(..).partition(|t| t.at <= now);
        self.timers = later;
        due.sort_by_key(|t| t.at);
        for t in due {
            let at = format_rfc3339(t.at);
            match t.phase {
                Phase::Completed | Phase::Aborted => {
                    if let Some(r) = self.addon.iter_mut().find(|r| r["id"] == t.backup_id.as_str()) {
                        if t.phase == Phase::Completed {
                            r["status"] = json!("completed");
                            let n = self.counter.wrapping_mul(7_340_033) % 900_000_000 + 1024;
                            r["config"]["size"] = json!(n.to_string());
                        } else {
                            r["status"] = json!("aborted");
                        }
                        r["completedAt"] = json!(at);
                    }
                }
                Phase::Restored => {
                    if let Some(r) = self.last_restore.get_mut(&t.backup_id) {
                        r["status"] = json!("completed");
                        r["completedAt"] = json!(at);
                    }
                }
            }
        }
    }

    fn next_number(&mut self) -> u64 {
        self.counter += 1;
        self.counter
    }

    fn find(&self, id: &str) -> Option<usize> {
        self.addon.iter().position(|r| r["id"] == id)
    }

    fn create(&mut self, request: &Request, now: OffsetDateTime, due: OffsetDateTime) -> Response {
        let body = match body_object(request) {
            Ok(b) => b,
            Err(r) => return r,
        };
        let keys = ["name", "backupType", "compressionType", "customDestinationId", "additionalDestinations"];
        if let Err(r) = only_keys(&body, &keys, "") {
            return r;
        }
        let name =
            match body.get("name") {
                None => None,
                Some(Value::String(n)) if valid_name(n) => Some(n.clone()),
                Some(Value::String(_)) => return invalid(
                    "name must be 3 to 39 characters: letters and digits separated by single hyphens, spaces or colons",
                ),
                Some(_) => return invalid("name must be a string"),
            };
        let dump = match body.get("backupType") {
            None => false,
            Some(t) if t == "dump" => true,
            Some(t) if t == "snapshot" => false,
            Some(_) => return invalid("backupType must be one of dump, snapshot"),
        };
        if let Err(r) = check_storage(&body, dump) {
            return r;
        }
        let n = self.next_number();
        let record = json!({
            "id": format!("backup-new-{n:04}"),
            "name": name.unwrap_or_else(|| format!("Manual backup {n}")),
            "status": "in-progress",
            "createdAt": format_rfc3339(now),
            "completedAt": "",
            "config": {
                "source": {"type": if dump { "liveInstance" } else { "snapshot" }},
                "size": "0",
                "addonVersion": "16.2.0",
            }
        });
        self.timers.push(Timer { backup_id: format!("backup-new-{n:04}"), at: due, phase: Phase::Completed });
        // Newest first, as the list shows them.
        self.addon.insert(0, record.clone());
        Response::json(200, &json!({"data": record}))
    }

    /// One backup as GetAddonBackupResult types it: the listed record without the keys only the
    /// list carries (compression, destinations), plus the last restore.
    fn get(&self, id: &str) -> Response {
        let Some(i) = self.find(id) else { return backup_not_found() };
        let mut record = self.addon[i].clone();
        if let Some(r) = record.as_object_mut() {
            r.remove("customDestinationId");
        }
        if let Some(config) = record["config"].as_object_mut() {
            config.remove("compressionType");
            config.remove("additionalDestinations");
        }
        if let Some(restore) = self.last_restore.get(id) {
            record["lastRestore"] = restore.clone();
        }
        Response::json(200, &json!({"data": record}))
    }

    fn delete(&mut self, id: &str) -> Response {
        let Some(i) = self.find(id) else { return backup_not_found() };
        // The simulator's reading: a backup still being written or restored is not deleted.
        if matches!(status_of(&self.addon[i]), "in-progress" | "aborting") {
            return error(409, "backup_in_progress", "The backup is in progress; abort it before deleting it");
        }
        if self.last_restore.get(id).is_some_and(|r| r["status"] == "in-progress") {
            return error(409, "restore_in_progress", "The backup is being restored");
        }
        self.addon.remove(i);
        self.last_restore.remove(id);
        self.timers.retain(|t| t.backup_id != id);
        self.downloads.retain(|d| d.backup_id != id);
        Response::json(200, &json!({"data": {}}))
    }

    fn abort(&mut self, id: &str, due: OffsetDateTime) -> Response {
        let Some(i) = self.find(id) else { return backup_not_found() };
        match status_of(&self.addon[i]) {
            s if ABORTABLE.contains(&s) => {}
            "aborting" => return error(409, "backup_aborting", "The backup is already being aborted"),
            _ => return error(409, "backup_not_abortable", "Only scheduled or in-progress backups can be aborted"),
        }
        self.addon[i]["status"] = json!("aborting");
        // The abort wins over the running backup's completion.
        self.timers.retain(|t| t.backup_id != id);
        self.timers.push(Timer { backup_id: id.to_string(), at: due, phase: Phase::Aborted });
        Response::json(200, &json!({"data": {}}))
    }

    fn restore(&mut self, id: &str, params: &[(String, String)], now: OffsetDateTime, due: OffsetDateTime) -> Response {
        let source = match (get_param(params, "sourceProjectId"), get_param(params, "sourceAddonId")) {
            (None, None) => None,
            (Some(p), Some(a)) if !p.is_empty() && !a.is_empty() => Some((p, a)),
            _ => return invalid("sourceProjectId and sourceAddonId must be given together"),
        };
        // A global backup of another addon is found among the destination backups taken for it.
        let record = match source {
            None | Some((PROJECT, ADDON)) => self.addon.iter().find(|r| r["id"] == id),
            Some((p, a)) => {
                let of_source = |r: &&Value| r["project"]["id"] == p && r["addon"]["id"] == a;
                if !self.destination.iter().any(|r| of_source(&r)) {
                    return error(404, "addon_not_found", "Source addon not found");
                }
                self.destination.iter().filter(of_source).find(|r| r["id"] == id)
            }
        };
        let Some(record) = record else { return backup_not_found() };
        if status_of(record) != "completed" {
            return error(409, "backup_not_completed", "Only completed backups can be restored");
        }
        if self.last_restore.get(id).is_some_and(|r| r["status"] == "in-progress") {
            return error(409, "restore_in_progress", "A restore of this backup is already in progress");
        }
        let n = self.next_number();
        self.last_restore
            .insert(id.to_string(), json!({"restoreTimestamp": format_rfc3339(now), "status": "in-progress"}));
        self.timers.push(Timer { backup_id: id.to_string(), at: due, phase: Phase::Restored });
        Response::json(200, &json!({"data": {"restoreId": format!("restore-{n:04}")}}))
    }

    fn download_link(&mut self, id: &str, now: OffsetDateTime, config: &Config) -> Response {
        let Some(i) = self.find(id) else { return backup_not_found() };
        if status_of(&self.addon[i]) != "completed" {
            return error(409, "backup_not_completed", "Only completed backups can be downloaded");
        }
        let n = self.next_number();
        // Unguessable enough for a simulator, and the same on every run.
        let token = format!("dl{n:04}{:016x}", (n ^ 0x5DEE_CE66).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let link = format!("{}/northflank/_downloads/{token}", config.origin.trim_end_matches('/'));
        self.downloads.push(Download {
            token,
            backup_id: id.to_string(),
            expires: now + Duration::seconds(DOWNLOAD_TTL_SECS),
        });
        Response::json(200, &json!({"data": {"downloadLink": link}}))
    }

    /// Serves a download link: the backup's file until the link expires.
    fn download(&self, request: &Request, token: &str, now: OffsetDateTime) -> Response {
        if request.method != Method::Get {
            return error(405, "method_not_allowed", "Downloads are fetched with GET");
        }
        let Some(d) = self.downloads.iter().find(|d| d.token == token) else {
            return error(404, "download_not_found", "Download not found");
        };
        if now >= d.expires {
            return error(403, "download_expired", "The download link has expired");
        }
        let Some(i) = self.find(&d.backup_id) else { return backup_not_found() };
        let name = self.addon[i]["name"].as_str().unwrap_or("");
        Response::new(200, format!("-- Simulated Northflank backup {} ({name})\n", d.backup_id))
            .with_header("Content-Type", "application/octet-stream")
            .with_header("Content-Disposition", format!("attachment; filename=\"{}.dump\"", d.backup_id))
    }

    /// `POST .../backup-schedules` with CreateAddonBackupscheduleData of the official client:
    /// `scheduling`, `backupType` and `retentionTime` required; compression and a custom
    /// destination for dumps, additional destinations for snapshots. Answers `{data: {id}}`.
    fn schedule(&mut self, request: &Request) -> Response {
        let body = match body_object(request) {
            Ok(b) => b,
            Err(r) => return r,
        };
        let keys = [
            "scheduling",
            "backupType",
            "retentionTime",
            "compressionType",
            "customDestinationId",
            "additionalDestinations",
        ];
        if let Err(r) = only_keys(&body, &keys, "") {
            return r;
        }
        let backup_type = match body.get("backupType").and_then(Value::as_str) {
            Some(t @ ("dump" | "snapshot")) => t,
            _ => return invalid("backupType is required and must be one of dump, snapshot"),
        };
        if !body.get("retentionTime").and_then(Value::as_f64).is_some_and(|d| d > 0.0) {
            return invalid("retentionTime is required and must be a positive number of days");
        }
        let dump = backup_type == "dump";
        if let Err(r) = check_storage(&body, dump) {
            return r;
        }
        let Some(Value::Object(s)) = body.get("scheduling") else {
            return invalid("\"scheduling\" is required and must be an object");
        };
        if let Err(r) = only_keys(s, &["interval", "minute", "hour", "day"], "scheduling.") {
            return r;
        }
        let interval = match s.get("interval").and_then(Value::as_str) {
            Some(i @ ("hourly" | "daily" | "weekly")) => i,
            _ => return invalid("scheduling.interval must be one of hourly, daily, weekly"),
        };
        // (field, max, required, allowed) as the schema's interval rules say.
        let rules = [
            ("minute", 59, true, true),
            ("hour", 23, interval != "hourly", interval != "hourly"),
            ("day", 6, interval == "weekly", interval == "weekly"),
        ];
        for (field, max, required, allowed) in rules {
            match s.get(field) {
                None if required => {
                    return invalid(&format!("scheduling.{field} is required for {interval} schedules"))
                }
                None => {}
                Some(_) if !allowed => {
                    return invalid(&format!("scheduling.{field} is not allowed for {interval} schedules"))
                }
                Some(v) => {
                    let Some(list) = v.as_array().filter(|l| !l.is_empty()) else {
                        return invalid(&format!("scheduling.{field} must be an array with at least 1 item"));
                    };
                    let numbers: Option<Vec<u64>> = list.iter().map(|n| n.as_u64().filter(|n| *n <= max)).collect();
                    let Some(numbers) = numbers else {
                        return invalid(&format!("scheduling.{field} items must be integers from 0 to {max}"));
                    };
                    if numbers.iter().enumerate().any(|(i, n)| numbers[..i].contains(n)) {
                        return invalid(&format!("scheduling.{field} must not contain duplicate values"));
                    }
                }
            }
        }
        // "Each addon can only have one backup schedule of each interval for each backup type."
        if self.schedules.iter().any(|x| x["scheduling"]["interval"] == interval && x["backupType"] == backup_type) {
            return error(409, "schedule_exists", "The addon already has a backup schedule with this interval");
        }
        let n = self.next_number();
        let id = format!("schedule-{n:04}");
        self.schedules.push(json!({"id": id, "scheduling": Value::Object(s.clone()), "backupType": backup_type}));
        Response::json(200, &json!({"data": {"id": id}}))
    }
}

/// A list answer, serialized from the stored records in place (no copy per request).
#[derive(serde::Serialize)]
struct Page<T> {
    data: T,
    pagination: Value,
}

#[derive(serde::Serialize)]
struct Backups<'a> {
    backups: &'a [Value],
}

fn page<'a>(all: &'a [Value], params: &[(String, String)]) -> Result<(&'a [Value], Value), Response> {
    let per_page = match get_param(params, "per_page") {
        None => DEFAULT_PER_PAGE,
        Some(s) => match s.parse::<usize>() {
            Ok(n) if (1..=MAX_PER_PAGE).contains(&n) => n,
            _ => return Err(error(400, "invalid_request", "per_page must be an integer between 1 and 100")),
        },
    };
    let start = match (get_param(params, "cursor"), get_param(params, "page")) {
        (Some(c), _) if !c.is_empty() => match offset_of(c) {
            Some(o) => o,
            None => return Err(error(400, "invalid_cursor", "The cursor is invalid")),
        },
        (_, Some(p)) => match p.parse::<usize>() {
            Ok(n) if n >= 1 => (n - 1).saturating_mul(per_page),
            _ => return Err(error(400, "invalid_request", "page must be a positive integer")),
        },
        _ => 0,
    };
    let start = start.min(all.len());
    let end = (start + per_page).min(all.len());
    let items = &all[start..end];
    let mut pagination = json!({"hasNextPage": end < all.len(), "count": items.len()});
    if end < all.len() {
        pagination["cursor"] = json!(cursor_for(end));
    }
    Ok((items, pagination))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_junk() {
        for o in [0, 1, 50, 9999] {
            assert_eq!(offset_of(&cursor_for(o)), Some(o));
        }
        assert_eq!(offset_of("c1"), None);
        assert_eq!(offset_of("zzz"), None);
    }
}
