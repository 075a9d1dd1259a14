//! Northflank's backup actions (provider-api-notes.md, "Northflank API v1"): every request
//! builder's method, URL, headers and body; every form rule, valid and each invalid field alone;
//! every answer parser on the documented bodies and on Northflank's error body.

mod common;

use backboard_core::http::{Method, Request, Response};
use backboard_core::providers::northflank::*;
use backboard_core::providers::northflank::{BackupStatus, Interval, SourceType};
use backboard_core::{Error, FieldError, Provider};
use common::*;
use serde_json::{json, Value};
use time::macros::datetime;
use time::OffsetDateTime;

const NOW: OffsetDateTime = datetime!(2026-11-23 09:00 UTC);
const BASE: &str = "https://api.northflank.com/";
const ADDON_URL: &str = "https://api.northflank.com/v1/projects/example-project/addons/example-addon";

fn addon() -> Addon {
    Addon::of_account(&nf_addon_account()).unwrap()
}

/// The Northflank error body the simulator and the core agree on.
fn nf_error(status: u16, code: &str, message: &str) -> Response {
    Response::json(status, &json!({"error": {"status": status, "code": code, "message": message}}))
}

#[track_caller]
fn assert_auth(r: &Request) {
    assert_eq!(r.header_value("authorization"), Some(format!("Bearer {TOKEN}").as_str()));
    assert_eq!(r.header_value("accept"), Some("application/json"));
}

fn json_body(r: &Request) -> Value {
    assert_eq!(r.header_value("content-type"), Some("application/json"));
    serde_json::from_str(r.body.as_deref().expect("a body")).unwrap()
}

/// A message fit to show next to a field: a sentence, no debug output.
#[track_caller]
fn assert_human(e: &FieldError) {
    let m = &e.message;
    assert!(m.chars().next().is_some_and(char::is_uppercase) && m.ends_with('.'), "{e:?}");
    assert!(m.len() < 200 && !m.contains(['{', '`', '"']), "{e:?}");
}

/// Asserts exactly one problem, on `field`, whose message contains `needle`.
#[track_caller]
fn assert_one<T: std::fmt::Debug>(result: Result<T, Vec<FieldError>>, field: &str, needle: &str) {
    let errors = result.expect_err("rejected");
    assert!(matches!(errors.as_slice(), [e] if e.field == field), "{field}: {errors:?}");
    assert!(errors[0].message.contains(needle), "{:?} lacks {needle:?}", errors[0]);
    assert_human(&errors[0]);
}

// ---------------------------------------------------------------------------------------------
// Addons and builders

#[test]
fn the_addon_of_an_account_or_a_destination_backup() {
    assert_eq!(addon(), Addon::new("example-project", "example-addon"));
    assert_eq!(Addon::of_account(&nf_destination_account()), None);
    let listed: backboard_core::providers::northflank::DestinationBackupsResponse =
        serde_json::from_str(NF_DESTINATION).unwrap();
    assert_eq!(Addon::of_destination_backup(&listed.data[0]), Some(Addon::new("example-project", "example-addon")));
    let mut orphan = listed.data[0].clone();
    orphan.addon = None;
    assert_eq!(Addon::of_destination_backup(&orphan), None);
}

#[test]
fn requests_without_input() {
    let a = nf_addon_account();
    let cases = [
        (get_request(BASE, &a, &addon(), "b-1"), Method::Get, "/backups/b-1"),
        (delete_request(BASE, &a, &addon(), "b-1"), Method::Delete, "/backups/b-1"),
        (abort_request(BASE, &a, &addon(), "b-1"), Method::Post, "/backups/b-1/abort"),
        (download_link_request(BASE, &a, &addon(), "b-1"), Method::Get, "/backups/b-1/download-link"),
    ];
    for (r, method, path) in cases {
        assert_eq!((r.method, r.url.as_str()), (method, format!("{ADDON_URL}{path}").as_str()));
        assert_auth(&r);
        assert_eq!(r.body, None, "{path}");
        assert!(!format!("{r:?}").contains(TOKEN), "the token stays out of debug output");
    }
}

