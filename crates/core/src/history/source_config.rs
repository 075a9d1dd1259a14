//! A source's settings as the edge API reads and writes them
//! (`GET/PUT /api/v1/sources/{key}/settings`, `PUT/DELETE /api/v1/sources/{key}/snooze`):
//! quiet windows, "snooze until", the zone recurring windows are read in, the flapping filter's
//! runs and the unusual-size rule; checked here, and the statements that store them.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use time::{Duration, OffsetDateTime};

use super::store::{Statement, QUIET_WINDOWS, SOURCE_SETTINGS};
use super::{Quiet, SizeRule, SourceSettings, Window, HOLD_RUNS};
use crate::monitor::parse_duration;

/// At most this many maintenance windows per source (each is checked on every run).
pub const MAX_WINDOWS: usize = 20;
/// At most this many runs a verdict must hold: 96 runs of 15 minutes are a day.
pub const MAX_HOLD_RUNS: u32 = 96;

/// The settings document. Every field may be left out: it then takes its default.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsDoc {
    #[serde(default)]
    pub windows: Vec<Window>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub snooze_until: Option<OffsetDateTime>,
    /// IANA name recurring windows are read in; None is UTC. The worker checks the name.
    #[serde(default)]
    pub time_zone: Option<String>,
    /// Runs a new verdict must hold before it is announced (1: at once).
    #[serde(default = "default_hold")]
    pub flap_runs: u32,
    /// Whether a newest backup of unusual size is a warning.
    #[serde(default = "default_true")]
    pub size_check: bool,
    #[serde(default)]
    pub size: SizeRule,
}

fn default_hold() -> u32 {
    HOLD_RUNS
}

fn default_true() -> bool {
    true
}

impl Default for SettingsDoc {
    fn default() -> Self {
        Self {
            windows: Vec::new(),
            snooze_until: None,
            time_zone: None,
            flap_runs: HOLD_RUNS,
            size_check: true,
            size: SizeRule::default(),
        }
    }
}

impl SettingsDoc {
    /// Reads and checks a `PUT` body.
    pub fn parse(body: &str) -> Result<Self, String> {
        let doc: SettingsDoc =
            serde_json::from_str(body).map_err(|e| format!("the settings are not valid JSON of their shape: {e}"))?;
        doc.validate()?;
        Ok(doc)
    }

    pub fn validate(&self) -> Result<(), String> {
        if self.windows.len() > MAX_WINDOWS {
            return Err(format!("at most {MAX_WINDOWS} maintenance windows per source, not {}", self.windows.len()));
        }
        for (i, w) in self.windows.iter().enumerate() {
            w.validate().map_err(|e| format!("window {}: {e}", i + 1))?;
        }
        if !(1..=MAX_HOLD_RUNS).contains(&self.flap_runs) {
            return Err(format!("flap_runs is from 1 to {MAX_HOLD_RUNS} runs, not {}", self.flap_runs));
        }
        self.size.validate()?;
        if self.time_zone.as_deref().is_some_and(|z| z.trim().is_empty()) {
            return Err("time_zone is an IANA name like Europe/Berlin, or null for UTC".to_string());
        }
        Ok(())
    }

    /// The document of stored settings (defaults when none are stored).
    pub fn of(s: Option<&SourceSettings>) -> Self {
        let Some(s) = s else { return Self::default() };
        Self {
            windows: s.quiet.windows.clone(),
            snooze_until: s.quiet.snooze_until,
            time_zone: s.time_zone.clone(),
            flap_runs: s.hold_runs,
            size_check: s.size_rule.is_some(),
            size: s.size_rule.unwrap_or_default(),
        }
    }

    pub fn quiet(&self) -> Quiet {
        Quiet { windows: self.windows.clone(), snooze_until: self.snooze_until }
    }

    /// The size rule health applies: None when the check is off.
    pub fn size_rule(&self) -> Option<SizeRule> {
        self.size_check.then_some(self.size)
    }

    /// Stores the document for `source` (its row made if no run has yet), replacing its
    /// windows: one batch, so a reader sees the old settings or the new, never a mix.
    pub fn statements(&self, source: &str, label: &str, now: OffsetDateTime) -> Vec<Statement> {
        let window = if self.size_check { self.size.window } else { 0 };
        let mut out = vec![Statement {
            sql: format!(
                "INSERT INTO {} (source, label, added_at, size_window, size_tolerance_pct, size_min_points, \
                 flap_runs, snooze_until, time_zone) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) \
                 ON CONFLICT (source) DO UPDATE SET size_window = excluded.size_window, \
                 size_tolerance_pct = excluded.size_tolerance_pct, size_min_points = excluded.size_min_points, \
                 flap_runs = excluded.flap_runs, snooze_until = excluded.snooze_until, time_zone = excluded.time_zone",
                SOURCE_SETTINGS.name
            ),
            params: vec![
                json!(source),
                json!(label),
                json!(now.unix_timestamp()),
                json!(window),
                json!(self.size.tolerance_pct),
                json!(self.size.min_points),
                json!(self.flap_runs),
                json!(self.snooze_until.map(|t| t.unix_timestamp())),
                json!(self.time_zone.as_deref().map(str::trim)),
            ],
        }];
        out.push(Statement {
            sql: format!("DELETE FROM {} WHERE source = ?1", QUIET_WINDOWS.name),
            params: vec![json!(source)],
        });
        for w in &self.windows {
            let (starts, ends, cron, duration) = match w {
                Window::Once { from, until } => {
                    (json!(from.unix_timestamp()), json!(until.unix_timestamp()), Value::Null, Value::Null)
                }
                Window::Recurring { cron, duration_secs } => {
                    (Value::Null, Value::Null, json!(cron), json!(duration_secs))
                }
            };
            out.push(Statement {
                sql: format!(
                    "INSERT INTO {} (source, starts_at, ends_at, cron, duration_secs) VALUES (?1, ?2, ?3, ?4, ?5)",
                    QUIET_WINDOWS.name
                ),
                params: vec![json!(source), starts, ends, cron, duration],
            });
        }
        out
    }
}

