//! Monitoring at the edge, as pure functions: the sources the worker watches (with their
//! optional `threshold`), the query and HTTP status of `GET /api/v1/backups/health`, and what
//! the Cron Trigger does with a fresh set of verdicts (whom to tell, what to remember).
//! The verdicts themselves are [`crate::health`]'s.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use time::OffsetDateTime;

use crate::connection::Connection;
use crate::de::format_rfc3339;
use crate::health::{self, Change, Expectation, SourceHealth, Verdict};
use crate::provider::Provider;

/// One configured source and what is expected of it.
#[derive(Clone, Debug, PartialEq)]
pub struct Monitored {
    pub connection: Connection,
    /// From the source's optional `threshold`: the longest time between two backups before the
    /// source is overdue. Overrides the schedules the listing carries.
    pub threshold_secs: Option<u64>,
}

impl Monitored {
    pub fn expectation(&self) -> Expectation {
        let mut e = Expectation::new(self.connection.provider(), self.connection.source());
        e.threshold_secs = self.threshold_secs;
        e
    }
}

/// A duration in words: `"26h"`, `"90m"`, `"2d"`, `"1d 12h"`, `"1w"`, `"45s"`, or a bare number of
/// seconds. Units: s, m/min, h, d, w. Zero is refused: it would mean "always overdue".
pub fn parse_duration(text: &str) -> Result<u64, String> {
    let bad = || format!("{text:?} is not a duration like \"26h\", \"90m\", \"2d\" or \"1d 12h\"");
    let t = text.trim();
    if t.is_empty() {
        return Err(bad());
    }
    if let Ok(secs) = t.parse::<u64>() {
        return if secs > 0 { Ok(secs) } else { Err("a threshold must be more than 0".into()) };
    }
    let mut total: u64 = 0;
    let mut rest = t;
    while !rest.is_empty() {
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits == 0 {
            return Err(bad());
        }
        let n: u64 = rest[..digits].parse().map_err(|_| bad())?;
        rest = rest[digits..].trim_start();
        let unit_len = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_alphabetic()).len();
        let unit = match rest[..unit_len].to_ascii_lowercase().as_str() {
            "s" | "sec" | "secs" => 1,
            "m" | "min" | "mins" => 60,
            "h" | "hr" | "hrs" => 3600,
            "d" | "day" | "days" => 86_400,
            "w" | "week" | "weeks" => 7 * 86_400,
            _ => return Err(bad()),
        };
        total = n.checked_mul(unit).and_then(|s| total.checked_add(s)).ok_or_else(bad)?;
        rest = rest[unit_len..].trim_start();
    }
    if total == 0 {
        return Err("a threshold must be more than 0".into());
    }
    Ok(total)
}

/// Parses `BACKBOARD_SOURCES`: a JSON array of connections (the SPA's shape), each with an
/// optional `threshold` (a number of seconds or a duration in words, see [`parse_duration`]).
pub fn parse_sources(json: &str) -> Result<Vec<Monitored>, String> {
    let list: Vec<Value> =
        serde_json::from_str(json).map_err(|e| format!("BACKBOARD_SOURCES is not a JSON array of sources: {e}"))?;
    list.into_iter()
        .enumerate()
        .map(|(i, v)| {
            let name = v.get("label").and_then(Value::as_str).map(|l| format!("{l:?}")).unwrap_or_default();
            parse_source(v).map_err(|e| format!("BACKBOARD_SOURCES, source {} {name}: {e}", i + 1))
        })
        .collect()
}

/// One source of [`parse_sources`]'s shape: a connection with an optional `threshold`.
pub fn parse_source(v: Value) -> Result<Monitored, String> {
    let threshold_secs = match v.get("threshold") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => match n.as_u64() {
            Some(secs) if secs > 0 => Some(secs),
            _ => return Err(format!("threshold {n} must be a whole number of seconds above 0")),
        },
        Some(Value::String(s)) => Some(parse_duration(s).map_err(|e| format!("threshold {e}"))?),
        Some(other) => return Err(format!("threshold must be a string or a number, not {other}")),
    };
    let connection: Connection = serde_json::from_value(v).map_err(|e| e.to_string())?;
    Ok(Monitored { connection, threshold_secs })
}

// ---------------------------------------------------------------------------------------------
// GET /api/v1/backups/health

/// The health endpoint's query: `provider` and `source` choose sources as in `/api/v1/backups`;
/// `strict` makes the HTTP status follow the verdicts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HealthQuery {
    pub provider: Option<Provider>,
    /// A source's id or label.
    pub source: Option<String>,
    /// Answer 503 when the worst verdict is this or worse. `strict=1` (or `true`, `yes`,
    /// `failing`) is Failing; `strict=warning`; `strict=unknown` (anything not healthy).
    pub strict: Option<Verdict>,
}

