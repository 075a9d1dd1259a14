//! The in-page demo: the simulator as its own wasm module (crates/demo), imported only the first
//! time a demo connection sends a request, so the app stays small for everyone else.
//!
//! Demo connections are the simulator's ready-made ones with ids starting with [`ID_PREFIX`];
//! their requests go to `demo://sim/{provider}/...`, which [`send`] answers in the page.

use backboard_core::http::{Request, Response, TransportError};
use backboard_core::Connection;
use serde::Deserialize;
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

fn call(module: &JsValue, name: &str, args: &[JsValue]) -> Result<String, String> {
    let f: js_sys::Function = js_sys::Reflect::get(module, &name.into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or_else(|| format!("the demo module has no `{name}`"))?;
    let out = match args {
        [] => f.call0(&JsValue::NULL),
        [a, b] => f.call2(&JsValue::NULL, a, b),
        _ => return Err("unsupported call".into()),
    };
    out.ok().and_then(|v| v.as_string()).ok_or_else(|| format!("the demo's `{name}` failed"))
}

/// The simulator's ready-made connections, marked as demo connections.
pub async fn connections() -> Result<Vec<Connection>, String> {
    let json = call(&module().await?, "connections", &[])?;
    let list: Vec<Connection> = serde_json::from_str(&json).map_err(|e| format!("unexpected answer: {e}"))?;
    Ok(list
        .into_iter()
        .map(|mut c| {
            c.id = format!("{ID_PREFIX}{}", crate::new_id());
            c
        })
        .collect())
}

#[derive(Deserialize)]
struct WireResponse {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
    delay_ms: u64,
    reset: bool,
}

/// Answers a `demo://` request in the page, with the simulator's latency and faults.
pub async fn send(request: Request) -> Result<Response, TransportError> {
    let module = module().await.map_err(TransportError::new)?;
    let wire = serde_json::json!({
        "method": request.method.as_str(), "url": request.url, "headers": request.headers, "body": request.body,
    });
    let answer =
        call(&module, "handle", &[wire.to_string().into(), js_sys::Date::now().into()]).map_err(TransportError::new)?;
    let answer: WireResponse =
        serde_json::from_str(&answer).map_err(|e| TransportError::new(format!("the demo answered oddly: {e}")))?;
    if answer.delay_ms > 0 {
        gloo_timers::future::TimeoutFuture::new(answer.delay_ms.min(u32::MAX as u64) as u32).await;
    }
    if answer.reset {
        return Err(TransportError::new("the connection was reset"));
    }
    let mut response = Response::new(answer.status, answer.body);
    response.headers = answer.headers;
    Ok(response)
}