/// A snooze request: `{"until": "<RFC 3339>"}` or `{"for": "2h"}` (a duration in words, see
/// [`parse_duration`]), up to [`MAX_SNOOZE_SECS`] ahead.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSnooze {
    #[serde(default, with = "time::serde::rfc3339::option")]
    until: Option<OffsetDateTime>,
    #[serde(default, rename = "for")]
    for_: Option<String>,
}

/// The longest snooze: 90 days (longer is a source to remove, not to silence).
pub const MAX_SNOOZE_SECS: i64 = 90 * 86_400;

/// Until when a snooze request at `now` silences the source.
pub fn parse_snooze(body: &str, now: OffsetDateTime) -> Result<OffsetDateTime, String> {
    let shape = "a snooze is {\"until\": \"2026-12-01T08:00:00Z\"} or {\"for\": \"2h\"}";
    let raw: RawSnooze = serde_json::from_str(body).map_err(|e| format!("{shape}: {e}"))?;
    let until = match (raw.until, raw.for_) {
        (Some(u), None) => u,
        (None, Some(f)) => {
            let secs = parse_duration(&f).map_err(|e| format!("for: {e}"))?;
            now + Duration::seconds(i64::try_from(secs).unwrap_or(i64::MAX).min(MAX_SNOOZE_SECS + 1))
        }
        _ => return Err(format!("{shape}, one of the two")),
    };
    if until <= now {
        return Err("a snooze must end in the future".to_string());
    }
    if (until - now).whole_seconds() > MAX_SNOOZE_SECS {
        return Err("a snooze lasts at most 90 days".to_string());
    }
    Ok(until)
}

/// The answer of the settings routes: the source, its settings, until when it is quiet now
/// (None: it is not), and the defaults.
pub fn settings_json(source: &str, label: &str, doc: &SettingsDoc, quiet_until: Option<OffsetDateTime>) -> Value {
    json!({
        "source": source,
        "label": label,
        "settings": doc,
        "quiet_until": quiet_until.map(crate::de::format_rfc3339),
        "defaults": SettingsDoc::default(),
    })
}

/// Sets (or with None, ends) a source's snooze, its row made if no run has yet.
pub fn snooze_statement(source: &str, label: &str, until: Option<OffsetDateTime>, now: OffsetDateTime) -> Statement {
    Statement {
        sql: format!(
            "INSERT INTO {} (source, label, added_at, snooze_until) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (source) DO UPDATE SET snooze_until = excluded.snooze_until",
            SOURCE_SETTINGS.name
        ),
        params: vec![
            json!(source),
            json!(label),
            json!(now.unix_timestamp()),
            json!(until.map(|t| t.unix_timestamp())),
        ],
    }
}

impl super::Configured {
    /// The size rule health applies to a source: its own, or the default when it has no
    /// settings yet; None when its check is off.
    pub fn size_rule(&self, key: &str) -> Option<SizeRule> {
        self.settings.get(key).map_or(Some(SizeRule::default()), |s| s.size_rule)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-06-01 12:00 UTC);

    #[test]
    fn an_empty_document_is_the_defaults() {
        let d = SettingsDoc::parse("{}").expect("valid");
        assert_eq!(d, SettingsDoc::default());
        assert_eq!(d.flap_runs, HOLD_RUNS);
        assert_eq!(d.size_rule(), Some(SizeRule::default()));
        assert_eq!(SettingsDoc::of(None), d);
    }

