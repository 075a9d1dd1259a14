//! Every example body of the provider documents (seeds/*.txt) parses into exactly the values it
//! shows, normalizes into the expected `Backup`, and every documented error body becomes
//! `Error::Http` with the provider's own message.

mod common;

use backboard_core::de::Decimal;
use backboard_core::http::{parse_query, Method, Response};
use backboard_core::model::{self, Contents, Status};
use backboard_core::providers::mittwald::{
    self, DatabaseRestore, Export, ExportPhase, PaginationHeaders, PathRestore, ProjectBackup, Restore, RestorePath,
    RestorePhase,
};
use backboard_core::providers::northflank::{
    self, AddonBackup, AddonBackupConfig, BackupSchedule, BackupSource, BackupStatus, DestinationBackup,
    DestinationBackupConfig, Interval, NamedRef, Pagination, SourceType,
};
use backboard_core::providers::serveravatar::{
    self, ApplicationRef, BackupConfigurationRef, DatabaseRef, PageLink, StorageProvider,
};
use backboard_core::providers::Details;
use backboard_core::Provider;
use common::*;
use time::macros::datetime;

// ---------------------------------------------------------------------------------------------
// ServerAvatar: seeds/serveravatar-list-backups.txt

fn sa_expected_backup() -> serveravatar::Backup {
    serveravatar::Backup {
        id: 14,
        backup_config_id: Some(13),
        organization_id: Some(5),
        server_id: None,
        cloud_storage_provider_id: Some(1),
        application_id: Some(92),
        database_id: Some(51),
        backup_hash: Some("F50SZjCYlWPBKuhOuvLnDu5RrHraK0VE".into()),
        application_extension: Some(".tar.gz".into()),
        database_extension: Some(".sql.gz".into()),
        price: Some(0.0),
        application_size: Some(73.81),
        database_size: Some(0.13),
        total_application_size: Some(337.07),
        total_database_size: Some(10.0),
        status: "Completed".into(),
        application_file_id: None,
        database_file_id: None,
        application_available_in_cloudstorage: Some(true),
        database_available_in_cloudstorage: Some(true),
        expires_at: Some(datetime!(2025-02-18 11:12:22 UTC)),
        created_at: Some(datetime!(2025-02-11 11:12:22 UTC)),
        updated_at: Some(datetime!(2025-02-11 11:12:46 UTC)),
        deleted_at: None,
        provider: Some(StorageProvider::Gdrive),
        total_size: Some(73.94),
        database: Some(DatabaseRef { id: 51, server_id: Some(36), name: Some("ServeravatarDb".into()) }),
        application: Some(ApplicationRef { id: 92, system_user_id: Some(42), name: Some("ServerAvatar".into()) }),
        backup_configuration: Some(BackupConfigurationRef { id: 13, name: None }),
    }
}

#[test]
fn serveravatar_list_example_parses() {
    let page = serveravatar::parse_list(&ok(SA_LIST)).unwrap();
    let url = |q: &str| Some(format!("https://api.serveravatar.com/organizations/5/backups{q}"));
    assert_eq!(page.current_page, 1);
    assert_eq!(page.data, vec![sa_expected_backup()]);
    assert_eq!(page.first_page_url, url("?page=1"));
    assert_eq!(page.from, Some(1));
    assert_eq!(page.last_page, 1);
    assert_eq!(page.last_page_url, url("?page=1"));
    assert_eq!(
        page.links,
        vec![
            PageLink { url: None, label: "&laquo; Previous".into(), active: false },
            PageLink { url: url("?page=1"), label: "1".into(), active: true },
            PageLink { url: None, label: "Next &raquo;".into(), active: false },
        ]
    );
    assert_eq!(page.next_page_url, None);
    assert_eq!(page.path, url(""));
    assert_eq!(page.per_page, 10);
    assert_eq!(page.prev_page_url, None);
    assert_eq!(page.to, Some(1));
    assert_eq!(page.total, 1);
}

