//! Answers that are not quite what the documents show: unknown fields and enum values, missing
//! and mistyped fields, absurd nesting, numbers and lengths; and tokens never showing.

mod common;

use backboard_core::http::Response;
use backboard_core::model::Status;
use backboard_core::providers::mittwald::{self, ExportPhase, PaginationHeaders, RestorePhase};
use backboard_core::providers::northflank::{self, BackupStatus, Interval, Listed, SourceType};
use backboard_core::providers::serveravatar::{self, CreateForm, StorageProvider};
use backboard_core::{Account, Connection};
use backboard_core::{Error, Provider};
use common::*;
use serde_json::{json, Value};
use time::macros::datetime;

/// The example of `lister` with `edit` applied to its parsed JSON.
fn edited(lister: Lister, edit: impl FnOnce(&mut Value)) -> Response {
    let mut value: Value = serde_json::from_str(lister.example()).unwrap();
    edit(&mut value);
    ok(value.to_string())
}

/// The example of `lister` with one node (by JSON pointer) replaced by raw JSON text.
fn with_raw(lister: Lister, pointer: &str, raw: &str) -> Response {
    ok(splice(lister.example(), pointer, raw))
}

/// A path with its array indices dropped: "data[0].config.size" -> "data[].config.size".
fn shape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_index = false;
    for c in path.chars() {
        in_index &= c != ']';
        if !in_index {
            out.push(c);
        }
        in_index |= c == '[';
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Unknown and missing

#[test]
fn unknown_fields_are_ignored_at_every_level() {
    fn sprinkle(v: &mut Value) {
        match v {
            Value::Object(map) => {
                map.values_mut().for_each(sprinkle);
                map.insert("x-added-later".into(), json!({"nested": [1, "two", null, 1e300], "id": "not this one"}));
                map.insert("Id".into(), json!(-1));
            }
            Value::Array(items) => items.iter_mut().for_each(sprinkle),
            _ => {}
        }
    }
    for lister in Lister::ALL {
        let expected = lister.list(&ok(lister.example())).unwrap();
        assert_eq!(lister.list(&edited(lister, sprinkle)).unwrap(), expected, "{lister:?}");
    }
    let answer = ok(r#"{"message": "Backup plan created successfully.", "data": {"id": 1}, "success": true}"#);
    assert!(serveravatar::parse_create(&answer, true).unwrap().is_ok());
}

/// Fields the model requires, by shape: the documents' required fields, minus those it tolerates
/// missing (Northflank's and mittwald's timestamps; Northflank sends "" for unfinished ones).
fn required(lister: Lister) -> &'static [&'static str] {
    match lister {
        // The document marks nothing; these are what Laravel's paginator and a backup always have.
        Lister::ServerAvatar => &[
            "current_page",
            "data",
            "last_page",
            "per_page",
            "total",
            "data[].id",
            "data[].status",
            "data[].database.id",
            "data[].application.id",
            "data[].backup_configuration.id",
            "links[].label",
            "links[].active",
        ],
        Lister::NorthflankAddon => &[
            "data",
            "data.backups",
            "data.backups[].id",
            "data.backups[].name",
            "data.backups[].status",
            "data.backups[].config",
            "data.backups[].config.size",
            "pagination",
            "pagination.hasNextPage",
            "pagination.count",
        ],
        Lister::NorthflankDestination => &[
            "data",
            "data[].id",
            "data[].name",
            "data[].status",
            // project and addon keep their ids and names optional, as the official types do.
            "data[].config",
            "data[].config.size",
            "data[].schedules[].interval",
            "data[].schedules[].minute",
            "pagination",
            "pagination.hasNextPage",
            "pagination.count",
        ],
        Lister::Mittwald => &[
            "[].deletable",
            "[].id",
            "[].projectId",
            "[].status",
            "[].export.format",
            "[].export.withPassword",
            "[].restore.databaseRestores[].databaseBackupDump",
            "[].restore.databaseRestores[].targetDatabaseId",
            "[].restore.pathRestore.clearTargetPath",
            "[].restore.pathRestore.determinedTargetPath",
            "[].restore.pathRestore.sourcePaths",
            "[].restore.phase",
            "[].restorePath.clearTargetPath",
            "[].restorePath.determinedTargetPath",
            "[].restorePath.phase",
            "[].restorePath.sourcePath",
        ],
    }
}

#[test]
fn missing_optional_fields_are_fine_and_missing_required_ones_are_named() {
    for lister in Lister::ALL {
        let example: Value = serde_json::from_str(lister.example()).unwrap();
        for (path, pointer) in nodes(&example) {
            let Some((parent, key)) = pointer.rsplit_once('/') else { continue };
            if example.pointer(parent).is_some_and(Value::is_array) {
                continue; // an element, not a field
            }
            let result = lister.list(&edited(lister, |v| {
                v.pointer_mut(parent).unwrap().as_object_mut().unwrap().remove(key);
            }));
            if required(lister).contains(&shape(&path).as_str()) {
                match result {
                    Err(Error::Parse { provider, field, message }) => {
                        assert_eq!((provider, field.as_str()), (lister.provider(), parent_path(&path)), "{path}");
                        assert!(message.contains(&format!("missing field `{key}`")), "{path}: {message}");
                    }
                    other => panic!("{lister:?} without {path}: {other:?}"),
                }
            } else {
                assert!(result.is_ok(), "{lister:?} without {path}: {result:?}");
            }
        }
    }
}

#[test]
fn only_the_required_fields_are_enough() {
    let minimal: [(Lister, &str); 4] = [
        (
            Lister::ServerAvatar,
            r#"{"current_page":1,"data":[{"id":1,"status":"Completed"}],"last_page":1,"per_page":10,"total":1}"#,
        ),
        (
            Lister::NorthflankAddon,
            r#"{"data":{"backups":[{"id":"b","name":"B","status":"completed","config":{"size":"1"}}]},
                "pagination":{"hasNextPage":false,"count":1}}"#,
        ),
        (
            Lister::NorthflankDestination,
            r#"{"data":[{"id":"b","name":"B","status":"scheduled","config":{"size":0},
                "createdAt":"","completedAt":""}],"pagination":{"hasNextPage":false,"count":1}}"#,
        ),
        (Lister::Mittwald, r#"[{"deletable":true,"id":"m","projectId":"p","status":"Completed"}]"#),
    ];
    for (lister, body) in minimal {
        let backups = lister.list(&ok(body)).unwrap();
        assert_eq!(backups.len(), 1, "{lister:?}");
        let b = &backups[0];
        assert_eq!((b.created, b.completed, b.expires), (None, None, None), "{lister:?}");
        assert!(serde_json::to_string(&backups).is_ok());
    }
}

