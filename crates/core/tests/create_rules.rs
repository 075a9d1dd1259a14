//! Every rule of seeds/serveravatar-create-backup.txt through `CreateForm::validate`, each branch
//! valid and invalid; the exact JSON each valid shape sends; and the documented answers.

mod common;

use std::collections::BTreeSet;

use backboard_core::http::{Method, Response};
use backboard_core::providers::serveravatar::{
    parse_create, BackupType, CreateFailure, CreateForm, CreateOutcome, RetentionPeriod, Schedule, StorageProvider,
};
use backboard_core::{Error, FieldError, Provider};
use common::*;
use serde_json::{json, Value};
use time::macros::datetime;
use time::OffsetDateTime;

const NOW: OffsetDateTime = datetime!(2025-02-11 12:00 UTC);
const BASE: &str = "https://api.serveravatar.com";

/// The document's curl example, as a person fills in the form.
fn automatic() -> CreateForm {
    CreateForm {
        server: "15".into(),
        name: String::new(),
        provider: "wasabi".into(),
        cloud_storage_provider_id: "10".into(),
        automatic_backup: true,
        backup_type: "application".into(),
        application_id: "4246".into(),
        database_id: "4223".into(),
        schedule: "Every Hour".into(),
        retention_period: "1 Month".into(),
        start_backup_from_now: true,
        start_backup: String::new(),
        application_extension: ".tar.gz".into(),
        database_extension: ".sql.gz".into(),
    }
}

fn instant() -> CreateForm {
    CreateForm {
        name: "before deploy".into(),
        automatic_backup: false,
        schedule: String::new(),
        retention_period: String::new(),
        start_backup_from_now: false,
        ..automatic()
    }
}

type Edit = fn(&mut CreateForm);
type SetText = fn(&mut CreateForm, &str);

fn with(mut form: CreateForm, edit: impl FnOnce(&mut CreateForm)) -> CreateForm {
    edit(&mut form);
    form
}

/// A message fit to show next to a field: a sentence, no debug output.
fn assert_human(e: &FieldError) {
    let m = &e.message;
    assert!(m.chars().next().is_some_and(char::is_uppercase) && m.ends_with('.'), "{e:?}");
    assert!(m.len() < 200 && !m.contains(['{', '`', '"']), "{e:?}");
}

/// The JSON body the validated form sends.
fn body(form: &CreateForm) -> Value {
    let request = form.validate(NOW).unwrap_or_else(|e| panic!("{form:?} was rejected: {e:?}"));
    serde_json::from_str(request.to_request(BASE, &sa_account()).body.as_deref().unwrap()).unwrap()
}

/// Asserts the form is rejected for exactly one reason: `field`, with a message containing `needle`.
#[track_caller]
fn assert_rejected(form: &CreateForm, field: &str, needle: &str) {
    match form.validate(NOW) {
        Err(errors) => {
            assert!(matches!(errors.as_slice(), [e] if e.field == field), "{field}: {errors:?} for {form:?}");
            assert!(errors[0].message.contains(needle), "{:?} lacks {needle:?}", errors[0]);
            assert_human(&errors[0]);
        }
        Ok(r) => panic!("{field}: accepted {:?}", r.body()),
    }
}

/// `field` of the body, or `None` when the body leaves it out.
fn sent(form: &CreateForm, field: &str) -> Option<Value> {
    body(form).get(field).cloned()
}

fn names<T: std::fmt::Display>(known: &[T]) -> Vec<String> {
    known.iter().map(ToString::to_string).collect()
}

// ---------------------------------------------------------------------------------------------
// Required fields and numbers

#[test]
fn the_documented_example_sends_the_documented_body() {
    // The document's body, with its 1/0 flags as the booleans it documents and nulls left out.
    let mut documented: Value = serde_json::from_str(SA_CREATE_REQUEST).unwrap();
    let fields = documented.as_object_mut().unwrap();
    fields.retain(|_, v| !v.is_null());
    for flag in ["automatic_backup", "start_backup_from_now"] {
        fields[flag] = Value::Bool(fields[flag] == 1);
    }
    assert_eq!(body(&automatic()), documented);
}

