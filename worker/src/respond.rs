//! The worker's own answers: JSON bodies, the proxy's refusals, the CORS grant on them, and the
//! bare 500 when a handler fails.

use backboard_core::proxy::Refusal;
use wasm_bindgen::JsValue;
use worker::{console_error, Headers, Response, Result};

use crate::cors;

pub fn json(status: u16, body: &str) -> Result<Response> {
    let headers = Headers::new();
    headers.set("Content-Type", "application/json")?;
    Ok(Response::from_bytes(body.as_bytes().to_vec())?.with_status(status).with_headers(headers))
}

/// The edge API's error shape: `{"error": message}`.
pub fn error(status: u16, message: &str) -> Result<Response> {
    json(status, &serde_json::json!({ "error": message }).to_string())
}

pub fn refusal(r: &Refusal) -> Result<Response> {
    json(r.status, &r.to_json())
}

/// A `worker::Response` of the edge API (or a refusal) as the runtime's, with the CORS grant.
pub fn with_cors(response: Result<Response>, origin: &JsValue) -> Result<web_sys::Response> {
    let response = web_sys::Response::from(response?);
    cors::grant(&response.headers(), origin)?;
    Ok(response)
}

/// A failed handler's answer, as `#[event(fetch)]`'s glue gave it: the error logged, a bare 500.
pub fn or_internal_error(response: Result<web_sys::Response>) -> JsValue {
    response
        .or_else(|e| {
            console_error!("{e}");
            Response::error("INTERNAL SERVER ERROR", 500).map(web_sys::Response::from)
        })
        .map_or(JsValue::UNDEFINED, JsValue::from)
}
