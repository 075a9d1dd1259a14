//! The health overview above the list: one card per connection with the core's verdict
//! (`backboard_core::health`), its reasons in words, the last good backup, the expected interval
//! (the user's threshold, kept on this device, else the provider's schedules) and a small chart
//! of backup sizes over time. Also: backups, exports and restores in progress refresh by
//! themselves.

use backboard_core::display::{absolute, human_size, relative};
use backboard_core::health::{
    brief, evaluate_with_failures, in_progress, source_key, unreachable, worst, Expectation, Policy, Sighting,
    SizePoint, SourceHealth, Unreachable, Verdict,
};
use backboard_core::providers::ScheduleSpec;
use backboard_core::{Backup, Connection, Error, FieldError};
use leptos::prelude::*;
use leptos::task::spawn_local;
use time::OffsetDateTime;

use crate::actions::poll_until;
use crate::clock::now;
use crate::state::{load_connection, AppState, Load};
use crate::store;
use crate::transport::{base_for, FetchTransport};
use crate::ui::Form;

// ---------------------------------------------------------------------------------------------
// Thresholds (kept on this device by `store`): the form's units and bounds.

const UNITS: [(&str, &str, u64); 3] = [("minutes", "minutes", 60), ("hours", "hours", 3600), ("days", "days", 86_400)];
/// Ten years: anything longer is a typo.
const MAX_THRESHOLD_SECS: u64 = 3650 * 86_400;
/// Reasons of one kind listed before "Show N more" (thousands of stuck backups are one line
/// each otherwise, and every keystroke elsewhere repainted them).
const REASONS_PER_KIND: usize = 3;

/// The form's words for a threshold: the largest unit that divides it.
fn threshold_parts(secs: u64) -> (String, &'static str) {
    let (_, unit, size) =
        UNITS.iter().rev().find(|(_, _, size)| secs.is_multiple_of(*size)).copied().unwrap_or(UNITS[0]);
    ((secs / size).to_string(), unit)
}

/// The typed amount in seconds, or the message shown next to the field.
fn parse_threshold(amount: &str, unit: &str) -> Result<u64, String> {
    let amount = amount.trim();
    let size = UNITS.iter().find(|(u, _, _)| *u == unit).map(|u| u.2).ok_or("Choose minutes, hours or days.")?;
    if amount.is_empty() {
        return Err("Enter how often a backup should happen, e.g. 24 hours.".into());
    }
    let n: u64 = amount.parse().map_err(|_| format!("“{amount}” is not a whole number; enter e.g. 6 or 24."))?;
    if n == 0 {
        return Err("Enter a number greater than 0.".into());
    }
    n.checked_mul(size)
        .filter(|s| *s <= MAX_THRESHOLD_SECS)
        .ok_or_else(|| "That is more than ten years; enter a shorter interval.".into())
}

// ---------------------------------------------------------------------------------------------
// Verdicts per connection

/// One card: the connection and its health (None while its first list is still being read).
#[derive(Clone, Debug, PartialEq)]
struct Card {
    connection: Connection,
    health: Option<SourceHealth>,
    threshold: Option<u64>,
}

/// The core's verdict for one connection: its listed backups, or Unknown with the error when
/// its listing failed.
fn judge(connection: &Connection, load: &Load, expectation: Expectation, at: OffsetDateTime) -> SourceHealth {
    let (provider, source) = (connection.provider(), connection.source());
    let key = expectation.key();
    let failed = match load {
        Load::Failed(message) => {
            vec![Unreachable { provider, source: source.clone(), error: Error::Config(message.clone()) }]
        }
        _ => Vec::new(),
    };
    evaluate_with_failures(load.backups(), &failed, &[expectation], at, &Policy::default())
        .into_iter()
        .find(|h| h.key == key)
        .unwrap_or_else(|| unreachable(provider, &source, &Error::Config("no answer".into())))
}

