//! The worker's configuration, read from the environment once per isolate: an isolate's bindings
//! are fixed for its life, and reading them costs three JS lookups (one failing) a request.

use std::cell::OnceCell;
use std::rc::Rc;

use backboard_core::{proxy, Provider};
use worker::Env;

/// A plain variable; unset and empty are the same.
pub fn var(env: &Env, name: &str) -> Option<String> {
    env.var(name).ok().map(|v| v.to_string()).filter(|v| !v.is_empty())
}

/// A secret, or a plain variable of the same name (local runs); unset and empty are the same.
pub fn secret(env: &Env, name: &str) -> Option<String> {
    env.secret(name).ok().map(|v| v.to_string()).or_else(|| var(env, name)).filter(|v| !v.is_empty())
}

pub struct Settings {
    pub allowed_origins: Vec<String>,
    /// Each provider's API base, in `Provider::ALL` order.
    bases: [String; Provider::ALL.len()],
    /// The upstream time limit: `UPSTREAM_TIMEOUT_MS` if configured (tests shorten it), else the
    /// core's default.
    pub timeout_ms: u32,
}

thread_local!(static SETTINGS: OnceCell<Rc<Settings>> = const { OnceCell::new() });

impl Settings {
    fn read(env: &Env) -> Self {
        let base =
            |provider: Provider| var(env, provider.base_var()).unwrap_or_else(|| provider.default_base().to_string());
        Settings {
            allowed_origins: proxy::parse_origins(&var(env, "ALLOWED_ORIGINS").unwrap_or_default()),
            bases: Provider::ALL.map(base),
            timeout_ms: var(env, "UPSTREAM_TIMEOUT_MS")
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| u32::try_from(proxy::UPSTREAM_TIMEOUT_MS).unwrap_or(u32::MAX)),
        }
    }

    pub fn of(env: &Env) -> Rc<Settings> {
        SETTINGS.with(|s| s.get_or_init(|| Rc::new(Settings::read(env))).clone())
    }

    /// `f` over the settings this isolate has read, if it has: the upstream answer's
    /// continuation has no `Env` to read them from.
    pub fn if_read<R>(f: impl FnOnce(&Settings) -> R) -> Option<R> {
        SETTINGS.with(|s| s.get().map(|s| f(s)))
    }

    /// The configured API base of a provider; the real one unless the config points elsewhere.
    pub fn base(&self, provider: Provider) -> &str {
        &self.bases[provider as usize]
    }
}

pub fn base_of(env: &Env, provider: Provider) -> String {
    Settings::of(env).base(provider).to_string()
}

pub fn timeout_ms(env: &Env) -> u32 {
    Settings::of(env).timeout_ms
}
