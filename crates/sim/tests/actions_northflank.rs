//! Northflank's backup actions end to end: the core's builders and parsers against the
//! simulator's handler, phases advanced by moving the clock, and every refusal.

use backboard_core::http::{Method, Request, Response};
use backboard_core::paging::Options;
use backboard_core::providers::northflank::*;
use backboard_core::providers::northflank::{self as nf, BackupStatus};
use backboard_core::{Account, Connection};
use backboard_core::{Error, Provider, Token};
use backboard_sim::{Config, InProcess, Sim, DEMO_NF_TOKEN};
use futures::executor::block_on;
use serde_json::{json, Value};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

const NOW: OffsetDateTime = datetime!(2026-11-23 09:00 UTC);
const BASE: &str = "/northflank";
const OP_MS: i64 = 3000;

struct Harness {
    sim: Sim,
    now: OffsetDateTime,
}

fn account(token: &str) -> nf::Account {
    nf::Account {
        token: Token::new(token),
        target: nf::Target::Addon { project_id: "demo-project".into(), addon_id: "postgres-main".into() },
    }
}

fn demo() -> nf::Account {
    account(DEMO_NF_TOKEN)
}

fn addon() -> Addon {
    Addon::new("demo-project", "postgres-main")
}

impl Harness {
    fn new() -> Self {
        // Enough backups that every status occurs, all on one page of 100.
        let config = Config { operation_ms: OP_MS as u64, northflank_addon: 90, ..Config::default() };
        Self { sim: Sim::new(config, NOW), now: NOW }
    }

    fn send(&mut self, request: &Request) -> Response {
        self.sim.handle(request, self.now).0
    }

    fn advance_ms(&mut self, ms: i64) {
        self.now += Duration::milliseconds(ms);
    }

    fn get(&mut self, id: &str) -> Result<BackupDetails, Error> {
        parse_get(&self.send(&get_request(BASE, &demo(), &addon(), id)))
    }

    fn list(&mut self) -> Vec<nf::AddonBackup> {
        let r = self.send(&nf::list_request(BASE, &demo(), 100, None));
        nf::parse_list(&demo(), &r)
            .unwrap()
            .0
            .into_iter()
            .map(|l| match l {
                nf::Listed::Addon(b) => b,
                other => panic!("{other:?}"),
            })
            .collect()
    }

    /// The id of a generated backup in this status.
    fn with_status(&mut self, status: &str) -> String {
        let b = self.list().into_iter().find(|b| b.status.as_str() == status);
        b.unwrap_or_else(|| panic!("no {status} backup in the demo data")).id
    }

    fn create(&mut self, form: CreateForm) -> BackupDetails {
        let create = form.validate(self.now).unwrap();
        parse_create(&self.send(&create_request(BASE, &demo(), &addon(), &create))).unwrap()
    }

    /// A raw POST of `body` to an addon route, past the core's validation, as a buggy or
    /// hostile client could send it.
    fn post_raw(&mut self, rest: &str, body: &str) -> Response {
        let url = format!("{BASE}/v1/projects/demo-project/addons/postgres-main/{rest}");
        let mut request = nf::authorized(Request::new(Method::Post, url), &demo());
        request.body = Some(body.to_string());
        self.send(&request)
    }
}

