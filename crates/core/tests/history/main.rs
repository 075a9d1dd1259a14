//! Backup history with a fixed clock, over generated histories: recording without repeats,
//! compliance per day, unusual sizes, quiet periods and flapping, digests across DST, and each
//! channel's payload.

mod channels;
mod compliance;
mod digest;
mod export;
mod gen;
mod load;
mod quiet;
mod record;
mod settings;
mod size;
