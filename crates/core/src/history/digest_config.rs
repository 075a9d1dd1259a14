//! The digest's configuration as the worker's `DIGEST` variable holds it (JSON): cadence, hour,
//! weekday, time zone name and channels, checked here so a bad setting gets a clear message.

use serde::Deserialize;

use serde_json::json;

use super::channels::{Channel, Target};
use super::digest::{Cadence, DigestSchedule};
use super::store::{Statement, DIGESTS};

/// A checked `DIGEST`: when it goes out, in which zone (an IANA name the host resolves), and
/// where to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DigestSetting {
    pub schedule: DigestSchedule,
    pub zone: String,
    pub channels: Vec<Target>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    every: String,
    hour: u8,
    #[serde(default)]
    weekday: Option<serde_json::Value>,
    #[serde(default)]
    zone: Option<String>,
    #[serde(default)]
    channels: Vec<RawChannel>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChannel {
    kind: String,
    url: String,
    #[serde(default)]
    secret: Option<String>,
}

const WEEKDAYS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/// A weekday as 0 (Sunday) to 6: a number, or a name ("mon", "Monday").
fn weekday(v: &serde_json::Value) -> Result<u8, String> {
    let bad = || format!("DIGEST weekday {v} is not a weekday; use mon … sun or 0 (Sunday) to 6");
    match v {
        serde_json::Value::Number(n) => n.as_u64().filter(|d| *d <= 6).map(|d| d as u8).ok_or_else(bad),
        serde_json::Value::String(s) => {
            let s = s.trim().to_ascii_lowercase();
            let found = WEEKDAYS.iter().position(|d| s.len() >= 3 && d.starts_with(&s[..3]));
            found.map(|d| d as u8).ok_or_else(bad)
        }
        _ => Err(bad()),
    }
}

impl DigestSetting {
    /// Reads and checks `DIGEST`; the zone defaults to UTC.
    pub fn parse(text: &str) -> Result<Self, String> {
        let raw: Raw = serde_json::from_str(text).map_err(|e| format!("DIGEST is not valid: {e}"))?;
        let cadence = match raw.every.trim().to_ascii_lowercase().as_str() {
            "daily" => Cadence::Daily,
            "weekly" => Cadence::Weekly,
            other => return Err(format!("DIGEST every {other:?} is not a cadence; use \"daily\" or \"weekly\"")),
        };
        let weekday = match (&raw.weekday, cadence) {
            (Some(v), Cadence::Weekly) => Some(weekday(v)?),
            (Some(_), Cadence::Daily) => return Err("DIGEST weekday is only for a weekly digest".to_string()),
            (None, _) => None,
        };
        let schedule = DigestSchedule { cadence, weekday, hour: raw.hour };
        schedule.validate().map_err(|e| format!("DIGEST: {e}"))?;
        let zone = raw.zone.map(|z| z.trim().to_string()).filter(|z| !z.is_empty()).unwrap_or_else(|| "UTC".into());
        if raw.channels.is_empty() {
            return Err("DIGEST needs at least one channel to send to".to_string());
        }
        let channels = raw
            .channels
            .into_iter()
            .enumerate()
            .map(|(i, c)| target(c).map_err(|e| format!("DIGEST channel {}: {e}", i + 1)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(DigestSetting { schedule, zone, channels })
    }
}

impl DigestSetting {
    /// Each channel with the name of its row in `digests` ("DIGEST 1 slack"): every channel
    /// claims its own period, so one that fails is retried without repeating the others.
    pub fn named(&self) -> impl Iterator<Item = (String, &Target)> {
        self.channels.iter().enumerate().map(|(i, t)| (format!("DIGEST {} {}", i + 1, t.channel.as_str()), t))
    }

    /// Writes each channel's row, keeping the period it last sent.
    pub fn upserts(&self) -> Vec<Statement> {
        let sql = format!(
            "INSERT INTO {} (name, cadence, weekday, hour, time_zone, channel, target_secret) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'DIGEST') ON CONFLICT(name) DO UPDATE SET cadence = excluded.cadence, \
             weekday = excluded.weekday, hour = excluded.hour, time_zone = excluded.time_zone, channel = excluded.channel",
            DIGESTS.name
        );
        let s = &self.schedule;
        self.named()
            .map(|(name, t)| Statement {
                sql: sql.clone(),
                params: vec![
                    json!(name),
                    json!(s.cadence.as_str()),
                    json!(s.weekday),
                    json!(s.hour),
                    json!(self.zone),
                    json!(t.channel.as_str()),
                ],
            })
            .collect()
    }
}

fn target(c: RawChannel) -> Result<Target, String> {
    let channel = Channel::parse(&c.kind)?;
    let url = c.url.trim().to_string();
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(format!("the {} URL must start with https://", channel.as_str()));
    }
    let secret = c.secret.filter(|s| !s.is_empty());
    if channel == Channel::Webhook && secret.is_none() {
        return Err("the signed webhook needs a secret to sign with".to_string());
    }
    Ok(Target { channel, url, secret })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_weekly_digest_with_two_channels() {
        let c = DigestSetting::parse(
            r#"{ "every": "weekly", "hour": 8, "weekday": "mon", "zone": "Europe/Berlin",
                 "channels": [{ "kind": "slack", "url": "https://hooks.slack.com/x" },
                              { "kind": "webhook", "url": "https://example.com/h", "secret": "s" }] }"#,
        )
        .expect("valid");
        assert_eq!(c.schedule, DigestSchedule { cadence: Cadence::Weekly, weekday: Some(1), hour: 8 });
        assert_eq!(c.zone, "Europe/Berlin");
        assert_eq!(c.channels.len(), 2);
        assert_eq!(c.channels[1].secret.as_deref(), Some("s"));
        let names: Vec<String> = c.named().map(|(n, _)| n).collect();
        assert_eq!(names, ["DIGEST 1 slack", "DIGEST 2 webhook"]);
        let up = c.upserts();
        assert_eq!(up.len(), 2);
        assert_eq!(up[1].params[0], "DIGEST 2 webhook");
        assert!(up[0].sql.contains("ON CONFLICT(name) DO UPDATE") && !up[0].sql.contains("last_period"));
    }

