//! The workspace proxy, `/api/v1/workspace/connections/{id}/proxy/{provider path}`: the
//! connection looked up, the caller's role checked for that provider route and method (the
//! core's `provider_act`), the token opened and injected, then the personal proxy's policy:
//! declared routes only, the caller's credentials and other headers stripped, redirects kept
//! under the base, the upstream time limit. Every action is recorded.

use backboard_core::http::Method;
use backboard_core::providers::find_route;
use backboard_core::proxy::{self as policy, Refusal};
use backboard_core::workspace::audit::{action, Outcome};
use backboard_core::workspace::connections::open;
use backboard_core::workspace::inject::{backup_of, credential_header, recorded, CALLER_CREDENTIALS};
use backboard_core::workspace::routes::{provider_act, provider_upstream};
use backboard_core::Provider;
use wasm_bindgen::JsCast;
use worker::js_sys::futures::JsFuture;
use worker::{js_sys, Request, Result};

use super::{audit_denied, refused, store, Ctx};
use crate::js::{copy_headers, global_fetch, js_error, NAMES};
use crate::respond;
use crate::settings::Settings;

fn plain(r: Result<worker::Response>) -> Result<web_sys::Response> {
    r.map(web_sys::Response::from)
}

pub async fn serve(ctx: &Ctx, req: Request, method: Method, connection: &str, rest: &str) -> Result<web_sys::Response> {
    if ctx.caller.decide(Some(backboard_core::workspace::Act::Read)) == Err(401) {
        return plain(refused(401));
    }
    let row = match store::connection_by_id(&ctx.env, connection).await {
        Ok(Some(r)) => r,
        Ok(None) => return plain(refused(404)),
        Err(e) => return plain(respond::error(500, &format!("the workspace could not be read: {e}"))),
    };
    ctx.on_connection(&row.id);
    let Some(provider) = Provider::from_slug(&row.provider) else { return plain(refused(404)) };
    let act = provider_act(provider, method, rest);
    let name = find_route(provider, method, rest).map_or_else(|| "unknown".into(), |r| action(provider.slug(), r.name));
    let permit = match ctx.caller.decide(act) {
        Ok(p) => p,
        Err(status) => {
            if let Some(act) = act {
                audit_denied(ctx, method, act, name).await;
            }
            return plain(refused(status));
        }
    };
    let settings = Settings::of(&ctx.env);
    let base = settings.base(provider).to_string();
    let query = (!ctx.query.is_empty()).then_some(ctx.query.as_str());
    let upstream = match provider_upstream(permit, provider, method, rest, query, &base) {
        Ok(u) => u,
        Err(r) => return plain(respond::refusal(&r)),
    };
    let keyring = match ctx.keyring() {
        Ok(k) => k,
        Err(e) => return plain(respond::error(500, &e)),
    };
    let account = match open(&row, &keyring) {
        Ok(m) => m.connection.account,
        Err(e) => return plain(respond::error(500, &format!("the connection's token does not open: {e}"))),
    };
    let forward = web_sys::Headers::new()?;
    NAMES.with(|n| copy_headers(&req.inner().headers(), &forward, &n.forward));
    for name in CALLER_CREDENTIALS {
        forward.delete(name)?;
    }
    let (header, value) = credential_header(&account);
    forward.set(header, &value)?;
    let init = web_sys::RequestInit::new();
    init.set_method(method.as_str());
    init.set_headers(&forward);
    init.set_redirect(web_sys::RequestRedirect::Manual);
    if method != Method::Get {
        let body =
            JsFuture::from(req.inner().array_buffer()?).await.unwrap_or_else(|_| js_sys::ArrayBuffer::new(0).into());
        let len = body.dyn_ref::<js_sys::ArrayBuffer>().map_or(0, |b| b.byte_length() as usize);
        if len > policy::MAX_BODY_BYTES {
            let r = Refusal { status: 413, code: "body_too_large", message: "The request body is too large".into() };
            return plain(respond::refusal(&r));
        }
        init.set_body(&body);
    }
    let signal = web_sys::AbortSignal::timeout_with_u32(settings.timeout_ms);
    init.set_signal(Some(&signal));
    let answer = JsFuture::from(global_fetch(&upstream, &init)).await;
    let (response, status) = match answer {
        Ok(a) => {
            let a = a.dyn_into::<web_sys::Response>().map_err(js_error)?;
            let status = a.status();
            (relayed(a, &base)?, status)
        }
        Err(_) => {
            let r = if signal.aborted() {
                Refusal { status: 504, code: "upstream_timeout", message: format!("{provider} did not answer in time") }
            } else {
                Refusal {
                    status: 502,
                    code: "upstream_unreachable",
                    message: format!("{provider} could not be reached"),
                }
            };
            (web_sys::Response::from(respond::refusal(&r)?), r.status)
        }
    };
    if act.is_some_and(|a| recorded(method, a)) {
        ctx.record(name, backup_of(provider, method, rest).as_deref(), Outcome::of_status(status)).await;
    }
    Ok(response)
}

/// The provider's answer with only the passed headers, a redirect kept only if it stays under
/// the base, the body streamed through.
fn relayed(answer: web_sys::Response, base: &str) -> Result<web_sys::Response> {
    let out = web_sys::Headers::new()?;
    NAMES.with(|n| copy_headers(&answer.headers(), &out, &n.pass));
    if let Some(location) = out.get("location")? {
        if !policy::redirect_stays_under(&location, base) {
            out.delete("location")?;
        }
    }
    let init = web_sys::ResponseInit::new();
    init.set_status(answer.status());
    init.set_headers(&out);
    Ok(web_sys::Response::new_with_opt_readable_stream_and_init(answer.body().as_ref(), &init)?)
}
