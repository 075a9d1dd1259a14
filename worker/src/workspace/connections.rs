//! The workspace's connections: listed without their tokens, added and changed with the token
//! sealed before it reaches D1, removed.

use backboard_core::de::format_rfc3339;
use backboard_core::workspace::audit::from_millis;
use backboard_core::workspace::connections::{self, new_id, public, ConnectionRow};
use serde_json::Value;
use worker::{Request, Response, Result};

use super::webcrypto::random;
use super::{body, refused, store, Ctx};
use crate::respond;

/// A connection as answered: its public fields and when it was added. Never its token.
pub fn shown(row: &ConnectionRow) -> Value {
    let mut v = public(row);
    if let Value::Object(fields) = &mut v {
        let at = from_millis(row.created_at).map(format_rfc3339).unwrap_or_default();
        fields.insert("created_at".into(), Value::String(at));
    }
    v
}

fn failed(e: String) -> Result<Response> {
    respond::error(500, &format!("the workspace could not be read: {e}"))
}

pub async fn list(ctx: &Ctx) -> Result<Response> {
    match store::connections(&ctx.env).await {
        Ok(rows) => {
            let all: Vec<Value> = rows.iter().map(shown).collect();
            respond::json(200, &serde_json::json!({ "connections": all }).to_string())
        }
        Err(e) => failed(e),
    }
}

pub async fn add(ctx: &Ctx, req: Request) -> Result<Response> {
    let given = match body(req).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let keyring = match ctx.keyring() {
        Ok(k) => k,
        Err(e) => return respond::error(500, &e),
    };
    let id = new_id(random());
    let row = match connections::to_row(&id, given, &keyring, random(), &ctx.caller.who, ctx.now) {
        Ok(r) => r,
        Err(e) => return respond::error(400, &e),
    };
    ctx.on_connection(&id);
    if let Err(e) = store::insert_connection(&ctx.env, &row).await {
        return respond::error(500, &format!("the connection was not stored: {e}"));
    }
    respond::json(201, &shown(&row).to_string())
}

pub async fn update(ctx: &Ctx, req: Request) -> Result<Response> {
    let given = match body(req).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let row = match store::connection_by_id(&ctx.env, &ctx.id).await {
        Ok(Some(r)) => r,
        Ok(None) => return refused(404),
        Err(e) => return failed(e),
    };
    let keyring = match ctx.keyring() {
        Ok(k) => k,
        Err(e) => return respond::error(500, &e),
    };
    // Fields not given keep their value: the change is laid over the stored public fields.
    let mut merged = public(&row);
    if let (Value::Object(into), Value::Object(from)) = (&mut merged, given) {
        into.extend(from);
    } else {
        return respond::error(400, "a connection's change is a JSON object");
    }
    let changed = match connections::update(&row, merged, &keyring, random(), ctx.now) {
        Ok(r) => r,
        Err(e) => return respond::error(400, &e),
    };
    match store::update_connection(&ctx.env, &changed).await {
        Ok(_) => respond::json(200, &shown(&changed).to_string()),
        Err(e) => respond::error(500, &format!("the connection was not stored: {e}")),
    }
}

pub async fn remove(ctx: &Ctx) -> Result<Response> {
    match store::delete_connection(&ctx.env, &ctx.id).await {
        Ok(0) => refused(404),
        Ok(_) => Ok(Response::empty()?.with_status(204)),
        Err(e) => failed(e),
    }
}
