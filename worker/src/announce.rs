//! The cron's announcements: the core runs each verdict through the source's quiet periods and
//! flapping filter; the filter states that changed and the changes that held are written to D1
//! in one batch, before the digest reads the changes.

use backboard_core::history::{announce, insert_changes, upsert_flap_states, Announced, Configured, Statement};
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
    // Packed: every statement of the batch counts as a query of the run.
    let mut writes: Vec<Statement> = upsert_flap_states(announced.states.iter().map(|(s, f)| (s.as_str(), f)), now);
    writes.extend(insert_changes(&announced.records));
    let stored = match d1::database(env) {
        Ok(db) => d1::batch(&db, &writes).await.map(|answers| cost.add(writes.len(), &answers)),
        Err(e) => Err(e),
    };
    if let Err(e) = stored {
        console_error!("backboard cron: the flapping filter's states were not stored: {e}");
    }
    announced
}
