//! The worker: a thin fetch handler. Every decision (which upstream, which headers, which
//! origin) is made by `backboard_core::proxy` and `backboard_core::edge`; this file only does I/O.

use std::cell::OnceCell;
use std::rc::Rc;
use std::time::Duration;

use backboard_core::health::{self, Policy, SourceHealth, Unreachable};
use backboard_core::http::{
    parse_query, split_path_query, Method as CoreMethod, Request as CoreRequest, Response as CoreResponse,
    TransportError,
};
use backboard_core::monitor::{self, HealthQuery, Monitored};
use backboard_core::paging::Options;
use backboard_core::proxy::{self, Refusal};
use backboard_core::{edge, Backup, Connection, Provider};
use time::OffsetDateTime;
use wasm_bindgen::prelude::{wasm_bindgen, Closure};
use wasm_bindgen::{JsCast, JsValue};
use worker::js_sys;
use worker::js_sys::futures::JsFuture;
use worker::{
    console_error, console_log, event, AbortSignal, Delay, Env, Fetch, Headers, Method, Request, RequestInit,
    RequestRedirect, Response, Result, ScheduleContext, ScheduledEvent,
};

/// The KV binding the cron remembers the last verdicts in, and the key it uses.
const STATE_BINDING: &str = "BACKBOARD_STATE";
const STATE_KEY: &str = "monitor-state";

fn var(env: &Env, name: &str) -> Option<String> {
    env.var(name).ok().map(|v| v.to_string()).filter(|v| !v.is_empty())
}

fn secret(env: &Env, name: &str) -> Option<String> {
    env.secret(name).ok().map(|v| v.to_string()).or_else(|| var(env, name)).filter(|v| !v.is_empty())
}

/// The worker's configuration, read from the environment once per isolate: an isolate's bindings
/// are fixed for its life, and reading them was three JS lookups (one failing) on every request.
struct Settings {
    allowed_origins: Vec<String>,
    /// Each provider's API base, in `Provider::ALL` order.
    bases: [String; 3],
    /// The upstream time limit: `UPSTREAM_TIMEOUT_MS` if configured (tests shorten it), else the
    /// core's default.
    timeout_ms: u32,
}

thread_local!(static SETTINGS: OnceCell<Rc<Settings>> = const { OnceCell::new() });

impl Settings {
    fn read(env: &Env) -> Self {
        let base = |provider: Provider| {
            let name = match provider {
                Provider::ServerAvatar => "SERVERAVATAR_BASE",
                Provider::Northflank => "NORTHFLANK_BASE",
                Provider::Mittwald => "MITTWALD_BASE",
            };
            var(env, name).unwrap_or_else(|| provider.default_base().to_string())
        };
        Settings {
            allowed_origins: proxy::parse_origins(&var(env, "ALLOWED_ORIGINS").unwrap_or_default()),
            bases: Provider::ALL.map(base),
            timeout_ms: var(env, "UPSTREAM_TIMEOUT_MS")
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| u32::try_from(proxy::UPSTREAM_TIMEOUT_MS).unwrap_or(u32::MAX)),
        }
    }

    fn of(env: &Env) -> Rc<Settings> {
        SETTINGS.with(|s| s.get_or_init(|| Rc::new(Settings::read(env))).clone())
    }

    /// The configured API base of a provider; the real one unless the config points elsewhere.
    fn base(&self, provider: Provider) -> &str {
        &self.bases[provider as usize]
    }
}

fn base_of(env: &Env, provider: Provider) -> String {
    Settings::of(env).base(provider).to_string()
}

fn timeout_ms(env: &Env) -> u32 {
    Settings::of(env).timeout_ms
}

fn json_response(status: u16, body: &str) -> Result<Response> {
    let headers = Headers::new();
    headers.set("Content-Type", "application/json")?;
    Ok(Response::from_bytes(body.as_bytes().to_vec())?.with_status(status).with_headers(headers))
}

fn refusal(r: &Refusal) -> Result<Response> {
    json_response(r.status, &r.to_json())
}

