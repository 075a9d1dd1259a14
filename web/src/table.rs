//! The unified list: sort, filters and search (kept in the URL query), virtualized rows so
//! 10,000 backups stay smooth, and the provider's own details one click away.

use backboard_core::display::{absolute, human_size, relative};
use backboard_core::view::{search_text, sorted_indices, SortKey, View};
use backboard_core::{Backup, Provider, Status};
use leptos::prelude::*;
use time::OffsetDateTime;

use crate::clock::now;
use crate::details::{key_of, DetailsPanel};
use crate::export::ExportButtons;
use crate::state::{AppState, Load};
use crate::ui::scope::Scopes;

/// Every row is this tall (CSS fixes it), which is what makes windowed rendering exact.
const ROW_HEIGHT: f64 = 40.0;
/// Rows rendered above and below the visible window.
const OVERSCAN: usize = 8;
/// How long typing must pause before the address bar follows the search.
const URL_DELAY: std::time::Duration = std::time::Duration::from_millis(150);
/// Height of the scrolling area when the window's height is unknown.
const DEFAULT_VIEWPORT: f64 = 560.0;

fn location_search() -> String {
    web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default()
}

/// Writes the view into the address bar without a history entry per keystroke. The router
/// crate would do the same for ~30 KB more wasm; this is the one place the SPA needs it.
fn replace_query(query: &str) {
    let Some(window) = web_sys::window() else { return };
    let location = window.location();
    let path = location.pathname().unwrap_or_default();
    let url = if query.is_empty() { path } else { format!("{path}?{query}") };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

#[component]
pub fn BackupList() -> impl IntoView {
    let state = expect_context::<AppState>();
    let view = RwSignal::new(View::from_query(&location_search()));
    // The address bar follows typing once it pauses: history.replaceState cost about 2 ms of
    // every keystroke at 10,000 backups, on the way from the key to the paint. Any other change
    // (a filter, a sort) is written at once, so a reload right after it keeps it.
    let url_timer = StoredValue::new(None::<leptos::leptos_dom::helpers::TimeoutHandle>);
    let written = StoredValue::new(view.get_untracked());
    Effect::new(move |_| {
        let current = view.get();
        if let Some(pending) = url_timer.get_value() {
            pending.clear();
        }
        let typing = written.with_value(|w| View { search: w.search.clone(), ..current.clone() } == *w);
        let write = move || {
            if let Some(v) = view.try_get_untracked() {
                replace_query(&v.to_query());
                written.try_set_value(v);
            }
        };
        if typing {
            url_timer.set_value(leptos::leptos_dom::helpers::set_timeout_with_handle(write, URL_DELAY).ok());
        } else {
            url_timer.set_value(None);
            write();
        }
    });

    let all = Memo::new(move |_| {
        state
            .loads
            .with(|loads| loads.iter().flat_map(|(_, _, l)| l.backups().iter().cloned()).collect::<Vec<Backup>>())
    });
    // Built once per list, so a keystroke only walks precomputed text.
    let texts = Memo::new(move |_| all.with(|a| a.iter().map(search_text).collect::<Vec<_>>()));
    let sort = Memo::new(move |_| view.with(|v| (v.sort, v.descending)));
    let order = Memo::new(move |_| {
        let (key, descending) = sort.get();
        all.with(|a| sorted_indices(a, key, descending))
    });
    let rows = Memo::new(move |_| view.with(|v| all.with(|a| texts.with(|t| order.with(|o| v.apply(a, t, o))))));
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
    let viewport = web_sys::window()
        .and_then(|w| w.inner_height().ok())
        .and_then(|h| h.as_f64())
        .map(|h| (h * 0.7).max(240.0))
        .unwrap_or(DEFAULT_VIEWPORT);
    let window_range = move || {
        let total = rows.with(Vec::len);
        let first = ((scroll_top.get() / ROW_HEIGHT) as usize).saturating_sub(OVERSCAN).min(total);
        let count = (viewport / ROW_HEIGHT).ceil() as usize + 2 * OVERSCAN;
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
            <h2 id="backups-title">"Backups " <span class="count">{shown_count}</span></h2>
            <Filters view=view/>
            <ExportButtons rows=rows all=all/>
            <Show when=move || all.with(Vec::is_empty) && !loading()>
                <p class="empty">"No backups to show. Add a connection above, or press “Try the demo” to see Backboard with simulated accounts."</p>
            </Show>
            <Show when=move || !all.with(Vec::is_empty) && rows.with(Vec::is_empty)>
                <p class="empty">"No backup matches these filters. "
                    <button type="button" class="link" on:click=move |_| view.set(View { sort: view.get_untracked().sort, descending: view.get_untracked().descending, ..View::default() })>"Clear the filters"</button>
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
                            <tr class="spacer" aria-hidden="true" style:height=move || format!("{}px", window_range().0 as f64 * ROW_HEIGHT)></tr>
                            <For each=visible key=|(i, b)| (*i, key_of(b), b.status_raw.clone(), b.completed, b.size_bytes) let:item>
                                <BackupRow index=item.0 backup=item.1 rows=rows selected=selected/>
                            </For>
                            <tr class="spacer" aria-hidden="true" style:height=move || { let (_, last, total) = window_range(); format!("{}px", (total - last) as f64 * ROW_HEIGHT) }></tr>
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

#[component]
fn Filters(view: RwSignal<View>) -> impl IntoView {
    let state = expect_context::<AppState>();
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
    rows: Memo<Vec<usize>>,
    selected: RwSignal<Option<String>>,
) -> impl IntoView {
    let now = now();
    let key = key_of(&backup);
    let position = move || rows.with(|r| r.iter().position(|&i| i == index)).map(|p| p + 2);
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
            <td class="num">{backup.size_bytes.map(human_size).unwrap_or_else(|| "—".into())}</td>
            <td>{time_cell(backup.created, now)}</td>
            <td>{time_cell(backup.completed, now)}</td>
            <td>{time_cell(backup.expires, now)}</td>
        </tr>
    }
}
