//! Every mittwald backup action end to end: the core's builders and parsers against
//! `Sim::handle`, with phases advanced by moving the clock one `operation_ms` at a time.

use backboard_core::http::{Method, Request, Response};
use backboard_core::providers::mittwald::*;
use backboard_core::providers::mittwald::{self as mw, ExportPhase, ProjectBackup, RestorePhase};
use backboard_core::{Error, FieldError, Token};
use backboard_sim::{data, Config, Sim, DEMO_MW_PROJECT, DEMO_MW_TOKEN};
use serde_json::{json, Value};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

const NOW: OffsetDateTime = datetime!(2026-11-23 09:00 UTC);
const BASE: &str = "/mittwald";
const OP_MS: u64 = 1000;
const UNKNOWN: &str = "00000000-0000-4000-8000-000000000000";

struct World {
    sim: Sim,
    now: OffsetDateTime,
    account: mw::Account,
}

impl World {
    fn new() -> Self {
        let config = Config { mittwald: 18, operation_ms: OP_MS, ..Config::default() };
        Self { sim: Sim::new(config, NOW), now: NOW, account: account(DEMO_MW_TOKEN) }
    }

    fn send(&mut self, r: Request) -> Response {
        self.sim.handle(&r, self.now).0
    }

    /// One phase further.
    fn tick(&mut self) {
        self.now += Duration::milliseconds(OP_MS as i64);
    }

    fn list(&mut self) -> Vec<ProjectBackup> {
        let r = self.send(mw::list_request(BASE, &self.account, 1000, 0));
        mw::parse_list(&r).unwrap().0
    }

    fn get(&mut self, id: &str) -> ProjectBackup {
        let r = self.send(get_backup_request(BASE, &self.account, id));
        parse_get_backup(&r).unwrap()
    }

    /// A completed backup that can be deleted, never exported or restored.
    fn completed(&mut self) -> ProjectBackup {
        self.list()
            .into_iter()
            .find(|b| b.status == "Completed" && b.deletable && b.export.is_none() && b.restore.is_none())
            .expect("the demo data has a completed backup")
    }

    fn raw(&mut self, method: Method, path: &str, body: Value) -> Response {
        let r = Request::new(method, format!("{BASE}{path}"))
            .header("Authorization", format!("Bearer {DEMO_MW_TOKEN}"))
            .json_body(body.to_string());
        self.send(r)
    }
}

fn account(token: &str) -> mw::Account {
    mw::Account { token: Token::new(token), project_id: DEMO_MW_PROJECT.into(), query: Default::default() }
}

#[track_caller]
fn http_error<T: std::fmt::Debug>(r: Result<T, Error>, status: u16, needle: &str) {
    match r {
        Err(Error::Http { status: s, message, .. }) => {
            assert_eq!(s, status, "{message}");
            assert!(message.contains(needle), "{message:?} lacks {needle:?}");
        }
        other => panic!("expected {status}: {other:?}"),
    }
}

/// A 400 in mittwald's shape whose validation paths are exactly `paths`.
#[track_caller]
fn validation_paths(r: &Response, paths: &[&str]) {
    assert_eq!(r.status, 400, "{}", String::from_utf8_lossy(&r.body));
    let body: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(body["type"], "ValidationError");
    let sent: Vec<&str> =
        body["validationErrors"].as_array().unwrap().iter().map(|e| e["path"].as_str().unwrap()).collect();
    assert_eq!(sent, paths);
}

fn expiring_in(days: i64) -> CreateBackupForm {
    CreateBackupForm {
        description: "Before the update".into(),
        expiration_time: backboard_core::de::format_rfc3339(NOW + Duration::days(days)),
    }
}

// ---------------------------------------------------------------------------------------------
// Backups