#[test]
fn unknown_enum_values_are_kept_not_dropped() {
    let sa = edited(Lister::ServerAvatar, |v| {
        v["data"][0]["provider"] = json!("backblaze_b2");
        v["data"][0]["status"] = json!("Waiting for the moon");
    });
    let b = serveravatar::parse_list(&sa).unwrap().data.remove(0);
    assert_eq!(b.provider, Some(StorageProvider::Other("backblaze_b2".into())));
    let n = serveravatar::normalize(b, &source("organization", "5"));
    assert_eq!((n.status, n.status_raw.as_str()), (Status::Other, "Waiting for the moon"));
    // Kept as sent when the record is shown or exported.
    assert_eq!(serde_json::to_value(&n.details).unwrap()["record"]["provider"], "backblaze_b2");

    let addon = edited(Lister::NorthflankAddon, |v| {
        v["data"]["backups"][0]["status"] = json!("paused");
        v["data"]["backups"][0]["config"]["source"]["type"] = json!("incremental");
    });
    let (items, _) = northflank::parse_list(&nf_addon_account(), &addon).unwrap();
    let Listed::Addon(b) = &items[0] else { panic!("{items:?}") };
    assert_eq!(b.status, BackupStatus::Other("paused".into()));
    assert_eq!(b.config.source.as_ref().unwrap().source_type, Some(SourceType::Other("incremental".into())));
    let n = &Lister::NorthflankAddon.list(&addon).unwrap()[0];
    assert_eq!((n.status, n.status_raw.as_str()), (Status::Other, "paused"));

    let destination = edited(Lister::NorthflankDestination, |v| {
        v["data"][0]["status"] = json!("queued");
        v["data"][0]["schedules"][0]["interval"] = json!("monthly");
    });
    let (items, _) = northflank::parse_list(&nf_destination_account(), &destination).unwrap();
    let Listed::Destination(b) = &items[0] else { panic!("{items:?}") };
    let schedule = &b.schedules.as_ref().unwrap()[0];
    assert_eq!(schedule.interval, Interval::Other("monthly".into()));
    assert_eq!(schedule.in_words(), "monthly schedule");
    let n = &Lister::NorthflankDestination.list(&destination).unwrap()[0];
    // An undocumented status word still lands on the closest normalized state.
    assert_eq!((n.status, n.status_raw.as_str()), (Status::Scheduled, "queued"));

    let mw = edited(Lister::Mittwald, |v| {
        v[0]["export"]["phase"] = json!("Archived");
        v[0]["restore"]["phase"] = json!("queued");
        v[0]["restorePath"]["phase"] = json!("failed");
    });
    let (items, _) = mittwald::parse_list(&mw).unwrap();
    assert_eq!(items[0].export.as_ref().unwrap().phase, Some(ExportPhase::Other("Archived".into())));
    assert_eq!(items[0].restore.as_ref().unwrap().phase, RestorePhase::Other("queued".into()));
    assert_eq!(items[0].restore_path.as_ref().unwrap().phase, RestorePhase::Other("failed".into()));
}

