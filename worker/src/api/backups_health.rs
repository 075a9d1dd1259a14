//! `GET /api/v1/backups/health`: every source's verdict; `?strict=1` makes a failing source a
//! 503 (see [`HealthQuery`]).

use backboard_core::health;
use backboard_core::http::parse_query;
use backboard_core::monitor::{self, HealthQuery, Monitored};
use worker::{Response, Result};

use super::auth::unauthorized;
use super::Call;
use crate::respond;
use crate::sources;
use crate::verdicts::{evaluate, now};

pub async fn get(call: Call) -> Result<Response> {
    let Call { req, env, query, .. } = &call;
    if let Some(refused) = unauthorized(req, env)? {
        return Ok(refused);
    }
    let q = match HealthQuery::from_query(&parse_query(query)) {
        Ok(q) => q,
        Err(e) => return respond::error(400, &e),
    };
    let monitored = match sources::all(env).await {
        Ok(m) => m,
        Err(e) => return respond::error(500, &e),
    };
    let wanted: Vec<&Monitored> = monitored.iter().filter(|m| q.wants(m)).collect();
    let at = now();
    let judged = evaluate(env, &wanted, at).await;
    let mut r = respond::json(q.status(health::worst(&judged)), &monitor::health_body(&judged, at).to_string())?;
    r.headers_mut().set("Cache-Control", "no-store")?;
    Ok(r)
}
