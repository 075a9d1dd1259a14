//! The in-page demo: the simulator as its own wasm module (crates/demo), imported only the first
//! time a demo connection sends a request, so the app stays small for everyone else.
//!
//! Demo connections are the simulator's ready-made ones with ids starting with [`ID_PREFIX`];
//! their requests go to `demo://sim/{provider}/...`, which [`send`] answers in the page.

use backboard_core::http::{Request, Response, TransportError};
use backboard_core::Connection;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// Ids of connections answered by the in-page simulator (`new_id` never makes these).
pub const ID_PREFIX: &str = "inpage-";
/// Where their requests go (the demo module's `ORIGIN`).
pub const BASE: &str = "demo://sim";
/// The demo module, relative to the page (xtask puts it there; works from any sub-path).
const MODULE: &str = "demo/backboard_demo.js";

// One shared load: concurrent first requests must not instantiate the module twice (the
// simulator's state lives in the instance). A failed load may be retried.
#[wasm_bindgen(inline_js = "let demo;
export function load_demo(url) {
  if (!demo) {
    demo = import(url).then(async (m) => { await m.default(); return m; });
    demo.catch(() => { demo = undefined; });
  }
  return demo;
}")]
extern "C" {
    fn load_demo(url: &str) -> js_sys::Promise;
}

pub fn is_demo(connection: &Connection) -> bool {
    connection.id.starts_with(ID_PREFIX)
}

async fn module() -> Result<JsValue, String> {
    let base = web_sys::window().and_then(|w| w.document()).and_then(|d| d.base_uri().ok().flatten());
    let url = match base {
        Some(base) => web_sys::Url::new_with_base(MODULE, &base).map(|u| u.href()).unwrap_or_else(|_| MODULE.into()),
        None => MODULE.into(),
    };
    JsFuture::from(load_demo(&url)).await.map_err(|_| "the demo module could not be loaded".to_string())
}

fn function(module: &JsValue, name: &str) -> Result<js_sys::Function, String> {
    js_sys::Reflect::get(module, &name.into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or_else(|| format!("the demo module has no `{name}`"))
}

/// The simulator's ready-made connections, marked as demo connections.
pub async fn connections() -> Result<Vec<Connection>, String> {
    let json = function(&module().await?, "connections")?
        .call0(&JsValue::NULL)
        .ok()
        .and_then(|v| v.as_string())
        .ok_or("the demo's connections failed")?;
    let list: Vec<Connection> = serde_json::from_str(&json).map_err(|e| format!("unexpected answer: {e}"))?;
    Ok(list
        .into_iter()
        .map(|mut c| {
            c.id = format!("{ID_PREFIX}{}", crate::store::new_id());
            c
        })
        .collect())
}

/// Answers a `demo://` request in the page, with the simulator's latency and faults. The wire
/// is arrays of strings (see crates/demo `handle`), so this side needs no serde code.
pub async fn send(request: Request) -> Result<Response, TransportError> {
    let module = module().await.map_err(TransportError::new)?;
    let handle = function(&module, "handle").map_err(TransportError::new)?;
    let headers: js_sys::Array =
        request.headers.iter().flat_map(|(k, v)| [k, v]).map(|s| JsValue::from_str(s)).collect();
    let args = js_sys::Array::of5(
        &request.method.as_str().into(),
        &request.url.as_str().into(),
        &headers,
        &request.body.as_deref().map(JsValue::from_str).unwrap_or(JsValue::NULL),
        &js_sys::Date::now().into(),
    );
    let answer: js_sys::Array = handle
        .apply(&JsValue::NULL, &args)
        .ok()
        .and_then(|a| a.dyn_into().ok())
        .ok_or_else(|| TransportError::new("the in-page simulator failed"))?;
    let mut parts = answer.iter().map(|v| v.as_string().unwrap_or_default());
    let mut next = || parts.next().unwrap_or_default();
    let status = next().parse::<u16>().map_err(|_| TransportError::new("the in-page simulator answered oddly"))?;
    let delay_ms = next().parse::<u32>().unwrap_or(0);
    let reset = next() == "1";
    let mut response = Response::new(status, next());
    while let (Some(k), Some(v)) = (parts.next(), parts.next()) {
        response.headers.push((k, v));
    }
    if delay_ms > 0 {
        gloo_timers::future::TimeoutFuture::new(delay_ms).await;
    }
    if reset {
        return Err(TransportError::new("the connection was reset"));
    }
    Ok(response)
}

/// A `demo://` link in a JSON answer at `path` (e.g. `["data", "downloadLink"]`), for the
/// in-page demo only: the core rightly refuses anything but http(s) links from a provider.
pub fn link_in(body: &[u8], path: &[&str]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let link = path.iter().try_fold(&value, |v, k| v.get(k))?.as_str()?;
    link.starts_with(&format!("{BASE}/")).then(|| link.to_string())
}
