//! The SPA's side of a workspace: where its calls go, what the worker's answers say, and which
//! of its own and the providers' routes the caller's role allows (the routes' declared acts and
//! [`Role::may`], the worker's own decision).

use serde::Deserialize;
use serde_json::Value;

use crate::http::Method;
use crate::provider::Provider;
use crate::providers;
use crate::workspace::routes::WORKSPACE_ROUTES;
use crate::workspace::Role;
use crate::Connection;

/// The workspace's API under `origin` (the worker's origin, without a trailing slash).
pub fn api(origin: &str) -> String {
    format!("{}/api/v1/workspace", origin.trim_end_matches('/'))
}

/// Where a connection's provider calls go: the worker looks the connection up, checks the
/// role, and adds the token.
pub fn proxy_base(origin: &str, connection_id: &str) -> String {
    format!("{}/connections/{}/proxy", api(origin), crate::http::encode_component(connection_id))
}

/// Who the worker says the caller is (`GET /me`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Me {
    pub email: String,
    pub role: Role,
    /// `access` (Cloudflare Access) or `key` (an API key).
    pub via: String,
}

#[derive(Deserialize)]
struct MeJson {
    email: String,
    role: String,
    #[serde(default)]
    via: String,
}

pub fn me(json: &str) -> Result<Me, String> {
    let m: MeJson = serde_json::from_str(json).map_err(|e| format!("unexpected answer from the workspace: {e}"))?;
    Ok(Me { email: m.email, role: Role::parse(&m.role)?, via: m.via })
}

/// What a workspace connection holds in place of its token: it passes the core's checks, and the
/// SPA's transport drops the credential headers it would fill (the worker adds the real token).
pub const STAND_IN_TOKEN: &str = "held-by-the-workspace";

/// The workspace's connections (`GET /connections`), as the SPA's connections. They carry no
/// token, only [`STAND_IN_TOKEN`].
pub fn connections(json: &str) -> Result<Vec<Connection>, String> {
    #[derive(Deserialize)]
    struct List {
        connections: Vec<Value>,
    }
    let list: List = serde_json::from_str(json).map_err(|e| format!("unexpected answer from the workspace: {e}"))?;
    list.connections.into_iter().map(connection).collect()
}

/// One listed connection: its public fields, and [`STAND_IN_TOKEN`].
pub fn connection(mut v: Value) -> Result<Connection, String> {
    let Value::Object(fields) = &mut v else { return Err("a connection is a JSON object".into()) };
    fields.insert("token".into(), Value::String(STAND_IN_TOKEN.into()));
    let id = fields.get("id").and_then(Value::as_str).unwrap_or("?").to_string();
    serde_json::from_value(v).map_err(|e| format!("connection {id}: {e}"))
}

/// The message of a refused call: the worker's `{"error": ...}`, else the status.
pub fn error_message(status: u16, body: &str) -> String {
    #[derive(Deserialize)]
    struct Error {
        error: String,
    }
    match serde_json::from_str::<Error>(body) {
        Ok(e) if !e.error.is_empty() => e.error,
        _ => match status {
            401 => "the workspace does not know who you are (sign in through Cloudflare Access)".into(),
            403 => "your role may not do this".into(),
            _ => format!("the workspace answered {status}"),
        },
    }
}

/// Whether `role` may call the workspace's own route named `name` (an unknown name: no).
pub fn may(role: Role, name: &str) -> bool {
    WORKSPACE_ROUTES.iter().find(|r| r.name == name).is_some_and(|r| role.may(r.act))
}

/// Whether `role` may make `provider`'s call named `name` (e.g. `create_backup`).
pub fn may_call(role: Role, provider: Provider, name: &str) -> bool {
    providers::routes_of(provider).iter().find(|r| r.name == name).is_some_and(|r| role.may(r.act))
}

/// Whether `role` may send this provider request (`path` below the provider's base).
pub fn may_send(role: Role, provider: Provider, method: Method, path: &str) -> bool {
    providers::find_route(provider, method, path).is_some_and(|r| role.may(r.act))
}

/// A member as listed.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Member {
    pub email: String,
    pub role: String,
}

/// An API key as listed (never the key itself).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct ApiKey {
    pub id: String,
    pub label: String,
    pub role: String,
    #[serde(default)]
    pub created_at: String,
    #[serde(default)]
    pub revoked_at: Option<String>,
}

/// A new API key: the key itself is in this answer only.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct NewKey {
    pub id: String,
    pub label: String,
    pub role: String,
    pub key: String,
}

