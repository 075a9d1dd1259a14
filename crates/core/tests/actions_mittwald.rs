//! The mittwald backup actions of provider-api-notes.md: every request builder (method, URL,
//! headers, body), every form valid and with each invalid field alone, and every parser with
//! its success body and mittwald's error bodies.

mod common;

use backboard_core::http::{Method, Request, Response};
use backboard_core::providers::mittwald::*;
use backboard_core::providers::mittwald::{ExportPhase, ProjectBackup, RestorePhase};
use backboard_core::{Error, FieldError, Provider};
use common::*;
use serde_json::{json, Value};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

const NOW: OffsetDateTime = datetime!(2025-02-11 12:00 UTC);
const BASE: &str = "https://api.mittwald.de/";
const B: &str = "0a3f2d8e-6c1b-4b7a-9d1e-2f4c5b6a7d8e";
const S: &str = "5c9e1f2a-3b4d-4e6f-8a0b-1c2d3e4f5a6b";
const DB: &str = "9d8c7b6a-5f4e-4d3c-2b1a-0f9e8d7c6b5a";
const PROJECT: &str = "7e1b7c3a-2f4d-4c8e-9a1b-3d5e7f9a1c2b";

/// Checks the parts every request shares and returns the JSON body, if any.
#[track_caller]
fn sent(r: &Request, method: Method, path: &str) -> Option<Value> {
    assert_eq!(r.method, method);
    assert_eq!(r.url, format!("https://api.mittwald.de{path}"));
    assert_eq!(r.header_value("x-access-token"), Some(TOKEN));
    assert_eq!(r.header_value("Authorization"), None, "the token goes in one header only");
    assert_eq!(r.header_value("Accept"), Some("application/json"));
    assert!(!format!("{r:?}").contains(TOKEN), "the token stays out of debug output");
    match &r.body {
        Some(b) => {
            assert_eq!(r.header_value("Content-Type"), Some("application/json"));
            Some(serde_json::from_str(b).unwrap())
        }
        None => {
            assert_eq!(r.header_value("Content-Type"), None);
            None
        }
    }
}

/// A message fit to show next to a field: a sentence, no debug output.
fn assert_human(e: &FieldError) {
    let m = &e.message;
    assert!(m.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit()) && m.ends_with('.'), "{e:?}");
    assert!(m.len() < 200 && !m.contains(['{', '`', '"']), "{e:?}");
}

/// Exactly one problem, on `field`, with `needle` in its message.
#[track_caller]
fn rejected<T: std::fmt::Debug>(result: Result<T, Vec<FieldError>>, field: &str, needle: &str) {
    match result {
        Err(errors) => {
            assert!(matches!(errors.as_slice(), [e] if e.field == field), "{field}: {errors:?}");
            assert!(errors[0].message.contains(needle), "{:?} lacks {needle:?}", errors[0]);
            assert_human(&errors[0]);
        }
        Ok(v) => panic!("{field}: accepted {v:?}"),
    }
}

fn rfc(t: OffsetDateTime) -> String {
    backboard_core::de::format_rfc3339(t)
}

/// mittwald's error body.
fn mw_error(status: u16, kind: &str, message: &str) -> Response {
    Response::json(status, &json!({"type": kind, "message": message}))
}

#[track_caller]
fn http_error<T: std::fmt::Debug>(r: Result<T, Error>, status: u16, message: &str) {
    match r {
        Err(Error::Http { provider: Provider::Mittwald, status: s, message: m, .. }) => {
            assert_eq!((s, m.as_str()), (status, message));
        }
        other => panic!("{other:?}"),
    }
}

/// The documented errors, through one parser of each answer kind.
fn documented_errors() -> Vec<(Response, u16, &'static str)> {
    vec![
        (mw_error(404, "NotFoundError", "backup not found"), 404, "backup not found"),
        (mw_error(403, "PermissionDeniedError", "permission denied"), 403, "permission denied"),
        (mw_error(412, "PreconditionFailedError", "this backup is not deletable"), 412, "this backup is not deletable"),
        (
            Response::json(
                400,
                &json!({"type": "ValidationError", "message": "Validation failed",
                        "validationErrors": [{"message": "must be a valid uuid", "path": "projectBackupId", "type": "format"}]}),
            ),
            400,
            "Validation failed (projectBackupId: must be a valid uuid)",
        ),
        (
            Response::json(429, &json!({"message": "too many requests", "type": "RateLimitError"})),
            429,
            "too many requests",
        ),
    ]
}