#[test]
fn serveravatar_list_example_normalizes() {
    let source = source("organization", "5");
    let b = serveravatar::parse_list(&ok(SA_LIST)).unwrap().data.remove(0);
    let expected = model::Backup {
        provider: Provider::ServerAvatar,
        source: source.clone(),
        id: "14".into(),
        // The backup configuration has no name, so the application and database name it.
        name: "ServerAvatar + ServeravatarDb".into(),
        status: Status::Completed,
        status_raw: "Completed".into(),
        created: Some(datetime!(2025-02-11 11:12:22 UTC)),
        // A completed backup was last touched when it completed.
        completed: Some(datetime!(2025-02-11 11:12:46 UTC)),
        expires: Some(datetime!(2025-02-18 11:12:22 UTC)),
        // application_size + database_size = 73.94 MB (= totalSize), read as MiB.
        size_bytes: Some(77_531_709),
        contents: Contents { files: true, database: true, application: true },
        link: Some("https://app.serveravatar.com/organizations/5/backups".into()),
        details: Details::ServerAvatar(sa_expected_backup()),
    };
    assert_eq!(serveravatar::normalize(b, &source), expected);
    assert_eq!(expected.contents.describe(), "application + files + database");
}

#[test]
fn serveravatar_size_falls_back_to_total_size() {
    let body = SA_LIST.replace("\"application_size\": 73.81,", "").replace("\"database_size\": 0.13,", "");
    let b = serveravatar::parse_list(&ok(body)).unwrap().data.remove(0);
    assert_eq!((b.application_size, b.database_size, b.total_size), (None, None, Some(73.94)));
    assert_eq!(serveravatar::normalize(b, &source("organization", "5")).size_bytes, Some(77_531_709));
}

#[test]
fn serveravatar_list_request_is_the_documented_call() {
    let r = serveravatar::list_request("https://api.serveravatar.com", &sa_account(), 1);
    assert_eq!(r.method, Method::Get);
    assert_eq!(r.url, "https://api.serveravatar.com/organizations/5/backups?page=1");
    // The document's curl sends the raw token, without "Bearer".
    assert_eq!(r.header_value("Authorization"), Some(TOKEN));
    assert_eq!(r.header_value("accept"), Some("application/json"));
}

// ---------------------------------------------------------------------------------------------
// Northflank: seeds/northflank-list-addon-backups.txt and northflank-list-destination-backups.txt

const NF_CREATED: time::OffsetDateTime = datetime!(2021-01-20 11:19:53.175 UTC);
const NF_COMPLETED: time::OffsetDateTime = datetime!(2021-01-20 11:19:54.494 UTC);

fn nf_last_page() -> Pagination {
    Pagination { has_next_page: false, cursor: None, count: Decimal(1.0) }
}

fn nf_expected_addon_backup() -> AddonBackup {
    AddonBackup {
        id: "example-backup".into(),
        name: "Example Backup".into(),
        status: BackupStatus::Completed,
        created_at: Some(NF_CREATED),
        completed_at: Some(NF_COMPLETED),
        config: AddonBackupConfig {
            source: Some(BackupSource { source_type: Some(SourceType::Snapshot) }),
            size: Decimal(1234.0),
            addon_version: Some("4.4.8".into()),
        },
    }
}

fn nf_expected_destination_backup() -> DestinationBackup {
    DestinationBackup {
        id: "example-backup".into(),
        name: "Example Backup".into(),
        status: BackupStatus::Completed,
        project: Some(NamedRef { id: "example-project".into(), name: "Example Project".into() }),
        addon: Some(NamedRef { id: "example-addon".into(), name: "Example Addon".into() }),
        config: DestinationBackupConfig {
            addon_version: Some("4.4.8".into()),
            addon_type: Some("mongodb".into()),
            source: Some(BackupSource { source_type: Some(SourceType::Global) }),
            size: Decimal(1234.0),
        },
        schedules: Some(vec![BackupSchedule {
            interval: Interval::Weekly,
            minute: vec![30],
            hour: Some(vec![18]),
            day: Some(vec![4]),
        }]),
        expired_by: Some(Decimal(1_729_232_400_000.0)),
        created_at: Some(NF_CREATED),
        completed_at: Some(NF_COMPLETED),
    }
}

/// The normalized form both Northflank examples share (the link is checked on its own).
fn nf_expected(source: &model::Source, expires: Option<time::OffsetDateTime>, details: Details) -> model::Backup {
    model::Backup {
        provider: Provider::Northflank,
        source: source.clone(),
        id: "example-backup".into(),
        name: "Example Backup".into(),
        status: Status::Completed,
        status_raw: "completed".into(),
        created: Some(NF_CREATED),
        completed: Some(NF_COMPLETED),
        expires,
        size_bytes: Some(1234),
        contents: Contents { files: false, database: true, application: false },
        link: None,
        details,
    }
}

