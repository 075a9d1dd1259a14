//! The workspace's members: listed (with the admins `BACKBOARD_ADMINS` names), added, their
//! role changed, removed; every change checked by the core so an admin is always left.

use backboard_core::workspace::audit::to_millis;
use backboard_core::workspace::members::{bootstrap_admins, check, parse_email, Change, Member};
use backboard_core::workspace::Role;
use serde_json::{json, Value};
use worker::{Request, Response, Result};

use super::webcrypto::random;
use super::{body, refused, store, Ctx};
use crate::respond;
use crate::settings::secret;

fn shown(m: &Member) -> Value {
    json!({"id": m.id, "email": m.email, "role": m.role.as_str(), "added_at": m.added_at, "added_by": m.added_by})
}

fn admins(ctx: &Ctx) -> Vec<String> {
    bootstrap_admins(secret(&ctx.env, "BACKBOARD_ADMINS").as_deref()).unwrap_or_default()
}

fn role_in(v: &Value) -> std::result::Result<Role, String> {
    Role::parse(v.get("role").and_then(Value::as_str).unwrap_or(""))
}

async fn all(ctx: &Ctx) -> std::result::Result<Vec<Member>, Result<Response>> {
    store::members(&ctx.env).await.map_err(|e| respond::error(500, &format!("the members could not be read: {e}")))
}

pub async fn list(ctx: &Ctx) -> Result<Response> {
    let members = match all(ctx).await {
        Ok(m) => m,
        Err(r) => return r,
    };
    let body = json!({"members": members.iter().map(shown).collect::<Vec<_>>(), "admins": admins(ctx)});
    respond::json(200, &body.to_string())
}

/// Applies a change the core has allowed.
async fn apply(ctx: &Ctx, members: &[Member], change: Change) -> Result<Response> {
    if let Err(e) = check(members, &admins(ctx), &change) {
        return respond::error(409, &e);
    }
    let written = match &change {
        Change::Add { email, role } => {
            let hex: String = random::<8>().iter().map(|b| format!("{b:02x}")).collect();
            let m = Member {
                id: format!("m-{hex}"),
                email: email.clone(),
                role: *role,
                added_at: to_millis(ctx.now),
                added_by: ctx.caller.who.clone(),
            };
            return match store::insert_member(&ctx.env, &m).await {
                Ok(()) => respond::json(201, &shown(&m).to_string()),
                Err(e) => respond::error(500, &format!("the member was not stored: {e}")),
            };
        }
        Change::SetRole { id, role } => store::set_member_role(&ctx.env, id, *role).await,
        Change::Remove { id } => store::delete_member(&ctx.env, id).await,
    };
    match (written, change) {
        (Err(e), _) => respond::error(500, &format!("the member was not changed: {e}")),
        (Ok(_), Change::Remove { .. }) => Ok(Response::empty()?.with_status(204)),
        (Ok(_), Change::SetRole { id, .. }) => match store::members(&ctx.env).await {
            Ok(now) => now
                .iter()
                .find(|m| m.id == id)
                .map_or_else(|| refused(404), |m| respond::json(200, &shown(m).to_string())),
            Err(e) => respond::error(500, &e),
        },
        (Ok(_), Change::Add { .. }) => refused(404),
    }
}

pub async fn add(ctx: &Ctx, req: Request) -> Result<Response> {
    let given = match body(req).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let email = match parse_email(given.get("email").and_then(Value::as_str).unwrap_or("")) {
        Ok(e) => e,
        Err(e) => return respond::error(400, &e),
    };
    let role = match role_in(&given) {
        Ok(r) => r,
        Err(e) => return respond::error(400, &e),
    };
    let members = match all(ctx).await {
        Ok(m) => m,
        Err(r) => return r,
    };
    apply(ctx, &members, Change::Add { email, role }).await
}

/// The member the path names, by id (or by email).
fn named<'a>(ctx: &Ctx, members: &'a [Member]) -> Option<&'a Member> {
    let wanted = ctx.id.trim().to_ascii_lowercase();
    members.iter().find(|m| m.id == ctx.id || m.email == wanted)
}

pub async fn update(ctx: &Ctx, req: Request) -> Result<Response> {
    let given = match body(req).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let role = match role_in(&given) {
        Ok(r) => r,
        Err(e) => return respond::error(400, &e),
    };
    let members = match all(ctx).await {
        Ok(m) => m,
        Err(r) => return r,
    };
    let Some(m) = named(ctx, &members) else { return refused(404) };
    let change = Change::SetRole { id: m.id.clone(), role };
    apply(ctx, &members, change).await
}

pub async fn remove(ctx: &Ctx) -> Result<Response> {
    let members = match all(ctx).await {
        Ok(m) => m,
        Err(r) => return r,
    };
    let Some(m) = named(ctx, &members) else { return refused(404) };
    let change = Change::Remove { id: m.id.clone() };
    apply(ctx, &members, change).await
}
