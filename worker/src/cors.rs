//! The CORS side of every answer: which origin is granted, the grant itself, and the preflight.

use backboard_core::proxy;
use wasm_bindgen::{JsCast, JsValue};
use worker::Result;

use crate::js::{js_error, RawHeaders, NAMES};
use crate::settings::Settings;

/// The request's `Origin` if it is allowed, as the JS string it came as (it is echoed back),
/// else undefined.
pub fn granted_origin(headers: &web_sys::Headers, settings: &Settings) -> JsValue {
    let origin = NAMES.with(|n| headers.unchecked_ref::<RawHeaders>().get_js(&n.origin));
    let granted = origin
        .as_string()
        .is_some_and(|o| !o.is_empty() && proxy::granted_origin(Some(&o), &settings.allowed_origins).is_some());
    if granted {
        origin
    } else {
        JsValue::UNDEFINED
    }
}

/// Adds the CORS grant for an allowed origin (a JS string, or undefined), and `Vary: Origin` always.
pub fn grant(headers: &web_sys::Headers, origin: &JsValue) -> Result<()> {
    let headers = headers.unchecked_ref::<RawHeaders>();
    NAMES
        .with(|n| {
            headers.append_js(&n.vary, &n.origin)?;
            if !origin.is_undefined() {
                headers.set_js(&n.allow_origin, origin)?;
                headers.set_js(&n.expose, &n.expose_value)?;
            }
            Ok(())
        })
        .map_err(js_error)
}

/// A CORS preflight: granted only to an allowed origin asking for what the proxy allows.
pub fn preflight(headers: &web_sys::Headers, origin: &JsValue) -> Result<web_sys::Response> {
    let out = web_sys::Headers::new()?;
    let raw = out.unchecked_ref::<RawHeaders>();
    NAMES.with(|n| raw.set_js(&n.vary, &n.origin)).map_err(js_error)?;
    let ok = !origin.is_undefined()
        && proxy::preflight_ok(
            headers.get("Access-Control-Request-Method")?.as_deref(),
            headers.get("Access-Control-Request-Headers")?.as_deref(),
        );
    if ok {
        NAMES.with(|n| raw.set_js(&n.allow_origin, origin)).map_err(js_error)?;
        out.set("Access-Control-Allow-Methods", proxy::ALLOW_METHODS)?;
        out.set("Access-Control-Allow-Headers", proxy::ALLOW_REQUEST_HEADERS)?;
        out.set("Access-Control-Max-Age", "600")?;
    }
    let init = web_sys::ResponseInit::new();
    init.set_status(if ok { 204 } else { 403 });
    init.set_headers(&out);
    Ok(web_sys::Response::new_with_opt_str_and_init(None, &init)?)
}
