//! Configures a built `dist/index.html` for where it runs: the proxy and simulator URLs in its
//! meta tags, and a Content-Security-Policy that lets the page talk to exactly those origins
//! and run exactly trunk's loader script (by hash), nothing else.

use std::path::Path;

use backboard_core::proxy::origin_of as origin;
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::Result;

const CSP_MARKER: &str = "<meta http-equiv=\"Content-Security-Policy\" content=\"";

fn set_meta(html: &str, name: &str, value: &str) -> String {
    let marker = format!("<meta name=\"{name}\" content=\"");
    match html.find(&marker) {
        Some(i) => {
            let start = i + marker.len();
            let end = start + html[start..].find('"').unwrap_or(0);
            format!("{}{}{}", &html[..start], attr(value), &html[end..])
        }
        None => html.to_string(),
    }
}

fn attr(value: &str) -> String {
    value.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;")
}

/// Hashes of the inline `<script>` blocks, as CSP sources.
fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find("<script") {
        let after = &rest[open..];
        let Some(tag_end) = after.find('>') else { break };
        let body_start = tag_end + 1;
        let Some(close) = after[body_start..].find("</script>") else { break };
        let tag = &after[..tag_end];
        if !tag.contains(" src=") {
            let digest = Sha256::digest(&after.as_bytes()[body_start..body_start + close]);
            out.push(format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest)));
        }
        rest = &after[body_start + close..];
    }
    out
}

/// The content of the page's `<meta name="backboard-workspace">`, if it has one.
fn workspace_meta(html: &str) -> Option<&str> {
    let start = html.find(WORKSPACE_MARKER)? + WORKSPACE_MARKER.len();
    Some(&html[start..start + html[start..].find('"')?])
}

const WORKSPACE_MARKER: &str = "<meta name=\"backboard-workspace\" content=\"";

/// Puts the page in workspace mode with the worker at `url` (empty: the page's own origin), for
/// `BACKBOARD_WORKSPACE_URL` at build time; `configure` then lets the page connect to it.
pub fn set_workspace(dist: &Path, url: &str) -> Result {
    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
    let html = match html.find(WORKSPACE_MARKER) {
        Some(_) => set_meta(&html, "backboard-workspace", url),
        None => html.replacen("<head>", &format!("<head>\n    {WORKSPACE_MARKER}{}\">", attr(url)), 1),
    };
    std::fs::write(&index, html).map_err(|e| e.to_string())
}

pub fn csp(html: &str, proxy: &str, simulator: &str) -> String {
    let workspace = workspace_meta(html).unwrap_or("");
    let connect: Vec<String> = std::iter::once("'self'".to_string())
        .chain([proxy, simulator, workspace].into_iter().filter_map(origin))
        .collect();
    let scripts = inline_script_hashes(html).join(" ");
    format!(
        "default-src 'none'; script-src 'self' {scripts} 'wasm-unsafe-eval'; connect-src {}; style-src 'self'; \
         img-src 'self' data:; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; object-src 'none'",
        connect.join(" ")
    )
}

/// Points the meta tags at these URLs (empty simulator: no "Try the demo" server) and writes
/// the matching CSP. Idempotent: run after every build and whenever the URLs change.
pub fn configure(dist: &Path, proxy: &str, simulator: &str) -> Result {
    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
    let html = set_meta(&set_meta(&html, "backboard-proxy", proxy), "backboard-simulator", simulator);
    let policy = csp(&html, proxy, simulator);
    let html = match html.find(CSP_MARKER) {
        Some(i) => {
            let start = i + CSP_MARKER.len();
            let end = start + html[start..].find('"').unwrap_or(0);
            format!("{}{}{}", &html[..start], attr(&policy), &html[end..])
        }
        None => html.replacen("<head>", &format!("<head>\n    {CSP_MARKER}{}\">", attr(&policy)), 1),
    };
    std::fs::write(&index, html).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_names_the_loader_script_and_only_the_configured_origins() {
        let html = "<head><script type=\"module\">init();</script><script src=\"x.js\"></script></head>";
        let policy = csp(html, "https://proxy.example.com/base", "javascript:alert(1)");
        let expected = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"init();"));
        assert!(policy.contains(&format!("'sha256-{expected}'")), "{policy}");
        assert!(policy.contains("connect-src 'self' https://proxy.example.com;"), "{policy}");
        assert!(!policy.contains("javascript"));
        assert!(!policy.contains("unsafe-inline"));
    }

    #[test]
    fn a_workspace_page_may_connect_to_its_worker() {
        let html = "<head><meta name=\"backboard-workspace\" content=\"https://ws.example.com/x\"></head>";
        let policy = csp(html, "https://proxy.example.com", "");
        assert!(policy.contains("connect-src 'self' https://proxy.example.com https://ws.example.com;"), "{policy}");
        // Empty: the page's own origin, which 'self' already covers.
        let policy = csp("<head><meta name=\"backboard-workspace\" content=\"\"></head>", "https://p.example.com", "");
        assert!(policy.contains("connect-src 'self' https://p.example.com;"), "{policy}");
    }
}
