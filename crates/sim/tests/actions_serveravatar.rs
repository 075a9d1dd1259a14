//! ServerAvatar's backup actions end to end: the core's builders and parsers against the
//! simulator (`Sim::handle` and the `InProcess` transport), with the clock moved by hand.

use backboard_core::http::{Method, Request, Response};
use backboard_core::paging::{fetch_all, Options};
use backboard_core::providers::serveravatar::*;
use backboard_core::providers::serveravatar::{self as sa, Account, Backup, CreateForm};
use backboard_core::{Error, Provider, Token};
use backboard_sim::providers::serveravatar::data::{
    SA_ARCHIVED, SA_ARCHIVED_FIRST_ID, SA_DELETED_SERVERS, SA_READONLY_TOKEN,
};
use backboard_sim::{Config, InProcess, Sim, DEMO_SA_TOKEN};
use futures::executor::block_on;
use serde_json::{json, Value};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

const NOW: OffsetDateTime = datetime!(2026-11-23 09:00 UTC);
const BASE: &str = "/serveravatar";

fn account(token: &str) -> Account {
    Account { token: Token::new(token), organization: "5".into() }
}

fn demo() -> Account {
    account(DEMO_SA_TOKEN)
}

struct H {
    sim: Sim,
    now: OffsetDateTime,
}

impl H {
    fn new() -> Self {
        Self::with(Config::default())
    }

    fn with(config: Config) -> Self {
        Self { sim: Sim::new(config, NOW), now: NOW }
    }

    fn send(&mut self, request: &Request) -> Response {
        self.sim.handle(request, self.now).0
    }

    /// Every listed backup, all pages.
    fn list(&mut self) -> Vec<Backup> {
        let mut all = Vec::new();
        for page in 1.. {
            let p = sa::parse_list(&self.send(&sa::list_request(BASE, &demo(), page))).unwrap();
            all.extend(p.data);
            if page >= p.last_page {
                break;
            }
        }
        all
    }

    fn archive(&mut self, kind: ArchiveKind) -> Vec<Backup> {
        let mut all = Vec::new();
        for page in 1.. {
            let p = parse_archive(&self.send(&archive_request(BASE, &demo(), kind, page))).unwrap();
            all.extend(p.data);
            if page >= p.last_page {
                break;
            }
        }
        all
    }

    fn delete(&mut self, account: &Account, ids: &[u64]) -> Result<String, Error> {
        let form = DeleteForm { ids: ids.iter().map(u64::to_string).collect() };
        let request = delete_request(BASE, account, &form.validate(self.now).unwrap());
        parse_delete(&self.send(&request))
    }

    fn link(&mut self, account: &Account, id: u64, part: &str) -> Result<TemporaryUrl, Error> {
        let form = DownloadForm { backup_id: id.to_string(), part: part.into() };
        let request = download_request(BASE, account, &form.validate(self.now).unwrap());
        parse_download(&self.send(&request))
    }

    /// Follows a download link as a browser would: no token.
    fn fetch(&mut self, url: &str) -> Response {
        self.send(&Request::new(Method::Get, url))
    }
}

fn http(status: u16, message: &str) -> Error {
    Error::Http { provider: Provider::ServerAvatar, status, message: message.into(), retry_after_secs: None }
}

fn json_of(r: &Response) -> Value {
    serde_json::from_slice(&r.body).unwrap()
}

fn completed_with_both_parts(list: &[Backup]) -> Vec<u64> {
    list.iter().filter(|b| b.status == "Completed" && downloadable_parts(b).len() == 2).map(|b| b.id).collect()
}

// ---------------------------------------------------------------------------------------------
// Delete

#[test]
fn deleting_completed_backups_removes_them_from_the_list() {
    let mut h = H::new();
    let before = h.list();
    let done: Vec<u64> = before.iter().filter(|b| b.status == "Completed").map(|b| b.id).take(3).collect();
    assert_eq!(done.len(), 3);
    assert_eq!(h.delete(&demo(), &done), Ok(DELETED.to_string()));
    let after = h.list();
    assert_eq!(after.len(), before.len() - 3);
    assert!(after.iter().all(|b| !done.contains(&b.id)));
    // Gone means gone: deleting again finds nothing.
    assert_eq!(h.delete(&demo(), &done[..1]), Err(http(404, NOT_FOUND)));
}