#[test]
fn every_id_is_escaped_alone() {
    let a = nf_addon_account();
    let odd = Addon::new("p/../x", "a?b");
    let r = delete_request("/northflank", &a, &odd, "b#1 2");
    assert_eq!(r.url, "/northflank/v1/projects/p%2F..%2Fx/addons/a%3Fb/backups/b%231%202");
    let r = restore_request("/nf", &a, &odd, "b", &RestoreRequest::default());
    assert_eq!(r.url, "/nf/v1/projects/p%2F..%2Fx/addons/a%3Fb/backups/b/restore");
}

// ---------------------------------------------------------------------------------------------
// Create

fn dump() -> CreateForm {
    CreateForm {
        name: "pre-deploy 2026:11".into(),
        backup_type: "dump".into(),
        compression_type: "zstd".into(),
        custom_destination_id: "offsite-s3".into(),
        additional_destinations: String::new(),
    }
}

fn snapshot() -> CreateForm {
    CreateForm {
        name: "nightly".into(),
        backup_type: "snapshot".into(),
        additional_destinations: "offsite-s3, cold_store  eu-2".into(),
        ..CreateForm::default()
    }
}

fn create_body(form: &CreateForm) -> Value {
    let create = form.validate(NOW).unwrap_or_else(|e| panic!("{form:?}: {e:?}"));
    let r = create_request(BASE, &nf_addon_account(), &addon(), &create);
    assert_eq!((r.method, r.url.as_str()), (Method::Post, format!("{ADDON_URL}/backups").as_str()));
    assert_auth(&r);
    json_body(&r)
}

#[test]
fn create_sends_exactly_what_was_given() {
    assert_eq!(create_body(&CreateForm::default()), json!({}), "everything optional");
    assert_eq!(
        create_body(&dump()),
        json!({"name": "pre-deploy 2026:11", "backupType": "dump", "compressionType": "zstd",
               "customDestinationId": "offsite-s3"})
    );
    assert_eq!(
        create_body(&snapshot()),
        json!({"name": "nightly", "backupType": "snapshot", "additionalDestinations": [
            {"destinationId": "offsite-s3", "type": "custom"}, {"destinationId": "cold_store", "type": "custom"},
            {"destinationId": "eu-2", "type": "custom"}]})
    );
    let gz = CreateForm { compression_type: " gz ".into(), custom_destination_id: String::new(), ..dump() };
    assert_eq!(create_body(&gz)["compressionType"], "gz");
    // Blank type is Northflank's default, snapshot: additional destinations apply.
    let default_type = CreateForm { backup_type: "  ".into(), ..snapshot() };
    assert_eq!(create_body(&default_type).get("backupType"), None);
    assert_eq!(create_body(&default_type)["additionalDestinations"].as_array().unwrap().len(), 3);
    let padded = CreateForm { name: "  abc  ".into(), ..CreateForm::default() };
    assert_eq!(create_body(&padded), json!({"name": "abc"}));
}

#[test]
fn create_names() {
    for good in ["abc", "a-b", "a b", "a:b", "Backup 2026-11-23 09:00", &"x".repeat(39), "A1-b2 c3:d4"] {
        assert!(name_problem(good).is_none(), "{good:?}");
        assert!(CreateForm { name: good.into(), ..CreateForm::default() }.validate(NOW).is_ok(), "{good:?}");
    }
    for (bad, needle) in [
        ("ab", "3 to 39"),
        (&"x".repeat(40) as &str, "3 to 39"),
        ("a--b", "single"),
        ("a  b", "single"),
        ("a-:b", "single"),
        ("-abc", "start and end"),
        ("abc:", "start and end"),
        ("a_b", "only letters"),
        ("ünïcode", "only letters"),
        ("a.b.c", "only letters"),
        ("<script>", "only letters"),
    ] {
        assert_one(CreateForm { name: bad.into(), ..CreateForm::default() }.validate(NOW), "name", needle);
    }
}