#[test]
fn required_fields_are_required() {
    // (field, emptied, what its message says)
    let cases: [(&str, Edit, &str); 5] = [
        ("server", |f| f.server.clear(), "Choose the server"),
        ("provider", |f| f.provider = "  ".into(), "Choose a cloud storage provider"),
        ("cloud_storage_provider_id", |f| f.cloud_storage_provider_id.clear(), "required"),
        ("type", |f| f.backup_type.clear(), "Choose what to back up"),
        ("application_id", |f| f.application_id = " ".into(), "required"),
    ];
    for (field, clear, needle) in cases {
        for base in [automatic(), instant()] {
            assert_rejected(&with(base, clear), field, needle);
        }
    }
}

#[test]
fn an_empty_form_names_every_required_field() {
    let errors = CreateForm::default().validate(NOW).unwrap_err();
    errors.iter().for_each(assert_human);
    let fields: BTreeSet<&str> = errors.iter().map(|e| e.field).collect();
    assert_eq!(fields, BTreeSet::from(["server", "provider", "cloud_storage_provider_id", "type", "application_id"]));
    assert_eq!(fields.len(), errors.len(), "one message per field: {errors:?}");
}

#[test]
fn ids_are_numbers() {
    let cases: [(&str, SetText); 4] = [
        ("server", |f, v| f.server = v.into()),
        ("cloud_storage_provider_id", |f, v| f.cloud_storage_provider_id = v.into()),
        ("application_id", |f, v| f.application_id = v.into()),
        ("database_id", |f, v| f.database_id = v.into()),
    ];
    for (field, set) in cases {
        for bad in ["ten", "-1", "4.5", "1e3", "0x10", "12345678901234567890", "٣"] {
            assert_rejected(&with(instant(), |f| set(f, bad)), field, "number");
        }
        let form = with(instant(), |f| set(f, " 42 "));
        if field != "server" {
            assert_eq!(sent(&form, field), Some(json!(42)), "{field}");
        }
    }
}

#[test]
fn database_id_is_optional() {
    let form = with(instant(), |f| f.database_id.clear());
    assert_eq!(sent(&form, "database_id"), None);
}

// ---------------------------------------------------------------------------------------------
// Enumerations

#[test]
fn provider_is_one_of_the_documented_storages() {
    assert_eq!(
        names(StorageProvider::KNOWN),
        ["gdrive", "amazon_s3", "dropbox", "serveravatar", "wasabi", "custom_s3"]
    );
    for p in StorageProvider::KNOWN {
        let form = with(automatic(), |f| f.provider = format!(" {p} "));
        assert_eq!(sent(&form, "provider"), Some(json!(p.as_str())));
    }
    for bad in ["s3", "GDrive", "google drive", "backblaze"] {
        let form = with(automatic(), |f| f.provider = bad.into());
        assert_rejected(&form, "provider", "gdrive, amazon_s3, dropbox, serveravatar, wasabi, custom_s3");
    }
}

#[test]
fn type_is_filesystem_database_or_application() {
    assert_eq!(names(BackupType::KNOWN), ["filesystem", "database", "application"]);
    for t in BackupType::KNOWN {
        let form = with(instant(), |f| f.backup_type = t.to_string());
        assert_eq!(sent(&form, "type"), Some(json!(t.as_str())));
    }
    for bad in ["full", "Application", "files"] {
        assert_rejected(
            &with(instant(), |f| f.backup_type = bad.into()),
            "type",
            "filesystem, database or application",
        );
    }
}

#[test]
fn schedule_is_required_if_automatic_backup() {
    assert_rejected(&with(automatic(), |f| f.schedule.clear()), "schedule", "required");
    assert_eq!(Schedule::KNOWN.len(), 12);
    for s in Schedule::KNOWN {
        let form = with(automatic(), |f| f.schedule = s.to_string());
        assert_eq!(sent(&form, "schedule"), Some(json!(s.as_str())));
    }
    for bad in ["Every 2 Hours", "every hour", "hourly", "Twice a month"] {
        let form = with(automatic(), |f| f.schedule = bad.into());
        assert_rejected(&form, "schedule", &names(Schedule::KNOWN).join(", "));
    }
    // An instant backup has no schedule: whatever is typed there is neither checked nor sent.
    let form = with(instant(), |f| f.schedule = "Every 2 Hours".into());
    assert_eq!(sent(&form, "schedule"), None);
}