// ---------------------------------------------------------------------------------------------
// Wrong types

/// Fields the example only shows as null, which the model keeps as any JSON.
const ANY_JSON: &[&str] = &["data[].application_file_id", "data[].database_file_id"];

#[test]
fn a_wrong_type_anywhere_is_a_parse_error_naming_that_field() {
    for lister in Lister::ALL {
        let example: Value = serde_json::from_str(lister.example()).unwrap();
        for (path, pointer) in nodes(&example) {
            if lister == Lister::ServerAvatar && ANY_JSON.contains(&shape(&path).as_str()) {
                continue;
            }
            let result = lister.list(&edited(lister, |v| {
                let node = v.pointer_mut(&pointer).unwrap();
                // Containers become text; everything else becomes an object.
                *node = if node.is_object() || node.is_array() { json!("wrong") } else { json!({"wrong": true}) };
            }));
            assert_parse_at!(result, lister.provider(), path);
        }
    }
}

#[test]
fn wrong_types_name_the_field_and_say_what_was_expected() {
    let cases: [(Lister, &str, Value, &str, &str); 5] = [
        (Lister::ServerAvatar, "/data/0/id", json!("14"), "data[0].id", "expected u64"),
        (Lister::ServerAvatar, "/data/0/created_at", json!("11.02.2025"), "data[0].created_at", "2025-02-11 11:12:22"),
        (
            Lister::NorthflankAddon,
            "/data/backups/0/config/size",
            json!("12 kB"),
            "data.backups[0].config.size",
            "decimal",
        ),
        (
            Lister::NorthflankDestination,
            "/data/0/schedules/0/minute/0",
            json!(300),
            "data[0].schedules[0].minute[0]",
            "u8",
        ),
        (Lister::Mittwald, "/0/createdAt", json!("yesterday"), "[0].createdAt", "RFC 3339"),
    ];
    for (lister, pointer, value, field, needle) in cases {
        let e = lister.list(&edited(lister, |v| *v.pointer_mut(pointer).unwrap() = value)).unwrap_err();
        assert!(e.to_string().contains(&format!("`{field}`")), "{e}");
        match e {
            Error::Parse { field: f, message, .. } => assert!(f == field && message.contains(needle), "{message}"),
            other => panic!("{field}: {other:?}"),
        }
    }
}