#[test]
fn create_each_invalid_field_alone() {
    let with = |edit: fn(&mut CreateForm)| {
        let mut f = dump();
        edit(&mut f);
        f.validate(NOW)
    };
    assert_one(with(|f| f.backup_type = "full".into()), "backupType", "dump or snapshot");
    assert_one(with(|f| f.compression_type = "bz2".into()), "compressionType", "gz or zstd");
    assert_one(with(|f| f.custom_destination_id = "s3 bucket!".into()), "customDestinationId", "letters, digits");
    assert_one(with(|f| f.additional_destinations = "offsite-s3".into()), "additionalDestinations", "only to snapshot");
    let snap = |edit: fn(&mut CreateForm)| {
        let mut f = snapshot();
        edit(&mut f);
        f.validate(NOW)
    };
    assert_one(snap(|f| f.compression_type = "gz".into()), "compressionType", "only to dump");
    assert_one(snap(|f| f.custom_destination_id = "offsite-s3".into()), "customDestinationId", "only to dump");
    assert_one(snap(|f| f.additional_destinations = "a, b/c".into()), "additionalDestinations", "letters, digits");
    assert_one(snap(|f| f.additional_destinations = "a b a".into()), "additionalDestinations", "only once");
    // The default type is snapshot, so dump-only fields are refused without a type too.
    let blank = CreateForm { compression_type: "gz".into(), ..CreateForm::default() };
    assert_one(blank.validate(NOW), "compressionType", "only to dump");
}

#[test]
fn create_reports_every_problem_at_once() {
    let form = CreateForm {
        name: "x".into(),
        backup_type: "snapshot".into(),
        compression_type: "gz".into(),
        custom_destination_id: "d".into(),
        additional_destinations: "a,,a".into(),
    };
    let fields: Vec<&str> = form.validate(NOW).unwrap_err().iter().map(|e| e.field).collect();
    assert_eq!(fields, ["name", "compressionType", "customDestinationId", "additionalDestinations"]);
    // An unknown type says so once, without guessing which other fields apply.
    let unknown = CreateForm { backup_type: "full".into(), ..dump() };
    assert_one(unknown.validate(NOW), "backupType", "dump or snapshot");
}

#[test]
fn create_applicable_fields_follow_the_type() {
    let ap = dump().applicable();
    assert!(ap.compression_type && ap.custom_destination_id && !ap.additional_destinations);
    let ap = CreateForm::default().applicable();
    assert!(!ap.compression_type && !ap.custom_destination_id && ap.additional_destinations);
}

const GET_BODY: &str = r#"{"data": {
    "id": "example-backup", "name": "Example Backup", "status": "completed",
    "createdAt": "2021-01-20T11:19:53.175Z", "completedAt": "2021-01-20T11:19:54.494Z",
    "config": {"source": {"type": "snapshot"}, "size": "1234", "addonVersion": "4.4.8", "extra": 1},
    "lastRestore": {"restoreTimestamp": "2021-01-21T08:00:00.000Z", "status": "completed",
                    "completedAt": "2021-01-21T08:01:00.000Z"},
    "somethingNew": {"nested": [1, 2]}
}}"#;

