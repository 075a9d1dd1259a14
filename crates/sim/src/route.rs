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
