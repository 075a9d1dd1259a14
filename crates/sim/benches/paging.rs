//! "List all pages": 2,000 backups per endpoint from the simulator server at 50 ms latency per
//! request, over loopback HTTP, through the core's paging engine (concurrency 6) and, as the
//! baseline in the same run, the same engine at concurrency 1 (naive sequential paging).
//! Prints a table and writes `target/bench/paging.json` for `cargo xtask bench`.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use backboard_core::connection::Connection;
use backboard_core::http::{Method, Request, Response, Transport, TransportError};
use backboard_core::paging::Options;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde_json::json;

const PER_ENDPOINT: usize = 2_000;
const LATENCY_MS: u64 = 50;

struct Http(Client<HttpConnector, Full<Bytes>>);

impl Transport for Http {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        let mut builder = hyper::Request::builder().method(request.method.as_str()).uri(&request.url);
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        let body = Full::new(Bytes::from(request.body.clone().unwrap_or_default()));
        let req = builder.body(body).map_err(|e| TransportError::new(e.to_string()))?;
        let res = self.0.request(req).await.map_err(|e| TransportError::new(e.to_string()))?;
        let status = res.status().as_u16();
        let headers = res
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or_default().to_string()))
            .collect();
        let body = res.into_body().collect().await.map_err(|e| TransportError::new(e.to_string()))?.to_bytes();
        Ok(Response { status, headers, body: body.to_vec() })
    }
    async fn sleep(&self, millis: u64) {
        tokio::time::sleep(Duration::from_millis(millis)).await;
    }
}

struct Server(Child);
impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

fn main() {
    // `cargo bench` passes `--bench`; there is nothing to filter here.
    let port = free_port();
    let n = PER_ENDPOINT.to_string();
    let _server = Server(
        Command::new(env!("CARGO_BIN_EXE_backboard-sim"))
            .args(["--addr", &format!("127.0.0.1:{port}"), "--latency-ms", &LATENCY_MS.to_string()])
            .args(["--serveravatar", &n, "--northflank-addon", &n, "--northflank-destination", &n, "--mittwald", &n])
            .stderr(Stdio::null())
            .spawn()
            .expect("simulator binary starts"),
    );
    let base = format!("http://127.0.0.1:{port}");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let client = Http(Client::builder(TokioExecutor::new()).pool_max_idle_per_host(16).build_http());
    runtime.block_on(async {
        let deadline = Instant::now() + Duration::from_secs(20);
        let probe = Request::new(Method::Get, format!("{base}/_demo/connections"));
        while client.send(probe.clone()).await.is_err() {
            assert!(Instant::now() < deadline, "simulator did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let connections: Vec<Connection> =
            serde_json::from_slice(&client.send(probe).await.expect("connections").body).expect("connections parse");
        let mut rows = Vec::new();
        println!(
            "{:<34} {:>6} {:>6} {:>9} {:>9} {:>8} {:>8} {:>6}",
            "endpoint", "items", "pages", "engine", "naive", "rt", "goal rt", "ratio"
        );
        for connection in &connections {
            let provider_base = format!("{base}/{}", connection.provider().slug());
            let timed = |concurrency| {
                let options = Options { concurrency, ..Options::default() };
                let connection = connection.clone();
                let provider_base = provider_base.clone();
                let client = &client;
                async move {
                    let start = Instant::now();
                    let mut pages = 0;
                    let items = connection
                        .list_backups(client, &provider_base, &options, &mut |p| pages = p.pages_done)
                        .await
                        .expect("lists");
                    (start.elapsed(), items.len(), pages)
                }
            };
            let (engine, items, pages) = timed(Options::default().concurrency).await;
            let (naive, naive_items, _) = timed(1).await;
            assert_eq!(items, naive_items);
            assert_eq!(items, PER_ENDPOINT, "{}: every backup listed", connection.label);
            // A round trip as measured in this run: the naive listing's time per page (latency
            // plus request overhead), so the figure counts waves of requests, not milliseconds.
            let round_trip = naive.as_secs_f64() / pages as f64;
            let round_trips = engine.as_secs_f64() / round_trip;
            let cursor = connection.provider().slug() == "northflank";
            // Cursor lists cannot be read ahead: their goal is one round trip per page.
            let goal = if cursor { pages as f64 } else { 1.0 + ((pages - 1) as f64 / 6.0).ceil() };
            let ratio = naive.as_secs_f64() / engine.as_secs_f64();
            println!(
                "{:<34} {:>6} {:>6} {:>7.0}ms {:>7.0}ms {:>8.1} {:>8.0} {:>5.1}x",
                connection.label,
                items,
                pages,
                engine.as_secs_f64() * 1000.0,
                naive.as_secs_f64() * 1000.0,
                round_trips,
                goal,
                ratio
            );
            rows.push(json!({
                "endpoint": connection.label, "provider": connection.provider().slug(), "cursor": cursor,
                "items": items, "pages": pages, "engine_ms": engine.as_secs_f64() * 1000.0,
                "naive_ms": naive.as_secs_f64() * 1000.0, "latency_ms": LATENCY_MS,
                "round_trip_ms": round_trip * 1000.0, "round_trips": round_trips, "goal_round_trips": goal,
            }));
        }
        let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/bench");
        std::fs::create_dir_all(&out).expect("target/bench");
        std::fs::write(out.join("paging.json"), serde_json::to_vec_pretty(&rows).expect("json")).expect("write");
    });
}
