//! The registry: one module per provider, and the only place that names them. The knobs of
//! each source, the state each provider keeps, which provider a request's mount prefix picks,
//! its error bodies, and the demo connections.

pub mod mittwald;
pub mod northflank;
pub mod serveravatar;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use time::OffsetDateTime;

use backboard_core::http::{Request, Response};
use backboard_core::provider::Provider;

use crate::data::Rng;
use crate::History;

pub const DEMO_SA_TOKEN: &str = "sa-demo-token";
pub const DEMO_NF_TOKEN: &str = "nf-demo-token";
pub const DEMO_MW_TOKEN: &str = "mw-demo-token";
pub const DEMO_MW_PROJECT: &str = "3f7c2a9e-1b4d-4c8e-9a2f-6d5e4c3b2a10";

/// Data knobs. Counts are per source.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    pub seed: u64,
    pub serveravatar: usize,
    pub northflank_addon: usize,
    pub northflank_destination: usize,
    pub mittwald: usize,
    /// Added to every provider response (the host sleeps; the handler stays pure).
    pub latency_ms: u64,
    /// Up to this much extra latency, drawn per request.
    pub jitter_ms: u64,
    /// Public origin the simulator is reached at, for Laravel's page URLs.
    pub origin: String,
    /// How long each phase of a long-running operation (export, restore, a backup in progress,
    /// an abort) lasts, measured with the `now` each request is answered at.
    pub operation_ms: u64,
    /// Regular histories that replace the generated backups of a source, so a health check
    /// sees exactly the freshness and failures a test asks for. Unset sources keep their data.
    /// Left out of the config's JSON while no source has one.
    #[serde(skip_serializing_if = "Histories::is_empty")]
    pub history: Histories,
}

/// A [`History`] per source, named like the counts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Histories {
    pub serveravatar: Option<History>,
    pub northflank_addon: Option<History>,
    pub northflank_destination: Option<History>,
    pub mittwald: Option<History>,
}

impl Histories {
    pub fn is_empty(&self) -> bool {
        *self == Histories::default()
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            seed: 42,
            serveravatar: 37,
            northflank_addon: 23,
            northflank_destination: 12,
            mittwald: 18,
            latency_ms: 0,
            jitter_ms: 0,
            origin: "http://127.0.0.1:8790".into(),
            operation_ms: 3000,
            history: Histories::default(),
        }
    }
}

impl Config {
    /// This config with the knobs a JSON object names replaced; the others, and the origin the
    /// host set, stay as they are.
    pub fn with_knobs(&self, json: &str) -> Result<Config, String> {
        let mut merged = serde_json::to_value(self).map_err(|e| e.to_string())?;
        match (serde_json::from_str::<Value>(json).map_err(|e| e.to_string())?, merged.as_object_mut()) {
            (Value::Object(knobs), Some(config)) => config.extend(knobs),
            _ => return Err("expected a JSON object of knobs".into()),
        }
        serde_json::from_value(merged).map_err(|e| e.to_string())
    }
}

/// Every provider's simulated state.
pub(crate) struct States {
    sa: serveravatar::State,
    nf: northflank::State,
    mw: mittwald::State,
}

impl States {
    /// Generated in [`Provider::ALL`] order from one random stream.
    pub(crate) fn generate(config: &Config, rng: &mut Rng, now: OffsetDateTime) -> Self {
        let sa = serveravatar::State::generate(config, rng, now);
        let nf = northflank::State::generate(config, rng, now);
        let mw = mittwald::State::generate(config, rng, now);
        Self { sa, nf, mw }
    }

    /// Answers a request below the provider's mount prefix (`rest` holds the path's segments).
    pub(crate) fn handle(
        &mut self,
        provider: Provider,
        request: &Request,
        rest: &[&str],
        params: &[(String, String)],
        now: OffsetDateTime,
        config: &Config,
    ) -> Response {
        match provider {
            Provider::ServerAvatar => self.sa.handle(request, rest, params, now, config),
            Provider::Northflank => self.nf.handle(request, rest, params, now, config),
            Provider::Mittwald => self.mw.handle(request, rest, params, now, config),
        }
    }
}

/// The provider's error body shape for a status; `None` (an unknown mount) gets the generic one.
pub(crate) fn error_body(provider: Option<Provider>, status: u16) -> Value {
    match (provider, status) {
        (Some(Provider::ServerAvatar), 429) => json!({"message": "Too Many Attempts."}),
        (Some(Provider::ServerAvatar), _) => json!({"message": "Something went really wrong!"}),
        (Some(Provider::Mittwald), 429) => json!({"message": "too many requests", "type": "RateLimitError"}),
        (Some(Provider::Mittwald), _) => json!({"type": "InternalServerError", "message": "internal server error"}),
        (Some(Provider::Northflank), 429) => {
            json!({"error": {"status": 429, "code": "rate_limited", "message": "Too many requests"}})
        }
        (_, _) => {
            json!({"error": {"status": status, "code": "internal_error", "message": "An internal error occurred"}})
        }
    }
}

/// A connection whose every listing fails (an organization whose API answers the documented 500),
/// for partial results in the edge API's tests.
pub fn failing_connection() -> Value {
    json!({"provider": "serveravatar", "label": "ServerAvatar broken org", "token": DEMO_SA_TOKEN,
           "organization": serveravatar::BROKEN_ORG.to_string()})
}

/// Ready-made connections for every seed endpoint, with the documents' parameter names.
pub fn demo_connections() -> Value {
    json!([
        {"provider": "serveravatar", "label": "ServerAvatar demo org", "token": DEMO_SA_TOKEN,
         "organization": serveravatar::data::SA.organization.to_string(), "server": serveravatar::data::SA.servers[0].to_string()},
        {"provider": "northflank", "label": "Northflank postgres addon", "token": DEMO_NF_TOKEN,
         "projectId": "demo-project", "addonId": "postgres-main"},
        {"provider": "northflank", "label": "Northflank offsite destination", "token": DEMO_NF_TOKEN,
         "backupDestinationId": "offsite-s3"},
        {"provider": "mittwald", "label": "mittwald shop project", "token": DEMO_MW_TOKEN, "projectId": DEMO_MW_PROJECT},
    ])
}
