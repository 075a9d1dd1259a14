//! One source's health on its page: the verdict, every reason (a few of each kind first), the
//! last good backup, the expected interval with its threshold form, the counts and the size
//! chart. The frame and the form stay put while the facts follow the connection's list, so what
//! is typed survives a refresh.

use backboard_core::health::{brief, source_key, Verdict};
use leptos::prelude::*;

use super::chart::SizeChart;
use super::threshold::ThresholdForm;
use super::{Card, HealthState, VerdictBadge};
use crate::clock::now;
use crate::ui::when::Ago;

/// Reasons of one kind listed before "Show N more" (thousands of stuck backups are one line
/// each otherwise).
const REASONS_PER_KIND: usize = 3;

#[component]
pub fn SourceHealthPanel(connection_id: String) -> impl IntoView {
    let health = HealthState::get();
    let card_id = connection_id.clone();
    let card = Memo::new(move |_| health.card(&card_id));
    let Some(first) = card.get_untracked() else { return ().into_any() };
    let connection = first.connection.clone();
    let key = source_key(connection.provider(), &connection.source());
    let verdict = Memo::new(move |_| card.with(|c| c.as_ref().and_then(|c| c.health.as_ref().map(|h| h.verdict))));
    let class = move || format!("source-health verdict-{}", verdict.get().map(Verdict::as_str).unwrap_or("checking"));
    let provider = connection.provider();
    let label = connection.label.clone();
    let all_reasons = RwSignal::new(false);
    let body = move || {
        let Some(Card { health: judged, .. }) = card.get() else { return ().into_any() };
        let Some(h) = judged else {
            return view! { <p class="muted" role="status">{format!("Reading the backups from {}…", provider.name())}</p> }
                .into_any();
        };
        let now = health.clock.get().max(now());
        let (brief_list, hidden) = brief(&h.reasons, REASONS_PER_KIND);
        let all = all_reasons.get();
        let indices = if all { (0..h.reasons.len()).collect() } else { brief_list };
        let reasons = indices.into_iter().map(|i| view! { <li>{h.reasons[i].text.clone()}</li> }).collect_view();
        let toggle = (hidden > 0).then(|| {
            let text = match all {
                true => "Show fewer reasons".to_string(),
                false => format!("Show {hidden} more {}", if hidden == 1 { "reason" } else { "reasons" }),
            };
            view! {
                <button type="button" class="link more-reasons" aria-expanded=all.to_string()
                    on:click=move |_| all_reasons.update(|a| *a = !*a)>{text}</button>
            }
        });
        let last_good = match &h.last_good {
            Some(g) => {
                let name = if g.name.is_empty() { g.id.clone() } else { g.name.clone() };
                view! { <dd class="last-good">{name} ", " <Ago t=g.completed now=now/></dd> }.into_any()
            }
            None => view! { <dd class="last-good">"none"</dd> }.into_any(),
        };
        let expected = match &h.expected {
            Some(e) => format!("every {} ({})", e.every, e.description),
            None => "not known (no schedule or threshold)".to_string(),
        };
        let counts = format!(
            "{} {}, {} completed, {} in progress",
            h.counts.total,
            if h.counts.total == 1 { "backup" } else { "backups" },
            h.counts.completed,
            h.counts.running
        );
        view! {
            <ul class="reasons" aria-label="Reasons">{reasons}</ul>
            {toggle}
            <dl class="health-facts">
                <dt>"Last good backup"</dt>{last_good}
                <dt>"Expected"</dt><dd class="expected">{expected}</dd>
                <dt>"Backups"</dt><dd class="counts">{counts}</dd>
            </dl>
            <SizeChart sizes=h.sizes.clone() label=label.clone()/>
        }
        .into_any()
    };
    let threshold = Signal::derive(move || card.with(|c| c.as_ref().and_then(|c| c.threshold)));
    view! {
        <section class=class aria-labelledby="source-health-title">
            <div class="section-head">
                <h2 id="source-health-title">"Health"</h2>
                {move || view! { <VerdictBadge verdict=verdict.get()/> }}
            </div>
            {body}
            <ThresholdForm connection_id=connection_id.clone() label=connection.label.clone() key=key threshold=threshold/>
        </section>
    }
    .into_any()
}