/// The header names and values the proxy sets on every answer, as JS strings made once per
/// isolate: a Rust `&str` handed to JS is decoded anew on every call.
struct Names {
    forward: js_sys::Array,
    pass: js_sys::Array,
    origin: js_sys::JsString,
    vary: js_sys::JsString,
    allow_origin: js_sys::JsString,
    expose: js_sys::JsString,
    expose_value: js_sys::JsString,
    location: js_sys::JsString,
}

thread_local! {
    static NAMES: Names = {
        let array = |names: &[&str]| names.iter().map(|n| JsValue::from(*n)).collect::<js_sys::Array>();
        Names {
            forward: array(proxy::FORWARD_REQUEST_HEADERS),
            pass: array(proxy::PASS_RESPONSE_HEADERS),
            origin: "Origin".into(),
            vary: "Vary".into(),
            allow_origin: "Access-Control-Allow-Origin".into(),
            expose: "Access-Control-Expose-Headers".into(),
            expose_value: proxy::EXPOSE_HEADERS.into(),
            location: "location".into(),
        }
    };
}

/// The upstream answer's continuations, made once per isolate; each request binds its own
/// context to them in `relay`.
struct Continuations {
    answered: Closure<dyn FnMut(JsValue, JsValue, JsValue, u32) -> JsValue>,
    failed: Closure<dyn FnMut(JsValue, JsValue, JsValue, u32) -> JsValue>,
}

thread_local! {
    static CONTINUATIONS: Continuations = Continuations {
        answered: Closure::new(|answer: JsValue, origin: JsValue, _signal: JsValue, provider: u32| {
            or_internal_error(answered(answer, &origin, Provider::ALL[provider as usize]))
        }),
        failed: Closure::new(|_error: JsValue, origin: JsValue, signal: JsValue, provider: u32| {
            let provider = Provider::ALL[provider as usize];
            let refused = if signal.unchecked_ref::<web_sys::AbortSignal>().aborted() {
                Refusal { status: 504, code: "upstream_timeout", message: format!("{provider} did not answer in time") }
            } else {
                Refusal {
                    status: 502,
                    code: "upstream_unreachable",
                    message: format!("{provider} could not be reached"),
                }
            };
            or_internal_error(edge_response(refusal(&refused), &origin))
        }),
    };
}

#[wasm_bindgen(inline_js = "
export function copy_headers(from, to, names) {
  for (const name of names) { const value = from.get(name); if (value !== null) to.set(name, value); }
}
export function relay(answer, answered, failed, origin, signal, provider) {
  return answer.then(a => answered(a, origin, signal, provider), e => failed(e, origin, signal, provider));
}")]
extern "C" {
    /// Copies the named headers that are present from one set to the other, in one call (the
    /// proxy checks 14 names per request).
    fn copy_headers(from: &web_sys::Headers, to: &web_sys::Headers, names: &js_sys::Array);
    /// `answer.then(...)` with this request's context bound to the shared continuations: no
    /// Rust future, no closure made per request.
    fn relay(
        answer: &js_sys::Promise,
        answered: &JsValue,
        failed: &JsValue,
        origin: &JsValue,
        signal: &JsValue,
        provider: u32,
    ) -> js_sys::Promise;
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(url: &str, init: &web_sys::RequestInit) -> js_sys::Promise;

    /// `Headers`, with get/set/append taking the name and the value as JS strings.
    #[wasm_bindgen(js_name = Headers)]
    type RawHeaders;
    #[wasm_bindgen(method, js_name = get)]
    fn get_js(this: &RawHeaders, name: &js_sys::JsString) -> JsValue;
    #[wasm_bindgen(method, catch, js_name = set)]
    fn set_js(this: &RawHeaders, name: &js_sys::JsString, value: &JsValue) -> std::result::Result<(), JsValue>;
    #[wasm_bindgen(method, catch, js_name = append)]
    fn append_js(this: &RawHeaders, name: &js_sys::JsString, value: &JsValue) -> std::result::Result<(), JsValue>;
}

