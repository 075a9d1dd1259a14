//! The configured sources (`BACKBOARD_SOURCES` and the workspace's connections) and their
//! backups, listed at once.

use backboard_core::monitor::{self, Monitored};
use backboard_core::paging::Options;
use backboard_core::{Backup, Connection};
use worker::Env;

use crate::settings::{base_of, secret, timeout_ms};
use crate::transport::WorkerTransport;

/// The sources the edge API and the cron watch; none when the secret is unset.
pub fn configured(env: &Env) -> Result<Vec<Monitored>, String> {
    match secret(env, "BACKBOARD_SOURCES") {
        None => Ok(Vec::new()),
        Some(s) => monitor::parse_sources(&s),
    }
}

/// The sources the edge API and the cron watch: the secret's, then the workspace's connections
/// (a source both name is watched once, as the secret has it).
pub async fn all(env: &Env) -> Result<Vec<Monitored>, String> {
    let mut all = configured(env)?;
    for m in crate::workspace::monitored(env).await {
        if !all.iter().any(|o| o.connection.source() == m.connection.source()) {
            all.push(m);
        }
    }
    Ok(all)
}

/// Lists every given connection at once, each with its own outcome.
pub async fn list_each<'a>(
    env: &Env,
    connections: &[&'a Connection],
) -> Vec<(&'a Connection, Result<Vec<Backup>, backboard_core::Error>)> {
    let options = Options::default();
    let transport = WorkerTransport { timeout_ms: timeout_ms(env) };
    futures::future::join_all(connections.iter().map(|c| {
        let base = base_of(env, c.provider());
        let (options, transport) = (&options, &transport);
        async move { (*c, c.list_backups(transport, &base, options, &mut |_| {}).await) }
    }))
    .await
}