#[test]
fn create_lists_the_backup_and_runs_it_to_completed() {
    let mut w = World::new();
    let before = w.list().len();
    let body = expiring_in(30).validate(NOW).unwrap();
    let created = parse_create_backup(&w.send(create_backup_request(BASE, &w.account, &body))).unwrap();
    assert_eq!(created.description.as_deref(), Some("Before the update"));
    assert_eq!(created.expires_at, Some(NOW + Duration::days(30)));
    assert_eq!((created.project_id.as_str(), created.deletable), (DEMO_MW_PROJECT, true));
    assert_eq!((created.status.as_str(), created.requested_at, created.created_at), ("Pending", Some(NOW), None));
    let list = w.list();
    // The spec's default order is oldest first: a new backup comes last.
    assert_eq!((list.len(), list.last()), (before + 1, Some(&created)), "oldest first");
    w.tick();
    assert_eq!(w.get(&created.id).status, "Running");
    w.tick();
    let done = w.get(&created.id);
    assert_eq!((done.status.as_str(), done.created_at), ("Completed", Some(w.now)));
    w.tick();
    assert_eq!(w.get(&created.id), done, "completed stays completed");
}

#[test]
fn create_refuses_what_the_core_refuses() {
    let mut w = World::new();
    let path = format!("/v2/projects/{DEMO_MW_PROJECT}/backups");
    for days in [3, 400] {
        assert!(expiring_in(days).validate(NOW).is_err());
        let r = w.raw(
            Method::Post,
            &path,
            json!({"expirationTime": backboard_core::de::format_rfc3339(NOW + Duration::days(days))}),
        );
        validation_paths(&r, &[".expirationTime"]);
        assert_eq!(validation_errors(&r.body)[0].field, "expirationTime", "the provider's word lands on the field");
    }
    validation_paths(&w.raw(Method::Post, &path, json!({})), &[".expirationTime"]);
    validation_paths(
        &w.raw(Method::Post, &path, json!({"expirationTime": "soon", "description": 5})),
        &[".expirationTime", ".description"],
    );
    validation_paths(&w.raw(Method::Post, &path, json!([1])), &[""]);
    let before = w.list().len();
    assert_eq!(w.list().len(), before, "nothing was created");
    // Another project, a wrong token.
    let body = expiring_in(30).validate(NOW).unwrap();
    let mut other = account(DEMO_MW_TOKEN);
    other.project_id = UNKNOWN.into();
    http_error(parse_create_backup(&w.send(create_backup_request(BASE, &other, &body))), 403, "permission denied");
    http_error(
        parse_create_backup(&w.send(create_backup_request(BASE, &account("wrong"), &body))),
        403,
        "permission denied",
    );
    http_error(
        parse_create_backup(&w.send(create_backup_request(BASE, &account(""), &body))),
        403,
        "permission denied",
    );
    let unauthenticated = Request::new(Method::Post, format!("{BASE}{path}")).json_body("{}".into());
    http_error(parse_create_backup(&w.send(unauthenticated)), 401, "no access token");
}

#[test]
fn get_update_and_refusals_by_id() {
    let mut w = World::new();
    let b = w.completed();
    assert_eq!(w.get(&b.id), b);
    let form = UpdateBackupForm {
        description: "renamed".into(),
        expiration_time: backboard_core::de::format_rfc3339(NOW + Duration::days(90)),
    };
    let r = w.send(update_backup_request(BASE, &w.account, &b.id, &form.validate(NOW).unwrap()));
    assert_eq!((r.status, parse_update_backup(&r)), (204, Ok(())));
    let updated = w.get(&b.id);
    assert_eq!((updated.description.as_deref(), updated.expires_at), (Some("renamed"), Some(NOW + Duration::days(90))));
    let only_description = UpdateBackupForm { description: "again".into(), expiration_time: String::new() };
    w.send(update_backup_request(BASE, &w.account, &b.id, &only_description.validate(NOW).unwrap()));
    assert_eq!(w.get(&b.id).expires_at, Some(NOW + Duration::days(90)), "unchanged");
    // The spec's update sets only the year's limit: sooner than 7 days is fine.
    let soon = UpdateBackupForm {
        description: "soon".into(),
        expiration_time: backboard_core::de::format_rfc3339(NOW + Duration::days(2)),
    };
    let r = w.send(update_backup_request(BASE, &w.account, &b.id, &soon.validate(NOW).unwrap()));
    assert_eq!((r.status, w.get(&b.id).expires_at), (204, Some(NOW + Duration::days(2))));
    let r = w.raw(
        Method::Patch,
        &format!("/v2/project-backups/{}", b.id),
        json!({"expirationTime": "2020-01-01T00:00:00Z"}),
    );
    validation_paths(&r, &[".expirationTime"]);

    http_error(parse_get_backup(&w.send(get_backup_request(BASE, &w.account, UNKNOWN))), 404, "backup not found");
    http_error(parse_get_backup(&w.send(get_backup_request(BASE, &w.account, "nope"))), 400, "projectBackupId");
    http_error(parse_get_backup(&w.send(get_backup_request(BASE, &account("wrong"), &b.id))), 403, "permission denied");
    let r = w.send(update_backup_request(BASE, &w.account, UNKNOWN, &form.validate(NOW).unwrap()));
    http_error(parse_update_backup(&r), 404, "backup not found");
}