/// Adds the CORS grant for an allowed origin (a JS string, or undefined), and `Vary: Origin` always.
fn grant_cors(headers: &web_sys::Headers, origin: &JsValue) -> Result<()> {
    let headers = headers.unchecked_ref::<RawHeaders>();
    NAMES
        .with(|n| {
            headers.append_js(&n.vary, &n.origin)?;
            if !origin.is_undefined() {
                headers.set_js(&n.allow_origin, origin)?;
                headers.set_js(&n.expose, &n.expose_value)?;
            }
            Ok(())
        })
        .map_err(js_error)
}

/// A failed handler's answer, as `#[event(fetch)]`'s glue gave it: the error logged, a bare 500.
fn or_internal_error(response: Result<web_sys::Response>) -> JsValue {
    response
        .or_else(|e| {
            console_error!("{e}");
            Response::error("INTERNAL SERVER ERROR", 500).map(web_sys::Response::from)
        })
        .map_or(JsValue::UNDEFINED, JsValue::from)
}

/// The worker's fetch entry. It is written out instead of `#[event(fetch)]` because the proxy
/// is the hot path: it answers with the upstream fetch's own promise and shared continuations,
/// where the macro's async export ran a Rust future and its microtask queue per request. It
/// works on the runtime's own Request and Response too: `worker::Request`'s conversion reads
/// `request.cf` and re-parses the URL on every call. The edge API converts once.
#[wasm_bindgen(js_name = fetch)]
pub fn fetch(req: web_sys::Request, env: Env, _ctx: worker::worker_sys::Context) -> js_sys::Promise {
    let settings = Settings::of(&env);
    let headers = req.headers();
    // The origin stays a JS string: it is compared here and echoed back as it came.
    let origin = NAMES.with(|n| headers.unchecked_ref::<RawHeaders>().get_js(&n.origin));
    let granted = origin
        .as_string()
        .is_some_and(|o| !o.is_empty() && proxy::granted_origin(Some(&o), &settings.allowed_origins).is_some());
    let origin = if granted { origin } else { JsValue::UNDEFINED };
    let url = req.url();
    let (path, query) = split_path_query(&url);
    let method = req.method();

    let immediate = if method == "OPTIONS" {
        preflight(&headers, &origin)
    } else if path.starts_with("/proxy/") {
        match proxy_request(req, &headers, &settings, &method, path, query, origin.clone()) {
            Ok(Ok(relayed)) => return relayed,
            Ok(Err(refused)) => edge_response(refusal(&refused), &origin),
            Err(e) => Err(e),
        }
    } else {
        let query = query.unwrap_or("").to_string();
        let path = path.to_string();
        return worker::wasm_bindgen_futures::future_to_promise(async move {
            let req = Request::from(req);
            let response = if path == "/api/v1/health" {
                health(&env)
            } else if path == "/api/v1/backups/health" {
                backups_health(&req, &env, &query).await
            } else if path == "/api/v1/backups" {
                backups(&req, &env, &query).await
            } else {
                refusal(&Refusal { status: 404, code: "not_found", message: "No such route".into() })
            };
            Ok(or_internal_error(edge_response(response, &origin)))
        });
    };
    js_sys::Promise::resolve(&or_internal_error(immediate))
}

/// A CORS preflight: granted only to an allowed origin asking for what the proxy allows.
fn preflight(headers: &web_sys::Headers, origin: &JsValue) -> Result<web_sys::Response> {
    let out = web_sys::Headers::new()?;
    let raw = out.unchecked_ref::<RawHeaders>();
    NAMES.with(|n| raw.set_js(&n.vary, &n.origin)).map_err(js_error)?;
    let ok = !origin.is_undefined()
        && proxy::preflight_ok(
            headers.get("Access-Control-Request-Method")?.as_deref(),
            headers.get("Access-Control-Request-Headers")?.as_deref(),
        );
    if ok {
        NAMES.with(|n| raw.set_js(&n.allow_origin, origin)).map_err(js_error)?;
        out.set("Access-Control-Allow-Methods", proxy::ALLOW_METHODS)?;
        out.set("Access-Control-Allow-Headers", proxy::ALLOW_REQUEST_HEADERS)?;
        out.set("Access-Control-Max-Age", "600")?;
    }
    let init = web_sys::ResponseInit::new();
    init.set_status(if ok { 204 } else { 403 });
    init.set_headers(&out);
    Ok(web_sys::Response::new_with_opt_str_and_init(None, &init)?)
}

