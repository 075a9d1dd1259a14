//! The SPA's report page: its address (`#/report?from=&to=&sources=`), the range it asks for,
//! checked as the edge API checks it, and its JSON export (its CSV is [`super::days_csv`]).

use serde_json::{json, Value};
use time::Date;

use super::{day_text, range_from_query, Day, Range, Ratio};
use crate::http::{encode_component, parse_query};

/// The report's form as typed: days as text, sources as their keys (`serveravatar:organization:5`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReportQuery {
    pub from: String,
    pub to: String,
    /// Empty: every source.
    pub sources: Vec<String>,
}

impl ReportQuery {
    /// Reads the page's query; `sources` is a comma-separated list of keys.
    pub fn parse(query: &str) -> Self {
        let mut out = ReportQuery::default();
        for (k, v) in parse_query(query) {
            match k.as_str() {
                "from" => out.from = v,
                "to" => out.to = v,
                "sources" => {
                    out.sources = v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
                }
                _ => {}
            }
        }
        out
    }

    /// The query that reads back as this (empty parts left out).
    pub fn to_query(&self) -> String {
        let mut parts = Vec::new();
        if !self.from.trim().is_empty() {
            parts.push(format!("from={}", encode_component(self.from.trim())));
        }
        if !self.to.trim().is_empty() {
            parts.push(format!("to={}", encode_component(self.to.trim())));
        }
        if !self.sources.is_empty() {
            let keys: Vec<String> = self.sources.iter().map(|s| encode_component(s)).collect();
            parts.push(format!("sources={}", keys.join(",")));
        }
        parts.join("&")
    }

    /// The range of UTC days asked for, by the edge API's rules: without `to`, today; without
    /// `from`, the 30 days up to `to`; `from` not after `to`; at most 3650 days.
    pub fn range(&self, today: Date) -> Result<Range, String> {
        let mut pairs = Vec::new();
        if !self.from.trim().is_empty() {
            pairs.push(("from".to_string(), self.from.clone()));
        }
        if !self.to.trim().is_empty() {
            pairs.push(("to".to_string(), self.to.clone()));
        }
        range_from_query(&pairs, today)
    }

    /// Whether a source is in the report.
    pub fn includes(&self, key: &str) -> bool {
        self.sources.is_empty() || self.sources.iter().any(|s| s == key)
    }
}

/// One source's part of a report.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportSource {
    pub key: String,
    pub label: String,
    /// Where the days come from, in words.
    pub evidence: String,
    pub days: Vec<Day>,
}

/// The report as JSON: per source its key, label, evidence, totals over the range and days.
pub fn report_json(range: Range, sources: &[ReportSource]) -> Value {
    let list: Vec<Value> = sources
        .iter()
        .map(|s| {
            json!({"key": s.key, "label": s.label, "evidence": s.evidence, "summary": Ratio::of(&s.days), "days": s.days})
        })
        .collect();
    json!({ "from": day_text(range.from), "to": day_text(range.to), "sources": list })
}
