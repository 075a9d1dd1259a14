//! The overview: one line that says whether everything is backed up, then one compact row per
//! source (verdict, last good backup, expected interval, counts, size trend), each a link to
//! the source's page.

use backboard_core::health::{summary_line, Verdict};
use backboard_core::page::Page;
use leptos::prelude::*;

use super::PageHead;
use crate::clock::now;
use crate::connections::TryDemo;
use crate::health::{Card, HealthState, Sparkline, VerdictBadge};
use crate::load_notes::LoadNotes;
use crate::state::AppState;
use crate::ui::when::Ago;

/// Points in a row's trend (the source's page charts them all).
const TREND_POINTS: usize = 30;

#[component]
pub fn Overview() -> impl IntoView {
    let state = AppState::get();
    let health = HealthState::get();
    // Read by the badge and the line: worked out once per change of the cards.
    let verdicts = Memo::new(move |_| {
        health.cards.with(|c| c.iter().map(|c| c.health.as_ref().map(|h| h.verdict)).collect::<Vec<_>>())
    });
    let overall = move || verdicts.with(|v| v.iter().flatten().max().copied());
    let ids = move || health.cards.with(|c| c.iter().map(|c| c.connection.id.clone()).collect::<Vec<_>>());
    let empty = move || state.connections.with(Vec::is_empty);
    view! {
        <PageHead title="Overview"/>
        <Show when=empty>
            <section class="empty-state" aria-labelledby="empty-title">
                <h2 id="empty-title">"No sources yet"</h2>
                <p>{format!("Backboard shows every backup you have at {}, and whether each source is really backed up.", crate::provider_names())}</p>
                <div class="actions">
                    <TryDemo/>
                    <a class="button" href=Page::Connections.href()>"Add a connection"</a>
                </div>
            </section>
        </Show>
        <Show when=move || !empty()>
            <section class="overview" aria-labelledby="overview-title">
                <h2 id="overview-title" class="visually-hidden">"Sources"</h2>
                <p class=move || format!("summary verdict-{}", overall().map(Verdict::as_str).unwrap_or("checking")) role="status">
                    {move || view! { <VerdictBadge verdict=overall()/> }}
                    " " <span class="summary-line">{move || verdicts.with(|v| summary_line(v))}</span>
                </p>
                <LoadNotes/>
                <table class="overview-table">
                    <thead>
                        <tr>
                            <th scope="col" class="col-verdict">"Status"</th>
                            <th scope="col">"Source"</th>
                            <th scope="col" class="col-last">"Last good backup"</th>
                            <th scope="col" class="col-expected">"Expected"</th>
                            <th scope="col" class="col-counts">"Backups"</th>
                            <th scope="col" class="col-trend">"Size trend"</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=ids key=|id| id.clone() let:id>
                            <SourceRow id=id/>
                        </For>
                    </tbody>
                </table>
            </section>
        </Show>
    }
}

#[component]
fn SourceRow(id: String) -> impl IntoView {
    let health = HealthState::get();
    let card = Memo::new(move |_| health.card(&id));
    move || {
        let Some(Card { connection, health: judged, .. }) = card.get() else { return ().into_any() };
        let source = connection.source();
        let href = Page::Source { provider: connection.provider(), id: source.id.clone() }.href();
        let verdict = judged.as_ref().map(|h| h.verdict);
        let now = health.clock.get().max(now());
        let (headline, last, expected, counts, trend) = match &judged {
            None => (
                "Reading its backups…".to_string(),
                view! { <span class="muted">"—"</span> }.into_any(),
                "—".to_string(),
                "—".to_string(),
                view! { <span class="muted">"—"</span> }.into_any(),
            ),
            Some(h) => {
                let last = match &h.last_good {
                    Some(g) => view! { <Ago t=g.completed now=now/> }.into_any(),
                    None => view! { <span>"none"</span> }.into_any(),
                };
                let expected =
                    h.expected.as_ref().map(|e| format!("every {}", e.every)).unwrap_or_else(|| "not known".into());
                let c = &h.counts;
                let mut counts = format!("{} in all", c.total);
                if c.running > 0 {
                    counts.push_str(&format!(", {} running", c.running));
                }
                if c.failed_in_window > 0 {
                    counts.push_str(&format!(", {} failed", c.failed_in_window));
                }
                let from = h.sizes.len().saturating_sub(TREND_POINTS);
                let headline = if h.verdict == Verdict::Healthy { String::new() } else { h.headline().to_string() };
                (headline, last, expected, counts, view! { <Sparkline sizes=h.sizes[from..].to_vec()/> }.into_any())
            }
        };
        view! {
            <tr class=format!("source-row verdict-{}", verdict.map(Verdict::as_str).unwrap_or("checking")) data-provider=connection.provider().slug()>
                <td class="col-verdict"><VerdictBadge verdict=verdict/></td>
                <td class="col-source">
                    <a href=href class="source-link">{connection.label.clone()}</a>
                    <span class="muted source-of">{format!("{} · {} {}", connection.provider().name(), source.kind, source.id)}</span>
                    {(!headline.is_empty()).then(|| view! { <span class="headline">{headline}</span> })}
                </td>
                <td class="col-last"><span class="cell-label" aria-hidden="true">"Last good: "</span>{last}</td>
                <td class="col-expected"><span class="cell-label" aria-hidden="true">"Expected: "</span>{expected}</td>
                <td class="col-counts">{counts}</td>
                <td class="col-trend">{trend}</td>
            </tr>
        }
        .into_any()
    }
}
