//! Backboard's worker: the CORS proxy to the provider APIs (`/proxy/...`), the edge API
//! (`/api/v1/...`) and the monitoring cron. Every decision (which upstream, which headers, which
//! origin, which verdict) is made by the core; these modules only do I/O.

mod api;
mod cors;
mod cron;
mod d1;
mod digest;
mod history;
mod js;
mod proxy;
mod respond;
mod settings;
mod sources;
mod transport;
mod verdicts;
mod workspace;
mod zone;

use backboard_core::http::split_path_query;
use wasm_bindgen::prelude::wasm_bindgen;
use worker::{js_sys, Env};

use respond::{or_internal_error, refusal, with_cors};
use settings::Settings;

/// The worker's fetch entry. It is written out instead of `#[event(fetch)]` because the proxy
/// is the hot path: it answers with the upstream fetch's own promise and shared continuations,
/// where the macro's async export runs a Rust future and its microtask queue per request. It
/// works on the runtime's own Request and Response too: `worker::Request`'s conversion reads
/// `request.cf` and re-parses the URL on every call. The edge API converts once.
#[wasm_bindgen(js_name = fetch)]
pub fn fetch(req: web_sys::Request, env: Env, _ctx: worker::worker_sys::Context) -> js_sys::Promise {
    let settings = Settings::of(&env);
    let headers = req.headers();
    let origin = cors::granted_origin(&headers, &settings);
    let url = req.url();
    let (path, query) = split_path_query(&url);
    let method = req.method();

    let immediate = if method == "OPTIONS" && path.starts_with(workspace::PREFIX) {
        workspace::cors::preflight(&headers, &origin)
    } else if method == "OPTIONS" {
        cors::preflight(&headers, &origin)
    } else if path.starts_with("/proxy/") {
        match proxy::forward(req, &headers, &settings, &method, path, query, origin.clone()) {
            Ok(Ok(relayed)) => return relayed,
            Ok(Err(refused)) => with_cors(refusal(&refused), &origin),
            Err(e) => Err(e),
        }
    } else if path.starts_with(workspace::PREFIX) {
        return workspace::serve(req, env, &method, path, query, origin);
    } else {
        return api::serve(req, env, &method, path, query, origin);
    };
    js_sys::Promise::resolve(&or_internal_error(immediate))
}
