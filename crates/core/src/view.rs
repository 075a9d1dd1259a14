//! What the list shows: sort, filters and text search over normalized backups, as pure
//! functions, and their round trip through a URL query string (so a view can be bookmarked;
//! nothing secret is ever part of it).

use std::cmp::Ordering;

use crate::http::{build_query, parse_query};
use crate::model::{Backup, Status};
use crate::provider::Provider;
use crate::search::SearchIndex;

/// The columns the list can be sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SortKey {
    Provider,
    Source,
    Name,
    Status,
    Contents,
    Size,
    #[default]
    Created,
    Completed,
    Expires,
}

impl SortKey {
    pub const ALL: [SortKey; 9] = [
        SortKey::Provider,
        SortKey::Source,
        SortKey::Name,
        SortKey::Status,
        SortKey::Contents,
        SortKey::Size,
        SortKey::Created,
        SortKey::Completed,
        SortKey::Expires,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SortKey::Provider => "provider",
            SortKey::Source => "source",
            SortKey::Name => "name",
            SortKey::Status => "status",
            SortKey::Contents => "contents",
            SortKey::Size => "size",
            SortKey::Created => "created",
            SortKey::Completed => "completed",
            SortKey::Expires => "expires",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SortKey::Provider => "Provider",
            SortKey::Source => "Source",
            SortKey::Name => "Name",
            SortKey::Status => "Status",
            SortKey::Contents => "Contents",
            SortKey::Size => "Size",
            SortKey::Created => "Created",
            SortKey::Completed => "Completed",
            SortKey::Expires => "Expires",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        SortKey::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Newest or biggest first is what people want when they first click a date or size.
    pub fn default_descending(self) -> bool {
        matches!(self, SortKey::Size | SortKey::Created | SortKey::Completed | SortKey::Expires)
    }
}

/// One view of the list: what the URL query carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct View {
    pub sort: SortKey,
    pub descending: bool,
    pub provider: Option<Provider>,
    /// A source id (exact).
    pub source: Option<String>,
    pub status: Option<Status>,
    /// Free text, matched case-insensitively against name, id, source and raw status.
    pub search: String,
}

impl Default for View {
    fn default() -> Self {
        Self {
            sort: SortKey::Created,
            descending: true,
            provider: None,
            source: None,
            status: None,
            search: String::new(),
        }
    }
}

impl View {
    /// Reads `sort`, `dir`, `provider`, `source`, `status`, `q`; unknown or bad values are ignored.
    pub fn from_query(query: &str) -> Self {
        let mut v = View::default();
        let mut dir = None;
        for (k, value) in parse_query(query.trim_start_matches('?')) {
            match k.as_str() {
                "sort" => {
                    if let Some(s) = SortKey::parse(&value) {
                        v.sort = s;
                    }
                }
                "dir" => dir = Some(value == "desc"),
                "provider" => v.provider = Provider::from_slug(&value),
                "source" if !value.is_empty() => v.source = Some(value),
                "status" => v.status = Status::parse(&value),
                "q" => v.search = value,
                _ => {}
            }
        }
        v.descending = dir.unwrap_or(v.sort.default_descending());
        v
    }

    /// The query string of this view, empty for the default view; only non-default parts.
    pub fn to_query(&self) -> String {
        let default = View::default();
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if self.sort != default.sort {
            pairs.push(("sort", self.sort.as_str().into()));
        }
        if self.descending != self.sort.default_descending() {
            pairs.push(("dir", if self.descending { "desc" } else { "asc" }.into()));
        }
        if let Some(p) = self.provider {
            pairs.push(("provider", p.slug().into()));
        }
        if let Some(s) = &self.source {
            pairs.push(("source", s.clone()));
        }
        if let Some(s) = self.status {
            pairs.push(("status", s.as_str().into()));
        }
        if !self.search.is_empty() {
            pairs.push(("q", self.search.clone()));
        }
        build_query(&pairs)
    }

    /// The view with no filters and no search, its order kept; `keep_source` keeps the
    /// provider and source (a source's page lists only that source).
    pub fn cleared(&self, keep_source: bool) -> View {
        let (provider, source) = if keep_source { (self.provider, self.source.clone()) } else { (None, None) };
        View { sort: self.sort, descending: self.descending, provider, source, ..View::default() }
    }

    /// Clicking a column: the same column flips direction, another starts in its natural one.
    pub fn sorted_by(&self, key: SortKey) -> View {
        let descending = if key == self.sort { !self.descending } else { key.default_descending() };
        View { sort: key, descending, ..self.clone() }
    }
}