#[test]
fn get_parses_the_documented_backup() {
    let r = get_request(BASE, &nf_addon_account(), &addon(), "example-backup");
    assert_eq!(r.url, format!("{ADDON_URL}/backups/example-backup"));
    let d = parse_get(&ok(GET_BODY)).unwrap();
    assert_eq!((d.backup.id.as_str(), d.backup.name.as_str()), ("example-backup", "Example Backup"));
    assert_eq!(d.backup.status, BackupStatus::Completed);
    assert_eq!(d.backup.created_at, Some(datetime!(2021-01-20 11:19:53.175 UTC)));
    assert_eq!(d.backup.config.size.to_u64(), Some(1234));
    assert_eq!(d.backup.config.source.as_ref().unwrap().source_type, Some(SourceType::Snapshot));
    let restore = d.last_restore.as_ref().unwrap();
    assert_eq!(restore.status, BackupStatus::Completed);
    assert_eq!(restore.restore_timestamp, Some(datetime!(2021-01-21 08:00 UTC)));
    assert_eq!(restore.completed_at, Some(datetime!(2021-01-21 08:01 UTC)));
    assert!(d.is_settled());
}

#[test]
fn get_while_running_and_with_unknown_values() {
    let body = json!({"data": {"id": "b", "name": "n", "status": "queued-somewhere", "createdAt": "2026-11-23T09:00:00Z",
        "completedAt": "", "config": {"size": 0},
        "lastRestore": {"restoreTimestamp": 1790000000000u64, "status": "in-progress"}}});
    let d = parse_get(&Response::json(200, &body)).unwrap();
    assert_eq!(d.backup.status, BackupStatus::Other("queued-somewhere".into()));
    assert_eq!(d.backup.completed_at, None);
    let restore = d.last_restore.as_ref().unwrap();
    assert_eq!(restore.restore_timestamp.unwrap().unix_timestamp(), 1_790_000_000);
    assert_eq!((restore.status.clone(), restore.completed_at), (BackupStatus::InProgress, None));
    assert!(!d.is_settled(), "a restore in progress is still worth polling");
    for (status, settled) in [("in-progress", false), ("aborting", false), ("scheduled", false), ("aborted", true)] {
        assert_eq!(is_settled(&BackupStatus::parse(status)), settled, "{status}");
    }
    let mut no_restore = body.clone();
    no_restore["data"]["lastRestore"] = Value::Null;
    no_restore["data"]["status"] = json!("in-progress");
    let d = parse_get(&Response::json(200, &no_restore)).unwrap();
    assert_eq!((d.last_restore, d.backup.status), (None, BackupStatus::InProgress));
}