#[test]
fn retention_period_is_required_if_provider_is_serveravatar() {
    let on_serveravatar = |f: &mut CreateForm| f.provider = "serveravatar".into();
    for base in [automatic(), instant()] {
        let form = with(with(base, on_serveravatar), |f| f.retention_period.clear());
        assert_rejected(&form, "retention_period", "required");
    }
    assert_eq!(
        names(RetentionPeriod::KNOWN),
        ["1 Month", "2 Months", "3 Months", "6 Months", "12 Months", "24 Months"]
    );
    for r in RetentionPeriod::KNOWN {
        let form = with(with(automatic(), on_serveravatar), |f| f.retention_period = r.to_string());
        assert_eq!(sent(&form, "retention_period"), Some(json!(r.as_str())));
    }
    for provider in ["serveravatar", "wasabi"] {
        for bad in ["1 Year", "1 month", "5 Months"] {
            let form = with(automatic(), |f| (f.provider, f.retention_period) = (provider.into(), bad.into()));
            assert_rejected(&form, "retention_period", &names(RetentionPeriod::KNOWN).join(", "));
        }
    }
    // Other storages: optional, and sent when given (as in the document's wasabi example).
    assert_eq!(sent(&with(automatic(), |f| f.retention_period.clear()), "retention_period"), None);
    assert_eq!(sent(&automatic(), "retention_period"), Some(json!("1 Month")));
}

