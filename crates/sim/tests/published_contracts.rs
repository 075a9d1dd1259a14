//! Every call Backboard makes to each provider, as the core builds it, with the simulator's
//! answer: each route's success, each error its contract documents, and the paging headers.
//! The exchanges are written to `target/contracts/exchanges.json`, where
//! `tests/contracts/contracts.test.mjs` checks each request and answer against the providers'
//! published contracts (`tests/contracts/*/openapi.json`). Here each step's status is checked,
//! so a simulator that stops answering as recorded fails before the contracts are consulted.

use backboard_core::http::Request;
use backboard_core::paging::{Endpoint, PageRef};
use backboard_core::providers::{mittwald as mwa, northflank as nfa, serveravatar as saa};
use backboard_core::providers::{mittwald as mw, northflank as nf, serveravatar as sa};
use backboard_core::Token;
use backboard_sim::{Config, Fault, FaultRule, Sim, DEMO_MW_PROJECT, DEMO_MW_TOKEN, DEMO_NF_TOKEN, DEMO_SA_TOKEN};
use serde_json::{json, Value};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

const NOW: OffsetDateTime = datetime!(2026-11-23 09:00 UTC);
const OP_MS: u64 = 1000;

/// Drives one simulator and keeps every exchange.
struct Recorder {
    sim: Sim,
    now: OffsetDateTime,
    exchanges: Vec<Value>,
}

fn headers_of(headers: &[(String, String)]) -> Value {
    Value::Object(headers.iter().map(|(k, v)| (k.to_ascii_lowercase(), json!(v))).collect())
}

fn body_of(body: &[u8]) -> Value {
    if body.is_empty() {
        return Value::Null;
    }
    serde_json::from_slice(body).unwrap_or_else(|_| json!(String::from_utf8_lossy(body)))
}

impl Recorder {
    fn new(config: Config) -> Self {
        Self { sim: Sim::new(Config { operation_ms: OP_MS, ..config }, NOW), now: NOW, exchanges: Vec::new() }
    }

    /// Sends a request and keeps the exchange. `in_contract` is false for the requests a test
    /// breaks on purpose (to draw a documented error): only their answer is checked.
    fn exchange(&mut self, what: &str, request: Request, in_contract: bool, status: u16) -> Value {
        let response = self.sim.handle(&request, self.now).0;
        let body = body_of(&response.body);
        assert_eq!(response.status, status, "{what}: {body}");
        let full = request.path_and_query().to_string();
        let (path, query) = full.split_once('?').unwrap_or((&full, ""));
        let (provider, path) = path[1..].split_once('/').expect("a provider prefix");
        self.exchanges.push(json!({
            "provider": provider,
            "what": what,
            "inContract": in_contract,
            "request": {
                "method": request.method.as_str(),
                "path": format!("/{path}"),
                "query": query,
                "headers": headers_of(&request.headers),
                "body": request.body,
            },
            "response": {"status": response.status, "headers": headers_of(&response.headers), "body": body},
        }));
        body
    }

    /// A request the core built (or one the contract allows), answered with `status`.
    fn send(&mut self, what: &str, request: Request, status: u16) -> Value {
        self.exchange(what, request, true, status)
    }

    /// A request outside the contract on purpose, to draw a documented error.
    fn refused(&mut self, what: &str, request: Request, status: u16) -> Value {
        self.exchange(what, request, false, status)
    }

    /// A page the paging engine asks for, as it lists a connection: its page size is checked
    /// against the contract's largest.
    fn page(&mut self, what: &str, request: Request) -> Value {
        let body = self.send(what, request, 200);
        if let Some(e) = self.exchanges.last_mut() {
            e["paging"] = json!(true);
        }
        body
    }

    /// The next request under `prefix` answers with this fault.
    fn fault(&mut self, prefix: &str, fault: Fault) {
        self.sim.add_fault(FaultRule { path_prefix: prefix.into(), fault, times: Some(1) });
    }

