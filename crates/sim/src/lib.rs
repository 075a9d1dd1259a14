//! backboard-sim: the providers as pure `request -> response` functions, each mounted under
//! `/{slug}` (the core's provider facts). No I/O inside:
//! the server binary, in-process tests and the SPA's demo mode all drive [`Sim::handle`].

pub mod data;
pub mod providers;
mod route;

use serde::{Deserialize, Serialize};
use serde_json::json;
use time::OffsetDateTime;

use backboard_core::http::{parse_query, Method, Request, Response};
use backboard_core::provider::Provider;

pub use providers::{
    demo_connections, failing_connection, Config, Histories, DEMO_MW_PROJECT, DEMO_MW_TOKEN, DEMO_NF_TOKEN,
    DEMO_SA_TOKEN,
};

/// A regular history of one source, newest first: `failed` failed attempts (the newest, spread
/// evenly between now and the newest completed backup), then `completed` completed backups,
/// the newest completed `newest_age_secs` ago and each `every_secs` before the one after it
/// (each attempt started 90 s before it ended). `missing` names completed backups left out, by
/// position (0 the newest), to leave gaps in a long history. Every backup expires 60 days from
/// now; none is running, exported or restoring.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct History {
    pub completed: usize,
    pub every_secs: u64,
    pub newest_age_secs: u64,
    pub failed: usize,
    pub missing: Vec<usize>,
}

impl Default for History {
    fn default() -> Self {
        Self { completed: 3, every_secs: 86_400, newest_age_secs: 3600, failed: 0, missing: Vec::new() }
    }
}

impl History {
    /// (when it ended, completed?) of each backup, newest first, at generation time `now`.
    pub fn attempts(&self, now: OffsetDateTime) -> Vec<(OffsetDateTime, bool)> {
        let secs = |s: u64| time::Duration::seconds(i64::try_from(s).unwrap_or(i64::MAX));
        let newest = now - secs(self.newest_age_secs);
        let n = self.failed as u64 + 1;
        let failed = (1..n).map(|k| (now - secs(self.newest_age_secs * k / n), false));
        let completed = (0..self.completed as u64)
            .filter(|j| !self.missing.iter().any(|m| *m as u64 == *j))
            .map(|j| (newest - secs(self.every_secs.saturating_mul(j)), true));
        failed.chain(completed).collect()
    }
}

/// A fault to inject into matching provider requests.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fault {
    /// The provider's own error body at this status (500, 502, 503 ...).
    Status { status: u16 },
    /// 429 with Retry-After.
    RateLimit { retry_after_secs: u64 },
    /// Extra latency before answering.
    Latency { ms: u64 },
    /// The body cut off in the middle.
    Truncated,
    /// A body that is not JSON at all.
    Malformed,
    /// The connection is dropped without an answer (hosts close the socket).
    Reset,
    /// The body trickles out slowly (hosts stream it in pieces over `ms`).
    SlowBody { ms: u64 },
    /// An answer a misbehaving or hostile upstream might give: any status and headers (a
    /// redirect elsewhere, Set-Cookie, hop-by-hop headers). Used by the proxy's security tests.
    Respond {
        status: u16,
        #[serde(default)]
        headers: Vec<(String, String)>,
        #[serde(default)]
        body: String,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FaultRule {
    /// Applies to provider paths starting with this (e.g. "/northflank/"); empty = all.
    #[serde(default)]
    pub path_prefix: String,
    pub fault: Fault,
    /// How many requests it applies to; `None` = until reset.
    #[serde(default)]
    pub times: Option<u32>,
}

/// What the host must do besides sending the response.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Effects {
    pub delay_ms: u64,
    pub reset: bool,
    pub slow_body_ms: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    pub method: String,
    pub path: String,
    pub query: String,
    pub body: Option<String>,
    pub status: u16,
    /// Names of the request headers, lower-case (values stay out: they hold tokens).
    #[serde(default)]
    pub headers: Vec<String>,
}