/// A `worker::Response` of the edge API (or a refusal) as the runtime's, with the CORS grant.
fn edge_response(response: Result<Response>, origin: &JsValue) -> Result<web_sys::Response> {
    let response = web_sys::Response::from(response?);
    grant_cors(&response.headers(), origin)?;
    Ok(response)
}

fn js_error(e: JsValue) -> worker::Error {
    worker::Error::from(e)
}

/// Forwards one allowed call upstream and relays the answer; `Ok(Err(refusal))` when the proxy
/// itself says no (route, method). A call with a body waits for it (and measures it) first.
fn proxy_request(
    req: web_sys::Request,
    headers: &web_sys::Headers,
    settings: &Rc<Settings>,
    method_name: &str,
    path: &str,
    query: Option<&str>,
    origin: JsValue,
) -> Result<std::result::Result<js_sys::Promise, Refusal>> {
    let Some(method) = CoreMethod::parse(method_name) else {
        return Ok(Err(Refusal { status: 405, code: "method_not_allowed", message: "Method not allowed".into() }));
    };
    let (provider, upstream) = match proxy::upstream_url(method, path, query, |p| settings.base(p).to_string()) {
        Ok(v) => v,
        Err(r) => return Ok(Err(r)),
    };
    let forward = web_sys::Headers::new()?;
    NAMES.with(|n| copy_headers(headers, &forward, &n.forward));
    let init = web_sys::RequestInit::new();
    init.set_method(method_name);
    init.set_headers(&forward);
    init.set_redirect(web_sys::RequestRedirect::Manual);
    if method == CoreMethod::Get {
        return Ok(Ok(send(&upstream, &init, provider, &origin, settings.timeout_ms)));
    }
    let timeout = settings.timeout_ms;
    Ok(Ok(worker::wasm_bindgen_futures::future_to_promise(async move {
        // The body stays a JS buffer: measured, then handed on as it is.
        let body = match req.array_buffer() {
            Ok(promise) => JsFuture::from(promise).await.unwrap_or_else(|_| js_sys::ArrayBuffer::new(0).into()),
            Err(_) => js_sys::ArrayBuffer::new(0).into(),
        };
        let len = body.dyn_ref::<js_sys::ArrayBuffer>().map_or(0, |b| b.byte_length() as usize);
        if len > proxy::MAX_BODY_BYTES {
            let refused =
                Refusal { status: 413, code: "body_too_large", message: "The request body is too large".into() };
            return Ok(or_internal_error(edge_response(refusal(&refused), &origin)));
        }
        init.set_body(&body);
        JsFuture::from(send(&upstream, &init, provider, &origin, timeout)).await
    })))
}

/// Sends the upstream request; the answer (or the 502/504 refusal) arrives through the shared
/// continuations.
fn send(
    upstream: &str,
    init: &web_sys::RequestInit,
    provider: Provider,
    origin: &JsValue,
    timeout_ms: u32,
) -> js_sys::Promise {
    // The limit is the runtime's own AbortSignal.timeout: no timer racing every request. It
    // covers the whole exchange, so a body that trickles past the limit is cut off too.
    let signal = web_sys::AbortSignal::timeout_with_u32(timeout_ms);
    init.set_signal(Some(&signal));
    CONTINUATIONS.with(|c| {
        relay(&global_fetch(upstream, init), c.answered.as_ref(), c.failed.as_ref(), origin, &signal, provider as u32)
    })
}