// ---------------------------------------------------------------------------------------------
// Backups: create, get, update, delete

fn create_form() -> CreateBackupForm {
    CreateBackupForm { description: " Before the update ".into(), expiration_time: "2025-03-01T12:00:00Z".into() }
}

#[test]
fn create_sends_the_documented_body() {
    let body = create_form().validate(NOW).unwrap();
    let r = create_backup_request(BASE, &mw_account(), &body);
    let sent = sent(&r, Method::Post, &format!("/v2/projects/{PROJECT}/backups"));
    assert_eq!(sent, Some(json!({"expirationTime": "2025-03-01T12:00:00Z", "description": "Before the update"})));
    // No description: the key is left out.
    let body = CreateBackupForm { description: "  ".into(), ..create_form() }.validate(NOW).unwrap();
    assert_eq!(body.description(), None);
    let r = create_backup_request(BASE, &mw_account(), &body);
    assert_eq!(
        serde_json::from_str::<Value>(r.body.as_deref().unwrap()).unwrap(),
        json!({"expirationTime": "2025-03-01T12:00:00Z"})
    );
}

#[test]
fn expiration_is_read_as_typed_and_sent_in_utc() {
    for (typed, expected) in [
        ("2025-03-01T13:00:00+01:00", "2025-03-01T12:00:00Z"),
        ("2025-03-01T12:00", "2025-03-01T12:00:00Z"),
        ("2025-03-01 12:00:30", "2025-03-01T12:00:30Z"),
        (" 2025-03-01T12:00:00.5Z ", "2025-03-01T12:00:00.5Z"),
    ] {
        let form = CreateBackupForm { expiration_time: typed.into(), ..create_form() };
        let r = create_backup_request(BASE, &mw_account(), &form.validate(NOW).unwrap());
        let body: Value = serde_json::from_str(r.body.as_deref().unwrap()).unwrap();
        assert_eq!(body["expirationTime"], expected, "{typed}");
    }
}

#[test]
fn expiration_is_7_days_to_1_year_ahead() {
    let at = |t: OffsetDateTime| CreateBackupForm { expiration_time: rfc(t), ..create_form() }.validate(NOW);
    assert!(at(NOW + Duration::days(7)).is_ok());
    assert!(at(NOW + Duration::days(365)).is_ok());
    rejected(at(NOW + Duration::days(7) - Duration::seconds(1)), "expirationTime", "at least 7 days");
    rejected(at(NOW - Duration::days(1)), "expirationTime", "at least 7 days");
    rejected(at(NOW + Duration::days(365) + Duration::seconds(1)), "expirationTime", "at most 1 year");
    for bad in ["tomorrow", "01.03.2025", "2025-02-30T12:00:00Z", "2025-03-01", "2025-03-01T25:00"] {
        rejected(
            CreateBackupForm { expiration_time: bad.into(), ..create_form() }.validate(NOW),
            "expirationTime",
            "date and time",
        );
    }
    rejected(
        CreateBackupForm { expiration_time: " ".into(), ..create_form() }.validate(NOW),
        "expirationTime",
        "Choose until when",
    );
    rejected(CreateBackupForm::default().validate(NOW), "expirationTime", "Choose until when");
}

#[test]
fn get_update_and_delete_requests() {
    let a = mw_account();
    assert_eq!(sent(&get_backup_request(BASE, &a, B), Method::Get, &format!("/v2/project-backups/{B}")), None);
    assert_eq!(sent(&delete_backup_request(BASE, &a, B), Method::Delete, &format!("/v2/project-backups/{B}")), None);
    let form = UpdateBackupForm { description: " new words ".into(), expiration_time: "2025-04-01T00:00:00Z".into() };
    let r = update_backup_request(BASE, &a, B, &form.validate(NOW).unwrap());
    assert_eq!(
        sent(&r, Method::Patch, &format!("/v2/project-backups/{B}")),
        Some(json!({"description": "new words", "expirationTime": "2025-04-01T00:00:00Z"}))
    );
    // An empty expiration leaves it unchanged; an empty description clears it.
    let form = UpdateBackupForm { description: String::new(), expiration_time: String::new() };
    let r = update_backup_request(BASE, &a, B, &form.validate(NOW).unwrap());
    assert_eq!(sent(&r, Method::Patch, &format!("/v2/project-backups/{B}")), Some(json!({"description": ""})));
    // Ids are path components: nothing in one can reach another route.
    let r = get_backup_request(BASE, &a, "../projects/x");
    assert_eq!(r.url, "https://api.mittwald.de/v2/project-backups/..%2Fprojects%2Fx");
}

