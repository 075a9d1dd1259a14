//! Where connections are kept: the tab (sessionStorage) by default, the device (localStorage)
//! only when the user asks. Settings (proxy URL) are not secret and always kept.

use backboard_core::Connection;

const CONNECTIONS: &str = "backboard.connections";
const REMEMBER: &str = "backboard.remember";
const PROXY: &str = "backboard.proxy";

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

pub fn remember() -> bool {
    local().and_then(|s| s.get_item(REMEMBER).ok().flatten()).as_deref() == Some("true")
}

/// A fresh connection id.
pub fn new_id() -> String {
    format!("c{:x}", (js_sys::Math::random() * 1e15) as u64)
}

pub fn load_connections() -> Vec<Connection> {
    let store = if remember() { local() } else { session() };
    store
        .and_then(|s| s.get_item(CONNECTIONS).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

pub fn save_connections(connections: &[Connection], keep_on_device: bool) {
    let json = serde_json::to_string(connections).unwrap_or_else(|_| "[]".into());
    if let Some(l) = local() {
        let _ = l.set_item(REMEMBER, if keep_on_device { "true" } else { "false" });
        if keep_on_device {
            let _ = l.set_item(CONNECTIONS, &json);
        } else {
            let _ = l.remove_item(CONNECTIONS);
        }
    }
    if let Some(s) = session() {
        let _ = s.set_item(CONNECTIONS, &json);
    }
}

fn meta(name: &str) -> Option<String> {
    let doc = web_sys::window()?.document()?;
    let el = doc.query_selector(&format!("meta[name=\"{name}\"]")).ok()??;
    el.get_attribute("content").filter(|c| !c.is_empty())
}

/// The worker's URL: the user's setting, else the page's `<meta name="backboard-proxy">`.
pub fn proxy_url() -> String {
    local()
        .and_then(|s| s.get_item(PROXY).ok().flatten())
        .filter(|s| !s.is_empty())
        .or_else(|| meta("backboard-proxy"))
        .unwrap_or_else(|| "http://127.0.0.1:8787".into())
}

/// Saves the user's proxy URL; an empty one goes back to the page's default.
pub fn set_proxy_url(url: &str) {
    if let Some(l) = local() {
        let _ = match url.trim() {
            "" => l.remove_item(PROXY),
            u => l.set_item(PROXY, u),
        };
    }
}

/// The simulator's URL for "Try the demo" (`<meta name="backboard-simulator">`).
pub fn simulator_url() -> Option<String> {
    meta("backboard-simulator")
}

const THRESHOLDS: &str = "backboard.thresholds";

/// The health overview's per-source thresholds: (source key, seconds) pairs. Not secret, so
/// kept on the device like the proxy setting.
pub fn load_thresholds() -> Vec<(String, u64)> {
    local()
        .and_then(|s| s.get_item(THRESHOLDS).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

pub fn save_thresholds(list: &[(String, u64)]) {
    if let Some(l) = local() {
        let _ = match list.is_empty() {
            true => l.remove_item(THRESHOLDS),
            false => l.set_item(THRESHOLDS, &serde_json::to_string(list).unwrap_or_else(|_| "[]".into())),
        };
    }
}

/// Removes everything Backboard keeps in this browser: connections, tokens, thresholds and
/// settings, on the device and in the tab.
pub fn forget_everything() {
    for store in [local(), session()].into_iter().flatten() {
        for key in [CONNECTIONS, REMEMBER, PROXY, THRESHOLDS] {
            let _ = store.remove_item(key);
        }
    }
}
