//! Backup history with a fixed clock, over generated histories: recording without repeats,
//! compliance per day, unusual sizes, quiet periods and flapping, digests across DST, each
//! channel's payload, the store's rows and the edge API's exports; and properties over arbitrary
//! input.

mod channels;
mod compliance;
mod digest;
mod export;
mod gen;
mod load;
mod properties;
mod quiet;
mod record;
mod report;
mod settings;
mod size;
