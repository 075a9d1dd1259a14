//! A digest or an alert as the request each channel documents: Slack incoming webhooks, Discord
//! webhooks, Microsoft Teams Workflows webhooks, ntfy, and a generic JSON webhook signed with
//! HMAC-SHA256. The worker only sends the [`Request`]; limits are kept here.

use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::Sha256;
use time::OffsetDateTime;

use super::Digest;
use crate::health::{Change, Verdict};
use crate::http::{Method, Request};

/// What is sent, before any channel's format: a title, sections per source, and the data
/// itself for machines (the generic webhook sends it whole).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Message {
    /// `digest` or `alert`.
    pub kind: &'static str,
    pub title: String,
    pub severity: Verdict,
    pub sections: Vec<Section>,
    pub data: Value,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Section {
    pub heading: String,
    pub verdict: Verdict,
    pub lines: Vec<String>,
}

impl Digest {
    pub fn message(&self) -> Message {
        let sections = self
            .sources
            .iter()
            .map(|s| Section {
                heading: format!("{} ({})", s.label, s.provider),
                verdict: s.verdict,
                lines: self.lines(s),
            })
            .collect();
        Message {
            kind: "digest",
            title: self.title(),
            severity: self.overall,
            sections,
            data: serde_json::to_value(self).unwrap_or(Value::Null),
        }
    }
}

/// The verdict changes of one run as a message; None when nothing changed.
pub fn alert_message(changes: &[Change]) -> Option<Message> {
    if changes.is_empty() {
        return None;
    }
    let n = changes.len();
    let title = format!("Backboard: {n} backup source{} changed", if n == 1 { "" } else { "s" });
    let sections = changes
        .iter()
        .map(|c| {
            let from = c.from.map(|v| format!("{v} → ")).unwrap_or_default();
            let mut lines = vec![format!("{from}{}", c.to)];
            if !c.reason.is_empty() {
                lines.push(c.reason.clone());
            }
            Section { heading: format!("{} ({})", c.label, c.provider.name()), verdict: c.to, lines }
        })
        .collect();
    let data: Vec<Value> = changes
        .iter()
        .map(|c| json!({"key": c.key, "provider": c.provider, "label": c.label, "from": c.from, "to": c.to, "reason": c.reason}))
        .collect();
    let severity = changes.iter().map(|c| c.to).max().unwrap_or(Verdict::Unknown);
    Some(Message { kind: "alert", title, severity, sections, data: json!({ "changes": data }) })
}

impl Message {
    /// Plain text: the title, then each section's heading and lines.
    pub fn text(&self) -> String {
        let mut out = self.title.clone();
        for s in &self.sections {
            out.push_str(&format!("\n\n{}\n{}", s.heading, s.lines.join("\n")));
        }
        out
    }
}

/// The channels a message can go to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Slack,
    Discord,
    Teams,
    Ntfy,
    Webhook,
}

impl Channel {
    pub const ALL: [Channel; 5] = [Channel::Slack, Channel::Discord, Channel::Teams, Channel::Ntfy, Channel::Webhook];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Slack => "slack",
            Channel::Discord => "discord",
            Channel::Teams => "teams",
            Channel::Ntfy => "ntfy",
            Channel::Webhook => "webhook",
        }
    }

    pub fn parse(s: &str) -> Result<Self, String> {
        Channel::ALL.into_iter().find(|c| c.as_str().eq_ignore_ascii_case(s.trim())).ok_or_else(|| {
            let names: Vec<&str> = Channel::ALL.iter().map(|c| c.as_str()).collect();
            format!("{s:?} is not a channel; use one of {}", names.join(", "))
        })
    }
}

/// Where a message goes: the channel, its URL, and for the signed webhook its secret (for ntfy,
/// an optional access token).
#[derive(Clone, PartialEq, Eq)]
pub struct Target {
    pub channel: Channel,
    pub url: String,
    pub secret: Option<String>,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target")
            .field("channel", &self.channel)
            .field("secret", &self.secret.as_ref().map(|_| "***"))
            .finish_non_exhaustive()
    }
}