/// What is running in a list, as stable words (to tell one set of operations from another).
fn running_signature(list: &[Backup]) -> Vec<String> {
    let mut sig: Vec<String> =
        in_progress(list).into_iter().map(|p| format!("{}:{:?}", p.backup_id, p.operation)).collect();
    sig.sort();
    sig
}

fn verdict_icon(v: Option<Verdict>) -> &'static str {
    match v {
        Some(Verdict::Healthy) => "✓",
        Some(Verdict::Unknown) => "?",
        Some(Verdict::Warning) => "▲",
        Some(Verdict::Failing) => "✕",
        None => "…",
    }
}

fn verdict_word(v: Option<Verdict>) -> &'static str {
    match v {
        Some(Verdict::Healthy) => "Healthy",
        Some(Verdict::Unknown) => "Unknown",
        Some(Verdict::Warning) => "Warning",
        Some(Verdict::Failing) => "Failing",
        None => "Checking",
    }
}

#[component]
fn VerdictBadge(verdict: Option<Verdict>) -> impl IntoView {
    let class = format!("verdict verdict-{}", verdict.map(Verdict::as_str).unwrap_or("checking"));
    view! {
        <span class=class>
            <span class="verdict-icon" aria-hidden="true">{verdict_icon(verdict)}</span>
            " " {verdict_word(verdict)}
        </span>
    }
}

