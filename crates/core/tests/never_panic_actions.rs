//! Property tests of the action parsers: every answer a backup action can get, valid or damaged
//! (fields dropped or doubled, values retyped, hostile unicode, huge numbers, text cut short),
//! at any status, gives a result that fits the status, or an error with a message; never a panic.

mod common;

use std::collections::BTreeMap;

use backboard_core::http::Response;
use backboard_core::providers::mittwald::normalize;
use backboard_core::providers::{mittwald as mw, northflank as nf, serveravatar as sa};
use backboard_core::{Error, FieldError};
use common::mutate::{apply, mutations, status_near};
use common::source;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::Value;

/// One valid answer per action, as the simulator gives it (and the official contracts type it).
const ANSWERS: &str = include_str!("fixtures/action-answers.json");

fn examples() -> Vec<(String, u16, String)> {
    let all: BTreeMap<String, Value> = serde_json::from_str(ANSWERS).unwrap();
    all.into_iter().map(|(name, a)| (name, a["status"].as_u64().unwrap() as u16, a["body"].to_string())).collect()
}

/// A parser, its result reduced to what the checks need.
type Parser = fn(&Response) -> Result<(), Error>;

/// Every action parser, each also driving the helpers that read what it parsed.
const PARSERS: &[(&str, Parser)] = &[
    ("mittwald create backup", |r| mw::parse_create_backup(r).map(|b| mittwald_backup(&b))),
    ("mittwald get backup", |r| mw::parse_get_backup(r).map(|b| mittwald_backup(&b))),
    ("mittwald update backup", mw::parse_update_backup),
    ("mittwald delete backup", mw::parse_delete_backup),
    ("mittwald export", mw::parse_export_backup),
    ("mittwald delete export", mw::parse_delete_export),
    ("mittwald restore", mw::parse_restore_backup),
    ("mittwald database dumps", |r| mw::parse_database_dumps(r).map(drop)),
    ("mittwald directories", |r| {
        mw::parse_directories(r).map(|p| {
            for node in std::iter::once(&p).chain(p.items.iter().flatten()) {
                let _ = (node.size_bytes(), node.is_dir());
            }
        })
    }),
    ("mittwald list schedules", |r| mw::parse_list_schedules(r).map(|s| s.iter().for_each(mittwald_schedule))),
    ("mittwald create schedule", |r| mw::parse_create_schedule(r).map(drop)),
    ("mittwald get schedule", |r| mw::parse_get_schedule(r).map(|s| mittwald_schedule(&s))),
    ("mittwald update schedule", mw::parse_update_schedule),
    ("mittwald delete schedule", mw::parse_delete_schedule),
    ("Northflank create", |r| nf::parse_create(r).map(northflank_backup)),
    ("Northflank get", |r| nf::parse_get(r).map(northflank_backup)),
    ("Northflank delete", nf::parse_delete),
    ("Northflank abort", nf::parse_abort),
    ("Northflank restore", |r| nf::parse_restore(r).map(drop)),
    ("Northflank download link", |r| nf::parse_download_link(r).map(drop)),
    ("Northflank schedule", |r| nf::parse_schedule(r).map(drop)),
    ("ServerAvatar delete", |r| sa::parse_delete(r).map(drop)),
    ("ServerAvatar download", |r| sa::parse_download(r).map(drop)),
    ("ServerAvatar deleted servers", |r| sa::parse_deleted_servers(r).map(drop)),
    ("ServerAvatar archive", |r| sa::parse_archive(r).map(drop)),
];

fn mittwald_backup(b: &backboard_core::providers::mittwald::ProjectBackup) {
    let _ = (mw::export_download(b), mw::export_running(b), mw::restore_running(b), mw::check_deletable(b));
    let normalized = normalize(b.clone(), &source("project", "p"));
    serde_json::to_string(&normalized).expect("normalized backups always serialize");
    assert!(!normalized.contents.describe().is_empty());
}

fn northflank_backup(b: nf::BackupDetails) {
    let _ = b.is_settled();
    serde_json::to_string(&b).expect("backups always serialize");
}

fn mittwald_schedule(s: &mw::ProjectBackupSchedule) {
    if let Err(message) = mw::check_cron(&s.schedule) {
        assert!(!message.trim().is_empty(), "an empty cron message for {:?}", s.schedule);
    }
    let _ = s.ttl.as_deref().map(mw::parse_ttl);
    // The edit form starts from the schedule as answered; whatever it holds, it validates.
    if let Err(errors) = mw::UpdateScheduleForm::from_schedule(s).validate(time::OffsetDateTime::UNIX_EPOCH) {
        check_field_errors("mittwald schedule form", &errors);
    }
}

fn check_field_errors(what: &str, errors: &[FieldError]) {
    for e in errors {
        assert!(!e.message.trim().is_empty(), "{what}: an empty message for {}", e.field);
    }
}

/// Runs every action parser on one answer and checks what it gives fits the status.
fn check_every_parser(status: u16, body: &[u8]) {
    let response = Response::new(status, body.to_vec());
    let success = response.is_success();
    for (name, parse) in PARSERS {
        match parse(&response) {
            Ok(()) => assert!(success, "{name} accepted status {status}"),
            Err(Error::Parse { message, field, .. }) => {
                assert!(success, "{name}: a parse error at {status}");
                assert!(!message.trim().is_empty(), "{name}: an empty parse message at {field}");
            }
            Err(Error::Http { status: s, message, .. }) => {
                assert!(!success && s == status, "{name}: HTTP {s} for status {status}");
                assert!(!message.trim().is_empty(), "{name}: an empty message");
            }
            Err(other) => panic!("{name}: {other:?}"),
        }
    }
    check_field_errors("mittwald validation", &mw::validation_errors(body));
    check_field_errors("ServerAvatar delete validation", &sa::delete_validation_errors(body));
    check_field_errors("ServerAvatar validation", &backboard_core::providers::serveravatar::validation_errors(body));
}

/// A fixed seed, so CI is repeatable; `PROPTEST_RNG_SEED` and `PROPTEST_CASES` (`cargo xtask
/// fuzz`) explore further.
fn config() -> ProptestConfig {
    let default = ProptestConfig::default();
    let explicit = std::env::var_os("PROPTEST_RNG_SEED").is_some();
    ProptestConfig {
        cases: if std::env::var_os("PROPTEST_CASES").is_some() { default.cases } else { 512 },
        rng_seed: if explicit { default.rng_seed } else { proptest::test_runner::RngSeed::Fixed(0x6163_7473) },
        failure_persistence: None,
        ..default
    }
}

#[test]
fn every_valid_answer_parses() {
    for (name, status, body) in examples() {
        let response = Response::new(status, body.clone());
        let accepted = PARSERS.iter().filter(|(_, parse)| parse(&response).is_ok()).count();
        // Each success is read by its own parser at least; each error by none.
        assert_eq!(accepted > 0, response.is_success(), "{name}: {accepted} parsers accepted {body}");
        check_every_parser(status, body.as_bytes());
    }
}

#[test]
fn blank_error_details_still_give_a_message() {
    check_every_parser(401, br#"{"errors": {"active": [""]}}"#);
    check_every_parser(400, br#"{"validationErrors": [{"message": "", "path": ""}]}"#);
}

proptest! {
    #![proptest_config(config())]

    /// The valid answers, each damaged in one to four places, at their status or another.
    #[test]
    fn mutated_answers_never_panic(
        (status, body) in select(examples()).prop_flat_map(|(_, own, body)| (status_near(own), Just(body))),
        (changes, cut) in mutations(),
    ) {
        check_every_parser(status, &apply(&body, &changes, cut));
    }
}
