//! Each channel's payload against its documented shape and limits, and the signed webhook's
//! scheme end to end.

use backboard_core::health::{Change, Verdict};
use backboard_core::history::{
    alert_message, discord, ntfy, ntfy_root, request, sign, slack, teams, verify, Channel, Message, Section,
    SignatureError, Target, REPLAY_WINDOW_SECS, SIGNATURE_HEADER,
};
use backboard_core::{Method, Provider};
use serde_json::{json, Value};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

const NOW: OffsetDateTime = datetime!(2026-12-01 10:00 UTC);

fn message(n: usize, line: &str) -> Message {
    Message {
        kind: "digest",
        title: "Backboard daily digest, 2026-12-01: 1 failing".into(),
        severity: Verdict::Failing,
        sections: (0..n)
            .map(|i| Section {
                heading: format!("Shop <{i}> & co (mittwald)"),
                verdict: if i == 0 { Verdict::Failing } else { Verdict::Healthy },
                lines: vec![line.to_string(), "Compliance: 100.0% over 7 days".into()],
            })
            .collect(),
        data: json!({"period": "2026-12-01"}),
    }
}

fn target(channel: Channel, url: &str, secret: Option<&str>) -> Target {
    Target { channel, url: url.into(), secret: secret.map(str::to_string) }
}

fn body(r: &backboard_core::Request) -> Value {
    serde_json::from_str(r.body.as_deref().unwrap()).unwrap()
}

#[test]
fn slack_gets_a_fallback_text_a_header_and_one_escaped_section_per_source() {
    let v = slack(&message(2, "failing: the last 2 backups failed"));
    assert_eq!(v["text"], "Backboard daily digest, 2026-12-01: 1 failing");
    assert_eq!(
        v["blocks"][0],
        json!({"type": "header", "text": {"type": "plain_text", "text": "Backboard daily digest, 2026-12-01: 1 failing", "emoji": true}})
    );
    assert_eq!(
        v["blocks"][1],
        json!({"type": "section", "text": {"type": "mrkdwn", "text":
            ":red_circle: *Shop &lt;0&gt; &amp; co (mittwald)*\nfailing: the last 2 backups failed\nCompliance: 100.0% over 7 days"}})
    );
    assert_eq!(v["blocks"].as_array().unwrap().len(), 3);
    // 60 sources: 50 blocks at most, the last one counting the rest.
    let big = slack(&message(60, &"x".repeat(5000)));
    let blocks = big["blocks"].as_array().unwrap();
    assert_eq!(blocks.len(), 50);
    assert_eq!(
        blocks[49],
        json!({"type": "context", "elements": [{"type": "mrkdwn", "text": "… and 12 more sources"}]})
    );
    assert!(blocks.iter().skip(1).take(48).all(|b| b["text"]["text"].as_str().unwrap().chars().count() <= 3000));
    // 49 sources fit exactly.
    assert_eq!(slack(&message(49, "ok"))["blocks"].as_array().unwrap().len(), 50);
    let r = request(&target(Channel::Slack, "https://hooks.slack.com/services/T/B/X", None), &message(1, "ok"), NOW)
        .unwrap();
    assert_eq!((r.method, r.url.as_str()), (Method::Post, "https://hooks.slack.com/services/T/B/X"));
    assert_eq!(r.header_value("content-type"), Some("application/json"));
}

#[test]
fn discord_gets_content_and_at_most_ten_embeds_within_six_thousand_characters() {
    let v = discord(&message(2, "failing: the last 2 backups failed"));
    assert_eq!(v["content"], "Backboard daily digest, 2026-12-01: 1 failing");
    assert_eq!(
        v["embeds"][0],
        json!({"title": "Shop <0> & co (mittwald)", "description": "failing: the last 2 backups failed\nCompliance: 100.0% over 7 days", "color": 0xE0_1E_5A})
    );
    assert_eq!(v["embeds"][1]["color"], 0x2E_B6_7D);
    assert_eq!(v["allowed_mentions"], json!({"parse": []}));
    let many = discord(&message(12, "ok"));
    assert_eq!(many["embeds"].as_array().unwrap().len(), 10);
    assert_eq!(many["content"], "Backboard daily digest, 2026-12-01: 1 failing\n… and 2 more sources");
    // Long lines: each description within 4096, all embeds within 6000.
    let long = discord(&message(5, &"é".repeat(5000)));
    let embeds = long["embeds"].as_array().unwrap();
    let total: usize = embeds
        .iter()
        .map(|e| e["title"].as_str().unwrap().chars().count() + e["description"].as_str().unwrap().chars().count())
        .sum();
    assert!(total <= 6000, "{total}");
    assert_eq!(embeds[0]["description"].as_str().unwrap().chars().count(), 4096);
    assert_eq!(embeds.len(), 2);
    assert!(long["content"].as_str().unwrap().ends_with("… and 3 more sources"));
}

