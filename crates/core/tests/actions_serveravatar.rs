//! ServerAvatar's backup actions (provider-api-notes.md, "ServerAvatar") through
//! `providers::serveravatar`: every request builder's method, URL, headers and body; every form's
//! valid input and each invalid field alone; the documented answers and errors.

mod common;

use std::cell::Cell;

use backboard_core::http::{Method, Request, Response, Transport, TransportError};
use backboard_core::paging::{self, Options, RetryPolicy};
use backboard_core::providers::serveravatar::*;
use backboard_core::providers::serveravatar::{Account, Backup};
use backboard_core::{Error, FieldError, Provider};
use common::*;
use futures::executor::block_on;
use serde_json::{json, Value};
use time::macros::datetime;
use time::OffsetDateTime;

const NOW: OffsetDateTime = datetime!(2025-02-11 12:00 UTC);
const BASE: &str = "https://api.serveravatar.com";

fn account() -> Account {
    sa_account()
}

/// The headers of the list request, which every action copies exactly.
fn list_headers() -> Vec<(String, String)> {
    backboard_core::providers::serveravatar::list_request(BASE, &account(), 1).headers
}

fn body_json(r: &Request) -> Value {
    serde_json::from_str(r.body.as_deref().expect("a body")).unwrap()
}

fn http_error(status: u16, message: &str) -> Error {
    Error::Http { provider: Provider::ServerAvatar, status, message: message.into(), retry_after_secs: None }
}

fn answer(status: u16, body: Value) -> Response {
    Response::json(status, &body)
}

/// The documented errors every action can get, and what they parse into.
fn common_errors() -> Vec<(Response, Error)> {
    vec![
        (answer(500, json!({"message": PERMISSION_DENIED})), http_error(500, "You can not perform this action!")),
        (answer(404, json!({"message": "Organization not found!"})), http_error(404, "Organization not found!")),
        (
            answer(500, json!({"message": "Something went really wrong!"})),
            http_error(500, "Something went really wrong!"),
        ),
        (answer(401, json!({"message": "Unauthenticated."})), http_error(401, "Unauthenticated.")),
    ]
}

fn errors_of<T: std::fmt::Debug>(r: Result<T, Vec<FieldError>>) -> Vec<FieldError> {
    r.expect_err("the form is invalid")
}

// ---------------------------------------------------------------------------------------------
// Delete

