//! What the workspace proxy adds to a provider call and records about it: the connection's
//! credential header (the token, which the caller never holds), whether the call is an action
//! the audit log keeps, and the backup a call names.

use crate::http::Method;
use crate::providers;
pub use crate::providers::credential_header;
use crate::route::Seg;
use crate::workspace::Act;
use crate::Provider;

/// The request headers a caller may not set on a workspace call: the provider credentials,
/// which only the worker adds, and the caller's own (an API key is no provider token).
pub const CALLER_CREDENTIALS: &[&str] = &["authorization", "x-access-token"];

/// Whether a permitted call is an action the audit log records: every change (any method but
/// GET), and a download's GET, which hands out data; other reads are not recorded.
pub fn recorded(method: Method, act: Act) -> bool {
    method != Method::Get || act == Act::Download
}

/// The backup a provider call names: the id in the route's last id segment, for the acts on one
/// backup (not a listing, a new backup or a schedule, whose ids name other things).
pub fn backup_of(provider: Provider, method: Method, rest: &str) -> Option<String> {
    let route = providers::find_route(provider, method, rest)?;
    if matches!(route.act, Act::Read | Act::Create | Act::Schedule) {
        return None;
    }
    let path = rest.split_once('?').map_or(rest, |(p, _)| p).trim_start_matches('/');
    let segments: Vec<&str> = path.split('/').collect();
    let at = route.path.iter().rposition(|s| !matches!(s, Seg::Lit(_)))?;
    segments.get(at).map(|s| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitor::parse_source;
    use crate::providers::Account;

    fn account(json: &str) -> Account {
        parse_source(serde_json::from_str(json).unwrap()).unwrap().connection.account
    }

    #[test]
    fn each_provider_gets_its_token_as_its_client_sends_it() {
        let sa = account(r#"{"provider":"serveravatar","label":"a","token":"t-sa","organization":"5"}"#);
        assert_eq!(credential_header(&sa), ("authorization", "t-sa".to_string()));
        let mw = account(r#"{"provider":"mittwald","label":"a","token":"t-mw","projectId":"p-1"}"#);
        assert_eq!(credential_header(&mw), ("x-access-token", "t-mw".to_string()));
        for (name, _) in [credential_header(&sa), credential_header(&mw)] {
            assert!(CALLER_CREDENTIALS.contains(&name));
        }
    }

    #[test]
    fn changes_and_downloads_are_recorded_reads_are_not() {
        assert!(recorded(Method::Post, Act::Create));
        assert!(recorded(Method::Delete, Act::Delete));
        assert!(recorded(Method::Patch, Act::Members));
        assert!(recorded(Method::Get, Act::Download));
        assert!(!recorded(Method::Get, Act::Read));
        assert!(!recorded(Method::Get, Act::Audit));
    }

    #[test]
    fn the_backup_is_the_one_acted_on() {
        let mw = Provider::Mittwald;
        assert_eq!(backup_of(mw, Method::Delete, "v2/project-backups/b-1").as_deref(), Some("b-1"));
        assert_eq!(backup_of(mw, Method::Get, "v2/project-backups/b-1"), None);
        assert_eq!(backup_of(mw, Method::Post, "v2/projects/p-1/backups"), None);
        assert_eq!(backup_of(mw, Method::Get, "v2/users"), None);
    }
}