#[test]
fn teams_gets_an_adaptive_card_attachment() {
    let v = teams(&message(2, "failing: the last 2 backups failed"));
    assert_eq!(v["type"], "message");
    let a = &v["attachments"][0];
    assert_eq!(a["contentType"], "application/vnd.microsoft.card.adaptive");
    assert_eq!(a["contentUrl"], Value::Null);
    let card = &a["content"];
    assert_eq!(card["type"], "AdaptiveCard");
    assert_eq!(card["version"], "1.4");
    assert_eq!(card["$schema"], "http://adaptivecards.io/schemas/adaptive-card.json");
    let body = card["body"].as_array().unwrap();
    assert_eq!(body.len(), 5);
    assert_eq!(body[0]["text"], "Backboard daily digest, 2026-12-01: 1 failing");
    assert_eq!(
        body[1],
        json!({"type": "TextBlock", "text": "Shop <0> & co (mittwald)", "weight": "Bolder", "color": "Attention", "wrap": true, "spacing": "Medium"})
    );
    assert_eq!(body[2]["text"], "failing: the last 2 backups failed\n\nCompliance: 100.0% over 7 days");
    assert_eq!(body[3]["color"], "Good");
    // Within the budget of one Teams message.
    let big = teams(&message(100, &"x".repeat(1000)));
    assert!(big.to_string().len() < 28_000, "{}", big.to_string().len());
    let last = big["attachments"][0]["content"]["body"].as_array().unwrap().last().unwrap().clone();
    assert!(last["text"].as_str().unwrap().starts_with("… and "), "{last}");
}

#[test]
fn ntfy_publishes_json_to_the_server_root() {
    assert_eq!(ntfy_root("https://ntfy.sh/backups"), Ok(("https://ntfy.sh/".into(), "backups".into())));
    assert_eq!(
        ntfy_root("https://push.example.com/ntfy/team_backups-1/"),
        Ok(("https://push.example.com/ntfy/".into(), "team_backups-1".into()))
    );
    for bad in ["https://ntfy.sh/", "https://ntfy.sh/a b", "ntfy.sh", "https://ntfy.sh//x"] {
        assert!(ntfy_root(bad).is_err(), "{bad}");
    }
    let r = request(&target(Channel::Ntfy, "https://ntfy.sh/backups", Some("tk_abc")), &message(2, "failing"), NOW)
        .unwrap();
    assert_eq!(r.url, "https://ntfy.sh/");
    assert_eq!(r.header_value("authorization"), Some("Bearer tk_abc"));
    let v = body(&r);
    assert_eq!(v["topic"], "backups");
    assert_eq!(v["title"], "Backboard daily digest, 2026-12-01: 1 failing");
    assert_eq!(v["priority"], 4);
    assert_eq!(v["tags"], json!(["rotating_light", "backboard"]));
    assert!(v["message"].as_str().unwrap().starts_with("Shop <0> & co (mittwald)\nfailing\n"));
    let public = request(&target(Channel::Ntfy, "https://ntfy.sh/backups", None), &message(1, "ok"), NOW).unwrap();
    assert_eq!(public.header_value("authorization"), None);
    // Cut at 4096 bytes, on a character boundary.
    let long = ntfy(&message(3, &"€".repeat(3000)), "t");
    let text = long["message"].as_str().unwrap();
    assert!(text.len() <= 4096 && text.len() > 4090, "{}", text.len());
    assert!(text.ends_with('…'));
    let mut calm = message(1, "ok");
    calm.severity = Verdict::Healthy;
    assert_eq!(ntfy(&calm, "t")["priority"], 2);
}