#[test]
fn delete_only_what_is_deletable() {
    let mut w = World::new();
    let list = w.list();
    let kept: Vec<&ProjectBackup> = list.iter().filter(|b| !b.deletable).collect();
    assert!(kept.len() >= 2, "the demo data has a few backups mittwald keeps: {}", kept.len());
    let kept = kept[0].clone();
    assert!(check_deletable(&kept).is_err());
    http_error(parse_delete_backup(&w.send(delete_backup_request(BASE, &w.account, &kept.id))), 412, "not deletable");
    assert_eq!(w.list().len(), list.len());

    let b = w.completed();
    assert_eq!(check_deletable(&b), Ok(()));
    assert_eq!(parse_delete_backup(&w.send(delete_backup_request(BASE, &w.account, &b.id))), Ok(()));
    let after = w.list();
    assert_eq!(after.len(), list.len() - 1);
    assert!(after.iter().all(|x| x.id != b.id), "deleted backups vanish from the list");
    http_error(parse_get_backup(&w.send(get_backup_request(BASE, &w.account, &b.id))), 404, "backup not found");
    http_error(parse_delete_backup(&w.send(delete_backup_request(BASE, &w.account, &b.id))), 404, "backup not found");
}

// ---------------------------------------------------------------------------------------------
// Export

#[test]
fn export_goes_pending_exporting_completed_and_downloads() {
    let mut w = World::new();
    let b = w.completed();
    let body = ExportBackupForm { format: "zip".into(), password: "pw".into() }.validate(NOW).unwrap();
    assert_eq!(parse_export_backup(&w.send(export_backup_request(BASE, &w.account, &b.id, &body))), Ok(()));
    let phase = |w: &mut World| w.get(&b.id).export.unwrap().phase.unwrap();
    assert_eq!(phase(&mut w), ExportPhase::Pending);
    let e = w.get(&b.id).export.unwrap();
    assert_eq!((e.format.as_str(), e.with_password, e.download_url), ("zip", true, None));
    // A second export while one runs is refused.
    http_error(
        parse_export_backup(&w.send(export_backup_request(BASE, &w.account, &b.id, &body))),
        412,
        "already running",
    );
    w.tick();
    assert_eq!(phase(&mut w), ExportPhase::Exporting);
    assert!(export_running(&w.get(&b.id)));
    w.tick();
    let done = w.get(&b.id);
    let (url, checksum) = export_download(&done).expect("a link once Completed");
    let url = url.to_string();
    let checksum = checksum.unwrap().to_string();
    assert_eq!(url, format!("http://127.0.0.1:8790/mittwald/_downloads/{}.zip", b.id));
    assert_eq!(done.export.as_ref().unwrap().expires_at, Some(w.now + Duration::days(7)));
    assert!(w.list().iter().any(|x| x.id == b.id && x.export == done.export), "the list shows the same export");

    // The download link is the simulator's own, needs no token, and matches the checksum.
    let download = w.send(Request::new(Method::Get, url.clone()));
    assert_eq!(download.status, 200);
    assert_eq!(data::hex(&data::sha256(&download.body)), checksum);

    // Once the link expires it is gone.
    w.now += Duration::days(8);
    let expired = w.get(&b.id).export.unwrap();
    assert_eq!((expired.phase, expired.download_url), (Some(ExportPhase::Expired), None));
    assert_eq!(w.send(Request::new(Method::Get, url)).status, 404);
}

