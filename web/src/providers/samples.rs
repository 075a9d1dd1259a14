//! Sample connections of every provider, each with backups whose names no other contains (the
//! SPA's own tests search for them).

use backboard_core::providers::{mittwald, northflank, serveravatar};
use backboard_core::Account;
use backboard_core::{Backup, Connection, Token};
use serde_json::json;

const PROJECT: &str = "3f7c2a9e-1b4d-4c8e-9a2f-6d5e4c3b2a10";

fn record<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> T {
    serde_json::from_value(value).expect("a sample record")
}

/// One connection per provider with `each` backups, named `{letter}{number:03}z`.
pub fn samples(each: usize) -> Vec<(Connection, Vec<Backup>)> {
    let token = || Token::new("t");
    let connection = |id: &str, account| Connection { id: id.into(), label: id.into(), account };
    let organization =
        connection("sa", Account::ServerAvatar(serveravatar::Account { token: token(), organization: "5".into() }));
    let addon = connection(
        "nf",
        Account::Northflank(northflank::Account {
            token: token(),
            target: northflank::Target::Addon { project_id: "p".into(), addon_id: "a".into() },
        }),
    );
    let project = connection(
        "mw",
        Account::Mittwald(mittwald::Account { token: token(), project_id: PROJECT.into(), query: Default::default() }),
    );
    let sa = (0..each)
        .map(|i| {
            let b = json!({ "id": 1000 + i, "status": "completed", "backup_configuration": { "id": 1, "name": format!("s{i:03}z") } });
            serveravatar::normalize(record(b), &organization.source())
        })
        .collect();
    let nf = (0..each)
        .map(|i| {
            let b = json!({ "id": format!("nf-{i}"), "name": format!("n{i:03}z"), "status": "completed", "config": { "size": "1024" } });
            northflank::normalize(northflank::Listed::Addon(record(b)), &addon.source())
        })
        .collect();
    let mw = (0..each)
        .map(|i| {
            let b = json!({ "id": format!("mw-{i}"), "projectId": PROJECT, "description": format!("m{i:03}z"), "status": "Completed", "deletable": true });
            mittwald::normalize(record(b), &project.source())
        })
        .collect();
    vec![(organization, sa), (addon, nf), (project, mw)]
}
