//! The Cron Trigger: judges every configured source at the run's scheduled time, records the
//! history in D1 (`history.rs`), sends the digest when one is due (`digest.rs`), and posts to
//! `WEBHOOK_URL` (Slack-compatible JSON) when a verdict changed since the last run. The last
//! verdicts live in KV and are replaced only once the message is delivered, so a failing webhook
//! hears the change next run. A history that cannot be written does not hold the message back,
//! nor the other way round.

use backboard_core::monitor::{self, Monitored};
use worker::{
    console_error, console_log, event, Env, Headers, Method, Request, RequestInit, ScheduleContext, ScheduledEvent,
};

use crate::settings::{secret, timeout_ms};
use crate::transport::{fetch_with_timeout, js_bytes};
use crate::verdicts::{from_millis, judge, Judged};
use crate::{digest, history, sources};

/// The KV binding the cron remembers the last verdicts in, and the key it uses.
const STATE_BINDING: &str = "BACKBOARD_STATE";
const STATE_KEY: &str = "monitor-state";

#[event(scheduled)]
pub async fn scheduled(event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    // The scheduled time, not the clock: a run is keyed by it, and a late start judges the
    // moment it was meant for.
    let now = from_millis(event.schedule());
    let monitored = match sources::all(&env).await {
        Ok(m) => m,
        Err(e) => return console_error!("backboard cron ({}): {e}", event.cron()),
    };
    crate::workspace::upkeep(&env, now).await;
    let all: Vec<&Monitored> = monitored.iter().collect();
    let judged = judge(&env, &all, now).await;
    match history::record(&env, &judged, now).await {
        Ok(cost) => console_log!(
            "backboard cron: history: {} new restore points, {} new attempts; D1: {} statements, {} rows read, {} written",
            cost.points,
            cost.attempts,
            cost.statements,
            cost.rows_read,
            cost.rows_written
        ),
        Err(e) => console_error!("backboard cron ({}): history not recorded: {e}", event.cron()),
    }
    if let Err(e) = digest::send(&env, &judged, now).await {
        console_error!("backboard cron ({}): no digest was sent: {e}", event.cron());
    }
    if let Err(e) = notify(&env, &judged).await {
        console_error!("backboard cron ({}): {e}", event.cron());
    }
}

async fn notify(env: &Env, judged: &Judged) -> Result<(), String> {
    let kv = env
        .kv(STATE_BINDING)
        .map_err(|e| format!("the KV binding {STATE_BINDING} is missing ({e}); no change was sent"))?;
    let stored = kv.get(STATE_KEY).text().await.map_err(|e| format!("reading {STATE_KEY}: {e}"))?;
    let previous = monitor::State::from_stored(stored.as_deref()).unwrap_or_else(|e| {
        console_error!("backboard cron: {e}; starting over");
        monitor::State::default()
    });
    let plan = monitor::plan(&previous, &judged.health);
    if let Some(message) = &plan.message {
        match secret(env, "WEBHOOK_URL") {
            Some(url) => post_webhook(env, &url, message).await?,
            None => console_log!("backboard cron: no WEBHOOK_URL is configured; the change was: {message}"),
        }
    }
    if plan.must_store(&previous) {
        let put = kv.put(STATE_KEY, plan.next.to_stored()).map_err(|e| e.to_string())?;
        put.execute().await.map_err(|e| format!("storing {STATE_KEY}: {e}"))?;
    }
    Ok(())
}

/// Posts once; anything but a 2xx answer in time is an error (and the state stays unchanged).
async fn post_webhook(env: &Env, url: &str, body: &str) -> Result<(), String> {
    let headers = Headers::new();
    headers.set("Content-Type", "application/json").map_err(|e| e.to_string())?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_headers(headers).with_body(Some(js_bytes(body.as_bytes())));
    let req = Request::new_with_init(url, &init).map_err(|e| format!("the webhook URL is not usable: {e}"))?;
    match fetch_with_timeout(req, timeout_ms(env)).await {
        Ok(Some(r)) if (200..300).contains(&r.status_code()) => Ok(()),
        Ok(Some(r)) => Err(format!("the webhook answered {}; the change will be sent again next run", r.status_code())),
        Ok(None) => Err("the webhook did not answer in time; the change will be sent again next run".into()),
        Err(e) => Err(format!("the webhook could not be reached ({e}); the change will be sent again next run")),
    }
}
