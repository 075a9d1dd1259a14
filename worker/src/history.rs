//! The cron's history: what is stored is read in one D1 batch, what this run adds is written in
//! another, and both are decided by `backboard_core::history`.

use backboard_core::history::{
    self, insert_interval, interval_change, last_run_from_rows, last_run_read, latest_intervals_from_rows,
    latest_intervals_read, retention_statements, run_statement, stored_from_rows, stored_reads, upsert_sources,
    Retention, Statement, Stored,
};
use time::OffsetDateTime;
use worker::{console_error, Env};

use crate::d1;
use crate::settings::var;
use crate::verdicts::Judged;

/// What one run cost in D1, for the log and the bench.
#[derive(Debug, Default)]
pub struct Cost {
    pub statements: usize,
    pub rows_read: usize,
    pub rows_written: usize,
    pub points: usize,
    pub attempts: usize,
}

impl Cost {
    /// Adds what a batch of `statements` cost, as D1 answered it.
    pub fn add(&mut self, statements: usize, answers: &[d1::Answer]) {
        self.statements += statements;
        self.rows_read += answers.iter().map(|a| a.rows_read).sum::<usize>();
        self.rows_written += answers.iter().map(|a| a.rows_written).sum::<usize>();
    }
}

/// Records the run at `now`: new restore points and attempts, each source's day, the expected
/// interval where it changed, the run itself; and, on the first run of a UTC day, deletes what
/// is past the retention.
pub async fn record(env: &Env, judged: &Judged, now: OffsetDateTime) -> Result<Cost, String> {
    let db = d1::database(env)?;
    let since = Stored::since_for(now);
    let mut reads: Vec<Statement> = stored_reads(since).into();
    reads.push(latest_intervals_read());
    reads.push(last_run_read());
    let answers = d1::batch(&db, &reads).await?;
    let stored = stored_from_rows(since, &d1::rows::<4>(&answers)?)?;
    let answer = |i: usize| answers.get(i).map_or(&[][..], |a| &a.rows[..]);
    let latest = latest_intervals_from_rows(answer(4))?;
    let last_run = last_run_from_rows(answer(5))?;

    let recording = history::record(&judged.backups, &judged.health, &stored, now);
    let mut writes = Vec::new();
    let sources: Vec<(&str, &str)> = judged.health.iter().map(|h| (h.key.as_str(), h.label.as_str())).collect();
    writes.extend(upsert_sources(&sources, now));
    for h in &judged.health {
        if let Some(change) = interval_change(latest.get(&h.key), h.expected.as_ref(), now) {
            writes.push(insert_interval(&h.key, &change));
        }
    }
    writes.extend(recording.statements());
    writes.push(run_statement(now, judged.health.len(), judged.unreachable));
    if Retention::due(now, last_run) {
        match Retention::parse(&var(env, "BACKBOARD_HISTORY_DAYS").unwrap_or_default()) {
            Ok(retention) => writes.extend(retention_statements(retention.cutoff(now))),
            Err(e) => console_error!("backboard cron: {e}; nothing was deleted"),
        }
    }
    let written = d1::batch(&db, &writes).await?;
    let all = answers.iter().chain(&written);
    Ok(Cost {
        statements: reads.len() + writes.len(),
        rows_read: all.clone().map(|a| a.rows_read).sum(),
        rows_written: all.map(|a| a.rows_written).sum(),
        points: recording.points.len(),
        attempts: recording.attempts.len(),
    })
}