/// The request that sends `message` to `target` at `now` (the signed webhook's timestamp).
pub fn request(target: &Target, message: &Message, now: OffsetDateTime) -> Result<Request, String> {
    if !(target.url.starts_with("https://") || target.url.starts_with("http://")) {
        return Err(format!("the {} URL must start with https://", target.channel.as_str()));
    }
    let post = |url: &str, body: Value| Request::new(Method::Post, url).json_body(body.to_string());
    Ok(match target.channel {
        Channel::Slack => post(&target.url, slack(message)),
        Channel::Discord => post(&target.url, discord(message)),
        Channel::Teams => post(&target.url, teams(message)),
        Channel::Ntfy => {
            let (root, topic) = ntfy_root(&target.url)?;
            let r = post(&root, ntfy(message, &topic));
            match &target.secret {
                Some(token) if !token.is_empty() => r.header("Authorization", format!("Bearer {token}")),
                _ => r,
            }
        }
        Channel::Webhook => {
            let secret = target.secret.as_deref().filter(|s| !s.is_empty());
            let secret = secret.ok_or("the signed webhook needs a secret to sign with")?;
            let body = webhook_body(message, now).to_string();
            let t = now.unix_timestamp();
            Request::new(Method::Post, &target.url)
                .header(SIGNATURE_HEADER, format!("t={t},v1={}", sign(secret, t, &body)))
                .json_body(body)
        }
    })
}

/// At most `max` characters, with "…" in place of the rest.
fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// At most `max` bytes of UTF-8, cut at a character boundary, with "…" in place of the rest.
fn clip_bytes(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max.saturating_sub('…'.len_utf8());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

fn more(n: usize) -> String {
    format!("… and {n} more source{}", if n == 1 { "" } else { "s" })
}

// Slack: an incoming webhook takes `text` and `blocks`; with blocks, `text` is the fallback for
// notifications (api.slack.com/messaging/webhooks). Limits (Block Kit reference): 50 blocks per
// message, a header's plain_text 150 characters, a section's text 3000 characters.
const SLACK_BLOCKS: usize = 50;
const SLACK_HEADER: usize = 150;
const SLACK_SECTION: usize = 3000;

/// Slack's three control characters, escaped as its message formatting asks.
fn slack_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn slack_icon(v: Verdict) -> &'static str {
    match v {
        Verdict::Healthy => ":large_green_circle:",
        Verdict::Unknown => ":white_circle:",
        Verdict::Warning => ":large_yellow_circle:",
        Verdict::Failing => ":red_circle:",
    }
}

pub fn slack(m: &Message) -> Value {
    let mut blocks = vec![
        json!({"type": "header", "text": {"type": "plain_text", "text": clip(&m.title, SLACK_HEADER), "emoji": true}}),
    ];
    // One block is kept for "and N more".
    let room = SLACK_BLOCKS - blocks.len() - 1;
    for s in m.sections.iter().take(if m.sections.len() > room + 1 { room } else { room + 1 }) {
        let text =
            format!("{} *{}*\n{}", slack_icon(s.verdict), slack_escape(&s.heading), slack_escape(&s.lines.join("\n")));
        blocks.push(json!({"type": "section", "text": {"type": "mrkdwn", "text": clip(&text, SLACK_SECTION)}}));
    }
    let shown = blocks.len() - 1;
    if shown < m.sections.len() {
        blocks
            .push(json!({"type": "context", "elements": [{"type": "mrkdwn", "text": more(m.sections.len() - shown)}]}));
    }
    json!({ "text": slack_escape(&m.title), "blocks": blocks })
}

// Discord: Execute Webhook takes `content` (2000 characters) and up to 10 `embeds`; an embed's
// title is 256 characters, its description 4096, and all embeds of a message together 6000
// (discord.com/developers/docs/resources/message#embed-object-embed-limits).
// `allowed_mentions` with no parse types keeps a label like "@everyone" from pinging anyone.
const DISCORD_CONTENT: usize = 2000;
const DISCORD_EMBEDS: usize = 10;
const DISCORD_TITLE: usize = 256;
const DISCORD_DESCRIPTION: usize = 4096;
const DISCORD_TOTAL: usize = 6000;

fn color(v: Verdict) -> u32 {
    match v {
        Verdict::Healthy => 0x2E_B6_7D,
        Verdict::Unknown => 0x95_A5_A6,
        Verdict::Warning => 0xEC_B2_2E,
        Verdict::Failing => 0xE0_1E_5A,
    }
}