pub struct Sim {
    config: Config,
    now: OffsetDateTime,
    rng: data::Rng,
    providers: providers::States,
    faults: Vec<FaultRule>,
    /// A ring: the oldest entry goes in O(1) once the limit is reached.
    log: std::collections::VecDeque<LogEntry>,
}

/// Request log entries kept (older ones are dropped first).
const LOG_LIMIT: usize = 10_000;

impl Sim {
    /// A simulator whose data was generated at `now`.
    pub fn new(config: Config, now: OffsetDateTime) -> Self {
        let mut rng = data::Rng::new(config.seed);
        let providers = providers::States::generate(&config, &mut rng, now);
        Self { config, now, rng, providers, faults: Vec::new(), log: Default::default() }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn log(&self) -> &std::collections::VecDeque<LogEntry> {
        &self.log
    }

    pub fn add_fault(&mut self, rule: FaultRule) {
        self.faults.push(rule);
    }

    /// Answers one request at time `now`.
    pub fn handle(&mut self, request: &Request, now: OffsetDateTime) -> (Response, Effects) {
        let pq = request.path_and_query().to_string();
        let (path, query) = match pq.split_once('?') {
            Some((p, q)) => (p.to_string(), q.to_string()),
            None => (pq.clone(), String::new()),
        };
        let params = parse_query(&query);
        let mut effects = Effects::default();
        let response = if let Some(rest) = path.strip_prefix("/_demo/") {
            return (self.demo(request, rest, &params, now), effects);
        } else if let Some(fault) = self.take_fault(&path) {
            self.apply_fault(&path, fault, &mut effects)
        } else {
            None
        };
        let response = response.unwrap_or_else(|| {
            let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
            match segments.split_first().and_then(|(slug, rest)| Some((mounted(slug)?, rest))) {
                Some((provider, rest)) => self.providers.handle(provider, request, rest, &params, now, &self.config),
                None => Response::json(404, &json!({"message": "Not Found"})),
            }
        });
        if self.config.latency_ms > 0 || self.config.jitter_ms > 0 {
            effects.delay_ms += self.config.latency_ms + self.rng.below(self.config.jitter_ms + 1);
        }
        if self.log.len() >= LOG_LIMIT {
            self.log.pop_front();
        }
        self.log.push_back(LogEntry {
            method: request.method.as_str().into(),
            path,
            query,
            body: request.body.clone(),
            status: response.status,
            headers: request.headers.iter().map(|(k, _)| k.to_ascii_lowercase()).collect(),
        });
        (response, effects)
    }

    fn take_fault(&mut self, path: &str) -> Option<Fault> {
        let i = self.faults.iter().position(|r| path.starts_with(&r.path_prefix))?;
        let rule = &mut self.faults[i];
        let fault = rule.fault.clone();
        if let Some(n) = rule.times.as_mut() {
            *n = n.saturating_sub(1);
            if *n == 0 {
                self.faults.remove(i);
            }
        }
        Some(fault)
    }

    fn apply_fault(&mut self, path: &str, fault: Fault, effects: &mut Effects) -> Option<Response> {
        let provider = path.split('/').nth(1).unwrap_or("");
        match fault {
            Fault::Status { status } => Some(provider_error(provider, status)),
            Fault::RateLimit { retry_after_secs } => {
                Some(provider_error(provider, 429).with_header("Retry-After", retry_after_secs.to_string()))
            }
            Fault::Latency { ms } => {
                effects.delay_ms += ms;
                None
            }
            Fault::Truncated => {
                Some(Response::new(200, r#"{"data": [{"id": "trunc"#).with_header("Content-Type", "application/json"))
            }
            Fault::Malformed => {
                Some(Response::new(200, "<html>Bad gateway</html>").with_header("Content-Type", "text/html"))
            }
            Fault::Reset => {
                effects.reset = true;
                Some(Response::new(0, ""))
            }
            Fault::SlowBody { ms } => {
                effects.slow_body_ms = ms;
                None
            }
            Fault::Respond { status, headers, body } => {
                Some(headers.into_iter().fold(Response::new(status, body), |r, (k, v)| r.with_header(&k, v)))
            }
        }
    }

    fn demo(&mut self, request: &Request, rest: &str, params: &[(String, String)], now: OffsetDateTime) -> Response {
        let cors = |r: Response| {
            r.with_header("Access-Control-Allow-Origin", "*")
                .with_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
                .with_header("Access-Control-Allow-Headers", "Content-Type")
        };
        let r = match (request.method, rest.trim_end_matches('/')) {
            (Method::Get, "connections") => Response::json(200, &demo_connections()),
            (Method::Post, "reset") => {
                // `?defaults` starts from the default knobs (a clean slate for a test file);
                // without it, the knobs the body does not name keep their current values.
                let base = match get_param(params, "defaults") {
                    Some(_) => Config { origin: self.config.origin.clone(), ..Config::default() },
                    None => self.config.clone(),
                };
                let config = match request.body.as_deref().filter(|b| !b.trim().is_empty()) {
                    Some(body) => match base.with_knobs(body) {
                        Ok(c) => c,
                        Err(e) => return cors(Response::json(400, &json!({"message": format!("bad config: {e}")}))),
                    },
                    None => base,
                };
                *self = Sim::new(config, now);
                Response::json(200, &json!({"message": "reset"}))
            }
            (Method::Get, "log") => Response::json(200, &self.log),
            (Method::Post, "faults") => match request.body.as_deref().map(serde_json::from_str::<FaultRule>) {
                Some(Ok(rule)) => {
                    self.faults.push(rule);
                    Response::json(200, &json!({"message": "fault added"}))
                }
                Some(Err(e)) => Response::json(400, &json!({"message": format!("bad fault: {e}")})),
                None => Response::json(400, &json!({"message": "a fault rule is required"})),
            },
            (Method::Get, "config") => Response::json(
                200,
                &json!({"config": self.config, "generatedAt": backboard_core::de::format_rfc3339(self.now)}),
            ),
            _ => Response::json(404, &json!({"message": "unknown demo route"})),
        };
        cors(r)
    }
}

/// The provider mounted at `/{slug}` (exactly, unlike the case-insensitive query filters).
fn mounted(slug: &str) -> Option<Provider> {
    Provider::ALL.into_iter().find(|p| p.slug() == slug)
}

/// The error body shape of the provider mounted at `/{slug}`, for a status.
pub fn provider_error(slug: &str, status: u16) -> Response {
    Response::json(status, &providers::error_body(mounted(slug), status))
}

pub(crate) fn get_param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// The simulator as a [`backboard_core::Transport`], in-process: no sockets, latency recorded
/// instead of slept. For tests, and for the SPA's demo mode.
pub struct InProcess {
    pub sim: std::cell::RefCell<Sim>,
    pub now: std::cell::Cell<OffsetDateTime>,
    /// Milliseconds the host would have slept (latency plus backoff).
    pub slept_ms: std::cell::Cell<u64>,
}

impl InProcess {
    pub fn new(sim: Sim, now: OffsetDateTime) -> Self {
        Self { sim: std::cell::RefCell::new(sim), now: std::cell::Cell::new(now), slept_ms: std::cell::Cell::new(0) }
    }
}

impl backboard_core::Transport for InProcess {
    async fn send(&self, request: Request) -> Result<Response, backboard_core::TransportError> {
        let (response, effects) = self.sim.borrow_mut().handle(&request, self.now.get());
        self.slept_ms.set(self.slept_ms.get() + effects.delay_ms);
        if effects.reset {
            return Err(backboard_core::TransportError::new("connection reset"));
        }
        Ok(response)
    }

    async fn sleep(&self, millis: u64) {
        self.slept_ms.set(self.slept_ms.get() + millis);
    }
}