    fn later(&mut self, steps: i64) {
        self.now += Duration::milliseconds(OP_MS as i64 * steps);
    }
}

/// A request like `request` with its token header replaced by a wrong one (same scheme).
fn wrong_token(request: &Request) -> Request {
    let mut r = request.clone();
    for (name, value) in &mut r.headers {
        if name.eq_ignore_ascii_case("authorization") || name.eq_ignore_ascii_case("x-access-token") {
            *value = if value.starts_with("Bearer ") { "Bearer wrong-token".into() } else { "wrong-token".into() };
        }
    }
    r
}

/// `request` with a JSON body the contract does not allow.
fn with_body(request: &Request, body: Value) -> Request {
    let mut r = request.clone();
    r.body = Some(body.to_string());
    r
}

// ---------------------------------------------------------------------------------------------
// mittwald

const MW: &str = "/mittwald";
const UNKNOWN_UUID: &str = "00000000-0000-4000-8000-000000000000";

fn mw_account(token: &str) -> mw::Account {
    mw::Account { token: Token::new(token), project_id: DEMO_MW_PROJECT.into(), query: Default::default() }
}

/// Each of the statuses every mittwald route documents besides its own: 403 (a wrong token),
/// 429 (a rate limit), and 502/503 where documented.
fn mw_common_errors(r: &mut Recorder, what: &str, request: &Request, gateway: bool) {
    r.send(&format!("{what}: wrong token"), wrong_token(request), 403);
    r.fault("/mittwald/", Fault::RateLimit { retry_after_secs: 1 });
    r.send(&format!("{what}: rate limited"), request.clone(), 429);
    if gateway {
        for status in [502, 503] {
            r.fault("/mittwald/", Fault::Status { status });
            r.send(&format!("{what}: upstream {status}"), request.clone(), status);
        }
    }
}

