//! The team's workspace, `/api/v1/workspace/...`: who calls (`identity`), what their role may
//! do (the core's route table and `Caller::decide`, default deny), the handlers over D1
//! (`store`), the proxy to the providers by connection id (`relay`), and the audit entry of
//! every action.

mod audit;
mod connections;
pub mod cors;
mod identity;
mod import;
mod keys;
mod members;
mod monitored;
mod relay;
mod store;
mod webcrypto;

pub use monitored::{monitored, upkeep};

use std::cell::RefCell;

use backboard_core::http::{decode_component, Method};
use backboard_core::workspace::audit::{action, Outcome, Via};
use backboard_core::workspace::caller::Caller;
use backboard_core::workspace::inject::recorded;
use backboard_core::workspace::keyring::Keyring;
use backboard_core::workspace::routes::{classify, Call, WORKSPACE_ROUTES};
use backboard_core::workspace::Act;
use time::OffsetDateTime;
use wasm_bindgen::JsValue;
use worker::{console_error, js_sys, Env, Request, Response, Result};

use crate::respond::{self, or_internal_error};
use crate::settings::secret;
use crate::verdicts::now;

/// Where the workspace's routes live.
pub const PREFIX: &str = "/api/v1/workspace/";

/// What a handler gets: the request, the caller (permitted), the time, the route's id segment
/// (decoded; empty when it has none), the query, and the connection the audit entry names.
pub struct Ctx {
    pub env: Env,
    pub caller: Caller,
    pub now: OffsetDateTime,
    pub id: String,
    pub query: String,
    pub connection: RefCell<Option<String>>,
}

impl Ctx {
    /// The keyring from `BACKBOARD_SEAL_KEYS`, or the reason there is none.
    pub fn keyring(&self) -> std::result::Result<Keyring, String> {
        Keyring::parse(&secret(&self.env, "BACKBOARD_SEAL_KEYS").unwrap_or_default()).map_err(|e| e.to_string())
    }

    /// Names the connection in the audit entry.
    pub fn on_connection(&self, id: &str) {
        *self.connection.borrow_mut() = Some(id.to_string());
    }

    /// Records an action's entry; a log line if it cannot be written (the action stands).
    pub async fn record(&self, action: String, backup: Option<&str>, outcome: Outcome) {
        let connection = self.connection.borrow().clone();
        let entry = self.caller.entry(action, connection.as_deref(), backup, outcome, self.now);
        if let Err(e) = store::insert_entry(&self.env, &entry).await {
            console_error!("backboard workspace: the audit entry of {} was not written: {e}", entry.action);
        }
    }
}

/// Answers one workspace request, with the CORS grant (and credentials) for `origin`.
pub fn serve(
    req: web_sys::Request,
    env: Env,
    method: &str,
    path: &str,
    query: Option<&str>,
    origin: JsValue,
) -> js_sys::Promise {
    let (method, path, query) = (method.to_string(), path.to_string(), query.unwrap_or("").to_string());
    worker::wasm_bindgen_futures::future_to_promise(async move {
        let answered = answer(req, env, &method, &path, query).await;
        let granted = answered.and_then(|r| cors::grant(&r, &origin).map(|()| r));
        Ok(or_internal_error(granted))
    })
}

fn plain(r: Result<Response>) -> Result<web_sys::Response> {
    r.map(web_sys::Response::from)
}

/// A refusal that says only its status.
pub fn refused(status: u16) -> Result<Response> {
    let message = match status {
        401 => "sign in through Cloudflare Access, or send a workspace API key",
        403 => "your role does not permit this",
        404 => "no such route",
        _ => "refused",
    };
    let mut r = respond::error(status, message)?;
    if status == 401 {
        r.headers_mut().set("WWW-Authenticate", "Bearer")?;
    }
    Ok(r)
}

/// The methods a workspace path answers, if it is one.
fn allowed_methods(path: &str) -> Vec<&'static str> {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    WORKSPACE_ROUTES.iter().filter(|r| r.fits(&segments)).map(|r| r.method.as_str()).collect()
}

