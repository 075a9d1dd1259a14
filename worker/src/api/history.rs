//! `GET /api/v1/sources/{key}/history?from=&to=`: one source's days (met, missed, failed, no
//! data) and restore points over a range of UTC days, as JSON, or its days as CSV.

use backboard_core::history::{days_csv, history_json, points_from_rows, points_read, range_from_query, utc_day};
use backboard_core::http::parse_query;
use worker::{Response, Result};

use super::auth::unauthorized;
use super::{csv, evidence, wants_csv, Call};
use crate::respond;
use crate::verdicts::now;

pub async fn get(call: Call) -> Result<Response> {
    let Call { req, env, query, key } = &call;
    if let Some(refused) = unauthorized(req, env)? {
        return Ok(refused);
    }
    let pairs = parse_query(query);
    let range = match range_from_query(&pairs, utc_day(now())) {
        Ok(r) => r,
        Err(e) => return respond::error(400, &e),
    };
    let read = match evidence::read(env, range, vec![points_read(key, range)]).await {
        Ok(r) => r,
        Err(e) => return respond::error(500, &format!("the history could not be read: {e}")),
    };
    let Some(days) = read.days(key, range) else {
        return respond::error(404, &format!("no history is recorded for the source {key:?}"));
    };
    if wants_csv(req, &pairs) {
        return csv(days_csv(&[(key, &days)]));
    }
    let points = match points_from_rows(read.extra.first().map_or(&[][..], |r| r)) {
        Ok(p) => p,
        Err(e) => return respond::error(500, &e),
    };
    respond::json(200, &history_json(key, range, &days, &points).to_string())
}
