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
