//! mittwald: project backups with limit/skip/page and the X-Pagination-* headers, and every
//! backup action of provider-api-notes.md: create, get, update, delete, export (Pending ->
//! Exporting -> Completed, one phase per `operation_ms`), delete export, restore (running ->
//! completed), database dumps, the path tree, and backup schedules.
//!
//! Where the notes name no status or message, the answers here are this simulator's choice
//! and keep mittwald's error shape `{type, message}`: refusals of a precondition (a backup
//! that is not deletable, not completed, busy; the system schedule) are 412, unknown ids 404.

pub mod data;

use serde_json::{json, Map, Value};
use time::{Duration, OffsetDateTime};

use backboard_core::de::{format_rfc3339, rfc3339};
use backboard_core::http::{Method, Request, Response};
use backboard_core::provider::Provider;
use backboard_core::providers::mittwald::{check_cron, is_uuid, parse_ttl, CronFrequency};

use crate::data::{self as shared, Rng};
use crate::route::routed;
use crate::{get_param, Config, DEMO_MW_PROJECT, DEMO_MW_TOKEN};

/// mittwald's default `limit`.
pub const DEFAULT_LIMIT: usize = 1000;
/// How long a finished export can be downloaded.
const EXPORT_LIFETIME: Duration = Duration::days(7);

pub struct State {
    /// Newest first.
    backups: Vec<Value>,
    schedules: Vec<Value>,
    /// Running operations, advanced on every request by the clock it is answered at.
    jobs: Vec<Job>,
    /// For ids of what clients create.
    rng: Rng,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum JobKind {
    /// A backup a client created: Pending -> Running -> Completed.
    Backup,
    /// Pending -> Exporting -> Completed.
    Export,
    /// running -> completed.
    Restore,
}

struct Job {
    backup_id: String,
    kind: JobKind,
    started: OffsetDateTime,
}

fn error(status: u16, kind: &str, message: &str) -> Response {
    Response::json(status, &json!({"type": kind, "message": message}))
}

fn validation(path: &str, message: &str) -> Response {
    validations(vec![(path.to_string(), message.to_string())])
}

/// A dotted path (`a.0.b`) in the spec's notation for `ValidationErrorSchema.path`, JavaScript
/// property access: `.a[0].b`. The empty path (the whole body) stays empty.
fn js_path(dotted: &str) -> String {
    dotted
        .split('.')
        .filter(|s| !s.is_empty())
        .map(|s| if s.bytes().all(|b| b.is_ascii_digit()) { format!("[{s}]") } else { format!(".{s}") })
        .collect()
}

/// mittwald's validation answer, every problem at once.
fn validations(problems: Vec<(String, String)>) -> Response {
    let list: Vec<Value> = problems
        .into_iter()
        .map(|(path, message)| json!({"message": message, "path": js_path(&path), "type": "format"}))
        .collect();
    Response::json(400, &json!({"type": "ValidationError", "message": "Validation failed", "validationErrors": list}))
}

fn not_found(what: &str) -> Response {
    error(404, "NotFoundError", &format!("{what} not found"))
}

fn precondition(message: &str) -> Response {
    error(412, "PreconditionFailedError", message)
}

fn no_content() -> Response {
    Response::new(204, "")
}

/// The request body as a JSON object, or mittwald's validation answer.
fn object_body(request: &Request) -> Result<Map<String, Value>, Response> {
    match request.body.as_deref().map(serde_json::from_str::<Value>) {
        Some(Ok(Value::Object(m))) => Ok(m),
        _ => Err(validation("", "request body must be a JSON object")),
    }
}

/// An optional string field: absent or null is `None`; any other type is a problem.
fn opt_str<'a>(body: &'a Map<String, Value>, key: &str, problems: &mut Vec<(String, String)>) -> Option<&'a str> {
    match body.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(_) => {
            problems.push((key.into(), "must be a string".into()));
            None
        }
    }
}

