//! A route: one call Backboard makes to a provider, as a method and a path pattern under the
//! provider's base, declared once beside the builder that makes it. The builders fill the
//! pattern, the proxy allows exactly the declared routes, and a simulator can route by them.

use std::fmt;

use crate::http::{encode_component, Method, Request};
pub use crate::workspace::Act;

/// One segment of a route's path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seg {
    Lit(&'static str),
    /// An id: letters, digits, `-`, `_`, `.` (not a dot segment), at most 128 bytes.
    Id,
    /// A numeric id (ServerAvatar's backup ids): digits only, so no word such as `archive` fits.
    Num,
}

impl Seg {
    /// Whether one received path segment (still percent-encoded) fits.
    pub fn fits(self, seg: &str) -> bool {
        match self {
            Seg::Lit(l) => l == seg,
            Seg::Id => is_id(seg),
            Seg::Num => seg.len() <= 19 && !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()),
        }
    }
}

fn is_id(seg: &str) -> bool {
    !seg.is_empty()
        && seg.len() <= 128
        && seg != "."
        && seg != ".."
        && !seg.starts_with('.')
        && seg.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// The name of a route, unique within its provider (`export_backup`).
pub type RouteName = &'static str;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Route {
    pub name: RouteName,
    pub method: Method,
    pub path: &'static [Seg],
    /// What the call does, which decides the least role that may make it.
    pub act: Act,
}

impl Route {
    pub const fn new(name: RouteName, method: Method, path: &'static [Seg], act: Act) -> Self {
        Self { name, method, path, act }
    }

    /// `{base}/{path}`, the id segments filled from `ids` in order, each escaped alone.
    pub fn url(&self, base: &str, ids: &[&str]) -> String {
        debug_assert_eq!(ids.len(), self.path.iter().filter(|s| !matches!(s, Seg::Lit(_))).count(), "{self}");
        let mut url = base.trim_end_matches('/').to_string();
        let mut ids = ids.iter();
        for seg in self.path {
            url.push('/');
            match seg {
                Seg::Lit(l) => url.push_str(l),
                Seg::Id | Seg::Num => url.push_str(&encode_component(ids.next().copied().unwrap_or(""))),
            }
        }
        url
    }

    /// The request to this route, without headers.
    pub fn request(&self, base: &str, ids: &[&str]) -> Request {
        Request::new(self.method, self.url(base, ids))
    }

    /// [`Route::request`] with a query (`""` or `?a=b`, as `http::build_query` makes it).
    pub fn request_with_query(&self, base: &str, ids: &[&str], query: &str) -> Request {
        Request::new(self.method, self.url(base, ids) + query)
    }

    /// Whether a path's segments (below the base, still percent-encoded) fit the pattern.
    pub fn fits(&self, segments: &[&str]) -> bool {
        self.path.len() == segments.len() && self.path.iter().zip(segments).all(|(pat, seg)| pat.fits(seg))
    }
}

/// `POST v2/project-backups/{id}/export`
impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ", self.method)?;
        for (i, seg) in self.path.iter().enumerate() {
            if i > 0 {
                f.write_str("/")?;
            }
            match seg {
                Seg::Lit(l) => f.write_str(l)?,
                Seg::Id => f.write_str("{id}")?,
                Seg::Num => f.write_str("{number}")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::Seg::{Id, Lit, Num};
    use super::*;

    const EXPORT: Route =
        Route::new("export", Method::Post, &[Lit("v2"), Lit("project-backups"), Id, Lit("export")], Act::Export);

    #[test]
    fn urls_fill_and_escape_the_ids() {
        assert_eq!(EXPORT.url("https://api.example/", &["a b"]), "https://api.example/v2/project-backups/a%20b/export");
        assert_eq!(EXPORT.to_string(), "POST v2/project-backups/{id}/export");
        let r = EXPORT.request_with_query("/proxy/mittwald", &["b1"], "?x=1");
        assert_eq!((r.method, r.url.as_str()), (Method::Post, "/proxy/mittwald/v2/project-backups/b1/export?x=1"));
    }

    #[test]
    fn segments_fit_their_kind() {
        assert!(EXPORT.fits(&["v2", "project-backups", "b-1.x_2", "export"]));
        assert!(!EXPORT.fits(&["v2", "project-backups", "..", "export"]));
        assert!(!EXPORT.fits(&["v2", "project-backups", "b1"]));
        assert!(Num.fits("14") && !Num.fits("archive") && !Num.fits("99999999999999999999"));
        assert!(!Id.fits("") && !Id.fits(".hidden") && !Id.fits(&"a".repeat(129)));
    }
}
