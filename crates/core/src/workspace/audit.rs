//! The audit log: who did what, with which role, on which connection and backup, how it ended
//! and when; its CSV export, and how long entries are kept.

use time::{Duration, OffsetDateTime};

use super::role::Role;
use crate::de::format_rfc3339;
use crate::edge::csv_field;

/// Entries are kept this many days unless `AUDIT_RETENTION_DAYS` says otherwise.
pub const DEFAULT_RETENTION_DAYS: u32 = 365;
/// At most ten years: beyond that the setting is more likely a typo.
pub const MAX_RETENTION_DAYS: u32 = 3650;

/// How the caller proved who they are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    /// A Cloudflare Access login; `who` is the email.
    Access,
    /// A personal API key; `who` is its owner's email, `key` its id.
    Key,
    /// Nobody proved anything (a refused request); `who` is empty.
    Anonymous,
}

impl Via {
    pub fn as_str(self) -> &'static str {
        match self {
            Via::Access => "access",
            Via::Key => "key",
            Via::Anonymous => "anonymous",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Via::Access, Via::Key, Via::Anonymous].into_iter().find(|v| v.as_str() == s)
    }
}

/// How the action ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Done; the provider's (or the workspace's) status.
    Ok(u16),
    /// Refused by the role check: nothing was sent.
    Denied,
    /// Attempted, and the provider or the workspace answered with this error status.
    Failed(u16),
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok(_) => "ok",
            Outcome::Denied => "denied",
            Outcome::Failed(_) => "failed",
        }
    }

    pub fn status(self) -> Option<u16> {
        match self {
            Outcome::Ok(s) | Outcome::Failed(s) => Some(s),
            Outcome::Denied => None,
        }
    }

    /// From a stored row's `outcome` and `status`.
    pub fn from_parts(outcome: &str, status: Option<u16>) -> Option<Self> {
        match (outcome, status) {
            ("ok", Some(s)) => Some(Outcome::Ok(s)),
            ("denied", _) => Some(Outcome::Denied),
            ("failed", Some(s)) => Some(Outcome::Failed(s)),
            _ => None,
        }
    }

    /// A response's outcome by its status: 2xx and 3xx are done.
    pub fn of_status(status: u16) -> Self {
        if status < 400 {
            Outcome::Ok(status)
        } else {
            Outcome::Failed(status)
        }
    }
}

/// One entry. Never a token, a key or a request body: ids and names only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub at: OffsetDateTime,
    pub who: String,
    pub via: Via,
    /// The API key's id when `via` is [`Via::Key`].
    pub key: Option<String>,
    /// The role the caller had then (none when unknown).
    pub role: Option<Role>,
    pub connection: Option<String>,
    pub backup: Option<String>,
    /// `<scope>.<route>`: `mittwald.delete_backup`, `workspace.add_member`.
    pub action: String,
    pub outcome: Outcome,
}

/// The action name of a route: its scope (a provider's slug, `workspace` or `edge`) and name.
pub fn action(scope: &str, route: &str) -> String {
    format!("{scope}.{route}")
}

pub const CSV_HEADER: &str = "at,who,via,key,role,connection,backup,action,outcome,status";