    #[test]
    fn a_full_document_round_trips_through_its_rows() {
        let body = r#"{"windows":[{"kind":"once","from":"2026-06-02T00:00:00Z","until":"2026-06-02T04:00:00Z"},
            {"kind":"recurring","cron":"0 2 * * sun","duration_secs":7200}],
            "snooze_until":"2026-06-01T18:00:00Z","time_zone":"Europe/Berlin","flap_runs":3,
            "size_check":true,"size":{"window":10,"tolerance_pct":30,"min_points":4}}"#;
        let d = SettingsDoc::parse(body).expect("valid");
        let st = d.statements("mittwald:project:p1", "shop", NOW);
        assert_eq!(st.len(), 4, "the row, the old windows gone, two windows");
        assert!(st[0].sql.contains("ON CONFLICT (source) DO UPDATE") && !st[0].sql.contains("label = excluded"));
        assert_eq!(st[0].params[3], 10);
        assert_eq!(st[0].params[6], 3);
        assert_eq!(st[0].params[8], "Europe/Berlin");
        assert!(st[1].sql.starts_with("DELETE FROM quiet_windows"));
        assert_eq!(st[3].params[3], "0 2 * * sun");
        // The rows as the cron reads them back give the same document.
        let row = json!({"source": "mittwald:project:p1", "label": "shop", "added_at": NOW.unix_timestamp(),
            "size_window": 10, "size_tolerance_pct": 30, "size_min_points": 4, "flap_runs": 3,
            "snooze_until": st[0].params[7], "time_zone": "Europe/Berlin"});
        let windows: Vec<Value> = st[2..]
            .iter()
            .map(|s| {
                json!({"source": s.params[0], "starts_at": s.params[1], "ends_at": s.params[2],
                "cron": s.params[3], "duration_secs": s.params[4]})
            })
            .collect();
        let c = super::super::settings_from_rows(&[row], &windows, &[]).expect("rows");
        assert_eq!(SettingsDoc::of(c.settings.get("mittwald:project:p1")), d);
    }

    #[test]
    fn the_size_check_off_is_stored_as_a_zero_window() {
        let d = SettingsDoc::parse(r#"{"size_check":false}"#).expect("valid");
        assert_eq!(d.size_rule(), None);
        assert_eq!(d.statements("k", "l", NOW)[0].params[3], 0);
    }

    #[test]
    fn bad_documents_say_what_is_wrong() {
        for (body, want) in [
            (r#"{"flap_runs":0}"#, "flap_runs is from 1"),
            (r#"{"flap_runs":97}"#, "flap_runs is from 1"),
            (r#"{"size":{"window":0}}"#, "size window"),
            (r#"{"size":{"tolerance_pct":0}}"#, "tolerance"),
            (r#"{"windows":[{"kind":"recurring","cron":"every day","duration_secs":600}]}"#, "window 1: "),
            (r#"{"windows":[{"kind":"recurring","cron":"0 2 * * *","duration_secs":10}]}"#, "1 minute to 7 days"),
            (
                r#"{"windows":[{"kind":"once","from":"2026-06-02T04:00:00Z","until":"2026-06-02T00:00:00Z"}]}"#,
                "end after it starts",
            ),
            (r#"{"snooze_until":"tomorrow"}"#, "not valid JSON of their shape"),
            (r#"{"time_zone":" "}"#, "IANA name"),
            (r#"{"quiet":true}"#, "unknown field"),
            ("5", "not valid JSON"),
        ] {
            let e = SettingsDoc::parse(body).expect_err(body);
            assert!(e.contains(want), "{body}: {e}");
        }
        let many: Vec<String> =
            (0..21).map(|_| r#"{"kind":"recurring","cron":"0 2 * * *","duration_secs":600}"#.into()).collect();
        let e = SettingsDoc::parse(&format!(r#"{{"windows":[{}]}}"#, many.join(","))).expect_err("too many");
        assert!(e.contains("at most 20"), "{e}");
    }

    #[test]
    fn a_source_without_settings_has_the_default_size_rule() {
        let mut c = super::super::Configured::default();
        assert_eq!(c.size_rule("k"), Some(SizeRule::default()));
        let mut s = super::super::settings_from_rows(
            &[json!({"source": "k", "label": "l", "added_at": 0, "size_window": 0})],
            &[],
            &[],
        )
        .expect("rows");
        c.settings.append(&mut s.settings);
        assert_eq!(c.size_rule("k"), None, "a zero window is the check off");
        let st = snooze_statement("k", "l", None, NOW);
        assert_eq!(st.params[3], Value::Null);
        assert!(st.sql.contains("snooze_until = excluded.snooze_until"));
    }

    #[test]
    fn snoozes_until_a_time_or_for_a_while() {
        assert_eq!(parse_snooze(r#"{"for":"2h"}"#, NOW), Ok(NOW + Duration::hours(2)));
        assert_eq!(parse_snooze(r#"{"until":"2026-06-02T08:00:00Z"}"#, NOW), Ok(datetime!(2026-06-02 08:00 UTC)));
        for (body, want) in [
            (r#"{"until":"2026-06-01T11:00:00Z"}"#, "in the future"),
            (r#"{"for":"91d"}"#, "at most 90 days"),
            (r#"{"for":"soon"}"#, "for: "),
            (r#"{}"#, "one of the two"),
            (r#"{"for":"1h","until":"2026-06-02T08:00:00Z"}"#, "one of the two"),
            ("nope", "a snooze is"),
        ] {
            let e = parse_snooze(body, NOW).expect_err(body);
            assert!(e.contains(want), "{body}: {e}");
        }
    }
}
