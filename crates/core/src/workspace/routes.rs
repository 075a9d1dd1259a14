//! Every route a workspace answers, each with its [`Act`]: its own (connections, members, keys,
//! audit), the edge API's, and the provider routes reached through a connection. A request that
//! fits none of them has no act, and is refused whatever the role.

use crate::http::Method;
use crate::provider::Provider;
use crate::providers;
use crate::proxy::{upstream_below, Refusal};
use crate::route::Seg::{Id, Lit};
use crate::route::{Route, Seg};
use crate::workspace::caller::Permit;
use crate::workspace::Act;

const WS: [Seg; 3] = [Lit("api"), Lit("v1"), Lit("workspace")];
const ME: &[Seg] = &[WS[0], WS[1], WS[2], Lit("me")];
const CONNECTIONS: &[Seg] = &[WS[0], WS[1], WS[2], Lit("connections")];
const CONNECTION: &[Seg] = &[WS[0], WS[1], WS[2], Lit("connections"), Id];
const MEMBERS: &[Seg] = &[WS[0], WS[1], WS[2], Lit("members")];
const MEMBER: &[Seg] = &[WS[0], WS[1], WS[2], Lit("members"), Id];
const KEYS: &[Seg] = &[WS[0], WS[1], WS[2], Lit("keys")];
const KEY: &[Seg] = &[WS[0], WS[1], WS[2], Lit("keys"), Id];
const AUDIT: &[Seg] = &[WS[0], WS[1], WS[2], Lit("audit")];
const IMPORT: &[Seg] = &[WS[0], WS[1], WS[2], Lit("import")];
const RESEAL: &[Seg] = &[WS[0], WS[1], WS[2], Lit("reseal")];

/// The workspace's own routes, under `/api/v1/workspace/`. Connections are listed to everyone
/// (without tokens); changing them, members, keys and the audit log are an admin's.
pub const WORKSPACE_ROUTES: &[Route] = &[
    Route::new("me", Method::Get, ME, Act::Read),
    Route::new("list_connections", Method::Get, CONNECTIONS, Act::Read),
    Route::new("add_connection", Method::Post, CONNECTIONS, Act::Connections),
    Route::new("update_connection", Method::Patch, CONNECTION, Act::Connections),
    Route::new("remove_connection", Method::Delete, CONNECTION, Act::Connections),
    Route::new("list_members", Method::Get, MEMBERS, Act::Members),
    Route::new("add_member", Method::Post, MEMBERS, Act::Members),
    Route::new("update_member", Method::Patch, MEMBER, Act::Members),
    Route::new("remove_member", Method::Delete, MEMBER, Act::Members),
    Route::new("list_keys", Method::Get, KEYS, Act::Keys),
    Route::new("create_key", Method::Post, KEYS, Act::Keys),
    Route::new("revoke_key", Method::Delete, KEY, Act::Keys),
    // `?format=csv` exports the same entries.
    Route::new("audit_log", Method::Get, AUDIT, Act::Audit),
    // Copies the BACKBOARD_SOURCES secret's sources into the workspace, sealed.
    Route::new("import_sources", Method::Post, IMPORT, Act::Connections),
    // Reseals every token not under BACKBOARD_SEAL_KEYS's first key (a rotation).
    Route::new("reseal_tokens", Method::Post, RESEAL, Act::Connections),
];

/// The edge API (`/api/v1/...`): reads of the list and its health, JSON or CSV. HEAD is decided
/// as the GET it mirrors.
pub const EDGE_ROUTES: &[Route] = &[
    Route::new("health", Method::Get, &[Lit("api"), Lit("v1"), Lit("health")], Act::Read),
    Route::new("backups", Method::Get, &[Lit("api"), Lit("v1"), Lit("backups")], Act::Read),
    Route::new("backups_health", Method::Get, &[Lit("api"), Lit("v1"), Lit("backups"), Lit("health")], Act::Read),
];

/// Provider calls through a connection: `/api/v1/workspace/connections/{id}/proxy/{provider path}`.
const PROXY: &str = "proxy";

/// What a request to the workspace is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Call<'a> {
    /// One of [`WORKSPACE_ROUTES`] or [`EDGE_ROUTES`].
    Route(&'static Route),
    /// A provider call through connection `connection`; `rest` is the path below the provider's
    /// base. Its act comes from the connection's provider: [`provider_act`].
    Proxy { connection: &'a str, rest: &'a str },
    /// Nothing the workspace answers.
    Unknown,
}

/// Classifies `path` (as received, still percent-encoded, without the query).
pub fn classify(method: Method, path: &str) -> Call<'_> {
    let trimmed = path.strip_prefix('/').unwrap_or(path);
    let segments: Vec<&str> = trimmed.split('/').collect();
    if let Some(route) = WORKSPACE_ROUTES.iter().chain(EDGE_ROUTES).find(|r| r.method == method && r.fits(&segments)) {
        return Call::Route(route);
    }
    // api / v1 / workspace / connections / {id} / proxy / rest...
    if segments.len() > 6 && CONNECTION.iter().zip(&segments).all(|(pat, seg)| pat.fits(seg)) && segments[5] == PROXY {
        let connection = segments[4];
        let prefix = CONNECTION.len() + 1;
        let skip: usize = segments[..prefix].iter().map(|s| s.len() + 1).sum();
        return Call::Proxy { connection, rest: &trimmed[skip..] };
    }
    Call::Unknown
}

