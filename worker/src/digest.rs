//! The cron's digest: when `DIGEST` is set, each channel whose period is due (the core decides,
//! in the configured zone read through `Intl`) is claimed in D1, sent, and given back if the
//! send fails, so the next run tries again and no run sends a period twice. `DIGEST` is the
//! whole configuration; a channel's row in `digests` keeps only what it last sent. Sources in a
//! quiet period are left out, and a period when every source is quiet is not sent at all.

use backboard_core::health::SourceHealth;
use backboard_core::history::{
    build, changes_from_rows, changes_read, claim_digest, compliance, digest_sources, digests_from_rows, digests_read,
    evidence_from_rows, evidence_reads, last_run_from_rows, last_run_read, request, strip_first, unclaim_digest,
    utc_day, Announced, Compliance, DigestSetting, Rule, Statement, Target,
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
pub async fn send(env: &Env, judged: &Judged, announced: &Announced, now: OffsetDateTime) -> Result<(), String> {
    let Some(text) = secret(env, "DIGEST") else { return Ok(()) };
    let setting = DigestSetting::parse(&text)?;
    let zone = IntlZone::new(&setting.zone).map_err(|e| format!("DIGEST zone: {e}"))?;
    let db = d1::database(env)?;
    let mut statements = setting.upserts();
    statements.push(digests_read());
    let answers = d1::batch(&db, &statements).await?;
    let stored = digests_from_rows(answers.last().map_or(&[][..], |a| &a.rows[..]))?;
    // Read once, for the first channel due.
    let mut compliance: Option<Vec<(String, Compliance)>> = None;
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
        let Some(loud) = digest_sources(&judged.health, announced) else {
            console_log!("backboard cron: {name}: every source is in a quiet period; the digest of {key} is not sent");
            // The period stays taken; "what changed" still starts at the last digest sent.
            d1::batch(&db, &[unclaim_digest(&name, &key, Some(&key), since)]).await?;
            continue;
        };
        if compliance.is_none() {
            compliance = Some(compliance_of(&db, &loud, now).await?);
        }
        let changes = changes_from_rows(claim.get(1).map_or(&[][..], |a| &a.rows[..]))?;
        let c = compliance.as_deref().unwrap_or_default();
        let digest = build(setting.schedule.cadence, &period, since, &loud, c, &changes, now);
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

/// Each source's 7, 30 and 90-day compliance up to today (UTC), from the recorded history; a
/// source no run has recorded is left out (the digest says "no data").
async fn compliance_of(
    db: &worker::D1Database,
    health: &[SourceHealth],
    now: OffsetDateTime,
) -> Result<Vec<(String, Compliance)>, String> {
    let today = utc_day(now);
    let mut reads: Vec<Statement> = evidence_reads(strip_first(today), today).into();
    reads.push(last_run_read());
    let answers = d1::batch(db, &reads).await?;
    let by_source = evidence_from_rows(&d1::rows::<6>(&answers)?)?;
    let Some(observed) = last_run_from_rows(answers.get(6).map_or(&[][..], |a| &a.rows))? else {
        return Ok(Vec::new());
    };
    Ok(health
        .iter()
        .filter_map(|h| {
            let e = by_source.get(&h.key)?.evidence(observed)?;
            Some((h.key.clone(), compliance(&e, today, &Rule::default())))
        })
        .collect())
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
