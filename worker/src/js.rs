//! The runtime's JS that the hot paths call directly: `fetch`, `Headers` with JS-string names,
//! two inline helpers, and the header names as JS strings made once per isolate.

use backboard_core::proxy;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
use worker::js_sys;

/// The header names and values the proxy sets on every answer, as JS strings made once per
/// isolate: a Rust `&str` handed to JS is decoded anew on every call.
pub struct Names {
    pub forward: js_sys::Array,
    pub pass: js_sys::Array,
    pub origin: js_sys::JsString,
    pub vary: js_sys::JsString,
    pub allow_origin: js_sys::JsString,
    pub expose: js_sys::JsString,
    pub expose_value: js_sys::JsString,
    pub location: js_sys::JsString,
}

thread_local! {
    pub static NAMES: Names = {
        let array = |names: &[&str]| names.iter().map(|n| JsValue::from(*n)).collect::<js_sys::Array>();
        Names {
            forward: array(proxy::FORWARD_REQUEST_HEADERS),
            pass: array(proxy::PASS_RESPONSE_HEADERS),
            origin: "Origin".into(),
            vary: "Vary".into(),
            allow_origin: "Access-Control-Allow-Origin".into(),
            expose: "Access-Control-Expose-Headers".into(),
            expose_value: proxy::EXPOSE_HEADERS.into(),
            location: "location".into(),
        }
    };
}

#[wasm_bindgen(inline_js = "
export function copy_headers(from, to, names) {
  for (const name of names) { const value = from.get(name); if (value !== null) to.set(name, value); }
}
export function relay(answer, answered, failed, origin, signal, provider) {
  return answer.then(a => answered(a, origin, signal, provider), e => failed(e, origin, signal, provider));
}")]
extern "C" {
    /// Copies the named headers that are present from one set to the other, in one call (the
    /// proxy checks 14 names per request).
    pub fn copy_headers(from: &web_sys::Headers, to: &web_sys::Headers, names: &js_sys::Array);
    /// `answer.then(...)` with this request's context bound to the shared continuations: no
    /// Rust future, no closure made per request.
    pub fn relay(
        answer: &js_sys::Promise,
        answered: &JsValue,
        failed: &JsValue,
        origin: &JsValue,
        signal: &JsValue,
        provider: u32,
    ) -> js_sys::Promise;
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    pub fn global_fetch(url: &str, init: &web_sys::RequestInit) -> js_sys::Promise;

    /// `Headers`, with get/set/append taking the name and the value as JS strings.
    #[wasm_bindgen(js_name = Headers)]
    pub type RawHeaders;
    #[wasm_bindgen(method, js_name = get)]
    pub fn get_js(this: &RawHeaders, name: &js_sys::JsString) -> JsValue;
    #[wasm_bindgen(method, catch, js_name = set)]
    pub fn set_js(this: &RawHeaders, name: &js_sys::JsString, value: &JsValue) -> Result<(), JsValue>;
    #[wasm_bindgen(method, catch, js_name = append)]
    pub fn append_js(this: &RawHeaders, name: &js_sys::JsString, value: &JsValue) -> Result<(), JsValue>;
}

pub fn js_error(e: JsValue) -> worker::Error {
    worker::Error::from(e)
}
