//! The edge API's history and compliance queries, and their JSON and CSV.

use backboard_core::history::{
    compliance_csv, compliance_json, days, days_csv, days_from_query, history_json, points_csv, points_from_rows,
    points_read, range_from_query, DayStatus, Evidence, IntervalFrom, Range, Ratio, RestorePoint, Rule,
    SourceCompliance,
};
use backboard_core::http::parse_query;
use serde_json::json;
use time::macros::{date, datetime};

const TODAY: time::Date = date!(2026 - 12 - 01);

#[test]
fn ranges_and_days_from_queries() {
    let q = |s: &str| range_from_query(&parse_query(s), TODAY);
    assert_eq!(q(""), Ok(Range { from: date!(2026 - 11 - 02), to: TODAY }));
    assert_eq!(
        q("from=2026-11-20&to=2026-11-25"),
        Ok(Range { from: date!(2026 - 11 - 20), to: date!(2026 - 11 - 25) })
    );
    assert_eq!(q("to=2026-11-25").map(|r| r.len()), Ok(30));
    assert_eq!(q("from=2026-11-26&to=2026-11-25"), Err("from (2026-11-26) is after to (2026-11-25)".into()));
    assert_eq!(q("from=2016-01-01"), Err("a range is at most 3650 days, not 3988".into()));
    assert_eq!(q("from=yesterday"), Err("from: \"yesterday\" is not a day like 2026-12-01".into()));
    assert_eq!(q("to=2026-02-30"), Err("to: \"2026-02-30\" is not a day like 2026-12-01".into()));
    let d = |s: &str| days_from_query(&parse_query(s));
    assert_eq!((d(""), d("days=7"), d("days=400")), (Ok(90), Ok(7), Ok(400)));
    for bad in ["days=0", "days=3651", "days=week", "days=-7"] {
        assert!(d(bad).unwrap_err().starts_with("days must be a whole number from 1 to 3650"), "{bad}");
    }
}

#[test]
fn history_as_json_and_csv() {
    let points = [datetime!(2026-11-29 03:00 UTC), datetime!(2026-11-30 03:00 UTC)];
    let intervals =
        [IntervalFrom { from: datetime!(2026-11-01 00:00 UTC), every_secs: Some(86_400), origin: "threshold".into() }];
    let covered = [date!(2026 - 11 - 29), date!(2026 - 11 - 30), TODAY];
    let e = Evidence {
        added: datetime!(2026-11-29 00:00 UTC),
        intervals: &intervals,
        points: &points,
        failures: &[],
        covered: &covered,
        observed_until: datetime!(2026-12-01 20:00 UTC),
    };
    let range = Range { from: date!(2026 - 11 - 28), to: TODAY };
    let cells = days(&e, range.from, range.to, &Rule::default());
    let statuses: Vec<DayStatus> = cells.iter().map(|d| d.status).collect();
    assert_eq!(statuses, [DayStatus::NoData, DayStatus::Missed, DayStatus::Met, DayStatus::Missed]);
    let rows = [
        json!({"source": "s", "backup_id": "b\"1", "completed_at": 1_796_007_600, "size_bytes": 1024, "seen_at": 1_796_008_500}),
    ];
    let rp = points_from_rows(&rows).unwrap();
    assert_eq!(
        rp,
        [RestorePoint {
            source: "s".into(),
            backup_id: "b\"1".into(),
            completed: datetime!(2026-11-30 03:00 UTC),
            size_bytes: Some(1024),
            seen: datetime!(2026-11-30 03:15 UTC)
        }]
    );
    let v = history_json("s", range, &cells, &rp);
    assert_eq!((v["from"].as_str(), v["to"].as_str()), (Some("2026-11-28"), Some("2026-12-01")));
    assert_eq!(v["summary"]["met"], 1);
    assert_eq!(v["summary"]["percent"], 33.3);
    assert_eq!(
        v["days"][0],
        json!({"date": "2026-11-28", "status": "no_data", "no_data": "before_added", "restore_points": 0,
        "failures": 0, "longest_secs": null, "allowed_secs": null, "text": "2026-11-28: no data, before the source was added"})
    );
    assert_eq!(v["restore_points"][0]["completed"], "2026-11-30T03:00:00Z");
    let csv = days_csv(&[("s", &cells)]);
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(lines[0], "source,date,status,restore_points,failures,longest_secs,allowed_secs,text");
    assert_eq!(lines[3], "\"s\",\"2026-11-30\",\"met\",\"1\",\"0\",\"86400\",\"129600\",\"2026-11-30: met, restore points at most 1 d old (allowed 1 d 12 h); 1 restore point\"");
    assert_eq!(lines.len(), 6, "a header, four days and the final line end");
    assert_eq!(points_csv(&rp), "source,backup_id,completed,size_bytes,seen\r\n\"s\",\"b\"\"1\",\"2026-11-30T03:00:00Z\",\"1024\",\"2026-11-30T03:15:00Z\"\r\n");
    let read = points_read("s", range);
    assert_eq!(read.params, [json!("s"), json!(1_795_824_000), json!(1_796_169_600)]);
    assert!(points_from_rows(&[json!({"source": "s"})]).unwrap_err().contains("backup_id"));
}

#[test]
fn compliance_as_json_and_csv() {
    let ratio = Ratio { days: 7, met: 5, missed: 1, failed: 0, no_data: 1, percent: Some(83.3) };
    let list = [
        SourceCompliance { key: "mittwald:project:p".into(), label: "=Shop".into(), ratio },
        SourceCompliance {
            key: "k".into(),
            label: "New".into(),
            ratio: Ratio { days: 7, no_data: 7, ..Ratio::default() },
        },
    ];
    let v = compliance_json(7, TODAY, &list);
    assert_eq!(v["days"], 7);
    assert_eq!(
        v["sources"][0],
        json!({"key": "mittwald:project:p", "label": "=Shop", "percent": 83.3, "met": 5, "missed": 1, "failed": 0, "no_data": 1})
    );
    assert_eq!(v["sources"][1]["percent"], serde_json::Value::Null);
    assert_eq!(
        compliance_csv(7, &list),
        "source,label,days,met,missed,failed,no_data,percent\r\n\
         \"mittwald:project:p\",\"'=Shop\",\"7\",\"5\",\"1\",\"0\",\"1\",\"83.3\"\r\n\
         \"k\",\"New\",\"7\",\"0\",\"0\",\"0\",\"7\",\"\"\r\n"
    );
}

#[test]
fn the_last_run_is_read_back_or_none_before_the_first() {
    use backboard_core::history::{last_run_from_rows, last_run_read};
    assert_eq!(last_run_read().sql, "SELECT max(at) AS at FROM runs");
    assert_eq!(last_run_from_rows(&[json!({"at": null})]).unwrap(), None);
    assert_eq!(last_run_from_rows(&[]).unwrap(), None);
    assert_eq!(
        last_run_from_rows(&[json!({"at": 1_796_119_200})]).unwrap(),
        Some(time::macros::datetime!(2026-12-01 10:00 UTC))
    );
    assert!(last_run_from_rows(&[json!({"at": "x"})]).is_err());
}
