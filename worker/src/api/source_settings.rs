//! `GET/PUT /api/v1/sources/{key}/settings` (quiet windows, snooze, zone, flapping filter, size
//! rule: the core's `SettingsDoc`) and `PUT/DELETE /api/v1/sources/{key}/snooze`. The key must
//! be a configured source's; a bad body is a 400 saying what is wrong.

use backboard_core::history::{parse_snooze, settings_json, snooze_statement, SettingsDoc, Statement, Zone};
use time::UtcOffset;
use worker::{Env, Method, Request, Response, Result};

use super::auth::unauthorized;
use super::{evidence, Call};
use crate::quiet::zone_of;
use crate::respond;
use crate::sources;
use crate::verdicts::now;
use crate::zone::IntlZone;
use crate::{d1, quiet};

/// The label of the configured source `key`, or the 404 (or 500) to answer.
fn label_of(env: &Env, key: &str) -> std::result::Result<String, Result<Response>> {
    let monitored = sources::configured(env).map_err(|e| respond::error(500, &e))?;
    evidence::keys_and_labels(&monitored)
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, label)| label)
        .ok_or_else(|| respond::error(404, &format!("no configured source has the key {key:?}")))
}

/// The label of the source `key`, once the caller holds the edge key (checked first) and the
/// source is configured; else the answer to give.
fn admitted(req: &Request, env: &Env, key: &str) -> std::result::Result<String, Result<Response>> {
    match unauthorized(req, env) {
        Ok(None) => label_of(env, key),
        Ok(Some(refused)) => Err(Ok(refused)),
        Err(e) => Err(Err(e)),
    }
}

/// The source's settings as stored now, with until when it is quiet.
async fn answer(env: &Env, key: &str, label: &str) -> Result<Response> {
    let configured = match quiet::read(env).await {
        Ok(c) => c,
        Err(e) => return respond::error(500, &format!("the settings could not be read: {e}")),
    };
    let doc = SettingsDoc::of(configured.settings.get(key));
    let zone: Box<dyn Zone> = doc.time_zone.as_deref().and_then(zone_of).unwrap_or(Box::new(UtcOffset::UTC));
    let until = doc.quiet().quiet_until(zone.as_ref(), now());
    let mut r = respond::json(200, &settings_json(key, label, &doc, until).to_string())?;
    r.headers_mut().set("Cache-Control", "no-store")?;
    Ok(r)
}

async fn store(env: &Env, statements: &[Statement]) -> Option<Result<Response>> {
    let db = match d1::database(env) {
        Ok(db) => db,
        Err(e) => return Some(respond::error(500, &e)),
    };
    d1::batch(&db, statements).await.err().map(|e| respond::error(500, &format!("the settings were not stored: {e}")))
}

pub async fn settings(call: Call) -> Result<Response> {
    let Call { mut req, env, key, .. } = call;
    let label = match admitted(&req, &env, &key) {
        Ok(l) => l,
        Err(r) => return r,
    };
    if req.method() == Method::Put {
        let body = req.text().await.unwrap_or_default();
        let doc = match SettingsDoc::parse(&body) {
            Ok(d) => d,
            Err(e) => return respond::error(400, &e),
        };
        if let Some(Err(e)) = doc.time_zone.as_deref().map(IntlZone::new) {
            return respond::error(400, &format!("time_zone: {e}"));
        }
        if let Some(failed) = store(&env, &doc.statements(&key, &label, now())).await {
            return failed;
        }
    }
    answer(&env, &key, &label).await
}

pub async fn snooze(call: Call) -> Result<Response> {
    let Call { mut req, env, key, .. } = call;
    let label = match admitted(&req, &env, &key) {
        Ok(l) => l,
        Err(r) => return r,
    };
    let at = now();
    let until = if req.method() == Method::Put {
        match parse_snooze(&req.text().await.unwrap_or_default(), at) {
            Ok(u) => Some(u),
            Err(e) => return respond::error(400, &e),
        }
    } else {
        None
    };
    if let Some(failed) = store(&env, &[snooze_statement(&key, &label, until, at)]).await {
        return failed;
    }
    answer(&env, &key, &label).await
}
