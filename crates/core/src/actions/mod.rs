//! Backup actions beyond listing, per provider: forms that validate into typed requests (the
//! one validator the SPA's forms use), request builders and answer parsers.

pub mod mittwald;

pub use crate::answer::{expect_json, expect_success};