/// The upstream answer as the browser gets it: the passed headers, the CORS grant, the body
/// streamed through untouched.
fn answered(answer: JsValue, origin: &JsValue, provider: Provider) -> Result<web_sys::Response> {
    let answer = answer.dyn_into::<web_sys::Response>().map_err(js_error)?;
    let out = web_sys::Headers::new()?;
    NAMES.with(|n| {
        copy_headers(&answer.headers(), &out, &n.pass);
        // A redirect is passed back, never followed, and only if it stays under the base.
        let raw = out.unchecked_ref::<RawHeaders>();
        match raw.get_js(&n.location).as_string() {
            Some(location)
                if !SETTINGS
                    .with(|s| s.get().is_some_and(|s| proxy::redirect_stays_under(&location, s.base(provider)))) =>
            {
                out.delete("location")
            }
            _ => Ok(()),
        }
    })?;
    grant_cors(&out, origin)?;
    let init = web_sys::ResponseInit::new();
    init.set_status(answer.status());
    init.set_headers(&out);
    Ok(web_sys::Response::new_with_opt_readable_stream_and_init(answer.body().as_ref(), &init)?)
}

/// Fetches upstream; `Ok(None)` when no answer came within the upstream time limit.
async fn fetch_with_timeout(req: Request, limit_ms: u32) -> Result<Option<Response>> {
    let signal = AbortSignal::from(web_sys::AbortSignal::timeout_with_u32(limit_ms));
    match Fetch::Request(req).send_with_signal(&signal).await {
        Ok(response) => Ok(Some(response)),
        Err(_) if signal.aborted() => Ok(None),
        Err(e) => Err(e),
    }
}

fn js_bytes(body: &[u8]) -> JsValue {
    worker::js_sys::Uint8Array::from(body).into()
}

fn sources(env: &Env) -> std::result::Result<Vec<Monitored>, String> {
    match secret(env, "BACKBOARD_SOURCES") {
        None => Ok(Vec::new()),
        Some(s) => monitor::parse_sources(&s),
    }
}

fn health(env: &Env) -> Result<Response> {
    let configured: Vec<serde_json::Value> = sources(env)
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
    json_response(200, &body.to_string())
}

/// The core's transport over the worker's fetch.
struct WorkerTransport {
    timeout_ms: u32,
}

impl backboard_core::Transport for WorkerTransport {
    async fn send(&self, request: CoreRequest) -> std::result::Result<CoreResponse, TransportError> {
        let err = |e: worker::Error| TransportError::new(e.to_string());
        let headers = Headers::new();
        for (k, v) in &request.headers {
            headers.set(k, v).map_err(err)?;
        }
        let mut init = RequestInit::new();
        let method = Method::from(request.method.as_str().to_string());
        init.with_method(method).with_headers(headers).with_redirect(RequestRedirect::Manual);
        if let Some(body) = &request.body {
            init.with_body(Some(js_bytes(body.as_bytes())));
        }
        let req = Request::new_with_init(&request.url, &init).map_err(err)?;
        let Some(mut resp) = fetch_with_timeout(req, self.timeout_ms).await.map_err(err)? else {
            return Err(TransportError::new("timed out"));
        };
        let mut out = CoreResponse::new(resp.status_code(), resp.bytes().await.map_err(err)?);
        for (k, v) in resp.headers().entries() {
            out.headers.push((k, v));
        }
        Ok(out)
    }

    async fn sleep(&self, millis: u64) {
        Delay::from(Duration::from_millis(millis)).await
    }
}

/// 401 with the reason unless the request carries the configured key.
fn unauthorized(req: &Request, env: &Env) -> Result<Option<Response>> {
    let key = secret(env, "BACKBOARD_API_KEY");
    if edge::authorized(req.headers().get("Authorization")?.as_deref(), key.as_deref()) {
        return Ok(None);
    }
    let mut r = json_response(
        401,
        &serde_json::json!({"error": "a valid Authorization: Bearer <BACKBOARD_API_KEY> is required"}).to_string(),
    )?;
    r.headers_mut().set("WWW-Authenticate", "Bearer")?;
    Ok(Some(r))
}

