//! The one way the SPA offers a download: a provider's link (opened in a new tab; its answer says
//! "attachment", so the page stays), or a file held in the page (a Blob URL with its name). A
//! Blob URL is freed when its [`Download`] is dropped.

use backboard_core::http::{Method, Request, Transport};
use backboard_core::{Error, Provider};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::transport::FetchTransport;

/// Something to download: where it is and, for a file held in the page, its name.
#[derive(Debug, PartialEq)]
pub struct Download {
    href: String,
    file_name: Option<String>,
}

impl Download {
    /// A provider's link.
    pub fn link(url: impl Into<String>) -> Self {
        Self { href: url.into(), file_name: None }
    }

    /// A file made in the page (an export of the list).
    pub fn file(name: &str, mime: &str, bytes: &[u8]) -> Result<Self, String> {
        let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type(mime);
        let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
            .map_err(|_| "the browser could not hold the file".to_string())?;
        let href = web_sys::Url::create_object_url_with_blob(&blob)
            .map_err(|_| "the browser could not offer the file".to_string())?;
        Ok(Self { href, file_name: Some(name.to_string()) })
    }

    /// A file the in-page demo serves at `demo://…`, an address no browser opens: fetched
    /// through the demo, named as its `Content-Disposition` says.
    pub async fn from_demo(provider: Provider, url: &str) -> Result<Self, String> {
        let response = FetchTransport.send(Request::new(Method::Get, url)).await.map_err(|e| e.to_string())?;
        if !response.is_success() {
            return Err(Error::from_response(provider, &response).to_string());
        }
        let name = response
            .header("content-disposition")
            .and_then(|d| d.split("filename=").nth(1))
            .map(|n| n.trim().trim_matches('"').to_string())
            .filter(|n| !n.is_empty() && !n.contains(['/', '\\']))
            .unwrap_or_else(|| "backup".into());
        let mime = response.header("content-type").unwrap_or("application/octet-stream").to_string();
        Self::file(&name, &mime, &response.body)
    }

    pub fn href(&self) -> &str {
        &self.href
    }

    pub fn file_name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    /// Hands the download to the browser now. A file's Blob URL is freed a minute later, when the
    /// browser has long had it.
    pub fn open(self) -> Result<(), String> {
        let fail = |what: &str| format!("the download could not be started ({what})");
        let anchor: web_sys::HtmlAnchorElement =
            document().create_element("a").ok().and_then(|a| a.dyn_into().ok()).ok_or_else(|| fail("link"))?;
        anchor.set_href(&self.href);
        anchor.set_rel("noopener noreferrer");
        match &self.file_name {
            Some(name) => anchor.set_download(name),
            None => anchor.set_target("_blank"),
        }
        anchor.set_hidden(true);
        let body = document().body().ok_or_else(|| fail("no page"))?;
        let _ = body.append_child(&anchor);
        anchor.click();
        anchor.remove();
        gloo_timers::callback::Timeout::new(60_000, move || drop(self)).forget();
        Ok(())
    }
}

impl Drop for Download {
    fn drop(&mut self) {
        if self.href.starts_with("blob:") {
            let _ = web_sys::Url::revoke_object_url(&self.href);
        }
    }
}