#[test]
fn bodies_that_are_not_the_documented_shape() {
    let bodies: [&[u8]; 9] = [
        b"",
        b"  \n",
        b"null",
        b"\"data\"",
        b"{}",
        b"<html>502 Bad Gateway</html>",
        b"\xEF\xBB\xBF{}",
        b"{\"data\":",
        b"\xff\xfe",
    ];
    for lister in Lister::ALL {
        for body in bodies {
            match lister.list(&ok(body)) {
                Err(Error::Parse { provider, .. }) => assert_eq!(provider, lister.provider()),
                other => panic!("{lister:?} {:?}: {other:?}", String::from_utf8_lossy(body)),
            }
        }
    }
    // Duplicate keys, a lone surrogate and invalid UTF-8 inside a string.
    let sa: [&[u8]; 3] = [
        br#"{"current_page":1,"current_page":2,"data":[],"last_page":1,"per_page":10,"total":0}"#,
        br#"{"current_page":1,"data":[{"id":1,"status":"\ud800"}],"last_page":1,"per_page":10,"total":1}"#,
        b"{\"current_page\":1,\"data\":[{\"id\":1,\"status\":\"\xC3\x28\"}],\"last_page\":1,\"per_page\":10,\"total\":1}",
    ];
    for body in sa {
        assert!(matches!(serveravatar::parse_list(&ok(body)), Err(Error::Parse { .. })));
    }
    // An empty mittwald page is just that.
    assert_eq!(Lister::Mittwald.list(&ok("[]")).unwrap(), vec![]);
}

// ---------------------------------------------------------------------------------------------
// Tokens

