//! The worker's proxy policy, as pure functions: which upstream a request may reach, which
//! headers cross, and which origin gets a CORS grant. The worker only does the I/O.

use crate::http::Method;
use crate::provider::Provider;
use crate::providers;
use crate::route::Seg;

/// The origin of a URL, as the CORS grants compare it.
pub use crate::http::origin_of;

/// Largest request body forwarded upstream.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// Longest wait for an upstream answer.
pub const UPSTREAM_TIMEOUT_MS: u64 = 25_000;

/// Request headers forwarded upstream; everything else (Cookie, Host, X-Forwarded-*, ...) is dropped.
pub const FORWARD_REQUEST_HEADERS: &[&str] = &["authorization", "accept", "content-type", "x-access-token"];
/// Response headers passed back to the browser.
pub const PASS_RESPONSE_HEADERS: &[&str] = &[
    "content-type",
    "retry-after",
    "x-pagination-limit",
    "x-pagination-skip",
    "x-pagination-page",
    "x-pagination-totalcount",
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "location",
];
/// Response headers the SPA may read (Access-Control-Expose-Headers).
pub const EXPOSE_HEADERS: &str = "Retry-After, X-Pagination-Limit, X-Pagination-Skip, X-Pagination-Page, X-Pagination-TotalCount, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset";

/// Every route the proxy lets through, as (provider, method, path) with `{}` for each id: the
/// list the published contracts are checked against.
pub fn routes() -> impl Iterator<Item = (Provider, Method, String)> {
    crate::providers::routes().map(|(provider, route)| {
        let path = route
            .path
            .iter()
            .map(|seg| match seg {
                Seg::Lit(l) => format!("/{l}"),
                Seg::Id | Seg::Num => "/{}".to_string(),
            })
            .collect();
        (provider, route.method, path)
    })
}

/// Why the proxy refused a request. Serialized as the stable JSON error of the proxy itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
}

impl Refusal {
    pub(crate) fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        Self { status, code, message: message.into() }
    }

    /// The upstream fetch failed: a 504 when the proxy's time limit ended it, else a 502.
    pub fn upstream_failed(provider: crate::Provider, timed_out: bool) -> Self {
        match timed_out {
            true => Self::new(504, "upstream_timeout", format!("{provider} did not answer in time")),
            false => Self::new(502, "upstream_unreachable", format!("{provider} could not be reached")),
        }
    }

    /// `{"proxyError": {"code", "message"}}`: a shape no provider uses, so clients can tell
    /// the proxy's own errors from upstream errors, which pass through unchanged.
    pub fn to_json(&self) -> String {
        serde_json::json!({"proxyError": {"code": self.code, "message": self.message}}).to_string()
    }
}

/// "serveravatar, northflank or mittwald"
fn slugs() -> String {
    let slugs: Vec<&str> = Provider::ALL.iter().map(|p| p.slug()).collect();
    match slugs.split_last() {
        Some((last, [])) => last.to_string(),
        Some((last, init)) => format!("{} or {last}", init.join(", ")),
        None => String::new(),
    }
}

/// Query strings may carry only unreserved characters, `=`, `&`, `+` and well-formed `%XX`
/// escapes; the query cannot change where the request goes, but this keeps it plain.
fn is_clean_query(q: &str) -> bool {
    let b = q.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                if i + 2 >= b.len() {
                    return false;
                }
                if !(b[i + 1].is_ascii_hexdigit() && b[i + 2].is_ascii_hexdigit()) {
                    return false;
                }
                i += 3;
                continue;
            }
            c if c.is_ascii_alphanumeric() || b"-_.~=&+".contains(&c) => {}
            _ => return false,
        }
        i += 1;
    }
    q.len() <= 2048
}

/// Proof that a request comes from a page of the deployment: [`upstream_url`] takes one, so no
/// request is relayed without [`admit`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Admitted(());

