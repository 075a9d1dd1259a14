//! The edge API, `/api/v1/...`: a table of routes (`routes.rs`), one small handler per route.
//! Every route checks its method first: a wrong one is a 405 with `Allow`, before the key.

mod auth;
mod backups;
mod backups_health;
mod compliance;
mod evidence;
mod health;
mod history;
mod routes;
mod source_settings;

use backboard_core::http::decode_component;
use backboard_core::proxy::Refusal;
use wasm_bindgen::JsValue;
use worker::{js_sys, Env, Request, Response, Result};

use crate::respond::{self, or_internal_error, with_cors};
use routes::{Decision, Route};

/// What a handler gets: the request, the environment, the raw query string and the route's
/// `{key}` segment, percent-decoded (empty when the route has none).
pub struct Call {
    pub req: Request,
    pub env: Env,
    pub query: String,
    pub key: String,
}

/// Whether the answer is CSV: `format=csv`, or an `Accept` that names `text/csv`.
pub fn wants_csv(req: &Request, pairs: &[(String, String)]) -> bool {
    if let Some((_, f)) = pairs.iter().find(|(k, _)| k == "format") {
        return f == "csv";
    }
    req.headers().get("Accept").ok().flatten().is_some_and(|a| a.to_ascii_lowercase().contains("text/csv"))
}

/// A CSV body.
pub fn csv(body: String) -> Result<Response> {
    let headers = worker::Headers::new();
    headers.set("Content-Type", "text/csv; charset=utf-8")?;
    Ok(Response::from_bytes(body.into_bytes())?.with_headers(headers))
}

/// Answers one edge API request (or a 404 for any path that is neither the API nor the proxy),
/// with the CORS grant for `origin`.
pub fn serve(
    req: web_sys::Request,
    env: Env,
    method: &str,
    path: &str,
    query: Option<&str>,
    origin: JsValue,
) -> js_sys::Promise {
    let decision = routes::decide(method, path);
    let query = query.unwrap_or("").to_string();
    worker::wasm_bindgen_futures::future_to_promise(async move {
        let response = match decision {
            Decision::Serve(route, key) => {
                let key = decode_component(&key);
                (route.handler)(Call { req: Request::from(req), env, query, key }).await
            }
            Decision::WrongMethod(route) => wrong_method(route),
            Decision::NotFound => {
                respond::refusal(&Refusal { status: 404, code: "not_found", message: "No such route".into() })
            }
        };
        Ok(or_internal_error(with_cors(response, &origin)))
    })
}

fn wrong_method(route: &Route) -> Result<Response> {
    let mut r = respond::error(405, &format!("method not allowed; use {}", route.methods.join(" or ")))?;
    r.headers_mut().set("Allow", &route.allow())?;
    Ok(r)
}
