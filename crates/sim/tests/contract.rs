//! The simulator against the provider documents (`shared/seeds/*.txt`): every response body has the
//! documented shape (same keys, same JSON types, recursively) and the documented query parameters
//! and headers behave as documented.
//!
//! The example bodies are copied verbatim into `tests/fixtures/`. mittwald's document has a schema
//! but no example body; its fixture transcribes the schema with every documented key.

use std::collections::BTreeSet;

use backboard_core::http::{Method, Request, Response};
use backboard_sim::{Config, Fault, FaultRule, Sim, DEMO_MW_PROJECT, DEMO_MW_TOKEN, DEMO_NF_TOKEN, DEMO_SA_TOKEN};
use serde_json::{json, Value};
use time::macros::datetime;
use time::OffsetDateTime;

const NOW: OffsetDateTime = datetime!(2026-11-23 09:00 UTC);

const SA_LIST: &str = "/serveravatar/organizations/5/backups";
const NF_ADDON: &str = "/northflank/v1/projects/demo-project/addons/postgres-main/backups";
const NF_DESTINATION: &str = "/northflank/v1/backup-destinations/offsite-s3/backups";

fn mw_list() -> String {
    format!("/mittwald/v2/projects/{DEMO_MW_PROJECT}/backups")
}

// ---------------------------------------------------------------------------------------------
// The shape comparison

/// What a document allows beyond its example. Entries are paths with indices left out:
/// `$.data[].config.source`.
#[derive(Default)]
struct Rules {
    /// Keys the schema does not mark required: the simulator may leave them out.
    optional: &'static [&'static str],
    /// Values the simulator may send as null although the example shows one.
    nullable: &'static [&'static str],
    /// Values whose JSON type the published contract (tests/contracts/) gives otherwise than the
    /// example: the simulator sends the published type, and the example's in some records.
    retyped: &'static [&'static str],
}