/// Northflank's one error shape, with this status and message.
#[track_caller]
fn assert_nf_error(r: &Response, status: u16, message: &str) {
    let body: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(r.status, status, "{body}");
    assert_eq!(body["error"]["status"], json!(status), "{body}");
    assert!(body["error"]["code"].is_string(), "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains(message), "{body} lacks {message:?}");
    assert_eq!(body.as_object().unwrap().len(), 1, "{body}");
}

#[track_caller]
fn assert_http<T: std::fmt::Debug>(result: Result<T, Error>, status: u16, message: &str) {
    match result {
        Err(Error::Http { provider: Provider::Northflank, status: s, message: m, .. }) => {
            assert_eq!(s, status, "{m}");
            assert!(m.contains(message), "{m:?} lacks {message:?}");
        }
        other => panic!("expected Northflank's {status}, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Create and get

#[test]
fn a_created_backup_runs_for_one_phase_then_completes() {
    let mut h = Harness::new();
    let before = h.list().len();
    let created = h.create(CreateForm { name: "pre-deploy 1".into(), ..CreateForm::default() });
    assert_eq!((created.backup.name.as_str(), &created.backup.status), ("pre-deploy 1", &BackupStatus::InProgress));
    assert_eq!((created.backup.created_at, created.backup.completed_at), (Some(NOW), None));
    assert_eq!(
        created.backup.config.source.as_ref().unwrap().source_type,
        Some(nf::SourceType::Snapshot),
        "snapshot is the default type"
    );
    let id = created.backup.id.clone();
    let listed = h.list();
    assert_eq!((listed.len(), listed[0].id.as_str()), (before + 1, id.as_str()), "listed first");

    h.advance_ms(OP_MS - 1);
    let polled = h.get(&id).unwrap();
    assert_eq!(polled.backup.status, BackupStatus::InProgress);
    assert!(!polled.is_settled());
    h.advance_ms(1);
    let done = h.get(&id).unwrap();
    assert_eq!(done.backup.status, BackupStatus::Completed);
    assert_eq!(done.backup.completed_at, Some(NOW + Duration::milliseconds(OP_MS)));
    assert!(done.backup.config.size.to_u64().unwrap() > 0);
    assert!(done.is_settled());
    assert_eq!(h.list()[0].status, BackupStatus::Completed, "the list agrees");
}

#[test]
fn create_takes_every_documented_field() {
    let mut h = Harness::new();
    let dump = h.create(CreateForm {
        name: "dump:1".into(),
        backup_type: "dump".into(),
        compression_type: "gz".into(),
        custom_destination_id: "offsite-s3".into(),
        ..CreateForm::default()
    });
    assert_eq!(dump.backup.config.source.unwrap().source_type, Some(nf::SourceType::LiveInstance));
    let snap = h.create(CreateForm {
        backup_type: "snapshot".into(),
        additional_destinations: "offsite-s3".into(),
        ..CreateForm::default()
    });
    assert_ne!(snap.backup.id, dump.backup.id);
    assert!(snap.backup.name.len() >= 3, "a default name: {}", snap.backup.name);
    assert_eq!(
        h.sim.log().back().unwrap().body.as_deref(),
        Some(r#"{"backupType":"snapshot","additionalDestinations":[{"destinationId":"offsite-s3","type":"custom"}]}"#)
    );
}

#[test]
fn create_refuses_what_northflank_refuses() {
    let mut h = Harness::new();
    let before = h.list().len();
    let cases = [
        (r#"{"name": "ab"}"#, "name must be 3 to 39"),
        (r#"{"name": "a--b"}"#, "name must be 3 to 39"),
        (r#"{"name": "a_b"}"#, "name must be 3 to 39"),
        (r#"{"name": 7}"#, "name must be a string"),
        (r#"{"backupType": "full"}"#, "backupType must be one of dump, snapshot"),
        (r#"{"compressionType": "gz"}"#, "compressionType is only allowed for dump"),
        (r#"{"backupType": "dump", "compressionType": "bz2"}"#, "compressionType must be one of gz, zstd"),
        (r#"{"customDestinationId": "offsite-s3"}"#, "customDestinationId is only allowed for dump"),
        (r#"{"backupType": "dump", "customDestinationId": 1}"#, "customDestinationId must be a string"),
        (r#"{"backupType": "dump", "additionalDestinations": []}"#, "only allowed for snapshot"),
        (r#"{"additionalDestinations": ["offsite-s3"]}"#, "array of {destinationId"),
        (r#"{"additionalDestinations": {"destinationId": "offsite-s3"}}"#, "array of {destinationId"),
        // The official client's type: `type` is required and "custom" is its only value.
        (r#"{"additionalDestinations": [{"destinationId": "offsite-s3"}]}"#, "array of {destinationId"),
        (r#"{"additionalDestinations": [{"destinationId": "offsite-s3", "type": "s3"}]}"#, "array of {destinationId"),
        (
            r#"{"additionalDestinations": [{"destinationId": "offsite-s3", "type": "custom", "retentionTime": 0}]}"#,
            "array of {destinationId",
        ),
        (
            r#"{"additionalDestinations": [{"destinationId": "offsite-s3", "type": "custom", "region": "eu"}]}"#,
            "\"additionalDestinations[].region\" is not allowed",
        ),
        (r#"{"retention": 7}"#, "\"retention\" is not allowed"),
        (r#"{"additionalDestinations": [{"destinationId": "offsite-s3", "type": "s3"}]}"#, "type must be custom"),
        (
            r#"{"additionalDestinations": [{"destinationId": "offsite-s3", "retentionTime": "7"}]}"#,
            "whole number of days",
        ),
        (
            r#"{"additionalDestinations": [{"destinationId": "offsite-s3", "region": "eu"}]}"#,
            "\"additionalDestinations[].region\" is not allowed",
        ),
        ("[]", "must be a JSON object"),
        ("name=x", "not valid JSON"),
    ];
    for (body, message) in cases {
        let r = h.post_raw("backups", body);
        assert_nf_error(&r, 400, message);
        assert_http(parse_create(&r), 400, message);
    }
    for body in [
        r#"{"backupType": "dump", "customDestinationId": "elsewhere"}"#,
        r#"{"additionalDestinations": [{"destinationId": "nope", "type": "custom"}]}"#,
    ] {
        assert_nf_error(&h.post_raw("backups", body), 404, "Backup destination not found");
    }
    assert_eq!(h.list().len(), before, "nothing refused was created");
    // No body at all takes every default, as `{}` does.
    assert_eq!(h.post_raw("backups", "").status, 200);
    // What the official JS client sends for an additional destination.
    let official =
        r#"{"additionalDestinations": [{"destinationId": "offsite-s3", "type": "custom", "retentionTime": 7}]}"#;
    assert_eq!(h.post_raw("backups", official).status, 200);
}

#[test]
fn unknown_ids_and_routes() {
    let mut h = Harness::new();
    assert_http(h.get("no-such-backup"), 404, "Backup not found");
    let other = Addon::new("demo-project", "other-addon");
    assert_http(parse_get(&h.send(&get_request(BASE, &demo(), &other, "x"))), 404, "Addon not found");
    let other = Addon::new("other-project", "postgres-main");
    assert_http(parse_delete(&h.send(&delete_request(BASE, &demo(), &other, "x"))), 404, "Project not found");
    for r in [
        delete_request(BASE, &demo(), &addon(), "nope"),
        abort_request(BASE, &demo(), &addon(), "nope"),
        restore_request(BASE, &demo(), &addon(), "nope", &RestoreRequest::default()),
        download_link_request(BASE, &demo(), &addon(), "nope"),
    ] {
        assert_nf_error(&h.send(&r), 404, "Backup not found");
    }
    let wrong = Request::new(Method::Put, format!("{BASE}/v1/projects/demo-project/addons/postgres-main/backups/x"));
    assert_nf_error(&h.send(&nf::authorized(wrong, &demo())), 404, "Route not found");
}

#[test]
fn every_action_needs_the_token() {
    let mut h = Harness::new();
    let id = h.with_status("completed");
    let before = h.list().len();
    for token in ["wrong", ""] {
        let a = account(token);
        let create = CreateForm::default().validate(NOW).unwrap();
        let schedule = ScheduleForm {
            interval: "hourly".into(),
            minute: "0".into(),
            retention_time: "7".into(),
            ..Default::default()
        };
        for r in [
            create_request(BASE, &a, &addon(), &create),
            get_request(BASE, &a, &addon(), &id),
            delete_request(BASE, &a, &addon(), &id),
            abort_request(BASE, &a, &addon(), &id),
            restore_request(BASE, &a, &addon(), &id, &RestoreRequest::default()),
            download_link_request(BASE, &a, &addon(), &id),
            schedule_request(BASE, &a, &addon(), &schedule.validate(NOW).unwrap()),
        ] {
            assert_nf_error(&h.send(&r), 401, "The API token is invalid");
        }
    }
    let mut bare = get_request(BASE, &demo(), &addon(), &id);
    bare.headers.retain(|(k, _)| !k.eq_ignore_ascii_case("authorization"));
    assert_nf_error(&h.send(&bare), 401, "No API token");
    assert_eq!(h.list().len(), before);
    assert!(h.get(&id).unwrap().last_restore.is_none(), "nothing happened without the token");
}

// ---------------------------------------------------------------------------------------------
// Abort and delete

#[test]
fn abort_goes_aborting_then_aborted_and_wins_over_completion() {
    let mut h = Harness::new();
    let id = h.create(CreateForm::default()).backup.id;
    h.advance_ms(1000);
    assert_eq!(parse_abort(&h.send(&abort_request(BASE, &demo(), &addon(), &id))), Ok(()));
    assert_eq!(h.get(&id).unwrap().backup.status, BackupStatus::Aborting);
    let again = h.send(&abort_request(BASE, &demo(), &addon(), &id));
    assert_http(parse_abort(&again), 409, "already being aborted");
    h.advance_ms(OP_MS - 1);
    let d = h.get(&id).unwrap();
    assert_eq!(d.backup.status, BackupStatus::Aborting, "past the create's end, still aborting");
    h.advance_ms(1);
    let d = h.get(&id).unwrap();
    assert_eq!(d.backup.status, BackupStatus::Aborted);
    assert_eq!(d.backup.completed_at, Some(NOW + Duration::milliseconds(1000 + OP_MS)));
    h.advance_ms(60_000);
    assert_eq!(h.get(&id).unwrap().backup.status, BackupStatus::Aborted, "never completes afterwards");
    assert_http(parse_abort(&h.send(&abort_request(BASE, &demo(), &addon(), &id))), 409, "can be aborted");
}

#[test]
fn aborting_a_finished_backup_is_refused() {
    let mut h = Harness::new();
    for status in ["completed", "failed", "aborted", "not-supported"] {
        let id = h.with_status(status);
        let r = h.send(&abort_request(BASE, &demo(), &addon(), &id));
        assert_nf_error(&r, 409, "Only scheduled or in-progress backups can be aborted");
        assert_eq!(h.get(&id).unwrap().backup.status.as_str(), status, "unchanged");
    }
    let scheduled = h.with_status("scheduled");
    assert_eq!(parse_abort(&h.send(&abort_request(BASE, &demo(), &addon(), &scheduled))), Ok(()));
    assert_eq!(h.get(&scheduled).unwrap().backup.status, BackupStatus::Aborting);
}

#[test]
fn deleted_backups_vanish() {
    let mut h = Harness::new();
    let id = h.with_status("completed");
    let before = h.list().len();
    assert_eq!(parse_delete(&h.send(&delete_request(BASE, &demo(), &addon(), &id))), Ok(()));
    assert_eq!(h.list().len(), before - 1);
    assert!(h.list().iter().all(|b| b.id != id));
    assert_http(h.get(&id), 404, "Backup not found");
    assert_http(parse_delete(&h.send(&delete_request(BASE, &demo(), &addon(), &id))), 404, "Backup not found");
}

#[test]
fn running_backups_are_not_deleted() {
    let mut h = Harness::new();
    let id = h.create(CreateForm::default()).backup.id;
    let r = h.send(&delete_request(BASE, &demo(), &addon(), &id));
    assert_http(parse_delete(&r), 409, "abort it before deleting it");
    h.advance_ms(OP_MS);
    assert_eq!(parse_delete(&h.send(&delete_request(BASE, &demo(), &addon(), &id))), Ok(()));
}

// ---------------------------------------------------------------------------------------------
// Restore

#[test]
fn restore_runs_for_one_phase_then_completes() {
    let mut h = Harness::new();
    let id = h.with_status("completed");
    assert!(h.get(&id).unwrap().last_restore.is_none());
    let own = RestoreForm::default().validate(NOW).unwrap();
    let restore = parse_restore(&h.send(&restore_request(BASE, &demo(), &addon(), &id, &own))).unwrap();
    assert!(!restore.restore_id.is_empty());
    let r = h.get(&id).unwrap().last_restore.unwrap();
    assert_eq!((r.status, r.restore_timestamp, r.completed_at), (BackupStatus::InProgress, Some(NOW), None));
    let twice = h.send(&restore_request(BASE, &demo(), &addon(), &id, &own));
    assert_http(parse_restore(&twice), 409, "already in progress");
    assert_http(parse_delete(&h.send(&delete_request(BASE, &demo(), &addon(), &id))), 409, "being restored");
    h.advance_ms(OP_MS);
    let r = h.get(&id).unwrap().last_restore.unwrap();
    assert_eq!((r.status, r.completed_at), (BackupStatus::Completed, Some(h.now)));
    let again = parse_restore(&h.send(&restore_request(BASE, &demo(), &addon(), &id, &own))).unwrap();
    assert_ne!(again.restore_id, restore.restore_id);
}

#[test]
fn only_completed_backups_are_restored() {
    let mut h = Harness::new();
    let own = RestoreRequest::default();
    for status in ["in-progress", "failed", "aborted"] {
        let id = h.with_status(status);
        let r = h.send(&restore_request(BASE, &demo(), &addon(), &id, &own));
        assert_http(parse_restore(&r), 409, "Only completed backups can be restored");
    }
}

#[test]
fn global_backups_restore_from_their_source_addon() {
    let mut h = Harness::new();
    let r = h.send(&nf::list_request(
        BASE,
        &nf::Account {
            token: Token::new(DEMO_NF_TOKEN),
            target: nf::Target::Destination { backup_destination_id: "offsite-s3".into() },
        },
        100,
        None,
    ));
    let listed: nf::DestinationBackupsResponse = serde_json::from_slice(&r.body).unwrap();
    let global = listed.data.iter().find(|b| b.status == BackupStatus::Completed).expect("a completed global backup");
    let source = Addon::of_destination_backup(global).unwrap();
    let form = RestoreForm { source_project_id: source.project_id.clone(), source_addon_id: source.addon_id.clone() };
    let restore = form.validate(NOW).unwrap();
    let r = h.send(&restore_request(BASE, &demo(), &addon(), &global.id, &restore));
    assert!(parse_restore(&r).is_ok(), "{r:?}");
    // Without the source, the id is not one of this addon's backups.
    let r = h.send(&restore_request(BASE, &demo(), &addon(), &global.id, &RestoreRequest::default()));
    assert_http(parse_restore(&r), 404, "Backup not found");
    let unknown = RestoreForm { source_project_id: "demo-project".into(), source_addon_id: "nope".into() };
    let r = h.send(&restore_request(BASE, &demo(), &addon(), &global.id, &unknown.validate(NOW).unwrap()));
    assert_http(parse_restore(&r), 404, "Source addon not found");
}

#[test]
fn restore_sources_come_in_pairs() {
    let mut h = Harness::new();
    let id = h.with_status("completed");
    for query in ["sourceProjectId=demo-project", "sourceAddonId=postgres-main", "sourceProjectId=&sourceAddonId="] {
        let r = h.post_raw(&format!("backups/{id}/restore?{query}"), "");
        assert_nf_error(&r, 400, "sourceProjectId and sourceAddonId must be given together");
    }
}

// ---------------------------------------------------------------------------------------------
// Download links

#[test]
fn download_links_serve_the_file_until_they_expire() {
    let mut h = Harness::new();
    let id = h.with_status("completed");
    let link = parse_download_link(&h.send(&download_link_request(BASE, &demo(), &addon(), &id))).unwrap();
    let origin = &h.sim.config().origin;
    let path = link.download_link.strip_prefix(origin.as_str()).expect("served by the simulator");
    assert!(path.starts_with("/northflank/_downloads/"), "{path}");
    // A presigned URL: fetched without the API token.
    let file = h.send(&Request::new(Method::Get, link.download_link.clone()));
    assert_eq!(file.status, 200);
    assert_eq!(file.header("content-type"), Some("application/octet-stream"));
    assert!(String::from_utf8_lossy(&file.body).contains(&id));
    let other = parse_download_link(&h.send(&download_link_request(BASE, &demo(), &addon(), &id))).unwrap();
    assert_ne!(other.download_link, link.download_link, "every link is new");
    assert_nf_error(&h.send(&Request::new(Method::Delete, link.download_link.clone())), 405, "GET");
    h.advance_ms(15 * 60 * 1000);
    assert_nf_error(&h.send(&Request::new(Method::Get, link.download_link.clone())), 403, "expired");
    assert_nf_error(
        &h.send(&Request::new(Method::Get, format!("{BASE}/_downloads/dl-guess"))),
        404,
        "Download not found",
    );
}

#[test]
fn only_completed_backups_are_downloaded() {
    let mut h = Harness::new();
    let id = h.create(CreateForm::default()).backup.id;
    let r = h.send(&download_link_request(BASE, &demo(), &addon(), &id));
    assert_http(parse_download_link(&r), 409, "Only completed backups can be downloaded");
    h.advance_ms(OP_MS);
    let link = parse_download_link(&h.send(&download_link_request(BASE, &demo(), &addon(), &id))).unwrap();
    assert_eq!(parse_delete(&h.send(&delete_request(BASE, &demo(), &addon(), &id))), Ok(()));
    assert_eq!(h.send(&Request::new(Method::Get, link.download_link)).status, 404, "gone with its backup");
}

// ---------------------------------------------------------------------------------------------
// Schedules

fn schedule_of(backup_type: &str, interval: &str, minute: &str, hour: &str, day: &str) -> ScheduleRequest {
    ScheduleForm {
        interval: interval.into(),
        minute: minute.into(),
        hour: hour.into(),
        day: day.into(),
        backup_type: backup_type.into(),
        retention_time: "7".into(),
    }
    .validate(NOW)
    .unwrap()
}

fn schedule(interval: &str, minute: &str, hour: &str, day: &str) -> ScheduleRequest {
    schedule_of("snapshot", interval, minute, hour, day)
}

#[test]
fn schedules_one_per_interval_and_backup_type() {
    let mut h = Harness::new();
    let mut ids = Vec::new();
    for s in [
        schedule("hourly", "0, 30", "", ""),
        schedule("daily", "15", "2", ""),
        schedule("weekly", "30", "18", "4"),
        schedule_of("dump", "daily", "45", "3", ""),
    ] {
        ids.push(parse_schedule(&h.send(&schedule_request(BASE, &demo(), &addon(), &s))).unwrap());
    }
    ids.dedup();
    assert_eq!(ids.len(), 4, "each schedule has its own id");
    let r = h.send(&schedule_request(BASE, &demo(), &addon(), &schedule("daily", "0", "3", "")));
    assert_http(parse_schedule(&r), 409, "already has a backup schedule with this interval");
}

#[test]
fn schedules_refuse_what_the_schema_refuses() {
    let mut h = Harness::new();
    let hourly = json!({"interval": "hourly", "minute": [0]});
    let kept = |extra: Value| {
        let mut body = json!({"scheduling": hourly, "backupType": "snapshot", "retentionTime": 7});
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        body
    };
    let typed = [
        (json!({"scheduling": hourly, "retentionTime": 7}), "backupType is required"),
        (
            json!({"scheduling": hourly, "backupType": "full", "retentionTime": 7}),
            "backupType is required and must be one of",
        ),
        (json!({"scheduling": hourly, "backupType": "dump"}), "retentionTime is required"),
        (kept(json!({"retentionTime": 0})), "positive number of days"),
        (kept(json!({"retentionTime": "7"})), "positive number of days"),
        (kept(json!({"compressionType": "gz"})), "compressionType is only allowed for dump"),
        (kept(json!({"customDestinationId": "offsite-s3"})), "customDestinationId is only allowed for dump"),
        (kept(json!({"additionalDestinations": [{"destinationId": "offsite-s3"}]})), "array of {destinationId"),
        (kept(json!({"name": "x"})), "\"name\" is not allowed"),
    ];
    for (body, message) in typed {
        let r = h.post_raw("backup-schedules", &body.to_string());
        assert_nf_error(&r, 400, message);
    }
    let cases = [
        (json!({}), "\"scheduling\" is required"),
        (json!({"scheduling": []}), "\"scheduling\" is required"),
        (json!({"scheduling": {"interval": "monthly", "minute": [0]}}), "interval must be one of"),
        (json!({"scheduling": {"interval": "hourly"}}), "minute is required"),
        (json!({"scheduling": {"interval": "hourly", "minute": []}}), "at least 1 item"),
        (json!({"scheduling": {"interval": "hourly", "minute": [60]}}), "integers from 0 to 59"),
        (json!({"scheduling": {"interval": "hourly", "minute": [-1]}}), "integers from 0 to 59"),
        (json!({"scheduling": {"interval": "hourly", "minute": ["5"]}}), "integers from 0 to 59"),
        (json!({"scheduling": {"interval": "hourly", "minute": [5, 5]}}), "duplicate"),
        (json!({"scheduling": {"interval": "hourly", "minute": [0], "hour": [1]}}), "hour is not allowed for hourly"),
        (json!({"scheduling": {"interval": "daily", "minute": [0]}}), "hour is required for daily"),
        (json!({"scheduling": {"interval": "daily", "minute": [0], "hour": [24]}}), "integers from 0 to 23"),
        (
            json!({"scheduling": {"interval": "daily", "minute": [0], "hour": [1], "day": [1]}}),
            "day is not allowed for daily",
        ),
        (json!({"scheduling": {"interval": "weekly", "minute": [0], "hour": [1]}}), "day is required for weekly"),
        (json!({"scheduling": {"interval": "weekly", "minute": [0], "hour": [1], "day": [7]}}), "integers from 0 to 6"),
        (
            json!({"scheduling": {"interval": "hourly", "minute": [0], "second": [1]}}),
            "\"scheduling.second\" is not allowed",
        ),
    ];
    for (scheduling, message) in cases {
        let mut body = json!({"backupType": "snapshot", "retentionTime": 7});
        if let Some(s) = scheduling.get("scheduling") {
            body["scheduling"] = s.clone();
        }
        let r = h.post_raw("backup-schedules", &body.to_string());
        assert_nf_error(&r, 400, message);
        assert_http(parse_schedule(&r), 400, message);
    }
    // None of them took the hourly slot.
    let s = schedule("hourly", "0", "", "");
    assert!(parse_schedule(&h.send(&schedule_request(BASE, &demo(), &addon(), &s))).is_ok());
}

// ---------------------------------------------------------------------------------------------
// Through the in-process transport, as the SPA's demo mode does

#[test]
fn created_and_deleted_backups_show_in_a_connections_listing() {
    let t = InProcess::new(Sim::new(Config { operation_ms: OP_MS as u64, ..Config::default() }, NOW), NOW);
    let connection = Connection { id: "nf".into(), label: "NF".into(), account: Account::Northflank(demo()) };
    let list = || block_on(connection.list_backups(&t, BASE, &Options::default(), &mut |_| {})).unwrap();
    let before = list();
    let send = |r: Request| block_on(backboard_core::Transport::send(&t, r)).unwrap();
    let create = CreateForm { name: "via transport".into(), ..Default::default() }.validate(NOW).unwrap();
    let created = parse_create(&send(create_request(BASE, &demo(), &addon(), &create))).unwrap();
    let after = list();
    assert_eq!(after.len(), before.len() + 1);
    assert_eq!((after[0].name.as_str(), after[0].status), ("via transport", backboard_core::Status::Running));
    t.now.set(NOW + Duration::milliseconds(OP_MS));
    assert_eq!(list()[0].status, backboard_core::Status::Completed);
    assert_eq!(parse_delete(&send(delete_request(BASE, &demo(), &addon(), &created.backup.id))), Ok(()));
    assert_eq!(list().iter().map(|b| &b.id).collect::<Vec<_>>(), before.iter().map(|b| &b.id).collect::<Vec<_>>());
}

/// The core's name rule and the simulator's, written apart, agree on every short name over the
/// characters that matter, and at the length limits.
#[test]
fn core_and_simulator_agree_on_names() {
    let mut h = Harness::new();
    const ALPHABET: [char; 7] = ['a', 'Z', '7', '-', ' ', ':', '_'];
    let mut names: Vec<String> = vec![String::new()];
    for _ in 0..4 {
        let longer: Vec<String> = names
            .iter()
            .filter(|n| n.len() == names.last().unwrap().len())
            .flat_map(|n| ALPHABET.map(|c| format!("{n}{c}")))
            .collect();
        names.extend(longer);
    }
    names.extend((37..=41).flat_map(|n| ["x".repeat(n), format!("{}-y", "x".repeat(n - 2))]));
    names.push("é1234".into());
    for name in names.iter().filter(|n| !n.is_empty()) {
        let core_ok = name_problem(name).is_none();
        let r = h.post_raw("backups", &json!({ "name": name }).to_string());
        assert_eq!(core_ok, r.status == 200, "{name:?}: core {core_ok}, simulator {}", r.status);
    }
}