#[test]
fn update_checks_the_new_expiration() {
    let form = |t: &str| UpdateBackupForm { description: "d".into(), expiration_time: t.into() };
    // The spec's update names only the year: a backup may be set to expire sooner than 7 days.
    assert!(form(&rfc(NOW + Duration::days(2))).validate(NOW).is_ok());
    rejected(form(&rfc(NOW - Duration::minutes(1))).validate(NOW), "expirationTime", "in the future");
    rejected(form(&rfc(NOW + Duration::days(400))).validate(NOW), "expirationTime", "at most 1 year");
    rejected(form("soon").validate(NOW), "expirationTime", "date and time");
}

#[test]
fn the_update_form_starts_from_the_backup() {
    let backup = fixture_backup();
    let form = UpdateBackupForm::from_backup(&backup);
    assert_eq!(form.description, "Before the WordPress update");
    assert_eq!(form.expiration_time, "2024-06-01T03:04:05Z");
}

fn fixture_backup() -> ProjectBackup {
    let list: Vec<Value> = serde_json::from_str(MW_LIST).unwrap();
    parse_get_backup(&Response::json(200, &list[0])).unwrap()
}

#[test]
fn backups_parse_with_unknown_fields_and_values() {
    let backup = fixture_backup();
    assert_eq!(backup.id, B);
    let mut v: Value = serde_json::from_str::<Vec<Value>>(MW_LIST).unwrap().remove(0);
    v["somethingNew"] = json!({"x": 1});
    v["export"]["phase"] = json!("Compressing");
    v["restore"]["phase"] = json!("queued");
    let created = parse_create_backup(&Response::json(201, &v)).unwrap();
    assert_eq!(created.export.unwrap().phase, Some(ExportPhase::Other("Compressing".into())));
    assert_eq!(created.restore.unwrap().phase, RestorePhase::Other("queued".into()));
    let broken = parse_get_backup(&Response::json(200, &json!({"id": B})));
    assert!(matches!(broken, Err(Error::Parse { .. })), "{broken:?}");
}