/// The expiration rule: an RFC 3339 date-time at most 1 year ahead and, for a new backup, at
/// least 7 days ahead (the spec's update names only the year).
fn check_expiration(
    value: &str,
    now: OffsetDateTime,
    min: Duration,
    problems: &mut Vec<(String, String)>,
) -> Option<String> {
    match rfc3339(value) {
        None => problems.push(("expirationTime".into(), "must be a valid date-time".into())),
        Some(t) if t < now + min || t <= now => {
            let message = if min.is_zero() { "must be in the future" } else { "must be at least 7 days in the future" };
            problems.push(("expirationTime".into(), message.into()))
        }
        Some(t) if t > now + Duration::days(365) => {
            problems.push(("expirationTime".into(), "must be at most 1 year in the future".into()))
        }
        Some(t) => return Some(format_rfc3339(t)),
    }
    None
}

/// The demo backups' file tree: (absolute path, size, kind). Directories end in `/`.
const TREE: &[(&str, u64, &str)] = &[
    ("/html/", 0, "dir"),
    ("/html/shop/", 0, "dir"),
    ("/html/shop/index.php", 405, "file"),
    ("/html/shop/wp-config.php", 3_212, "file"),
    ("/html/shop/wp-content/", 0, "dir"),
    ("/html/shop/wp-content/uploads/", 0, "dir"),
    ("/html/shop/wp-content/uploads/logo.png", 48_213, "file"),
    ("/html/shop/wp-content/uploads/catalog.pdf", 1_482_113, "file"),
    ("/html/shop/wp-content/themes/", 0, "dir"),
    ("/html/shop/wp-content/themes/style.css", 12_733, "file"),
    ("/html/shop/.htaccess", 523, "file"),
    ("/html/shop/bin/", 0, "dir"),
    ("/html/shop/bin/cron.sh", 911, "exec"),
    ("/html/current", 10, "link:/html/shop"),
    ("/files/", 0, "dir"),
    ("/files/export.csv", 88_120, "file"),
    ("/logs/", 0, "dir"),
    ("/logs/access.log", 5_120_333, "file"),
];

fn tree_node(path: &str, size: u64, kind: &str) -> Value {
    let trimmed = if path == "/" { "/" } else { path.trim_end_matches('/') };
    let name = trimmed.rsplit('/').next().unwrap_or("");
    let mut node = json!({
        "absolutePath": trimmed,
        "name": if trimmed == "/" { "/" } else { name },
        "size": size,
        "isDirectory": kind == "dir",
        "isFile": kind == "file" || kind == "exec",
        "isExecutable": kind == "exec",
        "isSymlink": kind.starts_with("link:"),
    });
    if let Some(target) = kind.strip_prefix("link:") {
        node["target"] = json!(target);
    }
    node
}

/// Whether `path` (no trailing slash unless "/") is in the tree.
fn tree_has(path: &str) -> bool {
    path == "/" || TREE.iter().any(|(p, _, _)| p.trim_end_matches('/') == path)
}

/// The common parent directory of paths, where a restore without a target writes.
fn common_parent(paths: &[String]) -> String {
    let split: Vec<Vec<&str>> =
        paths.iter().map(|p| p.trim_end_matches('/').split('/').filter(|s| !s.is_empty()).collect()).collect();
    let Some(first) = split.first() else { return "/".into() };
    let mut n = first.len().saturating_sub(1);
    for other in &split[1..] {
        n = n.min(other.len().saturating_sub(1));
        n = (0..n).find(|i| first[*i] != other[*i]).unwrap_or(n);
    }
    format!("/{}", first[..n].join("/"))
}

/// An export's archive: deterministic bytes, so the checksum the API reports can be verified.
pub fn export_archive(backup_id: &str, format: &str) -> Vec<u8> {
    format!("backboard simulator: mittwald backup {backup_id} exported as {format}\n").repeat(64).into_bytes()
}

fn archive_extension(format: &str) -> &'static str {
    if format == "zip" {
        "zip"
    } else {
        "tar.gz"
    }
}

impl State {
    pub fn generate(config: &Config, rng: &mut Rng, now: OffsetDateTime) -> Self {
        let mut backups: Vec<Value> =
            (0..config.mittwald).map(|i| data::backup(i, DEMO_MW_PROJECT, rng, now)).collect();
        if let Some(h) = &config.history.mittwald {
            backups = shared::history(h, config.seed, now, |a, rng| data::history_backup(DEMO_MW_PROJECT, a, rng, now));
        }
        backups.sort_by(|a, b| b["requestedAt"].as_str().cmp(&a["requestedAt"].as_str()));
        // Drawn after the backups, so the schedules do not change which backups a seed gives.
        let schedules = data::schedules(DEMO_MW_PROJECT, rng, now);
        let rng = Rng::new(rng.next_u64());
        Self { backups, schedules, jobs: Vec::new(), rng }
    }

