//! ServerAvatar: `GET /organizations/{org}/backups` and
//! `POST /organizations/{org}/servers/{server}/backups`, with the documents' messages.

use serde_json::{json, Map, Value};
use time::{Duration, OffsetDateTime};

use backboard_core::http::{Method, Request, Response};
use backboard_core::providers::serveravatar::{parse_start, RetentionPeriod, Schedule};

use crate::data::{self, Rng, SA};
use crate::{get_param, Config, DEMO_SA_TOKEN};

/// Laravel's page size for this endpoint.
pub const PER_PAGE: usize = 10;
/// An organization whose every call fails with the documented server error.
pub const BROKEN_ORG: u64 = 99;
/// A server without disk space for instant backups.
pub const FULL_SERVER: u64 = 36;

pub struct State {
    /// Newest first, as ServerAvatar lists them.
    backups: Vec<Value>,
    next_id: u64,
    rng: Rng,
}

fn message(status: u16, text: &str) -> Response {
    Response::json(status, &json!({ "message": text }))
}

impl State {
    pub fn generate(config: &Config, rng: &mut Rng, now: OffsetDateTime) -> Self {
        let mut backups: Vec<Value> = (0..config.serveravatar)
            .map(|i| data::serveravatar_backup(14 + i as u64, SA.organization, i, rng, now))
            .collect();
        backups.sort_by(|a, b| {
            b["created_at"].as_str().cmp(&a["created_at"].as_str()).then(b["id"].as_u64().cmp(&a["id"].as_u64()))
        });
        Self { next_id: 14 + config.serveravatar as u64, backups, rng: Rng::new(config.seed ^ 0x5A) }
    }

    pub fn handle(
        &mut self,
        request: &Request,
        path: &[&str],
        params: &[(String, String)],
        now: OffsetDateTime,
        config: &Config,
    ) -> Response {
        // Laravel Sanctum's answer to a missing or wrong token.
        if request.header_value("authorization") != Some(DEMO_SA_TOKEN) {
            return message(401, "Unauthenticated.");
        }
        match (request.method, path) {
            (Method::Get, ["organizations", org, "backups"]) => self.list(org, params, config),
            (Method::Post, ["organizations", org, "servers", server, "backups"]) => {
                self.create(org, server, request, now)
            }
            _ => message(404, "Not Found"),
        }
    }

    fn org(&self, org: &str) -> Result<(), Response> {
        match org.parse::<u64>() {
            Ok(id) if id == SA.organization => Ok(()),
            Ok(BROKEN_ORG) => Err(message(500, "Something went really wrong!")),
            _ => Err(message(404, "Organization not found!")),
        }
    }

    fn list(&self, org: &str, params: &[(String, String)], config: &Config) -> Response {
        if let Err(r) = self.org(org) {
            return r;
        }
        // Laravel reads a bad or missing page as 1.
        let page = get_param(params, "page").and_then(|p| p.parse::<usize>().ok()).filter(|p| *p >= 1).unwrap_or(1);
        let total = self.backups.len();
        let last_page = total.div_ceil(PER_PAGE).max(1);
        let start = (page - 1).saturating_mul(PER_PAGE).min(total);
        let end = (start + PER_PAGE).min(total);
        let data: Vec<Value> = self.backups[start..end].to_vec();
        let path = format!("{}/serveravatar/organizations/{org}/backups", config.origin);
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
        let (from, to) = if data.is_empty() { (Value::Null, Value::Null) } else { (json!(start + 1), json!(end)) };
        Response::json(
            200,
            &json!({
                "current_page": page,
                "data": data,
                "first_page_url": url(1),
                "from": from,
                "last_page": last_page,
                "last_page_url": url(last_page),
                "links": links,
                "next_page_url": (page < last_page).then(|| url(page + 1)),
                "path": path,
                "per_page": PER_PAGE,
                "prev_page_url": (page > 1).then(|| url(page - 1)),
                "to": to,
                "total": total,
            }),
        )
    }

    fn create(&mut self, org: &str, server: &str, request: &Request, now: OffsetDateTime) -> Response {
        if let Err(r) = self.org(org) {
            return r;
        }
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
        let mut record = data::serveravatar_backup(id, SA.organization, i, &mut self.rng, now);
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
        if automatic {
            message(200, "Backup plan created successfully.")
        } else {
            message(200, "Backup Process has been started successfully!")
        }
    }
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
    let first = errors.values().next().and_then(|v| v[0].as_str()).unwrap_or("The given data was invalid.").to_string();
    let extra = errors.len() - 1;
    let msg =
        if extra > 0 { format!("{first} (and {extra} more error{})", if extra > 1 { "s" } else { "" }) } else { first };
    Err(Response::json(422, &json!({"message": msg, "errors": errors})))
}
