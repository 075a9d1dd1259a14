//! The unified list: sort, filters and search (kept in the address by the page that shows it),
//! virtualized rows so 10,000 backups stay smooth, and the provider's own details one click away.

use backboard_core::display::{absolute, human_size, relative};
use backboard_core::search::SearchIndex;
use backboard_core::view::{sorted_indices, SortKey, View};
use backboard_core::{Backup, Provider, Status};
use leptos::prelude::*;
use time::OffsetDateTime;

use crate::clock::now;
use crate::details::{key_of, DetailsPanel};
use crate::export::ExportButtons;
use crate::state::{AppState, Load};
use crate::ui::scope::Scopes;
use backboard_core::page::Page;

/// Every row is this tall (CSS fixes it), which is what makes windowed rendering exact.
const ROW_HEIGHT: f64 = 40.0;
/// On narrow screens a row wraps onto three lines (the CSS's `max-width: 640px`).
const ROW_HEIGHT_NARROW: f64 = 84.0;
const NARROW_MAX_WIDTH: f64 = 640.0;
/// Rows rendered above and below the visible window.
const OVERSCAN: usize = 8;
/// A backup's place when the filters leave it out.
const NOT_SHOWN: usize = usize::MAX;
/// Height of the scrolling area when the window's height is unknown.
const DEFAULT_VIEWPORT: f64 = 560.0;

/// The list of `view`'s backups. On a source's page (`fixed`) the provider and source stay as
/// the page set them.
#[component]
pub fn BackupList(view: RwSignal<View>, #[prop(optional)] fixed: bool) -> impl IntoView {
    let state = AppState::get();
    // On a source's page, the list is that source's (a memo of its own, so typing in the search
    // does not rebuild the list).
    let scope = Memo::new(move |_| fixed.then(|| view.with(|v| (v.provider, v.source.clone()))));
    let all = Memo::new(move |_| {
        scope.with(|scope| {
            let mine = |b: &Backup| {
                scope.as_ref().is_none_or(|(p, s)| *p == Some(b.provider) && s.as_deref() == Some(b.source.id.as_str()))
            };
            state.loads.with(|loads| {
                loads
                    .iter()
                    .flat_map(|(_, _, l)| l.backups().iter().filter(|b| mine(b)).cloned())
                    .collect::<Vec<Backup>>()
            })
        })
    });
    // Built once per list, so a keystroke tests each distinct lower-cased value once. A new list
    // is a new index: comparing the two would only cost time.
    let index = Memo::new_with_compare(move |_| all.with(|a| SearchIndex::new(a)), |_, _| true);
    let sort = Memo::new(move |_| view.with(|v| (v.sort, v.descending)));
    let order = Memo::new(move |_| {
        let (key, descending) = sort.get();
        all.with(|a| sorted_indices(a, key, descending))
    });
    let rows = Memo::new(move |_| view.with(|v| all.with(|a| index.with(|t| order.with(|o| v.apply(a, t, o))))));
    // Each backup's place among the rows shown (`NOT_SHOWN` if filtered out), once per change of
    // the rows, so a row finds its place without walking them.
    let places = Memo::new(move |_| {
        let mut places = vec![NOT_SHOWN; all.with(Vec::len)];
        rows.with(|r| {
            for (place, &i) in r.iter().enumerate() {
                if let Some(slot) = places.get_mut(i) {
                    *slot = place;
                }
            }
        });
        places
    });
    let loading = move || state.loads.with(|l| l.iter().any(|(_, _, l)| matches!(l, Load::Loading { .. })));
    let selected = RwSignal::new(None::<String>);
    // The open backup, rebuilt only when that backup itself changes (a reload of the list, or
    // another connection's progress, leaves the panel and what is typed in it alone).
    let shown =
        Memo::new(move |_| selected.get().and_then(|key| all.with(|a| a.iter().find(|b| key_of(b) == key).cloned())));
    // Which backup's panel took the focus last: a panel refreshed with new data keeps the
    // user's place instead of pulling the focus back to its top.
    let focused = StoredValue::new(None::<String>);
    Effect::new(move |_| {
        if selected.with(Option::is_none) {
            focused.set_value(None);
        }
    });
    // What the open backup's details hold is owned here: disposed once they close or the backup
    // leaves the list.
    let scopes = Scopes::new();
    Effect::new(move |_| shown.with(|b| scopes.keep_only(b.as_ref().map(key_of).as_deref())));

    let scroll_top = RwSignal::new(0.0f64);
    // The rows' height follows the layout (one line wide, three lines narrow).
    let row_height = RwSignal::new(row_height_now());
    let on_resize = window_event_listener(leptos::ev::resize, move |_| {
        let h = row_height_now();
        if row_height.get_untracked() != h {
            row_height.set(h);
        }
    });
    on_cleanup(move || on_resize.remove());
    let viewport = web_sys::window()
        .and_then(|w| w.inner_height().ok())
        .and_then(|h| h.as_f64())
        .map(|h| (h * 0.7).max(240.0))
        .unwrap_or(DEFAULT_VIEWPORT);
    let window_range = move || {
        let total = rows.with(Vec::len);
        let h = row_height.get();
        let first = ((scroll_top.get() / h) as usize).saturating_sub(OVERSCAN).min(total);
        let count = (viewport / h).ceil() as usize + 2 * OVERSCAN;
        (first, (first + count).min(total), total)
    };
    let visible = move || {
        let (first, last, _) = window_range();
        rows.with(|r| all.with(|a| r[first..last].iter().map(|&i| (i, a[i].clone())).collect::<Vec<_>>()))
    };
    let on_scroll = move |ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        if let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
            scroll_top.set(el.scroll_top() as f64);
        }
    };
    let shown_count = move || {
        let (shown, total) = (rows.with(Vec::len), all.with(Vec::len));
        if shown == total {
            format!("({total})")
        } else {
            format!("({shown} of {total})")
        }
    };

    view! {
        <section class="backups" aria-labelledby="backups-title">
            <h2 id="backups-title">{if fixed { "Backups of this source " } else { "Every backup " }} <span class="count">{shown_count}</span></h2>
            <Filters view=view fixed=fixed/>
            <ExportButtons rows=rows all=all/>
            <Show when=move || all.with(Vec::is_empty) && !loading()>
                <p class="empty">{move || if fixed { "This source has no backups yet." } else { "No backups to show yet." }} " "
                    <Show when=move || !fixed><a href=Page::Connections.href()>"Add a connection"</a>" or try the demo to see Backboard with simulated accounts."</Show>
                </p>
            </Show>
            <Show when=move || !all.with(Vec::is_empty) && rows.with(Vec::is_empty)>
                <p class="empty">"No backup matches these filters. "
                    <button type="button" class="link" on:click=move |_| view.update(|v| *v = v.cleared(fixed))>"Clear the filters"</button>
                </p>
            </Show>
            <Show when=move || !rows.with(Vec::is_empty) || loading()>
                <div class="table-scroll" style:max-height=format!("{viewport}px") on:scroll=on_scroll tabindex="0" aria-label="Backups, scrollable">
                    <table class="backup-table" aria-rowcount=move || rows.with(Vec::len) + 1>
                        <thead>
                            <tr aria-rowindex="1">
                                {SortKey::ALL.into_iter().map(|key| view! { <SortHeader key=key view=view/> }).collect_view()}
                            </tr>
                        </thead>
                        <tbody>
                            <tr class="spacer" aria-hidden="true" style:height=move || format!("{}px", window_range().0 as f64 * row_height.get())></tr>
                            <For each=visible key=|(i, b)| (*i, key_of(b), b.status_raw.clone(), b.completed, b.size_bytes) let:item>
                                <BackupRow index=item.0 backup=item.1 places=places selected=selected/>
                            </For>
                            <tr class="spacer" aria-hidden="true" style:height=move || { let (_, last, total) = window_range(); format!("{}px", (total - last) as f64 * row_height.get()) }></tr>
                            <Show when=loading>
                                <tr class="skeleton" aria-hidden="true"><td colspan="9"><span></span></td></tr>
                                <tr class="skeleton" aria-hidden="true"><td colspan="9"><span></span></td></tr>
                            </Show>
                        </tbody>
                    </table>
                </div>
            </Show>
            {move || shown.get().map(|b| view! { <DetailsPanel backup=b scopes=scopes focused=focused on_close=move || selected.set(None)/> })}
        </section>
    }
}

