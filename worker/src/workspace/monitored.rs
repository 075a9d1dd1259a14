//! The workspace's connections as the monitoring and `/api/v1/backups*` watch them, beside the
//! `BACKBOARD_SOURCES` secret's; and the audit log's retention, which the cron applies.

use backboard_core::monitor::Monitored;
use backboard_core::workspace::audit::{cutoff, retention_days, to_millis};
use backboard_core::workspace::connections::open;
use backboard_core::workspace::keyring::Keyring;
use backboard_core::workspace::schema::AUDIT_RETENTION_SQL;
use serde_json::json;
use time::OffsetDateTime;
use worker::{console_error, Env};

use super::store;
use crate::settings::{secret, var};

/// Every workspace connection, its token opened; none without `BACKBOARD_SEAL_KEYS`. A
/// connection that does not open is left out, and logged by its id.
pub async fn monitored(env: &Env) -> Vec<Monitored> {
    let Some(keys) = secret(env, "BACKBOARD_SEAL_KEYS") else { return Vec::new() };
    let keyring = match Keyring::parse(&keys) {
        Ok(k) => k,
        Err(e) => {
            console_error!("backboard workspace: {e}");
            return Vec::new();
        }
    };
    let rows = match store::connections(env).await {
        Ok(r) => r,
        Err(e) => {
            console_error!("backboard workspace: the connections could not be read: {e}");
            return Vec::new();
        }
    };
    rows.iter()
        .filter_map(|row| open(row, &keyring).map_err(|e| console_error!("backboard workspace: connection {e}")).ok())
        .collect()
}

/// The cron's upkeep of the workspace: deletes the audit entries older than
/// `AUDIT_RETENTION_DAYS` (default 365). A failure is logged.
pub async fn upkeep(env: &Env, now: OffsetDateTime) {
    let pruned = async {
        let days = retention_days(var(env, "AUDIT_RETENTION_DAYS").as_deref())?;
        store::write(env, AUDIT_RETENTION_SQL, vec![json!(to_millis(cutoff(now, days)))]).await
    };
    if let Err(e) = pruned.await {
        console_error!("backboard cron: the audit log was not pruned: {e}");
    }
}
