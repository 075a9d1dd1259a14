//! Routes are declared once, beside their builders: every request builder of the core, with
//! realistic ids, makes a URL the proxy lets through with the builder's method, and every route
//! the providers declare is made by some builder.

mod common;

use std::collections::BTreeSet;

use backboard_core::http::{split_path_query, Method, Request};
use backboard_core::providers::{self, mittwald as mw, northflank as nf, serveravatar as sa};
use backboard_core::proxy::{admit, parse_origins, upstream_url, Admitted};
use backboard_core::Provider;
use common::*;
use time::macros::datetime;
use time::OffsetDateTime;

const NOW: OffsetDateTime = datetime!(2026-11-23 09:00 UTC);
const MW_BACKUP: &str = "0a3f2d8e-6c1b-4b7a-9d1e-2f4c5b6a7d8e";
const MW_SCHEDULE: &str = "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a";
const NF_BACKUP: &str = "nightly-2026-11-23";

/// The base the SPA gives the builders: the worker's proxy route of the provider.
fn base(p: Provider) -> String {
    format!("/proxy/{}", p.slug())
}

fn serveravatar() -> Vec<(Method, Request)> {
    let (b, a) = (base(Provider::ServerAvatar), sa_account());
    let create = sa::CreateForm {
        server: "15".into(),
        name: "before deploy".into(),
        provider: "wasabi".into(),
        cloud_storage_provider_id: "3".into(),
        backup_type: "application".into(),
        application_id: "4221".into(),
        database_id: "4223".into(),
        application_extension: ".tar.gz".into(),
        database_extension: ".sql.gz".into(),
        ..Default::default()
    };
    let delete = sa::DeleteForm::from_text("14, 15").validate(NOW).unwrap();
    let mut out = vec![
        (Method::Get, sa::list_request(&b, &a, 2)),
        (Method::Post, create.validate(NOW).unwrap().to_request(&b, &a)),
        (Method::Post, sa::delete_request(&b, &a, &delete)),
        (Method::Get, sa::deleted_servers_request(&b, &a)),
    ];
    for part in sa::Part::ALL {
        out.push((Method::Get, sa::download_request(&b, &a, &sa::DownloadRequest { backup_id: 14, part })));
    }
    for kind in sa::ArchiveKind::ALL {
        out.push((Method::Get, sa::archive_request(&b, &a, kind, 1)));
    }
    out
}

fn northflank() -> Vec<(Method, Request)> {
    let (b, a) = (base(Provider::Northflank), nf_addon_account());
    let addon = nf::Addon::new("demo-project", "postgres-main");
    let create = nf::CreateForm { backup_type: "dump".into(), ..Default::default() }.validate(NOW).unwrap();
    let restore = nf::RestoreForm::default().validate(NOW).unwrap();
    let from_other = nf::RestoreForm { source_project_id: "p2".into(), source_addon_id: "a2".into() };
    let schedule = nf::ScheduleForm {
        interval: "daily".into(),
        minute: "0".into(),
        hour: "3".into(),
        day: "".into(),
        backup_type: "".into(),
        retention_time: "7".into(),
    };
    vec![
        (Method::Get, nf::list_request(&b, &a, 100, None)),
        (Method::Get, nf::list_request(&b, &nf_destination_account(), 100, Some("c2"))),
        (Method::Post, nf::create_request(&b, &a, &addon, &create)),
        (Method::Get, nf::get_request(&b, &a, &addon, NF_BACKUP)),
        (Method::Delete, nf::delete_request(&b, &a, &addon, NF_BACKUP)),
        (Method::Post, nf::abort_request(&b, &a, &addon, NF_BACKUP)),
        (Method::Post, nf::restore_request(&b, &a, &addon, NF_BACKUP, &restore)),
        (Method::Post, nf::restore_request(&b, &a, &addon, NF_BACKUP, &from_other.validate(NOW).unwrap())),
        (Method::Get, nf::download_link_request(&b, &a, &addon, NF_BACKUP)),
        (Method::Post, nf::schedule_request(&b, &a, &addon, &schedule.validate(NOW).unwrap())),
    ]
}

