//! The cron's digest: when `DIGEST` is set, each channel whose period is due (the core decides,
//! in the configured zone read through `Intl`) is claimed in D1, sent, and given back if the
//! send fails, so the next run tries again and no run sends a period twice.

use backboard_core::history::{
    build, changes_from_rows, changes_read, claim_digest, digests_from_rows, digests_read, request, unclaim_digest,
    DigestSetting, Target,
};
use backboard_core::http::Request as CoreRequest;
use time::OffsetDateTime;
use worker::{console_error, console_log, Env, Headers, Method, Request, RequestInit};

use crate::d1;
use crate::settings::{secret, timeout_ms};
use crate::transport::{fetch_with_timeout, js_bytes};
use crate::verdicts::Judged;
use crate::zone::IntlZone;

/// Sends what is due at `now`; one channel's failure is logged and does not stop the others.
pub async fn send(env: &Env, judged: &Judged, now: OffsetDateTime) -> Result<(), String> {
    let Some(text) = secret(env, "DIGEST") else { return Ok(()) };
    let setting = DigestSetting::parse(&text)?;
    let zone = IntlZone::new(&setting.zone).map_err(|e| format!("DIGEST zone: {e}"))?;
    let db = d1::database(env)?;
    let mut statements = setting.upserts();
    statements.push(digests_read());
    let answers = d1::batch(&db, &statements).await?;
    let stored = digests_from_rows(answers.last().map_or(&[][..], |a| &a.rows[..]))?;
    for (name, target) in setting.named() {
        let row = stored.iter().find(|d| d.name == name);
        let last = row.and_then(|r| r.last_period.clone());
        let since = row.and_then(|r| r.last_sent_at);
        let Some(period) = setting.schedule.due(&zone, now, last.as_deref()) else { continue };
        let key = period.key();
        let claim = d1::batch(&db, &[claim_digest(&name, &key, now), changes_read(since)]).await?;
        if claim.first().map_or(0, |a| a.rows_written) == 0 {
            continue;
        }
        let changes = changes_from_rows(claim.get(1).map_or(&[][..], |a| &a.rows[..]))?;
        let digest = build(setting.schedule.cadence, &period, since, &judged.health, &[], &changes, now);
        match deliver(env, target, &request(target, &digest.message(), now)?).await {
            Ok(()) => console_log!("backboard cron: {name}: sent the digest of {key}"),
            Err(e) => {
                console_error!("backboard cron: {name}: {e}; the digest of {key} is sent again next run");
                d1::batch(&db, &[unclaim_digest(&name, &key, last.as_deref(), since)]).await?;
            }
        }
    }
    Ok(())
}

/// Carries the core's request; anything but a 2xx answer in time is an error.
async fn deliver(env: &Env, target: &Target, r: &CoreRequest) -> Result<(), String> {
    let headers = Headers::new();
    for (k, v) in &r.headers {
        headers.set(k, v).map_err(|e| e.to_string())?;
    }
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_headers(headers);
    if let Some(body) = &r.body {
        init.with_body(Some(js_bytes(body.as_bytes())));
    }
    let channel = target.channel.as_str();
    let req = Request::new_with_init(&r.url, &init).map_err(|e| format!("the {channel} URL is not usable: {e}"))?;
    match fetch_with_timeout(req, timeout_ms(env)).await {
        Ok(Some(a)) if (200..300).contains(&a.status_code()) => Ok(()),
        Ok(Some(a)) => Err(format!("the {channel} channel answered {}", a.status_code())),
        Ok(None) => Err(format!("the {channel} channel did not answer in time")),
        Err(e) => Err(format!("the {channel} channel is unreachable: {e}")),
    }
}
