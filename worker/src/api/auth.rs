//! The edge API's key: `Authorization: Bearer <BACKBOARD_API_KEY>`, compared by the core; or,
//! on the core's edge routes, a workspace member whose role may read.

use backboard_core::edge;
use backboard_core::http::Method;
use backboard_core::workspace::caller::{credential, Credential};
use backboard_core::workspace::jwt;
use worker::{Env, Request, Response, Result};

use crate::respond;
use crate::settings::secret;

/// 401 with the reason unless the request carries the configured key.
pub fn unauthorized(req: &Request, env: &Env) -> Result<Option<Response>> {
    let key = secret(env, "BACKBOARD_API_KEY");
    if edge::authorized(req.headers().get("Authorization")?.as_deref(), key.as_deref()) {
        return Ok(None);
    }
    let mut r = respond::error(401, "a valid Authorization: Bearer <BACKBOARD_API_KEY> is required")?;
    r.headers_mut().set("WWW-Authenticate", "Bearer")?;
    Ok(Some(r))
}

/// As `unauthorized`, and a workspace identity (an Access assertion or a `bbk_` key) is let in
/// too when its role may make the core's edge route `path` (`routes::EDGE_ROUTES`).
pub async fn unauthorized_or_member(req: &Request, env: &Env, path: &str) -> Result<Option<Response>> {
    let legacy = unauthorized(req, env)?;
    let headers = req.headers();
    let assertion = headers.get(jwt::HEADER)?;
    let authorization = headers.get("Authorization")?;
    if legacy.is_none() || credential(assertion.as_deref(), authorization.as_deref()) == Credential::None {
        return Ok(legacy);
    }
    crate::workspace::admit(env, headers, Method::Get, path).await
}
