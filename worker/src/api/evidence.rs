//! The stored evidence of a range of UTC days, read in one D1 batch for the history and
//! compliance routes, and each source's days as the core judges them.

use std::collections::BTreeMap;

use backboard_core::history::{
    days, evidence_from_rows, evidence_reads, last_run_from_rows, last_run_read, Day, Range, Rule, SourceRows,
    Statement,
};
use backboard_core::monitor::Monitored;
use serde_json::Value;
use time::OffsetDateTime;
use worker::Env;

use crate::d1;

pub struct Evidence {
    pub by_source: BTreeMap<String, SourceRows>,
    /// The latest run; None before the first.
    pub observed_until: Option<OffsetDateTime>,
    /// The answers of the extra statements, in order.
    pub extra: Vec<Vec<Value>>,
}

/// Reads the evidence of `range`, and `extra` statements in the same batch.
pub async fn read(env: &Env, range: Range, extra: Vec<Statement>) -> Result<Evidence, String> {
    let db = d1::database(env)?;
    let mut statements: Vec<Statement> = evidence_reads(range.from, range.to).into();
    statements.push(last_run_read());
    statements.extend(extra);
    let answers = d1::batch(&db, &statements).await?;
    let by_source = evidence_from_rows(&d1::rows::<6>(&answers)?)?;
    let observed_until = last_run_from_rows(answers.get(6).map_or(&[][..], |a| &a.rows))?;
    Ok(Evidence { by_source, observed_until, extra: answers.into_iter().skip(7).map(|a| a.rows).collect() })
}

impl Evidence {
    /// A source's days over `range`; None for a source no run has recorded.
    pub fn days(&self, key: &str, range: Range) -> Option<Vec<Day>> {
        let evidence = self.by_source.get(key)?.evidence(self.observed_until?)?;
        Some(days(&evidence, range.from, range.to, &Rule::default()))
    }
}

/// The key and label of each configured source, in the configuration's order.
pub fn keys_and_labels(monitored: &[Monitored]) -> Vec<(String, String)> {
    monitored
        .iter()
        .map(|m| {
            let c = &m.connection;
            (backboard_core::health::source_key(c.provider(), &c.source()), c.label.clone())
        })
        .collect()
}
