//! The SPA's pages and their addresses. The address is the page's truth: `#/backups?status=failed`
//! opens the list filtered as it was. Routes live in the fragment, so the SPA works from any
//! static host and sub-path with no rewrite rules.

use crate::http::{decode_component, encode_component};
use crate::provider::Provider;

/// One screen of the SPA.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Page {
    /// One row per source, and whether everything is backed up.
    Overview,
    /// The list of every backup; its view (filters, sort, search) is the query.
    Backups,
    /// One source: its backups, health and the provider's tools.
    Source {
        provider: Provider,
        id: String,
    },
    Connections,
    Settings,
    /// Compliance evidence for a range of days and a set of sources, to print or export; the
    /// range and sources are the query (`crate::history::ReportQuery`).
    Report,
    /// A workspace's members, API keys and audit log (an admin's; in workspace mode only).
    Workspace,
    /// An address the SPA does not know, kept to say so.
    Unknown(String),
}

/// The attribute that marks `<body>` as still holding the build's pre-rendered first screen
/// (the shell); the app removes it, and the shell, in the task that mounts it.
pub const SHELL_ATTR: &str = "data-shell";

/// The attribute on `<html>` naming a button pressed in the shell before the app started (its
/// text); the app presses its own twin once it has taken over, so the press is not lost.
pub const PRESSED_ATTR: &str = "data-pressed";

/// The storage key under which the app lists the providers its connections need parts of
/// (slugs, comma-separated), for the page to fetch those parts beside the main module.
pub const PARTS_KEY: &str = "backboard.parts";

/// Every page the navigation offers, in its order.
pub const NAV: [Page; 5] = [Page::Overview, Page::Backups, Page::Report, Page::Connections, Page::Settings];

impl Page {
    /// The page and the query of a location's fragment (`#/backups?q=x` → Backups, `q=x`).
    pub fn parse(fragment: &str) -> (Page, String) {
        let f = fragment.trim_start_matches('#');
        let (path, query) = f.split_once('?').unwrap_or((f, ""));
        let segs: Vec<&str> = path.trim_matches('/').split('/').filter(|s| !s.is_empty()).collect();
        let page = match segs.as_slice() {
            [] | ["overview"] => Page::Overview,
            ["backups"] => Page::Backups,
            ["connections"] => Page::Connections,
            ["settings"] => Page::Settings,
            ["report"] => Page::Report,
            ["workspace"] => Page::Workspace,
            ["source", provider, id] => match Provider::from_slug(provider) {
                Some(provider) => Page::Source { provider, id: decode_component(id) },
                None => Page::Unknown(path.to_string()),
            },
            _ => Page::Unknown(path.to_string()),
        };
        (page, query.to_string())
    }

    /// The fragment that opens this page (`#/source/mittwald/p-1`).
    pub fn href(&self) -> String {
        match self {
            Page::Overview => "#/".into(),
            Page::Backups => "#/backups".into(),
            Page::Connections => "#/connections".into(),
            Page::Settings => "#/settings".into(),
            Page::Report => "#/report".into(),
            Page::Workspace => "#/workspace".into(),
            Page::Source { provider, id } => format!("#/source/{}/{}", provider.slug(), encode_component(id)),
            Page::Unknown(path) => format!("#/{}", path.trim_start_matches('/')),
        }
    }

    /// The fragment with a query (left out when empty).
    pub fn href_with(&self, query: &str) -> String {
        match query.trim_start_matches('?') {
            "" => self.href(),
            q => format!("{}?{q}", self.href()),
        }
    }

    /// The navigation's word for the page.
    pub fn label(&self) -> &'static str {
        match self {
            Page::Overview => "Overview",
            Page::Backups => "Backups",
            Page::Source { .. } => "Source",
            Page::Connections => "Connections",
            Page::Settings => "Settings",
            Page::Report => "Report",
            Page::Workspace => "Workspace",
            Page::Unknown(_) => "Not found",
        }
    }

    /// Which navigation entry is current on this page (a source belongs to the overview).
    pub fn section(&self) -> Option<Page> {
        match self {
            Page::Source { .. } => Some(Page::Overview),
            Page::Unknown(_) => None,
            other => Some(other.clone()),
        }
    }
}

/// Where an address from before the pages existed goes: the list's view was the page's query
/// (`?status=failed`), so a bookmark of it opens the Backups page with that view.
pub fn legacy_redirect(search: &str, fragment: &str) -> Option<String> {
    let query = search.trim_start_matches('?');
    let empty_fragment = fragment.trim_start_matches('#').is_empty();
    (empty_fragment && !query.is_empty()).then(|| Page::Backups.href_with(query))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_reads_back_from_its_address() {
        let pages = [
            Page::Overview,
            Page::Backups,
            Page::Connections,
            Page::Settings,
            Page::Report,
            Page::Workspace,
            Page::Source { provider: Provider::Mittwald, id: "p-1a2b".into() },
            Page::Source { provider: Provider::Northflank, id: "a b/c?d#e".into() },
        ];
        for page in pages {
            assert_eq!(Page::parse(&page.href()), (page.clone(), String::new()), "{}", page.href());
            assert_eq!(Page::parse(&page.href_with("q=x&dir=asc")), (page.clone(), "q=x&dir=asc".to_string()));
        }
    }

    #[test]
    fn empty_and_odd_addresses() {
        assert_eq!(Page::parse("").0, Page::Overview);
        assert_eq!(Page::parse("#").0, Page::Overview);
        assert_eq!(Page::parse("#/").0, Page::Overview);
        assert_eq!(Page::parse("#backups").0, Page::Backups);
        assert_eq!(Page::parse("#/backups/").0, Page::Backups);
        assert_eq!(Page::parse("#/nowhere").0, Page::Unknown("/nowhere".into()));
        assert_eq!(Page::parse("#/source/gitlab/x").0, Page::Unknown("/source/gitlab/x".into()));
        assert_eq!(Page::parse("#/source/mittwald").0, Page::Unknown("/source/mittwald".into()));
        assert_eq!(Page::Unknown("/nowhere".into()).href(), "#/nowhere");
    }

    #[test]
    fn the_navigation_marks_its_section() {
        let source = Page::Source { provider: Provider::ServerAvatar, id: "7".into() };
        assert_eq!(source.section(), Some(Page::Overview));
        assert_eq!(Page::Backups.section(), Some(Page::Backups));
        assert_eq!(Page::Unknown("x".into()).section(), None);
        assert_eq!(NAV.map(|p| p.label()), ["Overview", "Backups", "Report", "Connections", "Settings"]);
    }

    #[test]
    fn old_list_addresses_open_the_backups_page() {
        assert_eq!(legacy_redirect("?status=failed", ""), Some("#/backups?status=failed".into()));
        assert_eq!(legacy_redirect("?q=x", "#"), Some("#/backups?q=x".into()));
        assert_eq!(legacy_redirect("?q=x", "#/settings"), None);
        assert_eq!(legacy_redirect("", ""), None);
    }
}
