//! Reading back: D1's rows (JSON objects, as `results` holds them) into what is stored and into
//! each source's evidence, which judges exactly as the evidence it was written from.

use backboard_core::history::{
    compliance, evidence_from_rows, evidence_reads, stored_from_rows, stored_reads, strip_first, Rule,
};
use serde_json::{json, Value};
use time::macros::{date, datetime};

#[test]
fn stored_keys_from_rows() {
    let since = datetime!(2026-11-24 10:00 UTC);
    let reads = stored_reads(since);
    assert_eq!(
        reads[0].sql,
        "SELECT t.source AS source, t.backup_id AS backup_id FROM source_settings AS s \
         CROSS JOIN restore_points AS t ON t.source = s.source AND t.completed_at >= ?1"
    );
    assert_eq!(reads[0].params, [json!(1_795_514_400)]);
    assert_eq!(
        reads[2].sql,
        "SELECT source, (SELECT max(completed_at) FROM restore_points WHERE source = s.source) AS newest \
         FROM source_settings AS s"
    );
    let stored = stored_from_rows(
        since,
        &[
            vec![json!({"source": "s", "backup_id": "b1"})],
            vec![json!({"source": "s", "backup_id": "f"})],
            vec![json!({"source": "s", "newest": 1_796_007_600}), json!({"source": "t", "newest": 1_785_553_200})],
            vec![json!({"source": "s", "newest": 1_795_921_200}), json!({"source": "t", "newest": null})],
        ],
    )
    .unwrap();
    assert!(stored.points.contains(&("s".to_string(), "b1".to_string())));
    assert!(stored.attempts.contains(&("s".to_string(), "f".to_string())));
    assert_eq!(stored.newest_point.len(), 2);
    assert_eq!(stored.newest_point["s"], datetime!(2026-11-30 03:00 UTC));
    assert_eq!(stored.newest_attempt["s"], datetime!(2026-11-29 03:00 UTC));
    assert!(!stored.newest_attempt.contains_key("t"), "nothing stored is no newest");
    let e = stored_from_rows(since, &[vec![json!({"source": "s"})], vec![], vec![], vec![]]).unwrap_err();
    assert_eq!(e, "a restore_points row has no readable backup_id");
}

#[test]
fn evidence_from_rows_judges_like_the_evidence_it_came_from() {
    let today = date!(2026 - 12 - 01);
    let from = strip_first(today);
    assert_eq!(from, date!(2026 - 09 - 03));
    let reads = evidence_reads(from, today);
    assert_eq!(reads.len(), 6);
    assert_eq!(reads[0].params, [json!(1_788_393_600), json!(1_796_169_600)]);
    assert_eq!(reads[3].params, [json!("2026-09-03"), json!("2026-12-01")]);
    // Daily restore points at 03:00 from 28 Nov, one older one, a failure, runs every day from
    // 28 Nov, expected daily since 27 Nov; a second source with no restore point before.
    let at = |t: time::OffsetDateTime| json!(t.unix_timestamp());
    let answers: [Vec<Value>; 6] = [
        vec![
            json!({"source": "s", "completed_at": at(datetime!(2026-11-28 03:00 UTC))}),
            json!({"source": "s", "completed_at": at(datetime!(2026-11-29 03:00 UTC))}),
            json!({"source": "s", "completed_at": at(datetime!(2026-12-01 03:00 UTC))}),
        ],
        vec![
            json!({"source": "s", "completed_at": at(datetime!(2026-11-27 03:00 UTC))}),
            json!({"source": "u", "completed_at": null}),
        ],
        vec![json!({"source": "s", "at": at(datetime!(2026-11-30 03:00 UTC))})],
        ["2026-11-28", "2026-11-29", "2026-11-30", "2026-12-01", "2026-12-01"]
            .iter()
            .map(|d| json!({"source": "s", "day": d}))
            .collect(),
        vec![
            json!({"source": "s", "from_at": at(datetime!(2026-11-27 00:00 UTC)), "every_secs": 86_400, "origin": "threshold"}),
        ],
        vec![
            json!({"source": "s", "added_at": at(datetime!(2026-11-28 00:00 UTC))}),
            json!({"source": "u", "added_at": at(datetime!(2026-11-30 00:00 UTC))}),
        ],
    ];
    let rows = evidence_from_rows(&answers).unwrap();
    let s = &rows["s"];
    assert_eq!(s.points.len(), 4);
    assert_eq!(s.covered.len(), 4, "days are deduplicated");
    let e = s.evidence(datetime!(2026-12-01 10:00 UTC)).unwrap();
    let c = compliance(&e, today, &Rule::default());
    let tail: Vec<&str> = c.strip[86..].iter().map(|d| d.status.as_str()).collect();
    // 30 Nov failed: from 15:00 the newest (29 Nov 03:00) is older than 36 h, after a failure.
    assert_eq!(tail, ["met", "met", "failed", "failed"]);
    assert_eq!(c.last_7.percent, Some(50.0));
    assert!(rows["u"].points.is_empty());
    assert!(rows["u"].evidence(datetime!(2026-12-01 10:00 UTC)).is_some());
    let mut broken = answers.clone();
    broken[3] = vec![json!({"source": "s", "day": "1 Dec"})];
    assert_eq!(evidence_from_rows(&broken).unwrap_err(), "\"1 Dec\" is not a day like 2026-12-01");
}
