//! Backup sizes over time as hand-written SVG (a chart crate would cost far more wasm than
//! this): the chart on a source's page and the sparkline of its overview row.

use backboard_core::display::{absolute, human_size};
use backboard_core::health::SizePoint;
use leptos::prelude::*;

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
fn chart_points(sizes: &[SizePoint], w: f64, h: f64) -> Vec<(f64, f64)> {
    let (Some(first), Some(last)) = (sizes.first(), sizes.last()) else { return Vec::new() };
    let t0 = first.time.unix_timestamp() as f64;
    let span = (last.time.unix_timestamp() as f64 - t0).max(0.0);
    let max = sizes.iter().map(|p| p.bytes).max().unwrap_or(0).max(1) as f64;
    sizes
        .iter()
        .map(|p| {
            let x = if span == 0.0 {
                w / 2.0
            } else {
                PAD + (p.time.unix_timestamp() as f64 - t0) / span * (w - 2.0 * PAD)
            };
            let y = h - PAD - (p.bytes as f64 / max) * (h - 2.0 * PAD);
            ((x * 10.0).round() / 10.0, (y * 10.0).round() / 10.0)
        })
        .collect()
}

#[component]
pub fn SizeChart(sizes: Vec<SizePoint>, label: String) -> impl IntoView {
    if sizes.is_empty() {
        return view! { <p class="chart-empty muted">"No completed backup with a size yet: nothing to chart."</p> }
            .into_any();
    }
    let words = chart_words(&sizes);
    let points = chart_points(&sizes, CHART_W, CHART_H);
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

const SPARK_W: f64 = 96.0;
const SPARK_H: f64 = 28.0;

/// The overview row's trend: the last sizes as a line, its words as the accessible name.
#[component]
pub fn Sparkline(sizes: Vec<SizePoint>) -> impl IntoView {
    if sizes.len() < 2 {
        return view! { <span class="muted">"—"</span> }.into_any();
    }
    let words = chart_words(&sizes);
    let line =
        chart_points(&sizes, SPARK_W, SPARK_H).iter().map(|(x, y)| format!("{x},{y}")).collect::<Vec<_>>().join(" ");
    view! {
        <svg class="sparkline" viewBox=format!("0 0 {SPARK_W} {SPARK_H}") width=SPARK_W.to_string() height=SPARK_H.to_string()
            role="img" aria-label=words>
            <polyline class="sizes" points=line></polyline>
        </svg>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::OffsetDateTime;
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn chart_scales_and_says_what_it_shows() {
        let t = OffsetDateTime::UNIX_EPOCH;
        let sizes = [SizePoint { time: t, bytes: 0 }, SizePoint { time: t + time::Duration::days(2), bytes: 2048 }];
        let points = chart_points(&sizes, CHART_W, CHART_H);
        assert_eq!(points, vec![(PAD, CHART_H - PAD), (CHART_W - PAD, PAD)]);
        let words = chart_words(&sizes);
        assert!(words.contains("2 completed backups"), "{words}");
        assert!(words.contains("1970-01-01 00:00 UTC") && words.contains("1970-01-03 00:00 UTC"), "{words}");
        assert!(words.contains("largest 2"), "{words}");
        assert_eq!(chart_points(&sizes[1..], CHART_W, CHART_H), vec![(CHART_W / 2.0, PAD)]);
    }
}