    pub fn handle(
        &mut self,
        request: &Request,
        path: &[&str],
        params: &[(String, String)],
        now: OffsetDateTime,
        config: &Config,
    ) -> Response {
        self.advance(now, config);
        // Download URLs work without a token, like the presigned URLs they stand for.
        if let (Method::Get, ["_downloads", file]) = (request.method, path) {
            return self.download(file);
        }
        let token = request
            .header_value("authorization")
            .and_then(|v| v.strip_prefix("Bearer "))
            .or_else(|| request.header_value("x-access-token"));
        match token {
            None => return error(401, "UnauthorizedError", "no access token given"),
            Some(t) if t != DEMO_MW_TOKEN => return error(403, "PermissionDeniedError", "permission denied"),
            _ => {}
        }
        let Some((route, ids)) = routed(Provider::Mittwald, request.method, path) else {
            return unrouted(request.method, path, &self.backups, &self.schedules);
        };
        match route {
            "list_backups" | "create_backup" | "list_schedules" | "create_schedule" => {
                if let Err(r) = check_project(ids[0]) {
                    return r;
                }
                match route {
                    "list_backups" => self.list(params),
                    "create_backup" => self.create(request, now, config),
                    "list_schedules" => Response::json(200, &Value::Array(self.schedules.clone())),
                    _ => self.create_schedule(request, now),
                }
            }
            "get_schedule" | "update_schedule" | "delete_schedule" => {
                let i = match schedule_index(&self.schedules, ids[0]) {
                    Ok(i) => i,
                    Err(r) => return r,
                };
                match route {
                    "get_schedule" => Response::json(200, &self.schedules[i]),
                    "update_schedule" => self.update_schedule(i, request, now),
                    _ => {
                        if self.schedules[i]["isSystemBackup"] == true {
                            return precondition("the system backup schedule cannot be deleted");
                        }
                        self.schedules.remove(i);
                        no_content()
                    }
                }
            }
            _ => {
                let i = match backup_index(&self.backups, ids[0]) {
                    Ok(i) => i,
                    Err(r) => return r,
                };
                match route {
                    "get_backup" => Response::json(200, &self.backups[i]),
                    "update_backup" => self.update(i, request, now),
                    "delete_backup" => self.delete(i),
                    "export_backup" => self.export(i, request, now),
                    "delete_export" => self.delete_export(i),
                    "restore_backup" => self.restore(i, request, now),
                    "database_dumps" => Response::json(200, &json!({"databases": database_dumps(&self.backups[i])})),
                    "directories" => directory(get_param(params, "directory").unwrap_or("/")),
                    _ => route_not_found(),
                }
            }
        }
    }