fn record_mittwald(r: &mut Recorder) {
    let a = mw_account(DEMO_MW_TOKEN);
    let now = r.now;

    // List: the paging engine's first page, a later page, every filter.
    let endpoint = mw::ListEndpoint { base: MW.into(), account: a.clone(), limit: mw::DEFAULT_LIMIT };
    let first = endpoint.request(&endpoint.first_page());
    let all = r.page("list: first page", first.clone());
    r.send("list: second page", mw::list_request(MW, &a, 10, 10), 200);
    let filtered = mw::Account {
        query: mw::ListQuery {
            search_term: Some("daily".into()),
            with_exports_only: Some(false),
            sort_order: Some(mw::SortOrder::NewestFirst),
            running_restores_only: Some(false),
        },
        ..a.clone()
    };
    r.send("list: every filter", mw::list_request(MW, &filtered, 10, 0), 200);
    mw_common_errors(r, "list", &first, false);

    let backups = all.as_array().expect("a list").clone();
    let completed = |pred: &dyn Fn(&Value) -> bool| {
        backups
            .iter()
            .find(|b| b["status"] == "Completed" && b.get("export").is_none() && b.get("restore").is_none() && pred(b))
            .and_then(|b| b["id"].as_str())
            .expect("the demo data has such a backup")
            .to_string()
    };
    let exportable = completed(&|b| b["deletable"] == true);
    let restorable = completed(&|b| b["id"].as_str() != Some(exportable.as_str()));
    let kept =
        backups.iter().find(|b| b["deletable"] == false).and_then(|b| b["id"].as_str()).expect("kept").to_string();

    // Create.
    let form = mwa::CreateBackupForm {
        description: "Before the update".into(),
        expiration_time: backboard_core::de::format_rfc3339(now + Duration::days(30)),
    };
    let create = mwa::create_backup_request(MW, &a, &form.validate(now).unwrap());
    let created = r.send("create backup", create.clone(), 201);
    r.refused("create backup: no expirationTime", with_body(&create, json!({"description": "x"})), 400);
    mw_common_errors(r, "create backup", &create, false);
    let created = created["id"].as_str().expect("an id").to_string();

    // Get, update, delete.
    let get = mwa::get_backup_request(MW, &a, &created);
    r.send("get backup", get.clone(), 200);
    r.send("get backup: unknown", mwa::get_backup_request(MW, &a, UNKNOWN_UUID), 404);
    mw_common_errors(r, "get backup", &get, false);
    let update_form = mwa::UpdateBackupForm {
        description: "Kept longer".into(),
        expiration_time: backboard_core::de::format_rfc3339(now + Duration::days(60)),
    };
    let update = mwa::update_backup_request(MW, &a, &created, &update_form.validate(now).unwrap());
    r.send("update backup", update.clone(), 204);
    r.refused("update backup: a number for a date", with_body(&update, json!({"expirationTime": 5})), 400);
    r.send(
        "update backup: unknown",
        mwa::update_backup_request(MW, &a, UNKNOWN_UUID, &update_form.validate(now).unwrap()),
        404,
    );
    mw_common_errors(r, "update backup", &update, false);

    // Export, its progress, its deletion.
    let export_form = mwa::ExportBackupForm { format: "zip".into(), password: "s3cret".into() };
    let export = mwa::export_backup_request(MW, &a, &exportable, &export_form.validate(now).unwrap());
    r.refused("export: an unknown format", with_body(&export, json!({"format": "rar"})), 400);
    mw_common_errors(r, "export", &export, false);
    r.send("export", export.clone(), 204);
    r.send(
        "export: unknown",
        mwa::export_backup_request(MW, &a, UNKNOWN_UUID, &export_form.validate(now).unwrap()),
        404,
    );
    r.later(1);
    r.send("get backup: exporting", mwa::get_backup_request(MW, &a, &exportable), 200);
    r.later(1);
    r.send("get backup: exported", mwa::get_backup_request(MW, &a, &exportable), 200);
    let delete_export = mwa::delete_export_request(MW, &a, &exportable);
    mw_common_errors(r, "delete export", &delete_export, false);
    r.send("delete export", delete_export.clone(), 204);
    r.send("delete export: none", delete_export, 404);

    // Restore, with its pickers.
    let dumps_request = mwa::database_dumps_request(MW, &a, &restorable);
    let dumps = r.send("database dumps", dumps_request.clone(), 200);
    r.send("database dumps: unknown", mwa::database_dumps_request(MW, &a, UNKNOWN_UUID), 404);
    mw_common_errors(r, "database dumps", &dumps_request, true);
    let tree = mwa::directories_request(MW, &a, &restorable, "");
    r.send("directories: root", tree.clone(), 200);
    r.send("directories: a folder", mwa::directories_request(MW, &a, &restorable, "/html/shop"), 200);
    r.send("directories: unknown backup", mwa::directories_request(MW, &a, UNKNOWN_UUID, ""), 404);
    mw_common_errors(r, "directories", &tree, true);
    let restore_form = mwa::RestoreBackupForm {
        database_restores: vec![mwa::DatabaseRestoreForm {
            database_backup_dump: dumps["databases"][0].as_str().expect("a dump").into(),
            target_database_id: "9d8c7b6a-5f4e-4d3c-2b1a-0f9e8d7c6b5a".into(),
        }],
        source_paths: vec!["/html/shop/wp-content".into()],
        target_restore_path: "/html/shop".into(),
        clear_target_path: false,
    };
    let restore = mwa::restore_backup_request(MW, &a, &restorable, &restore_form.validate(now).unwrap());
    r.refused("restore: paths not a list", with_body(&restore, json!({"pathRestore": {"sourcePaths": "/html"}})), 400);
    mw_common_errors(r, "restore", &restore, false);
    r.send("restore", restore.clone(), 204);
    r.send(
        "restore: unknown",
        mwa::restore_backup_request(MW, &a, UNKNOWN_UUID, &restore_form.validate(now).unwrap()),
        404,
    );
    r.send("get backup: restoring", mwa::get_backup_request(MW, &a, &restorable), 200);

    // Delete: mittwald's own backups stay (412 is the simulator's precondition answer).
    let delete = mwa::delete_backup_request(MW, &a, &created);
    mw_common_errors(r, "delete backup", &delete, false);
    r.send("delete backup", delete.clone(), 204);
    r.send("delete backup: unknown", delete, 404);
    r.send("delete backup: kept by mittwald", mwa::delete_backup_request(MW, &a, &kept), 412);

    // Schedules.
    let list = mwa::list_schedules_request(MW, &a);
    let schedules = r.send("list schedules", list.clone(), 200);
    mw_common_errors(r, "list schedules", &list, false);
    let system = schedules.as_array().unwrap().iter().find(|s| s["isSystemBackup"] == true).expect("system schedule");
    let system_id = system["id"].as_str().unwrap().to_string();
    let schedule_form =
        mwa::CreateScheduleForm { description: "Nightly".into(), schedule: "30 2 * * *".into(), ttl: "30d".into() };
    let create_schedule = mwa::create_schedule_request(MW, &a, &schedule_form.validate(now).unwrap());
    let new_schedule = r.send("create schedule", create_schedule.clone(), 201);
    r.refused("create schedule: no ttl", with_body(&create_schedule, json!({"schedule": "0 3 * * *"})), 400);
    mw_common_errors(r, "create schedule", &create_schedule, false);
    let new_id = new_schedule["id"].as_str().expect("an id").to_string();
    let get_schedule = mwa::get_schedule_request(MW, &a, &new_id);
    r.send("get schedule", get_schedule.clone(), 200);
    r.send("get schedule: unknown", mwa::get_schedule_request(MW, &a, UNKNOWN_UUID), 404);
    mw_common_errors(r, "get schedule", &get_schedule, false);
    let edit = mwa::UpdateScheduleForm {
        is_system_backup: false,
        description: "Nightly, kept".into(),
        schedule: "0 4 * * *".into(),
        ttl: "60d".into(),
    };
    let update_schedule = mwa::update_schedule_request(MW, &a, &new_id, &edit.validate(now).unwrap());
    r.send("update schedule", update_schedule.clone(), 204);
    r.refused("update schedule: a ttl as a number", with_body(&update_schedule, json!({"ttl": 30})), 400);
    r.send(
        "update schedule: unknown",
        mwa::update_schedule_request(MW, &a, UNKNOWN_UUID, &edit.validate(now).unwrap()),
        404,
    );
    let hourly = with_body(
        &mwa::update_schedule_request(MW, &a, &system_id, &edit.validate(now).unwrap()),
        json!({"schedule": "0 * * * *"}),
    );
    r.send("update schedule: the system schedule hourly", hourly, 412);
    mw_common_errors(r, "update schedule", &update_schedule, false);
    let system_form = mwa::UpdateScheduleForm::from_schedule(&serde_json::from_value(system.clone()).unwrap());
    let system_edit = mwa::UpdateScheduleForm { schedule: "15 4 * * *".into(), ..system_form };
    r.send(
        "update schedule: the system schedule's time",
        mwa::update_schedule_request(MW, &a, &system_id, &system_edit.validate(now).unwrap()),
        204,
    );
    let delete_schedule = mwa::delete_schedule_request(MW, &a, &new_id);
    mw_common_errors(r, "delete schedule", &delete_schedule, false);
    r.send("delete schedule", delete_schedule.clone(), 204);
    r.send("delete schedule: unknown", delete_schedule, 404);
    r.send("delete schedule: the system schedule", mwa::delete_schedule_request(MW, &a, &system_id), 412);
}

