//! A strip of days, one cell per UTC day: met, missed, failed or no data, told apart by shape as
//! well as colour (tall filled, short hollow, short filled, a line), each with its words as its
//! name and title. One cell is in the Tab order at a time (the newest, or the last one focused);
//! the arrow keys, Home and End move between cells, and the focused day is written out below.

use backboard_core::history::{day_text, Day, DayStatus};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

fn class(status: DayStatus) -> &'static str {
    match status {
        DayStatus::Met => "cell met",
        DayStatus::Missed => "cell missed",
        DayStatus::Failed => "cell failed",
        DayStatus::NoData => "cell no-data",
    }
}

/// The legend: each state's shape and word.
#[component]
pub fn StripLegend() -> impl IntoView {
    let item = |status: DayStatus| {
        view! { <li><span class=class(status) aria-hidden="true"></span>{status.as_str()}</li> }
    };
    view! {
        <ul class="strip-legend" aria-label="Legend">
            {item(DayStatus::Met)}{item(DayStatus::Missed)}{item(DayStatus::Failed)}{item(DayStatus::NoData)}
        </ul>
    }
}

/// The strip of `days` (oldest first), named `label`. The cells stay in the page while their
/// days change (a keyboard user keeps the focus); only a change of the number of days makes them
/// anew.
#[component]
pub fn DayStrip(#[prop(into)] days: Signal<Vec<Day>>, #[prop(into)] label: String) -> impl IntoView {
    let n = Memo::new(move |_| days.with(Vec::len));
    let current = RwSignal::new(n.get_untracked().saturating_sub(1));
    let focused = RwSignal::new(None::<usize>);
    let move_to = move |ev: &leptos::ev::KeyboardEvent, to: usize| {
        ev.prevent_default();
        current.set(to);
        let Some(list) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
        if let Ok(Some(cell)) = list.query_selector(&format!("[data-i=\"{to}\"]")) {
            if let Ok(cell) = cell.dyn_into::<web_sys::HtmlElement>() {
                let _ = cell.focus();
            }
        }
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let (i, n) = (current.get_untracked(), n.get_untracked());
        match ev.key().as_str() {
            "ArrowLeft" | "ArrowUp" if i > 0 => move_to(&ev, i - 1),
            "ArrowRight" | "ArrowDown" if i + 1 < n => move_to(&ev, i + 1),
            "Home" => move_to(&ev, 0),
            "End" => move_to(&ev, n.saturating_sub(1)),
            _ => {}
        }
    };
    let on_focus = move |ev: leptos::ev::FocusEvent| {
        let i = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.get_attribute("data-i"))
            .and_then(|i| i.parse::<usize>().ok());
        if let Some(i) = i {
            current.set(i);
            focused.set(Some(i));
        }
    };
    let text = move |i: usize| days.with(|d| d.get(i).map(|d| d.text.clone()).unwrap_or_default());
    let status = move |i: usize| days.with(|d| d.get(i).map_or(DayStatus::NoData, |d| d.status));
    let cells = move || {
        let n = n.get();
        current.set(n.saturating_sub(1));
        (0..n)
            .map(|i| {
                view! {
                    <li>
                        <span class=move || class(status(i)) role="img" aria-label=move || text(i) title=move || text(i)
                            data-i=i.to_string()
                            data-date=move || days.with(|d| d.get(i).map(|d| day_text(d.date)).unwrap_or_default())
                            data-status=move || status(i).as_str()
                            tabindex=move || if current.get() == i { "0" } else { "-1" }></span>
                    </li>
                }
            })
            .collect_view()
    };
    let said = move || focused.get().map(text);
    view! {
        <div class="strip-box">
            <ol class="strip" aria-label=label on:keydown=on_key on:focusin=on_focus
                on:focusout=move |_| focused.set(None)>{cells}</ol>
            <p class="strip-said muted" aria-hidden="true">{move || said().unwrap_or_else(|| "\u{a0}".into())}</p>
        </div>
    }
}