/// The personal-mode proxy serves the deployment's browsers only: a request is relayed only if
/// its `Origin` is exactly one of `allowed` (`ALLOWED_ORIGINS`). Without an Origin (a script, a
/// server) or with another one (`null` included), it is refused with 403, so the worker is no
/// open relay to the providers' APIs. Scripts call the providers directly, or the edge API with
/// its key.
pub fn admit(origin: Option<&str>, allowed: &[String]) -> Result<Admitted, Refusal> {
    match origin {
        Some(o) if o != "null" && granted_origin(Some(o), allowed).is_some() => Ok(Admitted(())),
        _ => Err(Refusal::new(
            403,
            "origin_not_allowed",
            "The proxy serves this deployment's pages only; scripts call the provider's API directly",
        )),
    }
}

/// Decides the upstream URL for `/proxy/{provider}/{rest}?{query}`: only the routes the providers
/// declare ([`providers::routes`]) pass, exactly the calls the core makes. `raw_path` is the request
/// path exactly as received (still percent-encoded), `base` the configured provider base.
pub fn upstream_url(
    _admitted: Admitted,
    method: Method,
    raw_path: &str,
    raw_query: Option<&str>,
    base_of: impl Fn(Provider) -> String,
) -> Result<(Provider, String), Refusal> {
    let rest = raw_path
        .strip_prefix("/proxy/")
        .ok_or_else(|| Refusal::new(404, "not_found", "Proxy routes start with /proxy/{provider}/"))?;
    let (slug, upstream) = rest.split_once('/').unwrap_or((rest, ""));
    let provider = Provider::from_slug(slug)
        .filter(|p| p.slug() == slug)
        .ok_or_else(|| Refusal::new(404, "unknown_provider", format!("Unknown provider; use {}", slugs())))?;
    Ok((provider, upstream_below(provider, method, upstream, raw_query, &base_of(provider))?))
}

/// The upstream URL of a call `upstream` below a provider's base: the provider's declared routes
/// only, with plain segments and a clean query. Shared by the personal proxy ([`upstream_url`])
/// and the workspace's, whose caller is admitted by role instead of by origin.
pub(crate) fn upstream_below(
    provider: Provider,
    method: Method,
    upstream: &str,
    raw_query: Option<&str>,
    base: &str,
) -> Result<String, Refusal> {
    if upstream.is_empty() {
        return Err(Refusal::new(403, "path_not_allowed", "Name the provider API path after the provider"));
    }
    // Any escape, backslash, userinfo, port or scheme marker in the path is refused outright,
    // never decoded: the allowed paths are plain ASCII.
    if let Some(bad) = upstream
        .chars()
        .find(|c| matches!(c, '%' | '\\' | '@' | ':' | '?' | '#' | ';') || c.is_control() || !c.is_ascii())
    {
        return Err(Refusal::new(400, "bad_path", format!("The path contains a forbidden character {bad:?}")));
    }
    let segments: Vec<&str> = upstream.split('/').collect();
    if segments.iter().any(|s| s.is_empty() || *s == "." || *s == "..") {
        return Err(Refusal::new(400, "bad_path", "Empty or dot segments are not allowed in the path"));
    }
    let allowed_for_path: Vec<Method> =
        providers::routes_of(provider).iter().filter(|r| r.fits(&segments)).map(|r| r.method).collect();
    if allowed_for_path.is_empty() {
        return Err(Refusal::new(403, "path_not_allowed", "This path is not one Backboard uses"));
    }
    if !allowed_for_path.contains(&method) {
        return Err(Refusal::new(405, "method_not_allowed", format!("{method} is not allowed on this path")));
    }
    let query = raw_query.filter(|q| !q.is_empty());
    if let Some(q) = query {
        if !is_clean_query(q) {
            return Err(Refusal::new(400, "bad_query", "The query string contains forbidden characters"));
        }
    }
    let mut url = format!("{}/{}", base.trim_end_matches('/'), segments.join("/"));
    if let Some(q) = query {
        url.push('?');
        url.push_str(q);
    }
    Ok(url)
}

/// Whether `location` (of an upstream redirect) stays under `base`; others are not passed on.
pub fn redirect_stays_under(location: &str, base: &str) -> bool {
    let base = base.trim_end_matches('/');
    location.strip_prefix(base).is_some_and(|rest| rest.is_empty() || rest.starts_with('/') || rest.starts_with('?'))
        && !location.contains("..")
        && !location.contains('@')
}

