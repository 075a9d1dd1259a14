//! The core's verdicts over configured sources, on the runtime's clock: shared by
//! `/api/v1/backups/health` and the cron.

use backboard_core::health::{self, Policy, SourceHealth, Unreachable};
use backboard_core::history::Configured;
use backboard_core::monitor::Monitored;
use backboard_core::{Backup, Connection};
use time::OffsetDateTime;
use worker::Env;

use crate::settings::{base_of, timeout_ms};
use crate::sources::list_each;
use crate::transport::WorkerTransport;

/// The runtime's clock (wasm32-unknown-unknown has no system time of its own).
pub fn now() -> OffsetDateTime {
    from_millis(worker::js_sys::Date::now())
}

/// An instant given in JavaScript's milliseconds since the epoch.
pub fn from_millis(ms: f64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos((ms * 1_000_000.0) as i128).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// What one judgement saw: every backup listed, how many sources could not be listed, and the
/// verdicts.
pub struct Judged {
    pub backups: Vec<Backup>,
    pub unreachable: usize,
    pub health: Vec<SourceHealth>,
}

/// The core's verdicts for these sources: each listed, a failed listing is Unknown with its error.
/// Each source's size rule is read from its stored settings (the default when none can be read).
pub async fn evaluate(env: &Env, monitored: &[&Monitored], now: OffsetDateTime) -> Vec<SourceHealth> {
    let configured = crate::quiet::read(env).await.unwrap_or_default();
    judge(env, monitored, now, &configured).await.health
}

/// [`evaluate`] with the settings already read, keeping the backups it listed (the cron records
/// them).
pub async fn judge(env: &Env, monitored: &[&Monitored], now: OffsetDateTime, configured: &Configured) -> Judged {
    let connections: Vec<&Connection> = monitored.iter().map(|m| &m.connection).collect();
    let mut backups = Vec::new();
    let mut failed = Vec::new();
    for (c, result) in list_each(env, &connections).await {
        match result {
            Ok(list) => backups.extend(list),
            Err(error) => failed.push(Unreachable { provider: c.provider(), source: c.source(), error }),
        }
    }
    // The provider's own schedules say how often a source should back up (mittwald's list;
    // an unreadable one leaves the source to its threshold and its backups).
    let transport = WorkerTransport { timeout_ms: timeout_ms(env) };
    let expectations: Vec<_> = futures::future::join_all(monitored.iter().map(|m| {
        let (transport, base) = (&transport, base_of(env, m.connection.provider()));
        async move {
            let mut e = m.expectation();
            e.size_rule = configured.size_rule(&e.key());
            e.schedules = m.connection.schedules(transport, &base).await.unwrap_or_default();
            e
        }
    }))
    .await;
    let health = health::evaluate_with_failures(&backups, &failed, &expectations, now, &Policy::default());
    Judged { backups, unreachable: failed.len(), health }
}