fn sort_value(key: SortKey, descending: bool) -> String {
    format!("{}:{}", key.as_str(), if descending { "desc" } else { "asc" })
}

fn row_height_now() -> f64 {
    let width = web_sys::window().and_then(|w| w.inner_width().ok()).and_then(|w| w.as_f64());
    let narrow = width.is_some_and(|w| w <= NARROW_MAX_WIDTH);
    if narrow {
        ROW_HEIGHT_NARROW
    } else {
        ROW_HEIGHT
    }
}

#[component]
fn Filters(view: RwSignal<View>, fixed: bool) -> impl IntoView {
    let state = AppState::get();
    let sources = move || {
        let mut list: Vec<(String, String)> =
            state.connections.with(|c| c.iter().map(|c| (c.source().id, c.label.clone())).collect());
        list.dedup();
        list
    };
    view! {
        <div class="filters" role="search">
            <label class="search">"Search backups"
                <input type="search" name="q" placeholder="name, id, source or status"
                    prop:value=move || view.with(|v| v.search.clone())
                    on:input=move |ev| { let q = event_target_value(&ev); view.update(|v| v.search = q) }/>
            </label>
            <Show when=move || !fixed>
            <label>"Filter by provider"
                <select name="filter-provider" prop:value=move || view.with(|v| v.provider.map(|p| p.slug()).unwrap_or("").to_string())
                    on:change=move |ev| { let p = Provider::from_slug(&event_target_value(&ev)); view.update(|v| v.provider = p) }>
                    <option value="">"All providers"</option>
                    {Provider::ALL.into_iter().map(|p| view! { <option value=p.slug()>{p.name()}</option> }).collect_view()}
                </select>
            </label>
            <label>"Filter by source"
                <select name="filter-source" prop:value=move || view.with(|v| v.source.clone().unwrap_or_default())
                    on:change=move |ev| { let s = event_target_value(&ev); view.update(|v| v.source = (!s.is_empty()).then_some(s)) }>
                    <option value="">"All sources"</option>
                    {move || sources().into_iter().map(|(id, label)| view! { <option value=id>{label}</option> }).collect_view()}
                </select>
            </label>
            </Show>
            // Phones show no column headers: the order is chosen here.
            <label class="sort-select">"Sort by"
                <select name="sort" prop:value=move || view.with(|v| sort_value(v.sort, v.descending))
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        if let Some((key, dir)) = value.split_once(':') {
                            if let Some(key) = SortKey::parse(key) {
                                view.update(|v| { v.sort = key; v.descending = dir == "desc"; });
                            }
                        }
                    }>
                    {SortKey::ALL.into_iter().flat_map(|key| [(key, true), (key, false)]).map(|(key, desc)| {
                        let words = format!("{}, {}", key.label(), if desc { "descending" } else { "ascending" });
                        view! { <option value=sort_value(key, desc)>{words}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>"Filter by status"
                <select name="filter-status" prop:value=move || view.with(|v| v.status.map(|s| s.as_str()).unwrap_or("").to_string())
                    on:change=move |ev| { let s = Status::parse(&event_target_value(&ev)); view.update(|v| v.status = s) }>
                    <option value="">"All statuses"</option>
                    {Status::ALL.into_iter().map(|s| view! { <option value=s.as_str()>{s.as_str()}</option> }).collect_view()}
                </select>
            </label>
        </div>
    }
}

#[component]
fn SortHeader(key: SortKey, view: RwSignal<View>) -> impl IntoView {
    let state = move || view.with(|v| (v.sort == key).then_some(v.descending));
    let aria = move || match state() {
        Some(true) => "descending",
        Some(false) => "ascending",
        None => "none",
    };
    let arrow = move || match state() {
        Some(true) => " ▼",
        Some(false) => " ▲",
        None => "",
    };
    view! {
        <th scope="col" aria-sort=aria class=format!("col-{}", key.as_str())>
            <button type="button" class="sort" on:click=move |_| view.update(|v| *v = v.sorted_by(key))>
                {key.label()}<span aria-hidden="true">{arrow}</span>
            </button>
        </th>
    }
}

fn time_cell(t: Option<OffsetDateTime>, now: OffsetDateTime) -> AnyView {
    match t {
        Some(t) => {
            view! { <time datetime=backboard_core::de::format_rfc3339(t) title=absolute(t)>{relative(t, now)}</time> }
                .into_any()
        }
        None => view! { <span class="muted">"—"</span> }.into_any(),
    }
}

#[component]
fn BackupRow(
    index: usize,
    backup: Backup,
    places: Memo<Vec<usize>>,
    selected: RwSignal<Option<String>>,
) -> impl IntoView {
    let now = now();
    let key = key_of(&backup);
    // The header is row 1.
    let position = move || places.with(|p| p.get(index).copied().filter(|&p| p != NOT_SHOWN)).map(|p| p + 2);
    let is_selected = {
        let key = key.clone();
        Signal::derive(move || selected.with(|s| s.as_deref() == Some(key.as_str())))
    };
    let status_class = format!("badge status-{}", backup.status.as_str());
    let name = if backup.name.is_empty() { backup.id.clone() } else { backup.name.clone() };
    let title = name.clone();
    view! {
        <tr data-provider=backup.provider.slug() aria-rowindex=position class:selected=is_selected>
            <td class="col-provider">{backup.provider.name()}</td>
            <td class="col-source" title=backup.source.label.clone()>{backup.source.label.clone()}</td>
            <td class="name" title=title>
                <button type="button" class="row-open" aria-expanded=move || is_selected.get().to_string()
                    on:click=move |_| selected.update(|s| *s = if s.as_deref() == Some(key.as_str()) { None } else { Some(key.clone()) })>
                    {name}
                </button>
            </td>
            <td><span class=status_class title=format!("{} says: {}", backup.provider.name(), backup.status_raw)>{backup.status.as_str()}</span></td>
            <td>{backup.contents.describe()}</td>
            <td class="num" data-label="Size">{backup.size_bytes.map(human_size).unwrap_or_else(|| "—".into())}</td>
            <td data-label="Created">{time_cell(backup.created, now)}</td>
            <td data-label="Done">{time_cell(backup.completed, now)}</td>
            <td data-label="Expires">{time_cell(backup.expires, now)}</td>
        </tr>
    }
}
