//! `backboard-sim`: the simulators behind a real HTTP server on loopback.
//!
//! Flags (all optional): --addr 127.0.0.1:8790, and `--<knob> N` for every numeric knob of
//! [`Config`] (`--seed N`, `--latency-ms N`, each source's count such as `--northflank-addon N`).
//! `BACKBOARD_SIM_ADDR` sets the address too. Port 0 picks a free port; the address actually
//! bound is printed on stderr (`backboard-sim listening on http://IP:PORT`).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method as HttpMethod, StatusCode, Uri};
use axum::response::Response as AxumResponse;
use backboard_core::http::{Method, Request};
use backboard_sim::{Config, Sim};
use time::OffsetDateTime;

/// The numeric knobs of [`Config`], by their JSON names: each is a `--flag` with `-` for `_`.
fn numeric_knobs() -> Vec<String> {
    match serde_json::to_value(Config::default()) {
        Ok(serde_json::Value::Object(knobs)) => knobs.into_iter().filter(|(_, v)| v.is_u64()).map(|(k, _)| k).collect(),
        _ => Vec::new(),
    }
}

fn usage() -> ! {
    let flags: Vec<String> = numeric_knobs().iter().map(|k| format!("[--{} N]", k.replace('_', "-"))).collect();
    eprintln!("usage: backboard-sim [--addr IP:PORT] {}", flags.join(" "));
    std::process::exit(2)
}

fn parse_args() -> (SocketAddr, Config) {
    let mut addr = std::env::var("BACKBOARD_SIM_ADDR").unwrap_or_else(|_| "127.0.0.1:8790".into());
    let mut config = Config::default();
    let knobs = numeric_knobs();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            usage();
        }
        let Some(value) = args.next() else { usage() };
        if flag == "--addr" {
            addr = value;
            continue;
        }
        let knob = flag.strip_prefix("--").map(|k| k.replace('-', "_")).filter(|k| knobs.contains(k));
        let (Some(knob), Ok(n)) = (knob, value.parse::<u64>()) else { usage() };
        config = config.with_knobs(&serde_json::json!({ knob: n }).to_string()).unwrap_or_else(|_| usage());
    }
    let addr: SocketAddr = addr.parse().unwrap_or_else(|_| usage());
    (addr, config)
}

#[tokio::main]
async fn main() {
    let (addr, mut config) = parse_args();
    let listener = tokio::net::TcpListener::bind(addr).await.unwrap_or_else(|e| {
        eprintln!("backboard-sim: cannot listen on {addr}: {e}");
        std::process::exit(1)
    });
    // The address actually bound (port 0 means "any free port").
    let addr = listener.local_addr().unwrap_or(addr);
    config.origin = format!("http://{addr}");
    let sim = Arc::new(Mutex::new(Sim::new(config, OffsetDateTime::now_utc())));
    let app =
        axum::Router::new().fallback(move |method, uri, headers, body| handle(sim.clone(), method, uri, headers, body));
    eprintln!("backboard-sim listening on http://{addr}");
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    if let Err(e) = axum::serve(listener, app).with_graceful_shutdown(shutdown).await {
        eprintln!("backboard-sim: {e}");
    }
}

async fn handle(sim: Arc<Mutex<Sim>>, method: HttpMethod, uri: Uri, headers: HeaderMap, body: Bytes) -> AxumResponse {
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    if method == HttpMethod::OPTIONS {
        // Only the simulator's own routes answer preflight; provider routes, like the real
        // APIs, send no CORS headers at all.
        let mut r = AxumResponse::builder().status(if path.starts_with("/_demo/") { 204 } else { 405 });
        if path.starts_with("/_demo/") {
            r = r
                .header("Access-Control-Allow-Origin", "*")
                .header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
                .header("Access-Control-Allow-Headers", "Content-Type");
        }
        return r.body(Body::empty()).unwrap_or_default();
    }
    let Some(method) = Method::parse(method.as_str()) else {
        return AxumResponse::builder().status(405).body(Body::empty()).unwrap_or_default();
    };
    let mut request = Request::new(method, path);
    for (name, value) in &headers {
        if let Ok(v) = value.to_str() {
            request.headers.push((name.as_str().to_string(), v.to_string()));
        }
    }
    if !body.is_empty() {
        request.body = Some(String::from_utf8_lossy(&body).into_owned());
    }
    let (response, effects) =
        sim.lock().map(|mut s| s.handle(&request, OffsetDateTime::now_utc())).unwrap_or_else(|p| {
            let mut s = p.into_inner();
            s.handle(&request, OffsetDateTime::now_utc())
        });
    if effects.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(effects.delay_ms)).await;
    }
    let status = StatusCode::from_u16(response.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = if effects.reset {
        // An error from the body stream makes hyper drop the connection mid-response.
        let stream = futures_stream(vec![Err(std::io::Error::other("reset by simulator"))], 0);
        Body::from_stream(stream)
    } else if effects.slow_body_ms > 0 {
        let chunks: Vec<Result<Bytes, std::io::Error>> =
            response.body.chunks(64.max(response.body.len() / 8)).map(|c| Ok(Bytes::copy_from_slice(c))).collect();
        let n = chunks.len().max(1) as u64;
        Body::from_stream(futures_stream(chunks, effects.slow_body_ms / n))
    } else {
        Body::from(response.body)
    };
    let mut out = AxumResponse::builder().status(status);
    for (k, v) in &response.headers {
        if let (Ok(k), Ok(v)) = (HeaderName::try_from(k.as_str()), HeaderValue::try_from(v.as_str())) {
            out = out.header(k, v);
        }
    }
    out.body(body).unwrap_or_default()
}

fn futures_stream(
    items: Vec<Result<Bytes, std::io::Error>>,
    pause_ms: u64,
) -> impl futures::Stream<Item = Result<Bytes, std::io::Error>> {
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    tokio::spawn(async move {
        for item in items {
            if pause_ms > 0 {
                tokio::time::sleep(Duration::from_millis(pause_ms)).await;
            }
            if tx.send(item).await.is_err() {
                break;
            }
        }
    });
    futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|item| (item, rx)) })
}
