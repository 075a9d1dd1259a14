//! The changes worth a notification, and their text as a Slack-compatible webhook body.

use serde::{Deserialize, Serialize};

use super::plural;
use super::verdict::{SourceHealth, Verdict};
use crate::provider::Provider;

/// A verdict that changed since the last check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub key: String,
    pub provider: Provider,
    pub label: String,
    /// None for a source not seen before.
    pub from: Option<Verdict>,
    pub to: Verdict,
    /// The headline of the new verdict.
    pub reason: String,
}

/// The changes worth a notification: a verdict that differs from the previous one, and a new
/// source that is not healthy (a first run over healthy sources stays quiet). Sources that
/// disappeared are not reported: a removed connection is the user's own doing.
pub fn changes(previous: &[(String, Verdict)], current: &[SourceHealth]) -> Vec<Change> {
    current
        .iter()
        .filter_map(|h| {
            let from = previous.iter().find(|(k, _)| *k == h.key).map(|(_, v)| *v);
            let notify = match from {
                Some(v) => v != h.verdict,
                None => h.verdict != Verdict::Healthy,
            };
            notify.then(|| Change {
                key: h.key.clone(),
                provider: h.provider,
                label: h.label.clone(),
                from,
                to: h.verdict,
                reason: h.headline().to_string(),
            })
        })
        .collect()
}

/// What to remember for the next [`changes`].
pub fn verdicts(current: &[SourceHealth]) -> Vec<(String, Verdict)> {
    current.iter().map(|h| (h.key.clone(), h.verdict)).collect()
}

/// Slack's three control characters, escaped as its message format asks.
fn slack_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// A Slack-compatible webhook body (`{"text": ...}`, also understood by Mattermost, Rocket.Chat
/// and Discord's `/slack` endpoints), or None when nothing changed.
pub fn slack_message(changes: &[Change]) -> Option<String> {
    if changes.is_empty() {
        return None;
    }
    let mut text = format!("Backboard: {} changed", plural(changes.len(), "backup source", "backup sources"));
    for c in changes {
        let from = c.from.map(|v| format!("{v} → ")).unwrap_or_default();
        text.push_str(&format!("\n• *{}* ({}): {from}*{}*", slack_escape(&c.label), c.provider.name(), c.to));
        if !c.reason.is_empty() {
            text.push_str(&format!(" — {}", slack_escape(&c.reason)));
        }
    }
    Some(serde_json::json!({ "text": text }).to_string())
}
