//! The admin's two upkeep commands: importing the `BACKBOARD_SOURCES` secret's sources as
//! sealed connections, and resealing every token under `BACKBOARD_SEAL_KEYS`'s first key.

use std::collections::HashSet;

use backboard_core::workspace::connections::import;
use backboard_core::workspace::seal::{kid_of, rotate, Rotated};
use serde_json::json;
use worker::{Response, Result};

use super::webcrypto::random;
use super::{store, Ctx};
use crate::respond;
use crate::settings::secret;

/// `POST /api/v1/workspace/import`: each source becomes a connection, unless one of the same
/// provider and label exists already (so a second run adds nothing).
pub async fn sources(ctx: &Ctx) -> Result<Response> {
    let Some(json) = secret(&ctx.env, "BACKBOARD_SOURCES") else {
        return respond::error(400, "BACKBOARD_SOURCES is not set: there is nothing to import");
    };
    let keyring = match ctx.keyring() {
        Ok(k) => k,
        Err(e) => return respond::error(500, &e),
    };
    let rows = match import(&json, &keyring, || (random(), random()), &ctx.caller.who, ctx.now) {
        Ok(r) => r,
        Err(e) => return respond::error(400, &e),
    };
    let existing = match store::connections(&ctx.env).await {
        Ok(c) => c,
        Err(e) => return respond::error(500, &e),
    };
    let mut seen: HashSet<(String, String)> = existing.into_iter().map(|c| (c.provider, c.label)).collect();
    let (mut imported, mut skipped) = (Vec::new(), Vec::new());
    for row in rows {
        if !seen.insert((row.provider.clone(), row.label.clone())) {
            skipped.push(row.label);
            continue;
        }
        if let Err(e) = store::insert_connection(&ctx.env, &row).await {
            return respond::error(500, &format!("{} of the sources were imported, then: {e}", imported.len()));
        }
        imported.push(json!({"id": row.id, "provider": row.provider, "label": row.label}));
    }
    respond::json(200, &json!({"imported": imported, "skipped": skipped}).to_string())
}

/// `POST /api/v1/workspace/reseal`: every token sealed under an older key is sealed anew under
/// the first; one that does not open is named, and left as it is.
pub async fn reseal(ctx: &Ctx) -> Result<Response> {
    let keyring = match ctx.keyring() {
        Ok(k) => k,
        Err(e) => return respond::error(500, &e),
    };
    let current = keyring.current().kid().to_string();
    let rows = match store::connections(&ctx.env).await {
        Ok(c) => c,
        Err(e) => return respond::error(500, &e),
    };
    let (mut resealed, mut current_already, mut failed) = (0, 0, Vec::new());
    for row in rows {
        match rotate(&keyring, &row.id, &row.token_sealed, random()) {
            Ok(Rotated::Current) => current_already += 1,
            Ok(Rotated::Resealed(sealed)) => {
                let kid = kid_of(&sealed).unwrap_or(&current).to_string();
                match store::reseal_connection(&ctx.env, &row.id, &row.token_sealed, &sealed, &kid).await {
                    Ok(_) => resealed += 1,
                    Err(e) => failed.push(json!({"id": row.id, "error": e})),
                }
            }
            Err(e) => failed.push(json!({"id": row.id, "error": e.to_string()})),
        }
    }
    let body = json!({"key_id": current, "resealed": resealed, "current": current_already, "failed": failed});
    respond::json(if failed.is_empty() { 200 } else { 500 }, &body.to_string())
}