#[test]
fn export_refusals_and_deleting_the_export() {
    let mut w = World::new();
    let b = w.completed();
    let path = format!("/v2/project-backups/{}/export", b.id);
    validation_paths(&w.raw(Method::Post, &path, json!({"format": "rar"})), &[".format"]);
    validation_paths(&w.raw(Method::Post, &path, json!({})), &[".format"]);
    validation_paths(&w.raw(Method::Post, &path, json!({"format": "tar", "password": 1})), &[".password"]);
    assert!(ExportBackupForm { format: "rar".into(), password: String::new() }.validate(NOW).is_err());

    // A backup that is not completed yet cannot be exported.
    let created =
        parse_create_backup(&w.send(create_backup_request(BASE, &w.account, &expiring_in(30).validate(NOW).unwrap())))
            .unwrap();
    let tar = ExportBackupForm { format: "tar".into(), password: String::new() }.validate(NOW).unwrap();
    http_error(
        parse_export_backup(&w.send(export_backup_request(BASE, &w.account, &created.id, &tar))),
        412,
        "completed",
    );

    http_error(parse_delete_export(&w.send(delete_export_request(BASE, &w.account, &b.id))), 404, "export not found");
    assert_eq!(parse_export_backup(&w.send(export_backup_request(BASE, &w.account, &b.id, &tar))), Ok(()));
    w.tick();
    w.tick();
    assert!(export_download(&w.get(&b.id)).is_some());
    assert_eq!(parse_delete_export(&w.send(delete_export_request(BASE, &w.account, &b.id))), Ok(()));
    assert_eq!(w.get(&b.id).export, None);
    let downloads = format!("/mittwald/_downloads/{}.tar.gz", b.id);
    assert_eq!(w.send(Request::new(Method::Get, downloads)).status, 404);
    http_error(
        parse_export_backup(&w.send(export_backup_request(BASE, &w.account, UNKNOWN, &tar))),
        404,
        "backup not found",
    );
}

// ---------------------------------------------------------------------------------------------
// Restore and its pickers

#[test]
fn restore_runs_then_completes() {
    let mut w = World::new();
    let b = w.completed();
    let dumps = parse_database_dumps(&w.send(database_dumps_request(BASE, &w.account, &b.id))).unwrap();
    assert_eq!(dumps.len(), 2);
    let form = RestoreBackupForm {
        database_restores: vec![DatabaseRestoreForm {
            database_backup_dump: dumps[0].clone(),
            target_database_id: "9d8c7b6a-5f4e-4d3c-2b1a-0f9e8d7c6b5a".into(),
        }],
        source_paths: vec!["/html/shop/wp-content".into(), "/html/shop/index.php".into()],
        target_restore_path: String::new(),
        clear_target_path: true,
    };
    let body = form.validate(NOW).unwrap();
    assert_eq!(parse_restore_backup(&w.send(restore_backup_request(BASE, &w.account, &b.id, &body))), Ok(()));
    let running = w.get(&b.id);
    assert!(restore_running(&running));
    let restore = running.restore.unwrap();
    assert_eq!(restore.database_restores.unwrap()[0].database_backup_dump, dumps[0]);
    let paths = restore.path_restore.unwrap();
    assert_eq!((paths.determined_target_path.as_str(), paths.clear_target_path), ("/html/shop", true));
    assert_eq!(paths.target_restore_path, None);
    let mut filtered = w.account.clone();
    filtered.query.running_restores_only = Some(true);
    let r = w.send(mw::list_request(BASE, &filtered, 1000, 0));
    assert!(mw::parse_list(&r).unwrap().0.iter().any(|x| x.id == b.id), "listed as running");
    http_error(
        parse_restore_backup(&w.send(restore_backup_request(BASE, &w.account, &b.id, &body))),
        412,
        "already running",
    );
    w.tick();
    let done = w.get(&b.id);
    assert_eq!(done.restore.as_ref().unwrap().phase, RestorePhase::Completed);
    assert!(!restore_running(&done));
    // Completed: a new restore may start, with a target this time.
    let form = RestoreBackupForm {
        database_restores: vec![],
        source_paths: vec!["/files".into()],
        target_restore_path: "/restored".into(),
        clear_target_path: false,
    };
    let r = w.send(restore_backup_request(BASE, &w.account, &b.id, &form.validate(NOW).unwrap()));
    assert_eq!(parse_restore_backup(&r), Ok(()));
    let paths = w.get(&b.id).restore.unwrap().path_restore.unwrap();
    assert_eq!(
        (paths.determined_target_path.as_str(), paths.target_restore_path.as_deref()),
        ("/restored", Some("/restored"))
    );
}