pub fn discord(m: &Message) -> Value {
    let mut embeds = Vec::new();
    let mut used = 0;
    for s in &m.sections {
        if embeds.len() == DISCORD_EMBEDS {
            break;
        }
        let title = clip(&s.heading, DISCORD_TITLE);
        let full = s.lines.join("\n");
        let left = DISCORD_TOTAL.saturating_sub(used + title.chars().count());
        // Stop before an embed that would be cut to almost nothing.
        if left < full.chars().count().min(40) {
            break;
        }
        let description = clip(&full, DISCORD_DESCRIPTION.min(left));
        let cost = title.chars().count() + description.chars().count();
        used += cost;
        embeds.push(json!({"title": title, "description": description, "color": color(s.verdict)}));
    }
    let mut content = m.title.clone();
    if embeds.len() < m.sections.len() {
        content.push('\n');
        content.push_str(&more(m.sections.len() - embeds.len()));
    }
    json!({ "content": clip(&content, DISCORD_CONTENT), "embeds": embeds, "allowed_mentions": {"parse": []} })
}

// Microsoft Teams Workflows ("When a Teams webhook request is received", "Post to a channel
// when a webhook request is received"): a message whose `attachments` hold an Adaptive Card with
// contentType application/vnd.microsoft.card.adaptive; Workflows accept Adaptive Cards only
// (learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using).
// Card version 1.4, which Teams renders everywhere; a Teams message holds about 28 KB, so the
// card stops adding sources at 24 KB.
const TEAMS_BUDGET: usize = 24_000;

fn teams_color(v: Verdict) -> &'static str {
    match v {
        Verdict::Healthy => "Good",
        Verdict::Unknown => "Default",
        Verdict::Warning => "Warning",
        Verdict::Failing => "Attention",
    }
}

pub fn teams(m: &Message) -> Value {
    let mut body =
        vec![json!({"type": "TextBlock", "text": m.title, "weight": "Bolder", "size": "Medium", "wrap": true})];
    let mut size = m.title.len();
    let mut shown = 0;
    for s in &m.sections {
        let lines = s.lines.join("\n\n");
        if size + s.heading.len() + lines.len() > TEAMS_BUDGET {
            break;
        }
        size += s.heading.len() + lines.len();
        shown += 1;
        body.push(json!({"type": "TextBlock", "text": s.heading, "weight": "Bolder", "color": teams_color(s.verdict), "wrap": true, "spacing": "Medium"}));
        body.push(json!({"type": "TextBlock", "text": lines, "wrap": true, "spacing": "None"}));
    }
    if shown < m.sections.len() {
        body.push(json!({"type": "TextBlock", "text": more(m.sections.len() - shown), "isSubtle": true, "wrap": true}));
    }
    json!({
        "type": "message",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "contentUrl": null,
            "content": {
                "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                "type": "AdaptiveCard",
                "version": "1.4",
                "body": body,
            },
        }],
    })
}

// ntfy: "publish as JSON" is a POST to the server's root URL with `topic`, `title`, `message`,
// `tags` and `priority` (1 to 5) in the body (docs.ntfy.sh/publish/#publish-as-json). A message
// over 4096 bytes would become an attachment, so it is cut there. The target URL is the topic
// URL users copy from ntfy (`https://ntfy.sh/backups`); an access token, when set, goes as
// `Authorization: Bearer`.
const NTFY_MESSAGE: usize = 4096;

/// `https://ntfy.sh/backups` to (`https://ntfy.sh/`, `backups`). Topics are 1 to 64 of
/// `A-Za-z0-9_-`, as ntfy allows.
pub fn ntfy_root(url: &str) -> Result<(String, String), String> {
    let bad = || format!("{url:?} is not an ntfy topic URL like https://ntfy.sh/backups");
    let trimmed = url.split(['?', '#']).next().unwrap_or(url).trim_end_matches('/');
    let (root, topic) = trimmed.rsplit_once('/').ok_or_else(bad)?;
    let ok =
        (1..=64).contains(&topic.len()) && topic.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !ok || root.ends_with('/') || !root.contains("://") {
        return Err(bad());
    }
    Ok((format!("{root}/"), topic.to_string()))
}

/// ntfy's priority: failing is high (4), warning and unknown the default (3), an all-healthy
/// message low (2: no sound for good news).
fn ntfy_priority(v: Verdict) -> u8 {
    match v {
        Verdict::Failing => 4,
        Verdict::Warning | Verdict::Unknown => 3,
        Verdict::Healthy => 2,
    }
}

