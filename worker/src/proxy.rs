//! The CORS proxy's hot path, `/proxy/<provider>/...`: one allowed call forwarded upstream and
//! its answer relayed, with the upstream fetch's own promise and continuations made once per
//! isolate. It is benchmarked (`cargo xtask bench proxy`); keep it free of per-request futures
//! and closures.

use std::rc::Rc;

use backboard_core::http::Method;
use backboard_core::proxy::{self as policy, Refusal};
use backboard_core::Provider;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};
use worker::js_sys;
use worker::js_sys::futures::JsFuture;
use worker::Result;

use crate::cors;
use crate::js::{copy_headers, global_fetch, js_error, relay, RawHeaders, NAMES};
use crate::respond::{or_internal_error, refusal, with_cors};
use crate::settings::Settings;

/// The upstream answer's continuations, made once per isolate; each request binds its own
/// context to them in `relay`.
struct Continuations {
    answered: Closure<dyn FnMut(JsValue, JsValue, JsValue, u32) -> JsValue>,
    failed: Closure<dyn FnMut(JsValue, JsValue, JsValue, u32) -> JsValue>,
}

thread_local! {
    static CONTINUATIONS: Continuations = Continuations {
        answered: Closure::new(|answer: JsValue, origin: JsValue, _signal: JsValue, provider: u32| {
            or_internal_error(answered(answer, &origin, Provider::ALL[provider as usize]))
        }),
        failed: Closure::new(|_error: JsValue, origin: JsValue, signal: JsValue, provider: u32| {
            let provider = Provider::ALL[provider as usize];
            let refused = Refusal::upstream_failed(provider, signal.unchecked_ref::<web_sys::AbortSignal>().aborted());
            or_internal_error(with_cors(refusal(&refused), &origin))
        }),
    };
}

/// Forwards one allowed call upstream and relays the answer; `Ok(Err(refusal))` when the proxy
/// itself says no (origin, route, method). A call with a body waits for it (and measures it) first.
pub fn forward(
    req: web_sys::Request,
    headers: &web_sys::Headers,
    settings: &Rc<Settings>,
    method_name: &str,
    path: &str,
    query: Option<&str>,
    origin: JsValue,
) -> Result<std::result::Result<js_sys::Promise, Refusal>> {
    // `origin` is the granted Origin or undefined: a script, a server or a foreign page gets 403.
    let admitted = match policy::admit(origin.as_string().as_deref(), &settings.allowed_origins) {
        Ok(a) => a,
        Err(r) => return Ok(Err(r)),
    };
    let Some(method) = Method::parse(method_name) else {
        return Ok(Err(Refusal { status: 405, code: "method_not_allowed", message: "Method not allowed".into() }));
    };
    let (provider, upstream) =
        match policy::upstream_url(admitted, method, path, query, |p| settings.base(p).to_string()) {
            Ok(v) => v,
            Err(r) => return Ok(Err(r)),
        };
    let forward = web_sys::Headers::new()?;
    NAMES.with(|n| copy_headers(headers, &forward, &n.forward));
    let init = web_sys::RequestInit::new();
    init.set_method(method_name);
    init.set_headers(&forward);
    init.set_redirect(web_sys::RequestRedirect::Manual);
    if method == Method::Get {
        return Ok(Ok(send(&upstream, &init, provider, &origin, settings.timeout_ms)));
    }
    let timeout = settings.timeout_ms;
    Ok(Ok(worker::wasm_bindgen_futures::future_to_promise(async move {
        // The body stays a JS buffer: measured, then handed on as it is.
        let body = match req.array_buffer() {
            Ok(promise) => JsFuture::from(promise).await.unwrap_or_else(|_| js_sys::ArrayBuffer::new(0).into()),
            Err(_) => js_sys::ArrayBuffer::new(0).into(),
        };
        let len = body.dyn_ref::<js_sys::ArrayBuffer>().map_or(0, |b| b.byte_length() as usize);
        if len > policy::MAX_BODY_BYTES {
            let refused =
                Refusal { status: 413, code: "body_too_large", message: "The request body is too large".into() };
            return Ok(or_internal_error(with_cors(refusal(&refused), &origin)));
        }
        init.set_body(&body);
        JsFuture::from(send(&upstream, &init, provider, &origin, timeout)).await
    })))
}

/// Sends the upstream request; the answer (or the 502/504 refusal) arrives through the shared
/// continuations.
fn send(
    upstream: &str,
    init: &web_sys::RequestInit,
    provider: Provider,
    origin: &JsValue,
    timeout_ms: u32,
) -> js_sys::Promise {
    // The limit is the runtime's own AbortSignal.timeout: no timer racing every request. It
    // covers the whole exchange, so a body that trickles past the limit is cut off too.
    let signal = web_sys::AbortSignal::timeout_with_u32(timeout_ms);
    init.set_signal(Some(&signal));
    CONTINUATIONS.with(|c| {
        relay(&global_fetch(upstream, init), c.answered.as_ref(), c.failed.as_ref(), origin, &signal, provider as u32)
    })
}

/// The upstream answer as the browser gets it: the passed headers, the CORS grant, the body
/// streamed through untouched.
fn answered(answer: JsValue, origin: &JsValue, provider: Provider) -> Result<web_sys::Response> {
    let answer = answer.dyn_into::<web_sys::Response>().map_err(js_error)?;
    let out = web_sys::Headers::new()?;
    NAMES.with(|n| {
        copy_headers(&answer.headers(), &out, &n.pass);
        // A redirect is passed back, never followed, and only if it stays under the base.
        let raw = out.unchecked_ref::<RawHeaders>();
        match raw.get_js(&n.location).as_string() {
            Some(location)
                if !Settings::if_read(|s| policy::redirect_stays_under(&location, s.base(provider)))
                    .unwrap_or(false) =>
            {
                out.delete("location")
            }
            _ => Ok(()),
        }
    })?;
    cors::grant(&out, origin)?;
    let init = web_sys::ResponseInit::new();
    init.set_status(answer.status());
    init.set_headers(&out);
    Ok(web_sys::Response::new_with_opt_readable_stream_and_init(answer.body().as_ref(), &init)?)
}
