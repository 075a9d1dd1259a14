//! The simulator as a separate wasm module for the page. The SPA imports it only when someone
//! presses "Try the demo" on a page without a simulator server, so the normal app does not carry
//! it. The interface is strings in, strings out (JSON), to keep both sides' glue small.

use std::cell::RefCell;

use backboard_core::http::{Method, Request, Response};
use backboard_sim::{Config, Sim};
use time::OffsetDateTime;
use wasm_bindgen::prelude::*;

thread_local! {
    static SIM: RefCell<Option<Sim>> = const { RefCell::new(None) };
}

/// Origin of the in-page simulator's URLs (`demo://sim/...`); the SPA routes them here.
pub const ORIGIN: &str = "demo://sim";

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

/// Answers one request at `now_ms` (Unix milliseconds). `headers` alternates names and values.
/// The answer is `[status, delay_ms, reset ("1" or "0"), body, name, value, name, value, …]`:
/// plain strings keep the app's side of the call free of any (de)serialization code.
#[wasm_bindgen]
pub fn handle(method: String, url: String, headers: Vec<String>, body: Option<String>, now_ms: f64) -> Vec<String> {
    let now = at(now_ms);
    let Some(method) = Method::parse(&method) else {
        return answer(Response::new(405, "method not allowed"), 0, false);
    };
    let headers = headers.chunks_exact(2).map(|kv| (kv[0].clone(), kv[1].clone())).collect();
    let request = Request { method, url, headers, body };
    let (response, effects) = with_sim(now, |sim| sim.handle(&request, now));
    answer(response, effects.delay_ms, effects.reset)
}

fn answer(r: Response, delay_ms: u64, reset: bool) -> Vec<String> {
    let mut out = vec![
        r.status.to_string(),
        delay_ms.to_string(),
        if reset { "1" } else { "0" }.to_string(),
        String::from_utf8_lossy(&r.body).into_owned(),
    ];
    for (k, v) in r.headers {
        out.push(k);
        out.push(v);
    }
    out
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

    fn call(method: &str, url: &str, headers: &[&str]) -> Vec<String> {
        handle(method.into(), url.into(), headers.iter().map(|s| s.to_string()).collect(), None, NOW)
    }

    #[test]
    fn answers_like_the_simulator_server() {
        let org = backboard_sim::providers::serveravatar::data::SA.organization;
        let url = format!("{ORIGIN}/serveravatar/organizations/{org}/backups");
        let r = call("GET", &url, &["Authorization", backboard_sim::DEMO_SA_TOKEN]);
        assert_eq!(r[0], "200", "{}", r[3]);
        assert_eq!((r[1].as_str(), r[2].as_str()), ("0", "0"));
        assert!(r[4..].chunks(2).any(|kv| kv[0] == "Content-Type" && kv[1] == "application/json"), "{r:?}");
        let page: serde_json::Value = serde_json::from_str(&r[3]).unwrap();
        assert_eq!(page["total"], 37);
        // Laravel's page links point back at the in-page origin, which the SPA routes here.
        assert!(page["first_page_url"].as_str().unwrap().starts_with(ORIGIN), "{}", page["first_page_url"]);
        assert_eq!(call("GET", &url, &[])[0], "401");
        // A dangling header name is ignored, not a panic.
        assert_eq!(call("GET", &url, &["Authorization", backboard_sim::DEMO_SA_TOKEN, "X-Odd"])[0], "200");
    }

    #[test]
    fn state_lives_across_calls_and_odd_input_is_an_answer() {
        assert_eq!(call("BREW", &format!("{ORIGIN}/x"), &[])[0], "405");
        let org = backboard_sim::providers::serveravatar::data::SA.organization;
        let server = backboard_sim::providers::serveravatar::data::SA.servers[0];
        let body = serde_json::json!({"automatic_backup": 0, "type": "database", "application_id": 4246, "database_id": 4223,
            "database_extension": ".sql", "provider": "wasabi", "cloud_storage_provider_id": 10});
        let created = handle(
            "POST".into(),
            format!("{ORIGIN}/serveravatar/organizations/{org}/servers/{server}/backups"),
            vec!["Authorization".into(), backboard_sim::DEMO_SA_TOKEN.into()],
            Some(body.to_string()),
            NOW,
        );
        assert_eq!(created[0], "200", "{}", created[3]);
        let list = call(
            "GET",
            &format!("{ORIGIN}/serveravatar/organizations/{org}/backups"),
            &["Authorization", backboard_sim::DEMO_SA_TOKEN],
        );
        let page: serde_json::Value = serde_json::from_str(&list[3]).unwrap();
        assert_eq!(page["total"], 38, "the created backup is listed by the same instance");
        let list: serde_json::Value = serde_json::from_str(&connections()).unwrap();
        assert_eq!(list.as_array().map(Vec::len), Some(4));
    }
}