/// One entry of the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct AuditEntry {
    #[serde(default)]
    pub at: String,
    #[serde(default)]
    pub who: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub act: String,
    #[serde(default)]
    pub connection: Option<String>,
    #[serde(default)]
    pub backup: Option<String>,
    #[serde(default)]
    pub route: String,
    #[serde(default)]
    pub outcome: Value,
}

/// Reads `{"<field>": [...]}`.
pub fn list_of<T: for<'de> Deserialize<'de>>(json: &str, field: &str) -> Result<Vec<T>, String> {
    let v: Value = serde_json::from_str(json).map_err(|e| format!("unexpected answer from the workspace: {e}"))?;
    let items = v.get(field).cloned().unwrap_or(Value::Array(Vec::new()));
    serde_json::from_value(items).map_err(|e| format!("unexpected answer from the workspace: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_go_below_the_workspace() {
        assert_eq!(api("https://bb.example.com/"), "https://bb.example.com/api/v1/workspace");
        assert_eq!(api(""), "/api/v1/workspace");
        assert_eq!(
            proxy_base("https://bb.example.com", "c-1f"),
            "https://bb.example.com/api/v1/workspace/connections/c-1f/proxy"
        );
        assert_eq!(proxy_base("", "a/b"), "/api/v1/workspace/connections/a%2Fb/proxy");
    }

    #[test]
    fn listed_connections_have_no_token() {
        let json = r#"{"connections":[
            {"id":"c-1","provider":"mittwald","label":"Prod","projectId":"p-1","created_at":"2026-01-01T00:00:00Z"},
            {"id":"c-2","provider":"serveravatar","label":"SA","organization":"5"}]}"#;
        let list = connections(json).unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].id, "c-1");
        assert_eq!(list[0].provider(), Provider::Mittwald);
        assert!(list.iter().all(|c| c.account.token().expose() == STAND_IN_TOKEN));
        assert!(connections(r#"{"connections":[{"id":"c-3","provider":"gitlab","label":"x"}]}"#)
            .unwrap_err()
            .starts_with("connection c-3"));
        assert!(connections("<html>").is_err());
    }

    #[test]
    fn me_names_a_known_role() {
        let m = me(r#"{"email":"ana@example.com","role":"operator","via":"access"}"#).unwrap();
        assert_eq!((m.email.as_str(), m.role, m.via.as_str()), ("ana@example.com", Role::Operator, "access"));
        assert!(me(r#"{"email":"x","role":"owner"}"#).unwrap_err().contains("unknown role"));
    }

    #[test]
    fn what_a_role_may_follows_the_routes_acts() {
        assert!(may(Role::Viewer, "list_connections"));
        assert!(!may(Role::Viewer, "add_connection"));
        assert!(!may(Role::Operator, "create_key"));
        assert!(may(Role::Admin, "audit_log"));
        assert!(!may(Role::Admin, "no_such_route"));
        assert!(!may_call(Role::Viewer, Provider::Mittwald, "create_backup"));
        assert!(may_call(Role::Operator, Provider::Mittwald, "create_backup"));
        assert!(!may_call(Role::Operator, Provider::Mittwald, "delete_backup"));
        assert!(may_call(Role::Admin, Provider::Northflank, "restore_backup"));
        assert!(may_send(Role::Viewer, Provider::Mittwald, Method::Get, "v2/projects/p1/backups"));
        assert!(!may_send(Role::Viewer, Provider::Mittwald, Method::Post, "v2/projects/p1/backups"));
    }

    #[test]
    fn refusals_say_the_workers_words_or_the_status() {
        assert_eq!(error_message(400, r#"{"error":"unknown role \"owner\""}"#), "unknown role \"owner\"");
        assert!(error_message(403, "").contains("role"));
        assert!(error_message(401, "<html>").contains("Access"));
        assert_eq!(error_message(502, ""), "the workspace answered 502");
    }

    #[test]
    fn lists_are_read_by_their_field() {
        let keys: Vec<ApiKey> = list_of(
            r#"{"keys":[{"id":"k1","label":"ci","role":"viewer","created_at":"t","revoked_at":null}]}"#,
            "keys",
        )
        .unwrap();
        assert_eq!(keys[0].revoked_at, None);
        let entries: Vec<AuditEntry> = list_of(
            r#"{"entries":[{"at":"t","who":"ana","role":"admin","act":"connections","connection":"c-1","backup":null,"route":"add_connection","outcome":201}]}"#,
            "entries",
        )
        .unwrap();
        assert_eq!(entries[0].who, "ana");
        assert!(list_of::<Member>("{", "members").is_err());
    }
}
