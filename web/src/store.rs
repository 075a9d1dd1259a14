//! Where connections are kept: the tab (sessionStorage) by default, the device (localStorage)
//! only when the user asks, and then sealed under a passphrase (`crate::vault`). Settings (proxy
//! URL) are not secret and always kept.

use backboard_core::vault::{self, Sealed, Stored};
use backboard_core::Connection;

const CONNECTIONS: &str = "backboard.connections";
/// Set by the earlier plain format, beside its list under [`CONNECTIONS`].
const REMEMBER: &str = "backboard.remember";
/// The connections sealed under a passphrase (`backboard_core::vault::Sealed` as JSON).
const VAULT: &str = "backboard.vault";
const PROXY: &str = "backboard.proxy";

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

/// A fresh connection id.
pub fn new_id() -> String {
    format!("c{:x}", (js_sys::Math::random() * 1e15) as u64)
}

/// Where the connections are kept, and whether the device's copy is open.
#[derive(Clone, Debug, PartialEq)]
pub enum Keep {
    /// In this tab only.
    Tab,
    /// On this device, sealed; the passphrase has not been given yet.
    Locked(Sealed),
    /// On this device, but what is stored cannot be read (kept as it is until forgotten).
    Unreadable(String),
    /// On this device, sealed, and opened: every change is sealed again.
    Open,
    /// On this device in the earlier plain format, kept as it is until a passphrase is chosen.
    Plain,
    /// In the workspace (workspace mode): the page keeps nothing of them.
    Workspace,
}

impl Keep {
    /// Whether the connections are kept on this device (in any form).
    pub fn on_device(&self) -> bool {
        !matches!(self, Keep::Tab | Keep::Workspace)
    }
}

/// The connections to start with, and where they are kept.
pub fn load_connections() -> (Vec<Connection>, Keep) {
    let local = local();
    let item = |key: &str| local.as_ref().and_then(|s| s.get_item(key).ok().flatten());
    if let Some(text) = item(VAULT) {
        return match Sealed::parse(&text) {
            Ok(sealed) => (Vec::new(), Keep::Locked(sealed)),
            Err(e) => (Vec::new(), Keep::Unreadable(e.to_string())),
        };
    }
    if item(REMEMBER).as_deref() == Some("true") {
        if let Some(text) = item(CONNECTIONS) {
            return match vault::read(&text) {
                Ok(Stored::Plain(list)) => (list, Keep::Plain),
                Ok(Stored::Sealed(sealed)) => (Vec::new(), Keep::Locked(sealed)),
                Err(e) => (Vec::new(), Keep::Unreadable(e.to_string())),
            };
        }
    }
    let list = session()
        .and_then(|s| s.get_item(CONNECTIONS).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default();
    (list, Keep::Tab)
}

/// Keeps the connections in the tab; the device keeps nothing of them.
pub fn save_in_tab(connections: &[Connection]) {
    let json = serde_json::to_string(connections).unwrap_or_else(|_| "[]".into());
    if let Some(l) = local() {
        for key in [CONNECTIONS, REMEMBER, VAULT] {
            let _ = l.remove_item(key);
        }
    }
    if let Some(s) = session() {
        let _ = s.set_item(CONNECTIONS, &json);
    }
}

/// Keeps a sealed record on the device; no plain copy stays anywhere.
pub fn save_sealed(sealed: &Sealed) {
    if let Some(l) = local() {
        let _ = l.set_item(VAULT, &sealed.to_json());
        let _ = l.remove_item(CONNECTIONS);
        let _ = l.remove_item(REMEMBER);
    }
    if let Some(s) = session() {
        let _ = s.remove_item(CONNECTIONS);
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

const WORKSPACE: &str = "backboard.workspace";

/// The workspace's origin in workspace mode: the user's setting, else the page's
/// `<meta name="backboard-workspace">` (empty content: the page's own origin). None: personal
/// mode.
pub fn workspace_url() -> Option<String> {
    if let Some(url) = local().and_then(|s| s.get_item(WORKSPACE).ok().flatten()).filter(|s| !s.is_empty()) {
        return Some(url);
    }
    let doc = web_sys::window()?.document()?;
    let el = doc.query_selector("meta[name=\"backboard-workspace\"]").ok()??;
    match el.get_attribute("content").unwrap_or_default().trim() {
        "" => web_sys::window()?.location().origin().ok(),
        url => Some(url.to_string()),
    }
}

/// Saves the user's workspace URL; an empty one goes back to the page's default.
pub fn set_workspace_url(url: &str) {
    if let Some(l) = local() {
        let _ = match url.trim() {
            "" => l.remove_item(WORKSPACE),
            u => l.set_item(WORKSPACE, u.trim_end_matches('/')),
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
        for key in [CONNECTIONS, REMEMBER, VAULT, PROXY, THRESHOLDS, WORKSPACE] {
            let _ = store.remove_item(key);
        }
    }
}