    #[test]
    fn daily_defaults_to_utc_and_weekdays_read_as_numbers_or_names() {
        let c = DigestSetting::parse(
            r#"{"every":"daily","hour":0,"channels":[{"kind":"ntfy","url":"https://ntfy.sh/t"}]}"#,
        );
        assert_eq!(c.expect("valid").zone, "UTC");
        for (w, n) in [("0", 0), ("6", 6), ("\"Sunday\"", 0), ("\"SAT\"", 6)] {
            let text = format!(
                r#"{{"every":"weekly","hour":9,"weekday":{w},"channels":[{{"kind":"slack","url":"https://x"}}]}}"#
            );
            assert_eq!(DigestSetting::parse(&text).expect("valid").schedule.weekday, Some(n), "{w}");
        }
    }

    #[test]
    fn bad_settings_say_what_is_wrong() {
        let slack = r#"[{"kind":"slack","url":"https://x"}]"#;
        let cases = [
            (format!(r#"{{"every":"hourly","hour":8,"channels":{slack}}}"#), "not a cadence"),
            (format!(r#"{{"every":"daily","hour":24,"channels":{slack}}}"#), "from 0 to 23"),
            (format!(r#"{{"every":"weekly","hour":8,"channels":{slack}}}"#), "needs a weekday"),
            (format!(r#"{{"every":"weekly","hour":8,"weekday":"xyz","channels":{slack}}}"#), "not a weekday"),
            (format!(r#"{{"every":"weekly","hour":8,"weekday":7,"channels":{slack}}}"#), "not a weekday"),
            (format!(r#"{{"every":"daily","hour":8,"weekday":1,"channels":{slack}}}"#), "only for a weekly"),
            (r#"{"every":"daily","hour":8,"channels":[]}"#.to_string(), "at least one channel"),
            (r#"{"every":"daily","hour":8,"channels":[{"kind":"email","url":"https://x"}]}"#.to_string(), "channel 1"),
            (r#"{"every":"daily","hour":8,"channels":[{"kind":"slack","url":"ftp://x"}]}"#.to_string(), "https://"),
            (r#"{"every":"daily","hour":8,"channels":[{"kind":"webhook","url":"https://x"}]}"#.to_string(), "secret"),
            (r#"{"every":"daily","hour":8,"chanels":[]}"#.to_string(), "not valid"),
            ("not json".to_string(), "not valid"),
        ];
        for (text, want) in cases {
            let e = DigestSetting::parse(&text).expect_err(&text);
            assert!(e.contains(want), "{text}: {e}");
        }
    }
}