/// A JSON path without its array indices: `$.a[3].b` -> `$.a[].b`.
fn pattern(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => in_index = true,
            ']' => {
                in_index = false;
                out.push_str("[]");
            }
            _ if !in_index => out.push(c),
            _ => {}
        }
    }
    out
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Whether `actual` has the shape of `example`: objects have the same keys (none missing unless
/// optional, none added), arrays hold elements shaped like one of the example's elements, other
/// values have the same JSON type. Null in the example means "nullable, any type". The error
/// names the JSON path of the first mismatch.
fn same_shape(example: &Value, actual: &Value, path: &str, rules: &Rules) -> Result<(), String> {
    match (example, actual) {
        (Value::Null, _) => Ok(()),
        (_, Value::Null) if rules.nullable.contains(&pattern(path).as_str()) => Ok(()),
        (_, actual) if rules.retyped.contains(&pattern(path).as_str()) && !actual.is_object() => Ok(()),
        (Value::Object(documented), Value::Object(sent)) => {
            for (key, example) in documented {
                let at = format!("{path}.{key}");
                match sent.get(key) {
                    Some(actual) => same_shape(example, actual, &at, rules)?,
                    None if rules.optional.contains(&pattern(&at).as_str()) => {}
                    None => return Err(format!("{at}: documented key is missing")),
                }
            }
            match sent.keys().find(|k| !documented.contains_key(*k)) {
                Some(key) => Err(format!("{path}.{key}: key is not in the document")),
                None => Ok(()),
            }
        }
        (Value::Array(examples), Value::Array(items)) => {
            let Some(first) = examples.first() else { return Ok(()) };
            for (i, item) in items.iter().enumerate() {
                let at = format!("{path}[{i}]");
                if examples.iter().all(|example| same_shape(example, item, &at, rules).is_err()) {
                    same_shape(first, item, &at, rules)?;
                }
            }
            Ok(())
        }
        (example, actual) if kind(example) == kind(actual) => Ok(()),
        (example, actual) => Err(format!("{path}: documented as {}, sent {} ({actual})", kind(example), kind(actual))),
    }
}

/// Every object key in `v`, as index-free paths.
fn keys(v: &Value, path: &str, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(map) => {
            for (key, value) in map {
                let at = format!("{path}.{key}");
                keys(value, &at, out);
                out.insert(at);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| keys(item, &format!("{path}[]"), out)),
        _ => {}
    }
}

/// One documented response body and what its schema allows beyond it.
struct Contract {
    example: Value,
    rules: Rules,
}

impl Contract {
    fn fixture(name: &str, rules: Rules) -> Self {
        let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let example = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        Self { example, rules }
    }

    fn check(&self, what: &str, actual: &Value) {
        if let Err(mismatch) = same_shape(&self.example, actual, "$", &self.rules) {
            panic!("{what}: {mismatch}");
        }
    }

    /// GETs `base` with each query and checks every answer; returns the bodies.
    fn check_answers(&self, h: &mut Harness, base: &str, queries: &[&str]) -> Vec<Value> {
        queries
            .iter()
            .map(|query| {
                let url = format!("{base}{query}");
                let body = h.ok(&url);
                self.check(&url, &body);
                body
            })
            .collect()
    }

    /// Every documented key shows up somewhere in `bodies`: the data exercises the whole schema.
    fn check_coverage(&self, bodies: &[Value]) {
        let (mut documented, mut seen) = (BTreeSet::new(), BTreeSet::new());
        keys(&self.example, "$", &mut documented);
        bodies.iter().for_each(|b| keys(b, "$", &mut seen));
        let never: Vec<_> = documented.difference(&seen).collect();
        assert!(never.is_empty(), "documented keys the simulator never sends: {never:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Driving the simulator

struct Harness {
    sim: Sim,
}

/// The demo token for the provider a path belongs to, in the header value that provider expects.
fn demo_authorization(path: &str) -> String {
    match path.split('/').nth(1) {
        Some("serveravatar") => DEMO_SA_TOKEN.into(),
        Some("northflank") => format!("Bearer {DEMO_NF_TOKEN}"),
        _ => format!("Bearer {DEMO_MW_TOKEN}"),
    }
}

fn json_of(r: &Response) -> Value {
    serde_json::from_slice(&r.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&r.body)))
}

impl Harness {
    fn new(config: Config) -> Self {
        Self { sim: Sim::new(config, NOW) }
    }

    fn send(&mut self, method: Method, url: &str, authorization: Option<&str>, body: Option<&Value>) -> Response {
        let mut request = Request::new(method, url);
        if let Some(value) = authorization {
            request = request.header("Authorization", value);
        }
        if let Some(body) = body {
            request = request.json_body(body.to_string());
        }
        self.sim.handle(&request, NOW).0
    }

    /// GET with the demo token; the status and the JSON body.
    fn get(&mut self, url: &str) -> (u16, Value) {
        let r = self.send(Method::Get, url, Some(&demo_authorization(url)), None);
        (r.status, json_of(&r))
    }

    /// GET that must succeed.
    fn ok(&mut self, url: &str) -> Value {
        match self.get(url) {
            (200, body) => body,
            (status, body) => panic!("{url}: {status} {body}"),
        }
    }

    fn fault(&mut self, path_prefix: &str, fault: Fault) {
        self.sim.add_fault(FaultRule { path_prefix: path_prefix.into(), fault, times: Some(1) });
    }
}

fn ids(items: &Value) -> Vec<String> {
    items.as_array().expect("an array").iter().map(|b| b["id"].to_string()).collect()
}

fn assert_unique_and_complete(seen: &[String], total: usize) {
    let unique: BTreeSet<_> = seen.iter().collect();
    assert_eq!((seen.len(), unique.len()), (total, total), "every item exactly once");
}

#[test]
fn same_shape_names_the_path_of_a_mismatch() {
    let example = json!({"a": [{"b": 1, "c": null}], "d": "x"});
    let strict = Rules::default();
    let check = |actual: Value| same_shape(&example, &actual, "$", &strict);
    assert_eq!(check(json!({"a": [{"b": 2, "c": [true]}], "d": "y"})), Ok(()));
    assert_eq!(check(json!({"a": [], "d": "y"})), Ok(()));
    assert_eq!(
        check(json!({"a": [{"b": 2, "c": 1}, {"b": "2", "c": 1}], "d": "y"})).unwrap_err(),
        "$.a[1].b: documented as number, sent string (\"2\")"
    );
    assert_eq!(check(json!({"a": [{"c": 1}], "d": "y"})).unwrap_err(), "$.a[0].b: documented key is missing");
    assert_eq!(check(json!({"a": [], "d": "y", "e": 1})).unwrap_err(), "$.e: key is not in the document");
    assert_eq!(check(json!({"a": [], "d": null})).unwrap_err(), "$.d: documented as string, sent null (null)");
    let lenient = Rules { optional: &["$.a[].b"], nullable: &["$.d"], retyped: &[] };
    assert_eq!(same_shape(&example, &json!({"a": [{"c": 1}], "d": null}), "$", &lenient), Ok(()));
    assert_eq!(pattern("$.a[12].b[0]"), "$.a[].b[]");
}

// ---------------------------------------------------------------------------------------------
// ServerAvatar

fn sa_list_contract() -> Contract {
    Contract::fixture(
        "serveravatar-list-backups.json",
        Rules {
            optional: &[],
            // The create document makes the database optional and the type decide whether there is
            // an application or a database part; Laravel sends null for what is not there.
            // An empty page has no first and last item.
            nullable: &[
                "$.data[].application_id",
                "$.data[].database_id",
                "$.data[].application_extension",
                "$.data[].database_extension",
                "$.data[].application",
                "$.data[].database",
                "$.from",
                "$.to",
            ],
            retyped: &[],
        },
    )
}

/// ServerAvatar's documented error body: `{"message": ...}`.
fn sa_error_contract() -> Contract {
    Contract { example: json!({"message": "Organization not found!"}), rules: Rules::default() }
}

/// The create document's own request example.
fn sa_create_body() -> Value {
    json!({
        "cloud_storage_provider_id": 10,
        "automatic_backup": 1,
        "type": "application",
        "application_id": 4246,
        "database_id": 4223,
        "provider": "wasabi",
        "schedule": "Every Hour",
        "retention_period": "1 Month",
        "start_backup_from_now": 1,
        "start_backup": null,
        "application_extension": ".tar.gz",
        "database_extension": ".sql.gz"
    })
}

fn sa_create(h: &mut Harness, org: u64, server: u64, changes: Value) -> (u16, Value) {
    let mut body = sa_create_body();
    if let (Some(body), Value::Object(changes)) = (body.as_object_mut(), changes) {
        body.extend(changes);
    }
    let url = format!("/serveravatar/organizations/{org}/servers/{server}/backups");
    let r = h.send(Method::Post, &url, Some(DEMO_SA_TOKEN), Some(&body));
    (r.status, json_of(&r))
}

#[test]
fn serveravatar_list_has_the_documented_shape() {
    let contract = sa_list_contract();
    for count in [0, 1, 37] {
        let mut h = Harness::new(Config { serveravatar: count, ..Config::default() });
        let pages = contract.check_answers(&mut h, SA_LIST, &["", "?page=2", "?page=3", "?page=4", "?page=5"]);
        if count == 37 {
            contract.check_coverage(&pages);
        }
    }
}

#[test]
fn serveravatar_pages_like_laravel() {
    let mut h = Harness::new(Config { serveravatar: 37, ..Config::default() });
    let page = h.ok(&format!("{SA_LIST}?page=2"));
    let url = |p: u32| format!("http://127.0.0.1:8790{SA_LIST}?page={p}");
    assert_eq!(page["data"].as_array().unwrap().len(), 10);
    assert_eq!(
        [&page["current_page"], &page["from"], &page["to"], &page["per_page"], &page["last_page"], &page["total"]],
        [2, 11, 20, 10, 4, 37]
    );
    assert_eq!(page["prev_page_url"], url(1));
    assert_eq!(page["next_page_url"], url(3));
    assert_eq!(page["first_page_url"], url(1));
    assert_eq!(page["last_page_url"], url(4));
    assert_eq!(page["path"], format!("http://127.0.0.1:8790{SA_LIST}"));
    let labels: Vec<&str> = page["links"].as_array().unwrap().iter().map(|l| l["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["&laquo; Previous", "1", "2", "3", "4", "Next &raquo;"]);
    assert_eq!(page["links"][2]["active"], true);

    // A missing, zero or non-numeric page is page 1; past the end is an empty page.
    let first = h.ok(SA_LIST);
    for bad in ["0", "-1", "abc", "2.5", ""] {
        assert_eq!(h.ok(&format!("{SA_LIST}?page={bad}")), first, "page={bad}");
    }
    let past = h.ok(&format!("{SA_LIST}?page=9"));
    assert_eq!([&past["current_page"], &past["from"], &past["to"]], [&json!(9), &Value::Null, &Value::Null]);
    assert_eq!(past["data"], json!([]));
    assert_eq!(past["next_page_url"], Value::Null);

    // Page by page, every backup exactly once, the last page short.
    let mut seen = Vec::new();
    for p in 1..=4 {
        seen.extend(ids(&h.ok(&format!("{SA_LIST}?page={p}"))["data"]));
    }
    assert_unique_and_complete(&seen, 37);
}

#[test]
fn serveravatar_links_follow_laravels_url_window() {
    let labels = |h: &mut Harness, page: u32| -> String {
        let body = h.ok(&format!("{SA_LIST}?page={page}"));
        let links = body["links"].as_array().unwrap();
        links[1..links.len() - 1].iter().map(|l| l["label"].as_str().unwrap()).collect::<Vec<_>>().join(" ")
    };
    // 13 pages: all of them.
    let mut h = Harness::new(Config { serveravatar: 130, ..Config::default() });
    assert_eq!(labels(&mut h, 1), "1 2 3 4 5 6 7 8 9 10 11 12 13");
    // 100 pages: near the start, in the middle, near the end.
    let mut h = Harness::new(Config { serveravatar: 1000, ..Config::default() });
    assert_eq!(labels(&mut h, 7), "1 2 3 4 5 6 7 8 9 10 ... 99 100");
    assert_eq!(labels(&mut h, 8), "1 2 ... 5 6 7 8 9 10 11 ... 99 100");
    assert_eq!(labels(&mut h, 93), "1 2 ... 90 91 92 93 94 95 96 ... 99 100");
    assert_eq!(labels(&mut h, 94), "1 2 ... 91 92 93 94 95 96 97 98 99 100");
}

#[test]
fn serveravatar_create_answers_as_documented() {
    let mut h = Harness::new(Config::default());
    let cases: &[(u64, u64, Value, u16, &str)] = &[
        (5, 15, json!({}), 200, "Backup plan created successfully."),
        (5, 15, json!({"automatic_backup": 0, "name": "now"}), 200, "Backup Process has been started successfully!"),
        (7, 15, json!({}), 404, "Organization not found!"),
        (5, 15, json!({"application_id": 1}), 404, "Application not found!"),
        (5, 15, json!({"cloud_storage_provider_id": 999}), 404, "Cloud storage Provider not found!"),
        (5, 15, json!({"database_id": 1}), 404, "Database not found!"),
        (5, 15, json!({"schedule": "Every Minute"}), 500, "Invalid schedule!"),
        (
            5,
            15,
            json!({"start_backup_from_now": 0, "start_backup": "2020-01-01 00:00"}),
            500,
            "Start from choose future date!",
        ),
        (
            5,
            36,
            json!({"automatic_backup": 0}),
            500,
            "Instant Backup is failed because you do not have enough disk space available on your server.",
        ),
        (
            5,
            15,
            json!({"provider": "serveravatar", "cloud_storage_provider_id": 3, "retention_period": "5 Months"}),
            500,
            "Invalid retention period!",
        ),
        (5, 999, json!({}), 404, "Server not found!"),
        (99, 15, json!({}), 500, "Something went really wrong!"),
    ];
    let contract = sa_error_contract();
    for (org, server, changes, status, message) in cases {
        let (got_status, body) = sa_create(&mut h, *org, *server, changes.clone());
        contract.check(message, &body);
        assert_eq!((got_status, body["message"].as_str()), (*status, Some(*message)), "{changes}");
    }
}

#[test]
fn serveravatar_created_backups_have_the_list_shape() {
    let mut h = Harness::new(Config { serveravatar: 0, ..Config::default() });
    let variants = [
        json!({}),
        json!({"automatic_backup": false, "name": "before deploy"}),
        json!({"type": "filesystem"}),
        json!({"type": "database", "database_id": null}),
        json!({"type": "database"}),
        json!({"database_id": null}),
        json!({"start_backup_from_now": false, "start_backup": "2030-01-01 00:00"}),
    ];
    for changes in &variants {
        assert_eq!(sa_create(&mut h, 5, 15, changes.clone()).0, 200, "{changes}");
    }
    let list = h.ok(SA_LIST);
    assert_eq!(list["total"], variants.len());
    sa_list_contract().check("created backups", &list);
}

#[test]
fn serveravatar_errors_have_the_documented_shape() {
    let mut h = Harness::new(Config::default());
    let contract = sa_error_contract();
    let check = |what: &str, r: Response, status: u16| {
        assert_eq!(r.status, status, "{what}");
        contract.check(what, &json_of(&r));
    };
    check("no token", h.send(Method::Get, SA_LIST, None, None), 401);
    check("wrong token", h.send(Method::Get, SA_LIST, Some("Bearer sa-demo-token"), None), 401);
    check("other org", h.send(Method::Get, "/serveravatar/organizations/6/backups", Some(DEMO_SA_TOKEN), None), 404);
    check("broken org", h.send(Method::Get, "/serveravatar/organizations/99/backups", Some(DEMO_SA_TOKEN), None), 500);
    check("unknown route", h.send(Method::Get, "/serveravatar/servers", Some(DEMO_SA_TOKEN), None), 404);
    for (fault, status) in [(Fault::Status { status: 500 }, 500), (Fault::RateLimit { retry_after_secs: 1 }, 429)] {
        h.fault("/serveravatar/", fault);
        check("injected fault", h.send(Method::Get, SA_LIST, Some(DEMO_SA_TOKEN), None), status);
    }
}

#[test]
fn serveravatar_validation_errors_are_laravels_422() {
    let mut h = Harness::new(Config::default());
    let documented_fields: Vec<String> = sa_create_body().as_object().unwrap().keys().cloned().collect();
    for changes in [json!({"provider": null, "type": "backup"}), json!({"application_extension": ".zip"})] {
        let (status, body) = sa_create(&mut h, 5, 15, changes.clone());
        assert_eq!(status, 422, "{changes}");
        let keys: Vec<&String> = body.as_object().expect("an object").keys().collect();
        assert_eq!(keys, ["errors", "message"]);
        assert!(body["message"].is_string());
        let errors = body["errors"].as_object().expect("errors is an object");
        assert!(!errors.is_empty());
        for (field, messages) in errors {
            assert!(documented_fields.contains(field), "{field} is a documented parameter");
            let messages = messages.as_array().expect("an array of messages");
            assert!(!messages.is_empty() && messages.iter().all(Value::is_string), "{field}: {messages:?}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Northflank

/// The addon document's example, plus `pagination.cursor`, which its schema documents, and the
/// optional keys the official client's types add (GetAddonBackupsResult).
fn nf_addon_contract() -> Contract {
    let mut c = Contract::fixture(
        "northflank-list-addon-backups.json",
        Rules {
            optional: &[
                "$.data.backups[].config.source",
                "$.data.backups[].config.source.type",
                "$.data.backups[].config.addonVersion",
                "$.data.backups[].config.compressionType",
                "$.data.backups[].config.additionalDestinations",
                "$.data.backups[].config.additionalDestinations[].retentionTime",
                "$.data.backups[].customDestinationId",
                "$.pagination.cursor",
            ],
            nullable: &[],
            retyped: &[],
        },
    );
    c.example["pagination"]["cursor"] = json!("string");
    let backup = &mut c.example["data"]["backups"][0];
    backup["customDestinationId"] = json!("string");
    backup["config"]["compressionType"] = json!("gz");
    backup["config"]["additionalDestinations"] =
        json!([{"destinationId": "string", "type": "custom", "retentionTime": 7}]);
    c
}

/// The destination document's example, plus `pagination.cursor`, which its schema documents.
fn nf_destination_contract() -> Contract {
    let mut c = Contract::fixture(
        "northflank-list-destination-backups.json",
        Rules {
            optional: &[
                "$.data[].project",
                "$.data[].addon",
                // Optional in the official client's types (ListBackupdestinationsbackupsResult).
                "$.data[].project.name",
                "$.data[].addon.name",
                "$.data[].config.addonVersion",
                "$.data[].config.addonType",
                "$.data[].config.source",
                "$.data[].config.source.type",
                "$.data[].schedules",
                // "Required for daily and weekly intervals and unavailable for hourly intervals."
                "$.data[].schedules[].hour",
                // "Required for weekly intervals and unavailable for hourly and daily intervals."
                "$.data[].schedules[].day",
                "$.pagination.cursor",
            ],
            nullable: &[],
            // A number in the official client's types; the example's decimal string in some records.
            retyped: &["$.data[].expiredBy"],
        },
    );
    c.example["pagination"]["cursor"] = json!("string");
    c
}

/// Northflank's error body. The seeds document none; one shape serves all of its errors.
fn nf_error_contract() -> Contract {
    Contract { example: json!({"error": {"status": 400, "code": "", "message": ""}}), rules: Rules::default() }
}

/// The items of a Northflank list page, wherever the endpoint puts them.
fn nf_items(url: &str, body: &Value) -> Value {
    if url.starts_with(NF_ADDON) {
        body["data"]["backups"].clone()
    } else {
        body["data"].clone()
    }
}

fn nf_config() -> Config {
    Config { northflank_addon: 230, northflank_destination: 120, ..Config::default() }
}

#[test]
fn northflank_lists_have_the_documented_shape() {
    let mut h = Harness::new(nf_config());
    for (base, contract) in [(NF_ADDON, nf_addon_contract()), (NF_DESTINATION, nf_destination_contract())] {
        let queries = ["?per_page=100", "?per_page=100&page=2", "?per_page=100&page=3", "?page=9"];
        let pages = contract.check_answers(&mut h, base, &queries);
        contract.check_coverage(&pages);
        let schedules = pages.iter().flat_map(|p| nf_items(base, p).as_array().cloned().unwrap_or_default());
        for schedule in schedules.flat_map(|b| b["schedules"].as_array().cloned().unwrap_or_default()) {
            let fields = (schedule.get("hour").is_some(), schedule.get("day").is_some());
            let expected = match schedule["interval"].as_str() {
                Some("hourly") => (false, false),
                Some("daily") => (true, false),
                _ => (true, true),
            };
            assert_eq!(fields, expected, "hour and day as the schema's interval rules say: {schedule}");
        }
    }
}

#[test]
fn northflank_pages_by_per_page_page_and_cursor() {
    let mut h = Harness::new(nf_config());
    for (base, total) in [(NF_ADDON, 230), (NF_DESTINATION, 120)] {
        // per_page: at most 100.
        let body = h.ok(&format!("{base}?per_page=100"));
        assert_eq!((nf_items(base, &body).as_array().unwrap().len(), &body["pagination"]["count"]), (100, &json!(100)));
        for bad in ["101", "1000", "0", "x"] {
            let (status, body) = h.get(&format!("{base}?per_page={bad}"));
            assert_eq!(status, 400, "per_page={bad}");
            nf_error_contract().check("per_page", &body);
        }
        // page: numbered pages of per_page items.
        let mut by_page = Vec::new();
        for p in 1..=10 {
            let body = h.ok(&format!("{base}?per_page=40&page={p}"));
            by_page.extend(ids(&nf_items(base, &body)));
            if body["pagination"]["hasNextPage"] == false {
                break;
            }
        }
        assert_unique_and_complete(&by_page, total);
        // cursor: follow the cursor of each page until there is no next page.
        let (mut by_cursor, mut query) = (Vec::new(), "per_page=30".to_string());
        for _ in 0..10 {
            let body = h.ok(&format!("{base}?{query}"));
            let items = nf_items(base, &body);
            assert_eq!(body["pagination"]["count"], items.as_array().unwrap().len());
            assert_eq!(body["pagination"]["hasNextPage"], body["pagination"].get("cursor").is_some());
            by_cursor.extend(ids(&items));
            let Some(cursor) = body["pagination"]["cursor"].as_str() else { break };
            query = format!("per_page=30&cursor={cursor}");
        }
        assert_eq!(by_cursor, by_page, "cursor and page paging see the same order");
        let (status, body) = h.get(&format!("{base}?cursor=not-a-cursor"));
        assert_eq!(status, 400);
        nf_error_contract().check("cursor", &body);
    }
}

#[test]
fn northflank_errors_share_one_shape() {
    let mut h = Harness::new(Config::default());
    let token = demo_authorization(NF_ADDON);
    let t = Some(token.as_str());
    let cases = [
        (NF_ADDON.to_string(), None, 401),
        (NF_ADDON.into(), Some("Bearer wrong"), 401),
        (NF_ADDON.into(), Some(DEMO_NF_TOKEN), 401),
        ("/northflank/v1/projects/other/addons/postgres-main/backups".into(), t, 404),
        ("/northflank/v1/projects/demo-project/addons/other/backups".into(), t, 404),
        ("/northflank/v1/backup-destinations/other/backups".into(), t, 404),
        ("/northflank/v1/projects".into(), t, 404),
        (format!("{NF_DESTINATION}?page=0"), t, 400),
    ];
    let contract = nf_error_contract();
    for (url, authorization, status) in cases {
        let r = h.send(Method::Get, &url, authorization, None);
        let body = json_of(&r);
        assert_eq!((r.status, &body["error"]["status"]), (status, &json!(status)), "{url}");
        contract.check(&url, &body);
    }
    for fault in [Fault::Status { status: 500 }, Fault::RateLimit { retry_after_secs: 1 }] {
        h.fault("/northflank/", fault);
        let r = h.send(Method::Get, NF_ADDON, t, None);
        contract.check("injected fault", &json_of(&r));
    }
}

// ---------------------------------------------------------------------------------------------
// mittwald

/// The mittwald schema: everything the document does not mark required is optional.
fn mw_contract() -> Contract {
    Contract::fixture(
        "mittwald-list-project-backups.json",
        Rules {
            optional: &[
                "$[].createdAt",
                "$[].description",
                "$[].expiresAt",
                "$[].export",
                "$[].export.downloadURL",
                "$[].export.expiresAt",
                "$[].export.phase",
                "$[].export.sha256Checksum",
                "$[].parentId",
                "$[].restore",
                "$[].restore.databaseRestores",
                "$[].restore.pathRestore",
                "$[].restore.pathRestore.targetRestorePath",
                "$[].restorePath",
                "$[].restorePath.targetPath",
            ],
            nullable: &[],
            retyped: &[],
        },
    )
}

/// mittwald's error body. The seeds document none; validation errors add `validationErrors`.
fn mw_error_contract() -> Contract {
    Contract {
        example: json!({"type": "", "message": "", "validationErrors": [{"message": "", "path": "", "type": ""}]}),
        rules: Rules { optional: &["$.validationErrors"], nullable: &[], retyped: &[] },
    }
}

/// A mittwald list: the items and the four X-Pagination-* headers (limit, skip, page, total).
fn mw_get(h: &mut Harness, query: &str) -> (Value, [usize; 4]) {
    let url = format!("{}{query}", mw_list());
    let r = h.send(Method::Get, &url, Some(&demo_authorization(&url)), None);
    assert_eq!(r.status, 200, "{url}");
    let header = |name: &str| -> usize {
        let value =
            r.header(&format!("X-Pagination-{name}")).unwrap_or_else(|| panic!("{url}: no X-Pagination-{name}"));
        value.parse().unwrap_or_else(|_| panic!("X-Pagination-{name}: {value}"))
    };
    (json_of(&r), [header("Limit"), header("Skip"), header("Page"), header("TotalCount")])
}

#[test]
fn mittwald_list_has_the_documented_shape() {
    let mut h = Harness::new(Config { mittwald: 400, ..Config::default() });
    let contract = mw_contract();
    let queries = ["", "?withExportsOnly=true", "?runningRestoresOnly=true", "?limit=5&page=3"];
    let bodies = contract.check_answers(&mut h, &mw_list(), &queries);
    contract.check_coverage(&bodies);
}

#[test]
fn mittwald_pages_by_limit_skip_and_page_with_headers() {
    let mut h = Harness::new(Config { mittwald: 23, ..Config::default() });
    let (all, headers) = mw_get(&mut h, "");
    assert_eq!(headers, [1000, 0, 1, 23], "mittwald's default limit");
    let all = ids(&all);
    let (items, headers) = mw_get(&mut h, "?limit=5&skip=7");
    assert_eq!((ids(&items), headers), (all[7..12].to_vec(), [5, 7, 2, 23]));
    let (items, headers) = mw_get(&mut h, "?limit=5&page=3");
    assert_eq!((ids(&items), headers), (all[10..15].to_vec(), [5, 10, 3, 23]));
    let (items, headers) = mw_get(&mut h, "?limit=5&page=6");
    assert_eq!((items, headers), (json!([]), [5, 25, 6, 23]));
    let mut seen = Vec::new();
    for page in 1..=5 {
        seen.extend(ids(&mw_get(&mut h, &format!("?limit=5&page={page}")).0));
    }
    assert_eq!(seen, all);
}

#[test]
fn mittwald_filters_and_sorts() {
    let mut h = Harness::new(Config { mittwald: 120, ..Config::default() });
    let (all, [.., total]) = mw_get(&mut h, "");
    let all = all.as_array().unwrap().clone();
    let count = |pred: &dyn Fn(&Value) -> bool| all.iter().filter(|b| pred(b)).count();

    let (found, [.., found_total]) = mw_get(&mut h, "?searchTerm=DAILY");
    let has_term = |b: &Value| b["description"].as_str().is_some_and(|d| d.to_lowercase().contains("daily"));
    assert!(found_total > 0 && found_total < total);
    assert_eq!(found_total, count(&has_term));
    assert!(found.as_array().unwrap().iter().all(has_term));

    let (exports, [.., exports_total]) = mw_get(&mut h, "?withExportsOnly=true");
    assert!(exports_total > 0 && exports_total < total);
    assert_eq!(exports_total, count(&|b| b.get("export").is_some()));
    assert!(exports.as_array().unwrap().iter().all(|b| b.get("export").is_some()));
    assert_eq!(mw_get(&mut h, "?withExportsOnly=false").1[3], total);

    let running = |b: &Value| b["restore"]["phase"] == "running" || b["restorePath"]["phase"] == "running";
    let (restoring, [.., restoring_total]) = mw_get(&mut h, "?runningRestoresOnly=true");
    assert!(restoring_total > 0 && restoring_total < total);
    assert_eq!(restoring_total, count(&running));
    assert!(restoring.as_array().unwrap().iter().all(running));

    let running_backup = |b: &Value| matches!(b["status"].as_str(), Some("Pending" | "Running"));
    let (in_progress, [.., in_progress_total]) = mw_get(&mut h, "?runningBackupsOnly=true");
    assert!(in_progress_total > 0 && in_progress_total < total);
    assert_eq!(in_progress_total, count(&running_backup));
    assert!(in_progress.as_array().unwrap().iter().all(running_backup));

    // "Defaults to backup_sort_order_oldest_first" (the published spec's sortOrder).
    let oldest = mw_get(&mut h, "?sortOrder=oldestFirst").0;
    assert_eq!(oldest, Value::Array(all.clone()), "oldest first is the default");
    let mut newest = mw_get(&mut h, "?sortOrder=newestFirst").0.as_array().unwrap().clone();
    newest.reverse();
    assert_eq!(newest, all);
    let requested: Vec<&str> = all.iter().map(|b| b["requestedAt"].as_str().unwrap()).collect();
    assert!(requested.windows(2).all(|w| w[0] <= w[1]), "oldest first by requestedAt");

    // The document's own usage example, all parameters at once.
    let (items, headers) = mw_get(
        &mut h,
        "?searchTerm=string&withExportsOnly=true&sortOrder=oldestFirst&runningRestoresOnly=true&limit=50&page=1",
    );
    assert_eq!((items, headers), (json!([]), [50, 0, 1, 0]));
}

#[test]
fn mittwald_errors_share_one_shape() {
    let mut h = Harness::new(Config::default());
    let list = mw_list();
    let token = demo_authorization(&list);
    let t = Some(token.as_str());
    let other_project = "/mittwald/v2/projects/00000000-0000-4000-8000-000000000000/backups";
    let cases = [
        (list.clone(), None, 401),
        (list.clone(), Some("Bearer wrong"), 403),
        (other_project.into(), t, 403),
        ("/mittwald/v2/projects/not-a-uuid/backups".into(), t, 400),
        ("/mittwald/v2/projects".into(), t, 404),
        (format!("{list}?limit=x"), t, 400),
        (format!("{list}?sortOrder=biggestFirst"), t, 400),
        (format!("{list}?withExportsOnly=yes"), t, 400),
    ];
    let contract = mw_error_contract();
    for (url, authorization, status) in cases {
        let r = h.send(Method::Get, &url, authorization, None);
        assert_eq!(r.status, status, "{url}");
        contract.check(&url, &json_of(&r));
    }
    for fault in [Fault::Status { status: 500 }, Fault::RateLimit { retry_after_secs: 1 }] {
        h.fault("/mittwald/", fault);
        let r = h.send(Method::Get, &list, t, None);
        contract.check("injected fault", &json_of(&r));
    }
}
