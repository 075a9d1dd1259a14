//! ServerAvatar: `GET /organizations/{org}/backups`,
//! `POST /organizations/{org}/servers/{server}/backups`, and the backup actions of
//! provider-api-notes.md: `POST .../backups/destroy`, `GET .../backups/{id}/{part}/download`,
//! `GET .../backups/deleted-server`, `GET .../backups/archive/{type}`, with the documents'
//! messages. Download links point at `/serveravatar/_files/...` on the simulator itself, signed
//! and valid for 60 seconds of simulated time, like the presigned URLs ServerAvatar hands out.

pub mod data;

use std::collections::HashSet;

use serde_json::{json, Map, Value};
use time::{Duration, OffsetDateTime};

use backboard_core::de::laravel_time;
use backboard_core::http::{Method, Request, Response};
use backboard_core::provider::Provider;
use backboard_core::providers::serveravatar::{parse_start, RetentionPeriod, Schedule};
use backboard_core::providers::serveravatar::{DELETED, NOT_COMPLETED, NOT_FOUND, PERMISSION_DENIED};

use self::data::{SA, SA_DELETED_SERVERS, SA_READONLY_TOKEN};
use crate::data::{self as shared, Rng};
use crate::route::routed_or_shaped;
use crate::{get_param, Config, DEMO_SA_TOKEN};

/// Laravel's page size for this endpoint.
pub const PER_PAGE: usize = 10;
/// An organization whose every call fails with the documented server error.
pub const BROKEN_ORG: u64 = 99;
/// A server without disk space for instant backups.
pub const FULL_SERVER: u64 = 36;

/// How long a download link works.
pub const LINK_VALID_SECS: i64 = 60;

pub struct State {
    /// Newest first, as ServerAvatar lists them.
    backups: Vec<Value>,
    /// Backups of deleted servers, newest first: not in the list, only in the archive views.
    archived: Vec<Value>,
    /// Created backups still on their way: (id, when it starts running, when it completes).
    running: Vec<(u64, OffsetDateTime, OffsetDateTime)>,
    next_id: u64,
    rng: Rng,
    /// Keys the download links' signatures.
    link_key: u64,
    generated: OffsetDateTime,
}

fn message(status: u16, text: &str) -> Response {
    Response::json(status, &json!({ "message": text }))
}

