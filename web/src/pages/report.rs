//! The report: for a range of UTC days and a set of sources, each source's compliance figures,
//! its strip and the days not met in words, from the worker's recorded history or the listed
//! backups (each source says which); printable (`@media print` in style.css) and exported as
//! CSV and JSON. The range and sources are the address's query, so a bookmark opens the same
//! report. A part of the app of its own (wasm-split): loaded when the page first opens.

use backboard_core::health::source_key;
use backboard_core::history::{
    day_text, days_csv, report_json, utc_day, DayStatus, Range, Ratio, ReportQuery, ReportSource,
};
use backboard_core::Connection;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::clock::now;
use crate::health::HealthState;
use crate::history::edge_key::EdgeKey;
use crate::history::evidence::{ask, asks_worker, from_listing, listed_days, Asked, FROM_WORKER};
use crate::history::figure_parts;
use crate::history::strip::{DayStrip, StripLegend};
use crate::router::Router;
use crate::state::AppState;
use crate::ui::lazy::PartMissing;
use crate::ui::text::count;
use crate::ui::Download;

#[cfg(all(feature = "split", not(test)))]
#[wasm_split_helpers::wasm_split(report_view, fallible)]
pub fn report_view() -> Result<AnyView, PartMissing> {
    Ok(view! { <Report/> }.into_any())
}

/// Tests link no split loader: the part is at hand.
#[cfg(any(test, not(feature = "split")))]
pub async fn report_view() -> Result<AnyView, PartMissing> {
    Ok(view! { <Report/> }.into_any())
}

/// One source of the report as shown: its part, or why it is not there yet, and a note when the
/// worker's history could not be used.
#[derive(Clone, Debug, PartialEq)]
struct Row {
    label: String,
    part: Option<ReportSource>,
    note: Option<String>,
}

fn key_of(c: &Connection) -> String {
    source_key(c.provider(), &c.source())
}

