//! Which of the core's declared routes a request below a provider's mount takes, so each
//! simulator serves exactly the calls Backboard makes.

use backboard_core::http::Method;
use backboard_core::provider::Provider;
use backboard_core::providers::{match_route, routes_of};
use backboard_core::route::{RouteName, Seg};

/// The route `method` and `path` (the segments below the mount) take, with the path's ids in order.
pub(crate) fn routed<'a>(provider: Provider, method: Method, path: &[&'a str]) -> Option<(RouteName, Vec<&'a str>)> {
    let name = match_route(provider, method, &path.join("/"))?;
    let route = routes_of(provider).iter().find(|r| r.name == name && r.method == method)?;
    let ids = route.path.iter().zip(path).filter(|(seg, _)| !matches!(seg, Seg::Lit(_))).map(|(_, id)| *id).collect();
    Some((name, ids))
}

/// [`routed`], or else the route whose literal segments the path has, whatever its ids: a
/// call with an id Backboard would never send (`+5`, `archive`) still meets the handler's own
/// checks (an unknown organization, a missing backup) instead of a bare 404.
pub(crate) fn routed_or_shaped<'a>(
    provider: Provider,
    method: Method,
    path: &[&'a str],
) -> Option<(RouteName, Vec<&'a str>)> {
    routed(provider, method, path).or_else(|| {
        let route = routes_of(provider).iter().find(|r| {
            r.method == method
                && r.path.len() == path.len()
                && r.path.iter().zip(path).all(|(seg, s)| !matches!(seg, Seg::Lit(l) if l != s))
        })?;
        let ids =
            route.path.iter().zip(path).filter(|(seg, _)| !matches!(seg, Seg::Lit(_))).map(|(_, id)| *id).collect();
        Some((route.name, ids))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every declared route, its ids filled with `id`, as segments below the mount.
    fn each_route(id: &str, mut check: impl FnMut(Provider, &backboard_core::route::Route, &[&str])) {
        for provider in Provider::ALL {
            for route in routes_of(provider) {
                let ids = vec![id; route.path.iter().filter(|s| !matches!(s, Seg::Lit(_))).count()];
                let url = route.url("", &ids);
                let path: Vec<&str> = url.split('/').filter(|s| !s.is_empty()).collect();
                check(provider, route, &path);
            }
        }
    }

    #[test]
    fn every_declared_route_is_routed_with_its_ids() {
        each_route("7", |provider, route, path| {
            let ids = vec!["7"; route.path.iter().filter(|s| !matches!(s, Seg::Lit(_))).count()];
            assert_eq!(routed(provider, route.method, path), Some((route.name, ids)), "{provider}: {route}");
        });
    }

    #[test]
    fn ids_the_core_never_sends_are_routed_by_shape_alone() {
        each_route(".7", |provider, route, path| {
            assert_eq!(routed(provider, route.method, path), None, "{provider}: {route}");
            let (name, ids) = routed_or_shaped(provider, route.method, path).expect("shaped");
            assert_eq!(name, route.name, "{provider}: {route}");
            assert!(ids.iter().all(|id| *id == ".7"));
        });
    }
}
