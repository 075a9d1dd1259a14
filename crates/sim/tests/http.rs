//! The server binary over real HTTP/1.1 on loopback: status lines, headers (auth, paging, CORS)
//! and state across requests. A tiny blocking client writes raw requests and reads each answer
//! until the server closes; every socket operation has a timeout, and every server is killed
//! when its test ends.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use backboard_sim::{DEMO_MW_PROJECT, DEMO_MW_TOKEN, DEMO_NF_TOKEN, DEMO_SA_TOKEN};
use serde_json::{json, Value};

const TIMEOUT: Duration = Duration::from_secs(10);
const SA_LIST: &str = "/serveravatar/organizations/5/backups";
const SA_CREATE: &str = "/serveravatar/organizations/5/servers/15/backups";
const NF_ADDON: &str = "/northflank/v1/projects/demo-project/addons/postgres-main/backups";
const NF_DESTINATION: &str = "/northflank/v1/backup-destinations/offsite-s3/backups";
const ORIGIN: (&str, &str) = ("Origin", "http://evil.example");

fn mw_list() -> String {
    format!("/mittwald/v2/projects/{DEMO_MW_PROJECT}/backups")
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

/// One HTTP answer as it came over the wire.
struct Answer {
    status_line: String,
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    fn cors_headers(&self) -> Vec<&str> {
        let cors = |k: &&str| k.to_ascii_lowercase().starts_with("access-control-");
        self.headers.iter().map(|(k, _)| k.as_str()).filter(cors).collect()
    }
}

/// Parses a whole response read until close (the simulator sends `Content-Length`, not chunks).
fn parse(raw: &[u8]) -> Answer {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or_else(|| panic!("no end of headers in {text:?}"));
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default().to_string();
    let status = status_line.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("a status code");
    let headers =
        lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_string(), v.trim().to_string())).collect();
    Answer { status_line, status, headers, body: body.to_string() }
}

/// The simulator binary on a free loopback port; killed when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the binary with `args` and waits for the address it prints on stderr.
fn spawn(args: &[&str]) -> (Child, mpsc::Receiver<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_backboard-sim"))
        .args(args)
        .env_remove("BACKBOARD_SIM_ADDR")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the simulator binary starts");
    let stderr = child.stderr.take().expect("piped stderr");
    let (lines, rx) = mpsc::channel();
    // Drains stderr until the child exits, so it can never block on a full pipe.
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });
    (child, rx)
}

