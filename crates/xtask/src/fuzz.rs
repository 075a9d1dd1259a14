//! `cargo xtask fuzz [--cases N] [--seed N]`: the never-panic properties of the core's parsers
//! (crates/core/tests/never_panic*.rs) at 1,000,000 cases each, optimized. Not part of
//! `cargo xtask test`, whose runs keep the properties' small default case counts.

use std::time::Instant;

use crate::{cargo, run, Result};

/// Cases per property unless `--cases` says otherwise.
pub const DEFAULT_CASES: u64 = 1_000_000;
/// The seed of the long run unless `--seed` says otherwise.
pub const DEFAULT_SEED: u64 = 4242;

pub fn fuzz(args: &[String]) -> Result {
    let (mut cases, mut seed) = (DEFAULT_CASES, DEFAULT_SEED);
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let value = args.next().and_then(|v| v.replace('_', "").parse::<u64>().ok());
        match (flag.as_str(), value) {
            ("--cases", Some(n)) => cases = n,
            ("--seed", Some(n)) => seed = n,
            _ => return Err(format!("usage: cargo xtask fuzz [--cases N] [--seed N] (got {flag})")),
        }
    }
    let started = Instant::now();
    // Optimized, with unwinding: proptest catches a panic to shrink and report the case.
    let result = run(cargo()
        .args(["test", "--profile", "release-native", "-p", "backboard-core"])
        .args(["--test", "never_panic", "--test", "never_panic_actions", "--", "--nocapture"])
        .env("PROPTEST_CASES", cases.to_string())
        .env("PROPTEST_RNG_SEED", seed.to_string()));
    let minutes = started.elapsed().as_secs_f64() / 60.0;
    let outcome = if result.is_ok() { "no panic, no empty message" } else { "a property failed (see above)" };
    eprintln!("xtask: fuzz: {cases} cases per property, seed {seed}: {outcome} in {minutes:.1} min");
    result
}
