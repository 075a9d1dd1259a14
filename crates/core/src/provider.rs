//! Which providers Backboard knows, and the facts every layer needs about each one, in one
//! table. A leaf: it imports nothing from the crate, so any module may use it.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    ServerAvatar,
    Northflank,
    Mittwald,
}

/// What Backboard needs to know about a provider before speaking to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Facts {
    /// The lowercase name used in URLs, configuration and JSON: the proxy's `/proxy/{slug}/`,
    /// the simulator's mount prefix `/{slug}` and the edge API's `provider=` filter.
    pub slug: &'static str,
    /// The name as the provider writes it.
    pub name: &'static str,
    /// The real API base; the request builders' paths are relative to it.
    pub default_base: &'static str,
    /// The worker's variable that points the proxy and the cron at another base.
    pub base_var: &'static str,
}

/// One row per provider, in [`Provider::ALL`] order (a test checks the order).
const FACTS: [Facts; 3] = [
    Facts {
        slug: "serveravatar",
        name: "ServerAvatar",
        default_base: "https://api.serveravatar.com",
        base_var: "SERVERAVATAR_BASE",
    },
    Facts {
        slug: "northflank",
        name: "Northflank",
        default_base: "https://api.northflank.com",
        base_var: "NORTHFLANK_BASE",
    },
    Facts { slug: "mittwald", name: "mittwald", default_base: "https://api.mittwald.de", base_var: "MITTWALD_BASE" },
];

impl Provider {
    pub const ALL: [Provider; 3] = [Provider::ServerAvatar, Provider::Northflank, Provider::Mittwald];

    pub fn facts(self) -> &'static Facts {
        &FACTS[self as usize]
    }

    pub fn slug(self) -> &'static str {
        self.facts().slug
    }

    pub fn name(self) -> &'static str {
        self.facts().name
    }

    pub fn default_base(self) -> &'static str {
        self.facts().default_base
    }

    pub fn base_var(self) -> &'static str {
        self.facts().base_var
    }

    /// Case-insensitive, like the query filters that use it.
    pub fn from_slug(s: &str) -> Option<Self> {
        Provider::ALL.into_iter().find(|p| p.slug().eq_ignore_ascii_case(s))
    }
}

impl std::fmt::Display for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_round_trip_and_match_serde() {
        for p in Provider::ALL {
            assert_eq!(Provider::from_slug(p.slug()), Some(p));
            assert_eq!(serde_json::to_value(p).unwrap(), p.slug());
        }
        assert_eq!(Provider::from_slug("aws"), None);
    }

    #[test]
    fn the_table_is_in_enum_order_and_the_bases_are_https() {
        for (i, p) in Provider::ALL.into_iter().enumerate() {
            assert_eq!(p as usize, i);
            assert!(p.default_base().starts_with("https://"), "{p}");
            assert_eq!(p.base_var(), format!("{}_BASE", p.slug().to_ascii_uppercase()));
        }
    }
}