/// The act of a provider call through a connection of `provider`: None unless `rest` is one of
/// the calls Backboard makes to it.
pub fn provider_act(provider: Provider, method: Method, rest: &str) -> Option<Act> {
    providers::find_route(provider, method, rest).map(|r| r.act)
}

/// The upstream URL of a permitted provider call through a connection: the same confinement as
/// the personal proxy (declared routes only, plain segments, a clean query), under `base`.
pub fn provider_upstream(
    _permit: Permit,
    provider: Provider,
    method: Method,
    rest: &str,
    raw_query: Option<&str>,
    base: &str,
) -> Result<String, Refusal> {
    upstream_below(provider, method, rest, raw_query, base)
}

/// The act of a request whose connection (for a proxied call) has `provider_of` as its provider.
pub fn act_of(method: Method, path: &str, provider_of: impl FnOnce(&str) -> Option<Provider>) -> Option<Act> {
    match classify(method, path) {
        Call::Route(route) => Some(route.act),
        Call::Proxy { connection, rest } => provider_act(provider_of(connection)?, method, rest),
        Call::Unknown => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::Role;

    /// Every route, every role: V, O, A where the role may, `-` where it may not. A route
    /// missing here, or listed twice, fails; so does any decision that differs.
    const MATRIX: &[(&str, &str, &str)] = &[
        ("serveravatar", "list_backups", "VOA"),
        ("serveravatar", "create_backup", "-OA"),
        ("serveravatar", "delete_backups", "--A"),
        ("serveravatar", "download_filesystem", "-OA"),
        ("serveravatar", "download_database", "-OA"),
        ("serveravatar", "deleted_servers", "VOA"),
        ("serveravatar", "archive_filesystem", "VOA"),
        ("serveravatar", "archive_database", "VOA"),
        ("serveravatar", "archive_application", "VOA"),
        ("northflank", "list_addon_backups", "VOA"),
        ("northflank", "list_destination_backups", "VOA"),
        ("northflank", "create_backup", "-OA"),
        ("northflank", "get_backup", "VOA"),
        ("northflank", "delete_backup", "--A"),
        ("northflank", "abort_backup", "-OA"),
        ("northflank", "restore_backup", "--A"),
        ("northflank", "download_link", "-OA"),
        ("northflank", "create_schedule", "-OA"),
        ("mittwald", "list_backups", "VOA"),
        ("mittwald", "create_backup", "-OA"),
        ("mittwald", "get_backup", "VOA"),
        ("mittwald", "update_backup", "--A"),
        ("mittwald", "delete_backup", "--A"),
        ("mittwald", "export_backup", "-OA"),
        ("mittwald", "delete_export", "--A"),
        ("mittwald", "restore_backup", "--A"),
        ("mittwald", "database_dumps", "VOA"),
        ("mittwald", "directories", "VOA"),
        ("mittwald", "list_schedules", "VOA"),
        ("mittwald", "create_schedule", "-OA"),
        ("mittwald", "get_schedule", "VOA"),
        ("mittwald", "update_schedule", "-OA"),
        ("mittwald", "delete_schedule", "--A"),
        ("workspace", "me", "VOA"),
        ("workspace", "list_connections", "VOA"),
        ("workspace", "add_connection", "--A"),
        ("workspace", "update_connection", "--A"),
        ("workspace", "remove_connection", "--A"),
        ("workspace", "list_members", "--A"),
        ("workspace", "add_member", "--A"),
        ("workspace", "update_member", "--A"),
        ("workspace", "remove_member", "--A"),
        ("workspace", "list_keys", "--A"),
        ("workspace", "create_key", "--A"),
        ("workspace", "revoke_key", "--A"),
        ("workspace", "audit_log", "--A"),
        ("workspace", "import_sources", "--A"),
        ("workspace", "reseal_tokens", "--A"),
        ("edge", "health", "VOA"),
        ("edge", "backups", "VOA"),
        ("edge", "backups_health", "VOA"),
    ];

    /// A concrete path for a route, its ids filled with `x1` (`14` for numeric ones).
    fn sample_path(route: &Route) -> String {
        route
            .path
            .iter()
            .map(|s| match s {
                Seg::Lit(l) => *l,
                Seg::Id => "x1",
                Seg::Num => "14",
            })
            .collect::<Vec<_>>()
            .join("/")
    }

    /// Every declared route with its scope, and the act a request to its sample path gets.
    fn every_route() -> Vec<(&'static str, &'static Route, Option<Act>)> {
        let mut all = Vec::new();
        for (provider, route) in providers::routes() {
            let path = format!("/api/v1/workspace/connections/c-1/proxy/{}", sample_path(route));
            all.push((provider.slug(), route, act_of(route.method, &path, |_| Some(provider))));
        }
        for (scope, routes) in [("workspace", WORKSPACE_ROUTES), ("edge", EDGE_ROUTES)] {
            for route in routes {
                let path = format!("/{}", sample_path(route));
                all.push((scope, route, act_of(route.method, &path, |_| None)));
            }
        }
        all
    }

    #[test]
    fn every_route_and_role_is_decided_as_written() {
        let all = every_route();
        for (scope, name, _) in MATRIX {
            let n = all.iter().filter(|(s, r, _)| s == scope && r.name == *name).count();
            assert_eq!(n, 1, "{scope} {name} is in the matrix but declared {n} times");
        }
        for (scope, route, act) in all {
            let rows: Vec<_> = MATRIX.iter().filter(|(s, n, _)| *s == scope && *n == route.name).collect();
            assert_eq!(rows.len(), 1, "{scope} {route}: write down who may call it, exactly once");
            let act = act.unwrap_or_else(|| panic!("{scope} {route}: its sample path is not recognized"));
            assert_eq!(act, route.act, "{scope} {route}");
            let got: String = Role::ALL
                .iter()
                .zip("VOA".chars())
                .map(|(role, c)| if crate::workspace::permitted(Some(*role), Some(act)) { c } else { '-' })
                .collect();
            assert_eq!(got, rows[0].2, "{scope} {route}");
        }
    }

    #[test]
    fn unknown_requests_have_no_act() {
        let mw = |_: &str| Some(Provider::Mittwald);
        for (m, p) in [
            (Method::Get, "/api/v1/workspace"),
            (Method::Get, "/api/v1/workspace/"),
            (Method::Put, "/api/v1/workspace/connections"),
            (Method::Delete, "/api/v1/workspace/connections"),
            (Method::Get, "/api/v1/workspace/connections/c1"),
            (Method::Post, "/api/v1/workspace/audit"),
            (Method::Delete, "/api/v1/workspace/members"),
            (Method::Post, "/api/v1/backups"),
            (Method::Get, "/api/v1/workspace/connections/c1/proxy"),
            (Method::Get, "/api/v1/workspace/connections/c1/proxy/"),
            (Method::Get, "/api/v1/workspace/connections/c1/proxy/v2/users"),
            (Method::Get, "/api/v1/workspace/connections/../proxy/v2/project-backups/b1"),
            (Method::Get, "/api/v1/workspace/connections/c1/relay/v2/project-backups/b1"),
            (Method::Post, "/api/v1/workspace/connections/c1/proxy/v2/project-backups/b1"),
            (Method::Get, "/proxy/mittwald/v2/project-backups/b1"),
        ] {
            assert_eq!(act_of(m, p, mw), None, "{m} {p}");
        }
        // A connection that is not found has no provider, so no act.
        assert_eq!(act_of(Method::Get, "/api/v1/workspace/connections/c1/proxy/v2/project-backups/b1", |_| None), None);
    }

    #[test]
    fn permitted_calls_go_only_where_the_personal_proxy_would() {
        use crate::workspace::caller::Caller;
        let permit = Caller::access("ana@example.com", Some(Role::Admin)).decide(Some(Act::Delete)).unwrap();
        let up = |m, rest, q| provider_upstream(permit, Provider::Mittwald, m, rest, q, "https://api.mittwald.de/");
        assert_eq!(
            up(Method::Delete, "v2/project-backups/b1", None).unwrap(),
            "https://api.mittwald.de/v2/project-backups/b1"
        );
        assert_eq!(
            up(Method::Get, "v2/projects/p1/backups", Some("limit=100")).unwrap(),
            "https://api.mittwald.de/v2/projects/p1/backups?limit=100"
        );
        assert_eq!(up(Method::Get, "v2/users", None).unwrap_err().status, 403);
        assert_eq!(up(Method::Put, "v2/project-backups/b1", None).unwrap_err().status, 405);
        assert_eq!(up(Method::Get, "v2/project-backups/%2e%2e", None).unwrap_err().status, 400);
        assert_eq!(up(Method::Get, "v2/projects/p1/backups", Some("a=<x>")).unwrap_err().status, 400);
    }

    #[test]
    fn proxied_calls_name_their_connection_and_path() {
        assert_eq!(
            classify(Method::Delete, "/api/v1/workspace/connections/c-7/proxy/v2/project-backups/b1"),
            Call::Proxy { connection: "c-7", rest: "v2/project-backups/b1" }
        );
        // The same path is a delete under mittwald and nothing under ServerAvatar.
        let path = "/api/v1/workspace/connections/c-7/proxy/v2/project-backups/b1";
        assert_eq!(act_of(Method::Delete, path, |id| (id == "c-7").then_some(Provider::Mittwald)), Some(Act::Delete));
        assert_eq!(act_of(Method::Delete, path, |_| Some(Provider::ServerAvatar)), None);
    }
}
