//! Outgoing requests of the edge API and the cron: the core's `Transport` over the worker's
//! fetch, with the upstream time limit.

use std::time::Duration;

use backboard_core::http::{Request as CoreRequest, Response as CoreResponse, TransportError};
use wasm_bindgen::JsValue;
use worker::{AbortSignal, Delay, Fetch, Headers, Method, Request, RequestInit, RequestRedirect, Response, Result};

/// Fetches upstream; `Ok(None)` when no answer came within the upstream time limit.
pub async fn fetch_with_timeout(req: Request, limit_ms: u32) -> Result<Option<Response>> {
    let signal = AbortSignal::from(web_sys::AbortSignal::timeout_with_u32(limit_ms));
    match Fetch::Request(req).send_with_signal(&signal).await {
        Ok(response) => Ok(Some(response)),
        Err(_) if signal.aborted() => Ok(None),
        Err(e) => Err(e),
    }
}

pub fn js_bytes(body: &[u8]) -> JsValue {
    worker::js_sys::Uint8Array::from(body).into()
}

/// The core's transport over the worker's fetch.
pub struct WorkerTransport {
    pub timeout_ms: u32,
}

impl backboard_core::Transport for WorkerTransport {
    async fn send(&self, request: CoreRequest) -> std::result::Result<CoreResponse, TransportError> {
        let err = |e: worker::Error| TransportError::new(e.to_string());
        let headers = Headers::new();
        for (k, v) in &request.headers {
            headers.set(k, v).map_err(err)?;
        }
        let mut init = RequestInit::new();
        let method = Method::from(request.method.as_str().to_string());
        init.with_method(method).with_headers(headers).with_redirect(RequestRedirect::Manual);
        if let Some(body) = &request.body {
            init.with_body(Some(js_bytes(body.as_bytes())));
        }
        let req = Request::new_with_init(&request.url, &init).map_err(err)?;
        let Some(mut resp) = fetch_with_timeout(req, self.timeout_ms).await.map_err(err)? else {
            return Err(TransportError::new("timed out"));
        };
        let mut out = CoreResponse::new(resp.status_code(), resp.bytes().await.map_err(err)?);
        for (k, v) in resp.headers().entries() {
            out.headers.push((k, v));
        }
        Ok(out)
    }

    async fn sleep(&self, millis: u64) {
        Delay::from(Duration::from_millis(millis)).await
    }
}