fn ntfy_tag(v: Verdict) -> &'static str {
    match v {
        Verdict::Healthy => "white_check_mark",
        Verdict::Unknown => "grey_question",
        Verdict::Warning => "warning",
        Verdict::Failing => "rotating_light",
    }
}

pub fn ntfy(m: &Message, topic: &str) -> Value {
    let body: Vec<String> = m.sections.iter().map(|s| format!("{}\n{}", s.heading, s.lines.join("\n"))).collect();
    json!({
        "topic": topic,
        "title": m.title,
        "message": clip_bytes(&body.join("\n\n"), NTFY_MESSAGE),
        "tags": [ntfy_tag(m.severity), "backboard"],
        "priority": ntfy_priority(m.severity),
    })
}

// The generic webhook: the message as JSON, signed.

/// The header carrying the signature: `t=<unix seconds>,v1=<hex HMAC-SHA256>`, where the HMAC
/// (keyed with the shared secret) covers `"<t>.<body>"`. A receiver recomputes it over the raw
/// body and refuses a timestamp more than [`REPLAY_WINDOW_SECS`] away from its clock.
pub const SIGNATURE_HEADER: &str = "X-Backboard-Signature";

/// 5 minutes either way: room for clock skew and a slow delivery, too short to replay a
/// captured request later.
pub const REPLAY_WINDOW_SECS: i64 = 300;

pub fn webhook_body(m: &Message, now: OffsetDateTime) -> Value {
    json!({
        "type": m.kind,
        "title": m.title,
        "severity": m.severity,
        "sent_at": crate::de::format_rfc3339(now),
        "sections": m.sections,
        "data": m.data,
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}

fn mac(secret: &str, t: i64, body: &str) -> Hmac<Sha256> {
    // HMAC takes keys of any length, so this cannot fail.
    let mut m = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()).expect("HMAC accepts any key length");
    m.update(t.to_string().as_bytes());
    m.update(b".");
    m.update(body.as_bytes());
    m
}

/// The hex HMAC-SHA256 of `"<t>.<body>"`.
pub fn sign(secret: &str, t: i64, body: &str) -> String {
    hex(&mac(secret, t, body).finalize().into_bytes())
}

/// Why a signature was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignatureError {
    /// Not `t=<unix seconds>,v1=<hex>`.
    Malformed,
    /// The timestamp is further than the replay window from now.
    OutsideWindow { skew_secs: i64 },
    /// No `v1` matches.
    Mismatch,
}

impl std::fmt::Display for SignatureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SignatureError::Malformed => write!(f, "the {SIGNATURE_HEADER} header is not t=<unix seconds>,v1=<hex>"),
            SignatureError::OutsideWindow { skew_secs } => write!(
                f,
                "the signature's timestamp is {skew_secs} s from now, beyond the {REPLAY_WINDOW_SECS} s replay window"
            ),
            SignatureError::Mismatch => f.write_str("the signature does not match the body"),
        }
    }
}

/// Checks a [`SIGNATURE_HEADER`] value against the raw body at `now`: the timestamp must be
/// within `window_secs` and one `v1` must match (compared in constant time). Several `v1`
/// values are allowed so a secret can be rotated.
pub fn verify(
    secret: &str,
    header: &str,
    body: &str,
    now: OffsetDateTime,
    window_secs: i64,
) -> Result<(), SignatureError> {
    let mut t: Option<i64> = None;
    let mut sigs: Vec<Vec<u8>> = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => t = Some(v.parse().map_err(|_| SignatureError::Malformed)?),
            Some(("v1", v)) => sigs.push(unhex(v).ok_or(SignatureError::Malformed)?),
            _ => {}
        }
    }
    let t = t.ok_or(SignatureError::Malformed)?;
    if sigs.is_empty() {
        return Err(SignatureError::Malformed);
    }
    let skew = now.unix_timestamp().saturating_sub(t);
    if skew.unsigned_abs() > window_secs.unsigned_abs() {
        return Err(SignatureError::OutsideWindow { skew_secs: skew });
    }
    let expected = mac(secret, t, body);
    if sigs.iter().any(|s| expected.clone().verify_slice(s).is_ok()) {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}