    /// Moves every running operation to the phase `now` puts it in (one per `operation_ms`).
    fn advance(&mut self, now: OffsetDateTime, config: &Config) {
        let step = config.operation_ms.max(1) as i128;
        let backups = &mut self.backups;
        self.jobs.retain(|job| {
            let Some(b) = backups.iter_mut().find(|b| b["id"] == job.backup_id.as_str()) else {
                return false;
            };
            let elapsed = (now - job.started).whole_milliseconds().max(0);
            let phase = elapsed / step;
            let done_at = job.started + Duration::milliseconds((step * 2).min(i64::MAX as i128) as i64);
            match job.kind {
                JobKind::Backup => {
                    b["status"] = json!(["Pending", "Running"].get(phase as usize).copied().unwrap_or("Completed"));
                    if phase >= 2 {
                        b["createdAt"] = json!(format_rfc3339(done_at));
                    }
                    phase < 2
                }
                JobKind::Export => {
                    let id = job.backup_id.clone();
                    let Some(e) = b.get_mut("export").filter(|e| e.is_object()) else { return false };
                    if phase < 2 {
                        e["phase"] = json!(if phase == 0 { "Pending" } else { "Exporting" });
                        return true;
                    }
                    let format = e["format"].as_str().unwrap_or("tar").to_string();
                    e["phase"] = json!("Completed");
                    e["downloadURL"] = json!(format!(
                        "{}/mittwald/_downloads/{id}.{}",
                        config.origin.trim_end_matches('/'),
                        archive_extension(&format)
                    ));
                    e["sha256Checksum"] = json!(shared::hex(&shared::sha256(&export_archive(&id, &format))));
                    e["expiresAt"] = json!(format_rfc3339(done_at + EXPORT_LIFETIME));
                    false
                }
                JobKind::Restore => {
                    let done = phase >= 1;
                    b["restore"]["phase"] = json!(if done { "completed" } else { "running" });
                    !done
                }
            }
        });
        // Finished exports expire: the link goes away.
        for b in &mut self.backups {
            // `get_mut`, not indexing: indexing a missing key would add `"export": null`.
            let Some(e) = b.get_mut("export") else { continue };
            if e["phase"] == "Completed" && e["expiresAt"].as_str().and_then(rfc3339).is_some_and(|t| t <= now) {
                e["phase"] = json!("Expired");
                if let Some(m) = e.as_object_mut() {
                    m.remove("downloadURL");
                }
            }
        }
    }

    fn new_id(&mut self) -> String {
        shared::uuid(&mut self.rng)
    }

    fn list(&self, params: &[(String, String)]) -> Response {
        let num = |k: &str| -> Result<Option<usize>, Response> {
            match get_param(params, k) {
                None => Ok(None),
                Some(s) => s.parse::<usize>().map(Some).map_err(|_| validation(k, "must be a non-negative integer")),
            }
        };
        let flag = |k: &str| -> Result<bool, Response> {
            match get_param(params, k) {
                None | Some("false") => Ok(false),
                Some("true") => Ok(true),
                Some(_) => Err(validation(k, "must be a boolean")),
            }
        };
        let parsed = (|| {
            Ok::<_, Response>((
                num("limit")?,
                num("skip")?,
                num("page")?,
                flag("withExportsOnly")?,
                flag("runningRestoresOnly")?,
                flag("runningBackupsOnly")?,
            ))
        })();
        let (limit, skip, page, exports_only, running_restores_only, running_backups_only) = match parsed {
            Ok(v) => v,
            Err(r) => return r,
        };
        let limit = limit.unwrap_or(DEFAULT_LIMIT).max(1);
        // "Defaults to backup_sort_order_oldest_first" (the spec's sortOrder parameter).
        let sort = get_param(params, "sortOrder").unwrap_or("oldestFirst");
        if !matches!(sort, "oldestFirst" | "newestFirst") {
            return validation("sortOrder", "must be one of oldestFirst, newestFirst");
        }
        let term = get_param(params, "searchTerm").unwrap_or("").to_lowercase();
        let mut matching: Vec<&Value> = self
            .backups
            .iter()
            .filter(|b| {
                term.is_empty()
                    || b["description"].as_str().is_some_and(|d| d.to_lowercase().contains(&term))
                    || b["id"].as_str().is_some_and(|d| d.contains(&term))
            })
            .filter(|b| !exports_only || !b["export"].is_null())
            .filter(|b| {
                !running_restores_only || b["restore"]["phase"] == "running" || b["restorePath"]["phase"] == "running"
            })
            .filter(|b| !running_backups_only || matches!(b["status"].as_str(), Some("Pending" | "Running")))
            .collect();
        if sort == "oldestFirst" {
            matching.reverse();
        }
        let skip = skip.unwrap_or_else(|| page.map(|p| p.saturating_sub(1) * limit).unwrap_or(0));
        let total = matching.len();
        let items: Vec<&Value> = matching.into_iter().skip(skip).take(limit).collect();
        Response::json(200, &items)
            .with_header("X-Pagination-Limit", limit.to_string())
            .with_header("X-Pagination-Skip", skip.to_string())
            .with_header("X-Pagination-Page", (skip / limit + 1).to_string())
            .with_header("X-Pagination-TotalCount", total.to_string())
    }