/// Whether a backup has no value in the column (such rows go last in either direction).
fn missing(key: SortKey, b: &Backup) -> bool {
    match key {
        SortKey::Size => b.size_bytes.is_none(),
        SortKey::Created => b.created.is_none(),
        SortKey::Completed => b.completed.is_none(),
        SortKey::Expires => b.expires.is_none(),
        _ => false,
    }
}

fn cmp_by(key: SortKey, a: &Backup, b: &Backup) -> Ordering {
    match key {
        SortKey::Provider => a.provider.slug().cmp(b.provider.slug()),
        // Text columns are compared through their precomputed keys in `sorted_indices`.
        SortKey::Source | SortKey::Name | SortKey::Contents => Ordering::Equal,
        SortKey::Status => a.status.as_str().cmp(b.status.as_str()),
        SortKey::Size => a.size_bytes.cmp(&b.size_bytes),
        SortKey::Created => a.created.cmp(&b.created),
        SortKey::Completed => a.completed.cmp(&b.completed),
        SortKey::Expires => a.expires.cmp(&b.expires),
    }
}

/// The order of `backups` under `sort`/`descending`, as indices. Stable: ties keep the
/// provider's order; rows without a value in the column come last either way. Compute once
/// per list and sort; filters then only walk it.
pub fn sorted_indices(backups: &[Backup], sort: SortKey, descending: bool) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..backups.len()).collect();
    // Text columns: lower-case each value once, not once per comparison (10,000 rows).
    let text: Vec<String> = match sort {
        SortKey::Name => backups.iter().map(|b| b.name.to_lowercase()).collect(),
        SortKey::Source => backups.iter().map(|b| b.source.label.to_lowercase()).collect(),
        SortKey::Contents => backups.iter().map(|b| b.contents.describe()).collect(),
        _ => Vec::new(),
    };
    idx.sort_by(|&i, &j| {
        let (a, b) = (&backups[i], &backups[j]);
        missing(sort, a).cmp(&missing(sort, b)).then_with(|| {
            let o = if text.is_empty() { cmp_by(sort, a, b) } else { text[i].cmp(&text[j]) };
            if descending {
                o.reverse()
            } else {
                o
            }
        })
    });
    idx
}

impl View {
    /// Whether a backup passes the filters (the search is `SearchIndex`'s part).
    pub fn matches(&self, b: &Backup) -> bool {
        self.provider.is_none_or(|p| p == b.provider)
            && self.source.as_ref().is_none_or(|s| *s == b.source.id)
            && self.status.is_none_or(|s| s == b.status)
    }

