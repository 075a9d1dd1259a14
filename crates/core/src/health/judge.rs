//! The judgement: the sources of a listing, each judged on its freshness, failures, expiry and
//! operations in progress against what it is expected to do.

use time::OffsetDateTime;

use super::expect::{
    expected_interval, operations, schedules_from_backups, source_key, Expectation, Expected, ExpectedFrom, Operation,
};
use super::verdict::{unreachable, LastGood, Policy, Reason, ReasonCode, SizePoint, SourceHealth, Verdict};
use super::{duration_words, plural, seconds, secs_between};
use crate::error::Error;
use crate::history::newest_unusual;
use crate::model::{Backup, Source, Status};
use crate::provider::Provider;
use crate::providers::ScheduleSpec;

/// One [`SourceHealth`] per source that has backups or an expectation, sorted by provider,
/// label and key. Expectations for the same key after the first are ignored.
pub fn evaluate(
    backups: &[Backup],
    expectations: &[Expectation],
    now: OffsetDateTime,
    policy: &Policy,
) -> Vec<SourceHealth> {
    evaluate_with_failures(backups, &[], expectations, now, policy)
}

/// A source whose listing failed, for [`evaluate_with_failures`].
#[derive(Clone, Debug, PartialEq)]
pub struct Unreachable {
    pub provider: Provider,
    pub source: Source,
    pub error: Error,
}

/// Like [`evaluate`], but the sources in `failed` are [`unreachable`] (keeping their expected
/// interval) instead of being judged on whatever backups were passed for them.
pub fn evaluate_with_failures(
    backups: &[Backup],
    failed: &[Unreachable],
    expectations: &[Expectation],
    now: OffsetDateTime,
    policy: &Policy,
) -> Vec<SourceHealth> {
    // (key, provider, source, backups): a Vec keeps the first label seen and the input's order.
    type Group<'a> = (String, Provider, &'a Source, Vec<&'a Backup>);
    fn group<'a>(groups: &mut Vec<Group<'a>>, provider: Provider, source: &'a Source) -> usize {
        let key = source_key(provider, source);
        match groups.iter().position(|g| g.0 == key) {
            Some(i) => i,
            None => {
                groups.push((key, provider, source, Vec::new()));
                groups.len() - 1
            }
        }
    }
    let mut groups: Vec<Group> = Vec::new();
    for b in backups {
        let i = group(&mut groups, b.provider, &b.source);
        groups[i].3.push(b);
    }
    for e in expectations {
        group(&mut groups, e.provider, &e.source);
    }
    for f in failed {
        group(&mut groups, f.provider, &f.source);
    }
    let mut out: Vec<SourceHealth> = groups
        .into_iter()
        .map(|(key, provider, source, list)| {
            let expectation = expectations.iter().find(|e| e.key() == key);
            match failed.iter().find(|f| source_key(f.provider, &f.source) == key) {
                Some(f) => {
                    let mut h = unreachable(provider, source, &f.error);
                    h.expected = expectation.and_then(|e| expected_for(Some(e), &[]).0);
                    h
                }
                None => judge(provider, source, &list, expectation, now, policy),
            }
        })
        .collect();
    out.sort_by(|a, b| (a.provider, &a.label, &a.key).cmp(&(b.provider, &b.label, &b.key)));
    out
}

/// The user's threshold, else the expectation's schedules, else the schedules in the backups.
fn expected_for(expectation: Option<&Expectation>, backups: &[&Backup]) -> (Option<Expected>, Vec<ScheduleSpec>) {
    if let Some(secs) = expectation.and_then(|e| e.threshold_secs).filter(|s| *s > 0) {
        let e = Expected {
            every_secs: secs,
            every: duration_words(secs),
            from: ExpectedFrom::Threshold,
            description: "your threshold".into(),
        };
        return (Some(e), Vec::new());
    }
    match expectation.map(|e| e.schedules.as_slice()).filter(|s| !s.is_empty()) {
        Some(schedules) => expected_interval(schedules),
        None => expected_interval(&schedules_from_backups(backups)),
    }
}

/// When a backup happened: its completion, else its creation.
fn when(b: &Backup) -> Option<OffsetDateTime> {
    b.completed.or(b.created)
}