    /// `POST /v2/projects/{projectId}/backups {expirationTime, description?}` -> 201 ProjectBackup.
    fn create(&mut self, request: &Request, now: OffsetDateTime, config: &Config) -> Response {
        let body = match object_body(request) {
            Ok(b) => b,
            Err(r) => return r,
        };
        let mut problems = Vec::new();
        let expiration = match opt_str(&body, "expirationTime", &mut problems) {
            None if !body.contains_key("expirationTime") || body["expirationTime"].is_null() => {
                problems.push(("expirationTime".into(), "is required".into()));
                None
            }
            None => None,
            Some(t) => check_expiration(t, now, Duration::days(7), &mut problems),
        };
        let description = opt_str(&body, "description", &mut problems).map(str::to_string);
        if !problems.is_empty() {
            return validations(problems);
        }
        let id = self.new_id();
        let mut backup = json!({
            "deletable": true,
            "expiresAt": expiration,
            "id": id,
            "projectId": DEMO_MW_PROJECT,
            "requestedAt": format_rfc3339(now),
            "status": "Pending",
        });
        if let Some(d) = description {
            backup["description"] = json!(d);
        }
        // Newest first: a new backup leads the list.
        self.backups.insert(0, backup);
        self.jobs.push(Job { backup_id: id, kind: JobKind::Backup, started: now });
        self.advance(now, config);
        Response::json(201, &self.backups[0])
    }

    /// `PATCH /v2/project-backups/{id} {description?, expirationTime?}` -> 204.
    fn update(&mut self, i: usize, request: &Request, now: OffsetDateTime) -> Response {
        let body = match object_body(request) {
            Ok(b) => b,
            Err(r) => return r,
        };
        let mut problems = Vec::new();
        let description = opt_str(&body, "description", &mut problems).map(str::to_string);
        let expiration = opt_str(&body, "expirationTime", &mut problems)
            .and_then(|t| check_expiration(t, now, Duration::ZERO, &mut problems));
        if !problems.is_empty() {
            return validations(problems);
        }
        let b = &mut self.backups[i];
        if let Some(d) = description {
            b["description"] = json!(d);
        }
        if let Some(t) = expiration {
            b["expiresAt"] = json!(t);
        }
        no_content()
    }

    fn delete(&mut self, i: usize) -> Response {
        if self.backups[i]["deletable"] != true {
            return precondition("this backup is not deletable");
        }
        let removed = self.backups.remove(i);
        self.jobs.retain(|j| removed["id"] != j.backup_id.as_str());
        no_content()
    }

    /// `POST /v2/project-backups/{id}/export {format, password?}` -> 204, then the phases.
    fn export(&mut self, i: usize, request: &Request, now: OffsetDateTime) -> Response {
        let body = match object_body(request) {
            Ok(b) => b,
            Err(r) => return r,
        };
        let mut problems = Vec::new();
        let format = match opt_str(&body, "format", &mut problems) {
            Some(f @ ("tar" | "zip")) => Some(f.to_string()),
            Some(_) => {
                problems.push(("format".into(), "must be one of tar, zip".into()));
                None
            }
            None => {
                if !problems.iter().any(|(p, _)| p == "format") {
                    problems.push(("format".into(), "is required".into()));
                }
                None
            }
        };
        let password = opt_str(&body, "password", &mut problems).map(str::to_string);
        if password.as_deref() == Some("") {
            problems.push(("password".into(), "must not be empty".into()));
        }
        if !problems.is_empty() {
            return validations(problems);
        }
        let b = &mut self.backups[i];
        if b["status"] != "Completed" {
            return precondition("only a completed backup can be exported");
        }
        if matches!(b["export"]["phase"].as_str(), Some("Pending" | "Exporting")) {
            return precondition("an export of this backup is already running");
        }
        b["export"] = json!({"format": format, "phase": "Pending", "withPassword": password.is_some()});
        let id = b["id"].as_str().unwrap_or_default().to_string();
        self.jobs.retain(|j| !(j.backup_id == id && j.kind == JobKind::Export));
        self.jobs.push(Job { backup_id: id, kind: JobKind::Export, started: now });
        no_content()
    }

    fn delete_export(&mut self, i: usize) -> Response {
        let b = &mut self.backups[i];
        let Some(m) = b.as_object_mut().filter(|m| m.get("export").is_some_and(|e| !e.is_null())) else {
            return not_found("export");
        };
        m.remove("export");
        let id = b["id"].as_str().unwrap_or_default().to_string();
        self.jobs.retain(|j| !(j.backup_id == id && j.kind == JobKind::Export));
        no_content()
    }

