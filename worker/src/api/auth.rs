//! The edge API's key: `Authorization: Bearer <BACKBOARD_API_KEY>`, compared by the core.

use backboard_core::edge;
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
