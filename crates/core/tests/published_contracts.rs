//! Where a provider's published contract (tests/contracts/) and the seed document Backboard was
//! built from disagree, the core reads both forms: one test for each disagreement.

mod common;

use backboard_core::http::Response;
use backboard_core::providers::northflank::{self, Listed};
use backboard_core::providers::{mittwald as mwa, northflank as nfa};
use backboard_core::Provider;
use common::*;
use serde_json::{json, Value};
use time::macros::datetime;

fn destination_list(edit: impl Fn(&mut Value)) -> Vec<northflank::DestinationBackup> {
    let mut body: Value = serde_json::from_str(NF_DESTINATION).unwrap();
    edit(&mut body["data"][0]);
    let (items, _) = northflank::parse_list(&nf_destination_account(), &ok(body.to_string())).unwrap();
    items
        .into_iter()
        .map(|item| match item {
            Listed::Destination(d) => d,
            Listed::Addon(_) => unreachable!("a destination list"),
        })
        .collect()
}

/// `expiredBy`: a number in the official client's types (ListBackupdestinationsbackupsResult),
/// the string "1729232400000.0" in the seed document's example. Both are the same instant.
#[test]
fn northflank_expired_by_as_number_and_as_decimal_string() {
    let expected = datetime!(2024-10-18 06:20 UTC);
    for (form, value) in [("seed", json!("1729232400000.0")), ("published", json!(1_729_232_400_000u64))] {
        let backups = destination_list(|b| b["expiredBy"] = value.clone());
        let normalized = northflank::normalize(Listed::Destination(backups[0].clone()), &source("destination", "d"));
        assert_eq!(normalized.expires, Some(expected), "{form} form");
    }
}

/// `project` and `addon` of a destination backup: both keys required in the seed document, both
/// optional in the official client's types.
#[test]
fn northflank_destination_refs_with_and_without_their_keys() {
    let full = destination_list(|_| {});
    assert_eq!(nfa::Addon::of_destination_backup(&full[0]), Some(nfa::Addon::new("example-project", "example-addon")));
    let nameless = destination_list(|b| {
        b["project"] = json!({"id": "example-project"});
        b["addon"] = json!({"id": "example-addon"});
    });
    assert_eq!(nameless[0].project.as_ref().map(|p| p.name.as_str()), Some(""));
    assert_eq!(
        nfa::Addon::of_destination_backup(&nameless[0]),
        Some(nfa::Addon::new("example-project", "example-addon"))
    );
    let empty = destination_list(|b| {
        b["project"] = json!({});
        b["addon"] = json!({"name": "Example Addon"});
    });
    assert_eq!(nfa::Addon::of_destination_backup(&empty[0]), None, "no ids, no addon to act on");
}

/// The official types add `config.compressionType`, `config.additionalDestinations` and
/// `customDestinationId` to a listed addon backup; the seed document has none of them.
#[test]
fn northflank_addon_backups_with_the_published_extra_keys() {
    let mut body: Value = serde_json::from_str(NF_ADDON).unwrap();
    let plain = northflank::parse_list(&nf_addon_account(), &ok(body.to_string())).unwrap().0;
    let b = &mut body["data"]["backups"][0];
    b["customDestinationId"] = json!("offsite");
    b["config"]["compressionType"] = json!("zstd");
    b["config"]["additionalDestinations"] = json!([{"destinationId": "offsite", "type": "custom", "retentionTime": 7}]);
    let extended = northflank::parse_list(&nf_addon_account(), &ok(body.to_string())).unwrap().0;
    assert_eq!(extended, plain);
}

/// mittwald's validation paths: the spec documents JavaScript property access (".prop[1].sub");
/// dotted paths without the leading dot ("prop.1.sub") land on the same fields.
#[test]
fn mittwald_validation_paths_in_both_notations() {
    for (spec, dotted) in [
        (".expirationTime", "expirationTime"),
        (".databaseRestores[1].targetDatabaseId", "databaseRestores.1.targetDatabaseId"),
        (".pathRestore.sourcePaths[0]", "pathRestore.sourcePaths.0"),
    ] {
        let body = |path: &str| {
            json!({"type": "ValidationError", "validationErrors": [{"message": "bad", "path": path, "type": "format"}]})
                .to_string()
        };
        let (a, b) = (mwa::validation_errors(body(spec).as_bytes()), mwa::validation_errors(body(dotted).as_bytes()));
        assert_eq!(a.len(), 1, "{spec}");
        assert_eq!(a, b, "{spec} and {dotted}");
    }
}

/// Creating a mittwald schedule answers 201 with the whole ProjectBackupSchedule in the spec;
/// an answer of only `{"id"}` (mittwald's usual create answer) reads the same.
#[test]
fn mittwald_created_schedule_whole_or_only_its_id() {
    let id = "5c9e1f2a-3b4d-4e6f-8a0b-1c2d3e4f5a6b";
    let whole = json!({"id": id, "projectId": "7e1b7c3a-2f4d-4c8e-9a1b-3d5e7f9a1c2b", "isSystemBackup": false,
        "schedule": "0 3 * * *", "ttl": "7d", "createdAt": "2025-02-11T12:00:00Z"});
    for body in [whole, json!({"id": id})] {
        let created = mwa::parse_create_schedule(&Response::json(201, &body)).unwrap();
        assert_eq!(created.id, id, "{body}");
    }
}

/// A Northflank error body: the client reads `error.message` (and `id`, `details`); the status
/// may or may not be repeated inside.
#[test]
fn northflank_errors_with_and_without_their_status_inside() {
    for body in [
        json!({"error": {"message": "Backup not found", "id": "e-123"}}),
        json!({"error": {"status": 404, "code": "backup_not_found", "message": "Backup not found"}}),
    ] {
        let err = nfa::parse_get(&Response::json(404, &body)).unwrap_err();
        assert_eq!(err.to_string(), format!("{} answered 404: Backup not found", Provider::Northflank), "{body}");
    }
}