    /// `POST /v2/project-backups/{id}/restore {databaseRestores?, pathRestore?}` -> 204.
    fn restore(&mut self, i: usize, request: &Request, now: OffsetDateTime) -> Response {
        let body = match object_body(request) {
            Ok(b) => b,
            Err(r) => return r,
        };
        let dumps = database_dumps(&self.backups[i]);
        let mut problems: Vec<(String, String)> = Vec::new();
        let mut restore = Map::new();
        match body.get("databaseRestores") {
            None | Some(Value::Null) => {}
            Some(Value::Array(rows)) => {
                let mut out = Vec::new();
                for (n, row) in rows.iter().enumerate() {
                    let dump = row.get("databaseBackupDump").and_then(Value::as_str);
                    let target = row.get("targetDatabaseId").and_then(Value::as_str);
                    match dump {
                        None => {
                            problems.push((format!("databaseRestores.{n}.databaseBackupDump"), "is required".into()))
                        }
                        Some(d) if !dumps.iter().any(|x| x == d) => problems.push((
                            format!("databaseRestores.{n}.databaseBackupDump"),
                            "is not a database dump of this backup".into(),
                        )),
                        _ => {}
                    }
                    if !target.is_some_and(is_uuid) {
                        problems
                            .push((format!("databaseRestores.{n}.targetDatabaseId"), "must be a valid uuid".into()));
                    }
                    out.push(json!({"databaseBackupDump": dump, "targetDatabaseId": target}));
                }
                if !out.is_empty() {
                    restore.insert("databaseRestores".into(), Value::Array(out));
                }
            }
            Some(_) => problems.push(("databaseRestores".into(), "must be an array".into())),
        }
        match body.get("pathRestore") {
            None | Some(Value::Null) => {}
            Some(Value::Object(p)) => {
                let sources: Vec<String> = match p.get("sourcePaths") {
                    Some(Value::Array(list)) if !list.is_empty() => {
                        list.iter().filter_map(Value::as_str).map(str::to_string).collect::<Vec<_>>()
                    }
                    _ => {
                        problems.push(("pathRestore.sourcePaths".into(), "must be a non-empty array of paths".into()));
                        Vec::new()
                    }
                };
                for (n, s) in sources.iter().enumerate() {
                    if !s.starts_with('/') || !tree_has(if s == "/" { "/" } else { s.trim_end_matches('/') }) {
                        problems.push((format!("pathRestore.sourcePaths.{n}"), "is not a path in this backup".into()));
                    }
                }
                let target = match p.get("targetRestorePath") {
                    None | Some(Value::Null) => None,
                    Some(Value::String(t)) if t.starts_with('/') && !t.split('/').any(|s| s == "..") => Some(t.clone()),
                    Some(_) => {
                        problems.push(("pathRestore.targetRestorePath".into(), "must be an absolute path".into()));
                        None
                    }
                };
                let clear = match p.get("clearTargetPath") {
                    None | Some(Value::Null) => false,
                    Some(Value::Bool(b)) => *b,
                    Some(_) => {
                        problems.push(("pathRestore.clearTargetPath".into(), "must be a boolean".into()));
                        false
                    }
                };
                let mut path_restore = json!({
                    "clearTargetPath": clear,
                    "determinedTargetPath": target.clone().unwrap_or_else(|| common_parent(&sources)),
                    "sourcePaths": sources,
                });
                if let Some(t) = target {
                    path_restore["targetRestorePath"] = json!(t);
                }
                restore.insert("pathRestore".into(), path_restore);
            }
            Some(_) => problems.push(("pathRestore".into(), "must be an object".into())),
        }
        if problems.is_empty() && restore.is_empty() {
            problems.push(("".into(), "give databaseRestores or pathRestore".into()));
        }
        if !problems.is_empty() {
            return validations(problems);
        }
        let b = &mut self.backups[i];
        if b["status"] != "Completed" {
            return precondition("only a completed backup can be restored");
        }
        if b["restore"]["phase"] == "running" || b["restorePath"]["phase"] == "running" {
            return precondition("a restore of this backup is already running");
        }
        restore.insert("phase".into(), json!("running"));
        b["restore"] = Value::Object(restore);
        let id = b["id"].as_str().unwrap_or_default().to_string();
        self.jobs.push(Job { backup_id: id, kind: JobKind::Restore, started: now });
        no_content()
    }

