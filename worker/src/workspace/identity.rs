//! Who is calling: a Cloudflare Access assertion (`Cf-Access-Jwt-Assertion`, RS256 against the
//! team's JWKS, kept in the isolate's memory as `workspace::jwks` says) or a workspace API key
//! (`Authorization: Bearer bbk_...`, found by its id in D1, its hash compared by the core).
//! Anything unproven is the anonymous caller; why is logged, never answered.

use std::cell::RefCell;

use backboard_core::workspace::apikey;
use backboard_core::workspace::caller::{credential, Caller, Credential};
use backboard_core::workspace::jwks::{parse_jwks, JwksCache};
use backboard_core::workspace::jwt::{self, AccessConfig, Step};
use backboard_core::workspace::members::{bootstrap_admins, role_of};
use time::OffsetDateTime;
use worker::{console_error, console_log, Env, Headers, Method, Request, RequestInit};

use super::store;
use super::webcrypto::WebCrypto;
use crate::settings::{secret, timeout_ms, var};
use crate::transport::fetch_with_timeout;

thread_local!(static KEYS: RefCell<JwksCache> = RefCell::new(JwksCache::default()));

/// The Access application: `ACCESS_TEAM_DOMAIN` (the team name, `<team>.cloudflareaccess.com`,
/// or an origin) and `ACCESS_AUD` (the application's AUD tag); `ACCESS_CERTS_URL` replaces the
/// team's certs URL. None when Access is not configured: then no assertion is accepted.
fn access(env: &Env) -> Option<(AccessConfig, String)> {
    let team = var(env, "ACCESS_TEAM_DOMAIN")?;
    let aud = var(env, "ACCESS_AUD")?;
    match AccessConfig::new(&team, &aud) {
        Ok(config) => {
            let certs = var(env, "ACCESS_CERTS_URL").unwrap_or_else(|| config.certs_url());
            Some((config, certs))
        }
        Err(e) => {
            console_error!("backboard workspace: ACCESS_TEAM_DOMAIN / ACCESS_AUD: {e}");
            None
        }
    }
}

/// The caller a request proves, with the role it has now.
pub async fn caller(env: &Env, headers: &Headers, now: OffsetDateTime) -> Result<Caller, String> {
    let assertion = headers.get(jwt::HEADER).ok().flatten();
    let authorization = headers.get("Authorization").ok().flatten();
    match credential(assertion.as_deref(), authorization.as_deref()) {
        Credential::Access(token) => {
            let Some(email) = verified_email(env, token, now).await else { return Ok(Caller::anonymous()) };
            let admins = bootstrap_admins(secret(env, "BACKBOARD_ADMINS").as_deref()).unwrap_or_else(|e| {
                console_error!("backboard workspace: {e}");
                Vec::new()
            });
            let members = store::member_by_email(env, &email).await?;
            Ok(Caller::access(&email, role_of(&email, &members, &admins)))
        }
        Credential::Key(key) => {
            let Some(id) = apikey::id_of(key) else { return Ok(Caller::anonymous()) };
            let stored = store::api_key_by_id(env, id).await?;
            match apikey::check(key, stored.as_ref(), now) {
                Ok(_) => Ok(stored.map_or_else(Caller::anonymous, |k| Caller::key(&k))),
                Err(why) => {
                    console_log!("backboard workspace: API key {id} refused ({why:?})");
                    Ok(Caller::anonymous())
                }
            }
        }
        Credential::None => Ok(Caller::anonymous()),
    }
}

/// The email of a valid assertion; the keys fetched at most as often as the cache allows.
async fn verified_email(env: &Env, token: &str, now: OffsetDateTime) -> Option<String> {
    let (config, certs) = access(env)?;
    for _ in 0..2 {
        let cache = KEYS.with(|k| k.borrow().clone());
        match jwt::verify(Some(token), &config, &cache, &WebCrypto, now).await {
            Step::Member(email) => return Some(email),
            Step::Denied(why) => {
                console_log!("backboard workspace: Access assertion refused: {why}");
                return None;
            }
            Step::FetchKeys => fetch_keys(env, &certs, now).await,
        }
    }
    None
}

async fn fetch_keys(env: &Env, certs: &str, now: OffsetDateTime) {
    let fetched = async {
        let headers = Headers::new();
        headers.set("Accept", "application/json").map_err(|e| e.to_string())?;
        let mut init = RequestInit::new();
        init.with_method(Method::Get).with_headers(headers);
        let req = Request::new_with_init(certs, &init).map_err(|e| e.to_string())?;
        let mut resp = fetch_with_timeout(req, timeout_ms(env))
            .await
            .map_err(|e| e.to_string())?
            .ok_or_else(|| "no answer in time".to_string())?;
        if resp.status_code() != 200 {
            return Err(format!("status {}", resp.status_code()));
        }
        parse_jwks(&resp.text().await.map_err(|e| e.to_string())?)
    }
    .await;
    KEYS.with(|k| match fetched {
        Ok(keys) => k.borrow_mut().fetched(keys, now),
        Err(e) => {
            console_error!("backboard workspace: the Access certs at {certs} could not be read: {e}");
            k.borrow_mut().fetch_failed(now)
        }
    });
}