#[test]
fn get_names_the_field_that_broke() {
    let mut body: Value = serde_json::from_str(GET_BODY).unwrap();
    body["data"]["lastRestore"]["restoreTimestamp"] = json!("yesterday");
    assert!(matches!(parse_get(&Response::json(200, &body)), Err(Error::Parse { provider: Provider::Northflank, .. })));
    assert!(matches!(parse_get(&ok(r#"{"data": []}"#)), Err(Error::Parse { .. })));
    assert!(matches!(parse_get(&ok("<html>")), Err(Error::Parse { .. })));
    assert!(matches!(parse_get(&ok(r#"{"data": {"id": "b"}}"#)), Err(Error::Parse { .. })));
}

#[test]
fn create_parses_the_new_backup() {
    let body = json!({"data": {"id": "backup-new-0001", "name": "nightly", "status": "in-progress",
        "createdAt": "2026-11-23T09:00:00Z", "completedAt": "", "config": {"source": {"type": "snapshot"}, "size": "0"}}});
    let d = parse_create(&Response::json(200, &body)).unwrap();
    assert_eq!((d.backup.id.as_str(), d.backup.status.clone()), ("backup-new-0001", BackupStatus::InProgress));
}

// ---------------------------------------------------------------------------------------------
// Delete, abort, restore, download link

#[test]
fn empty_answers() {
    for parse in [parse_delete, parse_abort] {
        assert_eq!(parse(&ok(r#"{"data": {}}"#)), Ok(()));
        assert_eq!(parse(&Response::new(204, "")), Ok(()));
    }
}

#[test]
fn a_schedule_answers_its_id() {
    assert_eq!(
        parse_schedule(&ok(r#"{"data": {"id": "62cc20b90956ab62a58e8474"}}"#)),
        Ok("62cc20b90956ab62a58e8474".into())
    );
    assert!(matches!(parse_schedule(&ok(r#"{"data": {}}"#)), Err(Error::Parse { .. })));
}

#[test]
fn restore_requests() {
    let a = nf_addon_account();
    let own = RestoreForm::default().validate(NOW).unwrap();
    assert_eq!(own.source(), None);
    let r = restore_request(BASE, &a, &addon(), "b-1", &own);
    assert_eq!((r.method, r.url.as_str()), (Method::Post, format!("{ADDON_URL}/backups/b-1/restore").as_str()));
    assert_auth(&r);
    assert_eq!(r.body, None);
    let global = RestoreForm { source_project_id: " other-project ".into(), source_addon_id: "mongo_main".into() }
        .validate(NOW)
        .unwrap();
    assert_eq!(global.source(), Some(&Addon::new("other-project", "mongo_main")));
    let r = restore_request(BASE, &a, &addon(), "b-1", &global);
    assert_eq!(
        r.url,
        format!("{ADDON_URL}/backups/b-1/restore?sourceProjectId=other-project&sourceAddonId=mongo_main")
    );
}

#[test]
fn restore_each_invalid_field_alone() {
    let form = |p: &str, a: &str| RestoreForm { source_project_id: p.into(), source_addon_id: a.into() };
    assert_one(form("", "mongo").validate(NOW), "sourceProjectId", "source project too");
    assert_one(form("proj", " ").validate(NOW), "sourceAddonId", "source addon too");
    assert_one(form("a/b", "mongo").validate(NOW), "sourceProjectId", "letters, digits");
    assert_one(form("proj", "mongo?x=1").validate(NOW), "sourceAddonId", "letters, digits");
    assert_eq!(form("a/b", "c d").validate(NOW).unwrap_err().len(), 2, "both at once");
}

#[test]
fn restore_answer() {
    assert_eq!(parse_restore(&ok(r#"{"data": {"restoreId": "restore-1", "x": 1}}"#)).unwrap().restore_id, "restore-1");
    assert!(matches!(parse_restore(&ok(r#"{"data": {}}"#)), Err(Error::Parse { .. })));
}

#[test]
fn download_links_are_http_urls() {
    let link = "https://storage.example/backup.tar.gz?X-Signature=abc";
    let body = json!({"data": {"downloadLink": link}});
    assert_eq!(parse_download_link(&Response::json(200, &body)).unwrap().download_link, link);
    for bad in ["javascript:alert(1)", "data:text/html,<script>", "/relative", "", "https://user@evil.example/x"] {
        let body = json!({"data": {"downloadLink": bad}});
        match parse_download_link(&Response::json(200, &body)) {
            Err(Error::Parse { field, .. }) => assert_eq!(field, "data.downloadLink", "{bad}"),
            other => panic!("{bad}: {other:?}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Schedules

fn schedule(interval: &str, minute: &str, hour: &str, day: &str) -> ScheduleForm {
    ScheduleForm {
        interval: interval.into(),
        minute: minute.into(),
        hour: hour.into(),
        day: day.into(),
        backup_type: String::new(),
        retention_time: "7".into(),
    }
}

fn schedule_body(form: &ScheduleForm) -> Value {
    let s = form.validate(NOW).unwrap_or_else(|e| panic!("{form:?}: {e:?}"));
    let r = schedule_request(BASE, &nf_addon_account(), &addon(), &s);
    assert_eq!((r.method, r.url.as_str()), (Method::Post, format!("{ADDON_URL}/backup-schedules").as_str()));
    assert_auth(&r);
    json_body(&r)
}

#[test]
fn schedules_send_the_documented_scheduling() {
    // backupType and retentionTime are required by the official client's types.
    let kept = |scheduling: Value| json!({"scheduling": scheduling, "backupType": "snapshot", "retentionTime": 7});
    assert_eq!(
        schedule_body(&schedule("hourly", "0, 30", "", "")),
        kept(json!({"interval": "hourly", "minute": [0, 30]}))
    );
    assert_eq!(
        schedule_body(&schedule("daily", "15", "2 14", "")),
        kept(json!({"interval": "daily", "minute": [15], "hour": [2, 14]}))
    );
    assert_eq!(
        schedule_body(&schedule(" weekly ", "59", "0,23", "0, 6")),
        kept(json!({"interval": "weekly", "minute": [59], "hour": [0, 23], "day": [0, 6]}))
    );
    let dump =
        ScheduleForm { backup_type: " dump ".into(), retention_time: " 30 ".into(), ..schedule("hourly", "5", "", "") };
    assert_eq!(
        schedule_body(&dump),
        json!({"scheduling": {"interval": "hourly", "minute": [5]}, "backupType": "dump", "retentionTime": 30})
    );
    let s = schedule("weekly", "30", "18", "4").validate(NOW).unwrap();
    assert_eq!(s.body().scheduling.interval, Interval::Weekly);
    assert_eq!(s.body().scheduling.in_words(), "weekly on Friday at 18:30");
}

#[test]
fn schedule_each_invalid_field_alone() {
    assert_one(schedule("", "0", "", "").validate(NOW), "interval", "Choose an interval");
    assert_one(schedule("monthly", "0", "", "").validate(NOW), "interval", "hourly, daily or weekly");
    assert_one(schedule("hourly", "", "", "").validate(NOW), "minute", "at least one minute");
    assert_one(schedule("hourly", "60", "", "").validate(NOW), "minute", "0 to 59");
    assert_one(schedule("hourly", "-1", "", "").validate(NOW), "minute", "0 to 59");
    assert_one(schedule("hourly", "1.5", "", "").validate(NOW), "minute", "whole numbers");
    assert_one(schedule("hourly", "5, 5", "", "").validate(NOW), "minute", "only once");
    assert_one(schedule("hourly", "0", "3", "").validate(NOW), "hour", "only to daily and weekly");
    assert_one(schedule("hourly", "0", "", "1").validate(NOW), "day", "only to weekly");
    assert_one(schedule("daily", "0", "", "").validate(NOW), "hour", "at least one hour");
    assert_one(schedule("daily", "0", "24", "").validate(NOW), "hour", "0 to 23");
    assert_one(schedule("daily", "0", "1", "2").validate(NOW), "day", "only to weekly");
    assert_one(schedule("weekly", "0", "1", "").validate(NOW), "day", "at least one day");
    assert_one(schedule("weekly", "0", "1", "7").validate(NOW), "day", "0 (Monday) to 6 (Sunday)");
    assert_one(schedule("weekly", "0", "1", "mon").validate(NOW), "day", "whole numbers");
    assert_one(schedule("weekly", "0", "1", "1,1").validate(NOW), "day", "only once");
    let typed = |backup_type: &str, days: &str| ScheduleForm {
        backup_type: backup_type.into(),
        retention_time: days.into(),
        ..schedule("hourly", "0", "", "")
    };
    assert_one(typed("archive", "7").validate(NOW), "backupType", "dump or snapshot");
    assert_one(typed("", "").validate(NOW), "retentionTime", "how many days");
    for bad in ["0", "-1", "1.5", "a week", "99999999999"] {
        assert_one(typed("", bad).validate(NOW), "retentionTime", "whole number of days");
    }
    let all = schedule("weekly", "x", "", "9").validate(NOW).unwrap_err();
    assert_eq!(all.iter().map(|e| e.field).collect::<Vec<_>>(), ["minute", "hour", "day"]);
    all.iter().for_each(assert_human);
}

#[test]
fn schedule_applicable_lists_follow_the_interval() {
    let ap = |i: &str| schedule(i, "", "", "").applicable();
    assert_eq!((ap("hourly").hour, ap("hourly").day), (false, false));
    assert_eq!((ap("daily").hour, ap("daily").day), (true, false));
    assert_eq!((ap("weekly").hour, ap("weekly").day), (true, true));
}

// ---------------------------------------------------------------------------------------------
// Northflank's errors

#[test]
fn provider_errors_carry_northflanks_message() {
    let cases = [
        (401, "unauthenticated", "The API token is invalid or has expired"),
        (404, "backup_not_found", "Backup not found"),
        (409, "backup_not_abortable", "Only scheduled or in-progress backups can be aborted"),
        (400, "invalid_request", "name must be 3 to 39 characters"),
        (429, "rate_limited", "Too many requests"),
    ];
    for (status, code, message) in cases {
        let r = nf_error(status, code, message);
        assert_http!(parse_get(&r), Provider::Northflank, status, message);
        assert_http!(parse_create(&r), Provider::Northflank, status, message);
        assert_http!(parse_delete(&r), Provider::Northflank, status, message);
        assert_http!(parse_abort(&r), Provider::Northflank, status, message);
        assert_http!(parse_restore(&r), Provider::Northflank, status, message);
        assert_http!(parse_download_link(&r), Provider::Northflank, status, message);
        assert_http!(parse_schedule(&r), Provider::Northflank, status, message);
    }
    // Gateways answer without Northflank's shape; the status still shows.
    assert_http!(parse_abort(&Response::new(502, "<html>")), Provider::Northflank, 502, "HTTP 502 without a message");
}

// ---------------------------------------------------------------------------------------------
// Any input

proptest::proptest! {
    /// No typed input makes a form panic, and what validates serializes.
    #[test]
    fn forms_never_panic(a in ".{0,45}", b in ".{0,12}", c in ".{0,12}", d in ".{0,30}", e in "[0-9, a-z]{0,20}") {
        let create = CreateForm {
            name: a.clone(), backup_type: b.clone(), compression_type: c.clone(),
            custom_destination_id: d.clone(), additional_destinations: e.clone(),
        };
        if let Ok(ok) = create.validate(NOW) {
            let r = create_request(BASE, &nf_addon_account(), &addon(), &ok);
            proptest::prop_assert!(serde_json::from_str::<Value>(r.body.as_deref().unwrap()).is_ok());
        }
        let _ = RestoreForm { source_project_id: a.clone(), source_addon_id: d.clone() }.validate(NOW);
        for interval in [b.as_str(), "hourly", "daily", "weekly"] {
            let form = ScheduleForm {
                interval: interval.into(), minute: e.clone(), hour: e.clone(), day: e.clone(),
                backup_type: c.clone(), retention_time: e.clone(),
            };
            if let Ok(ok) = form.validate(NOW) {
                let s = &ok.body().scheduling;
                proptest::prop_assert!(!s.minute.is_empty() && s.minute.iter().all(|m| *m < 60));
            }
        }
    }

    /// No answer makes a parser panic; odd values inside the documented shape are parse errors.
    #[test]
    fn parsers_never_panic(status in 100u16..600, text in ".{0,80}", n in proptest::num::f64::ANY) {
        let number = serde_json::Number::from_f64(n).map(Value::Number).unwrap_or(Value::Null);
        let bodies = [
            text.clone(),
            json!({"data": {"downloadLink": text}}).to_string(),
            json!({"data": {"restoreId": number}}).to_string(),
            json!({"data": {"id": "b", "name": text, "status": text, "createdAt": text, "config": {"size": number},
                            "lastRestore": {"restoreTimestamp": number, "status": text}}}).to_string(),
        ];
        for body in bodies {
            let r = Response::new(status, body);
            let _ = (parse_get(&r), parse_create(&r), parse_restore(&r), parse_download_link(&r));
            let _ = (parse_delete(&r), parse_abort(&r), parse_schedule(&r));
        }
    }
}