/// Parses `ALLOWED_ORIGINS` (comma or space separated).
pub fn parse_origins(list: &str) -> Vec<String> {
    list.split([',', ' ', '\n']).map(|s| s.trim().trim_end_matches('/').to_string()).filter(|s| !s.is_empty()).collect()
}

/// The CORS grant for a request's Origin: only an exactly configured origin is echoed back
/// (one origin per response; browsers reject lists), never `*`.
pub fn granted_origin<'a>(origin: Option<&'a str>, allowed: &[String]) -> Option<&'a str> {
    let origin = origin?;
    allowed.iter().any(|a| a == origin).then_some(origin)
}

/// Request headers a preflight may ask for.
pub const ALLOW_REQUEST_HEADERS: &str = "Authorization, Content-Type, Accept, X-Access-Token";
/// Every method some route allows (PATCH for mittwald's updates, DELETE for deletes), plus OPTIONS.
pub const ALLOW_METHODS: &str = "GET, POST, PATCH, DELETE, OPTIONS";

/// Checks a preflight's Access-Control-Request-Method/-Headers against what the proxy allows:
/// a method is asked for in a preflight only if some route allows it.
pub fn preflight_ok(method: Option<&str>, headers: Option<&str>) -> bool {
    let method_ok = method.map(str::trim).is_some_and(|m| providers::routes().any(|(_, r)| r.method.as_str() == m));
    let headers_ok = headers
        .unwrap_or("")
        .split(',')
        .map(|h| h.trim().to_ascii_lowercase())
        .filter(|h| !h.is_empty())
        .all(|h| FORWARD_REQUEST_HEADERS.contains(&h.as_str()));
    method_ok && headers_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_of_urls() {
        assert_eq!(origin_of("http://127.0.0.1:8787"), Some("http://127.0.0.1:8787".into()));
        assert_eq!(origin_of("https://w.example.com/base?x#y"), Some("https://w.example.com".into()));
        assert_eq!(origin_of("https://a.example@evil.example/"), None);
        assert_eq!(origin_of("javascript://x.example/"), None);
        assert_eq!(origin_of("https://a.example;evil"), None);
        assert_eq!(origin_of(""), None);
    }

    fn base(p: Provider) -> String {
        match p {
            Provider::ServerAvatar => "http://127.0.0.1:8790/serveravatar".into(),
            _ => p.default_base().into(),
        }
    }

    /// An admitted request, as from the SPA's own origin.
    fn page() -> Admitted {
        admit(Some("http://127.0.0.1:8080"), &parse_origins("http://127.0.0.1:8080")).unwrap()
    }

    fn upstream(m: Method, path: &str, q: Option<&str>) -> Result<(Provider, String), Refusal> {
        upstream_url(page(), m, path, q, base)
    }

    fn ok(m: Method, path: &str, q: Option<&str>) -> String {
        upstream(m, path, q).unwrap().1
    }

    fn refused(m: Method, path: &str, q: Option<&str>) -> u16 {
        upstream(m, path, q).unwrap_err().status
    }

    #[test]
    fn only_the_deployments_pages_are_relayed() {
        let allowed = parse_origins("http://127.0.0.1:8080, https://backboard.example");
        assert!(admit(Some("http://127.0.0.1:8080"), &allowed).is_ok());
        assert!(admit(Some("https://backboard.example"), &allowed).is_ok());
        for origin in [
            None,
            Some(""),
            Some("null"),
            Some("https://evil.example"),
            Some("https://backboard.example.evil.example"),
            Some("https://backboard.example/"),
            Some("HTTPS://BACKBOARD.EXAMPLE"),
            Some("http://127.0.0.1:8081"),
        ] {
            let refusal = admit(origin, &allowed).unwrap_err();
            assert_eq!((refusal.status, refusal.code), (403, "origin_not_allowed"), "{origin:?}");
            let json: serde_json::Value = serde_json::from_str(&refusal.to_json()).unwrap();
            assert_eq!(json["proxyError"]["code"], "origin_not_allowed");
        }
        // No origins configured: nothing is relayed, not even a listed `null`.
        assert!(admit(Some("http://127.0.0.1:8080"), &[]).is_err());
        assert!(admit(Some("null"), &parse_origins("null")).is_err());
    }

    #[test]
    fn allowed_routes_map_under_their_base() {
        assert_eq!(
            ok(Method::Get, "/proxy/serveravatar/organizations/5/backups", Some("page=2")),
            "http://127.0.0.1:8790/serveravatar/organizations/5/backups?page=2"
        );
        assert_eq!(
            ok(Method::Post, "/proxy/serveravatar/organizations/5/servers/15/backups", None),
            "http://127.0.0.1:8790/serveravatar/organizations/5/servers/15/backups"
        );
        assert_eq!(
            ok(
                Method::Get,
                "/proxy/northflank/v1/backup-destinations/offsite-s3/backups",
                Some("per_page=100&cursor=c1")
            ),
            "https://api.northflank.com/v1/backup-destinations/offsite-s3/backups?per_page=100&cursor=c1"
        );
        assert_eq!(ok(Method::Get, "/proxy/mittwald/v2/projects/3f7c2a9e-1b4d-4c8e-9a2f-6d5e4c3b2a10/backups", Some("searchTerm=a%20b&limit=100")), "https://api.mittwald.de/v2/projects/3f7c2a9e-1b4d-4c8e-9a2f-6d5e4c3b2a10/backups?searchTerm=a%20b&limit=100");
    }

    #[test]
    fn tricks_are_refused() {
        for p in [
            "/proxy/serveravatar/organizations/../backups",
            "/proxy/serveravatar/organizations/%2e%2e/backups",
            "/proxy/serveravatar/organizations/%252e%252e/backups",
            "/proxy/serveravatar/organizations/5%2Fbackups",
            "/proxy/serveravatar/organizations\\5/backups",
            "/proxy/serveravatar/organizations/user@evil.com/backups",
            "/proxy/serveravatar/organizations/evil.com:80/backups",
            "/proxy/serveravatar//evil.com/backups",
            "/proxy/serveravatar/organizations/5/backups/",
            "/proxy/serveravatar/organizations/.hidden/backups",
            "/proxy/evil/organizations/5/backups",
            "/proxy/ServerAvatar/organizations/5/backups",
            "/proxy/serveravatar/users",
            "/proxy/serveravatar/organizations/5/backups/extra",
        ] {
            assert!(upstream(Method::Get, p, None).is_err(), "{p}");
        }
        let unknown = upstream(Method::Get, "/proxy/evil/organizations/5/backups", None).unwrap_err();
        assert_eq!(unknown.message, "Unknown provider; use serveravatar, northflank or mittwald");
        assert_eq!(refused(Method::Delete, "/proxy/serveravatar/organizations/5/backups", None), 405);
        assert_eq!(refused(Method::Get, "/proxy/serveravatar/organizations/5/backups", Some("a=<x>")), 400);
        assert_eq!(refused(Method::Get, "/proxy/serveravatar/organizations/5/backups", Some("a=%zz")), 400);
        assert_eq!(refused(Method::Get, "/proxy/serveravatar/organizations/5/backups", Some("a=%2")), 400);
    }

    /// Every method of the route table is granted to preflights, and no other.
    #[test]
    fn allow_methods_are_the_routes_methods() {
        for m in [Method::Get, Method::Post, Method::Put, Method::Patch, Method::Delete] {
            let used = providers::routes().any(|(_, r)| r.method == m);
            assert_eq!(ALLOW_METHODS.split(", ").any(|a| a == m.as_str()), used, "{m}");
        }
    }

    const NF_ADDON: &str = "/proxy/northflank/v1/projects/demo-project/addons/postgres-main";
    const NF_UP: &str = "https://api.northflank.com/v1/projects/demo-project/addons/postgres-main";

    #[test]
    fn northflank_backup_actions_are_allowed() {
        let cases = [
            (Method::Post, "/backups", None),
            (Method::Get, "/backups/backup-1", None),
            (Method::Delete, "/backups/backup-1", None),
            (Method::Post, "/backups/backup-1/abort", None),
            (Method::Post, "/backups/backup-1/restore", None),
            (Method::Post, "/backups/backup-1/restore", Some("sourceProjectId=p2&sourceAddonId=a2")),
            (Method::Get, "/backups/backup-1/download-link", None),
            (Method::Post, "/backup-schedules", None),
        ];
        for (m, rest, q) in cases {
            let expected = match q {
                Some(q) => format!("{NF_UP}{rest}?{q}"),
                None => format!("{NF_UP}{rest}"),
            };
            assert_eq!(ok(m, &format!("{NF_ADDON}{rest}"), q), expected, "{m} {rest}");
        }
    }

    #[test]
    fn northflank_backup_actions_allow_nothing_nearby() {
        let wrong_method = [
            (Method::Put, "/backups"),
            (Method::Delete, "/backups"),
            (Method::Post, "/backups/backup-1"),
            (Method::Put, "/backups/backup-1"),
            (Method::Patch, "/backups/backup-1"),
            (Method::Get, "/backups/backup-1/abort"),
            (Method::Delete, "/backups/backup-1/abort"),
            (Method::Get, "/backups/backup-1/restore"),
            (Method::Post, "/backups/backup-1/download-link"),
            (Method::Delete, "/backups/backup-1/download-link"),
            (Method::Get, "/backup-schedules"),
            (Method::Delete, "/backup-schedules"),
            // "abort" without a backup id reads as a backup id, whose POST is not a route.
            (Method::Post, "/backups/abort"),
        ];
        for (m, rest) in wrong_method {
            assert_eq!(refused(m, &format!("{NF_ADDON}{rest}"), None), 405, "{m} {rest}");
        }
        let wrong_path = [
            (Method::Post, "/backups/backup-1/abort/now"),
            (Method::Post, "/backups/backup-1/restores"),
            (Method::Get, "/backups/backup-1/download-link/x"),
            (Method::Get, "/backups/backup-1/download"),
            (Method::Delete, "/backups/backup-1/extra"),
            (Method::Post, "/backup-schedules/s1"),
            (Method::Delete, "/backup-schedules/s1"),
            (Method::Post, "/backup-schedule"),
            (Method::Post, ""),
            (Method::Delete, ""),
        ];
        for (m, rest) in wrong_path {
            assert_eq!(refused(m, &format!("{NF_ADDON}{rest}"), None), 403, "{m} {rest}");
        }
        // Missing segments, other providers, destination routes and the simulator's downloads.
        for (m, path) in [
            (Method::Delete, "/proxy/northflank/v1/projects/demo-project/addons/backups/backup-1"),
            (Method::Post, "/proxy/northflank/v1/projects/demo-project/backups/backup-1/abort"),
            (Method::Delete, "/proxy/northflank/v1/backup-destinations/offsite-s3/backups/b1"),
            (Method::Post, "/proxy/northflank/v1/backup-destinations/offsite-s3/backups"),
            (Method::Get, "/proxy/northflank/_downloads/dl1"),
            (Method::Delete, "/proxy/mittwald/v1/projects/p/addons/a/backups/b"),
            (Method::Delete, "/proxy/serveravatar/v1/projects/p/addons/a/backups/b"),
        ] {
            assert!(upstream(m, path, None).is_err(), "{m} {path}");
        }
        assert_eq!(refused(Method::Delete, &format!("{NF_ADDON}/backups/.."), None), 400);
        assert_eq!(refused(Method::Post, &format!("{NF_ADDON}/backups/a%2Fb/abort"), None), 400);
    }

    #[test]
    fn serveravatar_action_routes_are_allowed() {
        const SA: &str = "http://127.0.0.1:8790/serveravatar/organizations/5/backups";
        assert_eq!(
            ok(Method::Post, "/proxy/serveravatar/organizations/5/backups/destroy", None),
            format!("{SA}/destroy")
        );
        for part in ["filesystem", "database"] {
            assert_eq!(
                ok(Method::Get, &format!("/proxy/serveravatar/organizations/5/backups/14/{part}/download"), None),
                format!("{SA}/14/{part}/download")
            );
        }
        assert_eq!(
            ok(Method::Get, "/proxy/serveravatar/organizations/5/backups/deleted-server", None),
            format!("{SA}/deleted-server")
        );
        for kind in ["filesystem", "database", "application"] {
            assert_eq!(
                ok(Method::Get, &format!("/proxy/serveravatar/organizations/5/backups/archive/{kind}"), Some("page=2")),
                format!("{SA}/archive/{kind}?page=2")
            );
        }
    }

    #[test]
    fn serveravatar_action_routes_go_no_wider() {
        let sa = |rest: &str| format!("/proxy/serveravatar/organizations/5/backups{rest}");
        // Other methods on the new paths.
        for m in [Method::Get, Method::Put, Method::Patch, Method::Delete] {
            assert_eq!(refused(m, &sa("/destroy"), None), 405, "{m} destroy");
        }
        for path in [
            "/14/filesystem/download",
            "/14/database/download",
            "/deleted-server",
            "/archive/filesystem",
            "/archive/database",
            "/archive/application",
        ] {
            for m in [Method::Post, Method::Put, Method::Patch, Method::Delete] {
                assert_eq!(refused(m, &sa(path), None), 405, "{m} {path}");
            }
        }
        // Neighbours: missing or extra segments, other words, non-numeric backup ids.
        for path in [
            "/destroy/14",
            "/14/destroy",
            "/14",
            "/14/download",
            "/14/filesystem",
            "/14/application/download",
            "/14/filesystem/download/now",
            "/abc/filesystem/download",
            "/archive/filesystem/download",
            "/1-2/database/download",
            "/99999999999999999999/database/download",
            "/deleted-server/21",
            "/deleted-servers",
            "/archive",
            "/archive/servers",
            "/archive/filesystem/2",
            "/_files/14/filesystem/x.tar.gz",
        ] {
            for m in [Method::Get, Method::Post] {
                assert_eq!(refused(m, &sa(path), None), 403, "{m} {path}");
            }
        }
        assert_eq!(refused(Method::Post, "/proxy/serveravatar/organizations/5/destroy", None), 403);
        assert_eq!(refused(Method::Get, "/proxy/serveravatar/organizations/5/archive/database", None), 403);
        // The new paths belong to ServerAvatar only.
        assert_eq!(refused(Method::Post, "/proxy/northflank/organizations/5/backups/destroy", None), 403);
        assert_eq!(refused(Method::Get, "/proxy/mittwald/organizations/5/backups/deleted-server", None), 403);
    }

    /// Every mittwald action route: allowed with its method, refused with any other method,
    /// with a segment more or less, under another provider, or with a bad id.
    #[test]
    fn mittwald_action_routes_and_their_neighbours() {
        const B: &str = "0a3f2d8e-6c1b-4b7a-9d1e-2f4c5b6a7d8e";
        let routes: [(&str, &[Method]); 9] = [
            ("v2/projects/P/backups", &[Method::Get, Method::Post]),
            ("v2/project-backups/B", &[Method::Get, Method::Patch, Method::Delete]),
            ("v2/project-backups/B/export", &[Method::Post, Method::Delete]),
            ("v2/project-backups/B/restore", &[Method::Post]),
            ("v2/project-backups/B/database-dumps", &[Method::Get]),
            ("v2/project-backups/B/path", &[Method::Get]),
            ("v2/projects/P/backup-schedules", &[Method::Get, Method::Post]),
            ("v2/project-backup-schedules/B", &[Method::Get, Method::Patch, Method::Delete]),
            // The simulator's download URLs are served by it directly, never through the proxy.
            ("_downloads/B.tar", &[]),
        ];
        let all = [Method::Get, Method::Post, Method::Put, Method::Patch, Method::Delete];
        let expand = |r: &str| format!("/proxy/mittwald/{}", r.replace('P', "3f7c2a9e").replace('B', B));
        for (route, allowed) in routes {
            let path = expand(route);
            for m in all {
                if allowed.contains(&m) {
                    assert_eq!(ok(m, &path, None), format!("https://api.mittwald.de{}", &path[15..]), "{m} {path}");
                } else {
                    let status = refused(m, &path, None);
                    assert!(status == 405 || (allowed.is_empty() && status == 403), "{m} {path}: {status}");
                }
            }
            let shorter = path.rsplit_once('/').unwrap().0;
            for m in all {
                assert_eq!(refused(m, &format!("{path}/extra"), None), 403, "{m} {path}/extra");
                // One segment less is refused unless it is itself a listed route and method.
                let listed = routes.iter().any(|(r, ms)| ms.contains(&m) && shorter == expand(r));
                assert_eq!(upstream(m, shorter, None).is_ok(), listed, "{m} {shorter}");
            }
            let other = path.replace("/proxy/mittwald/", "/proxy/northflank/");
            assert!(upstream(allowed.first().copied().unwrap_or(Method::Get), &other, None).is_err());
            let bad_id = format!("/proxy/mittwald/{}", route.replace('P', "..").replace('B', "a%2Fb"));
            assert!(upstream(Method::Get, &bad_id, None).is_err(), "{bad_id}");
        }
        assert_eq!(
            ok(Method::Get, &format!("/proxy/mittwald/v2/project-backups/{B}/path"), Some("directory=%2Fhtml%2Fwp")),
            format!("https://api.mittwald.de/v2/project-backups/{B}/path?directory=%2Fhtml%2Fwp")
        );
        // Neighbours that are real mittwald routes but not Backboard's.
        for (m, p) in [
            (Method::Put, "v2/project-backups/B"),
            (Method::Get, "v2/project-backups"),
            (Method::Post, "v2/project-backups/B/restore-path"),
            (Method::Get, "v2/project-backups/B/export"),
            (Method::Get, "v2/projects/P"),
            (Method::Delete, "v2/projects/P"),
            (Method::Post, "v2/project-backup-schedules"),
            (Method::Get, "v2/backup-schedules/B"),
        ] {
            let path = expand(p);
            assert!(upstream(m, &path, None).is_err(), "{m} {path}");
        }
    }

    #[test]
    fn routes_render_ids_as_placeholders() {
        let all: Vec<(Provider, Method, String)> = routes().collect();
        assert_eq!(all.len(), crate::providers::routes().count());
        assert!(all.contains(&(Provider::Mittwald, Method::Patch, "/v2/project-backups/{}".into())));
        assert!(all.contains(&(
            Provider::ServerAvatar,
            Method::Get,
            "/organizations/{}/backups/{}/database/download".into()
        )));
    }

    #[test]
    fn cors_grants_only_the_matching_origin() {
        let allowed = parse_origins("http://127.0.0.1:8080, https://backboard.example");
        assert_eq!(granted_origin(Some("http://127.0.0.1:8080"), &allowed), Some("http://127.0.0.1:8080"));
        assert_eq!(granted_origin(Some("http://evil.example"), &allowed), None);
        assert_eq!(granted_origin(Some("null"), &allowed), None);
        assert_eq!(granted_origin(None, &allowed), None);
        assert!(preflight_ok(Some("GET"), Some("authorization, accept")));
        assert!(preflight_ok(Some("DELETE"), None), "Northflank and mittwald delete backups");
        assert!(preflight_ok(Some("PATCH"), None), "mittwald updates backups and schedules");
        assert!(!preflight_ok(Some("PUT"), None));
        assert!(!preflight_ok(Some("delete"), None), "methods are case-sensitive in preflights");
        assert!(!preflight_ok(Some("GET"), Some("cookie")));
    }

    #[test]
    fn redirects_stay_home() {
        assert!(redirect_stays_under("https://api.mittwald.de/v2/x", "https://api.mittwald.de"));
        assert!(!redirect_stays_under("https://api.mittwald.de.evil.com/x", "https://api.mittwald.de"));
        assert!(!redirect_stays_under("https://evil.com/", "https://api.mittwald.de"));
    }
}