    /// `POST /v2/projects/{projectId}/backup-schedules {schedule, ttl, description?}` -> 201 with
    /// the ProjectBackupSchedule.
    fn create_schedule(&mut self, request: &Request, now: OffsetDateTime) -> Response {
        let body = match object_body(request) {
            Ok(b) => b,
            Err(r) => return r,
        };
        let mut problems = Vec::new();
        let schedule = schedule_field(&body, true, &mut problems);
        let ttl = ttl_field(&body, true, &mut problems);
        let description = opt_str(&body, "description", &mut problems).map(str::to_string);
        if !problems.is_empty() {
            return validations(problems);
        }
        let id = self.new_id();
        let mut s = json!({
            "id": id,
            "projectId": DEMO_MW_PROJECT,
            "isSystemBackup": false,
            "schedule": schedule.map(|(s, _)| s),
            "ttl": ttl,
            "createdAt": format_rfc3339(now),
            "updatedAt": format_rfc3339(now),
        });
        if let Some(d) = description {
            s["description"] = json!(d);
        }
        self.schedules.push(s.clone());
        Response::json(201, &s)
    }

    /// `PATCH /v2/project-backup-schedules/{id} {description?, schedule?, ttl?}` -> 204.
    fn update_schedule(&mut self, i: usize, request: &Request, now: OffsetDateTime) -> Response {
        let body = match object_body(request) {
            Ok(b) => b,
            Err(r) => return r,
        };
        let mut problems = Vec::new();
        let schedule = schedule_field(&body, false, &mut problems);
        let ttl = ttl_field(&body, false, &mut problems);
        let description = opt_str(&body, "description", &mut problems).map(str::to_string);
        if !problems.is_empty() {
            return validations(problems);
        }
        let s = &mut self.schedules[i];
        if s["isSystemBackup"] == true && schedule.as_ref().is_some_and(|(_, f)| *f != CronFrequency::Daily) {
            return precondition("the system backup schedule must run daily");
        }
        // "The description of isSystemBackup true items cannot be changed"; sending it unchanged
        // changes nothing.
        if s["isSystemBackup"] == true && description.as_deref().is_some_and(|d| s["description"] != d) {
            return precondition("the description of the system backup schedule cannot be changed");
        }
        if let Some((cron, _)) = schedule {
            s["schedule"] = json!(cron);
        }
        if let Some(t) = ttl {
            s["ttl"] = json!(t);
        }
        if let Some(d) = description {
            s["description"] = json!(d);
        }
        s["updatedAt"] = json!(format_rfc3339(now));
        no_content()
    }

    fn download(&self, file: &str) -> Response {
        let found = self.backups.iter().find_map(|b| {
            let id = b["id"].as_str()?;
            let e = &b["export"];
            let format = e["format"].as_str()?;
            (e["phase"] == "Completed" && file == format!("{id}.{}", archive_extension(format)))
                .then(|| export_archive(id, format))
        });
        match found {
            Some(bytes) => Response::new(200, bytes).with_header("Content-Type", "application/octet-stream"),
            None => not_found("export"),
        }
    }
}

fn route_not_found() -> Response {
    error(404, "NotFoundError", "route not found")
}

/// The backup an id names: an invalid id is refused before an unknown one.
fn backup_index(backups: &[Value], id: &str) -> Result<usize, Response> {
    if !is_uuid(id) {
        return Err(validation("projectBackupId", "must be a valid uuid"));
    }
    backups.iter().position(|b| b["id"] == *id).ok_or_else(|| not_found("backup"))
}

fn schedule_index(schedules: &[Value], id: &str) -> Result<usize, Response> {
    if !is_uuid(id) {
        return Err(validation("projectBackupScheduleId", "must be a valid uuid"));
    }
    schedules.iter().position(|s| s["id"] == *id).ok_or_else(|| not_found("backup schedule"))
}