async fn answer(
    req: web_sys::Request,
    env: Env,
    method_name: &str,
    path: &str,
    query: String,
) -> Result<web_sys::Response> {
    let method = Method::parse(method_name);
    let call = method.map_or(Call::Unknown, |m| classify(m, path));
    let (Some(method), false) = (method, call == Call::Unknown) else {
        let allow = allowed_methods(path);
        if allow.is_empty() {
            return plain(refused(404));
        }
        let mut r = respond::error(405, &format!("method not allowed; use {}", allow.join(" or ")))?;
        r.headers_mut().set("Allow", &allow.join(", "))?;
        return plain(Ok(r));
    };
    let now = now();
    let req = Request::from(req);
    let caller = match identity::caller(&env, req.headers(), now).await {
        Ok(c) => c,
        Err(e) => return plain(respond::error(500, &format!("the workspace could not be read: {e}"))),
    };
    let id = path.trim_start_matches('/').split('/').nth(4).map(decode_component).unwrap_or_default();
    let ctx = Ctx { env, caller, now, id, query, connection: RefCell::new(None) };
    match call {
        Call::Route(route) => {
            let act = route.act;
            if matches!(route.name, "update_connection" | "remove_connection") {
                ctx.on_connection(&ctx.id);
            }
            let response = match ctx.caller.decide(Some(act)) {
                Err(status) => {
                    audit_denied(&ctx, method, act, action("workspace", route.name)).await;
                    return plain(refused(status));
                }
                Ok(_permit) => dispatch(route.name, &ctx, req).await,
            };
            if recorded(method, act) {
                let outcome = match &response {
                    Ok(r) => Outcome::of_status(r.status_code()),
                    Err(_) => Outcome::Failed(500),
                };
                ctx.record(action("workspace", route.name), None, outcome).await;
            }
            plain(response)
        }
        Call::Proxy { connection, rest } => relay::serve(&ctx, req, method, connection, rest).await,
        Call::Unknown => plain(refused(404)),
    }
}

/// A refused action of a known caller is recorded too (who tried); an anonymous one is not.
pub async fn audit_denied(ctx: &Ctx, method: Method, act: Act, action: String) {
    if ctx.caller.via != Via::Anonymous && recorded(method, act) {
        ctx.record(action, None, Outcome::Denied).await;
    }
}

async fn dispatch(name: &str, ctx: &Ctx, req: Request) -> Result<Response> {
    match name {
        "me" => me(ctx),
        "list_connections" => connections::list(ctx).await,
        "add_connection" => connections::add(ctx, req).await,
        "update_connection" => connections::update(ctx, req).await,
        "remove_connection" => connections::remove(ctx).await,
        "list_members" => members::list(ctx).await,
        "add_member" => members::add(ctx, req).await,
        "update_member" => members::update(ctx, req).await,
        "remove_member" => members::remove(ctx).await,
        "list_keys" => keys::list(ctx).await,
        "create_key" => keys::create(ctx, req).await,
        "revoke_key" => keys::revoke(ctx).await,
        "audit_log" => audit::get(ctx).await,
        "import_sources" => import::sources(ctx).await,
        "reseal_tokens" => import::reseal(ctx).await,
        // A route the core declares without a handler here is refused, not guessed at.
        _ => refused(404),
    }
}

fn me(ctx: &Ctx) -> Result<Response> {
    let c = &ctx.caller;
    let body = serde_json::json!({
        "email": c.who,
        "role": c.role.map(|r| r.as_str()),
        "via": c.via.as_str(),
    });
    respond::json(200, &body.to_string())
}

/// A JSON request body as a value, or the 400 that says why not.
pub async fn body(mut req: Request) -> std::result::Result<serde_json::Value, Result<Response>> {
    let text = req.text().await.map_err(|_| respond::error(400, "the request body could not be read"))?;
    if text.len() > backboard_core::proxy::MAX_BODY_BYTES {
        return Err(respond::error(413, "the request body is too large"));
    }
    serde_json::from_str(&text).map_err(|e| respond::error(400, &format!("the body is not JSON: {e}")))
}