impl Server {
    fn start(flags: &[&str]) -> Self {
        let args: Vec<&str> = ["--addr", "127.0.0.1:0"].iter().chain(flags).copied().collect();
        let (child, stderr) = spawn(&args);
        let mut server = Server { child, addr: SocketAddr::from(([127, 0, 0, 1], 0)) };
        let deadline = Instant::now() + TIMEOUT;
        server.addr = loop {
            let line = stderr.recv_timeout(deadline.saturating_duration_since(Instant::now()));
            let line = line.expect("the simulator announces its address");
            if let Some(addr) = line.strip_prefix("backboard-sim listening on http://") {
                break addr.parse().expect("a socket address");
            }
        };
        assert_ne!(server.addr.port(), 0, "the bound port, not the requested one");
        while server.try_send("GET", "/_demo/config", &[], None).is_err() {
            assert!(Instant::now() < deadline, "the simulator answers within {TIMEOUT:?}");
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn try_send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> std::io::Result<Answer> {
        let mut stream = TcpStream::connect_timeout(&self.addr, TIMEOUT)?;
        stream.set_read_timeout(Some(TIMEOUT))?;
        stream.set_write_timeout(Some(TIMEOUT))?;
        let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n", self.addr);
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        if let Some(body) = body {
            request.push_str(&format!("Content-Type: application/json\r\nContent-Length: {}\r\n", body.len()));
        }
        request.push_str("\r\n");
        request.push_str(body.unwrap_or_default());
        stream.write_all(request.as_bytes())?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw)?;
        Ok(parse(&raw))
    }

    fn send(&self, method: &str, path: &str, headers: &[(&str, &str)], body: Option<&str>) -> Answer {
        self.try_send(method, path, headers, body).unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    fn get(&self, path: &str, headers: &[(&str, &str)]) -> Answer {
        self.send("GET", path, headers, None)
    }

    /// The total of ServerAvatar's backup list, by the demo token.
    fn sa_total(&self) -> Value {
        self.get(SA_LIST, &[("Authorization", DEMO_SA_TOKEN)]).json()["total"].clone()
    }
}

#[test]
fn status_lines_and_unknown_paths() {
    let server = Server::start(&[]);
    assert_eq!(server.get("/_demo/connections", &[]).status_line, "HTTP/1.1 200 OK");
    let unknown = server.get("/nowhere", &[]);
    assert_eq!(unknown.status_line, "HTTP/1.1 404 Not Found");
    assert_eq!(unknown.header("Content-Type"), Some("application/json"));
    assert!(unknown.json()["message"].is_string());
    assert_eq!(server.get("/_demo/nothing", &[]).status, 404);
    assert_eq!(server.get("/serveravatar/organizations", &[("Authorization", DEMO_SA_TOKEN)]).status, 404);
    assert_eq!(server.send("OPTIONS", SA_LIST, &[ORIGIN], None).status_line, "HTTP/1.1 405 Method Not Allowed");
    assert_eq!(server.send("OPTIONS", "/_demo/reset", &[ORIGIN], None).status_line, "HTTP/1.1 204 No Content");
}

#[test]
fn each_provider_refuses_missing_and_wrong_tokens() {
    let server = Server::start(&[]);
    let mw = mw_list();
    let (nf, mw_token) = (bearer(DEMO_NF_TOKEN), bearer(DEMO_MW_TOKEN));
    // (path, a good Authorization, a wrong one, status without a token, status with the wrong one)
    let cases = [
        (SA_LIST, DEMO_SA_TOKEN, "sa-wrong", 401, 401),
        (SA_LIST, DEMO_SA_TOKEN, "Bearer sa-demo-token", 401, 401),
        (NF_ADDON, nf.as_str(), "Bearer nf-wrong", 401, 401),
        (NF_DESTINATION, nf.as_str(), DEMO_NF_TOKEN, 401, 401),
        (mw.as_str(), mw_token.as_str(), "Bearer mw-wrong", 401, 403),
    ];
    for (path, good, wrong, missing_status, wrong_status) in cases {
        assert_eq!(server.get(path, &[("Authorization", good)]).status, 200, "{path}");
        let missing = server.get(path, &[]);
        assert_eq!(missing.status, missing_status, "{path} without a token");
        let refused = server.get(path, &[("Authorization", wrong)]);
        assert_eq!(refused.status, wrong_status, "{path} with {wrong}");
        for answer in [missing, refused] {
            let body = answer.json();
            let message = body["message"].as_str().or(body["error"]["message"].as_str());
            assert!(message.is_some_and(|m| !m.is_empty()), "{path}: the provider's own message: {body}");
        }
    }
    assert_eq!(server.get(SA_LIST, &[]).json(), json!({"message": "Unauthenticated."}));
    assert_eq!(server.get(&mw, &[("X-Access-Token", DEMO_MW_TOKEN)]).status, 200, "mittwald's token header");
}

#[test]
fn mittwald_sends_paging_headers_and_the_others_do_not() {
    let server = Server::start(&["--mittwald", "12"]);
    let answer = server.get(&format!("{}?limit=5&skip=5", mw_list()), &[("Authorization", &bearer(DEMO_MW_TOKEN))]);
    assert_eq!(answer.status, 200);
    let paging: Vec<(&str, Option<&str>)> =
        ["Limit", "Skip", "Page", "TotalCount"].map(|n| (n, answer.header(&format!("X-Pagination-{n}")))).to_vec();
    assert_eq!(paging, [("Limit", Some("5")), ("Skip", Some("5")), ("Page", Some("2")), ("TotalCount", Some("12"))]);
    assert_eq!(answer.json().as_array().map(Vec::len), Some(5));
    let nf = bearer(DEMO_NF_TOKEN);
    for (path, token) in [(SA_LIST, DEMO_SA_TOKEN), (NF_ADDON, nf.as_str())] {
        let answer = server.get(path, &[("Authorization", token)]);
        assert!(answer.headers.iter().all(|(k, _)| !k.to_ascii_lowercase().starts_with("x-pagination")), "{path}");
    }
}

#[test]
fn provider_routes_send_no_cors_headers() {
    let server = Server::start(&[]);
    let mw = mw_list();
    let (nf, mw_token) = (bearer(DEMO_NF_TOKEN), bearer(DEMO_MW_TOKEN));
    let preflight =
        [ORIGIN, ("Access-Control-Request-Method", "GET"), ("Access-Control-Request-Headers", "authorization")];
    let (nf, mw_token) = (nf.as_str(), mw_token.as_str());
    for (path, token) in [(SA_LIST, DEMO_SA_TOKEN), (NF_ADDON, nf), (NF_DESTINATION, nf), (&mw, mw_token)] {
        let answers = [
            ("with a token", server.get(path, &[ORIGIN, ("Authorization", token)])),
            ("without one", server.get(path, &[ORIGIN])),
            ("preflight", server.send("OPTIONS", path, &preflight, None)),
        ];
        for (what, answer) in answers {
            assert_eq!(answer.cors_headers(), Vec::<&str>::new(), "{path} {what}");
        }
    }
    let create = server.send("POST", SA_CREATE, &[ORIGIN, ("Authorization", DEMO_SA_TOKEN)], Some("{}"));
    assert_eq!((create.status, create.cors_headers()), (422, vec![]));
}

#[test]
fn demo_connections_are_ready_made_and_allow_cors() {
    let server = Server::start(&[]);
    let answer = server.get("/_demo/connections", &[ORIGIN]);
    assert_eq!(answer.header("Access-Control-Allow-Origin"), Some("*"));
    let connections = answer.json();
    let providers: Vec<&str> = connections.as_array().unwrap().iter().filter_map(|c| c["provider"].as_str()).collect();
    assert_eq!(providers, ["serveravatar", "northflank", "northflank", "mittwald"]);
    // Each connection works as given against its provider's endpoint.
    for c in connections.as_array().unwrap() {
        let s = |k: &str| c[k].as_str().unwrap_or_default();
        let (path, authorization) = match s("provider") {
            "serveravatar" => (format!("/serveravatar/organizations/{}/backups", s("organization")), s("token").into()),
            "northflank" if c.get("addonId").is_some() => (
                format!("/northflank/v1/projects/{}/addons/{}/backups", s("projectId"), s("addonId")),
                bearer(s("token")),
            ),
            "northflank" => {
                (format!("/northflank/v1/backup-destinations/{}/backups", s("backupDestinationId")), bearer(s("token")))
            }
            _ => (format!("/mittwald/v2/projects/{}/backups", s("projectId")), bearer(s("token"))),
        };
        assert_eq!(server.get(&path, &[("Authorization", &authorization)]).status, 200, "{c}");
    }
    let preflight = server.send("OPTIONS", "/_demo/connections", &[ORIGIN], None);
    assert_eq!(preflight.header("Access-Control-Allow-Origin"), Some("*"));
    assert!(preflight.header("Access-Control-Allow-Methods").is_some_and(|m| m.contains("POST")));
}

/// An instant ServerAvatar backup named `name`, as the create document's example sends it.
fn create_backup(server: &Server, name: &str) -> Answer {
    let body = json!({
        "name": name, "cloud_storage_provider_id": 10, "automatic_backup": false, "type": "application",
        "application_id": 4246, "database_id": 4223, "provider": "wasabi",
        "application_extension": ".tar.gz", "database_extension": ".sql.gz"
    });
    server.send("POST", SA_CREATE, &[("Authorization", DEMO_SA_TOKEN)], Some(&body.to_string()))
}

#[test]
fn serveravatar_create_shows_up_in_the_list() {
    let server = Server::start(&["--serveravatar", "15"]);
    let created = create_backup(&server, "before deploy");
    assert_eq!(created.status_line, "HTTP/1.1 200 OK");
    assert_eq!(created.json(), json!({"message": "Backup Process has been started successfully!"}));
    let list = server.get(SA_LIST, &[("Authorization", DEMO_SA_TOKEN)]).json();
    assert_eq!(list["total"], 16);
    let newest = &list["data"][0];
    assert_eq!(
        (&newest["backup_configuration"]["name"], &newest["status"]),
        (&json!("before deploy"), &json!("Processing"))
    );
}

#[test]
fn reset_forgets_created_backups_and_takes_knobs() {
    let server = Server::start(&["--serveravatar", "15"]);
    assert_eq!(create_backup(&server, "gone after reset").status, 200);
    assert_eq!(server.sa_total(), 16);
    let reset = server.send("POST", "/_demo/reset", &[ORIGIN], None);
    assert_eq!((reset.status, reset.header("Access-Control-Allow-Origin")), (200, Some("*")));
    assert_eq!(server.sa_total(), 15, "back to the generated data, with the flags' counts");

    // Knobs in the body replace those named; the others and the server's own origin stay.
    assert_eq!(server.send("POST", "/_demo/reset", &[], Some(r#"{"serveravatar": 3}"#)).status, 200);
    let list = server.get(SA_LIST, &[("Authorization", DEMO_SA_TOKEN)]).json();
    assert_eq!(list["total"], 3);
    assert_eq!(list["path"], format!("{}{SA_LIST}", server.origin()));
    assert_eq!(server.send("POST", "/_demo/reset", &[], Some(r#"{"serveravatar": "many"}"#)).status, 400);
    assert_eq!(server.send("POST", "/_demo/reset", &[], Some("[1]")).status, 400);
    assert_eq!(server.sa_total(), 3, "a refused reset changes nothing");
}

#[test]
fn flags_set_the_data_knobs() {
    let server = Server::start(&[
        "--seed",
        "7",
        "--serveravatar",
        "3",
        "--northflank-addon",
        "2",
        "--northflank-destination",
        "1",
        "--mittwald",
        "4",
        "--latency-ms",
        "150",
        "--jitter-ms",
        "0",
        "--operation-ms",
        "500",
    ]);
    let config = server.get("/_demo/config", &[]).json()["config"].clone();
    let expected = json!({"seed": 7, "serveravatar": 3, "northflank_addon": 2, "northflank_destination": 1,
                          "mittwald": 4, "latency_ms": 150, "jitter_ms": 0, "operation_ms": 500,
                          "origin": server.origin()});
    assert_eq!(config, expected);
    let started = Instant::now();
    assert_eq!(server.sa_total(), 3);
    assert!(started.elapsed() >= Duration::from_millis(150), "--latency-ms delays provider answers");
    let list = server.get(SA_LIST, &[("Authorization", DEMO_SA_TOKEN)]).json();
    assert_eq!(list["first_page_url"], format!("{}{SA_LIST}?page=1", server.origin()));
}

#[test]
fn bad_flags_print_usage_and_exit_2() {
    for args in [&["--bogus", "1"][..], &["--seed", "many"], &["--seed"], &["--addr", "nowhere"]] {
        let (mut child, stderr) = spawn(args);
        let deadline = Instant::now() + TIMEOUT;
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait") {
                break status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{args:?}: still running after {TIMEOUT:?}");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        assert_eq!(status.code(), Some(2), "{args:?}");
        let usage = stderr.recv_timeout(TIMEOUT).unwrap_or_default();
        assert!(usage.starts_with("usage: backboard-sim"), "{args:?}: {usage}");
    }
}