#[test]
fn restore_refusals() {
    let mut w = World::new();
    let b = w.completed();
    let path = format!("/v2/project-backups/{}/restore", b.id);
    let r = w.raw(
        Method::Post,
        &path,
        json!({"databaseRestores": [{"databaseBackupDump": "other.sql.gz", "targetDatabaseId": "x"}]}),
    );
    validation_paths(&r, &[".databaseRestores[0].databaseBackupDump", ".databaseRestores[0].targetDatabaseId"]);
    let errors = validation_errors(&r.body);
    assert_eq!(
        errors.iter().map(|e| e.field).collect::<Vec<_>>(),
        ["databaseRestores.databaseBackupDump", "databaseRestores.targetDatabaseId"]
    );
    let r = w.raw(Method::Post, &path, json!({"pathRestore": {"sourcePaths": ["/html", "/nowhere"]}}));
    validation_paths(&r, &[".pathRestore.sourcePaths[1]"]);
    assert_eq!(
        validation_errors(&r.body),
        [FieldError::new("pathRestore.sourcePaths", "is not a path in this backup")]
    );
    validation_paths(
        &w.raw(Method::Post, &path, json!({"pathRestore": {"sourcePaths": []}})),
        &[".pathRestore.sourcePaths"],
    );
    validation_paths(
        &w.raw(Method::Post, &path, json!({"pathRestore": {"sourcePaths": ["/html"], "targetRestorePath": "x"}})),
        &[".pathRestore.targetRestorePath"],
    );
    validation_paths(
        &w.raw(Method::Post, &path, json!({"pathRestore": {"sourcePaths": ["/html"], "clearTargetPath": "yes"}})),
        &[".pathRestore.clearTargetPath"],
    );
    validation_paths(&w.raw(Method::Post, &path, json!({})), &[""]);
    assert!(RestoreBackupForm::default().validate(NOW).is_err(), "the core refuses the empty restore too");
    assert!(!restore_running(&w.get(&b.id)), "nothing started");
    // Not completed yet.
    let created =
        parse_create_backup(&w.send(create_backup_request(BASE, &w.account, &expiring_in(30).validate(NOW).unwrap())))
            .unwrap();
    let r = w.raw(
        Method::Post,
        &format!("/v2/project-backups/{}/restore", created.id),
        json!({"pathRestore": {"sourcePaths": ["/html"]}}),
    );
    http_error(parse_restore_backup(&r), 412, "completed");
}

