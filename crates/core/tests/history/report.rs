//! Compliance from the backups a provider still lists, and the report page's address and JSON.

use backboard_core::health::{Expected, ExpectedFrom};
use backboard_core::history::{
    compliance, days, report_json, DayStatus, Evidence, IntervalFrom, Listed, NoData, Range, ReportQuery, ReportSource,
    Rule, OLDER_THAN_LISTED,
};
use time::macros::{date, datetime};

use super::gen::daily;

const TODAY: time::Date = date!(2026 - 12 - 01);

fn daily_expected() -> Expected {
    Expected { every_secs: 86_400, every: "1 d".into(), from: ExpectedFrom::Threshold, description: String::new() }
}

#[test]
fn listed_backups_judge_the_days_they_reach_and_no_older() {
    // Ten daily backups up to yesterday at 03:00, the fifth left out and the eighth failed.
    let backups = daily("p", datetime!(2026-11-21 03:00 UTC), 10, &[4], &[7]);
    let now = datetime!(2026-12-01 12:00 UTC);
    let listed = Listed::of(&backups, Some(&daily_expected()), now);
    let c = listed.compliance(TODAY, &Rule::default());
    assert_eq!(c.strip.len(), 90);
    assert_eq!(c.strip.last().map(|d| d.date), Some(TODAY));
    // The same as the worker's judgement of the same rows with the listing's first day as added.
    let e = listed.evidence().expect("listed");
    assert_eq!(e.added, datetime!(2026-11-21 03:00 UTC));
    let worker = compliance(&e, TODAY, &Rule::default());
    let statuses = |d: &[backboard_core::history::Day]| d.iter().map(|d| d.status).collect::<Vec<_>>();
    assert_eq!(statuses(&c.strip), statuses(&worker.strip));
    assert_eq!((c.last_7, c.last_30, c.last_90), (worker.last_7, worker.last_30, worker.last_90));
    // Older days: no data, in words that say why.
    let old = &c.strip[0];
    assert_eq!((old.status, old.no_data), (DayStatus::NoData, Some(NoData::BeforeAdded)));
    assert!(old.text.ends_with(OLDER_THAN_LISTED), "{}", old.text);
    // The gap and the failure show; days without data are counted apart.
    assert!(c.last_30.missed >= 1, "{:?}", c.last_30);
    assert!(c.last_30.failed >= 1, "{:?}", c.last_30);
    assert_eq!(c.last_30.no_data, 19, "{:?}", c.last_30);
    assert_eq!(c.last_90.no_data, 79);
    assert!(c.last_7.percent.is_some_and(|p| p < 100.0));
}

#[test]
fn nothing_listed_or_nothing_expected_has_no_data() {
    let now = datetime!(2026-12-01 12:00 UTC);
    let empty = Listed::of(&[], Some(&daily_expected()), now);
    assert!(empty.evidence().is_none());
    let c = empty.compliance(TODAY, &Rule::default());
    assert!(c.strip.iter().all(|d| d.status == DayStatus::NoData));
    assert_eq!(c.last_90.percent, None);
    let backups = daily("p", datetime!(2026-11-21 03:00 UTC), 10, &[], &[]);
    let unexpected = Listed::of(&backups, None, now);
    let c = unexpected.compliance(TODAY, &Rule::default());
    assert_eq!(c.strip.last().and_then(|d| d.no_data), Some(NoData::NoExpectation));
    assert_eq!(c.last_7.percent, None);
}

#[test]
fn a_strip_read_back_gives_the_same_figures() {
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
    let c = compliance(&e, TODAY, &Rule::default());
    let json = serde_json::to_string(&c.strip).expect("json");
    let back: Vec<backboard_core::history::Day> = serde_json::from_str(&json).expect("read back");
    assert_eq!(backboard_core::history::Compliance::of_strip(back), c);
}

#[test]
fn the_report_address_reads_back_and_checks_its_range() {
    let q = ReportQuery {
        from: "2026-11-01".into(),
        to: "2026-11-30".into(),
        sources: vec!["mittwald:project:p 1".into(), "serveravatar:organization:5".into()],
    };
    let text = q.to_query();
    assert_eq!(
        text,
        "from=2026-11-01&to=2026-11-30&sources=mittwald%3Aproject%3Ap%201,serveravatar%3Aorganization%3A5"
    );
    assert_eq!(ReportQuery::parse(&text), q);
    assert_eq!(q.range(TODAY), Ok(Range { from: date!(2026 - 11 - 01), to: date!(2026 - 11 - 30) }));
    assert!(q.includes("serveravatar:organization:5") && !q.includes("mittwald:project:other"));
    assert!(ReportQuery::default().includes("anything"));
    assert_eq!(ReportQuery::default().to_query(), "");
    assert_eq!(ReportQuery::default().range(TODAY).map(|r| r.len()), Ok(30));
    let bad = ReportQuery { from: "2026-12-05".into(), to: "2026-12-01".into(), sources: Vec::new() };
    assert_eq!(bad.range(TODAY), Err("from (2026-12-05) is after to (2026-12-01)".into()));
    let typo = ReportQuery { from: "1.11.2026".into(), ..ReportQuery::default() };
    assert_eq!(typo.range(TODAY), Err("from: \"1.11.2026\" is not a day like 2026-12-01".into()));
}

#[test]
fn the_report_json_holds_each_source_with_its_totals() {
    let backups = daily("p", datetime!(2026-11-21 03:00 UTC), 10, &[4], &[]);
    let listed = Listed::of(&backups, Some(&daily_expected()), datetime!(2026-12-01 12:00 UTC));
    let range = Range { from: date!(2026 - 11 - 20), to: TODAY };
    let cells = listed.days(range.from, range.to, &Rule::default());
    let source = ReportSource { key: "k".into(), label: "L".into(), evidence: "listed".into(), days: cells.clone() };
    let json = report_json(range, &[source]);
    assert_eq!(json["from"], "2026-11-20");
    assert_eq!(json["to"], "2026-12-01");
    let s = &json["sources"][0];
    assert_eq!(
        (s["key"].as_str(), s["label"].as_str(), s["evidence"].as_str()),
        (Some("k"), Some("L"), Some("listed"))
    );
    assert_eq!(s["days"].as_array().map(Vec::len), Some(12));
    let met = cells.iter().filter(|d| d.status == DayStatus::Met).count() as u64;
    assert_eq!(s["summary"]["met"].as_u64(), Some(met));
    assert_eq!(s["summary"]["days"].as_u64(), Some(12));
    // The days a listing judges are those [`days`] judges with the listing as evidence.
    let again = days(&listed.evidence().expect("listed"), range.from, range.to, &Rule::default());
    assert_eq!(again.iter().map(|d| d.status).collect::<Vec<_>>(), cells.iter().map(|d| d.status).collect::<Vec<_>>());
}
