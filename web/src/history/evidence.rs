//! Where a source's days come from: the worker's recorded history (`GET /api/v1/sources/{key}/
//! history`, with the edge API key), or, without it, the backups the provider still lists,
//! judged here by the same core functions.

use backboard_core::health::{source_key, SizePoint};
use backboard_core::history::{day_text, utc_day, Day, Listed, Range, RestorePoint, Rule};
use backboard_core::http::encode_component;
use backboard_core::{Connection, Provider};
use leptos::prelude::With;
use serde::Deserialize;
use time::OffsetDateTime;

use crate::health::Card;
use crate::state::AppState;

/// What the worker answered for one source and range.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Recorded {
    pub days: Vec<Day>,
    #[serde(default)]
    pub restore_points: Vec<RestorePoint>,
}

impl Recorded {
    /// The recorded sizes, oldest first (the size chart).
    pub fn sizes(&self) -> Vec<SizePoint> {
        let mut out: Vec<SizePoint> = self
            .restore_points
            .iter()
            .filter_map(|p| p.size_bytes.map(|bytes| SizePoint { time: p.completed, bytes }))
            .collect();
        out.sort_by_key(|p| p.time);
        out
    }
}

/// The worker's answer for a source, as the page holds it.
#[derive(Clone, Debug, PartialEq)]
pub enum Asked {
    /// Not asked: no key, or a demo source (the worker does not watch it).
    No,
    Waiting,
    Got(Recorded),
    /// Why it could not be used (the page falls back to the listing and says why).
    Failed(String),
}

/// The words for evidence from the worker.
pub const FROM_WORKER: &str = "From the worker's recorded history (its cron records each source in BACKBOARD_SOURCES).";

/// The words for evidence from the listing.
pub fn from_listing(provider: Provider) -> String {
    format!("From the backups {} still keeps; older days: no data.", provider.name())
}

/// Whether the worker is asked for this connection: a key is set and the connection is not the
/// in-page demo's.
pub fn asks_worker(connection: &Connection, api_key: &str) -> bool {
    !api_key.trim().is_empty() && !crate::demo::is_demo(connection)
}

#[derive(Deserialize)]
struct Refusal {
    error: String,
}

/// Reads one source's recorded days over `range` from the worker at the proxy address.
pub async fn ask(connection: &Connection, api_key: &str, range: Range) -> Result<Recorded, String> {
    let key = source_key(connection.provider(), &connection.source());
    let url = format!(
        "{}/api/v1/sources/{}/history?from={}&to={}",
        crate::store::proxy_url().trim_end_matches('/'),
        encode_component(&key),
        day_text(range.from),
        day_text(range.to)
    );
    let response = gloo_net::http::Request::get(&url)
        .header("Authorization", &format!("Bearer {}", api_key.trim()))
        .header("Accept", "application/json")
        .send()
        .await
        .map_err(|_| "the worker could not be reached (network error or CORS refused)".to_string())?;
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    match status {
        200 => {
            serde_json::from_str::<Recorded>(&body).map_err(|e| format!("the worker's answer could not be read ({e})"))
        }
        401 => Err("the worker refused the edge API key (check it in Settings)".into()),
        404 => Err(format!(
            "the worker has recorded no history for {key} (it records only the sources in its BACKBOARD_SOURCES)"
        )),
        _ => Err(match serde_json::from_str::<Refusal>(&body) {
            Ok(r) => format!("the worker answered {status}: {}", r.error),
            Err(_) => format!("the worker answered {status}"),
        }),
    }
}

/// The days `range` of a source judged from the backups its provider lists now; None while its
/// first list is still being read.
pub fn listed_days(state: AppState, card: &Card, range: Range, now: OffsetDateTime) -> Option<Vec<Day>> {
    let health = card.health.as_ref()?;
    let id = &card.connection.id;
    let listed = state.loads.with(|loads| {
        loads
            .iter()
            .find(|(i, _, _)| i == id)
            .map(|(_, _, load)| Listed::of(load.backups(), health.expected.as_ref(), now))
    })?;
    Some(listed.days(range.from, range.to, &Rule::default()))
}

/// The 90 days up to today (UTC).
pub fn strip_range(now: OffsetDateTime) -> Range {
    let to = utc_day(now);
    Range { from: backboard_core::history::strip_first(to), to }
}