#[test]
fn the_signed_webhook_carries_the_message_and_verifies_by_the_documented_scheme() {
    let secret = "whsec_test";
    // The scheme against an independent computation (openssl dgst -sha256 -hmac).
    assert_eq!(
        sign(secret, 1_796_119_200, r#"{"a":1}"#),
        "086224e50bc3be456ba9655ca0806b8402e27a7a6b8f28b5db5fbc647a699ceb"
    );
    let r =
        request(&target(Channel::Webhook, "https://example.com/hook", Some(secret)), &message(1, "ok"), NOW).unwrap();
    let header = r.header_value(SIGNATURE_HEADER).unwrap();
    let raw = r.body.as_deref().unwrap();
    assert_eq!(header, format!("t=1796119200,v1={}", sign(secret, 1_796_119_200, raw)));
    let v = body(&r);
    assert_eq!(v["type"], "digest");
    assert_eq!(v["severity"], "failing");
    assert_eq!(v["sent_at"], "2026-12-01T10:00:00Z");
    assert_eq!(v["data"], json!({"period": "2026-12-01"}));
    assert_eq!(v["sections"][0]["verdict"], "failing");

    assert_eq!(REPLAY_WINDOW_SECS, 300);
    let at = |secs: i64| NOW + Duration::seconds(secs);
    assert_eq!(verify(secret, header, raw, at(300), REPLAY_WINDOW_SECS), Ok(()));
    assert_eq!(verify(secret, header, raw, at(-300), REPLAY_WINDOW_SECS), Ok(()));
    assert_eq!(
        verify(secret, header, raw, at(301), REPLAY_WINDOW_SECS),
        Err(SignatureError::OutsideWindow { skew_secs: 301 })
    );
    assert_eq!(
        verify(secret, header, raw, at(-301), REPLAY_WINDOW_SECS),
        Err(SignatureError::OutsideWindow { skew_secs: -301 })
    );
    assert_eq!(
        verify(secret, header, &raw.replace("ok", "OK"), NOW, REPLAY_WINDOW_SECS),
        Err(SignatureError::Mismatch)
    );
    assert_eq!(verify("other", header, raw, NOW, REPLAY_WINDOW_SECS), Err(SignatureError::Mismatch));
    // A replayed body under a fresh timestamp does not match either.
    let moved = header.replace("t=1796119200", "t=1796119260");
    assert_eq!(verify(secret, &moved, raw, NOW, REPLAY_WINDOW_SECS), Err(SignatureError::Mismatch));
    // Rotating a secret: any v1 may match.
    let both = format!("t=1796119200,v1={},v1={}", "00".repeat(32), sign(secret, 1_796_119_200, raw));
    assert_eq!(verify(secret, &both, raw, NOW, REPLAY_WINDOW_SECS), Ok(()));
    for bad in ["", "t=abc,v1=00", "t=1796119200", "v1=00", "t=1796119200,v1=zz", "t=1796119200,v1=0"] {
        assert_eq!(verify(secret, bad, raw, NOW, REPLAY_WINDOW_SECS), Err(SignatureError::Malformed), "{bad}");
    }
    let e = request(&target(Channel::Webhook, "https://example.com/hook", None), &message(1, "ok"), NOW).unwrap_err();
    assert!(e.contains("needs a secret"), "{e}");
}

#[test]
fn alerts_use_the_same_channels() {
    let changes = [Change {
        key: "mittwald:project:p1".into(),
        provider: Provider::Mittwald,
        label: "Shop".into(),
        from: Some(Verdict::Healthy),
        to: Verdict::Warning,
        reason: "no completed backup for 2 d".into(),
    }];
    assert_eq!(alert_message(&[]), None);
    let m = alert_message(&changes).unwrap();
    assert_eq!(m.title, "Backboard: 1 backup source changed");
    assert_eq!(m.severity, Verdict::Warning);
    assert_eq!(m.sections[0].heading, "Shop (mittwald)");
    assert_eq!(m.sections[0].lines, ["healthy → warning", "no completed backup for 2 d"]);
    assert_eq!(m.data["changes"][0]["to"], "warning");
    assert_eq!(
        m.text(),
        "Backboard: 1 backup source changed\n\nShop (mittwald)\nhealthy → warning\nno completed backup for 2 d"
    );
    assert_eq!(
        slack(&m)["blocks"][1]["text"]["text"],
        ":large_yellow_circle: *Shop (mittwald)*\nhealthy → warning\nno completed backup for 2 d"
    );
}

#[test]
fn channels_by_name_and_urls_that_cannot_be_posted_to() {
    assert_eq!(Channel::parse(" Teams "), Ok(Channel::Teams));
    assert!(Channel::parse("email").unwrap_err().contains("slack, discord, teams, ntfy, webhook"));
    let e = request(&target(Channel::Slack, "ftp://x", None), &message(1, "ok"), NOW).unwrap_err();
    assert!(e.contains("must start with https://"), "{e}");
    let t = target(Channel::Webhook, "https://x", Some("s3cret"));
    assert!(!format!("{t:?}").contains("s3cret"));
}