    /// The rows to show: `order` (from `sorted_indices`) filtered by this view; `index` is
    /// built from the same `backups`.
    pub fn apply(&self, backups: &[Backup], index: &SearchIndex, order: &[usize]) -> Vec<usize> {
        let mut search = index.search(&self.search);
        // With no provider, source or status chosen, the backups themselves need no look.
        let filtered = self.provider.is_some() || self.source.is_some() || self.status.is_some();
        let mut rows = Vec::with_capacity(order.len());
        rows.extend(
            order
                .iter()
                .copied()
                .filter(|&i| (!filtered || backups.get(i).is_some_and(|b| self.matches(b))) && search.matches(i)),
        );
        rows
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::{Contents, Source};
    use crate::providers::Details;
    use time::macros::datetime;

    fn backup(provider: Provider, id: &str, name: &str, status: Status, size: Option<u64>) -> Backup {
        Backup {
            provider,
            source: Source {
                kind: "project".into(),
                id: format!("src-{}", provider.slug()),
                label: provider.name().into(),
            },
            id: id.into(),
            name: name.into(),
            status,
            status_raw: format!("Raw{status:?}"),
            created: size.map(|s| datetime!(2026-01-01 0:00 UTC) + time::Duration::hours(s as i64)),
            completed: None,
            expires: None,
            size_bytes: size,
            contents: Contents::default(),
            link: None,
            details: minimal_details(id),
        }
    }

    /// A record with only what the provider always sends, for tests of the common fields.
    pub(crate) fn minimal_details(id: &str) -> Details {
        Details::Mittwald(
            serde_json::from_value(serde_json::json!({
                "deletable": true, "id": id, "projectId": "p", "status": "Completed",
                "description": null, "export": null, "parentId": null, "restore": null, "restorePath": null
            }))
            .expect("a minimal mittwald record"),
        )
    }

    fn sample() -> Vec<Backup> {
        vec![
            backup(Provider::Mittwald, "m1", "Shop nightly", Status::Completed, Some(30)),
            backup(Provider::ServerAvatar, "s1", "wordpress + db", Status::Failed, Some(10)),
            backup(Provider::Northflank, "n1", "postgres snapshot", Status::Running, None),
            backup(Provider::ServerAvatar, "s2", "Shop weekly", Status::Completed, Some(20)),
        ]
    }

    fn ids(backups: &[Backup], rows: &[usize]) -> Vec<String> {
        rows.iter().map(|&i| backups[i].id.clone()).collect()
    }

    #[test]
    fn the_query_round_trips_and_ignores_junk() {
        let v = View {
            sort: SortKey::Name,
            descending: true,
            provider: Some(Provider::Northflank),
            source: Some("demo-project/postgres-main".into()),
            status: Some(Status::Failed),
            search: "nightly & <b>ü".into(),
        };
        let q = v.to_query();
        assert_eq!(View::from_query(&q), v);
        assert_eq!(View::from_query(&format!("?{q}")), v);
        assert_eq!(View::default().to_query(), "");
        assert_eq!(
            View::from_query("sort=evil&provider=github&status=x&dir=sideways&token=abc"),
            View { descending: false, ..View::default() }
        );
        assert!(!View::from_query("token=abc").to_query().contains("abc"));
    }

    #[test]
    fn sorting_every_column_both_ways_with_missing_values_last() {
        let list = sample();
        assert_eq!(ids(&list, &sorted_indices(&list, SortKey::Size, false)), ["s1", "s2", "m1", "n1"]);
        assert_eq!(ids(&list, &sorted_indices(&list, SortKey::Size, true)), ["m1", "s2", "s1", "n1"]);
        assert_eq!(ids(&list, &sorted_indices(&list, SortKey::Name, false)), ["n1", "m1", "s2", "s1"]);
        assert_eq!(ids(&list, &sorted_indices(&list, SortKey::Provider, false)), ["m1", "n1", "s1", "s2"]);
        for key in SortKey::ALL {
            let up = sorted_indices(&list, key, false);
            assert_eq!(up.len(), list.len(), "{key:?}");
        }
        let v = View::default().sorted_by(SortKey::Name);
        assert_eq!((v.sort, v.descending), (SortKey::Name, false));
        assert!(v.sorted_by(SortKey::Name).descending);
        assert!(v.sorted_by(SortKey::Size).descending);
    }

    #[test]
    fn filters_and_words_of_the_search_all_apply() {
        let list = sample();
        let index = SearchIndex::new(&list);
        let order = sorted_indices(&list, SortKey::Created, true);
        let rows = |v: View| ids(&list, &v.apply(&list, &index, &order));
        assert_eq!(rows(View::default()), ["m1", "s2", "s1", "n1"]);
        assert_eq!(rows(View { search: "SHOP".into(), ..View::default() }), ["m1", "s2"]);
        assert_eq!(rows(View { search: "shop  weekly".into(), ..View::default() }), ["s2"]);
        assert_eq!(rows(View { provider: Some(Provider::ServerAvatar), ..View::default() }), ["s2", "s1"]);
        assert_eq!(rows(View { status: Some(Status::Completed), ..View::default() }), ["m1", "s2"]);
        assert_eq!(rows(View { source: Some("src-northflank".into()), ..View::default() }), ["n1"]);
        assert_eq!(rows(View { search: "rawfailed".into(), ..View::default() }), ["s1"]);
        assert!(rows(View { search: "nothing like it".into(), ..View::default() }).is_empty());
    }

    #[test]
    fn clearing_keeps_the_order_and_on_a_source_page_the_source() {
        let v = View {
            sort: SortKey::Size,
            descending: false,
            provider: Some(Provider::Mittwald),
            source: Some("p-1".into()),
            status: Some(Status::Failed),
            search: "nightly".into(),
        };
        let all = v.cleared(false);
        assert_eq!((all.sort, all.descending, all.provider, all.source.clone()), (SortKey::Size, false, None, None));
        assert_eq!((all.status, all.search.as_str()), (None, ""));
        let mine = v.cleared(true);
        assert_eq!((mine.provider, mine.source.as_deref(), mine.status), (Some(Provider::Mittwald), Some("p-1"), None));
    }
}