fn mittwald() -> Vec<(Method, Request)> {
    let (b, a) = (base(Provider::Mittwald), mw_account());
    let create =
        mw::CreateBackupForm { description: "before deploy".into(), expiration_time: "2026-12-24T12:00".into() };
    let update = mw::UpdateBackupForm { description: "kept".into(), expiration_time: String::new() };
    let export = mw::ExportBackupForm { format: "tar".into(), password: String::new() };
    let restore = mw::RestoreBackupForm { source_paths: vec!["/html/wp".into()], ..Default::default() };
    let schedule =
        mw::CreateScheduleForm { description: String::new(), schedule: "0 3 * * *".into(), ttl: "30d".into() };
    let reschedule = mw::UpdateScheduleForm { schedule: "15 */4 * * *".into(), ..Default::default() };
    vec![
        (Method::Get, mw::list_request(&b, &a, 100, 200)),
        (Method::Post, mw::create_backup_request(&b, &a, &create.validate(NOW).unwrap())),
        (Method::Get, mw::get_backup_request(&b, &a, MW_BACKUP)),
        (Method::Patch, mw::update_backup_request(&b, &a, MW_BACKUP, &update.validate(NOW).unwrap())),
        (Method::Delete, mw::delete_backup_request(&b, &a, MW_BACKUP)),
        (Method::Post, mw::export_backup_request(&b, &a, MW_BACKUP, &export.validate(NOW).unwrap())),
        (Method::Delete, mw::delete_export_request(&b, &a, MW_BACKUP)),
        (Method::Post, mw::restore_backup_request(&b, &a, MW_BACKUP, &restore.validate(NOW).unwrap())),
        (Method::Get, mw::database_dumps_request(&b, &a, MW_BACKUP)),
        (Method::Get, mw::directories_request(&b, &a, MW_BACKUP, "")),
        (Method::Get, mw::directories_request(&b, &a, MW_BACKUP, "/html/wp")),
        (Method::Get, mw::list_schedules_request(&b, &a)),
        (Method::Post, mw::create_schedule_request(&b, &a, &schedule.validate(NOW).unwrap())),
        (Method::Get, mw::get_schedule_request(&b, &a, MW_SCHEDULE)),
        (Method::Patch, mw::update_schedule_request(&b, &a, MW_SCHEDULE, &reschedule.validate(NOW).unwrap())),
        (Method::Delete, mw::delete_schedule_request(&b, &a, MW_SCHEDULE)),
    ]
}

fn every_builder() -> Vec<(Provider, Method, Request)> {
    let tag = |p: Provider, list: Vec<(Method, Request)>| list.into_iter().map(move |(m, r)| (p, m, r));
    tag(Provider::ServerAvatar, serveravatar())
        .chain(tag(Provider::Northflank, northflank()))
        .chain(tag(Provider::Mittwald, mittwald()))
        .collect()
}

/// A request from the SPA's own origin, which the proxy admits.
fn page() -> Admitted {
    admit(Some("http://127.0.0.1:8080"), &parse_origins("http://127.0.0.1:8080")).expect("admitted")
}

#[test]
fn every_builders_url_passes_the_proxy_with_its_method() {
    for (provider, method, request) in every_builder() {
        assert_eq!(request.method, method, "{request:?}");
        let (path, query) = split_path_query(&request.url);
        let (to, url) = upstream_url(page(), method, path, query, |p| p.default_base().to_string())
            .unwrap_or_else(|refusal| panic!("{method} {}: {refusal:?}", request.url));
        assert_eq!(to, provider);
        assert_eq!(url, format!("{}{}", provider.default_base(), &request.url[base(provider).len()..]));
        // Any other method on the same path is refused, unless another route declares it.
        for other in [Method::Get, Method::Post, Method::Put, Method::Patch, Method::Delete] {
            let declared = providers::match_route(provider, other, &path[base(provider).len()..]).is_some();
            assert_eq!(upstream_url(page(), other, path, query, |p| p.default_base().to_string()).is_ok(), declared);
        }
    }
}

#[test]
fn every_declared_route_is_made_by_some_builder() {
    let made: BTreeSet<(Provider, &str)> = every_builder()
        .iter()
        .map(|(p, m, r)| {
            let path = split_path_query(&r.url).0[base(*p).len()..].to_string();
            let name = providers::match_route(*p, *m, &path).unwrap_or_else(|| panic!("{m} {path}: no route"));
            (*p, name)
        })
        .collect();
    let declared: BTreeSet<(Provider, &str)> = providers::routes().map(|(p, r)| (p, r.name)).collect();
    assert_eq!(made, declared);
    assert_eq!(declared.len(), providers::routes().count(), "route names are unique per provider");
}