#[component]
fn Report() -> impl IntoView {
    let state = AppState::get();
    let health = HealthState::get();
    let edge = EdgeKey::get();
    let router = Router::get();
    let today = utc_day(now());
    let asked_for = ReportQuery::parse(&router.query.get_untracked());
    // The form as typed; an empty day shows its default.
    let default = asked_for.range(today).unwrap_or(Range { from: today, to: today });
    let from = RwSignal::new(if asked_for.from.is_empty() { day_text(default.from) } else { asked_for.from.clone() });
    let to = RwSignal::new(if asked_for.to.is_empty() { day_text(default.to) } else { asked_for.to.clone() });
    let all_keys = move || state.connections.with(|l| l.iter().map(key_of).collect::<Vec<_>>());
    let chosen = RwSignal::new(match asked_for.sources.is_empty() {
        true => all_keys(),
        false => asked_for.sources.clone(),
    });
    let error = RwSignal::new(None::<String>);
    // The report shown: its range, its sources and when it was asked for (the listed backups
    // are judged as of then, so the report stays put while the page's clock moves on).
    let shown = RwSignal::new(None::<(Range, Vec<String>, time::OffsetDateTime)>);
    let submit = move || {
        let q = ReportQuery { from: from.get_untracked(), to: to.get_untracked(), sources: chosen.get_untracked() };
        match q.range(utc_day(now())) {
            Err(e) => error.set(Some(format!("The range cannot be shown: {e}."))),
            Ok(_) if q.sources.is_empty() => error.set(Some("Choose at least one source.".into())),
            Ok(range) => {
                error.set(None);
                let every = all_keys();
                let sources = q.sources.clone();
                // All sources chosen: the address says nothing, so it follows new connections.
                let stored = if every.iter().all(|k| sources.contains(k)) {
                    ReportQuery { sources: Vec::new(), ..q }
                } else {
                    q
                };
                router.replace_query(&stored.to_query());
                shown.set(Some((range, sources, now())));
            }
        }
    };
    submit();

    // The worker's answers for the shown report, per connection id.
    let answers = RwSignal::new(Vec::<(String, Asked)>::new());
    Effect::new(move |_| {
        let api_key = edge.0.get();
        let Some((range, keys, _)) = shown.get() else { return };
        let wanted: Vec<Connection> = state.connections.with_untracked(|l| {
            l.iter().filter(|c| keys.contains(&key_of(c)) && asks_worker(c, &api_key)).cloned().collect()
        });
        answers.set(wanted.iter().map(|c| (c.id.clone(), Asked::Waiting)).collect());
        for c in wanted {
            let api_key = api_key.clone();
            spawn_local(async move {
                let answer = match ask(&c, &api_key, range).await {
                    Ok(r) => Asked::Got(r),
                    Err(e) => Asked::Failed(e),
                };
                let _ = answers.try_update(|list| {
                    if let Some(entry) = list.iter_mut().find(|(id, _)| *id == c.id) {
                        entry.1 = answer;
                    }
                });
            });
        }
    });

    let rows = Memo::new(move |_| {
        let Some((range, keys, at)) = shown.get() else { return Vec::new() };
        health.cards.with(|cards| {
            cards
                .iter()
                .filter(|card| keys.contains(&key_of(&card.connection)))
                .map(|card| {
                    let c = &card.connection;
                    let answer = answers.with(|a| a.iter().find(|(id, _)| *id == c.id).map(|(_, a)| a.clone()));
                    let part = |evidence: String, days| ReportSource {
                        key: key_of(c),
                        label: c.label.clone(),
                        evidence,
                        days,
                    };
                    let (part, note) = match answer {
                        Some(Asked::Waiting) => (None, None),
                        Some(Asked::Got(r)) => (Some(part(FROM_WORKER.to_string(), r.days)), None),
                        other => {
                            let note = match other {
                                Some(Asked::Failed(e)) => Some(format!("The worker's history could not be used: {e}.")),
                                _ => None,
                            };
                            let days = listed_days(state, card, range, at);
                            (days.map(|d| part(from_listing(c.provider()), d)), note)
                        }
                    };
                    Row { label: c.label.clone(), part, note }
                })
                .collect::<Vec<_>>()
        })
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submit();
    };
    let sources_field = move || {
        state
            .connections
            .get()
            .into_iter()
            .map(|c| {
                let key = key_of(&c);
                let checked = {
                    let key = key.clone();
                    move || chosen.with(|l| l.contains(&key))
                };
                let toggle = move |ev| {
                    let on = event_target_checked(&ev);
                    chosen.update(|l| {
                        l.retain(|k| *k != key);
                        if on {
                            l.push(key.clone());
                        }
                    });
                };
                view! {
                    <label class="check">
                        <input type="checkbox" name="source" prop:checked=checked on:change=toggle/>
                        {format!(" {} ({})", c.label, c.provider().name())}
                    </label>
                }
            })
            .collect_view()
    };
    let invalid = move || error.with(|e| e.as_ref().is_some_and(|e| e.contains("range"))).then_some("true");
    view! {
        <section class="report-form no-print" aria-labelledby="report-form-title">
            <h2 id="report-form-title">"Range and sources"</h2>
            <form on:submit=on_submit>
                <div class="fields">
                    <label>"From (UTC day)"
                        <input type="date" name="from" prop:value=move || from.get() aria-invalid=invalid
                            aria-describedby="report-error" on:input=move |ev| from.set(event_target_value(&ev))/>
                    </label>
                    <label>"To (UTC day)"
                        <input type="date" name="to" prop:value=move || to.get() aria-invalid=invalid
                            aria-describedby="report-error" on:input=move |ev| to.set(event_target_value(&ev))/>
                    </label>
                </div>
                <fieldset class="report-sources">
                    <legend>"Sources"</legend>
                    <Show when=move || state.connections.with(Vec::is_empty)>
                        <p class="muted">"No connection yet: add one on the Connections page, or try the demo."</p>
                    </Show>
                    {sources_field}
                </fieldset>
                <div class="actions">
                    <button type="submit" class="primary">"Show report"</button>
                </div>
                <p id="report-error" class="error" role="alert">{move || error.get()}</p>
            </form>
        </section>
        {move || shown.get().map(|(range, _, _)| view! { <ReportBody range=range rows=rows/> })}
    }
}

#[component]
fn ReportBody(range: Range, rows: Memo<Vec<Row>>) -> impl IntoView {
    let status = RwSignal::new(None::<Result<String, String>>);
    let ready = move || rows.with(|r| !r.is_empty() && r.iter().all(|r| r.part.is_some()));
    let export = move |json: bool| {
        let parts: Vec<ReportSource> = rows.with_untracked(|r| r.iter().filter_map(|r| r.part.clone()).collect());
        let stem = format!("backboard-report-{}-{}", day_text(range.from), day_text(range.to));
        let (name, mime, body) = if json {
            let body = serde_json::to_string_pretty(&report_json(range, &parts)).map_err(|e| e.to_string());
            (format!("{stem}.json"), "application/json", body)
        } else {
            let list: Vec<(&str, &[backboard_core::history::Day])> =
                parts.iter().map(|p| (p.key.as_str(), p.days.as_slice())).collect();
            (format!("{stem}.csv"), "text/csv;charset=utf-8", Ok(days_csv(&list)))
        };
        let result = body.and_then(|b| Download::file(&name, mime, b.as_bytes())).and_then(Download::open).map(|()| {
            format!("Exported {} as {}.", count(parts.len(), "source", "sources"), if json { "JSON" } else { "CSV" })
        });
        status.set(Some(result));
    };
    let print = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    let title = format!("Compliance from {} to {} (UTC days)", day_text(range.from), day_text(range.to));
    view! {
        <section class="report" aria-labelledby="report-title">
            <div class="section-head">
                <h2 id="report-title">{title}</h2>
                <div class="export no-print" role="group" aria-label="Export or print the report">
                    <button type="button" disabled=move || !ready() on:click=move |_| export(false)>"Export CSV"</button>
                    <button type="button" disabled=move || !ready() on:click=move |_| export(true)>"Export JSON"</button>
                    <button type="button" on:click=print>"Print"</button>
                    {move || status.get().map(|s| match s {
                        Ok(text) => view! { <span class="export-status ok" role="status">"✓ " {text}</span> }.into_any(),
                        Err(text) => view! { <span class="export-status error" role="alert">"⚠ Export failed: " {text}</span> }.into_any(),
                    })}
                </div>
            </div>
            <p class="muted">"A day is met when, at every moment of it, the newest restore point was at most 1.5 expected intervals old; percentages are met days ÷ days with data, and days without data are counted apart."</p>
            <StripLegend/>
            {move || rows.get().into_iter().map(|row| view! { <ReportPart row=row/> }).collect_view()}
        </section>
    }
}

#[component]
fn ReportPart(row: Row) -> impl IntoView {
    let Row { label, part, note } = row;
    let Some(part) = part else {
        return view! {
            <article class="report-source">
                <h3>{label}</h3>
                <p class="muted" role="status">"Reading its evidence…"</p>
            </article>
        }
        .into_any();
    };
    let (percent, counts) = figure_parts(&Ratio::of(&part.days));
    let not_met: Vec<String> = part
        .days
        .iter()
        .filter(|d| matches!(d.status, DayStatus::Missed | DayStatus::Failed))
        .map(|d| d.text.clone())
        .collect();
    let misses = match not_met.is_empty() {
        true => view! { <p class="muted">"No day missed or failed."</p> }.into_any(),
        false => view! {
            <ul class="report-misses">{not_met.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul>
        }
        .into_any(),
    };
    view! {
        <article class="report-source" data-key=part.key.clone()>
            <h3>{label.clone()}</h3>
            <p class="muted mono">{part.key.clone()}</p>
            <p class="evidence">{part.evidence.clone()}</p>
            {note.map(|n| view! { <p class="evidence-note warn-text">{n}</p> })}
            <p class="report-figure"><strong class="percent">{percent}</strong>" "{counts}</p>
            <DayStrip days=part.days label=format!("{label}: each day of the range, oldest first")/>
            <h4>"Days missed or failed"</h4>
            {misses}
        </article>
    }
    .into_any()
}
