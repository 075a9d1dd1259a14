//! `GET /api/v1/health`: up, the version, which sources are configured (no secrets, no key).

use worker::{Response, Result};

use super::Call;
use crate::respond;
use crate::settings::secret;
use crate::sources;

pub async fn get(call: Call) -> Result<Response> {
    let env = &call.env;
    let configured: Vec<serde_json::Value> = sources::configured(env)
        .unwrap_or_default()
        .iter()
        .map(|m| &m.connection)
        .map(|c| serde_json::json!({"provider": c.provider().slug(), "label": c.label, "source": c.source()}))
        .collect();
    let body = serde_json::json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "sources": configured,
        "apiKeyConfigured": secret(env, "BACKBOARD_API_KEY").is_some(),
    });
    respond::json(200, &body.to_string())
}
