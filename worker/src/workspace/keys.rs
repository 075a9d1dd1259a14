//! The workspace's API keys: made (the plain key in that answer only, its hash stored),
//! listed without hashes, revoked.

use backboard_core::de::format_rfc3339;
use backboard_core::workspace::apikey::{self, ApiKey};
use backboard_core::workspace::audit::to_millis;
use backboard_core::workspace::Role;
use serde_json::{json, Value};
use worker::{Request, Response, Result};

use super::webcrypto::random;
use super::{body, refused, store, Ctx};
use crate::respond;

fn shown(k: &ApiKey) -> Value {
    json!({
        "id": k.id,
        "label": k.label,
        "role": k.role.as_str(),
        "owner": k.owner,
        "created_at": format_rfc3339(k.created_at),
        "revoked_at": k.revoked_at.map(format_rfc3339),
    })
}

pub async fn list(ctx: &Ctx) -> Result<Response> {
    match store::api_keys(&ctx.env).await {
        Ok(keys) => respond::json(200, &json!({"keys": keys.iter().map(shown).collect::<Vec<_>>()}).to_string()),
        Err(e) => respond::error(500, &format!("the keys could not be read: {e}")),
    }
}

pub async fn create(ctx: &Ctx, req: Request) -> Result<Response> {
    let given = match body(req).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let role = match Role::parse(given.get("role").and_then(Value::as_str).unwrap_or("")) {
        Ok(r) => r,
        Err(e) => return respond::error(400, &e),
    };
    let label = given.get("label").and_then(Value::as_str).unwrap_or("");
    if label.len() > 200 {
        return respond::error(400, "a key's label is at most 200 characters");
    }
    let (key, plain) = apikey::generate(random(), role, &ctx.caller.who, label, ctx.now);
    if let Err(e) = store::insert_api_key(&ctx.env, &key).await {
        return respond::error(500, &format!("the key was not stored: {e}"));
    }
    let mut answer = shown(&key);
    answer["key"] = Value::String(plain.expose().to_string());
    respond::json(201, &answer.to_string())
}

pub async fn revoke(ctx: &Ctx) -> Result<Response> {
    match store::revoke_api_key(&ctx.env, &ctx.id, to_millis(ctx.now)).await {
        Ok(0) => refused(404),
        Ok(_) => Ok(Response::empty()?.with_status(204)),
        Err(e) => respond::error(500, &format!("the key was not revoked: {e}")),
    }
}