impl State {
    pub fn generate(config: &Config, rng: &mut Rng, now: OffsetDateTime) -> Self {
        let mut backups: Vec<Value> =
            (0..config.serveravatar).map(|i| data::backup(14 + i as u64, SA.organization, i, rng, now)).collect();
        if let Some(h) = &config.history.serveravatar {
            backups = shared::history(h, config.seed, now, |a, rng| data::history_backup(a, rng, now));
        }
        backups.sort_by(|a, b| {
            b["created_at"].as_str().cmp(&a["created_at"].as_str()).then(b["id"].as_u64().cmp(&a["id"].as_u64()))
        });
        let mut archived: Vec<Value> = (0..data::SA_ARCHIVED).map(|i| data::archived_backup(i, rng, now)).collect();
        archived.sort_by(|a, b| {
            b["created_at"].as_str().cmp(&a["created_at"].as_str()).then(b["id"].as_u64().cmp(&a["id"].as_u64()))
        });
        Self {
            next_id: 14 + config.serveravatar.max(backups.len()) as u64,
            backups,
            archived,
            running: Vec::new(),
            rng: Rng::new(config.seed ^ 0x5A),
            link_key: Rng::new(config.seed ^ 0x51_6E).next_u64(),
            generated: now,
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
        self.advance(now);
        // The presigned download links carry their own signature instead of a token.
        if let (Method::Get, ["_files", id, part, name]) = (request.method, path) {
            return self.file(id, part, name, params, now);
        }
        // Laravel Sanctum's answer to a missing or wrong token.
        let may_act = match request.header_value("authorization") {
            Some(DEMO_SA_TOKEN) => true,
            Some(SA_READONLY_TOKEN) => false,
            _ => return message(401, "Unauthenticated."),
        };
        let route = match routed_or_shaped(Provider::ServerAvatar, request.method, path) {
            Some(("list_backups", ids)) => Route::List(ids[0]),
            Some(("create_backup", ids)) => Route::Create(ids[0], ids[1]),
            Some(("delete_backups", ids)) => Route::Destroy(ids[0]),
            Some(("download_filesystem", ids)) => Route::Download(ids[0], ids[1], "filesystem"),
            Some(("download_database", ids)) => Route::Download(ids[0], ids[1], "database"),
            Some(("deleted_servers", ids)) => Route::DeletedServers(ids[0]),
            Some(("archive_filesystem", ids)) => Route::Archive(ids[0], "filesystem"),
            Some(("archive_database", ids)) => Route::Archive(ids[0], "database"),
            Some(("archive_application", ids)) => Route::Archive(ids[0], "application"),
            _ => return message(404, "Not Found"),
        };
        if let Err(r) = self.org(route.org()) {
            return r;
        }
        // Looking is every member's right; acting needs a role that may.
        if !may_act && route.acts() {
            return message(500, PERMISSION_DENIED);
        }
        match route {
            Route::List(org) => {
                let path = format!("{}/serveravatar/organizations/{org}/backups", config.origin);
                paginate(&self.backups, &path, params)
            }
            Route::Create(_, server) => self.create(server, request, now, config),
            Route::Destroy(_) => self.destroy(request),
            Route::Download(_, id, part) => self.download(id, part, now, config),
            Route::DeletedServers(_) => self.deleted_servers(),
            Route::Archive(org, kind) => {
                let path = format!("{}/serveravatar/organizations/{org}/backups/archive/{kind}", config.origin);
                let of_kind: Vec<&Value> = self.archived.iter().filter(|b| backup_type(b) == kind).collect();
                paginate(&of_kind, &path, params)
            }
        }
    }

    /// Moves created backups along their phases, as of `now`: Scheduled until their start,
    /// Processing for one `operation_ms`, then Completed with sizes and files in storage.
    fn advance(&mut self, now: OffsetDateTime) {
        let due: Vec<(u64, OffsetDateTime, OffsetDateTime)> =
            self.running.iter().copied().filter(|r| r.1 <= now).collect();
        for (id, start, done) in due {
            let Some(b) = self.backups.iter_mut().find(|b| b["id"] == id) else { continue };
            if now < done {
                if b["status"] != "Processing" {
                    b["status"] = json!("Processing");
                    b["updated_at"] = json!(laravel_time::format(start));
                }
                continue;
            }
            let has_app = !b["application_extension"].is_null();
            let has_db = !b["database_extension"].is_null();
            let app = if has_app { (self.rng.below(50_000) as f64) / 100.0 + 1.0 } else { 0.0 };
            let db = if has_db { (self.rng.below(5_000) as f64) / 100.0 + 0.1 } else { 0.0 };
            let fields = json!({
                "status": "Completed",
                "updated_at": laravel_time::format(done),
                "application_size": app, "database_size": db, "totalSize": ((app + db) * 100.0).round() / 100.0,
                "total_application_size": app, "total_database_size": db,
                "application_available_in_cloudstorage": u8::from(has_app),
                "database_available_in_cloudstorage": u8::from(has_db),
            });
            if let (Value::Object(r), Value::Object(f)) = (b, fields) {
                r.extend(f);
            }
        }
        self.running.retain(|r| r.2 > now);
    }

    fn org(&self, org: &str) -> Result<(), Response> {
        match org.parse::<u64>() {
            Ok(id) if id == SA.organization => Ok(()),
            Ok(BROKEN_ORG) => Err(message(500, "Something went really wrong!")),
            _ => Err(message(404, "Organization not found!")),
        }
    }

    fn create(&mut self, server: &str, request: &Request, now: OffsetDateTime, config: &Config) -> Response {
        let Some(server_id) = server.parse::<u64>().ok().filter(|s| SA.servers.contains(s)) else {
            return message(404, "Server not found!");
        };
        let body: Map<String, Value> = match request.body.as_deref().map(serde_json::from_str::<Value>) {
            Some(Ok(Value::Object(m))) => m,
            _ => Map::new(),
        };
        if let Err(r) = validate_required(&body) {
            return r;
        }
        let flag = |v: &Value| {
            matches!(v, Value::Bool(true))
                || v.as_i64() == Some(1)
                || v.as_str() == Some("1")
                || v.as_str() == Some("true")
        };
        let num = |k: &str| body.get(k).and_then(|v| v.as_u64().or_else(|| v.as_str().and_then(|s| s.parse().ok())));
        let text = |k: &str| body.get(k).and_then(Value::as_str).map(str::to_string);
        let automatic = flag(&body["automatic_backup"]);
        let provider = text("provider").unwrap_or_default();
        let Some(storage_id) = num("cloud_storage_provider_id").filter(|id| SA.storage.iter().any(|(s, _)| s == id))
        else {
            return message(404, "Cloud storage Provider not found!");
        };
        let Some(app_id) = num("application_id").filter(|id| SA.applications.iter().any(|(a, _, _)| a == id)) else {
            return message(404, "Application not found!");
        };
        let db_id = match body.get("database_id").filter(|v| !v.is_null()) {
            None => None,
            Some(_) => match num("database_id").filter(|id| SA.databases.iter().any(|(d, _, _)| d == id)) {
                Some(id) => Some(id),
                None => return message(404, "Database not found!"),
            },
        };
        let backup_type = text("type").unwrap_or_default();
        if automatic && !text("schedule").map(|s| Schedule::parse(&s).is_known()).unwrap_or(false) {
            return message(500, "Invalid schedule!");
        }
        if provider == "serveravatar"
            && !text("retention_period").map(|s| RetentionPeriod::parse(&s).is_known()).unwrap_or(false)
        {
            return message(500, "Invalid retention period!");
        }
        let from_now = body.get("start_backup_from_now").map(flag);
        let mut start = None;
        if automatic && from_now == Some(false) {
            match text("start_backup").and_then(|s| parse_start(&s)) {
                Some(t) if t > now => start = Some(t),
                _ => return message(500, "Start from choose future date!"),
            }
        }
        if !automatic && server_id == FULL_SERVER {
            return message(
                500,
                "Instant Backup is failed because you do not have enough disk space available on your server.",
            );
        }
        let id = self.next_id;
        self.next_id += 1;
        let i = id as usize;
        let mut record = data::backup(id, SA.organization, i, &mut self.rng, now);
        let created = start.unwrap_or(now);
        let has_app = backup_type != "database";
        let has_db = backup_type != "filesystem";
        let status = if start.is_some() { "Scheduled" } else { "Processing" };
        let name = text("name").filter(|_| !automatic);
        let (app_name, db_name) = (
            SA.applications.iter().find(|(a, _, _)| *a == app_id).map(|a| a.2),
            db_id.and_then(|d| SA.databases.iter().find(|(x, _, _)| *x == d)).map(|d| d.2),
        );
        let fields = json!({
            "server_id": server_id,
            "cloud_storage_provider_id": storage_id,
            "provider": provider,
            "status": status,
            "application_id": if has_app { json!(app_id) } else { Value::Null },
            "database_id": if has_db { json!(db_id) } else { Value::Null },
            "application_extension": if has_app { body.get("application_extension").cloned().unwrap_or(Value::Null) } else { Value::Null },
            "database_extension": if has_db { body.get("database_extension").cloned().unwrap_or(Value::Null) } else { Value::Null },
            "application_size": 0, "database_size": 0, "totalSize": 0,
            "application_available_in_cloudstorage": 0, "database_available_in_cloudstorage": 0,
            "created_at": backboard_core::de::laravel_time::format(created),
            "updated_at": backboard_core::de::laravel_time::format(created),
            "expires_at": backboard_core::de::laravel_time::format(created + Duration::days(30)),
            "application": if has_app { json!({"id": app_id, "system_user_id": 42, "name": app_name}) } else { Value::Null },
            "database": match (has_db, db_id) { (true, Some(d)) => json!({"id": d, "server_id": server_id, "name": db_name}), _ => Value::Null },
            "backup_configuration": {"id": id, "name": name.or_else(|| text("schedule"))},
        });
        if let (Value::Object(r), Value::Object(f)) = (&mut record, fields) {
            r.extend(f);
        }
        self.backups.insert(0, record);
        self.running.push((
            id,
            created,
            created + Duration::milliseconds(config.operation_ms.min(i64::MAX as u64) as i64),
        ));
        if automatic {
            message(200, "Backup plan created successfully.")
        } else {
            message(200, "Backup Process has been started successfully!")
        }
    }
}

/// The routes of this API, each with its organization segment.
enum Route<'a> {
    List(&'a str),
    Create(&'a str, &'a str),
    Destroy(&'a str),
    Download(&'a str, &'a str, &'a str),
    DeletedServers(&'a str),
    Archive(&'a str, &'a str),
}

impl<'a> Route<'a> {
    fn org(&self) -> &'a str {
        match *self {
            Route::List(o)
            | Route::Create(o, _)
            | Route::Destroy(o)
            | Route::Download(o, _, _)
            | Route::DeletedServers(o)
            | Route::Archive(o, _) => o,
        }
    }

    /// Creating, deleting and downloading need a role that may act; the views do not.
    fn acts(&self) -> bool {
        matches!(self, Route::Create(..) | Route::Destroy(_) | Route::Download(..))
    }
}

impl State {
    /// `POST .../backups/destroy {"ids": [..]}`: all or nothing. Laravel's 422 for a missing or
    /// malformed list; 404 `Backup not found!` for an id that is no backup of this organization
    /// (the notes document no answer for that; the download's message is reused); 500
    /// `Backup not completed.` if any is not completed.
    fn destroy(&mut self, request: &Request) -> Response {
        let body = request.body.as_deref().and_then(|b| serde_json::from_str::<Value>(b).ok());
        let ids = body.as_ref().and_then(|b| b.get("ids")).filter(|v| !v.is_null());
        let mut errors = Map::new();
        let mut wanted = Vec::new();
        match ids {
            None => {
                errors.insert("ids".into(), json!(["The ids field is required."]));
            }
            Some(Value::Array(list)) if list.is_empty() => {
                errors.insert("ids".into(), json!(["The ids field is required."]));
            }
            Some(Value::Array(list)) => {
                for (i, v) in list.iter().enumerate() {
                    // Laravel's `integer` rule takes integers and integer strings.
                    match v.as_u64().or_else(|| v.as_str().and_then(|s| s.parse::<u64>().ok())) {
                        Some(id) => wanted.push(id),
                        None => {
                            errors
                                .insert(format!("ids.{i}"), json!([format!("The ids.{i} field must be an integer.")]));
                        }
                    }
                }
            }
            Some(Value::String(s)) if s.is_empty() => {
                errors.insert("ids".into(), json!(["The ids field is required."]));
            }
            Some(_) => {
                errors.insert("ids".into(), json!(["The ids field must be an array."]));
            }
        }
        if !errors.is_empty() {
            return laravel_422(errors);
        }
        let find = |id: u64| self.backups.iter().chain(&self.archived).find(|b| b["id"] == id);
        for id in &wanted {
            match find(*id) {
                None => return message(404, NOT_FOUND),
                Some(b) if b["status"] != "Completed" => return message(500, NOT_COMPLETED),
                Some(_) => {}
            }
        }
        let gone: HashSet<u64> = wanted.into_iter().collect();
        let keep = |b: &Value| !b["id"].as_u64().is_some_and(|id| gone.contains(&id));
        self.backups.retain(keep);
        self.archived.retain(keep);
        message(200, DELETED)
    }

    /// `GET .../backups/{id}/{part}/download`: a signed link to the part, if the backup has it in
    /// storage; 404 `Backup not found!` otherwise.
    fn download(&self, id: &str, part: &str, now: OffsetDateTime, config: &Config) -> Response {
        let Some(b) = self.part_in_storage(id, part) else {
            return message(404, NOT_FOUND);
        };
        let key = if part == "filesystem" { "application_extension" } else { "database_extension" };
        let name = format!("{}{}", b["backup_hash"].as_str().unwrap_or("backup"), b[key].as_str().unwrap_or(""));
        let expires = (now + Duration::seconds(LINK_VALID_SECS)).unix_timestamp();
        let signature = self.sign(id, part, &name, expires);
        Response::json(
            200,
            &json!({"temporaryUrl": format!(
                "{}/serveravatar/_files/{id}/{part}/{name}?expires={expires}&signature={signature}",
                config.origin
            )}),
        )
    }

    /// The listed or archived backup `id` if its `part` is in cloud storage.
    fn part_in_storage(&self, id: &str, part: &str) -> Option<&Value> {
        let id = id.parse::<u64>().ok()?;
        let flag = match part {
            "filesystem" => "application_available_in_cloudstorage",
            "database" => "database_available_in_cloudstorage",
            _ => return None,
        };
        let b = self.backups.iter().chain(&self.archived).find(|b| b["id"] == id)?;
        (b["status"] == "Completed" && b[flag].as_u64() == Some(1)).then_some(b)
    }

    /// A keyed hash of what the link names, hex. Not cryptography: enough that a changed link
    /// or a guessed signature is refused.
    fn sign(&self, id: &str, part: &str, name: &str, expires: i64) -> String {
        let text = format!("{id}/{part}/{name}/{expires}");
        let mut h = self.link_key;
        for byte in text.bytes() {
            h = Rng::new(h ^ u64::from(byte)).next_u64();
        }
        let second = Rng::new(h ^ self.link_key.rotate_left(17)).next_u64();
        format!("{h:016x}{second:016x}")
    }

    /// The file behind a download link. Like Laravel's signed routes, a bad or expired signature
    /// is 403 `Invalid signature.`; a backup deleted since is 404.
    fn file(&self, id: &str, part: &str, name: &str, params: &[(String, String)], now: OffsetDateTime) -> Response {
        let expires = get_param(params, "expires").and_then(|e| e.parse::<i64>().ok());
        let signature = get_param(params, "signature").unwrap_or("");
        let valid = expires.is_some_and(|e| self.sign(id, part, name, e) == signature && now.unix_timestamp() <= e);
        if !valid {
            return message(403, "Invalid signature.");
        }
        if self.part_in_storage(id, part).is_none() {
            return message(404, NOT_FOUND);
        }
        let (content_type, body) = if part == "database" {
            ("application/sql", format!("-- ServerAvatar simulator: database dump of backup {id}\n"))
        } else {
            ("application/octet-stream", format!("ServerAvatar simulator: files of backup {id}\n"))
        };
        Response::new(200, body)
            .with_header("Content-Type", content_type)
            .with_header("Content-Disposition", format!("attachment; filename=\"{name}\""))
    }

    /// `GET .../backups/deleted-server`: the deleted servers that still have archived backups.
    fn deleted_servers(&self) -> Response {
        let servers: Vec<Value> = SA_DELETED_SERVERS
            .iter()
            .filter(|(id, ..)| self.archived.iter().any(|b| b["server_id"] == *id))
            .map(|(id, name, ip, days)| {
                json!({"id": id, "name": name, "ip": ip,
                       "deleted_at": laravel_time::format(self.generated - Duration::days(*days))})
            })
            .collect();
        Response::json(200, &json!({ "servers": servers }))
    }
}

/// A backup's type, from the parts it has.
fn backup_type(b: &Value) -> &'static str {
    match (b["application_id"].is_null(), b["database_id"].is_null()) {
        (false, false) => "application",
        (false, true) => "filesystem",
        _ => "database",
    }
}

/// Laravel's length-aware paginator over `items`, whose first page is at `path`.
fn paginate<T: serde::Serialize>(items: &[T], path: &str, params: &[(String, String)]) -> Response {
    // Laravel reads a bad or missing page as 1.
    let page = get_param(params, "page").and_then(|p| p.parse::<usize>().ok()).filter(|p| *p >= 1).unwrap_or(1);
    let total = items.len();
    let last_page = total.div_ceil(PER_PAGE).max(1);
    let start = (page - 1).saturating_mul(PER_PAGE).min(total);
    let end = (start + PER_PAGE).min(total);
    let data = &items[start..end];
    let url = |p: usize| format!("{path}?page={p}");
    let mut links =
        vec![json!({"url": (page > 1).then(|| url(page - 1)), "label": "&laquo; Previous", "active": false})];
    for p in url_window(page, last_page) {
        links.push(match p {
            Some(p) => json!({"url": url(p), "label": p.to_string(), "active": p == page}),
            None => json!({"url": null, "label": "...", "active": false}),
        });
    }
    links.push(json!({"url": (page < last_page).then(|| url(page + 1)), "label": "Next &raquo;", "active": false}));
    let (from, to) = if data.is_empty() { (None, None) } else { (Some(start + 1), Some(end)) };
    Response::json(
        200,
        &LaravelPage {
            current_page: page,
            data,
            first_page_url: url(1),
            from,
            last_page,
            last_page_url: url(last_page),
            links,
            next_page_url: (page < last_page).then(|| url(page + 1)),
            path,
            per_page: PER_PAGE,
            prev_page_url: (page > 1).then(|| url(page - 1)),
            to,
            total,
        },
    )
}

/// Laravel's paginator body; the page's records are serialized where they are stored.
#[derive(serde::Serialize)]
struct LaravelPage<'a, T> {
    current_page: usize,
    data: &'a [T],
    first_page_url: String,
    from: Option<usize>,
    last_page: usize,
    last_page_url: String,
    links: Vec<Value>,
    next_page_url: Option<String>,
    path: &'a str,
    per_page: usize,
    prev_page_url: Option<String>,
    to: Option<usize>,
    total: usize,
}

/// Laravel's 422: the first message, "(and N more errors)", and every field's messages.
fn laravel_422(errors: Map<String, Value>) -> Response {
    let first = errors.values().next().and_then(|v| v[0].as_str()).unwrap_or("The given data was invalid.").to_string();
    let extra = errors.len() - 1;
    let msg =
        if extra > 0 { format!("{first} (and {extra} more error{})", if extra > 1 { "s" } else { "" }) } else { first };
    Response::json(422, &json!({"message": msg, "errors": errors}))
}

/// Laravel's `UrlWindow` (`onEachSide` 3): the pages that get a link, in order, `None` for a "..."
/// gap. Fewer than 14 pages all get one; otherwise the first or last ten, or the current page
/// with three on each side, plus two at each end.
fn url_window(page: usize, last_page: usize) -> Vec<Option<usize>> {
    const ON_EACH_SIDE: usize = 3;
    const WINDOW: usize = ON_EACH_SIDE + 4;
    let range = |from: usize, to: usize| (from..=to).map(Some);
    if last_page < ON_EACH_SIDE * 2 + 8 {
        range(1, last_page).collect()
    } else if page <= WINDOW {
        range(1, WINDOW + ON_EACH_SIDE).chain([None]).chain(range(last_page - 1, last_page)).collect()
    } else if page > last_page - WINDOW {
        range(1, 2).chain([None]).chain(range(last_page - (WINDOW + ON_EACH_SIDE - 1), last_page)).collect()
    } else {
        range(1, 2)
            .chain([None])
            .chain(range(page - ON_EACH_SIDE, page + ON_EACH_SIDE))
            .chain([None])
            .chain(range(last_page - 1, last_page))
            .collect()
    }
}

/// Laravel's 422 for missing required fields, field by field as Laravel words it.
fn validate_required(body: &Map<String, Value>) -> Result<(), Response> {
    let mut errors = Map::new();
    for field in ["provider", "cloud_storage_provider_id", "automatic_backup", "type", "application_id"] {
        if body.get(field).is_none_or(|v| v.is_null() || v.as_str() == Some("")) {
            errors.insert(field.into(), json!([format!("The {} field is required.", field.replace('_', " "))]));
        }
    }
    let text = |k: &str| body.get(k).and_then(Value::as_str).unwrap_or("");
    let allowed = |k: &str, set: &[&str]| body.get(k).is_some() && !set.contains(&text(k));
    if allowed("provider", &["gdrive", "amazon_s3", "dropbox", "serveravatar", "wasabi", "custom_s3"]) {
        errors.insert("provider".into(), json!(["The selected provider is invalid."]));
    }
    if allowed("type", &["filesystem", "database", "application"]) {
        errors.insert("type".into(), json!(["The selected type is invalid."]));
    }
    let t = text("type");
    if matches!(t, "application" | "filesystem") && ![".tar", ".tar.gz"].contains(&text("application_extension")) {
        errors.insert("application_extension".into(), json!(["The application extension field is required."]));
    }
    if matches!(t, "application" | "database") && ![".sql", ".sql.gz"].contains(&text("database_extension")) {
        errors.insert("database_extension".into(), json!(["The database extension field is required."]));
    }
    if errors.is_empty() {
        return Ok(());
    }
    Err(laravel_422(errors))
}