fn nf_normalize_one(account: &northflank::Account, body: &str) -> model::Backup {
    let source = account.source("nf");
    let (mut items, _) = northflank::parse_list(account, &ok(body)).unwrap();
    assert_eq!(items.len(), 1);
    let b = northflank::normalize(items.remove(0), &source);
    assert!(b.link.as_deref().is_some_and(|l| l.starts_with("https://app.northflank.com/")), "{:?}", b.link);
    model::Backup { link: None, ..b }
}

#[test]
fn northflank_addon_example_parses() {
    let account = nf_addon_account();
    let (items, pagination) = northflank::parse_list(&account, &ok(NF_ADDON)).unwrap();
    assert_eq!(items, vec![northflank::Listed::Addon(nf_expected_addon_backup())]);
    assert_eq!(pagination, nf_last_page());
}

#[test]
fn northflank_addon_example_normalizes() {
    let account = nf_addon_account();
    let expected = nf_expected(&account.source("nf"), None, Details::NorthflankAddon(nf_expected_addon_backup()));
    assert_eq!(nf_normalize_one(&account, NF_ADDON), expected);
}

#[test]
fn northflank_destination_example_parses() {
    let account = nf_destination_account();
    let (items, pagination) = northflank::parse_list(&account, &ok(NF_DESTINATION)).unwrap();
    assert_eq!(items, vec![northflank::Listed::Destination(nf_expected_destination_backup())]);
    assert_eq!(pagination, nf_last_page());
}

#[test]
fn northflank_destination_example_normalizes() {
    let account = nf_destination_account();
    // expiredBy "1729232400000.0" is milliseconds since the epoch.
    let expected = nf_expected(
        &account.source("nf"),
        Some(datetime!(2024-10-18 06:20 UTC)),
        Details::NorthflankDestination(nf_expected_destination_backup()),
    );
    assert_eq!(nf_normalize_one(&account, NF_DESTINATION), expected);
}

#[test]
fn northflank_schedules_in_words_with_day_0_as_monday() {
    let schedule = |interval, minute: &[u8], hour: Option<&[u8]>, day: Option<&[u8]>| {
        BackupSchedule { interval, minute: minute.into(), hour: hour.map(Into::into), day: day.map(Into::into) }
            .in_words()
    };
    // The document's own example: day 4 of 0 = Monday.
    let example = &nf_expected_destination_backup().schedules.unwrap()[0];
    assert_eq!(example.in_words(), "weekly on Friday at 18:30");
    assert_eq!(schedule(Interval::Weekly, &[0], Some(&[2]), Some(&[0])), "weekly on Monday at 02:00");
    assert_eq!(schedule(Interval::Weekly, &[5], Some(&[23]), Some(&[6])), "weekly on Sunday at 23:05");
    assert_eq!(
        schedule(Interval::Weekly, &[0, 30], Some(&[9]), Some(&[0, 2, 4])),
        "weekly on Monday, Wednesday and Friday at 09:00 and 09:30"
    );
    assert_eq!(schedule(Interval::Daily, &[15], Some(&[2, 14]), None), "daily at 02:15 and 14:15");
    assert_eq!(schedule(Interval::Hourly, &[0, 30], None, None), "hourly at minute 0 and 30");
    // Out of the documented ranges (minute 0-59, hour 0-23, day 0-6): left out, never a panic.
    assert_eq!(schedule(Interval::Weekly, &[30, 60], Some(&[18, 24]), Some(&[4, 7, 255])), "weekly on Friday at 18:30");
}

#[test]
fn northflank_list_requests_are_the_documented_calls() {
    let base = "https://api.northflank.com";
    let r = northflank::list_request(base, &nf_addon_account(), 500, Some("next/page"));
    assert_eq!(r.method, Method::Get);
    // per_page is capped at the documented maximum of 100; the cursor is encoded.
    assert_eq!(
        r.url,
        "https://api.northflank.com/v1/projects/example-project/addons/example-addon/backups?per_page=100&cursor=next%2Fpage"
    );
    assert_eq!(r.header_value("Authorization"), Some(format!("Bearer {TOKEN}").as_str()));
    let r = northflank::list_request(base, &nf_destination_account(), 20, None);
    assert_eq!(r.url, "https://api.northflank.com/v1/backup-destinations/example-destination/backups?per_page=20");
}

// ---------------------------------------------------------------------------------------------
// mittwald: seeds/mittwald-list-project-backups.txt (schema only; the example is written from it)

const MW_PROJECT: &str = "7e1b7c3a-2f4d-4c8e-9a1b-3d5e7f9a1c2b";

