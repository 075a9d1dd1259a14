//! `GET /api/v1/backups`: every configured source's backups as JSON or CSV, filtered by the
//! query; a source that fails is named in `errors`, never dropped silently.

use backboard_core::http::parse_query;
use backboard_core::{edge, Connection};
use worker::{Headers, Response, Result};

use super::auth::unauthorized;
use super::Call;
use crate::respond;
use crate::sources::{self, list_each};

pub async fn get(call: Call) -> Result<Response> {
    let Call { req, env, query, .. } = &call;
    if let Some(refused) = unauthorized(req, env)? {
        return Ok(refused);
    }
    let pairs = parse_query(query);
    let filter = match edge::Filter::from_query(&pairs) {
        Ok(f) => f,
        Err(e) => return respond::error(400, &e),
    };
    let monitored = match sources::all(env).await {
        Ok(c) => c,
        Err(e) => return respond::error(500, &e),
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
    respond::json(200, &body.to_string())
}