/// Lists every given connection at once, each with its own outcome.
async fn list_each<'a>(
    env: &Env,
    connections: &[&'a Connection],
) -> Vec<(&'a Connection, std::result::Result<Vec<Backup>, backboard_core::Error>)> {
    let options = Options::default();
    let transport = WorkerTransport { timeout_ms: timeout_ms(env) };
    futures::future::join_all(connections.iter().map(|c| {
        let base = base_of(env, c.provider());
        let (options, transport) = (&options, &transport);
        async move { (*c, c.list_backups(transport, &base, options, &mut |_| {}).await) }
    }))
    .await
}

async fn backups(req: &Request, env: &Env, query: &str) -> Result<Response> {
    if let Some(refused) = unauthorized(req, env)? {
        return Ok(refused);
    }
    let pairs = parse_query(query);
    let filter = match edge::Filter::from_query(&pairs) {
        Ok(f) => f,
        Err(e) => return json_response(400, &serde_json::json!({"error": e}).to_string()),
    };
    let monitored = match sources(env) {
        Ok(c) => c,
        Err(e) => return json_response(500, &serde_json::json!({"error": e}).to_string()),
    };
    let wanted: Vec<&Connection> = monitored
        .iter()
        .map(|m| &m.connection)
        .filter(|c| filter.provider.is_none_or(|p| p == c.provider()))
        .filter(|c| filter.source.as_ref().is_none_or(|s| *s == c.source().id || *s == c.label))
        .collect();
    let mut all = Vec::new();
    let mut errors = Vec::new();
    for (c, result) in list_each(env, &wanted).await {
        match result {
            Ok(list) => all.extend(list.into_iter().filter(|b| filter.matches(b))),
            Err(e) => errors
                .push(serde_json::json!({"source": c.label, "provider": c.provider().slug(), "error": e.to_string()})),
        }
    }
    let csv = pairs.iter().any(|(k, v)| k == "format" && v == "csv");
    if csv {
        let headers = Headers::new();
        headers.set("Content-Type", "text/csv; charset=utf-8")?;
        if !errors.is_empty() {
            headers.set("X-Backboard-Errors", &serde_json::Value::Array(errors).to_string())?;
        }
        return Ok(Response::from_bytes(edge::to_csv(&all).into_bytes())?.with_headers(headers));
    }
    let body = serde_json::json!({"backups": all, "errors": errors, "count": all.len()});
    json_response(200, &body.to_string())
}