fn mw_expected_backups() -> Vec<ProjectBackup> {
    let full = ProjectBackup {
        created_at: Some(datetime!(2024-05-02 03:04:05 UTC)),
        deletable: true,
        description: Some("Before the WordPress update".into()),
        expires_at: Some(datetime!(2024-06-01 03:04:05 UTC)),
        export: Some(Export {
            download_url: Some("https://backup-exports.mittwald.de/0a3f2d8e-6c1b-4b7a-9d1e-2f4c5b6a7d8e.tar.gz".into()),
            expires_at: Some(datetime!(2024-05-09 03:04:05 UTC)),
            format: "tar".into(),
            phase: Some(ExportPhase::Completed),
            sha256_checksum: Some("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855".into()),
            with_password: false,
        }),
        id: "0a3f2d8e-6c1b-4b7a-9d1e-2f4c5b6a7d8e".into(),
        parent_id: Some("5c9e1f2a-3b4d-4e6f-8a0b-1c2d3e4f5a6b".into()),
        project_id: MW_PROJECT.into(),
        requested_at: Some(datetime!(2024-05-02 03:00 UTC)),
        restore: Some(Restore {
            database_restores: Some(vec![DatabaseRestore {
                database_backup_dump: "mysql_4f2a1b.sql.gz".into(),
                target_database_id: "9d8c7b6a-5f4e-4d3c-2b1a-0f9e8d7c6b5a".into(),
            }]),
            path_restore: Some(PathRestore {
                clear_target_path: false,
                determined_target_path: "/html/wordpress".into(),
                source_paths: vec!["/html/wordpress/wp-content".into(), "/html/wordpress/wp-config.php".into()],
                target_restore_path: Some("/html/wordpress".into()),
            }),
            phase: RestorePhase::Running,
        }),
        restore_path: Some(RestorePath {
            clear_target_path: true,
            determined_target_path: "/html/restored".into(),
            phase: RestorePhase::Completed,
            source_path: "/html/wordpress".into(),
            target_path: Some("/html/restored".into()),
        }),
        status: "Completed".into(),
    };
    // Only the fields the schema marks required.
    let minimal = ProjectBackup {
        created_at: None,
        deletable: false,
        description: None,
        expires_at: None,
        export: None,
        id: "1b4e3f9f-7d2c-4c8b-8e2f-3a5d6c7b8e9f".into(),
        parent_id: None,
        project_id: MW_PROJECT.into(),
        requested_at: Some(datetime!(2024-05-02 23:00 UTC)),
        restore: None,
        restore_path: None,
        status: "Requested".into(),
    };
    vec![full, minimal]
}

fn mw_response(headers: &[(&str, &str)]) -> Response {
    headers.iter().fold(ok(MW_LIST), |r, (k, v)| r.with_header(k, *v))
}

#[test]
fn mittwald_example_parses_with_pagination_headers() {
    let response = mw_response(&[
        ("X-Pagination-Limit", "50"),
        ("X-Pagination-Skip", "0"),
        ("X-Pagination-Page", "1"),
        ("X-Pagination-TotalCount", "2"),
    ]);
    let (items, headers) = mittwald::parse_list(&response).unwrap();
    assert_eq!(items, mw_expected_backups());
    assert_eq!(headers, PaginationHeaders { limit: Some(50), skip: Some(0), page: Some(1), total_count: Some(2) });
}

#[test]
fn mittwald_pagination_headers_any_case_page_as_number_or_absent() {
    let read = |h: &[(&str, &str)]| PaginationHeaders::read(&mw_response(h));
    // HTTP/2 lowercases names; X-Pagination-Page is documented as a number, not an integer.
    assert_eq!(
        read(&[("x-pagination-limit", "100"), ("x-pagination-skip", "200"), ("x-pagination-page", "3.0")]),
        PaginationHeaders { limit: Some(100), skip: Some(200), page: Some(3), total_count: None }
    );
    assert_eq!(read(&[]), PaginationHeaders::default());
    assert_eq!(
        read(&[("X-Pagination-TotalCount", "lots"), ("X-Pagination-Limit", "-1")]),
        PaginationHeaders::default()
    );
}