impl HealthQuery {
    pub fn from_query(pairs: &[(String, String)]) -> Result<Self, String> {
        let mut q = HealthQuery::default();
        for (k, v) in pairs {
            match k.as_str() {
                "provider" => {
                    q.provider = Some(Provider::from_slug(v).ok_or_else(|| format!("unknown provider {v:?}"))?)
                }
                "source" => q.source = Some(v.clone()),
                "strict" => {
                    q.strict = match v.trim().to_ascii_lowercase().as_str() {
                        "" | "0" | "false" | "no" => None,
                        "1" | "true" | "yes" | "failing" => Some(Verdict::Failing),
                        "warning" => Some(Verdict::Warning),
                        "unknown" => Some(Verdict::Unknown),
                        _ => {
                            return Err(format!(
                                "strict must be 1 (503 when failing), warning or unknown (503 when anything is not healthy), got {v:?}"
                            ))
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(q)
    }

    pub fn wants(&self, m: &Monitored) -> bool {
        let source = m.connection.source();
        self.provider.is_none_or(|p| p == m.connection.provider())
            && self.source.as_ref().is_none_or(|s| *s == source.id || *s == m.connection.label)
    }

    /// 503 when strict and the worst verdict is at least the strict level, else 200.
    pub fn status(&self, worst: Verdict) -> u16 {
        if self.strict.is_some_and(|level| worst >= level) {
            503
        } else {
            200
        }
    }
}

/// The health endpoint's body: the worst verdict as `status`, a count per verdict and every
/// source's [`SourceHealth`].
pub fn health_body(sources: &[SourceHealth], now: OffsetDateTime) -> Value {
    let counts: BTreeMap<&str, usize> =
        Verdict::ALL.iter().map(|v| (v.as_str(), sources.iter().filter(|s| s.verdict == *v).count())).collect();
    json!({
        "status": health::worst(sources),
        "checkedAt": format_rfc3339(now),
        "counts": counts,
        "sources": sources,
    })
}

// ---------------------------------------------------------------------------------------------
// The Cron Trigger

/// What the cron remembers between runs (one KV value): the last verdict told per source key.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    pub verdicts: BTreeMap<String, Verdict>,
}

impl State {
    /// The stored value; none stored is the first run. A value that cannot be read is reported
    /// and treated as the first run (the next successful run overwrites it).
    pub fn from_stored(stored: Option<&str>) -> Result<State, String> {
        match stored {
            None => Ok(State::default()),
            Some(s) => serde_json::from_str(s).map_err(|e| format!("the stored monitoring state is unreadable: {e}")),
        }
    }

    pub fn to_stored(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// One run of the cron, decided.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub changes: Vec<Change>,
    /// The Slack-compatible body to post, when something changed.
    pub message: Option<String>,
    /// What to remember once the message (if any) was delivered.
    pub next: State,
}

impl Plan {
    /// Whether `next` differs from what is stored (no write when nothing changed).
    pub fn must_store(&self, previous: &State) -> bool {
        self.next != *previous
    }
}

/// Compares this run's verdicts with the remembered ones. The first run (nothing remembered)
/// tells only the sources that are not healthy; later runs tell every verdict that changed.
/// The caller stores `next` only after the message was delivered (or when there is none), so a
/// webhook that fails leaves the old state and the next run tells the same change again.
pub fn plan(previous: &State, current: &[SourceHealth]) -> Plan {
    let before: Vec<(String, Verdict)> = previous.verdicts.iter().map(|(k, v)| (k.clone(), *v)).collect();
    let changes = health::changes(&before, current);
    let message = health::slack_message(&changes);
    let next = State { verdicts: health::verdicts(current).into_iter().collect() };
    Plan { changes, message, next }
}

/// [`plan`] for the sources the flapping filter and quiet periods let through: the `held` ones
/// (a change settling, or kept quiet) are left out of the message and keep what was last told.
pub fn plan_held(previous: &State, current: &[SourceHealth], held: &std::collections::BTreeSet<String>) -> Plan {
    let told: Vec<SourceHealth> = current.iter().filter(|h| !held.contains(&h.key)).cloned().collect();
    let mut p = plan(previous, &told);
    for key in held {
        if let Some(v) = previous.verdicts.get(key) {
            p.next.verdicts.insert(key.clone(), *v);
        }
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::health::{Policy, ReasonCode};
    use crate::model::Source;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-03-02 12:00 UTC);

    #[test]
    fn durations() {
        assert_eq!(parse_duration("26h"), Ok(26 * 3600));
        assert_eq!(parse_duration(" 90m "), Ok(5400));
        assert_eq!(parse_duration("90 min"), Ok(5400));
        assert_eq!(parse_duration("1d 12h"), Ok(36 * 3600));
        assert_eq!(parse_duration("1D12H"), Ok(36 * 3600));
        assert_eq!(parse_duration("2w"), Ok(14 * 86_400));
        assert_eq!(parse_duration("45s"), Ok(45));
        assert_eq!(parse_duration("3600"), Ok(3600));
        for bad in ["", "h", "1.5h", "12 parsecs", "-3h", "99999999999999999999w", "3h x"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_duration("0h"), Err("a threshold must be more than 0".into()));
        assert_eq!(parse_duration("0"), Err("a threshold must be more than 0".into()));
    }

    const SOURCES: &str = r#"[
        {"provider": "mittwald", "label": "shop", "token": "t", "projectId": "p1", "threshold": "26h"},
        {"provider": "serveravatar", "label": "org", "token": "t", "organization": "5", "threshold": 7200},
        {"provider": "northflank", "label": "dest", "token": "t", "backupDestinationId": "d1"}
    ]"#;

    #[test]
    fn sources_with_and_without_threshold() {
        let list = parse_sources(SOURCES).unwrap();
        assert_eq!(list.len(), 3);
        assert_eq!(list[0].threshold_secs, Some(26 * 3600));
        assert_eq!(list[1].threshold_secs, Some(7200));
        assert_eq!(list[2].threshold_secs, None);
        let e = list[0].expectation();
        assert_eq!(e.provider, Provider::Mittwald);
        assert_eq!(e.source.id, "p1");
        assert_eq!(e.threshold_secs, Some(26 * 3600));
        assert!(e.schedules.is_empty(), "schedules come from the listing");
    }

    #[test]
    fn bad_sources_say_which_and_why() {
        let e = parse_sources(
            r#"[{"provider": "mittwald", "label": "shop", "token": "t", "projectId": "p", "threshold": "soon"}]"#,
        )
        .unwrap_err();
        assert!(e.contains("source 1 \"shop\"") && e.contains("threshold \"soon\" is not a duration"), "{e}");
        let e = parse_sources(
            r#"[{"provider": "mittwald", "label": "a", "token": "t", "projectId": "p", "threshold": -5}]"#,
        )
        .unwrap_err();
        assert!(e.contains("whole number of seconds above 0"), "{e}");
        let e = parse_sources(
            r#"[{"provider": "mittwald", "label": "a", "token": "t", "projectId": "p", "threshold": true}]"#,
        )
        .unwrap_err();
        assert!(e.contains("a string or a number"), "{e}");
        let e = parse_sources(r#"[{"provider": "nope", "label": "x"}]"#).unwrap_err();
        assert!(e.starts_with("BACKBOARD_SOURCES, source 1 \"x\""), "{e}");
        assert!(parse_sources("{}").unwrap_err().contains("not a JSON array"));
        assert_eq!(parse_sources("[]"), Ok(vec![]));
    }

    fn pairs(q: &[(&str, &str)]) -> Vec<(String, String)> {
        q.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn strict_levels_and_status() {
        let q = |v: &str| HealthQuery::from_query(&pairs(&[("strict", v)]));
        assert_eq!(q("1").unwrap().strict, Some(Verdict::Failing));
        assert_eq!(q("true").unwrap().strict, Some(Verdict::Failing));
        assert_eq!(q("warning").unwrap().strict, Some(Verdict::Warning));
        assert_eq!(q("unknown").unwrap().strict, Some(Verdict::Unknown));
        assert_eq!(q("0").unwrap().strict, None);
        assert!(q("maybe").unwrap_err().contains("strict must be"));

        let failing = q("1").unwrap();
        assert_eq!(failing.status(Verdict::Failing), 503);
        assert_eq!(failing.status(Verdict::Warning), 200);
        assert_eq!(failing.status(Verdict::Unknown), 200);
        let warning = q("warning").unwrap();
        assert_eq!(warning.status(Verdict::Warning), 503);
        assert_eq!(warning.status(Verdict::Unknown), 200);
        let unknown = q("unknown").unwrap();
        assert_eq!(unknown.status(Verdict::Unknown), 503);
        assert_eq!(unknown.status(Verdict::Healthy), 200);
        assert_eq!(HealthQuery::default().status(Verdict::Failing), 200, "not strict: always 200");
    }

    #[test]
    fn query_chooses_sources() {
        let list = parse_sources(SOURCES).unwrap();
        let q = HealthQuery::from_query(&pairs(&[("provider", "mittwald")])).unwrap();
        assert_eq!(list.iter().filter(|m| q.wants(m)).count(), 1);
        let q = HealthQuery::from_query(&pairs(&[("source", "d1")])).unwrap();
        assert!(q.wants(&list[2]) && !q.wants(&list[0]));
        let q = HealthQuery::from_query(&pairs(&[("source", "org")])).unwrap();
        assert!(q.wants(&list[1]));
        assert!(HealthQuery::from_query(&pairs(&[("provider", "aws")])).is_err());
    }

    /// A source with no backups: failing when a threshold is set, unknown without.
    fn judged(label: &str, threshold: Option<u64>) -> SourceHealth {
        let mut e = Expectation::new(
            Provider::Mittwald,
            Source { kind: "project".into(), id: label.into(), label: label.into() },
        );
        e.threshold_secs = threshold;
        health::evaluate(&[], &[e], NOW, &Policy::default()).remove(0)
    }

    #[test]
    fn body_shape() {
        let sources = [judged("a", Some(3600)), judged("b", None)];
        let body = health_body(&sources, NOW);
        assert_eq!(body["status"], "failing");
        assert_eq!(body["checkedAt"], "2026-03-02T12:00:00Z");
        assert_eq!(body["counts"], json!({"healthy": 0, "unknown": 1, "warning": 0, "failing": 1}));
        assert_eq!(body["sources"][0]["verdict"], "failing");
        assert_eq!(body["sources"][0]["reasons"][0]["code"], json!(ReasonCode::NoBackups));
        assert_eq!(health_body(&[], NOW)["status"], "unknown");
    }

    #[test]
    fn first_run_tells_only_what_is_not_healthy_then_only_changes() {
        let failing = judged("a", Some(3600));
        let first = plan(&State::default(), std::slice::from_ref(&failing));
        assert_eq!(first.changes.len(), 1);
        assert_eq!(first.changes[0].from, None);
        let msg = first.message.clone().unwrap();
        assert!(msg.contains("*a*") && msg.contains("failing"), "{msg}");
        assert!(first.must_store(&State::default()));

        // Delivered and stored: the same verdicts again tell nothing and store nothing.
        let stored = State::from_stored(Some(&first.next.to_stored())).unwrap();
        let again = plan(&stored, std::slice::from_ref(&failing));
        assert_eq!(again.message, None);
        assert!(!again.must_store(&stored));

        // A change is told with where it came from.
        let unknown = judged("a", None);
        let changed = plan(&stored, std::slice::from_ref(&unknown));
        assert_eq!(changed.changes.len(), 1);
        assert_eq!(changed.changes[0].from, Some(Verdict::Failing));
        assert_eq!(changed.changes[0].to, Verdict::Unknown);
        assert!(changed.message.unwrap().contains("failing → *unknown*"));
    }

    #[test]
    fn a_healthy_first_run_is_quiet_but_remembered() {
        let mut healthy = judged("a", None);
        healthy.verdict = Verdict::Healthy;
        let p = plan(&State::default(), std::slice::from_ref(&healthy));
        assert_eq!(p.message, None);
        assert!(p.must_store(&State::default()));
        assert_eq!(p.next.verdicts.get(&healthy.key), Some(&Verdict::Healthy));
    }

    #[test]
    fn held_sources_are_left_out_and_keep_what_was_told() {
        let a = judged("a", Some(3600));
        let b = judged("b", Some(3600));
        let mut stored = State::default();
        stored.verdicts.insert(a.key.clone(), Verdict::Healthy);
        let held: std::collections::BTreeSet<String> = [a.key.clone()].into();
        let p = plan_held(&stored, &[a.clone(), b.clone()], &held);
        assert_eq!(p.changes.iter().map(|c| c.label.as_str()).collect::<Vec<_>>(), ["b"]);
        assert_eq!(p.next.verdicts.get(&a.key), Some(&Verdict::Healthy), "still as last told");
        assert_eq!(p.next.verdicts.get(&b.key), Some(&Verdict::Failing));
        // Nothing held: as plan.
        assert_eq!(plan_held(&stored, &[a.clone(), b.clone()], &Default::default()), plan(&stored, &[a, b]));
    }

    #[test]
    fn stored_state() {
        assert_eq!(State::from_stored(None), Ok(State::default()));
        assert!(State::from_stored(Some("not json")).unwrap_err().contains("unreadable"));
        let s = State { verdicts: [("mittwald:project:p".to_string(), Verdict::Warning)].into() };
        assert_eq!(s.to_stored(), r#"{"verdicts":{"mittwald:project:p":"warning"}}"#);
    }
}
