//! The simulator as a separate wasm module for the page. The SPA imports it only when someone
//! presses "Try the demo" on a page without a simulator server, so the normal app does not carry
//! it. The interface is strings in, strings out (JSON), to keep both sides' glue small.

use std::cell::RefCell;

use backboard_core::http::{Method, Request, Response};
use backboard_sim::{Config, Sim};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use wasm_bindgen::prelude::*;

thread_local! {
    static SIM: RefCell<Option<Sim>> = const { RefCell::new(None) };
}

/// Origin of the in-page simulator's URLs (`demo://sim/...`); the SPA routes them here.
pub const ORIGIN: &str = "demo://sim";

#[derive(Deserialize)]
struct WireRequest {
    method: String,
    url: String,
    #[serde(default)]
    headers: Vec<(String, String)>,
    #[serde(default)]
    body: Option<String>,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
pub struct WireResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// How long the page should wait before delivering the answer (latency knob, faults).
    pub delay_ms: u64,
    /// The connection "dropped": deliver a network error instead.
    pub reset: bool,
}

fn at(now_ms: f64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(now_ms as i128 * 1_000_000).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

fn with_sim<T>(now: OffsetDateTime, f: impl FnOnce(&mut Sim) -> T) -> T {
    SIM.with(|cell| {
        let mut slot = cell.borrow_mut();
        let sim = slot.get_or_insert_with(|| Sim::new(Config { origin: ORIGIN.into(), ..Config::default() }, now));
        f(sim)
    })
}

/// Answers one request (JSON of method, url, headers, body) at `now_ms` (Unix milliseconds).
#[wasm_bindgen]
pub fn handle(request_json: &str, now_ms: f64) -> String {
    let response = match serde_json::from_str::<WireRequest>(request_json) {
        Ok(wire) => answer(wire, at(now_ms)),
        Err(e) => WireResponse {
            status: 400,
            headers: Vec::new(),
            body: format!("bad request to the in-page simulator: {e}"),
            delay_ms: 0,
            reset: false,
        },
    };
    serde_json::to_string(&response).unwrap_or_default()
}

fn answer(wire: WireRequest, now: OffsetDateTime) -> WireResponse {
    let Some(method) = Method::parse(&wire.method) else {
        return wire_response(Response::new(405, "method not allowed"), 0, false);
    };
    let request = Request { method, url: wire.url, headers: wire.headers, body: wire.body };
    let (response, effects) = with_sim(now, |sim| sim.handle(&request, now));
    wire_response(response, effects.delay_ms, effects.reset)
}

fn wire_response(r: Response, delay_ms: u64, reset: bool) -> WireResponse {
    WireResponse {
        status: r.status,
        headers: r.headers,
        body: String::from_utf8_lossy(&r.body).into_owned(),
        delay_ms,
        reset,
    }
}

/// The ready-made demo connections, as JSON.
#[wasm_bindgen]
pub fn connections() -> String {
    backboard_sim::demo_connections().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: f64 = 1_795_000_000_000.0;

    fn call(method: &str, url: &str, headers: &[(&str, &str)]) -> WireResponse {
        let request = serde_json::json!({"method": method, "url": url, "headers": headers});
        serde_json::from_str(&handle(&request.to_string(), NOW)).unwrap()
    }

    #[test]
    fn answers_like_the_simulator_server() {
        let org = backboard_sim::data::SA.organization;
        let r = call(
            "GET",
            &format!("{ORIGIN}/serveravatar/organizations/{org}/backups"),
            &[("Authorization", backboard_sim::DEMO_SA_TOKEN)],
        );
        assert_eq!(r.status, 200, "{}", r.body);
        let page: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(page["total"], 37);
        // Laravel's page links point back at the in-page origin, which the SPA routes here.
        assert!(page["first_page_url"].as_str().unwrap().starts_with(ORIGIN), "{}", page["first_page_url"]);
        let denied = call("GET", &format!("{ORIGIN}/serveravatar/organizations/{org}/backups"), &[]);
        assert_eq!(denied.status, 401);
    }

    #[test]
    fn bad_input_is_an_answer_not_a_panic() {
        let r: WireResponse = serde_json::from_str(&handle("not json", NOW)).unwrap();
        assert_eq!(r.status, 400);
        assert_eq!(call("BREW", &format!("{ORIGIN}/x"), &[]).status, 405);
        let list: serde_json::Value = serde_json::from_str(&connections()).unwrap();
        assert_eq!(list.as_array().map(Vec::len), Some(4));
    }
}
