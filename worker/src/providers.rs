//! The one place the worker names individual providers: the variable that holds each one's API
//! base (wrangler.toml's `[vars]`).

use backboard_core::Provider;

pub fn base_var(provider: Provider) -> &'static str {
    match provider {
        Provider::ServerAvatar => "SERVERAVATAR_BASE",
        Provider::Northflank => "NORTHFLANK_BASE",
        Provider::Mittwald => "MITTWALD_BASE",
    }
}