#[test]
fn one_unfinished_backup_refuses_the_whole_delete() {
    let mut h = H::new();
    let before = h.list();
    let unfinished = before.iter().find(|b| b.status != "Completed").expect("the data has unfinished backups").id;
    let done = before.iter().find(|b| b.status == "Completed").unwrap().id;
    assert_eq!(h.delete(&demo(), &[done, unfinished]), Err(http(500, "Backup not completed.")));
    assert_eq!(h.list(), before, "nothing was deleted");
    assert_eq!(h.delete(&demo(), &[done, 123_456]), Err(http(404, "Backup not found!")));
    assert_eq!(h.list(), before);
}

#[test]
fn malformed_id_lists_get_laravels_422() {
    let mut h = H::new();
    let before = h.list();
    let post = |body: Option<&str>| {
        let r = Request::new(Method::Post, "/serveravatar/organizations/5/backups/destroy")
            .header("Authorization", DEMO_SA_TOKEN);
        match body {
            Some(b) => r.json_body(b.into()),
            None => r,
        }
    };
    let cases: &[(Option<&str>, Value)] = &[
        (None, json!({"ids": ["The ids field is required."]})),
        (Some("not json"), json!({"ids": ["The ids field is required."]})),
        (Some("{}"), json!({"ids": ["The ids field is required."]})),
        (Some(r#"{"ids": null}"#), json!({"ids": ["The ids field is required."]})),
        (Some(r#"{"ids": []}"#), json!({"ids": ["The ids field is required."]})),
        (Some(r#"{"ids": ""}"#), json!({"ids": ["The ids field is required."]})),
        (Some(r#"{"ids": "14"}"#), json!({"ids": ["The ids field must be an array."]})),
        (Some(r#"{"ids": {"a": 14}}"#), json!({"ids": ["The ids field must be an array."]})),
        (
            Some(r#"{"ids": [14, "x", 1.5, -2]}"#),
            json!({"ids.1": ["The ids.1 field must be an integer."], "ids.2": ["The ids.2 field must be an integer."],
                   "ids.3": ["The ids.3 field must be an integer."]}),
        ),
    ];
    for (body, errors) in cases {
        let r = h.send(&post(*body));
        assert_eq!(r.status, 422, "{body:?}");
        let v = json_of(&r);
        assert_eq!(&v["errors"], errors, "{body:?}");
        let first = errors.as_object().unwrap().values().next().unwrap()[0].as_str().unwrap();
        assert!(v["message"].as_str().unwrap().starts_with(first), "{v}");
        // The core reads it into the form's field, and into an error with the provider's message.
        assert!(!delete_validation_errors(&r.body).is_empty());
        assert!(matches!(parse_delete(&r), Err(Error::Http { status: 422, .. })));
    }
    assert_eq!(
        json_of(&h.send(&post(Some(r#"{"ids": [14, "x", 1.5]}"#))))["message"],
        "The ids.1 field must be an integer. (and 1 more error)"
    );
    assert_eq!(h.list(), before);
    // Integer strings are integers to Laravel.
    let done = before.iter().find(|b| b.status == "Completed").unwrap().id;
    assert_eq!(h.send(&post(Some(&format!(r#"{{"ids": ["{done}"]}}"#)))).status, 200);
}

// ---------------------------------------------------------------------------------------------
// Permissions, tokens, organizations

#[test]
fn a_read_only_member_may_look_but_not_act() {
    let mut h = H::new();
    let ro = account(SA_READONLY_TOKEN);
    let id = completed_with_both_parts(&h.list())[0];
    let before = h.list();
    assert_eq!(h.delete(&ro, &[id]), Err(http(500, "You can not perform this action!")));
    assert_eq!(h.link(&ro, id, "database").unwrap_err(), http(500, PERMISSION_DENIED));
    let create = CreateForm {
        server: "15".into(),
        provider: "wasabi".into(),
        cloud_storage_provider_id: "10".into(),
        backup_type: "database".into(),
        application_id: "4246".into(),
        database_extension: ".sql".into(),
        ..Default::default()
    };
    let r = h.send(&create.validate(NOW).unwrap().to_request(BASE, &ro));
    assert_eq!((r.status, json_of(&r)["message"].as_str()), (500, Some(PERMISSION_DENIED)));
    assert_eq!(h.list(), before);
    // The views are open to every member.
    assert_eq!(sa::parse_list(&h.send(&sa::list_request(BASE, &ro, 1))).unwrap().total, 37);
    assert_eq!(parse_deleted_servers(&h.send(&deleted_servers_request(BASE, &ro))).unwrap().len(), 2);
    assert!(parse_archive(&h.send(&archive_request(BASE, &ro, ArchiveKind::Database, 1))).is_ok());
}

#[test]
fn every_action_checks_the_token_and_the_organization() {
    let mut h = H::new();
    let d = DownloadRequest { backup_id: 14, part: Part::Database };
    let del = DeleteForm { ids: vec!["14".into()] }.validate(NOW).unwrap();
    let requests = |a: &Account| {
        vec![
            delete_request(BASE, a, &del),
            download_request(BASE, a, &d),
            deleted_servers_request(BASE, a),
            archive_request(BASE, a, ArchiveKind::Application, 1),
        ]
    };
    for r in requests(&account("wrong")).iter().chain(&requests(&account(""))) {
        assert_eq!(h.send(r).status, 401, "{r:?}");
    }
    let r = Request::new(Method::Get, "/serveravatar/organizations/5/backups/deleted-server")
        .header("Authorization", format!("Bearer {DEMO_SA_TOKEN}"));
    assert_eq!(h.send(&r).status, 401, "ServerAvatar takes the raw token");
    for (org, status, message) in [("7", 404, "Organization not found!"), ("99", 500, "Something went really wrong!")] {
        for r in requests(&Account { organization: org.into(), ..demo() }) {
            let got = h.send(&r);
            assert_eq!((got.status, json_of(&got)["message"].as_str()), (status, Some(message)), "{r:?}");
        }
    }
    // Routes next to the real ones are not found.
    for (m, path) in [
        (Method::Get, "/serveravatar/organizations/5/backups/destroy"),
        (Method::Post, "/serveravatar/organizations/5/backups/deleted-server"),
        (Method::Get, "/serveravatar/organizations/5/backups/14/application/download"),
        (Method::Get, "/serveravatar/organizations/5/backups/archive/servers"),
        (Method::Get, "/serveravatar/organizations/5/backups/archive"),
    ] {
        let r = h.send(&Request::new(m, path).header("Authorization", DEMO_SA_TOKEN));
        assert_eq!((r.status, json_of(&r)["message"].as_str()), (404, Some("Not Found")), "{m} {path}");
    }
}

// ---------------------------------------------------------------------------------------------
// Download

#[test]
fn a_download_link_works_for_sixty_seconds_of_sim_time() {
    let mut h = H::new();
    let id = completed_with_both_parts(&h.list())[0];
    for part in ["filesystem", "database"] {
        let url = h.link(&demo(), id, part).unwrap().into_string();
        let prefix = format!("http://127.0.0.1:8790/serveravatar/_files/{id}/{part}/");
        assert!(url.starts_with(&prefix), "{url}");
        assert!(url.contains("?expires=") && url.contains("&signature="), "{url}");
        let file = h.fetch(&url);
        assert_eq!(file.status, 200, "{}", String::from_utf8_lossy(&file.body));
        assert!(file.header("Content-Disposition").unwrap().starts_with("attachment; filename="));
        assert!(String::from_utf8_lossy(&file.body).contains(&format!("backup {id}")));

        let issued = h.now;
        h.now = issued + Duration::seconds(60);
        assert_eq!(h.fetch(&url).status, 200, "still valid at 60 s");
        h.now = issued + Duration::seconds(61);
        let late = h.fetch(&url);
        assert_eq!((late.status, json_of(&late)["message"].as_str()), (403, Some("Invalid signature.")));
        // A fresh link works again.
        let again = h.link(&demo(), id, part).unwrap();
        assert_eq!(h.fetch(again.as_str()).status, 200);
        h.now = issued;
    }
}

#[test]
fn a_changed_link_is_refused() {
    let mut h = H::new();
    let id = completed_with_both_parts(&h.list())[0];
    let url = h.link(&demo(), id, "database").unwrap().into_string();
    let (path, query) = url.split_once('?').unwrap();
    let sig = query.split("signature=").nth(1).unwrap();
    let expires: i64 = query.split("expires=").nth(1).unwrap().split('&').next().unwrap().parse().unwrap();
    let flipped: String = sig
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i == 0 {
                if c == '0' {
                    '1'
                } else {
                    '0'
                }
            } else {
                c
            }
        })
        .collect();
    for bad in [
        format!("{path}?expires={expires}&signature={flipped}"),
        format!("{path}?expires={}&signature={sig}", expires + 3600),
        format!("{path}?expires={expires}"),
        format!("{path}?signature={sig}"),
        path.to_string(),
        format!("{}?{query}", path.replace("/database/", "/filesystem/")),
        format!("{}?{query}", path.replace(&format!("/{id}/"), &format!("/{}/", id + 1))),
    ] {
        let r = h.fetch(&bad);
        assert_eq!(r.status, 403, "{bad}");
    }
    assert_eq!(h.fetch(&url).status, 200);
}

#[test]
fn missing_parts_and_backups_are_not_found() {
    let mut h = H::new();
    let list = h.list();
    let single = list.iter().find(|b| b.status == "Completed" && downloadable_parts(b) == [Part::Filesystem]).unwrap();
    assert_eq!(h.link(&demo(), single.id, "database").unwrap_err(), http(404, "Backup not found!"));
    assert!(h.link(&demo(), single.id, "filesystem").is_ok());
    let unfinished = list.iter().find(|b| b.status != "Completed").unwrap();
    for part in ["filesystem", "database"] {
        assert_eq!(h.link(&demo(), unfinished.id, part).unwrap_err(), http(404, NOT_FOUND));
        assert_eq!(h.link(&demo(), 123_456, part).unwrap_err(), http(404, NOT_FOUND));
    }
    let r = h.send(
        &Request::new(Method::Get, "/serveravatar/organizations/5/backups/abc/database/download")
            .header("Authorization", DEMO_SA_TOKEN),
    );
    assert_eq!(parse_download(&r).unwrap_err(), http(404, NOT_FOUND));
    // The listed parts are exactly the downloadable ones.
    for b in list.iter().take(20) {
        for part in Part::ALL {
            let expected = downloadable_parts(b).contains(&part);
            assert_eq!(h.link(&demo(), b.id, part.as_str()).is_ok(), expected, "{} {part:?}", b.id);
        }
    }
}

#[test]
fn a_link_to_a_deleted_backup_stops_working() {
    let mut h = H::new();
    let id = completed_with_both_parts(&h.list())[0];
    let url = h.link(&demo(), id, "filesystem").unwrap().into_string();
    h.delete(&demo(), &[id]).unwrap();
    let r = h.fetch(&url);
    assert_eq!((r.status, json_of(&r)["message"].as_str()), (404, Some(NOT_FOUND)));
}

#[test]
fn links_follow_the_configured_origin() {
    let mut h = H::with(Config { origin: "https://sim.example".into(), ..Config::default() });
    let id = completed_with_both_parts(&h.list())[0];
    let url = h.link(&demo(), id, "database").unwrap().into_string();
    assert!(url.starts_with(&format!("https://sim.example/serveravatar/_files/{id}/database/")), "{url}");
    assert_eq!(h.fetch(&url).status, 200);
}

// ---------------------------------------------------------------------------------------------
// Created backups run, complete, and can then be downloaded and deleted

fn instant() -> CreateForm {
    CreateForm {
        server: "15".into(),
        name: "before deploy".into(),
        provider: "wasabi".into(),
        cloud_storage_provider_id: "10".into(),
        backup_type: "application".into(),
        application_id: "4246".into(),
        database_id: "4223".into(),
        application_extension: ".tar.gz".into(),
        database_extension: ".sql.gz".into(),
        ..Default::default()
    }
}

#[test]
fn a_created_backup_completes_after_one_operation() {
    let mut h = H::with(Config { operation_ms: 5_000, ..Config::default() });
    let r = h.send(&instant().validate(h.now).unwrap().to_request(BASE, &demo()));
    assert_eq!(r.status, 200);
    let created = h.list()[0].clone();
    assert_eq!(created.status, "Processing");
    assert_eq!(downloadable_parts(&created), []);
    assert_eq!(h.delete(&demo(), &[created.id]), Err(http(500, NOT_COMPLETED)));
    assert_eq!(h.link(&demo(), created.id, "database").unwrap_err(), http(404, NOT_FOUND));

    h.now = NOW + Duration::milliseconds(4_999);
    assert_eq!(h.list()[0].status, "Processing");
    h.now = NOW + Duration::milliseconds(5_000);
    let done = h.list()[0].clone();
    assert_eq!((done.id, done.status.as_str()), (created.id, "Completed"));
    assert_eq!(done.updated_at, Some(NOW + Duration::seconds(5)));
    assert!(done.total_size.unwrap() > 0.0);
    assert_eq!(downloadable_parts(&done), [Part::Filesystem, Part::Database]);
    let url = h.link(&demo(), done.id, "filesystem").unwrap().into_string();
    assert!(url.contains(".tar.gz?"), "{url}");
    assert_eq!(h.fetch(&url).status, 200);
    assert_eq!(h.delete(&demo(), &[done.id]), Ok(DELETED.into()));
    assert!(h.list().iter().all(|b| b.id != done.id));
}

#[test]
fn a_scheduled_backup_waits_for_its_start() {
    let mut h = H::with(Config { operation_ms: 3_000, ..Config::default() });
    let start = NOW + Duration::hours(1);
    let form = CreateForm {
        name: String::new(),
        automatic_backup: true,
        schedule: "Every Day".into(),
        start_backup_from_now: false,
        start_backup: sa::format_start(start),
        backup_type: "database".into(),
        ..instant()
    };
    let r = h.send(&form.validate(h.now).unwrap().to_request(BASE, &demo()));
    assert_eq!(json_of(&r)["message"], "Backup plan created successfully.");
    let status = |h: &mut H| {
        let b = h.list()[0].clone();
        (b.status.clone(), downloadable_parts(&b))
    };
    assert_eq!(status(&mut h), ("Scheduled".into(), vec![]));
    h.now = start - Duration::seconds(1);
    assert_eq!(status(&mut h).0, "Scheduled");
    h.now = start;
    assert_eq!(status(&mut h).0, "Processing");
    h.now = start + Duration::seconds(3);
    assert_eq!(status(&mut h), ("Completed".into(), vec![Part::Database]));
}

// ---------------------------------------------------------------------------------------------
// Deleted servers and the archive

#[test]
fn deleted_servers_are_listed_while_they_have_archived_backups() {
    let mut h = H::new();
    let servers = parse_deleted_servers(&h.send(&deleted_servers_request(BASE, &demo()))).unwrap();
    let expected: Vec<(u64, String, String, OffsetDateTime)> = SA_DELETED_SERVERS
        .iter()
        .map(|(id, name, ip, days)| (*id, name.to_string(), ip.to_string(), NOW - Duration::days(*days)))
        .collect();
    let got: Vec<(u64, String, String, OffsetDateTime)> =
        servers.into_iter().map(|s| (s.id, s.name.unwrap(), s.ip.unwrap(), s.deleted_at.unwrap())).collect();
    assert_eq!(got, expected);

    // The first server keeps failed backups, which cannot be deleted: it stays listed. Once
    // the second one's backups are all deleted, it leaves the view.
    let (first, second) = (SA_DELETED_SERVERS[0].0, SA_DELETED_SERVERS[1].0);
    let archived: Vec<Backup> = ArchiveKind::ALL.into_iter().flat_map(|k| h.archive(k)).collect();
    let ids = |server: u64, completed: bool| -> Vec<u64> {
        archived
            .iter()
            .filter(|b| b.server_id == Some(server) && (b.status == "Completed") == completed)
            .map(|b| b.id)
            .collect()
    };
    let failed = ids(first, false);
    assert!(!failed.is_empty(), "the archive has failed backups too");
    assert!(ids(second, false).is_empty());
    assert_eq!(h.delete(&demo(), &ids(first, true)), Ok(DELETED.into()));
    assert_eq!(h.delete(&demo(), &failed[..1]), Err(http(500, NOT_COMPLETED)));
    assert_eq!(parse_deleted_servers(&h.send(&deleted_servers_request(BASE, &demo()))).unwrap().len(), 2);
    assert_eq!(h.delete(&demo(), &ids(second, true)), Ok(DELETED.into()));
    let left = parse_deleted_servers(&h.send(&deleted_servers_request(BASE, &demo()))).unwrap();
    assert_eq!(left.iter().map(|s| s.id).collect::<Vec<_>>(), [first]);
}

#[test]
fn archive_views_page_by_type_through_the_paging_engine() {
    let t = InProcess::new(Sim::new(Config::default(), NOW), NOW);
    let mut total = 0;
    let mut listed_ids = Vec::new();
    for kind in ArchiveKind::ALL {
        let ep = ArchiveEndpoint { base: BASE.into(), account: demo(), kind };
        let mut progress = Vec::new();
        let items = block_on(fetch_all(&t, &ep, &Options::default(), &mut |p| progress.push(p))).unwrap();
        assert_eq!(items.len(), SA_ARCHIVED / 3, "{kind:?}");
        assert_eq!(progress.last().unwrap().pages_known, Some(2), "more than one page: {kind:?}");
        for b in &items {
            let parts = (b.application_id.is_some(), b.database_id.is_some());
            let expected = match kind {
                ArchiveKind::Application => (true, true),
                ArchiveKind::Filesystem => (true, false),
                ArchiveKind::Database => (false, true),
            };
            assert_eq!(parts, expected, "{kind:?} {}", b.id);
            assert!(SA_DELETED_SERVERS.iter().any(|s| Some(s.0) == b.server_id));
            assert!(b.id >= SA_ARCHIVED_FIRST_ID);
        }
        total += items.len();
        listed_ids.extend(items.iter().map(|b| b.id));
    }
    assert_eq!(total, SA_ARCHIVED);
    listed_ids.sort();
    listed_ids.dedup();
    assert_eq!(listed_ids.len(), SA_ARCHIVED);
    // The archive is not part of the list.
    let mut h = H::new();
    assert!(h.list().iter().all(|b| b.id < SA_ARCHIVED_FIRST_ID));
}

#[test]
fn archive_pages_are_laravels_paginator() {
    let mut h = H::new();
    let r = h.send(&archive_request(BASE, &demo(), ArchiveKind::Filesystem, 2));
    let v = json_of(&r);
    let path = "http://127.0.0.1:8790/serveravatar/organizations/5/backups/archive/filesystem";
    assert_eq!(v["path"], path);
    assert_eq!(v["prev_page_url"], format!("{path}?page=1"));
    assert_eq!(
        [&v["current_page"], &v["last_page"], &v["per_page"], &v["total"], &v["from"], &v["to"]],
        [2, 2, 10, 12, 11, 12]
    );
    // The list's documented keys, every one.
    let list = h.send(&sa::list_request(BASE, &demo(), 1));
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&v), keys(&json_of(&list)));
    assert_eq!(keys(&v["data"][0]), keys(&json_of(&list)["data"][0]));
}

#[test]
fn archived_backups_download_and_delete_like_listed_ones() {
    let mut h = H::new();
    let backups = h.archive(ArchiveKind::Database);
    let b = backups.iter().find(|b| b.status == "Completed").unwrap().clone();
    let url = h.link(&demo(), b.id, "database").unwrap().into_string();
    assert_eq!(h.fetch(&url).status, 200);
    assert_eq!(h.link(&demo(), b.id, "filesystem").unwrap_err(), http(404, NOT_FOUND));
    assert_eq!(h.delete(&demo(), &[b.id]), Ok(DELETED.into()));
    assert_eq!(h.archive(ArchiveKind::Database).len(), backups.len() - 1);
    assert_eq!(h.fetch(&url).status, 404);
}