#[component]
pub fn HealthOverview() -> impl IntoView {
    let state = expect_context::<AppState>();
    let thresholds = RwSignal::new(store::load_thresholds());
    // When the page first saw an export or restore running (mittwald gives no start time):
    // (connection id, sighting).
    let sightings = RwSignal::new(Vec::<(String, Sighting)>::new());
    // Ages move on with the clock: re-judge every minute.
    let clock = RwSignal::new(now());
    spawn_local(async move {
        loop {
            gloo_timers::future::TimeoutFuture::new(60_000).await;
            if clock.try_set(now()).is_some() {
                break;
            }
        }
    });

    Effect::new(move |_| {
        let at = now();
        let seen: Vec<(String, Sighting)> = state.loads.with(|loads| {
            loads
                .iter()
                .flat_map(|(id, _, load)| {
                    in_progress(load.backups())
                        .into_iter()
                        .filter(|p| p.started.is_none())
                        .map(move |p| (id.clone(), p))
                        .collect::<Vec<_>>()
                })
                .map(|(id, p)| {
                    let since = sightings
                        .with_untracked(|s| {
                            s.iter()
                                .find(|(i, s)| *i == id && s.backup_id == p.backup_id && s.operation == p.operation)
                                .map(|(_, s)| s.since)
                        })
                        .unwrap_or(at);
                    (id, Sighting { backup_id: p.backup_id, operation: p.operation, since })
                })
                .collect()
        });
        if sightings.with_untracked(|s| *s != seen) {
            sightings.set(seen);
        }
    });
    auto_refresh(state);

    // The provider's schedules of each source (those that have any; the core answers the others
    // with none, without a request), read again after each list read: (connection id, load
    // generation, schedules).
    let schedules = RwSignal::new(Vec::<(String, u64, Vec<ScheduleSpec>)>::new());
    Effect::new(move |_| {
        let due: Vec<(Connection, u64)> = state.loads.with(|loads| {
            state.connections.with(|connections| {
                loads
                    .iter()
                    .filter(|(_, _, load)| matches!(load, Load::Done(_)))
                    .filter_map(|(id, generation, _)| {
                        let c = connections.iter().find(|c| c.id == *id)?;
                        let known = schedules.with_untracked(|s| s.iter().any(|(i, g, _)| i == id && g == generation));
                        (!known).then(|| (c.clone(), *generation))
                    })
                    .collect()
            })
        });
        for (connection, generation) in due {
            schedules.update(|s| match s.iter_mut().find(|(i, _, _)| *i == connection.id) {
                Some(entry) => entry.1 = generation,
                None => s.push((connection.id.clone(), generation, Vec::new())),
            });
            spawn_local(async move {
                let Ok(specs) = connection.schedules(&FetchTransport, &base_for(&connection)).await else { return };
                let _ = schedules.try_update(|s| {
                    if let Some(entry) = s.iter_mut().find(|(i, g, _)| *i == connection.id && *g == generation) {
                        entry.2 = specs;
                    }
                });
            });
        }
    });

    let cards = Memo::new(move |_| {
        let at = clock.get().max(now());
        state.connections.with(|connections| {
            state.loads.with(|loads| {
                thresholds.with(|thresholds| {
                    sightings.with(|sightings| {
                        connections
                            .iter()
                            .map(|c| {
                                let key = source_key(c.provider(), &c.source());
                                let threshold = thresholds.iter().find(|(k, _)| *k == key).map(|(_, s)| *s);
                                let load = loads.iter().find(|(id, _, _)| *id == c.id).map(|(_, _, l)| l);
                                let health = match load {
                                    None => None,
                                    Some(Load::Loading { previous, .. }) if previous.is_empty() => None,
                                    Some(load) => {
                                        let mut e = Expectation::new(c.provider(), c.source());
                                        e.threshold_secs = threshold;
                                        e.schedules = schedules.with(|s| {
                                            s.iter()
                                                .find(|(id, _, _)| *id == c.id)
                                                .map(|(_, _, v)| v.clone())
                                                .unwrap_or_default()
                                        });
                                        e.running_since = sightings
                                            .iter()
                                            .filter(|(id, _)| *id == c.id)
                                            .map(|(_, s)| s.clone())
                                            .collect();
                                        Some(judge(c, load, e, at))
                                    }
                                };
                                Card { connection: c.clone(), health, threshold }
                            })
                            .collect::<Vec<_>>()
                    })
                })
            })
        })
    });
    let overall = move || {
        cards.with(|cards| {
            let judged: Vec<SourceHealth> = cards.iter().filter_map(|c| c.health.clone()).collect();
            (!judged.is_empty()).then(|| worst(&judged))
        })
    };
    let set_threshold = move |key: String, secs: Option<u64>| {
        thresholds.update(|list| {
            list.retain(|(k, _)| *k != key);
            if let Some(secs) = secs {
                list.push((key, secs));
            }
        });
        thresholds.with_untracked(|list| store::save_thresholds(list));
    };

    let ids = move || state.connections.with(|l| l.iter().map(|c| c.id.clone()).collect::<Vec<_>>());

    view! {
        <Show when=move || cards.with(|c| !c.is_empty())>
            <section class="health" aria-labelledby="health-title">
                <div class="section-head">
                    <h2 id="health-title">"Backup health"</h2>
                    <p class="overall">"Overall: " {move || view! { <VerdictBadge verdict=overall()/> }}</p>
                </div>
                <ul class="health-cards">
                    <For each=ids key=|id| id.clone() let:id>
                        <HealthCard id=id cards=cards clock=clock set_threshold=set_threshold/>
                    </For>
                </ul>
            </section>
        </Show>
    }
}

