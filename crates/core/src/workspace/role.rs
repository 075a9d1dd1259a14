//! Who may do what: a member's [`Role`], what a route does ([`Act`], declared with the route),
//! and the one decision between them. Anything not declared is refused.

use std::fmt;

/// A member's role. Each includes everything the one before it may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Lists, details, health and the list's exports.
    Viewer,
    /// A viewer who also creates, aborts, exports and downloads backups and sets schedules.
    Operator,
    /// An operator who also deletes and restores, and manages connections, members and keys.
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Viewer, Role::Operator, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Operator => "operator",
            Role::Admin => "admin",
        }
    }

    /// Exactly `viewer`, `operator` or `admin`, as stored and as the API takes it.
    pub fn parse(s: &str) -> Result<Role, String> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| format!("unknown role {s:?}; use viewer, operator or admin"))
    }

    /// Whether this role may do `act`.
    pub fn may(self, act: Act) -> bool {
        self >= act.least()
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a route does, declared beside the route itself. Every act has one least role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Act {
    /// Lists, details, health, schedules as read, the list's exports (JSON, CSV).
    Read,
    /// Create a backup.
    Create,
    /// Abort a backup still being made (the counterpart of creating one).
    Abort,
    /// Have the provider make an export (a downloadable archive) of a backup.
    Export,
    /// Fetch a download link or archive.
    Download,
    /// Create or change a backup schedule.
    Schedule,
    /// Change a backup's description or expiry: a shorter expiry deletes it sooner, so it is
    /// an admin's, like deleting.
    Retain,
    /// Remove anything: a backup, an export, a schedule.
    Delete,
    /// Restore a backup over live data.
    Restore,
    /// Add, change or remove the workspace's connections.
    Connections,
    /// Add, change or remove members and their roles.
    Members,
    /// List, create or revoke API keys.
    Keys,
    /// Read or export the audit log.
    Audit,
}

impl Act {
    pub const ALL: [Act; 13] = [
        Act::Read,
        Act::Create,
        Act::Abort,
        Act::Export,
        Act::Download,
        Act::Schedule,
        Act::Retain,
        Act::Delete,
        Act::Restore,
        Act::Connections,
        Act::Members,
        Act::Keys,
        Act::Audit,
    ];

    /// The least role that may do it.
    pub const fn least(self) -> Role {
        match self {
            Act::Read => Role::Viewer,
            Act::Create | Act::Abort | Act::Export | Act::Download | Act::Schedule => Role::Operator,
            Act::Retain | Act::Delete | Act::Restore | Act::Connections | Act::Members | Act::Keys | Act::Audit => {
                Role::Admin
            }
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Act::Read => "read",
            Act::Create => "create",
            Act::Abort => "abort",
            Act::Export => "export",
            Act::Download => "download",
            Act::Schedule => "schedule",
            Act::Retain => "retain",
            Act::Delete => "delete",
            Act::Restore => "restore",
            Act::Connections => "connections",
            Act::Members => "members",
            Act::Keys => "keys",
            Act::Audit => "audit",
        }
    }
}

/// The decision for a caller: no role (not a member, no key) or no act (not a declared route)
/// is a refusal.
pub fn permitted(role: Option<Role>, act: Option<Act>) -> bool {
    matches!((role, act), (Some(role), Some(act)) if role.may(act))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_exactly() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Ok(r));
        }
        for bad in ["Admin", " admin", "owner", ""] {
            assert!(Role::parse(bad).unwrap_err().contains("viewer, operator or admin"), "{bad:?}");
        }
    }

    /// Every act × every role, written out: V, O, A for who may.
    #[test]
    fn acts_by_role() {
        let expected = [
            (Act::Read, "VOA"),
            (Act::Create, "-OA"),
            (Act::Abort, "-OA"),
            (Act::Export, "-OA"),
            (Act::Download, "-OA"),
            (Act::Schedule, "-OA"),
            (Act::Retain, "--A"),
            (Act::Delete, "--A"),
            (Act::Restore, "--A"),
            (Act::Connections, "--A"),
            (Act::Members, "--A"),
            (Act::Keys, "--A"),
            (Act::Audit, "--A"),
        ];
        assert_eq!(expected.len(), Act::ALL.len());
        for (act, who) in expected {
            let got: String =
                Role::ALL.iter().zip("VOA".chars()).map(|(r, c)| if r.may(act) { c } else { '-' }).collect();
            assert_eq!(got, who, "{}", act.as_str());
        }
    }

    #[test]
    fn nobody_and_nothing_are_refused() {
        assert!(!permitted(None, Some(Act::Read)));
        assert!(!permitted(Some(Role::Admin), None));
        assert!(permitted(Some(Role::Viewer), Some(Act::Read)));
        assert!(!permitted(Some(Role::Operator), Some(Act::Delete)));
    }
}