/// The runtime's clock (wasm32-unknown-unknown has no system time of its own).
fn now() -> OffsetDateTime {
    let nanos = (worker::js_sys::Date::now() * 1_000_000.0) as i128;
    OffsetDateTime::from_unix_timestamp_nanos(nanos).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// The core's verdicts for these sources: each listed, a failed listing is Unknown with its error.
async fn evaluate(env: &Env, monitored: &[&Monitored], now: OffsetDateTime) -> Vec<SourceHealth> {
    let connections: Vec<&Connection> = monitored.iter().map(|m| &m.connection).collect();
    let mut backups = Vec::new();
    let mut failed = Vec::new();
    for (c, result) in list_each(env, &connections).await {
        match result {
            Ok(list) => backups.extend(list),
            Err(error) => failed.push(Unreachable { provider: c.provider(), source: c.source(), error }),
        }
    }
    // The provider's own schedules say how often a source should back up (mittwald's list;
    // an unreadable one leaves the source to its threshold and its backups).
    let transport = WorkerTransport { timeout_ms: timeout_ms(env) };
    let expectations: Vec<_> = futures::future::join_all(monitored.iter().map(|m| {
        let (transport, base) = (&transport, base_of(env, m.connection.provider()));
        async move {
            let mut e = m.expectation();
            e.schedules = m.connection.schedules(transport, &base).await.unwrap_or_default();
            e
        }
    }))
    .await;
    health::evaluate_with_failures(&backups, &failed, &expectations, now, &Policy::default())
}

/// `GET /api/v1/backups/health`: every source's verdict; `?strict=1` makes a failing source a
/// 503 (see [`HealthQuery`]).
async fn backups_health(req: &Request, env: &Env, query: &str) -> Result<Response> {
    if !matches!(req.method(), Method::Get | Method::Head) {
        let mut r = json_response(405, &serde_json::json!({"error": "use GET"}).to_string())?;
        r.headers_mut().set("Allow", "GET, HEAD")?;
        return Ok(r);
    }
    if let Some(refused) = unauthorized(req, env)? {
        return Ok(refused);
    }
    let q = match HealthQuery::from_query(&parse_query(query)) {
        Ok(q) => q,
        Err(e) => return json_response(400, &serde_json::json!({"error": e}).to_string()),
    };
    let monitored = match sources(env) {
        Ok(m) => m,
        Err(e) => return json_response(500, &serde_json::json!({"error": e}).to_string()),
    };
    let wanted: Vec<&Monitored> = monitored.iter().filter(|m| q.wants(m)).collect();
    let at = now();
    let judged = evaluate(env, &wanted, at).await;
    let mut r = json_response(q.status(health::worst(&judged)), &monitor::health_body(&judged, at).to_string())?;
    r.headers_mut().set("Cache-Control", "no-store")?;
    Ok(r)
}

/// The Cron Trigger: judges every configured source and posts to `WEBHOOK_URL` (Slack-compatible
/// JSON) when a verdict changed since the last run. The last verdicts live in KV and are
/// replaced only once the message is delivered, so a failing webhook hears the change next run.
#[event(scheduled)]
pub async fn scheduled(event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    if let Err(e) = check_and_notify(&env).await {
        console_error!("backboard cron ({}): {e}", event.cron());
    }
}

async fn check_and_notify(env: &Env) -> std::result::Result<(), String> {
    let kv = env
        .kv(STATE_BINDING)
        .map_err(|e| format!("the KV binding {STATE_BINDING} is missing ({e}); nothing was checked"))?;
    let monitored = sources(env)?;
    let stored = kv.get(STATE_KEY).text().await.map_err(|e| format!("reading {STATE_KEY}: {e}"))?;
    let previous = monitor::State::from_stored(stored.as_deref()).unwrap_or_else(|e| {
        console_error!("backboard cron: {e}; starting over");
        monitor::State::default()
    });
    let all: Vec<&Monitored> = monitored.iter().collect();
    let plan = monitor::plan(&previous, &evaluate(env, &all, now()).await);
    if let Some(message) = &plan.message {
        match secret(env, "WEBHOOK_URL") {
            Some(url) => post_webhook(env, &url, message).await?,
            None => console_log!("backboard cron: no WEBHOOK_URL is configured; the change was: {message}"),
        }
    }
    if plan.must_store(&previous) {
        let put = kv.put(STATE_KEY, plan.next.to_stored()).map_err(|e| e.to_string())?;
        put.execute().await.map_err(|e| format!("storing {STATE_KEY}: {e}"))?;
    }
    Ok(())
}

/// Posts once; anything but a 2xx answer in time is an error (and the state stays unchanged).
async fn post_webhook(env: &Env, url: &str, body: &str) -> std::result::Result<(), String> {
    let headers = Headers::new();
    headers.set("Content-Type", "application/json").map_err(|e| e.to_string())?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_headers(headers).with_body(Some(js_bytes(body.as_bytes())));
    let req = Request::new_with_init(url, &init).map_err(|e| format!("the webhook URL is not usable: {e}"))?;
    match fetch_with_timeout(req, timeout_ms(env)).await {
        Ok(Some(r)) if (200..300).contains(&r.status_code()) => Ok(()),
        Ok(Some(r)) => Err(format!("the webhook answered {}; the change will be sent again next run", r.status_code())),
        Ok(None) => Err("the webhook did not answer in time; the change will be sent again next run".into()),
        Err(e) => Err(format!("the webhook could not be reached ({e}); the change will be sent again next run")),
    }
}