/// One connection's card. The frame and the threshold form stay put (what is typed survives a
/// refresh); the verdict and facts follow the connection's list.
#[component]
fn HealthCard(
    id: String,
    cards: Memo<Vec<Card>>,
    clock: RwSignal<OffsetDateTime>,
    set_threshold: impl Fn(String, Option<u64>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let card_id = id.clone();
    let card = Memo::new(move |_| cards.with(|list| list.iter().find(|c| c.connection.id == card_id).cloned()));
    let Some(first) = card.get_untracked() else { return ().into_any() };
    let connection = first.connection.clone();
    let title_id = format!("health-{id}");
    let source = connection.source();
    let key = source_key(connection.provider(), &source);
    let verdict = Memo::new(move |_| card.with(|c| c.as_ref().and_then(|c| c.health.as_ref().map(|h| h.verdict))));
    let class = move || format!("health-card verdict-{}", verdict.get().map(Verdict::as_str).unwrap_or("checking"));
    let provider = connection.provider();
    let label = connection.label.clone();
    let all_reasons = RwSignal::new(false);
    let body = move || {
        let Some(Card { health, .. }) = card.get() else { return ().into_any() };
        let Some(h) = health else {
            return view! { <p class="muted" role="status">{format!("Reading the backups from {}…", provider.name())}</p> }
                .into_any();
        };
        let now = clock.get().max(now());
        // Every kind of reason, a few of each, unless asked for all.
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
                view! {
                    <dd class="last-good">{name} ", "
                        <time datetime=backboard_core::de::format_rfc3339(g.completed) title=absolute(g.completed)>{relative(g.completed, now)}</time>
                    </dd>
                }
                .into_any()
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
    let labelled_by = title_id.clone();
    view! {
        <li class=class>
            <article aria-labelledby=labelled_by>
                <div class="card-head">
                    <h3 id=title_id>{connection.label.clone()}</h3>
                    {move || view! { <VerdictBadge verdict=verdict.get()/> }}
                </div>
                <p class="muted">{format!("{} {} {}", provider.name(), source.kind, source.id)}</p>
                {body}
                <ThresholdForm connection_id=id.clone() label=connection.label.clone() key=key threshold=threshold set_threshold=set_threshold/>
            </article>
        </li>
    }
    .into_any()
}

/// The threshold form's values: an amount and its unit.
#[derive(Clone, Debug, Default, PartialEq)]
struct Threshold {
    amount: String,
    unit: String,
}

fn check_threshold(t: &Threshold) -> Result<u64, Vec<FieldError>> {
    parse_threshold(&t.amount, &t.unit).map_err(|message| vec![FieldError::new("threshold", message)])
}

const UNIT_CHOICES: [(&str, &str); 3] = [(UNITS[0].0, UNITS[0].1), (UNITS[1].0, UNITS[1].1), (UNITS[2].0, UNITS[2].1)];

#[component]
fn ThresholdForm(
    connection_id: String,
    label: String,
    key: String,
    threshold: Signal<Option<u64>>,
    set_threshold: impl Fn(String, Option<u64>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let (amount, unit) = threshold.get_untracked().map(threshold_parts).unwrap_or_else(|| (String::new(), "hours"));
    let form = Form::new(
        format!("health-{connection_id}"),
        Threshold { amount, unit: unit.to_string() },
        check_threshold,
        &["threshold"],
    );
    let key = StoredValue::new(key);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(secs) = form.try_submit() {
            set_threshold(key.get_value(), Some(secs));
        }
    };
    let clear = move |_| {
        form.values.update(|t| t.amount.clear());
        form.reset();
        set_threshold(key.get_value(), None);
    };
    view! {
        <form class="threshold" on:submit=on_submit novalidate=true aria-label=format!("Expected interval for {label}")>
            <div class="threshold-field">
                {form.field("threshold", "Expect a backup every", |t| &t.amount, |t, v| t.amount = v).numeric().input()}
                {form.field("threshold-unit", "Unit", |t| &t.unit, |t, v| t.unit = v).label_hidden().select(UNIT_CHOICES.to_vec())}
                <button type="submit">"Save threshold"</button>
                <Show when=move || threshold.get().is_some()>
                    <button type="button" on:click=clear>"Clear threshold"</button>
                </Show>
            </div>
        </form>
    }
}

// ---------------------------------------------------------------------------------------------
// The size chart: hand-written SVG (a chart crate would cost far more wasm than this).

const CHART_W: f64 = 280.0;
const CHART_H: f64 = 64.0;
const PAD: f64 = 4.0;

/// What the chart shows, in words (its accessible name).
fn chart_words(sizes: &[SizePoint]) -> String {
    let (Some(first), Some(last)) = (sizes.first(), sizes.last()) else { return String::new() };
    let min = sizes.iter().map(|p| p.bytes).min().unwrap_or(0);
    let max = sizes.iter().map(|p| p.bytes).max().unwrap_or(0);
    let n = sizes.len();
    format!(
        "Size of {n} completed {} from {} to {}: smallest {}, largest {}, latest {}.",
        if n == 1 { "backup" } else { "backups" },
        absolute(first.time),
        absolute(last.time),
        human_size(min),
        human_size(max),
        human_size(last.bytes)
    )
}

/// The points, scaled into the chart (time across, size up from zero).
fn chart_points(sizes: &[SizePoint]) -> Vec<(f64, f64)> {
    let (Some(first), Some(last)) = (sizes.first(), sizes.last()) else { return Vec::new() };
    let t0 = first.time.unix_timestamp() as f64;
    let span = (last.time.unix_timestamp() as f64 - t0).max(0.0);
    let max = sizes.iter().map(|p| p.bytes).max().unwrap_or(0).max(1) as f64;
    sizes
        .iter()
        .map(|p| {
            let x = if span == 0.0 {
                CHART_W / 2.0
            } else {
                PAD + (p.time.unix_timestamp() as f64 - t0) / span * (CHART_W - 2.0 * PAD)
            };
            let y = CHART_H - PAD - (p.bytes as f64 / max) * (CHART_H - 2.0 * PAD);
            ((x * 10.0).round() / 10.0, (y * 10.0).round() / 10.0)
        })
        .collect()
}

#[component]
fn SizeChart(sizes: Vec<SizePoint>, label: String) -> impl IntoView {
    if sizes.is_empty() {
        return view! { <p class="chart-empty muted">"No completed backup with a size yet: nothing to chart."</p> }
            .into_any();
    }
    let words = chart_words(&sizes);
    let points = chart_points(&sizes);
    let line = points.iter().map(|(x, y)| format!("{x},{y}")).collect::<Vec<_>>().join(" ");
    // Dots only while they stay apart; the line carries a long history.
    let dots = (points.len() <= 40).then(|| {
        points.iter().map(|(x, y)| view! { <circle cx=x.to_string() cy=y.to_string() r="2.5"></circle> }).collect_view()
    });
    view! {
        <figure class="size-chart">
            <svg viewBox=format!("0 0 {CHART_W} {CHART_H}") width=CHART_W.to_string() height=CHART_H.to_string()
                role="img" aria-label=format!("{label}: {words}")>
                <line class="axis" x1="0" y1=(CHART_H - PAD).to_string() x2=CHART_W.to_string() y2=(CHART_H - PAD).to_string()></line>
                <polyline class="sizes" points=line></polyline>
                {dots}
            </svg>
            <figcaption class="muted">{words}</figcaption>
        </figure>
    }
    .into_any()
}

// ---------------------------------------------------------------------------------------------
// Auto-refresh: connections with something under way are read again, with backoff, until it
// has all settled. `poll_until` waits while the tab is hidden.

/// How many reads one round of polling makes at most (1 s, 2 s, 4 s … 30 s: about 9 minutes).
const MAX_CHECKS: u32 = 24;

/// Reads the connection again and waits for the answer; true when nothing is under way any more
/// (or the connection is gone).
async fn reread(state: AppState, connection: Connection) -> bool {
    load_connection(state, connection.clone());
    let current = || {
        state.loads.with_untracked(|loads| {
            loads.iter().find(|(id, _, _)| *id == connection.id).map(|(_, _, load)| match load {
                Load::Loading { .. } => None,
                Load::Done(list) => Some(running_signature(list).is_empty()),
                // A failed read says nothing about the operation: keep polling.
                Load::Failed(_) => Some(false),
            })
        })
    };
    // Up to 2 minutes for a long, paged listing.
    for _ in 0..1200 {
        match current() {
            None => return true,
            Some(Some(settled)) => return settled,
            Some(None) => gloo_timers::future::TimeoutFuture::new(100).await,
        }
    }
    false
}

/// Lists longer than this are not re-read by themselves: each re-read is the whole paged list,
/// which would spend the provider's rate limit (Northflank: 1,000 requests an hour) and keep a
/// 10,000-row page busy (bench: a filter keystroke took 133 ms with it, 28 ms without). "Refresh all" and
/// the actions' own polling of one backup still work there.
const AUTO_REFRESH_MAX_BACKUPS: usize = 1_000;

fn auto_refresh(state: AppState) {
    // Connections being polled now, and (connection, what was running) rounds that ran out of
    // checks: those only start again when something else starts running.
    let polling = StoredValue::new(Vec::<String>::new());
    let gave_up = StoredValue::new(Vec::<(String, Vec<String>)>::new());
    Effect::new(move |_| {
        let candidates: Vec<(Connection, Vec<String>)> = state.connections.with(|connections| {
            state.loads.with(|loads| {
                connections
                    .iter()
                    .filter_map(|c| {
                        let (_, _, load) = loads.iter().find(|(id, _, _)| *id == c.id)?;
                        let Load::Done(list) = load else { return None };
                        if list.len() > AUTO_REFRESH_MAX_BACKUPS {
                            return None;
                        }
                        let sig = running_signature(list);
                        (!sig.is_empty()).then(|| (c.clone(), sig))
                    })
                    .collect()
            })
        });
        for (connection, sig) in candidates {
            let id = connection.id.clone();
            if polling.with_value(|p| p.contains(&id))
                || gave_up.with_value(|g| g.iter().any(|(i, s)| *i == id && *s == sig))
            {
                continue;
            }
            polling.update_value(|p| p.push(id.clone()));
            spawn_local(async move {
                let settled = std::rc::Rc::new(std::cell::Cell::new(false));
                let flag = settled.clone();
                let alive_id = id.clone();
                let alive = move || state.connections.with_untracked(|l| l.iter().any(|c| c.id == alive_id));
                poll_until(
                    move || {
                        let (connection, flag) = (connection.clone(), flag.clone());
                        async move {
                            let done = reread(state, connection).await;
                            flag.set(done);
                            done
                        }
                    },
                    alive,
                    MAX_CHECKS,
                )
                .await;
                polling.update_value(|p| p.retain(|i| *i != id));
                if !settled.get() {
                    let sig = state.loads.with_untracked(|loads| {
                        loads
                            .iter()
                            .find(|(i, _, _)| *i == id)
                            .map(|(_, _, l)| running_signature(l.backups()))
                            .unwrap_or_default()
                    });
                    gave_up.update_value(|g| {
                        g.retain(|(i, _)| *i != id);
                        g.push((id, sig));
                    });
                }
            });
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn thresholds_round_trip_through_the_form() {
        assert_eq!(parse_threshold("6", "hours"), Ok(6 * 3600));
        assert_eq!(parse_threshold(" 90 ", "minutes"), Ok(90 * 60));
        assert_eq!(threshold_parts(2 * 86_400), ("2".to_string(), "days"));
        assert_eq!(threshold_parts(90 * 60), ("90".to_string(), "minutes"));
        assert!(parse_threshold("", "hours").is_err());
        assert!(parse_threshold("0", "days").is_err());
        assert!(parse_threshold("1.5", "days").unwrap_err().contains("whole number"));
        assert!(parse_threshold("4000", "days").unwrap_err().contains("ten years"));
        assert!(parse_threshold("1", "weeks").is_err());
    }

    #[wasm_bindgen_test]
    fn chart_scales_and_says_what_it_shows() {
        let t = OffsetDateTime::UNIX_EPOCH;
        let sizes = [SizePoint { time: t, bytes: 0 }, SizePoint { time: t + time::Duration::days(2), bytes: 2048 }];
        let points = chart_points(&sizes);
        assert_eq!(points, vec![(PAD, CHART_H - PAD), (CHART_W - PAD, PAD)]);
        let words = chart_words(&sizes);
        assert!(words.contains("2 completed backups"), "{words}");
        assert!(words.contains("1970-01-01 00:00 UTC") && words.contains("1970-01-03 00:00 UTC"), "{words}");
        assert!(words.contains("largest 2"), "{words}");
        assert_eq!(chart_points(&sizes[1..]), vec![(CHART_W / 2.0, PAD)]);
    }
}