#[test]
fn the_directory_tree_one_level_at_a_time() {
    let mut w = World::new();
    let b = w.completed();
    let root = parse_directories(&w.send(directories_request(BASE, &w.account, &b.id, ""))).unwrap();
    assert_eq!(root.absolute_path, "/");
    let names: Vec<&str> = root.items.as_ref().unwrap().iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["html", "files", "logs"]);
    let shop = parse_directories(&w.send(directories_request(BASE, &w.account, &b.id, "/html/shop/"))).unwrap();
    assert!(shop.is_dir());
    let items = shop.items.unwrap();
    let paths: Vec<&str> = items.iter().map(|i| i.absolute_path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/html/shop/index.php",
            "/html/shop/wp-config.php",
            "/html/shop/wp-content",
            "/html/shop/.htaccess",
            "/html/shop/bin"
        ]
    );
    assert!(items.iter().all(|i| i.items.is_none()), "children come without their own children");
    assert_eq!(items[0].size_bytes(), Some(405));
    let html = parse_directories(&w.send(directories_request(BASE, &w.account, &b.id, "/html"))).unwrap();
    let link = html.items.unwrap().into_iter().find(|i| i.name == "current").unwrap();
    assert_eq!((link.is_symlink, link.target.as_deref()), (Some(true), Some("/html/shop")));
    let exec = parse_directories(&w.send(directories_request(BASE, &w.account, &b.id, "/html/shop/bin"))).unwrap();
    assert_eq!(exec.items.unwrap()[0].is_executable, Some(true));
    let file = parse_directories(&w.send(directories_request(BASE, &w.account, &b.id, "/files/export.csv"))).unwrap();
    assert_eq!((file.is_file, file.items), (Some(true), None));
    http_error(
        parse_directories(&w.send(directories_request(BASE, &w.account, &b.id, "/nowhere"))),
        404,
        "path not found",
    );
    http_error(parse_directories(&w.send(directories_request(BASE, &w.account, &b.id, "html"))), 400, "directory");
    http_error(
        parse_directories(&w.send(directories_request(BASE, &w.account, UNKNOWN, "/"))),
        404,
        "backup not found",
    );
    http_error(
        parse_database_dumps(&w.send(database_dumps_request(BASE, &w.account, UNKNOWN))),
        404,
        "backup not found",
    );
    http_error(
        parse_database_dumps(&w.send(database_dumps_request(BASE, &account("x"), &b.id))),
        403,
        "permission denied",
    );
}

// ---------------------------------------------------------------------------------------------
// Schedules

fn schedules(w: &mut World) -> Vec<ProjectBackupSchedule> {
    parse_list_schedules(&w.send(list_schedules_request(BASE, &w.account))).unwrap()
}

#[test]
fn the_demo_project_has_a_system_and_a_user_schedule() {
    let mut w = World::new();
    let list = schedules(&mut w);
    assert_eq!(list.len(), 2);
    let (system, user) = (&list[0], &list[1]);
    assert!(system.is_system_backup && !user.is_system_backup);
    assert_eq!(check_cron(&system.schedule), Ok(CronFrequency::Daily));
    assert_eq!(check_cron(&user.schedule), Ok(CronFrequency::AtMostHourly));
    assert!(list.iter().all(|s| s.project_id == DEMO_MW_PROJECT && s.ttl.as_deref().and_then(parse_ttl).is_some()));
    assert_eq!(parse_get_schedule(&w.send(get_schedule_request(BASE, &w.account, &user.id))).unwrap(), *user);
}

#[test]
fn schedules_create_update_delete() {
    let mut w = World::new();
    let form =
        CreateScheduleForm { description: "Nightly shop".into(), schedule: "30 2 * * *".into(), ttl: "30d".into() };
    let r = w.send(create_schedule_request(BASE, &w.account, &form.validate(NOW).unwrap()));
    assert_eq!(r.status, 201);
    let id = parse_create_schedule(&r).unwrap().id;
    let created = parse_get_schedule(&w.send(get_schedule_request(BASE, &w.account, &id))).unwrap();
    // The answer is the new schedule itself, as the official spec's 201 types it.
    assert_eq!(parse_get_schedule(&r).unwrap(), created);
    assert_eq!(
        (created.schedule.as_str(), created.ttl.as_deref(), created.description.as_deref(), created.is_system_backup),
        ("30 2 * * *", Some("30d"), Some("Nightly shop"), false)
    );
    assert_eq!(schedules(&mut w).len(), 3);

    w.now += Duration::hours(1);
    let mut edit = UpdateScheduleForm::from_schedule(&created);
    edit.schedule = "0 */2 * * *".into();
    edit.ttl = "60d".into();
    let r = w.send(update_schedule_request(BASE, &w.account, &id, &edit.validate(w.now).unwrap()));
    assert_eq!(parse_update_schedule(&r), Ok(()));
    let updated = parse_get_schedule(&w.send(get_schedule_request(BASE, &w.account, &id))).unwrap();
    assert_eq!((updated.schedule.as_str(), updated.ttl.as_deref()), ("0 */2 * * *", Some("60d")));
    assert_eq!(updated.updated_at, Some(w.now));

    assert_eq!(parse_delete_schedule(&w.send(delete_schedule_request(BASE, &w.account, &id))), Ok(()));
    assert_eq!(schedules(&mut w).len(), 2);
    http_error(parse_get_schedule(&w.send(get_schedule_request(BASE, &w.account, &id))), 404, "schedule not found");
    http_error(
        parse_delete_schedule(&w.send(delete_schedule_request(BASE, &w.account, &id))),
        404,
        "schedule not found",
    );
    http_error(
        parse_get_schedule(&w.send(get_schedule_request(BASE, &w.account, "x"))),
        400,
        "projectBackupScheduleId",
    );
    http_error(
        parse_list_schedules(&w.send(list_schedules_request(BASE, &account("wrong")))),
        403,
        "permission denied",
    );
}

