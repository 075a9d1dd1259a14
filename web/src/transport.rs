//! The core's transport over the browser's fetch API (and the in-page demo's simulator).

use backboard_core::http::{Method, Request, Response, Transport, TransportError};
use backboard_core::workspace::client;
use backboard_core::workspace::inject::CALLER_CREDENTIALS;
use backboard_core::Connection;
use gloo_net::http::RequestBuilder;

pub struct FetchTransport;

impl Transport for FetchTransport {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        if request.url.starts_with(crate::demo::BASE) {
            return crate::demo::send(request).await;
        }
        let method = match request.method {
            Method::Get => gloo_net::http::Method::GET,
            Method::Post => gloo_net::http::Method::POST,
            Method::Put => gloo_net::http::Method::PUT,
            Method::Patch => gloo_net::http::Method::PATCH,
            Method::Delete => gloo_net::http::Method::DELETE,
        };
        let mut builder = RequestBuilder::new(&request.url).method(method);
        // A workspace call carries the browser's Access credentials, and no provider credential
        // header: the worker adds the token.
        let workspace = crate::store::workspace_url().is_some_and(|o| request.url.starts_with(&client::api(&o)));
        if workspace {
            builder = builder.credentials(web_sys::RequestCredentials::Include);
        }
        for (k, v) in &request.headers {
            if workspace && CALLER_CREDENTIALS.contains(&k.to_ascii_lowercase().as_str()) {
                continue;
            }
            builder = builder.header(k, v);
        }
        // Errors from fetch name no URL or header, so no token can leak through them.
        let err = |e: gloo_net::Error| TransportError::new(format!("network error ({e})"));
        let sent = match request.body {
            Some(body) => builder.body(body).map_err(err)?.send().await,
            None => builder.send().await,
        };
        let response =
            sent.map_err(|_| TransportError::new("the proxy could not be reached (network error or CORS refused)"))?;
        let mut out = Response::new(response.status(), response.binary().await.map_err(err)?);
        out.headers = response.headers().entries().collect();
        Ok(out)
    }

    async fn sleep(&self, millis: u64) {
        gloo_timers::future::TimeoutFuture::new(millis.min(u32::MAX as u64) as u32).await
    }
}

/// Where a connection's requests go: the worker's proxy (the workspace's by connection id in
/// workspace mode), or the in-page demo.
pub fn base_for(connection: &Connection) -> String {
    if crate::demo::is_demo(connection) {
        return format!("{}/{}", crate::demo::BASE, connection.provider().slug());
    }
    if let Some(origin) = crate::store::workspace_url() {
        return client::proxy_base(&origin, &connection.id);
    }
    format!("{}/proxy/{}", crate::store::proxy_url().trim_end_matches('/'), connection.provider().slug())
}