/// A call Backboard does not make: the project, backup or schedule it names is still checked
/// first, so an unknown one answers as it would to a known call.
fn unrouted(method: Method, path: &[&str], backups: &[Value], schedules: &[Value]) -> Response {
    let checked = match (method, path) {
        (Method::Get | Method::Post, ["v2", "projects", project, "backups" | "backup-schedules"]) => {
            check_project(project)
        }
        (_, ["v2", "project-backups", id, ..]) => backup_index(backups, id).map(drop),
        (_, ["v2", "project-backup-schedules", id]) => schedule_index(schedules, id).map(drop),
        _ => Ok(()),
    };
    checked.err().unwrap_or_else(route_not_found)
}

fn check_project(project: &str) -> Result<(), Response> {
    if project.len() != 36 || project.split('-').count() != 5 {
        return Err(validation("projectId", "must be a valid uuid"));
    }
    if project != DEMO_MW_PROJECT {
        return Err(error(403, "PermissionDeniedError", "permission denied"));
    }
    Ok(())
}

fn schedule_field(
    body: &Map<String, Value>,
    required: bool,
    problems: &mut Vec<(String, String)>,
) -> Option<(String, CronFrequency)> {
    match opt_str(body, "schedule", problems) {
        None if required && !problems.iter().any(|(p, _)| p == "schedule") => {
            problems.push(("schedule".into(), "is required".into()));
            None
        }
        None => None,
        Some(s) => match check_cron(s) {
            Ok(f) => Some((s.to_string(), f)),
            Err(_) => {
                problems.push(("schedule".into(), "must be a cron expression running at most hourly".into()));
                None
            }
        },
    }
}

fn ttl_field(body: &Map<String, Value>, required: bool, problems: &mut Vec<(String, String)>) -> Option<String> {
    match opt_str(body, "ttl", problems) {
        None if required && !problems.iter().any(|(p, _)| p == "ttl") => {
            problems.push(("ttl".into(), "is required".into()));
            None
        }
        None => None,
        Some(t) if parse_ttl(t).is_some() => Some(t.to_string()),
        Some(_) => {
            problems.push(("ttl".into(), "must be between 7d and 365d".into()));
            None
        }
    }
}

/// The dumps in a backup, named after its id so each backup has its own.
fn database_dumps(backup: &Value) -> Vec<String> {
    let id = backup["id"].as_str().unwrap_or_default();
    let short: String = id.chars().filter(char::is_ascii_hexdigit).take(6).collect();
    vec![format!("mysql_{short}.sql.gz"), format!("shop_prod_{short}.sql.gz")]
}

/// `GET .../path?directory=`: the directory and its children one level deep.
fn directory(dir: &str) -> Response {
    if !dir.starts_with('/') || dir.split('/').any(|s| s == "..") {
        return validation("directory", "must be an absolute path");
    }
    let dir = if dir == "/" { "/" } else { dir.trim_end_matches('/') };
    if dir == "/" {
        let mut root = tree_node("/", 0, "dir");
        root["items"] = children("/");
        return Response::json(200, &root);
    }
    let Some((path, size, kind)) = TREE.iter().find(|(p, _, _)| p.trim_end_matches('/') == dir) else {
        return not_found("path");
    };
    let mut node = tree_node(path, *size, kind);
    if *kind == "dir" {
        node["items"] = children(path);
    }
    Response::json(200, &node)
}

fn children(dir: &str) -> Value {
    let prefix = if dir.ends_with('/') { dir.to_string() } else { format!("{dir}/") };
    Value::Array(
        TREE.iter()
            .filter(|(p, _, _)| {
                p.strip_prefix(prefix.as_str()).is_some_and(|rest| {
                    let rest = rest.trim_end_matches('/');
                    !rest.is_empty() && !rest.contains('/')
                })
            })
            .map(|(p, size, kind)| tree_node(p, *size, kind))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restore_targets_the_common_parent() {
        assert_eq!(common_parent(&["/html/shop/wp-content".into(), "/html/shop/index.php".into()]), "/html/shop");
        assert_eq!(common_parent(&["/html/shop".into()]), "/html");
        assert_eq!(common_parent(&["/html/shop".into(), "/files/export.csv".into()]), "/");
    }
}