fn judge(
    provider: Provider,
    source: &Source,
    backups: &[&Backup],
    expectation: Option<&Expectation>,
    now: OffsetDateTime,
    policy: &Policy,
) -> SourceHealth {
    let mut h = SourceHealth::empty(provider, source);
    let (expected, unreadable) = expected_for(expectation, backups);
    let mut reasons = Vec::new();
    let expect_words = expected.as_ref().map(|e| format!("expected every {}", e.every));

    // Completed backups: the good ones (dated, not expired), the expired and the undated.
    let completed: Vec<&Backup> = backups.iter().copied().filter(|b| b.status == Status::Completed).collect();
    let is_expired = |b: &Backup| b.expires.is_some_and(|e| e <= now);
    let mut good: Vec<(OffsetDateTime, &Backup)> =
        completed.iter().filter(|b| !is_expired(b)).filter_map(|b| when(b).map(|t| (t, *b))).collect();
    // Newest last; ties broken by id so the answer does not depend on listing order.
    good.sort_by(|a, b| (a.0, &a.1.id).cmp(&(b.0, &b.1.id)));
    let newest_expired =
        completed.iter().filter(|b| is_expired(b)).filter_map(|b| when(b).map(|t| (t, b.expires))).max();
    let undated = completed.iter().filter(|b| when(b).is_none()).count();

    h.counts.total = backups.len();
    h.counts.completed = completed.len();
    h.counts.expired = backups
        .iter()
        .filter(|b| b.status == Status::Expired || (b.status == Status::Completed && is_expired(b)))
        .count();
    h.counts.unrecognized = backups.iter().filter(|b| b.status == Status::Other).count();

    let mut sizes: Vec<SizePoint> =
        completed.iter().filter_map(|b| Some(SizePoint { time: when(b)?, bytes: b.size_bytes? })).collect();
    sizes.sort_by_key(|p| (p.time, p.bytes));
    if let Some(u) = expectation.and_then(|e| e.size_rule).and_then(|rule| newest_unusual(&sizes, &rule)) {
        reasons.push(Reason::new(ReasonCode::UnusualSize, Verdict::Warning, u.words()));
    }
    h.sizes = sizes;

    // Freshness.
    if let Some((t, b)) = good.last() {
        let age = secs_between(*t, now);
        h.last_good = Some(LastGood {
            id: b.id.clone(),
            name: b.name.clone(),
            completed: *t,
            age_secs: age,
            age: duration_words(age),
            expires: b.expires,
        });
        match &expected {
            Some(e) => {
                let age_f = age as f64;
                let every = e.every_secs as f64;
                let words = format!("{}; expected every {}", duration_words(age), e.every);
                if age_f > every * policy.fail_factor {
                    reasons.push(Reason::new(
                        ReasonCode::Overdue,
                        Verdict::Failing,
                        format!("no completed backup for {words}"),
                    ));
                } else if age_f > every * policy.warn_factor {
                    reasons.push(Reason::new(
                        ReasonCode::Overdue,
                        Verdict::Warning,
                        format!("no completed backup for {words}"),
                    ));
                } else {
                    reasons.push(Reason::new(
                        ReasonCode::Fresh,
                        Verdict::Healthy,
                        format!("last completed backup {} ago; expected every {}", duration_words(age), e.every),
                    ));
                }
            }
            None => reasons.push(Reason::new(
                ReasonCode::NoExpectation,
                Verdict::Healthy,
                format!(
                    "last completed backup {} ago; no schedule or threshold is known, so its age is not judged",
                    duration_words(age)
                ),
            )),
        }
        // Expiry: only a threat if no newer backup is due before it.
        if let Some(expires) = b.expires {
            let left = secs_between(now, expires);
            let replaced_in_time = expected.as_ref().is_some_and(|e| {
                // Past the end of time (a garbage threshold) nothing is due.
                let due = t.checked_add(seconds(e.every_secs));
                due.is_some_and(|due| now < due && due < expires)
            });
            if left <= policy.expiring_within_secs && !replaced_in_time {
                reasons.push(Reason::new(
                    ReasonCode::ExpiringSoon,
                    Verdict::Warning,
                    format!(
                        "the newest completed backup expires in {} and there is no newer one",
                        duration_words(left)
                    ),
                ));
            }
        }
    } else if backups.is_empty() {
        reasons.push(match &expect_words {
            Some(w) => Reason::new(ReasonCode::NoBackups, Verdict::Failing, format!("no backups at all; {w}")),
            None => Reason::new(ReasonCode::NoBackups, Verdict::Unknown, "no backups at all"),
        });
    } else if let Some((t, expires)) = newest_expired {
        let ago = expires.map(|e| duration_words(secs_between(e, now))).unwrap_or_default();
        let text = format!(
            "every completed backup has expired; the newest, from {} ago, expired {ago} ago",
            duration_words(secs_between(t, now))
        );
        let severity = if expected.is_some() { Verdict::Failing } else { Verdict::Warning };
        reasons.push(Reason::new(ReasonCode::AllExpired, severity, text));
    } else if undated > 0 {
        reasons.push(Reason::new(
            ReasonCode::Undated,
            Verdict::Unknown,
            format!(
                "{} no date, so freshness cannot be judged",
                plural(undated, "completed backup has", "completed backups have")
            ),
        ));
    } else {
        reasons.push(match &expect_words {
            Some(w) => {
                Reason::new(ReasonCode::NeverCompleted, Verdict::Failing, format!("no completed backup yet; {w}"))
            }
            None => Reason::new(ReasonCode::NeverCompleted, Verdict::Unknown, "no completed backup yet"),
        });
    }

    // Failures: a streak of the newest attempts, else any in the window.
    // A window reaching before the start of time holds everything.
    let window_start = now.checked_sub(seconds(policy.failure_window_secs));
    let in_window = |b: &&&Backup| when(b).is_some_and(|t| window_start.is_none_or(|w| t >= w));
    let failed = backups.iter().filter(|b| b.status == Status::Failed).filter(in_window).count();
    let aborted = backups.iter().filter(|b| b.status == Status::Aborted).filter(in_window).count();
    h.counts.failed_in_window = failed;
    h.counts.aborted_in_window = aborted;
    let mut attempts: Vec<(OffsetDateTime, &Backup)> = backups
        .iter()
        .filter(|b| matches!(b.status, Status::Completed | Status::Failed | Status::Expired))
        .filter_map(|b| b.created.or(b.completed).map(|t| (t, *b)))
        .collect();
    attempts.sort_by(|a, b| (b.0, &b.1.id).cmp(&(a.0, &a.1.id)));
    let streak = attempts.iter().take_while(|(_, b)| b.status == Status::Failed).count();
    if policy.failing_streak > 0 && streak >= policy.failing_streak as usize {
        reasons.push(Reason::new(
            ReasonCode::ConsecutiveFailures,
            Verdict::Failing,
            if streak == attempts.len() {
                format!("every backup failed ({streak})")
            } else {
                format!("the last {streak} backups failed")
            },
        ));
    } else if failed + aborted > 0 {
        let mut parts = Vec::new();
        if failed > 0 {
            parts.push(format!("{failed} failed"));
        }
        if aborted > 0 {
            parts.push(format!("{aborted} aborted"));
        }
        reasons.push(Reason::new(
            ReasonCode::RecentFailures,
            Verdict::Warning,
            format!("{} in the last {}", parts.join(" and "), duration_words(policy.failure_window_secs)),
        ));
    }

    // Operations in progress.
    let sightings = expectation.map(|e| e.running_since.as_slice()).unwrap_or(&[]);
    for op in backups.iter().flat_map(|b| operations(b, sightings)) {
        h.counts.running += 1;
        let Some(started) = op.started else { continue };
        let running = secs_between(started, now);
        if running > policy.stuck_after_secs {
            h.counts.stuck += 1;
            let what = match op.operation {
                Operation::Backup => format!("backup \"{}\"", op.backup_name),
                other => format!("{} of backup \"{}\"", other.word(), op.backup_name),
            };
            reasons.push(Reason::new(
                ReasonCode::Stuck,
                Verdict::Warning,
                format!(
                    "{what} has been {} for {}",
                    if op.waiting { "waiting to start" } else { "running" },
                    duration_words(running)
                ),
            ));
        }
    }

    if h.counts.unrecognized > 0 {
        let mut raw: Vec<&str> =
            backups.iter().filter(|b| b.status == Status::Other).map(|b| b.status_raw.as_str()).collect();
        raw.sort_unstable();
        raw.dedup();
        let quoted: Vec<String> = raw.iter().map(|r| format!("\"{r}\"")).collect();
        reasons.push(Reason::new(
            ReasonCode::UnrecognizedStatus,
            Verdict::Healthy,
            format!(
                "{} a status Backboard does not know ({})",
                plural(h.counts.unrecognized, "backup has", "backups have"),
                quoted.join(", ")
            ),
        ));
    }
    for s in &unreadable {
        reasons.push(Reason::new(
            ReasonCode::UnreadableSchedule,
            Verdict::Healthy,
            format!("the schedule {} could not be read", s.in_words()),
        ));
    }

    // Worst first; stable, so equal severities keep the order above.
    reasons.sort_by_key(|r| std::cmp::Reverse(r.severity));
    h.verdict = reasons.iter().map(|r| r.severity).max().unwrap_or(Verdict::Healthy);
    h.reasons = reasons;
    h.expected = expected;
    h
}