// ---------------------------------------------------------------------------------------------
// Northflank

const NF: &str = "/northflank";

fn nf_account(target: nf::Target) -> nf::Account {
    nf::Account { token: Token::new(DEMO_NF_TOKEN), target }
}

fn addon_target() -> nf::Target {
    nf::Target::Addon { project_id: "demo-project".into(), addon_id: "postgres-main".into() }
}

fn nf_rate_limited(r: &mut Recorder, what: &str, request: &Request) {
    r.fault("/northflank/", Fault::RateLimit { retry_after_secs: 1 });
    r.send(&format!("{what}: rate limited"), request.clone(), 429);
}

fn record_northflank(r: &mut Recorder) {
    let a = nf_account(addon_target());
    let addon = nfa::Addon::new("demo-project", "postgres-main");
    let now = r.now;

    // Both lists, page after page by cursor.
    let mut addon_backups = Vec::new();
    for (label, target) in [
        ("addon", addon_target()),
        ("destination", nf::Target::Destination { backup_destination_id: "offsite-s3".into() }),
    ] {
        let endpoint = nf::ListEndpoint { base: NF.into(), account: nf_account(target), per_page: nf::MAX_PER_PAGE };
        let mut page = endpoint.first_page();
        for n in 1.. {
            let request = endpoint.request(&page);
            let body = r.page(&format!("list {label}: page {n}"), request.clone());
            if n == 1 {
                r.send(&format!("list {label}: wrong token"), wrong_token(&request), 401);
                nf_rate_limited(r, &format!("list {label}"), &request);
            }
            if label == "addon" {
                addon_backups.extend(body["data"]["backups"].as_array().cloned().unwrap_or_default());
            }
            match body["pagination"]["cursor"].as_str() {
                Some(c) => page = PageRef::Cursor(Some(c.into())),
                None => break,
            }
        }
    }
    let unknown = nf::Account {
        target: nf::Target::Addon { project_id: "demo-project".into(), addon_id: "no-such-addon".into() },
        ..a.clone()
    };
    r.send("list addon: unknown addon", nf::list_request(NF, &unknown, 100, None), 404);
    let unknown_destination = nf_account(nf::Target::Destination { backup_destination_id: "nowhere".into() });
    r.send("list destination: unknown", nf::list_request(NF, &unknown_destination, 100, None), 404);
    let of_status = |status: &str| {
        addon_backups
            .iter()
            .find(|b| b["status"] == status)
            .and_then(|b| b["id"].as_str())
            .unwrap_or_else(|| panic!("the demo data has a {status} backup"))
            .to_string()
    };
    let (completed, running) = (of_status("completed"), of_status("in-progress"));

    // Create: defaults, a dump to a destination, a snapshot copied to another.
    let forms = [
        ("create backup: defaults", nfa::CreateForm::default()),
        (
            "create backup: a dump",
            nfa::CreateForm {
                name: "Before deploy".into(),
                backup_type: "dump".into(),
                compression_type: "zstd".into(),
                custom_destination_id: "offsite-s3".into(),
                ..Default::default()
            },
        ),
        (
            "create backup: a snapshot with another destination",
            nfa::CreateForm {
                backup_type: "snapshot".into(),
                additional_destinations: "offsite-s3".into(),
                ..Default::default()
            },
        ),
    ];
    let mut created = String::new();
    for (what, form) in forms {
        let body = r.send(what, nfa::create_request(NF, &a, &addon, &form.validate(now).unwrap()), 200);
        created = body["data"]["id"].as_str().expect("an id").to_string();
    }
    let create = nfa::create_request(NF, &a, &addon, &nfa::CreateForm::default().validate(now).unwrap());
    r.refused("create backup: a name too short", with_body(&create, json!({"name": "x"})), 400);
    let nowhere =
        nfa::CreateForm { backup_type: "dump".into(), custom_destination_id: "nowhere".into(), ..Default::default() };
    r.send(
        "create backup: an unknown destination",
        nfa::create_request(NF, &a, &addon, &nowhere.validate(now).unwrap()),
        404,
    );
    r.send("create backup: wrong token", wrong_token(&create), 401);

    // Get, abort, delete, restore, download link.
    let get = nfa::get_request(NF, &a, &addon, &created);
    r.send("get backup: in progress", get.clone(), 200);
    r.send("get backup: unknown", nfa::get_request(NF, &a, &addon, "no-such-backup"), 404);
    nf_rate_limited(r, "get backup", &get);
    r.send("abort", nfa::abort_request(NF, &a, &addon, &running), 200);
    r.send("abort: already aborting", nfa::abort_request(NF, &a, &addon, &running), 409);
    r.send("abort: unknown", nfa::abort_request(NF, &a, &addon, "no-such-backup"), 404);
    r.send("delete: in progress", nfa::delete_request(NF, &a, &addon, &created), 409);
    r.send("download link: not completed", nfa::download_link_request(NF, &a, &addon, &created), 409);
    let link = nfa::download_link_request(NF, &a, &addon, &completed);
    r.send("download link", link.clone(), 200);
    r.send("download link: unknown", nfa::download_link_request(NF, &a, &addon, "no-such-backup"), 404);
    let restore = nfa::restore_request(NF, &a, &addon, &completed, &nfa::RestoreForm::default().validate(now).unwrap());
    r.send("restore", restore.clone(), 200);
    r.send("restore: already running", restore, 409);
    r.send("get backup: restoring", nfa::get_request(NF, &a, &addon, &completed), 200);
    r.later(1);
    r.send("get backup: restored", nfa::get_request(NF, &a, &addon, &completed), 200);
    let destination = nf_account(nf::Target::Destination { backup_destination_id: "offsite-s3".into() });
    let global = r.send("list destination: for a global restore", nf::list_request(NF, &destination, 100, None), 200);
    let global_backup = global["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["status"] == "completed")
        .expect("a completed destination backup");
    let source = nfa::RestoreForm {
        source_project_id: global_backup["project"]["id"].as_str().unwrap().into(),
        source_addon_id: global_backup["addon"]["id"].as_str().unwrap().into(),
    };
    let global_id = global_backup["id"].as_str().unwrap();
    r.send(
        "restore: a global backup",
        nfa::restore_request(NF, &a, &addon, global_id, &source.validate(now).unwrap()),
        200,
    );
    r.send("restore: unknown", nfa::restore_request(NF, &a, &addon, "no-such-backup", &Default::default()), 404);
    r.send("delete", nfa::delete_request(NF, &a, &addon, &completed), 200);
    r.send("delete: unknown", nfa::delete_request(NF, &a, &addon, &completed), 404);

    // Schedules.
    let kept = |backup_type: &str| nfa::ScheduleForm {
        backup_type: backup_type.into(),
        retention_time: "14".into(),
        ..Default::default()
    };
    let daily =
        nfa::ScheduleForm { interval: "daily".into(), minute: "0, 30".into(), hour: "2".into(), ..kept("snapshot") };
    let schedule = nfa::schedule_request(NF, &a, &addon, &daily.validate(now).unwrap());
    r.send("schedule: daily", schedule.clone(), 200);
    r.send("schedule: the same interval again", schedule.clone(), 409);
    let weekly = nfa::ScheduleForm {
        interval: "weekly".into(),
        minute: "15".into(),
        hour: "18".into(),
        day: "4".into(),
        ..kept("dump")
    };
    r.send("schedule: weekly", nfa::schedule_request(NF, &a, &addon, &weekly.validate(now).unwrap()), 200);
    let hourly = nfa::ScheduleForm { interval: "hourly".into(), minute: "5".into(), ..kept("snapshot") };
    r.send("schedule: hourly", nfa::schedule_request(NF, &a, &addon, &hourly.validate(now).unwrap()), 200);
    let out_of_range =
        json!({"scheduling": {"interval": "hourly", "minute": [60]}, "backupType": "snapshot", "retentionTime": 7});
    r.refused("schedule: minutes out of range", with_body(&schedule, out_of_range), 400);
}

// ---------------------------------------------------------------------------------------------
// ServerAvatar

const SA: &str = "/serveravatar";

fn sa_account(token: &str, organization: &str) -> sa::Account {
    sa::Account { token: Token::new(token), organization: organization.into() }
}

fn sa_create_form() -> sa::CreateForm {
    sa::CreateForm {
        server: "15".into(),
        provider: "wasabi".into(),
        cloud_storage_provider_id: "10".into(),
        automatic_backup: true,
        backup_type: "application".into(),
        application_id: "4246".into(),
        database_id: "4223".into(),
        schedule: "Every Hour".into(),
        retention_period: "1 Month".into(),
        start_backup_from_now: true,
        application_extension: ".tar.gz".into(),
        database_extension: ".sql.gz".into(),
        ..Default::default()
    }
}

fn record_serveravatar(r: &mut Recorder) {
    let a = sa_account(DEMO_SA_TOKEN, "5");
    let now = r.now;

    // List and archive pages, deleted servers.
    let first = sa::list_request(SA, &a, 1);
    let page = r.send("list: page 1", first.clone(), 200);
    r.send("list: page 2", sa::list_request(SA, &a, 2), 200);
    r.send("list: past the end", sa::list_request(SA, &a, 99), 200);
    r.send("list: unknown organization", sa::list_request(SA, &sa_account(DEMO_SA_TOKEN, "6"), 1), 404);
    r.send("list: the broken organization", sa::list_request(SA, &sa_account(DEMO_SA_TOKEN, "99"), 1), 500);
    r.send("list: wrong token", wrong_token(&first), 401);
    r.fault("/serveravatar/", Fault::RateLimit { retry_after_secs: 1 });
    r.send("list: rate limited", first, 429);
    for kind in saa::ArchiveKind::ALL {
        r.send(&format!("archive {}: page 1", kind.as_str()), saa::archive_request(SA, &a, kind, 1), 200);
    }
    r.send("archive application: page 2", saa::archive_request(SA, &a, saa::ArchiveKind::Application, 2), 200);
    let elsewhere = sa_account(DEMO_SA_TOKEN, "6");
    r.send("archive: unknown organization", saa::archive_request(SA, &elsewhere, saa::ArchiveKind::Database, 1), 404);
    let deleted = saa::deleted_servers_request(SA, &a);
    r.send("deleted servers", deleted.clone(), 200);
    r.send("deleted servers: unknown organization", saa::deleted_servers_request(SA, &elsewhere), 404);
    r.send("deleted servers: wrong token", wrong_token(&deleted), 401);

    // Create: the documented answers.
    let create = |form: sa::CreateForm| form.validate(now).unwrap().to_request(SA, &a);
    r.send("create: automatic", create(sa_create_form()), 200);
    let instant = sa::CreateForm {
        automatic_backup: false,
        name: "before deploy".into(),
        schedule: String::new(),
        ..sa_create_form()
    };
    r.send("create: instant", create(instant.clone()), 200);
    r.send("create: no disk space", create(sa::CreateForm { server: "36".into(), ..instant }), 500);
    r.send("create: unknown server", create(sa::CreateForm { server: "999".into(), ..sa_create_form() }), 404);
    r.send(
        "create: unknown application",
        create(sa::CreateForm { application_id: "1".into(), ..sa_create_form() }),
        404,
    );
    r.send(
        "create: unknown storage",
        create(sa::CreateForm { cloud_storage_provider_id: "999".into(), ..sa_create_form() }),
        404,
    );
    r.send("create: unknown database", create(sa::CreateForm { database_id: "1".into(), ..sa_create_form() }), 404);
    let other_org = sa_create_form().validate(now).unwrap().to_request(SA, &sa_account(DEMO_SA_TOKEN, "7"));
    r.send("create: unknown organization", other_org, 404);
    let valid = create(sa_create_form());
    r.refused("create: an unknown schedule", with_body(&valid, json!({"cloud_storage_provider_id": 10, "automatic_backup": 1,
        "type": "database", "application_id": 4246, "provider": "wasabi", "schedule": "Every Minute", "database_extension": ".sql"})), 500);

    // Delete, download.
    let backups = page["data"].as_array().unwrap().clone();
    let done: Vec<&Value> = backups.iter().filter(|b| b["status"] == "Completed").collect();
    let pending = backups.iter().find(|b| b["status"] != "Completed").expect("a backup not completed");
    let with_part = |flag: &str| {
        done.iter().find(|b| b[flag] == 1).and_then(|b| b["id"].as_u64()).expect("a part in storage").to_string()
    };
    for (part, flag) in
        [("filesystem", "application_available_in_cloudstorage"), ("database", "database_available_in_cloudstorage")]
    {
        let form = saa::DownloadForm { backup_id: with_part(flag), part: part.into() };
        r.send(&format!("download {part}"), saa::download_request(SA, &a, &form.validate(now).unwrap()), 200);
    }
    let missing = saa::DownloadForm { backup_id: "999999999".into(), part: "database".into() };
    r.send("download: unknown backup", saa::download_request(SA, &a, &missing.validate(now).unwrap()), 404);
    let readonly = sa_account(backboard_sim::providers::serveravatar::data::SA_READONLY_TOKEN, "5");
    let some =
        saa::DownloadForm { backup_id: with_part("database_available_in_cloudstorage"), part: "database".into() };
    r.send("download: a member who may not", saa::download_request(SA, &readonly, &some.validate(now).unwrap()), 500);
    let delete = |ids: Vec<String>, account: &sa::Account| {
        saa::delete_request(SA, account, &saa::DeleteForm { ids }.validate(now).unwrap())
    };
    let done_id = done[0]["id"].as_u64().unwrap().to_string();
    r.send("delete: a member who may not", delete(vec![done_id.clone()], &readonly), 500);
    r.send("delete: not completed", delete(vec![pending["id"].as_u64().unwrap().to_string()], &a), 500);
    r.send("delete", delete(vec![done_id], &a), 200);
    r.refused("delete: ids not numbers", with_body(&delete(vec!["14".into()], &a), json!({"ids": ["x"]})), 422);
}

// ---------------------------------------------------------------------------------------------

#[test]
fn every_call_and_answer_is_recorded_for_the_contract_check() {
    let config = Config { northflank_addon: 230, northflank_destination: 120, mittwald: 40, ..Config::default() };
    let mut r = Recorder::new(config);
    record_serveravatar(&mut r);
    record_northflank(&mut r);
    record_mittwald(&mut r);

    let routes: Vec<Value> = backboard_core::proxy::routes()
        .map(|(provider, method, path)| json!({"provider": provider.slug(), "method": method.as_str(), "path": path}))
        .collect();
    // Every route of the proxy was called at least once.
    for route in &routes {
        let called = r.exchanges.iter().any(|e| {
            e["provider"] == route["provider"]
                && e["request"]["method"] == route["method"]
                && route_fits(route["path"].as_str().unwrap(), e["request"]["path"].as_str().unwrap())
        });
        assert!(called, "no call of {route}");
    }
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/contracts");
    std::fs::create_dir_all(&out).expect("target/contracts");
    let file = json!({"routes": routes, "exchanges": r.exchanges});
    std::fs::write(out.join("exchanges.json"), serde_json::to_vec_pretty(&file).unwrap()).expect("exchanges.json");
}

/// Whether a path fits a route whose ids are `{}`.
fn route_fits(route: &str, path: &str) -> bool {
    let (a, b): (Vec<&str>, Vec<&str>) = (route.split('/').collect(), path.split('/').collect());
    a.len() == b.len() && a.iter().zip(&b).all(|(r, p)| *r == "{}" || r == p)
}