#[test]
fn schedule_validation_matches_the_core() {
    let mut w = World::new();
    let path = format!("/v2/projects/{DEMO_MW_PROJECT}/backup-schedules");
    for (body, paths) in [
        (json!({"schedule": "*/5 * * * *", "ttl": "30d"}), vec![".schedule"]),
        (json!({"schedule": "0 3 * * *", "ttl": "400d"}), vec![".ttl"]),
        (json!({"schedule": "0 3 * * *", "ttl": "6d"}), vec![".ttl"]),
        (json!({}), vec![".schedule", ".ttl"]),
        (json!({"schedule": 5, "ttl": "30d", "description": []}), vec![".schedule", ".description"]),
    ] {
        validation_paths(&w.raw(Method::Post, &path, body.clone()), &paths);
        let form = CreateScheduleForm {
            description: String::new(),
            schedule: body["schedule"].as_str().unwrap_or("").into(),
            ttl: body["ttl"].as_str().unwrap_or("").into(),
        };
        assert!(form.validate(NOW).is_err(), "the core refuses {body} too");
    }
    assert_eq!(schedules(&mut w).len(), 2, "nothing was created");
    let user = schedules(&mut w)[1].id.clone();
    let r = w.raw(Method::Patch, &format!("/v2/project-backup-schedules/{user}"), json!({"ttl": "1d"}));
    validation_paths(&r, &[".ttl"]);
    assert_eq!(validation_errors(&r.body)[0].field, "ttl");
}

#[test]
fn the_system_schedule_stays_daily_and_stays() {
    let mut w = World::new();
    let system = schedules(&mut w).into_iter().find(|s| s.is_system_backup).unwrap();
    let path = format!("/v2/project-backup-schedules/{}", system.id);
    let r = w.raw(Method::Patch, &path, json!({"schedule": "0 */2 * * *"}));
    http_error(parse_update_schedule(&r), 412, "must run daily");
    let mut form = UpdateScheduleForm::from_schedule(&system);
    form.schedule = "0 */2 * * *".into();
    assert!(form.validate(NOW).is_err(), "the core says so before sending");
    form.schedule = "45 4 * * *".into();
    form.ttl = "21d".into();
    let r = w.send(update_schedule_request(BASE, &w.account, &system.id, &form.validate(NOW).unwrap()));
    assert_eq!(parse_update_schedule(&r), Ok(()));
    let now = parse_get_schedule(&w.send(get_schedule_request(BASE, &w.account, &system.id))).unwrap();
    assert_eq!((now.schedule.as_str(), now.ttl.as_deref()), ("45 4 * * *", Some("21d")));
    // "The description of isSystemBackup true items cannot be changed"; the same one passes.
    let r = w.raw(Method::Patch, &path, json!({"description": "mine now"}));
    http_error(parse_update_schedule(&r), 412, "description of the system backup schedule cannot be changed");
    let same = json!({"description": system.description.clone().unwrap()});
    assert_eq!(parse_update_schedule(&w.raw(Method::Patch, &path, same)), Ok(()));
    http_error(
        parse_delete_schedule(&w.send(delete_schedule_request(BASE, &w.account, &system.id))),
        412,
        "cannot be deleted",
    );
    assert_eq!(schedules(&mut w).len(), 2);
}
