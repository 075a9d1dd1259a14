//! The cron's announcements: the core runs each verdict through the source's quiet periods and
//! flapping filter; the filter states that changed and the changes that held are written to D1
//! in one batch, before the digest reads the changes.

use backboard_core::history::{announce, insert_change, upsert_flap_state, Announced, Configured, Statement};
use time::OffsetDateTime;
use worker::{console_error, Env};

use crate::d1;
use crate::history::Cost;
use crate::quiet::zone_of;
use crate::verdicts::Judged;

/// What the run announces. Its states and records are stored; if they cannot be, the change
/// message is still decided by them (the next run decides again from the stored states).
pub async fn decide(
    env: &Env,
    judged: &Judged,
    configured: &Configured,
    now: OffsetDateTime,
    cost: &mut Cost,
) -> Announced {
    let announced = announce(&judged.health, configured, now, &zone_of);
    let mut writes: Vec<Statement> =
        announced.states.iter().map(|(source, state)| upsert_flap_state(source, state, now)).collect();
    writes.extend(announced.records.iter().map(insert_change));
    let stored = match d1::database(env) {
        Ok(db) => d1::batch(&db, &writes).await.map(|answers| cost.add(writes.len(), &answers)),
        Err(e) => Err(e),
    };
    if let Err(e) = stored {
        console_error!("backboard cron: the flapping filter's states were not stored: {e}");
    }
    announced
}
