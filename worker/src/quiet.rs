//! Each source's stored settings (quiet windows, snooze, flapping filter, size rule) and the
//! filter's states, read from D1 in one batch, and the zones recurring windows are read in.

use backboard_core::history::{settings_from_rows, settings_reads, Configured, Zone};
use worker::Env;

use crate::d1;
use crate::history::Cost;
use crate::zone::IntlZone;

pub async fn read(env: &Env) -> Result<Configured, String> {
    read_costed(env, &mut Cost::default()).await
}

/// [`read`], adding its D1 cost to `cost`.
pub async fn read_costed(env: &Env, cost: &mut Cost) -> Result<Configured, String> {
    let db = d1::database(env)?;
    let reads = settings_reads();
    let answers = d1::batch(&db, &reads).await?;
    cost.add(reads.len(), &answers);
    let [settings, windows, flaps] = d1::rows::<3>(&answers)?;
    settings_from_rows(&settings, &windows, &flaps)
}

/// A zone by its IANA name, as `Intl` knows it; None for a name it does not.
pub fn zone_of(name: &str) -> Option<Box<dyn Zone>> {
    IntlZone::new(name).ok().map(|z| Box::new(z) as Box<dyn Zone>)
}