#[test]
fn mittwald_example_normalizes() {
    let source = source("project", MW_PROJECT);
    let (items, _) = mittwald::parse_list(&ok(MW_LIST)).unwrap();
    let link = Some(format!("https://studio.mittwald.de/app/projects/{MW_PROJECT}/backups"));
    let [full, minimal]: [ProjectBackup; 2] = mw_expected_backups().try_into().unwrap();
    let expected = vec![
        model::Backup {
            provider: Provider::Mittwald,
            source: source.clone(),
            id: full.id.clone(),
            name: "Before the WordPress update".into(),
            status: Status::Completed,
            status_raw: "Completed".into(),
            created: Some(datetime!(2024-05-02 03:04:05 UTC)),
            completed: Some(datetime!(2024-05-02 03:04:05 UTC)),
            expires: Some(datetime!(2024-06-01 03:04:05 UTC)),
            // The document gives no size.
            size_bytes: None,
            contents: Contents { files: true, database: true, application: false },
            link: link.clone(),
            details: Details::Mittwald(full),
        },
        model::Backup {
            provider: Provider::Mittwald,
            source: source.clone(),
            id: minimal.id.clone(),
            name: format!("Backup {}", minimal.id),
            status: Status::Scheduled,
            status_raw: "Requested".into(),
            // Without createdAt, the request time stands in.
            created: Some(datetime!(2024-05-02 23:00 UTC)),
            completed: None,
            expires: None,
            size_bytes: None,
            contents: Contents { files: true, database: true, application: false },
            link,
            details: Details::Mittwald(minimal),
        },
    ];
    let normalized: Vec<model::Backup> = items.into_iter().map(|b| mittwald::normalize(b, &source)).collect();
    assert_eq!(normalized, expected);
}

#[test]
fn mittwald_list_request_carries_the_documented_filters() {
    let mut account = mw_account();
    // The document's usage example: searchTerm=string&withExportsOnly=true&sortOrder=oldestFirst
    // &runningRestoresOnly=true&limit=50
    account.query = mittwald::ListQuery {
        search_term: Some("string".into()),
        with_exports_only: Some(true),
        sort_order: Some(mittwald::SortOrder::OldestFirst),
        running_restores_only: Some(true),
    };
    let r = mittwald::list_request("https://api.mittwald.de", &account, 50, 0);
    assert_eq!(r.method, Method::Get);
    let (path, query) = r.url.split_once('?').unwrap();
    assert_eq!(path, format!("https://api.mittwald.de/v2/projects/{MW_PROJECT}/backups"));
    let pairs: Vec<(String, String)> = parse_query(query);
    let expected = [
        ("searchTerm", "string"),
        ("withExportsOnly", "true"),
        ("sortOrder", "oldestFirst"),
        ("runningRestoresOnly", "true"),
        ("limit", "50"),
        ("skip", "0"),
    ];
    assert_eq!(pairs, expected.map(|(k, v)| (k.to_string(), v.to_string())));
    // The spec's security scheme; the seed's curl example shows the legacy Bearer form.
    assert_eq!(r.header_value("x-access-token"), Some(TOKEN));
}

// ---------------------------------------------------------------------------------------------
// Error bodies

/// The documents' error answers, verbatim: (status, body, the provider's message).
const SA_LIST_ERRORS: &[(u16, &str, &str)] = &[
    (404, "{\n    \"message\": \"Organization not found!\"\n}", "Organization not found!"),
    (500, "{\n    \"message\": \"Something went really wrong!\"\n}", "Something went really wrong!"),
];

#[test]
fn serveravatar_documented_list_errors_are_http_errors_with_the_message() {
    for &(status, body, message) in SA_LIST_ERRORS {
        let result = serveravatar::parse_list(&Response::new(status, body));
        assert_http!(result, Provider::ServerAvatar, status, message);
    }
}

#[test]
fn error_bodies_of_every_provider_keep_the_providers_message() {
    // Not in the documents' excerpts, but the shapes each provider answers 401/403/404 with.
    let cases: &[(Lister, u16, &str, &str)] = &[
        (Lister::ServerAvatar, 401, r#"{"message": "Unauthenticated."}"#, "Unauthenticated."),
        (Lister::NorthflankAddon, 401, r#"{"error":{"status":401,"message":"Unauthorized"}}"#, "Unauthorized"),
        (
            Lister::NorthflankDestination,
            404,
            r#"{"error":"Backup destination not found"}"#,
            "Backup destination not found",
        ),
        (Lister::Mittwald, 403, r#"{"type":"PermissionDenied","message":"permission denied"}"#, "permission denied"),
        (Lister::Mittwald, 500, "", "HTTP 500 without a message"),
    ];
    for &(lister, status, body, message) in cases {
        assert_http!(lister.list(&Response::new(status, body)), lister.provider(), status, message);
    }
}
