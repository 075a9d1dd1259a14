//! The edge API's routes: each path with the methods it answers and its handler, and the one
//! function that picks a route for a request. A path segment `{key}` matches one non-empty
//! segment, handed to the handler percent-decoded.

use futures::future::{FutureExt, LocalBoxFuture};
use worker::{Response, Result};

use super::{backups, backups_health, compliance, health, history, source_settings, Call};

pub type Handler = fn(Call) -> LocalBoxFuture<'static, Result<Response>>;

pub struct Route {
    pub path: &'static str,
    /// The methods it answers, in the order `Allow` lists them.
    pub methods: &'static [&'static str],
    pub handler: Handler,
}

impl Route {
    /// The `Allow` header of a 405 on this route.
    pub fn allow(&self) -> String {
        self.methods.join(", ")
    }
}

/// Reads: HEAD answers what GET does, without the body.
const READ: &[&str] = &["GET", "HEAD"];

pub const ROUTES: &[Route] = &[
    Route { path: "/api/v1/health", methods: READ, handler: |call| health::get(call).boxed_local() },
    Route { path: "/api/v1/backups", methods: READ, handler: |call| backups::get(call).boxed_local() },
    Route { path: "/api/v1/backups/health", methods: READ, handler: |call| backups_health::get(call).boxed_local() },
    Route { path: "/api/v1/sources/{key}/history", methods: READ, handler: |call| history::get(call).boxed_local() },
    Route { path: "/api/v1/compliance", methods: READ, handler: |call| compliance::get(call).boxed_local() },
    Route {
        path: "/api/v1/sources/{key}/settings",
        methods: &["GET", "HEAD", "PUT"],
        handler: |call| source_settings::settings(call).boxed_local(),
    },
    Route {
        path: "/api/v1/sources/{key}/snooze",
        methods: &["PUT", "DELETE"],
        handler: |call| source_settings::snooze(call).boxed_local(),
    },
];

/// The `{key}` segment's name in a route's path.
const KEY: &str = "{key}";

/// Whether `path` is the route's: None if not, else the `{key}` segment's raw text (empty when
/// the route has none).
fn matches<'a>(pattern: &str, path: &'a str) -> Option<&'a str> {
    let (mut p, mut q) = (pattern.split('/'), path.split('/'));
    let mut key = "";
    loop {
        match (p.next(), q.next()) {
            (None, None) => return Some(key),
            (Some(KEY), Some(segment)) if !segment.is_empty() => key = segment,
            (Some(a), Some(b)) if a == b => {}
            _ => return None,
        }
    }
}

pub enum Decision {
    /// The route, and its `{key}` segment as sent (empty when it has none).
    Serve(&'static Route, String),
    /// The path is a route, the method is not one of its.
    WrongMethod(&'static Route),
    NotFound,
}

/// The route for a request: paths match exactly, methods as the runtime spells them (it
/// upper-cases the standard ones).
pub fn decide(method: &str, path: &str) -> Decision {
    match ROUTES.iter().find_map(|r| matches(r.path, path).map(|key| (r, key))) {
        None => Decision::NotFound,
        Some((route, key)) if route.methods.contains(&method) => Decision::Serve(route, key.to_string()),
        Some((route, _)) => Decision::WrongMethod(route),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn served(method: &str, path: &str) -> Option<&'static str> {
        match decide(method, path) {
            Decision::Serve(r, _) => Some(r.path),
            _ => None,
        }
    }

    #[test]
    fn every_route_answers_get_and_head() {
        for path in ["/api/v1/health", "/api/v1/backups", "/api/v1/backups/health", "/api/v1/compliance"] {
            assert_eq!(served("GET", path), Some(path));
            assert_eq!(served("HEAD", path), Some(path));
        }
        let history = "/api/v1/sources/{key}/history";
        for method in ["GET", "HEAD"] {
            assert_eq!(served(method, "/api/v1/sources/mittwald:project:p-1/history"), Some(history));
        }
    }

    #[test]
    fn the_key_segment_is_handed_over_as_sent() {
        match decide("GET", "/api/v1/sources/serveravatar%3Aorganization%3A5/history") {
            Decision::Serve(r, key) => {
                assert_eq!((r.path, key.as_str()), (ROUTES[3].path, "serveravatar%3Aorganization%3A5"))
            }
            _ => panic!("not served"),
        }
        match decide("GET", "/api/v1/health") {
            Decision::Serve(_, key) => assert_eq!(key, ""),
            _ => panic!("not served"),
        }
    }

    #[test]
    fn other_methods_are_refused_with_the_allowed_ones() {
        for path in [
            "/api/v1/health",
            "/api/v1/backups",
            "/api/v1/backups/health",
            "/api/v1/compliance",
            "/api/v1/sources/k/history",
        ] {
            for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "get", "CONNECT"] {
                match decide(method, path) {
                    Decision::WrongMethod(r) => assert_eq!(r.allow(), "GET, HEAD", "{path}"),
                    _ => panic!("{method} {path} is not refused"),
                }
            }
        }
    }

    #[test]
    fn unknown_paths_are_not_found_whatever_the_method() {
        for path in [
            "/",
            "/api/v1",
            "/api/v1/",
            "/api/v1/backups/",
            "/api/v1/backup",
            "/API/v1/backups",
            "/api/v2/backups",
            "/api/v1/sources//history",
            "/api/v1/sources/a/b/history",
            "/api/v1/sources/a/history/",
            "/api/v1/sources/a",
            "/api/v1/compliance/",
        ] {
            for method in ["GET", "POST"] {
                assert!(matches!(decide(method, path), Decision::NotFound), "{method} {path}");
            }
        }
    }

    #[test]
    fn settings_are_read_and_written_and_snoozes_set_and_ended() {
        for method in ["GET", "HEAD", "PUT"] {
            assert_eq!(served(method, "/api/v1/sources/k/settings"), Some("/api/v1/sources/{key}/settings"));
        }
        for method in ["PUT", "DELETE"] {
            assert_eq!(served(method, "/api/v1/sources/k/snooze"), Some("/api/v1/sources/{key}/snooze"));
        }
        match decide("POST", "/api/v1/sources/k/settings") {
            Decision::WrongMethod(r) => assert_eq!(r.allow(), "GET, HEAD, PUT"),
            _ => panic!("POST settings is not refused"),
        }
        match decide("GET", "/api/v1/sources/k/snooze") {
            Decision::WrongMethod(r) => assert_eq!(r.allow(), "PUT, DELETE"),
            _ => panic!("GET snooze is not refused"),
        }
    }

    #[test]
    fn every_route_and_method_has_its_act_in_the_workspace_table() {
        use backboard_core::http::Method;
        use backboard_core::workspace::routes::{classify, Call};
        for r in ROUTES {
            // HEAD is decided as the GET it mirrors.
            for m in r.methods.iter().filter(|m| **m != "HEAD") {
                let method = Method::parse(m).unwrap_or_else(|| panic!("{m} is not a method"));
                let path = r.path.replace(KEY, "k1");
                assert!(matches!(classify(method, &path), Call::Route(_)), "{m} {} is not in EDGE_ROUTES", r.path);
            }
        }
    }

    #[test]
    fn paths_are_unique() {
        for (i, r) in ROUTES.iter().enumerate() {
            assert!(ROUTES[i + 1..].iter().all(|o| o.path != r.path), "{} twice", r.path);
        }
    }
}
