//! Shared by the integration tests: the documents' example bodies, accounts, one entry point per
//! parser, and walking JSON trees with the same paths `Error::Parse` reports.
#![allow(dead_code)] // each test binary uses its own part of this module

pub mod mutate;

use backboard_core::http::Response;
use backboard_core::model::{Backup, Source};
use backboard_core::providers::{mittwald, northflank, serveravatar};
use backboard_core::{Error, Provider, Token};
use serde_json::Value;

/// The example bodies, copied verbatim from the documents in seeds/.
pub const SA_LIST: &str = include_str!("../fixtures/serveravatar-list-backups.json");
pub const SA_CREATE_REQUEST: &str = include_str!("../fixtures/serveravatar-create-request.json");
pub const NF_ADDON: &str = include_str!("../fixtures/northflank-list-addon-backups.json");
pub const NF_DESTINATION: &str = include_str!("../fixtures/northflank-list-destination-backups.json");
/// The mittwald document has a schema but no example body; this one is written from the schema.
pub const MW_LIST: &str = include_str!("../fixtures/mittwald-list-project-backups.json");

/// A token distinctive enough that finding it anywhere in output is a leak.
pub const TOKEN: &str = "tok-SECRET-5f2c9a71";

pub fn sa_account() -> serveravatar::Account {
    serveravatar::Account { token: Token::new(TOKEN), organization: "5".into() }
}

pub fn nf_addon_account() -> northflank::Account {
    northflank::Account {
        token: Token::new(TOKEN),
        target: northflank::Target::Addon { project_id: "example-project".into(), addon_id: "example-addon".into() },
    }
}

pub fn nf_destination_account() -> northflank::Account {
    northflank::Account {
        token: Token::new(TOKEN),
        target: northflank::Target::Destination { backup_destination_id: "example-destination".into() },
    }
}

pub fn mw_account() -> mittwald::Account {
    mittwald::Account {
        token: Token::new(TOKEN),
        project_id: "7e1b7c3a-2f4d-4c8e-9a1b-3d5e7f9a1c2b".into(),
        query: Default::default(),
    }
}

pub fn source(kind: &str, id: &str) -> Source {
    Source { kind: kind.into(), id: id.into(), label: format!("my {kind}") }
}

pub fn ok(body: impl Into<Vec<u8>>) -> Response {
    Response::new(200, body)
}

/// Every list parser of the core, from response to normalized backups.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lister {
    ServerAvatar,
    NorthflankAddon,
    NorthflankDestination,
    Mittwald,
}

impl Lister {
    pub const ALL: [Lister; 4] =
        [Lister::ServerAvatar, Lister::NorthflankAddon, Lister::NorthflankDestination, Lister::Mittwald];

    pub fn provider(self) -> Provider {
        match self {
            Lister::ServerAvatar => Provider::ServerAvatar,
            Lister::NorthflankAddon | Lister::NorthflankDestination => Provider::Northflank,
            Lister::Mittwald => Provider::Mittwald,
        }
    }

    /// The document's example body for this endpoint.
    pub fn example(self) -> &'static str {
        match self {
            Lister::ServerAvatar => SA_LIST,
            Lister::NorthflankAddon => NF_ADDON,
            Lister::NorthflankDestination => NF_DESTINATION,
            Lister::Mittwald => MW_LIST,
        }
    }

    /// Parses and normalizes, as a connection does with each page.
    pub fn list(self, response: &Response) -> Result<Vec<Backup>, Error> {
        Ok(match self {
            Lister::ServerAvatar => {
                let s = source("organization", "5");
                serveravatar::parse_list(response)?.data.into_iter().map(|b| serveravatar::normalize(b, &s)).collect()
            }
            Lister::NorthflankAddon | Lister::NorthflankDestination => {
                let account =
                    if self == Lister::NorthflankAddon { nf_addon_account() } else { nf_destination_account() };
                let s = account.source("nf");
                northflank::parse_list(&account, response)?
                    .0
                    .into_iter()
                    .map(|b| northflank::normalize(b, &s))
                    .collect()
            }
            Lister::Mittwald => {
                let s = source("project", "p");
                mittwald::parse_list(response)?.0.into_iter().map(|b| mittwald::normalize(b, &s)).collect()
            }
        })
    }
}

/// Every node of a JSON tree below the root: (path as `Error::Parse` names it, JSON pointer).
pub fn nodes(value: &Value) -> Vec<(String, String)> {
    fn walk(v: &Value, path: &str, pointer: &str, out: &mut Vec<(String, String)>) {
        let children: Vec<(String, String, &Value)> = match v {
            Value::Object(map) => map
                .iter()
                .map(|(k, c)| {
                    let p = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                    (p, format!("{pointer}/{}", k.replace('~', "~0").replace('/', "~1")), c)
                })
                .collect(),
            Value::Array(items) => {
                items.iter().enumerate().map(|(i, c)| (format!("{path}[{i}]"), format!("{pointer}/{i}"), c)).collect()
            }
            _ => Vec::new(),
        };
        for (p, ptr, c) in children {
            out.push((p.clone(), ptr.clone()));
            walk(c, &p, &ptr, out);
        }
    }
    let mut out = Vec::new();
    walk(value, "", "", &mut out);
    out
}

/// `json` with the node at `pointer` replaced by raw JSON text, which may hold what no
/// `serde_json::Value` can (1e400, 2^64, nesting past its depth limit).
pub fn splice(json: &str, pointer: &str, raw: &str) -> String {
    const MARK: &str = "\u{1}splice-here\u{1}";
    let mut value: Value = serde_json::from_str(json).unwrap();
    *value.pointer_mut(pointer).unwrap() = Value::String(MARK.into());
    value.to_string().replace(&serde_json::to_string(MARK).unwrap(), raw)
}

/// The parent's path of a node path: "data[0].config.size" -> "data[0].config", "id" -> ".".
pub fn parent_path(path: &str) -> &str {
    let cut = path.rfind(['.', '[']).unwrap_or(0);
    if cut == 0 {
        "."
    } else {
        &path[..cut]
    }
}

/// Asserts a result is `Error::Http` from `provider` with this status and the provider's message.
#[macro_export]
macro_rules! assert_http {
    ($result:expr, $provider:expr, $status:expr, $message:expr) => {
        match $result {
            Err(backboard_core::Error::Http { provider, status, message, .. }) => {
                assert_eq!((provider, status, message.as_str()), ($provider, $status, $message));
            }
            other => panic!("expected HTTP {} {:?}, got {other:?}", $status, $message),
        }
    };
}

/// Asserts a result is `Error::Parse` from `provider` naming the field path `field`.
#[macro_export]
macro_rules! assert_parse_at {
    ($result:expr, $provider:expr, $field:expr) => {
        match $result {
            Err(backboard_core::Error::Parse { provider, field, message }) => {
                assert_eq!(provider, $provider, "{message}");
                assert_eq!(field, $field, "{message}");
                assert!(!message.is_empty());
            }
            other => panic!("expected a parse error at {:?}, got {other:?}", $field),
        }
    };
}
