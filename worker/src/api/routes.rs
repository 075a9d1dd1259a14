//! The edge API's routes: each path with the methods it answers and its handler, and the one
//! function that picks a route for a request.

use futures::future::{FutureExt, LocalBoxFuture};
use worker::{Response, Result};

use super::{backups, backups_health, health, Call};

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
];

pub enum Decision {
    Serve(&'static Route),
    /// The path is a route, the method is not one of its.
    WrongMethod(&'static Route),
    NotFound,
}

/// The route for a request: paths match exactly, methods as the runtime spells them (it
/// upper-cases the standard ones).
pub fn decide(method: &str, path: &str) -> Decision {
    match ROUTES.iter().find(|r| r.path == path) {
        None => Decision::NotFound,
        Some(route) if route.methods.contains(&method) => Decision::Serve(route),
        Some(route) => Decision::WrongMethod(route),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn served(method: &str, path: &str) -> Option<&'static str> {
        match decide(method, path) {
            Decision::Serve(r) => Some(r.path),
            _ => None,
        }
    }

    #[test]
    fn every_route_answers_get_and_head() {
        for path in ["/api/v1/health", "/api/v1/backups", "/api/v1/backups/health"] {
            assert_eq!(served("GET", path), Some(path));
            assert_eq!(served("HEAD", path), Some(path));
        }
    }

    #[test]
    fn other_methods_are_refused_with_the_allowed_ones() {
        for path in ["/api/v1/health", "/api/v1/backups", "/api/v1/backups/health"] {
            for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "get", "CONNECT"] {
                match decide(method, path) {
                    Decision::WrongMethod(r) => assert_eq!((r.path, r.allow().as_str()), (path, "GET, HEAD")),
                    _ => panic!("{method} {path} is not refused"),
                }
            }
        }
    }

    #[test]
    fn unknown_paths_are_not_found_whatever_the_method() {
        for path in
            ["/", "/api/v1", "/api/v1/", "/api/v1/backups/", "/api/v1/backup", "/API/v1/backups", "/api/v2/backups"]
        {
            for method in ["GET", "POST"] {
                assert!(matches!(decide(method, path), Decision::NotFound), "{method} {path}");
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