/// The entries as CSV (RFC 4180, CRLF), every field quoted, formulas defused for spreadsheets.
pub fn to_csv(entries: &[Entry]) -> String {
    let mut out = String::from(CSV_HEADER);
    out.push_str("\r\n");
    for e in entries {
        let row = [
            format_rfc3339(e.at),
            e.who.clone(),
            e.via.as_str().to_string(),
            e.key.clone().unwrap_or_default(),
            e.role.map(|r| r.as_str().to_string()).unwrap_or_default(),
            e.connection.clone().unwrap_or_default(),
            e.backup.clone().unwrap_or_default(),
            e.action.clone(),
            e.outcome.as_str().to_string(),
            e.outcome.status().map(|s| s.to_string()).unwrap_or_default(),
        ];
        out.push_str(&row.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

/// Reads `AUDIT_RETENTION_DAYS`: unset or blank is [`DEFAULT_RETENTION_DAYS`].
pub fn retention_days(setting: Option<&str>) -> Result<u32, String> {
    let Some(s) = setting.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(DEFAULT_RETENTION_DAYS);
    };
    match s.parse::<u32>() {
        Ok(d) if (1..=MAX_RETENTION_DAYS).contains(&d) => Ok(d),
        _ => Err(format!(
            "AUDIT_RETENTION_DAYS must be a whole number of days from 1 to {MAX_RETENTION_DAYS}, got {s:?}"
        )),
    }
}

/// Entries before this instant are deleted (`DELETE FROM audit_log WHERE at < ?`).
pub fn cutoff(now: OffsetDateTime, days: u32) -> OffsetDateTime {
    now - Duration::days(i64::from(days))
}

/// The stored form of an instant: Unix milliseconds, which sort and compare as numbers.
pub fn to_millis(t: OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

pub fn from_millis(ms: i64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok()
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    const NOW: OffsetDateTime = datetime!(2026-12-01 10:00:00.250 UTC);

    fn entry() -> Entry {
        Entry {
            at: NOW,
            who: "ana@example.com".into(),
            via: Via::Access,
            key: None,
            role: Some(Role::Operator),
            connection: Some("c-1".into()),
            backup: Some("b-9".into()),
            action: action("mittwald", "create_backup"),
            outcome: Outcome::Ok(201),
        }
    }

    #[test]
    fn entries_export_as_csv() {
        let denied = Entry {
            via: Via::Key,
            key: Some("a5f0".into()),
            role: Some(Role::Viewer),
            backup: None,
            action: action("mittwald", "delete_backup"),
            outcome: Outcome::Denied,
            ..entry()
        };
        assert_eq!(
            to_csv(&[entry(), denied]),
            "at,who,via,key,role,connection,backup,action,outcome,status\r\n\
             \"2026-12-01T10:00:00.25Z\",\"ana@example.com\",\"access\",\"\",\"operator\",\"c-1\",\"b-9\",\"mittwald.create_backup\",\"ok\",\"201\"\r\n\
             \"2026-12-01T10:00:00.25Z\",\"ana@example.com\",\"key\",\"a5f0\",\"viewer\",\"c-1\",\"\",\"mittwald.delete_backup\",\"denied\",\"\"\r\n"
        );
    }

    #[test]
    fn csv_fields_are_escaped_and_formulas_defused() {
        for (who, field) in [
            ("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""),
            ("+1", "\"'+1\""),
            ("-2+3", "\"'-2+3\""),
            ("@SUM(A1)", "\"'@SUM(A1)\""),
            ("\t=1", "\"'\t=1\""),
            ("\r=1", "\"'\r=1\""),
            ("a,b\r\nc", "\"a,b\r\nc\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ] {
            let csv = to_csv(&[Entry { who: who.into(), ..entry() }]);
            let row = csv.split_once("\r\n").unwrap().1;
            assert!(row.starts_with(&format!("\"2026-12-01T10:00:00.25Z\",{field},")), "{who:?}: {row}");
        }
    }

    #[test]
    fn outcomes_round_trip_through_their_columns() {
        for o in [Outcome::Ok(200), Outcome::Denied, Outcome::Failed(502)] {
            assert_eq!(Outcome::from_parts(o.as_str(), o.status()), Some(o));
        }
        assert_eq!(Outcome::from_parts("ok", None), None);
        assert_eq!(Outcome::of_status(204), Outcome::Ok(204));
        assert_eq!(Outcome::of_status(403), Outcome::Failed(403));
        for v in [Via::Access, Via::Key, Via::Anonymous] {
            assert_eq!(Via::parse(v.as_str()), Some(v));
        }
    }

    #[test]
    fn retention_is_configurable_in_days() {
        assert_eq!(retention_days(None), Ok(DEFAULT_RETENTION_DAYS));
        assert_eq!(retention_days(Some(" ")), Ok(DEFAULT_RETENTION_DAYS));
        assert_eq!(retention_days(Some("30")), Ok(30));
        for bad in ["0", "-1", "30d", "3651", "1.5"] {
            assert!(retention_days(Some(bad)).unwrap_err().contains("1 to 3650"), "{bad}");
        }
        assert_eq!(cutoff(NOW, 30), datetime!(2026-11-01 10:00:00.250 UTC));
    }

    #[test]
    fn instants_are_stored_as_milliseconds() {
        assert_eq!(to_millis(NOW), 1_796_119_200_250);
        assert_eq!(from_millis(to_millis(NOW)), Some(NOW));
        assert!(to_millis(cutoff(NOW, 1)) < to_millis(NOW));
    }
}