#[test]
fn delete_builds_the_documented_post() {
    let req = DeleteForm { ids: vec!["14".into(), " 15 ".into()] }.validate(NOW).unwrap();
    assert_eq!(req.body(), &DeleteBody { ids: vec![14, 15] });
    let r = delete_request(BASE, &account(), &req);
    assert_eq!(r.method, Method::Post);
    assert_eq!(r.url, "https://api.serveravatar.com/organizations/5/backups/destroy");
    let mut expected = list_headers();
    expected.push(("Content-Type".into(), "application/json".into()));
    assert_eq!(r.headers, expected);
    assert_eq!(r.header_value("Authorization"), Some(TOKEN), "the raw token, without Bearer");
    assert_eq!(r.body.as_deref(), Some(r#"{"ids":[14,15]}"#));
    assert_eq!(body_json(&r), json!({"ids": [14, 15]}));
    // A base with a trailing slash and an organization that needs escaping.
    let odd = Account { organization: "a/b".into(), ..account() };
    assert_eq!(delete_request("http://x/", &odd, &req).url, "http://x/organizations/a%2Fb/backups/destroy");
}

#[test]
fn delete_accepts_a_typed_list() {
    let form = DeleteForm::from_text(" 14, 15\n16,,17 ");
    assert_eq!(form.ids, ["14", "15", "16", "17"]);
    assert_eq!(form.validate(NOW).unwrap().body().ids, [14, 15, 16, 17]);
    // Blank entries of a selection are skipped.
    let form = DeleteForm { ids: vec!["".into(), "14".into(), "  ".into()] };
    assert_eq!(form.validate(NOW).unwrap().body().ids, [14]);
    let most: Vec<String> = (1..=MAX_DELETE_IDS).map(|i| i.to_string()).collect();
    assert_eq!(DeleteForm { ids: most }.validate(NOW).unwrap().body().ids.len(), MAX_DELETE_IDS);
}

#[test]
fn delete_refuses_each_bad_list_on_the_ids_field() {
    let cases: Vec<(Vec<&str>, Vec<&str>)> = vec![
        (vec![], vec!["Choose at least one backup to delete."]),
        (vec!["", " "], vec!["Choose at least one backup to delete."]),
        (vec!["abc"], vec!["\"abc\" is not a backup id: ids are whole numbers from 1, like 14."]),
        (vec!["14", "0"], vec!["\"0\" is not a backup id: ids are whole numbers from 1, like 14."]),
        (vec!["-3"], vec!["\"-3\" is not a backup id: ids are whole numbers from 1, like 14."]),
        (vec!["1.5"], vec!["\"1.5\" is not a backup id: ids are whole numbers from 1, like 14."]),
        (
            vec!["123456789012345678901"],
            vec!["\"123456789012345678901\" is not a backup id: ids are whole numbers from 1, like 14."],
        ),
        (vec!["14", "15", "14", "14"], vec!["Backup 14 is chosen more than once."]),
        // Every problem at once.
        (
            vec!["x", "14", "y", "14"],
            vec![
                "\"x\" is not a backup id: ids are whole numbers from 1, like 14.",
                "\"y\" is not a backup id: ids are whole numbers from 1, like 14.",
                "Backup 14 is chosen more than once.",
            ],
        ),
    ];
    for (ids, messages) in cases {
        let form = DeleteForm { ids: ids.iter().map(|s| s.to_string()).collect() };
        let errors = errors_of(form.validate(NOW));
        assert!(errors.iter().all(|e| e.field == "ids"), "{ids:?}: {errors:?}");
        let got: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(got, messages, "{ids:?}");
    }
    let too_many: Vec<String> = (1..=MAX_DELETE_IDS + 1).map(|i| i.to_string()).collect();
    let errors = errors_of(DeleteForm { ids: too_many }.validate(NOW));
    assert_eq!(errors, [FieldError::new("ids", "Delete at most 1000 backups at once (1001 are chosen).")]);
    // Long input is quoted shortened.
    let errors = errors_of(DeleteForm { ids: vec!["x".repeat(100)] }.validate(NOW));
    assert!(errors[0].message.starts_with(&format!("\"{}…\"", "x".repeat(24))), "{errors:?}");
}

#[test]
fn delete_answers() {
    let ok = answer(200, json!({"message": DELETED, "extra": 1}));
    assert_eq!(parse_delete(&ok).unwrap(), "Backup files successfully deleted from your cloud storage provider.");
    assert_eq!(
        parse_delete(&answer(500, json!({"message": "Backup not completed."}))),
        Err(http_error(500, "Backup not completed."))
    );
    assert_eq!(
        parse_delete(&answer(404, json!({"message": "Backup not found!"}))),
        Err(http_error(404, "Backup not found!"))
    );
    for (response, error) in common_errors() {
        assert_eq!(parse_delete(&response), Err(error));
    }
    // A success without the message is an unexpected answer, not a silent success.
    assert!(matches!(parse_delete(&answer(200, json!({}))), Err(Error::Parse { .. })));
    assert!(matches!(parse_delete(&Response::new(200, "<html>")), Err(Error::Parse { .. })));
}

#[test]
fn delete_422_lands_on_the_ids_field() {
    let body = json!({
        "message": "The ids.0 field must be an integer. (and 1 more error)",
        "errors": {"ids.0": ["The ids.0 field must be an integer."], "ids.2": ["The ids.2 field must be an integer."],
                   "other": ["Not ours."], "ids.x": ["Not an index."]}
    });
    let r = answer(422, body.clone());
    assert_eq!(parse_delete(&r), Err(http_error(422, "The ids.0 field must be an integer. (and 1 more error)")));
    assert_eq!(
        delete_validation_errors(&r.body),
        [
            FieldError::new("ids", "The ids.0 field must be an integer."),
            FieldError::new("ids", "The ids.2 field must be an integer."),
        ]
    );
    let required = json!({"message": "The ids field is required.", "errors": {"ids": ["The ids field is required."]}});
    assert_eq!(
        delete_validation_errors(required.to_string().as_bytes()),
        [FieldError::new("ids", "The ids field is required.")]
    );
    assert!(delete_validation_errors(b"not json").is_empty());
    assert!(delete_validation_errors(br#"{"errors": []}"#).is_empty());
    assert!(delete_validation_errors(br#"{"errors": {"ids": [1, ""]}}"#).is_empty());
}

/// Counts what is sent; always answers 503.
struct Unavailable(Cell<usize>);

impl Transport for Unavailable {
    async fn send(&self, _request: Request) -> Result<Response, TransportError> {
        self.0.set(self.0.get() + 1);
        Ok(answer(503, json!({"message": "Service Unavailable"})))
    }
    async fn sleep(&self, _millis: u64) {}
}

#[test]
fn a_delete_is_sent_once_and_a_download_link_request_is_retried() {
    let t = Unavailable(Cell::new(0));
    let req = DeleteForm { ids: vec!["14".into()] }.validate(NOW).unwrap();
    let policy = RetryPolicy::default();
    let r = block_on(paging::send(
        &t,
        Provider::ServerAvatar,
        delete_request(BASE, &account(), &req),
        &policy,
        &Cell::new(1),
    ));
    assert_eq!(r.unwrap().status, 503);
    assert_eq!(t.0.get(), 1, "a POST is never repeated");
    let d = DownloadRequest { backup_id: 14, part: Part::Database };
    let t = Unavailable(Cell::new(0));
    block_on(paging::send(&t, Provider::ServerAvatar, download_request(BASE, &account(), &d), &policy, &Cell::new(1)))
        .unwrap();
    assert_eq!(t.0.get() as u32, policy.max_attempts, "a GET is");
}

// ---------------------------------------------------------------------------------------------
// Download

#[test]
fn download_builds_the_documented_get_for_each_part() {
    for (part, path) in [("filesystem", "filesystem"), ("database", "database")] {
        let req = DownloadForm { backup_id: " 14 ".into(), part: part.into() }.validate(NOW).unwrap();
        assert_eq!(req, DownloadRequest { backup_id: 14, part: Part::parse(part).unwrap() });
        let r = download_request(BASE, &account(), &req);
        assert_eq!(r.method, Method::Get);
        assert_eq!(r.url, format!("https://api.serveravatar.com/organizations/5/backups/14/{path}/download"));
        assert_eq!(r.headers, list_headers());
        assert_eq!(r.body, None);
    }
}

#[test]
fn download_form_refuses_each_bad_field() {
    let valid = DownloadForm { backup_id: "14".into(), part: "database".into() };
    let cases = [
        (DownloadForm { backup_id: "".into(), ..valid.clone() }, "backupId", "Choose the backup to download."),
        (
            DownloadForm { backup_id: "14a".into(), ..valid.clone() },
            "backupId",
            "The backup id is a whole number from 1, like 14.",
        ),
        (
            DownloadForm { backup_id: "0".into(), ..valid.clone() },
            "backupId",
            "The backup id is a whole number from 1, like 14.",
        ),
        (
            DownloadForm { part: " ".into(), ..valid.clone() },
            "type",
            "Choose what to download: filesystem or database.",
        ),
        (
            DownloadForm { part: "application".into(), ..valid.clone() },
            "type",
            "Only the filesystem or the database part can be downloaded.",
        ),
        (
            DownloadForm { part: "Database".into(), ..valid.clone() },
            "type",
            "Only the filesystem or the database part can be downloaded.",
        ),
    ];
    for (form, field, message) in cases {
        assert_eq!(errors_of(form.validate(NOW)), [FieldError::new(field, message)], "{form:?}");
    }
    let both = DownloadForm { backup_id: "x".into(), part: "y".into() };
    let fields: Vec<&str> = errors_of(both.validate(NOW)).iter().map(|e| e.field).collect();
    assert_eq!(fields, ["backupId", "type"]);
}

#[test]
fn download_answers_a_temporary_url_or_not_found() {
    let url = "https://files.example/b/14.sql.gz?expires=1739275260&signature=abc";
    let link = parse_download(&answer(200, json!({"temporaryUrl": url, "unknown": true}))).unwrap();
    assert_eq!(link.as_str(), url);
    assert_eq!(link.into_string(), url);
    assert_eq!(TEMPORARY_URL_VALID_SECS, 60);
    assert_eq!(
        parse_download(&answer(404, json!({"message": "Backup not found!"}))),
        Err(http_error(404, "Backup not found!"))
    );
    for (response, error) in common_errors() {
        assert_eq!(parse_download(&response), Err(error));
    }
}

#[test]
fn download_urls_that_are_not_plain_http_are_refused() {
    for bad in [
        json!({"temporaryUrl": "javascript:alert(1)"}),
        json!({"temporaryUrl": "javascript://files.example/%0aalert(1)"}),
        json!({"temporaryUrl": "data:text/html,<script>alert(1)</script>"}),
        json!({"temporaryUrl": "https://user@evil.example/x"}),
        json!({"temporaryUrl": "/relative/path"}),
        json!({"temporaryUrl": ""}),
        json!({"temporaryUrl": "https://files.example/a b"}),
    ] {
        let err = parse_download(&answer(200, bad.clone())).unwrap_err();
        assert!(matches!(&err, Error::Parse { field, .. } if field == "temporaryUrl"), "{bad}: {err:?}");
    }
    for bad in [json!({}), json!({"temporaryUrl": null}), json!({"temporaryUrl": 5}), json!([])] {
        assert!(matches!(parse_download(&answer(200, bad.clone())), Err(Error::Parse { .. })), "{bad}");
    }
}

fn listed(value: Value) -> Backup {
    let mut b: Value = serde_json::from_str::<Value>(SA_LIST).unwrap()["data"][0].clone();
    b.as_object_mut().unwrap().extend(value.as_object().unwrap().clone());
    serde_json::from_value(b).unwrap()
}

#[test]
fn downloadable_parts_follow_the_storage_flags() {
    assert_eq!(downloadable_parts(&listed(json!({}))), [Part::Filesystem, Part::Database]);
    assert_eq!(downloadable_parts(&listed(json!({"database_available_in_cloudstorage": 0}))), [Part::Filesystem]);
    assert_eq!(
        downloadable_parts(&listed(
            json!({"application_available_in_cloudstorage": false, "database_available_in_cloudstorage": false})
        )),
        []
    );
    // Without flags, the parts the backup has.
    let no_flags =
        listed(json!({"application_available_in_cloudstorage": null, "database_available_in_cloudstorage": null,
                                 "database_id": null, "database_extension": null}));
    assert_eq!(downloadable_parts(&no_flags), [Part::Filesystem]);
}

// ---------------------------------------------------------------------------------------------
// Deleted servers

#[test]
fn deleted_servers_request_and_answers() {
    let r = deleted_servers_request(BASE, &account());
    assert_eq!(
        (r.method, r.url.as_str()),
        (Method::Get, "https://api.serveravatar.com/organizations/5/backups/deleted-server")
    );
    assert_eq!(r.headers, list_headers());
    assert_eq!(r.body, None);

    let body = json!({"servers": [
        {"id": 21, "name": "old-web-01", "ip": "203.0.113.21", "deleted_at": "2025-01-02 10:11:12", "extra": "x"},
        {"id": 22, "name": null, "ip": null, "deleted_at": null},
        {"id": 23, "deleted_at": "2025-01-02T10:11:12.000000Z"},
    ]});
    let servers = parse_deleted_servers(&answer(200, body)).unwrap();
    assert_eq!(servers.len(), 3);
    assert_eq!(
        servers[0],
        DeletedServer {
            id: 21,
            name: Some("old-web-01".into()),
            ip: Some("203.0.113.21".into()),
            deleted_at: Some(datetime!(2025-01-02 10:11:12 UTC)),
        }
    );
    assert_eq!((servers[1].name.as_deref(), servers[1].deleted_at), (None, None));
    assert_eq!(servers[2].deleted_at, Some(datetime!(2025-01-02 10:11:12 UTC)));
    assert_eq!(parse_deleted_servers(&answer(200, json!({"servers": []}))).unwrap(), []);
    let err = parse_deleted_servers(&answer(200, json!({"servers": [{"id": "x"}]}))).unwrap_err();
    assert!(matches!(&err, Error::Parse { field, .. } if field == "servers[0].id"), "{err:?}");
    assert!(matches!(parse_deleted_servers(&answer(200, json!({}))), Err(Error::Parse { .. })));
    for (response, error) in common_errors() {
        assert_eq!(parse_deleted_servers(&response), Err(error));
    }
}

// ---------------------------------------------------------------------------------------------
// Archive

#[test]
fn archive_requests_and_pages() {
    for (kind, name) in [
        (ArchiveKind::Filesystem, "filesystem"),
        (ArchiveKind::Database, "database"),
        (ArchiveKind::Application, "application"),
    ] {
        assert_eq!(ArchiveKind::parse(name), Some(kind));
        let r = archive_request(BASE, &account(), kind, 3);
        assert_eq!(r.method, Method::Get);
        assert_eq!(r.url, format!("https://api.serveravatar.com/organizations/5/backups/archive/{name}?page=3"));
        assert_eq!(r.headers, list_headers());
        assert_eq!(r.body, None);
    }
    assert_eq!(ArchiveKind::parse("Filesystem"), None);
    // The archive answers the list's own page shape.
    let page = parse_archive(&ok(SA_LIST)).unwrap();
    assert_eq!((page.current_page, page.last_page, page.data.len(), page.data[0].id), (1, 1, 1, 14));
    for (response, error) in common_errors() {
        assert_eq!(parse_archive(&response), Err(error));
    }
    assert!(matches!(parse_archive(&answer(200, json!({"data": []}))), Err(Error::Parse { .. })));
}

/// Serves three archive pages of database backups (one id each) and records the URLs.
struct Archive(std::cell::RefCell<Vec<String>>);

impl Transport for Archive {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        self.0.borrow_mut().push(request.url.clone());
        let page: u32 = request.url.rsplit_once("page=").and_then(|(_, p)| p.parse().ok()).unwrap_or(1);
        let mut body: Value = serde_json::from_str(SA_LIST).unwrap();
        body["data"][0]["id"] = json!(100 + page);
        body["current_page"] = json!(page);
        body["last_page"] = json!(3);
        Ok(Response::json(200, &body))
    }
    async fn sleep(&self, _millis: u64) {}
}

#[test]
fn the_paging_engine_reads_every_archive_page() {
    let t = Archive(Default::default());
    let ep = ArchiveEndpoint { base: BASE.into(), account: account(), kind: ArchiveKind::Database };
    let items = block_on(paging::fetch_all(&t, &ep, &Options::default(), &mut |_| {})).unwrap();
    assert_eq!(items.iter().map(|b| b.id).collect::<Vec<_>>(), [101, 102, 103]);
    let mut urls = t.0.borrow().clone();
    urls.sort();
    assert_eq!(
        urls,
        (1..=3)
            .map(|p| format!("https://api.serveravatar.com/organizations/5/backups/archive/database?page={p}"))
            .collect::<Vec<_>>()
    );
}

#[test]
fn parsers_never_panic_on_hostile_bodies() {
    let bodies: [&[u8]; 8] = [
        b"",
        b"null",
        b"[]",
        b"{\"message\":",
        b"\xff\xfe",
        br#"{"temporaryUrl":"\u0000"}"#,
        br#"{"servers":null}"#,
        b"1e999",
    ];
    for body in bodies {
        for status in [200, 404, 422, 500] {
            let r = Response::new(status, body.to_vec());
            let _ = parse_delete(&r);
            let _ = parse_download(&r);
            let _ = parse_deleted_servers(&r);
            let _ = parse_archive(&r);
            let _ = delete_validation_errors(&r.body);
        }
    }
}