#[test]
fn tokens_never_show_in_debug_output_or_errors() {
    let connections: Vec<Connection> = [
        Account::ServerAvatar(sa_account()),
        Account::Northflank(nf_addon_account()),
        Account::Northflank(nf_destination_account()),
        Account::Mittwald(mw_account()),
    ]
    .into_iter()
    .map(|account| Connection { id: "c".into(), label: "mine".into(), account })
    .collect();
    let mut shown: Vec<String> = connections.iter().map(|c| format!("{c:?} {:?} {c:#?}", c.account)).collect();
    let form = CreateForm {
        server: "15".into(),
        provider: "wasabi".into(),
        cloud_storage_provider_id: "1".into(),
        backup_type: "database".into(),
        application_id: "2".into(),
        database_extension: ".sql".into(),
        ..Default::default()
    };
    let create = form.validate(datetime!(2025-01-01 0:00 UTC)).unwrap();
    shown.push(format!("{create:?} {:?}", create.to_request("https://api.serveravatar.com", &sa_account())));
    shown.push(format!("{:?}", serveravatar::list_request("https://api.serveravatar.com", &sa_account(), 1)));
    shown.push(format!("{:?}", northflank::list_request("https://api.northflank.com", &nf_addon_account(), 100, None)));
    shown.push(format!("{:?}", mittwald::list_request("https://api.mittwald.de", &mw_account(), 100, 0)));
    // Errors of every kind, for every provider.
    for lister in Lister::ALL {
        for response in
            [Response::new(401, r#"{"message":"Unauthenticated."}"#), ok("{"), ok("[1]"), ok(r#"{"data": 1}"#)]
        {
            let e = lister.list(&response).unwrap_err();
            shown.push(format!("{e} {e:?}"));
        }
    }
    for mut c in connections {
        match &mut c.account {
            Account::ServerAvatar(a) => a.organization.clear(),
            Account::Northflank(a) => a.token = backboard_core::Token::new(" "),
            Account::Mittwald(a) => a.project_id.clear(),
        }
        let e = c.check().unwrap_err();
        shown.push(format!("{e} {e:?} {c:?}"));
    }
    for s in shown {
        assert!(!s.contains(TOKEN) && !s.contains("SECRET"), "token shown: {s}");
    }
}

// ---------------------------------------------------------------------------------------------
// Absurd input

const DEPTH: usize = 10_000;

fn nested(open: &str, close: &str) -> String {
    format!("{}1{}", open.repeat(DEPTH), close.repeat(DEPTH))
}

#[test]
fn nesting_ten_thousand_deep_is_an_error_not_a_stack_overflow() {
    let deep_array = nested("[", "]");
    let deep_object = nested(r#"{"data":"#, "}");
    let unclosed = "[".repeat(DEPTH);
    let bodies: Vec<Response> = vec![
        ok(deep_array.clone()),
        ok(deep_object.clone()),
        ok(unclosed.clone()),
        with_raw(Lister::ServerAvatar, "/data/0/application_file_id", &deep_array),
        with_raw(Lister::ServerAvatar, "/data/0", &deep_object),
        with_raw(Lister::NorthflankAddon, "/data/backups/0/config/size", &deep_array),
        with_raw(Lister::NorthflankDestination, "/data/0/schedules", &deep_array),
        with_raw(Lister::Mittwald, "/0/restore", &deep_object),
    ];
    for lister in Lister::ALL {
        for response in &bodies {
            match lister.list(response) {
                Err(Error::Parse { provider, .. }) => assert_eq!(provider, lister.provider()),
                other => panic!("{lister:?}: {other:?}"),
            }
            let failed = Response { status: 500, ..response.clone() };
            assert_http!(lister.list(&failed), lister.provider(), 500, "HTTP 500 without a message");
        }
    }
    for body in [deep_array, deep_object, unclosed] {
        for automatic in [true, false] {
            assert!(matches!(serveravatar::parse_create(&ok(body.clone()), automatic), Err(Error::Parse { .. })));
            let failure = serveravatar::parse_create(&Response::new(404, body.clone()), automatic).unwrap();
            assert_eq!(
                failure,
                Err(serveravatar::CreateFailure::Other { status: 404, message: "HTTP 404 without a message".into() })
            );
        }
    }
}

#[test]
fn numbers_beyond_every_range() {
    const TOO_BIG: &str = "18446744073709551616"; // u64::MAX + 1
                                                  // Out of f64's range altogether: a parse error where it stands.
    for (lister, pointer, field) in [
        (Lister::ServerAvatar, "/data/0/id", "data[0].id"),
        (Lister::ServerAvatar, "/data/0/application_size", "data[0].application_size"),
        (Lister::NorthflankAddon, "/data/backups/0/config/size", "data.backups[0].config.size"),
        (Lister::NorthflankDestination, "/data/0/expiredBy", "data[0].expiredBy"),
        (Lister::NorthflankDestination, "/pagination/count", "pagination.count"),
    ] {
        for raw in ["1e400", "-1e400"] {
            assert_parse_at!(lister.list(&with_raw(lister, pointer, raw)), lister.provider(), field);
        }
    }
    // Ids are whole numbers that fit.
    for raw in [TOO_BIG, "-1", "1.5"] {
        assert_parse_at!(
            Lister::ServerAvatar.list(&with_raw(Lister::ServerAvatar, "/data/0/id", raw)),
            Provider::ServerAvatar,
            "data[0].id"
        );
    }
    // Sizes saturate or count as unknown; they never wrap.
    let size =
        |lister: Lister, pointer: &str, raw: &str| lister.list(&with_raw(lister, pointer, raw)).unwrap()[0].size_bytes;
    assert_eq!(size(Lister::NorthflankAddon, "/data/backups/0/config/size", TOO_BIG), Some(u64::MAX));
    assert_eq!(size(Lister::NorthflankAddon, "/data/backups/0/config/size", "\"1e300\""), Some(u64::MAX));
    assert_eq!(size(Lister::NorthflankAddon, "/data/backups/0/config/size", "-1234"), None);
    let nan = with_raw(Lister::NorthflankAddon, "/data/backups/0/config/size", "\"NaN\"");
    assert_parse_at!(Lister::NorthflankAddon.list(&nan), Provider::Northflank, "data.backups[0].config.size");
    assert_eq!(size(Lister::ServerAvatar, "/data/0/application_size", "1.7e308"), None);
    assert_eq!(size(Lister::ServerAvatar, "/data/0/application_size", "-100"), None);
    // Expiry instants out of what a date can say count as unknown, and the list still serializes.
    for raw in [TOO_BIG, "\"-100000000000000.0\"", "-1e18", "\"1e300\""] {
        let backups = Lister::NorthflankDestination
            .list(&with_raw(Lister::NorthflankDestination, "/data/0/expiredBy", raw))
            .unwrap();
        assert_eq!(backups[0].expires, None, "{raw}");
        assert!(serde_json::to_string(&backups).is_ok());
    }
    let before_1970 = Lister::NorthflankDestination
        .list(&with_raw(Lister::NorthflankDestination, "/data/0/expiredBy", "-86400000"))
        .unwrap();
    assert_eq!(before_1970[0].expires, Some(datetime!(1969-12-31 0:00 UTC)));
    // Years a Laravel date can spell but RFC 3339 cannot: refused where they stand.
    for raw in ["\"-0001-01-01 00:00:00\"", "\"+10000-01-01 00:00:00\""] {
        let r = Lister::ServerAvatar.list(&with_raw(Lister::ServerAvatar, "/data/0/expires_at", raw));
        assert_parse_at!(r, Provider::ServerAvatar, "data[0].expires_at");
    }
    // mittwald's paging headers.
    let headers = |v: &str| {
        let r = ok("[]").with_header("X-Pagination-TotalCount", v).with_header("X-Pagination-Limit", v);
        PaginationHeaders::read(&r)
    };
    assert_eq!(headers(TOO_BIG).total_count, Some(u64::MAX));
    for v in ["1e400", "-5", "NaN", "inf", "", "0x10"] {
        assert_eq!((headers(v).total_count, headers(v).limit), (None, None), "{v}");
    }
}

#[test]
fn very_long_strings() {
    let long = "ß".repeat(1 << 19); // 1 MiB of UTF-8
    let sa = edited(Lister::ServerAvatar, |v| {
        v["data"][0]["status"] = json!(long);
        v["data"][0]["application"]["name"] = json!(long);
    });
    let b = &Lister::ServerAvatar.list(&sa).unwrap()[0];
    assert_eq!((b.status, b.status_raw.len()), (Status::Other, long.len()));
    let nf = edited(Lister::NorthflankAddon, |v| v["data"]["backups"][0]["name"] = json!(long));
    assert_eq!(Lister::NorthflankAddon.list(&nf).unwrap()[0].name, long);
    // A long error message is kept; a long page of text is not a message.
    let r = Response::new(500, json!({ "message": long }).to_string());
    assert_http!(Lister::Mittwald.list(&r), Provider::Mittwald, 500, long.as_str());
    assert_http!(
        Lister::Mittwald.list(&Response::new(502, long.clone())),
        Provider::Mittwald,
        502,
        "HTTP 502 without a message"
    );
    // The form never repeats what was typed into it, however long.
    let form = CreateForm {
        server: long.clone(),
        name: long.clone(),
        provider: long.clone(),
        cloud_storage_provider_id: "9".repeat(1 << 20),
        automatic_backup: true,
        backup_type: long.clone(),
        application_id: long.clone(),
        database_id: long.clone(),
        schedule: long.clone(),
        retention_period: long.clone(),
        start_backup_from_now: false,
        start_backup: long.clone(),
        application_extension: long.clone(),
        database_extension: long.clone(),
    };
    let errors = form.validate(datetime!(2025-01-01 0:00 UTC)).unwrap_err();
    assert_eq!(errors.len(), 10, "{:?}", errors.iter().map(|e| e.field).collect::<Vec<_>>());
    assert!(errors.iter().all(|e| e.message.len() < 300), "{errors:?}");
}
