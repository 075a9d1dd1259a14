//! The core's verdicts over configured sources, on the runtime's clock: shared by
//! `/api/v1/backups/health` and the cron.

use backboard_core::health::{self, Policy, SourceHealth, Unreachable};
use backboard_core::monitor::Monitored;
use backboard_core::Connection;
use time::OffsetDateTime;
use worker::Env;

use crate::settings::{base_of, timeout_ms};
use crate::sources::list_each;
use crate::transport::WorkerTransport;

/// The runtime's clock (wasm32-unknown-unknown has no system time of its own).
pub fn now() -> OffsetDateTime {
    let nanos = (worker::js_sys::Date::now() * 1_000_000.0) as i128;
    OffsetDateTime::from_unix_timestamp_nanos(nanos).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// The core's verdicts for these sources: each listed, a failed listing is Unknown with its error.
pub async fn evaluate(env: &Env, monitored: &[&Monitored], now: OffsetDateTime) -> Vec<SourceHealth> {
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
            e.schedules = m.connection.schedules(transport, &base).await.unwrap_or_default();
            e
        }
    }))
    .await;
    health::evaluate_with_failures(&backups, &failed, &expectations, now, &Policy::default())
}
