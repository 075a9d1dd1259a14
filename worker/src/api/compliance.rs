//! `GET /api/v1/compliance?days=`: each configured source's met, missed, failed and no-data days
//! and its percentage over the last `days` UTC days up to today, as JSON or CSV.

use backboard_core::history::{
    compliance_csv, compliance_json, days_from_query, utc_day, Range, Ratio, SourceCompliance,
};
use backboard_core::http::parse_query;
use time::Duration;
use worker::{Response, Result};

use super::auth::unauthorized;
use super::{csv, evidence, wants_csv, Call};
use crate::respond;
use crate::sources;
use crate::verdicts::now;

pub async fn get(call: Call) -> Result<Response> {
    let Call { req, env, query, .. } = &call;
    if let Some(refused) = unauthorized(req, env)? {
        return Ok(refused);
    }
    let pairs = parse_query(query);
    let n = match days_from_query(&pairs) {
        Ok(n) => n,
        Err(e) => return respond::error(400, &e),
    };
    let monitored = match sources::all(env).await {
        Ok(m) => m,
        Err(e) => return respond::error(500, &e),
    };
    let to = utc_day(now());
    let from = to.checked_sub(Duration::days(i64::from(n) - 1)).unwrap_or(time::Date::MIN);
    let range = Range { from, to };
    let read = match evidence::read(env, range, Vec::new()).await {
        Ok(r) => r,
        Err(e) => return respond::error(500, &format!("the history could not be read: {e}")),
    };
    let list: Vec<SourceCompliance> = evidence::keys_and_labels(&monitored)
        .into_iter()
        .map(|(key, label)| {
            // A source no run has recorded has no data on any day.
            let ratio =
                read.days(&key, range).map_or(Ratio { days: n, no_data: n, ..Ratio::default() }, |d| Ratio::of(&d));
            SourceCompliance { key, label, ratio }
        })
        .collect();
    if wants_csv(req, &pairs) {
        return csv(compliance_csv(n, &list));
    }
    respond::json(200, &compliance_json(n, to, &list).to_string())
}
