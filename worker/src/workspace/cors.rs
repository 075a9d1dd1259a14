//! CORS for the workspace: the SPA calls it with credentials (Access's cookie), so an allowed
//! origin is granted them, and its preflight lets through the assertion and an API key.

use wasm_bindgen::JsValue;
use worker::Result;

use crate::cors;

const ALLOW_METHODS: &str = "GET, POST, PATCH, DELETE";
const ALLOW_HEADERS: &[&str] = &["authorization", "content-type", "accept", "cf-access-jwt-assertion"];

/// The CORS grant of an answer, with credentials for an allowed origin.
pub fn grant(response: &web_sys::Response, origin: &JsValue) -> Result<()> {
    cors::grant(&response.headers(), origin)?;
    if !origin.is_undefined() {
        response.headers().set("Access-Control-Allow-Credentials", "true")?;
    }
    Ok(())
}

/// Whether a preflight asks only for what the workspace answers.
fn asks_allowed(method: Option<&str>, headers: Option<&str>) -> bool {
    let method_ok = method.is_some_and(|m| ALLOW_METHODS.split(", ").any(|a| a == m));
    let headers_ok = headers
        .unwrap_or("")
        .split(',')
        .map(|h| h.trim().to_ascii_lowercase())
        .all(|h| h.is_empty() || ALLOW_HEADERS.contains(&h.as_str()));
    method_ok && headers_ok
}

/// A workspace preflight: granted, with credentials, to an allowed origin asking for what it answers.
pub fn preflight(headers: &web_sys::Headers, origin: &JsValue) -> Result<web_sys::Response> {
    let ok = !origin.is_undefined()
        && asks_allowed(
            headers.get("Access-Control-Request-Method")?.as_deref(),
            headers.get("Access-Control-Request-Headers")?.as_deref(),
        );
    let out = web_sys::Headers::new()?;
    out.set("Vary", "Origin")?;
    if ok {
        if let Some(o) = origin.as_string() {
            out.set("Access-Control-Allow-Origin", &o)?;
        }
        out.set("Access-Control-Allow-Credentials", "true")?;
        out.set("Access-Control-Allow-Methods", ALLOW_METHODS)?;
        out.set("Access-Control-Allow-Headers", "Authorization, Content-Type, Accept, Cf-Access-Jwt-Assertion")?;
        out.set("Access-Control-Max-Age", "600")?;
    }
    let init = web_sys::ResponseInit::new();
    init.set_status(if ok { 204 } else { 403 });
    init.set_headers(&out);
    Ok(web_sys::Response::new_with_opt_str_and_init(None, &init)?)
}
