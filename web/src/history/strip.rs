//! A strip of days, one cell per UTC day: met, missed, failed or no data, told apart by shape as
//! well as colour (tall filled, short hollow, short filled, a line), each with its words as its
//! name and title. One cell is in the Tab order at a time (the newest, or the last one focused);
//! the arrow keys, Home and End move between cells, and the focused day is written out below.

use backboard_core::history::{Day, DayStatus};
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

/// The strip of `days` (oldest first), named `label`.
#[component]
pub fn DayStrip(days: Vec<Day>, #[prop(into)] label: String) -> impl IntoView {
    let last = days.len().saturating_sub(1);
    let current = RwSignal::new(last);
    let focused = RwSignal::new(None::<usize>);
    let texts: Vec<String> = days.iter().map(|d| d.text.clone()).collect();
    let n = days.len();
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
        let i = current.get_untracked();
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
    let cells = days
        .into_iter()
        .enumerate()
        .map(|(i, d)| {
            view! {
                <li>
                    <span class=class(d.status) role="img" aria-label=d.text.clone() title=d.text.clone()
                        data-i=i.to_string() data-date=backboard_core::history::day_text(d.date)
                        data-status=d.status.as_str() tabindex=move || if current.get() == i { "0" } else { "-1" }></span>
                </li>
            }
        })
        .collect_view();
    let said = move || focused.get().and_then(|i| texts.get(i).cloned());
    view! {
        <div class="strip-box">
            <ol class="strip" aria-label=label on:keydown=on_key on:focusin=on_focus
                on:focusout=move |_| focused.set(None)>{cells}</ol>
            <p class="strip-said muted" aria-hidden="true">{move || said().unwrap_or_else(|| "\u{a0}".into())}</p>
        </div>
    }
}