#[test]
fn extensions_follow_the_type() {
    // (type, application_extension required, database_extension required)
    let rules = [("application", true, true), ("filesystem", true, false), ("database", false, true)];
    for (backup_type, needs_app, needs_db) in rules {
        let form = |app: &str, db: &str| {
            with(instant(), |f| {
                (f.backup_type, f.application_extension, f.database_extension) =
                    (backup_type.into(), app.into(), db.into())
            })
        };
        for (app, db) in [(".tar", ".sql"), (".tar.gz", ".sql.gz")] {
            let body = body(&form(app, db));
            assert_eq!(body.get("application_extension"), needs_app.then(|| json!(app)).as_ref(), "{backup_type}");
            assert_eq!(body.get("database_extension"), needs_db.then(|| json!(db)).as_ref(), "{backup_type}");
        }
        for (missing_or_bad, needle) in
            [("", "Choose"), (".zip", "must be"), ("tar.gz", "must be"), (".TAR", "must be")]
        {
            let app_form = form(missing_or_bad, ".sql");
            let db_form = form(".tar", missing_or_bad);
            if needs_app {
                assert_rejected(&app_form, "application_extension", needle);
            } else {
                assert_eq!(body(&app_form).get("application_extension"), None, "{backup_type}");
            }
            if needs_db {
                assert_rejected(&db_form, "database_extension", needle);
            } else {
                assert_eq!(body(&db_form).get("database_extension"), None, "{backup_type}");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Start date and name

#[test]
fn start_backup_is_required_in_the_future_unless_starting_from_now() {
    let later = |start: &str| with(automatic(), |f| (f.start_backup_from_now, f.start_backup) = (false, start.into()));
    assert_rejected(&later(""), "start_backup", "start from now");
    let body = body(&later(" 2025-02-11 12:01 "));
    assert_eq!(
        (body["start_backup_from_now"].clone(), body["start_backup"].clone()),
        (json!(false), json!("2025-02-11 12:01"))
    );
    for bad_format in [
        "2025-07-13",
        "2025-07-13 17:49:00",
        "13.07.2025 17:49",
        "2025-07-13T17:49",
        "2025-7-13 17:49",
        "2025-02-30 10:00",
        "2025-07-13 24:00",
        "tomorrow",
    ] {
        assert_rejected(&later(bad_format), "start_backup", "2023-07-13 17:49");
    }
    // The document's sample date is long past; the present moment is not the future either.
    for not_future in ["2023-07-13 17:49", "2025-02-11 12:00"] {
        assert_rejected(&later(not_future), "start_backup", "future");
    }
    // Starting from now: no start date is needed, and one typed in anyway is not sent.
    let from_now = with(automatic(), |f| f.start_backup = "whenever".into());
    assert_eq!((sent(&from_now, "start_backup_from_now"), sent(&from_now, "start_backup")), (Some(json!(true)), None));
    // An instant backup starts now by definition: neither field applies.
    let instant = with(instant(), |f| f.start_backup = "whenever".into());
    assert_eq!((sent(&instant, "start_backup_from_now"), sent(&instant, "start_backup")), (None, None));
}

#[test]
fn name_is_only_for_instant_backups() {
    assert_eq!(sent(&instant(), "name"), Some(json!("before deploy")));
    assert_eq!(sent(&with(instant(), |f| f.name = "  ".into()), "name"), None);
    assert_rejected(&with(automatic(), |f| f.name = "nightly".into()), "name", "instant");
    assert_eq!(sent(&with(automatic(), |f| f.name = " ".into()), "name"), None);
}

#[test]
fn every_broken_rule_is_reported_on_its_own_field() {
    let form = CreateForm {
        server: "x".into(),
        name: "n".into(),
        provider: "serveravatar".into(),
        cloud_storage_provider_id: "a".into(),
        automatic_backup: true,
        backup_type: "application".into(),
        application_id: "b".into(),
        database_id: "c".into(),
        schedule: "sometimes".into(),
        retention_period: String::new(),
        start_backup_from_now: false,
        start_backup: "2020-01-01 00:00".into(),
        application_extension: ".rar".into(),
        database_extension: ".bak".into(),
    };
    let errors = form.validate(NOW).unwrap_err();
    errors.iter().for_each(assert_human);
    let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
    assert_eq!(
        fields,
        [
            "server",
            "cloud_storage_provider_id",
            "application_id",
            "database_id",
            "name",
            "schedule",
            "retention_period",
            "start_backup",
            "application_extension",
            "database_extension"
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// The request

#[test]
fn each_shape_sends_exactly_its_documented_fields() {
    let scheduled = CreateForm {
        provider: "serveravatar".into(),
        backup_type: "filesystem".into(),
        database_id: String::new(),
        schedule: "Every Day".into(),
        retention_period: "3 Months".into(),
        start_backup_from_now: false,
        start_backup: "2025-03-01 02:30".into(),
        application_extension: ".tar".into(),
        ..automatic()
    };
    assert_eq!(
        body(&scheduled),
        json!({
            "provider": "serveravatar", "cloud_storage_provider_id": 10, "automatic_backup": true,
            "type": "filesystem", "application_id": 4246, "schedule": "Every Day",
            "retention_period": "3 Months", "start_backup_from_now": false, "start_backup": "2025-03-01 02:30",
            "application_extension": ".tar"
        })
    );
    assert_eq!(
        body(&instant()),
        json!({
            "name": "before deploy", "provider": "wasabi", "cloud_storage_provider_id": 10,
            "automatic_backup": false, "type": "application", "application_id": 4246, "database_id": 4223,
            "application_extension": ".tar.gz", "database_extension": ".sql.gz"
        })
    );
    let database =
        with(instant(), |f| (f.name, f.provider, f.backup_type) = ("".into(), "gdrive".into(), "database".into()));
    assert_eq!(
        body(&database),
        json!({
            "provider": "gdrive", "cloud_storage_provider_id": 10, "automatic_backup": false, "type": "database",
            "application_id": 4246, "database_id": 4223, "database_extension": ".sql.gz"
        })
    );
}

#[test]
fn the_request_is_the_documented_call() {
    let request = automatic().validate(NOW).unwrap().to_request(BASE, &sa_account());
    assert_eq!(request.method, Method::Post);
    assert_eq!(request.url, "https://api.serveravatar.com/organizations/5/servers/15/backups");
    assert_eq!(request.header_value("content-type"), Some("application/json"));
    assert_eq!(request.header_value("accept"), Some("application/json"));
    assert_eq!(request.header_value("Authorization"), Some(TOKEN));
}

#[test]
fn the_form_shows_the_fields_that_apply() {
    let a = automatic().applicable();
    assert!(a.schedule && a.start_backup_from_now && !a.start_backup && !a.name);
    assert!(a.retention_period && a.application_extension && a.database_extension);
    let a = with(automatic(), |f| f.start_backup_from_now = false).applicable();
    assert!(a.start_backup);
    let a = with(instant(), |f| f.backup_type = "database".into()).applicable();
    assert!(a.name && !a.schedule && !a.start_backup_from_now && !a.start_backup);
    assert!(!a.application_extension && a.database_extension);
}

// ---------------------------------------------------------------------------------------------
// The answers

#[test]
fn documented_success_messages_are_typed_outcomes() {
    let plan = "{\n\"message\": \"Backup plan created successfully.\"\n}";
    let started = "{\n\"message\": \"Backup Process has been started successfully!\"\n}";
    for automatic in [true, false] {
        assert_eq!(
            parse_create(&ok(plan), automatic),
            Ok(Ok(CreateOutcome::PlanCreated("Backup plan created successfully.".into())))
        );
        let outcome = parse_create(&ok(started), automatic).unwrap().unwrap();
        assert_eq!(outcome, CreateOutcome::BackupStarted("Backup Process has been started successfully!".into()));
        assert_eq!(outcome.message(), "Backup Process has been started successfully!");
    }
    // A reworded success still counts, by the kind of backup asked for.
    let reworded = ok(r#"{"message": "Done."}"#);
    assert_eq!(parse_create(&reworded, true), Ok(Ok(CreateOutcome::PlanCreated("Done.".into()))));
    assert_eq!(parse_create(&reworded, false), Ok(Ok(CreateOutcome::BackupStarted("Done.".into()))));
}

#[test]
fn documented_failures_are_typed_and_belong_to_their_field() {
    use CreateFailure::*;
    let form_fields = serde_json::to_value(CreateForm::default()).unwrap();
    let cases = [
        (404, "Organization not found!", OrganizationNotFound, None),
        (404, "Application not found!", ApplicationNotFound, Some("application_id")),
        (404, "Cloud storage Provider not found!", CloudStorageProviderNotFound, Some("cloud_storage_provider_id")),
        (404, "Database not found!", DatabaseNotFound, Some("database_id")),
        (500, "Invalid schedule!", InvalidSchedule, Some("schedule")),
        (500, "Start from choose future date!", StartDateNotInFuture, Some("start_backup")),
        (
            500,
            "Instant Backup is failed because you do not have enough disk space available on your server.",
            NotEnoughDiskSpace,
            None,
        ),
        (500, "Invalid retention period!", InvalidRetentionPeriod, Some("retention_period")),
        (404, "Server not found!", ServerNotFound, Some("server")),
        (500, "Something went really wrong!", ServerError, None),
    ];
    for (status, message, failure, field) in cases {
        // Laid out as in the document.
        let response = Response::new(status, format!("{{\n\"message\": \"{message}\"\n}}"));
        assert_http!(
            Err::<(), _>(Error::from_response(Provider::ServerAvatar, &response)),
            Provider::ServerAvatar,
            status,
            message
        );
        for automatic in [true, false] {
            assert_eq!(parse_create(&response, automatic), Ok(Err(failure.clone())), "{message}");
        }
        assert_eq!(failure.field(), field, "{message}");
        if let Some(field) = field {
            assert!(form_fields.get(field).is_some(), "{field} is not a field of the form");
        }
    }
}

#[test]
fn other_answers_keep_the_providers_words() {
    let laravel =
        r#"{"message":"The provider field is required.","errors":{"provider":["The provider field is required."]}}"#;
    assert_eq!(
        parse_create(&Response::new(422, laravel), true),
        Ok(Err(CreateFailure::Other { status: 422, message: "The provider field is required.".into() }))
    );
    assert_eq!(
        parse_create(&Response::new(401, r#"{"message":"Unauthenticated."}"#), false),
        Ok(Err(CreateFailure::Other { status: 401, message: "Unauthenticated.".into() }))
    );
    // Rate limits and gateway trouble are errors to retry, not answers about the form.
    for status in [429, 502, 503, 504] {
        let e = parse_create(&Response::new(status, "upstream busy"), true).unwrap_err();
        assert!(e.is_transient(), "{e:?}");
        assert_http!(Err::<(), _>(e), Provider::ServerAvatar, status, "upstream busy");
    }
    assert_parse_at!(parse_create(&ok("<html>OK</html>"), true), Provider::ServerAvatar, ".");
    assert_parse_at!(parse_create(&ok(r#"{"message": 200}"#), true), Provider::ServerAvatar, "message");
}

#[test]
fn a_laravel_422_gives_messages_for_the_forms_fields_only() {
    use backboard_core::providers::serveravatar::validation_errors;
    let body = br#"{"message":"The given data was invalid.","errors":{
        "provider":["The selected provider is invalid."],
        "database_extension":["The database extension field is required.","It must be gz."],
        "not_a_field":["ignored"], "type": "The selected type is invalid.", "schedule": 5}}"#;
    let errors = validation_errors(body);
    let got: Vec<(&str, &str)> = errors.iter().map(|e| (e.field, e.message.as_str())).collect();
    assert_eq!(
        got,
        [
            ("type", "The selected type is invalid."),
            ("database_extension", "The database extension field is required. It must be gz."),
            ("provider", "The selected provider is invalid."),
        ]
    );
    assert!(validation_errors(b"<html>").is_empty());
    assert!(validation_errors(br#"{"message":"Server not found!"}"#).is_empty());
}
