//! A source's history on its page: the 90-day strip, compliance over 7, 30 and 90 days (days
//! without data counted apart) and the size trend, from the worker's recorded history when the
//! edge API key is set, else from the backups the provider still lists. The page says which.

use backboard_core::health::SizePoint;
use backboard_core::history::{Compliance, Ratio};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::edge_key::EdgeKey;
use super::evidence::{ask, asks_worker, from_listing, listed_days, strip_range, Asked, FROM_WORKER};
use super::strip::{DayStrip, StripLegend};
use crate::clock::now;
use crate::health::{HealthState, SizeChart};
use crate::state::AppState;

/// The percentage, and the counts behind it ("14 of 15 days; 1 missed, 15 without data").
pub fn figure_parts(r: &Ratio) -> (String, String) {
    let words = r.words();
    match r.percent {
        Some(p) => {
            let counts = words.strip_prefix(&format!("{p:.1}% (")).and_then(|w| w.strip_suffix(')'));
            (format!("{p:.1}%"), counts.map_or(words.clone(), str::to_string))
        }
        None => ("no data".to_string(), words),
    }
}

#[component]
fn Figure(label: &'static str, ratio: Signal<Ratio>) -> impl IntoView {
    let parts = Memo::new(move |_| figure_parts(&ratio.get()));
    view! {
        <div class="figure">
            <dt>{label}</dt>
            <dd><strong class="percent">{move || parts.get().0}</strong>" "<span class="muted">{move || parts.get().1}</span></dd>
        </div>
    }
}

/// What the panel shows once it has days.
#[derive(Clone, Debug, PartialEq)]
struct Shown {
    compliance: Compliance,
    sizes: Option<Vec<SizePoint>>,
    source: String,
    note: Option<String>,
}

#[component]
pub fn HistoryPanel(connection_id: String) -> impl IntoView {
    let state = AppState::get();
    let health = HealthState::get();
    let key = EdgeKey::get();
    let card_id = connection_id.clone();
    let card = Memo::new(move |_| health.card(&card_id));
    let Some(first) = card.get_untracked() else { return ().into_any() };
    let connection = first.connection.clone();
    let provider = connection.provider();
    let label = connection.label.clone();
    let strip_label = format!("{label}: the last 90 days, oldest first");
    // The worker is asked again when the key changes.
    let asked = RwSignal::new(Asked::No);
    Effect::new(move |_| {
        let api_key = key.0.get();
        if !asks_worker(&connection, &api_key) {
            asked.set(Asked::No);
            return;
        }
        asked.set(Asked::Waiting);
        let connection = connection.clone();
        spawn_local(async move {
            let answer = ask(&connection, &api_key, strip_range(now())).await;
            // The answer is for the key still set (another may have been typed meanwhile).
            if key.0.try_with_untracked(|k| *k == api_key) == Some(true) {
                let _ = asked.try_set(match answer {
                    Ok(r) => Asked::Got(r),
                    Err(e) => Asked::Failed(e),
                });
            }
        });
    });
    // What is shown, or what it waits for. A Memo: the clock's minute ticks re-judge the listing,
    // and only a change of the days reaches the page.
    let shown = Memo::new(move |_| -> Result<Shown, String> {
        let at = health.clock.get().max(now());
        match asked.get() {
            Asked::Waiting => Err("Reading the worker's recorded history…".into()),
            Asked::Got(r) => Ok(Shown {
                compliance: Compliance::of_strip(r.days.clone()),
                sizes: Some(r.sizes()),
                source: FROM_WORKER.to_string(),
                note: None,
            }),
            other => {
                let waiting = || format!("Reading the backups from {}…", provider.name());
                let c = card.get().ok_or_else(waiting)?;
                let days = listed_days(state, &c, strip_range(at), at).ok_or_else(waiting)?;
                let note = match other {
                    Asked::Failed(e) => Some(format!("The worker's history could not be used: {e}.")),
                    _ => None,
                };
                Ok(Shown { compliance: Compliance::of_strip(days), sizes: None, source: from_listing(provider), note })
            }
        }
    });
    let ready = Memo::new(move |_| shown.with(Result::is_ok));
    let ratio = move |pick: fn(&Compliance) -> Ratio| {
        Signal::derive(move || shown.with(|s| s.as_ref().map(|s| pick(&s.compliance)).unwrap_or_default()))
    };
    let strip =
        Signal::derive(move || shown.with(|s| s.as_ref().map(|s| s.compliance.strip.clone()).unwrap_or_default()));
    let sizes = Memo::new(move |_| shown.with(|s| s.as_ref().ok().and_then(|s| s.sizes.clone())));
    let body = move || {
        if !ready.get() {
            let waiting = shown.with_untracked(|s| s.as_ref().err().cloned()).unwrap_or_default();
            return view! { <p class="muted" role="status">{waiting}</p> }.into_any();
        }
        let label = label.clone();
        // From the listing, the size trend is the health chart's: the same backups.
        let size_trend = move || {
            match sizes.get() {
            Some(sizes) => view! {
                <h3>"Size over the recorded days"</h3>
                <SizeChart sizes=sizes label=label.clone()/>
            }
            .into_any(),
            None => view! { <p class="muted size-trend-note">"Size trend: the chart under Health, drawn from the same listed backups."</p> }
                .into_any(),
        }
        };
        let from =
            move || shown.with(|s| if s.as_ref().is_ok_and(|s| s.sizes.is_some()) { "worker" } else { "listing" });
        view! {
            <p class="evidence" data-from=from>{move || shown.with(|s| s.as_ref().map(|s| s.source.clone()).unwrap_or_default())}</p>
            {move || shown.with(|s| s.as_ref().ok().and_then(|s| s.note.clone())).map(|n| view! { <p class="evidence-note warn-text">{n}</p> })}
            <dl class="compliance-figures">
                <Figure label="Last 7 days" ratio=ratio(|c| c.last_7)/>
                <Figure label="Last 30 days" ratio=ratio(|c| c.last_30)/>
                <Figure label="Last 90 days" ratio=ratio(|c| c.last_90)/>
            </dl>
            <h3>"Day by day, last 90 days (UTC)"</h3>
            <DayStrip days=strip label=strip_label.clone()/>
            <StripLegend/>
            {size_trend}
        }
        .into_any()
    };
    view! {
        <section class="source-history" aria-labelledby="source-history-title">
            <div class="section-head">
                <h2 id="source-history-title">"Compliance"</h2>
                <a href=backboard_core::page::Page::Report.href_with(&backboard_core::history::ReportQuery {
                    sources: vec![backboard_core::health::source_key(provider, &first.connection.source())],
                    ..Default::default()
                }.to_query())>"Report for this source"</a>
            </div>
            {body}
        </section>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn figures_say_the_percentage_once_and_the_counts_beside_it() {
        let r = Ratio { days: 30, met: 14, missed: 1, failed: 0, no_data: 15, percent: Some(93.3) };
        assert_eq!(figure_parts(&r), ("93.3%".to_string(), "14 of 15 days; 1 missed, 15 without data".to_string()));
        let none = Ratio { days: 7, no_data: 7, ..Ratio::default() };
        assert_eq!(figure_parts(&none), ("no data".to_string(), "no data for 7 days".to_string()));
    }
}
