//! The audit log as JSON or CSV (`?format=csv`), the last `days` days (default: all that is
//! kept), newest first.

use backboard_core::de::format_rfc3339;
use backboard_core::http::parse_query;
use backboard_core::workspace::audit::{cutoff, to_csv, to_millis, Entry, MAX_RETENTION_DAYS};
use serde_json::{json, Value};
use worker::{Response, Result};

use super::{store, Ctx};
use crate::respond;

/// At most this many entries in one answer.
const LIMIT: u32 = 10_000;

fn shown(e: &Entry) -> Value {
    json!({
        "at": format_rfc3339(e.at),
        "who": e.who,
        "via": e.via.as_str(),
        "key": e.key,
        "role": e.role.map(|r| r.as_str()),
        "act": e.action,
        "route": e.action,
        "connection": e.connection,
        "backup": e.backup,
        "outcome": e.outcome.as_str(),
        "status": e.outcome.status(),
    })
}

pub async fn get(ctx: &Ctx) -> Result<Response> {
    let pairs = parse_query(&ctx.query);
    let days = match pairs.iter().find(|(k, _)| k == "days").map(|(_, v)| v.parse::<u32>()) {
        None => MAX_RETENTION_DAYS,
        Some(Ok(d)) if (1..=MAX_RETENTION_DAYS).contains(&d) => d,
        Some(_) => return respond::error(400, &format!("days must be a whole number from 1 to {MAX_RETENTION_DAYS}")),
    };
    let entries = match store::entries(&ctx.env, to_millis(cutoff(ctx.now, days)), LIMIT).await {
        Ok(e) => e,
        Err(e) => return respond::error(500, &format!("the audit log could not be read: {e}")),
    };
    if pairs.iter().any(|(k, v)| k == "format" && v == "csv") {
        let mut r = crate::api::csv(to_csv(&entries))?;
        r.headers_mut().set("Content-Disposition", "attachment; filename=\"backboard-audit.csv\"")?;
        return Ok(r);
    }
    respond::json(200, &json!({"entries": entries.iter().map(shown).collect::<Vec<_>>()}).to_string())
}
