//! A verdict as an icon, a word and a border style: never a colour alone.

use backboard_core::health::Verdict;
use leptos::prelude::*;

pub fn verdict_icon(v: Option<Verdict>) -> &'static str {
    match v {
        Some(Verdict::Healthy) => "✓",
        Some(Verdict::Unknown) => "?",
        Some(Verdict::Warning) => "▲",
        Some(Verdict::Failing) => "✕",
        None => "…",
    }
}

pub fn verdict_word(v: Option<Verdict>) -> &'static str {
    match v {
        Some(Verdict::Healthy) => "Healthy",
        Some(Verdict::Unknown) => "Unknown",
        Some(Verdict::Warning) => "Warning",
        Some(Verdict::Failing) => "Failing",
        None => "Checking",
    }
}

#[component]
pub fn VerdictBadge(verdict: Option<Verdict>) -> impl IntoView {
    let class = format!("verdict verdict-{}", verdict.map(Verdict::as_str).unwrap_or("checking"));
    view! {
        <span class=class>
            <span class="verdict-icon" aria-hidden="true">{verdict_icon(verdict)}</span>
            " " {verdict_word(verdict)}
        </span>
    }
}