#[test]
fn deleting_is_refused_before_sending_when_mittwald_keeps_the_backup() {
    let mut backup = fixture_backup();
    assert_eq!(check_deletable(&backup), Ok(()));
    backup.deletable = false;
    match check_deletable(&backup) {
        Err(Error::Validation(errors)) => {
            assert_eq!(errors[0].field, "deletable");
            assert_human(&errors[0]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn every_answer_reader_gives_mittwalds_errors() {
    for (response, status, message) in documented_errors() {
        http_error(parse_create_backup(&response), status, message);
        http_error(parse_get_backup(&response), status, message);
        http_error(parse_update_backup(&response), status, message);
        http_error(parse_delete_backup(&response), status, message);
        http_error(parse_export_backup(&response), status, message);
        http_error(parse_delete_export(&response), status, message);
        http_error(parse_restore_backup(&response), status, message);
        http_error(parse_database_dumps(&response), status, message);
        http_error(parse_directories(&response), status, message);
        http_error(parse_list_schedules(&response), status, message);
        http_error(parse_create_schedule(&response), status, message);
        http_error(parse_get_schedule(&response), status, message);
        http_error(parse_update_schedule(&response), status, message);
        http_error(parse_delete_schedule(&response), status, message);
    }
    // 204s carry nothing.
    let empty = Response::new(204, "");
    for parse in [
        parse_update_backup,
        parse_delete_backup,
        parse_export_backup,
        parse_delete_export,
        parse_restore_backup,
        parse_update_schedule,
        parse_delete_schedule,
    ] {
        assert_eq!(parse(&empty), Ok(()));
    }
}

#[test]
fn validation_answers_land_on_the_form_fields() {
    let body = json!({"type": "ValidationError", "message": "Validation failed", "validationErrors": [
        {"message": "must be at least 7 days in the future", "path": "expirationTime", "type": "format"},
        {"message": "is not a path in this backup", "path": "pathRestore.sourcePaths.1", "type": "format"},
        {"message": "must be a valid uuid", "path": "databaseRestores.0.targetDatabaseId", "type": "format"},
        {"message": "must be a valid uuid", "path": "projectBackupId", "type": "format"},
        {"message": "", "path": "ttl", "type": "format"},
    ]});
    let errors = validation_errors(body.to_string().as_bytes());
    assert_eq!(
        errors,
        vec![
            FieldError::new("expirationTime", "must be at least 7 days in the future"),
            FieldError::new("pathRestore.sourcePaths", "is not a path in this backup"),
            FieldError::new("databaseRestores.targetDatabaseId", "must be a valid uuid"),
        ]
    );
    assert!(validation_errors(b"not json").is_empty());
    assert!(validation_errors(br#"{"message": "x"}"#).is_empty());
}

// ---------------------------------------------------------------------------------------------
// Export

#[test]
fn export_sends_format_and_optional_password() {
    let a = mw_account();
    let path = format!("/v2/project-backups/{B}/export");
    let form = ExportBackupForm { format: " zip ".into(), password: " s3cret pass ".into() };
    let r = export_backup_request(BASE, &a, B, &form.validate(NOW).unwrap());
    assert_eq!(sent(&r, Method::Post, &path), Some(json!({"format": "zip", "password": " s3cret pass "})));
    let form = ExportBackupForm { format: "tar".into(), password: String::new() };
    let r = export_backup_request(BASE, &a, B, &form.validate(NOW).unwrap());
    assert_eq!(sent(&r, Method::Post, &path), Some(json!({"format": "tar"})));
    assert_eq!(sent(&delete_export_request(BASE, &a, B), Method::Delete, &path), None);
}

#[test]
fn export_form_rules() {
    assert_eq!(ExportFormat::KNOWN.iter().map(|f| f.as_str()).collect::<Vec<_>>(), ["tar", "zip"]);
    rejected(ExportBackupForm { format: String::new(), password: String::new() }.validate(NOW), "format", "tar or zip");
    for bad in ["rar", "TAR", "tar.gz"] {
        rejected(
            ExportBackupForm { format: bad.into(), password: String::new() }.validate(NOW),
            "format",
            "must be tar or zip",
        );
    }
    rejected(
        ExportBackupForm { format: "tar".into(), password: "   ".into() }.validate(NOW),
        "password",
        "only spaces",
    );
    rejected(
        ExportBackupForm { format: "tar".into(), password: "a\nb".into() }.validate(NOW),
        "password",
        "line breaks",
    );
    let both = ExportBackupForm { format: "7z".into(), password: "\t".into() }.validate(NOW).unwrap_err();
    assert_eq!(both.iter().map(|e| e.field).collect::<Vec<_>>(), ["format", "password"], "all problems at once");
}

#[test]
fn export_polling_helpers() {
    let mut backup = fixture_backup();
    let (url, checksum) = export_download(&backup).unwrap();
    assert!(url.starts_with("https://backup-exports.mittwald.de/"));
    assert_eq!(checksum, Some("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    assert!(!export_running(&backup));
    let export = backup.export.as_mut().unwrap();
    export.phase = Some(ExportPhase::Exporting);
    assert!(export_running(&backup));
    assert_eq!(export_download(&backup), None, "no link before Completed");
    backup.export.as_mut().unwrap().phase = Some(ExportPhase::Expired);
    assert!(!export_running(&backup) && export_download(&backup).is_none());
    assert!(restore_running(&backup), "the fixture's restore is running");
    backup.restore.as_mut().unwrap().phase = RestorePhase::Completed;
    assert!(!restore_running(&backup));
}

// ---------------------------------------------------------------------------------------------
// Restore and its pickers

fn db_row(dump: &str, target: &str) -> DatabaseRestoreForm {
    DatabaseRestoreForm { database_backup_dump: dump.into(), target_database_id: target.into() }
}

fn restore_form() -> RestoreBackupForm {
    RestoreBackupForm {
        database_restores: vec![db_row(" mysql_4f2a1b.sql.gz ", DB), db_row("", " ")],
        source_paths: vec!["/html/wordpress/wp-content".into(), " ".into(), "/html/wordpress/wp-config.php".into()],
        target_restore_path: " /html/wordpress ".into(),
        clear_target_path: false,
    }
}

#[test]
fn restore_sends_the_documented_body() {
    let r = restore_backup_request(BASE, &mw_account(), B, &restore_form().validate(NOW).unwrap());
    assert_eq!(
        sent(&r, Method::Post, &format!("/v2/project-backups/{B}/restore")),
        Some(json!({
            "databaseRestores": [{"databaseBackupDump": "mysql_4f2a1b.sql.gz", "targetDatabaseId": DB}],
            "pathRestore": {
                "sourcePaths": ["/html/wordpress/wp-content", "/html/wordpress/wp-config.php"],
                "targetRestorePath": "/html/wordpress",
                "clearTargetPath": false,
            },
        }))
    );
    // Databases only, paths only.
    let only_db = RestoreBackupForm { source_paths: vec![], target_restore_path: String::new(), ..restore_form() };
    let body = serde_json::to_value(only_db.validate(NOW).unwrap()).unwrap();
    assert_eq!(body.as_object().unwrap().keys().collect::<Vec<_>>(), ["databaseRestores"]);
    let only_paths = RestoreBackupForm {
        database_restores: vec![],
        source_paths: vec!["/html".into(), "/html".into()],
        target_restore_path: String::new(),
        clear_target_path: true,
    };
    let body = serde_json::to_value(only_paths.validate(NOW).unwrap()).unwrap();
    assert_eq!(body, json!({"pathRestore": {"sourcePaths": ["/html"], "clearTargetPath": true}}));
}

#[test]
fn restore_form_rules() {
    let with = |edit: fn(&mut RestoreBackupForm)| {
        let mut f = restore_form();
        edit(&mut f);
        f.validate(NOW)
    };
    rejected(
        with(|f| f.database_restores[0].database_backup_dump.clear()),
        "databaseRestores.databaseBackupDump",
        "Database 1: choose a dump",
    );
    rejected(
        with(|f| f.database_restores[0].target_database_id.clear()),
        "databaseRestores.targetDatabaseId",
        "choose the database",
    );
    rejected(
        with(|f| f.database_restores[0].target_database_id = "db-1".into()),
        "databaseRestores.targetDatabaseId",
        "UUID",
    );
    rejected(
        with(|f| f.database_restores.push(db_row("other.sql.gz", &DB.to_uppercase()))),
        "databaseRestores.targetDatabaseId",
        "Database 3: each database can be restored into only once",
    );
    for bad in ["html/x", "/html/../etc", "/html//x", "/html/./x"] {
        let mut f = restore_form();
        f.source_paths.push(bad.into());
        rejected(f.validate(NOW), "pathRestore.sourcePaths", bad);
    }
    rejected(with(|f| f.target_restore_path = "relative".into()), "pathRestore.targetRestorePath", "must start with /");
    rejected(with(|f| f.target_restore_path = "/a/../b".into()), "pathRestore.targetRestorePath", ". or ..");
    rejected(with(|f| f.source_paths.clear()), "pathRestore.sourcePaths", "Choose the paths");
    rejected(
        with(|f| {
            f.source_paths.clear();
            f.target_restore_path.clear();
            f.clear_target_path = true;
        }),
        "pathRestore.sourcePaths",
        "Choose the paths",
    );
    rejected(RestoreBackupForm::default().validate(NOW), "databaseRestores", "at least one database or path");
}

#[test]
fn picker_requests_and_answers() {
    let a = mw_account();
    let path = format!("/v2/project-backups/{B}/database-dumps");
    assert_eq!(sent(&database_dumps_request(BASE, &a, B), Method::Get, &path), None);
    let dumps = parse_database_dumps(&Response::json(200, &json!({"databases": ["a.sql.gz", "b.sql.gz"], "x": 1})));
    assert_eq!(dumps.unwrap(), ["a.sql.gz", "b.sql.gz"]);
    assert_eq!(parse_database_dumps(&Response::json(200, &json!({}))).unwrap(), Vec::<String>::new());

    let r = directories_request(BASE, &a, B, "/html/my shop");
    sent(&r, Method::Get, &format!("/v2/project-backups/{B}/path?directory=%2Fhtml%2Fmy%20shop"));
    let r = directories_request(BASE, &a, B, " ");
    sent(&r, Method::Get, &format!("/v2/project-backups/{B}/path"));
    let tree = parse_directories(&Response::json(
        200,
        &json!({"absolutePath": "/html", "name": "html", "size": 0, "isDirectory": true, "new": true, "items": [
            {"absolutePath": "/html/index.php", "name": "index.php", "size": 405, "isFile": true},
            {"absolutePath": "/html/current", "name": "current", "size": "10", "isSymlink": true, "target": "/html/shop"},
            {"absolutePath": "/html/shop", "name": "shop", "size": -1, "isDirectory": true},
        ]}),
    ))
    .unwrap();
    let items = tree.items.as_ref().unwrap();
    assert!(tree.is_dir() && !items[0].is_dir() && items[2].is_dir());
    assert_eq!(items[0].size_bytes(), Some(405));
    assert_eq!(items[1].size_bytes(), Some(10));
    assert_eq!(items[1].target.as_deref(), Some("/html/shop"));
    assert_eq!(items[2].size_bytes(), None, "a negative size is no size");
    assert!(matches!(parse_directories(&Response::json(200, &json!([]))), Err(Error::Parse { .. })));
}

// ---------------------------------------------------------------------------------------------
// Schedules

fn schedule_json() -> Value {
    json!({"id": S, "projectId": PROJECT, "isSystemBackup": true, "schedule": "12 3 * * *", "ttl": "14d",
           "description": "Daily system backup", "createdAt": "2024-05-02T03:04:05Z", "updatedAt": "2024-05-02T03:04:05Z"})
}

#[test]
fn schedule_requests() {
    let a = mw_account();
    let list = format!("/v2/projects/{PROJECT}/backup-schedules");
    let one = format!("/v2/project-backup-schedules/{S}");
    assert_eq!(sent(&list_schedules_request(BASE, &a), Method::Get, &list), None);
    assert_eq!(sent(&get_schedule_request(BASE, &a, S), Method::Get, &one), None);
    assert_eq!(sent(&delete_schedule_request(BASE, &a, S), Method::Delete, &one), None);
    let form =
        CreateScheduleForm { description: " nightly ".into(), schedule: " 0  2 * * * ".into(), ttl: " 30d ".into() };
    let r = create_schedule_request(BASE, &a, &form.validate(NOW).unwrap());
    assert_eq!(
        sent(&r, Method::Post, &list),
        Some(json!({"schedule": "0 2 * * *", "ttl": "30d", "description": "nightly"}))
    );
    let form = CreateScheduleForm { description: String::new(), ..form };
    let r = create_schedule_request(BASE, &a, &form.validate(NOW).unwrap());
    assert_eq!(sent(&r, Method::Post, &list), Some(json!({"schedule": "0 2 * * *", "ttl": "30d"})));
    let form = UpdateScheduleForm {
        is_system_backup: false,
        description: "d".into(),
        schedule: "15 */4 * * *".into(),
        ttl: "".into(),
    };
    let r = update_schedule_request(BASE, &a, S, &form.validate(NOW).unwrap());
    assert_eq!(sent(&r, Method::Patch, &one), Some(json!({"description": "d", "schedule": "15 */4 * * *"})));
    let form = UpdateScheduleForm { schedule: String::new(), ttl: "365d".into(), ..form };
    let r = update_schedule_request(BASE, &a, S, &form.validate(NOW).unwrap());
    assert_eq!(sent(&r, Method::Patch, &one), Some(json!({"description": "d", "ttl": "365d"})));
}

fn form_with(schedule: &str) -> CreateScheduleForm {
    CreateScheduleForm { description: String::new(), schedule: schedule.into(), ttl: "7d".into() }
}

#[test]
fn create_schedule_rules() {
    let form = || CreateScheduleForm { description: String::new(), schedule: "0 3 * * *".into(), ttl: "7d".into() };
    let with = |edit: fn(&mut CreateScheduleForm)| {
        let mut f = form();
        edit(&mut f);
        f.validate(NOW)
    };
    assert!(with(|f| f.ttl = "365d".into()).is_ok());
    rejected(with(|f| f.schedule.clear()), "schedule", "cron expression");
    rejected(with(|f| f.schedule = "*/15 * * * *".into()), "schedule", "at most hourly");
    rejected(with(|f| f.schedule = "* 3 * * *".into()), "schedule", "at most hourly");
    rejected(with(|f| f.schedule = "0 3 * *".into()), "schedule", "five parts");
    rejected(with(|f| f.schedule = "0 25 * * *".into()), "schedule", "hour part 25");
    rejected(with(|f| f.schedule = "0 3 * * MO".into()), "schedule", "weekday part MO");
    // Names and macros are cron too; a macro is sent as its five fields.
    assert!(with(|f| f.schedule = "0 3 * * MON".into()).is_ok());
    assert_eq!(with(|f| f.schedule = "@daily".into()).unwrap(), form_with("0 0 * * *").validate(NOW).unwrap());
    rejected(with(|f| f.ttl.clear()), "ttl", "Choose how long");
    for bad in ["6d", "366d", "30", "1y", "30 days"] {
        let mut f = form();
        f.ttl = bad.into();
        rejected(f.validate(NOW), "ttl", "7 to 365 days");
    }
    let errors = CreateScheduleForm::default().validate(NOW).unwrap_err();
    assert_eq!(errors.iter().map(|e| e.field).collect::<Vec<_>>(), ["schedule", "ttl"]);
    errors.iter().for_each(assert_human);
}

#[test]
fn the_system_schedule_stays_daily() {
    let schedule = parse_get_schedule(&Response::json(200, &schedule_json())).unwrap();
    let form = UpdateScheduleForm::from_schedule(&schedule);
    assert!(form.is_system_backup);
    assert_eq!((form.schedule.as_str(), form.ttl.as_str()), ("12 3 * * *", "14d"));
    // "The description of isSystemBackup true items cannot be changed": it is not sent.
    let body = serde_json::to_value(form.validate(NOW).unwrap()).unwrap();
    assert_eq!(body, json!({"schedule": "12 3 * * *", "ttl": "14d"}));
    let with = |cron: &str| UpdateScheduleForm { schedule: cron.into(), ..form.clone() }.validate(NOW);
    assert!(with("45 23 * * *").is_ok());
    for not_daily in ["0 */2 * * *", "0 3 * * 1", "0 3 1 * *", "0 3,15 * * *", "0 3 * 1-6 *"] {
        rejected(with(not_daily), "schedule", "must stay daily");
    }
    // A user schedule may be hourly.
    let user = UpdateScheduleForm { is_system_backup: false, ..form.clone() };
    assert!(UpdateScheduleForm { schedule: "0 */2 * * *".into(), ..user.clone() }.validate(NOW).is_ok());
    rejected(UpdateScheduleForm { ttl: "3d".into(), ..user }.validate(NOW), "ttl", "7 to 365 days");
}

#[test]
fn schedules_parse() {
    let mut user = schedule_json();
    user["id"] = json!("11111111-2222-4333-8444-555555555555");
    user["isSystemBackup"] = json!(false);
    user["somethingNew"] = json!(true);
    let minimal = json!({"id": "x", "projectId": PROJECT, "schedule": "0 * * * *"});
    let list = parse_list_schedules(&Response::json(200, &json!([schedule_json(), user, minimal]))).unwrap();
    assert_eq!(list.len(), 3);
    assert!(list[0].is_system_backup && !list[1].is_system_backup && !list[2].is_system_backup);
    assert_eq!(list[0].created_at, Some(datetime!(2024-05-02 03:04:05 UTC)));
    assert_eq!((list[2].ttl.as_ref(), list[2].description.as_ref()), (None, None));
    assert_eq!(parse_create_schedule(&Response::json(201, &json!({"id": S}))).unwrap().id, S);
    assert_eq!(parse_create_schedule(&Response::json(201, &schedule_json())).unwrap().id, S);
    let missing = parse_get_schedule(&Response::json(200, &json!({"id": S})));
    assert!(matches!(missing, Err(Error::Parse { .. })), "{missing:?}");
}
