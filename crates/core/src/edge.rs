//! The worker's own API, as pure functions: key check, filters, CSV.

use time::OffsetDateTime;

use crate::de::format_rfc3339;
use crate::model::{Backup, Status};
use crate::provider::Provider;

/// Compares in time independent of where the inputs differ (length still leaks, which is fine
/// for a random key of fixed length).
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Checks `Authorization: Bearer <key>` against the configured key. No key configured: refused.
pub fn authorized(header: Option<&str>, key: Option<&str>) -> bool {
    match (header.and_then(|h| h.strip_prefix("Bearer ")), key) {
        (Some(given), Some(key)) if !key.is_empty() => constant_time_eq(given.trim().as_bytes(), key.as_bytes()),
        _ => false,
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter {
    pub provider: Option<Provider>,
    /// Matches a source's id or label.
    pub source: Option<String>,
    pub status: Option<Status>,
    pub since: Option<OffsetDateTime>,
}

impl Filter {
    /// Reads `provider`, `source`, `status` and `since` (RFC 3339) from query pairs.
    pub fn from_query(pairs: &[(String, String)]) -> Result<Self, String> {
        let mut f = Filter::default();
        for (k, v) in pairs {
            match k.as_str() {
                "provider" => {
                    f.provider = Some(Provider::from_slug(v).ok_or_else(|| format!("unknown provider {v:?}"))?)
                }
                "source" => f.source = Some(v.clone()),
                "status" => f.status = Some(Status::parse(v).ok_or_else(|| format!("unknown status {v:?}"))?),
                "since" => {
                    f.since = Some(crate::de::rfc3339(v).ok_or_else(|| format!("since must be RFC 3339, got {v:?}"))?)
                }
                _ => {}
            }
        }
        Ok(f)
    }

    pub fn matches(&self, b: &Backup) -> bool {
        self.provider.is_none_or(|p| p == b.provider)
            && self.source.as_ref().is_none_or(|s| *s == b.source.id || *s == b.source.label)
            && self.status.is_none_or(|s| s == b.status)
            && self.since.is_none_or(|t| b.created.is_some_and(|c| c >= t))
    }
}

/// One CSV field, for every CSV the core writes.
pub(crate) fn csv_field(s: &str) -> String {
    // Quote always; double inner quotes; defuse spreadsheet formulas.
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_string() };
    format!("\"{}\"", s.replace('"', "\"\""))
}

pub const CSV_HEADER: &str = "provider,source_kind,source_id,source_label,id,name,status,status_raw,created,completed,expires,size_bytes,contents,link";

pub fn to_csv(backups: &[Backup]) -> String {
    let mut out = String::from(CSV_HEADER);
    out.push_str("\r\n");
    let t = |t: Option<OffsetDateTime>| t.map(format_rfc3339).unwrap_or_default();
    for b in backups {
        let row = [
            b.provider.slug().to_string(),
            b.source.kind.clone(),
            b.source.id.clone(),
            b.source.label.clone(),
            b.id.clone(),
            b.name.clone(),
            b.status.as_str().to_string(),
            b.status_raw.clone(),
            t(b.created),
            t(b.completed),
            t(b.expires),
            b.size_bytes.map(|s| s.to_string()).unwrap_or_default(),
            b.contents.describe(),
            b.link.clone().unwrap_or_default(),
        ];
        out.push_str(&row.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        assert!(authorized(Some("Bearer k3y"), Some("k3y")));
        assert!(!authorized(Some("Bearer k3"), Some("k3y")));
        assert!(!authorized(Some("k3y"), Some("k3y")));
        assert!(!authorized(Some("Bearer "), Some("")));
        assert!(!authorized(None, Some("k3y")));
    }

    #[test]
    fn csv_quotes_and_defuses() {
        assert_eq!(csv_field("a\"b"), "\"a\"\"b\"");
        assert_eq!(csv_field("=cmd()"), "\"'=cmd()\"");
    }

    #[test]
    fn filter_query() {
        let q = vec![("provider".to_string(), "mittwald".to_string()), ("status".into(), "failed".into())];
        let f = Filter::from_query(&q).unwrap();
        assert_eq!(f.provider, Some(Provider::Mittwald));
        assert!(Filter::from_query(&[("since".into(), "yesterday".into())]).is_err());
    }
}
