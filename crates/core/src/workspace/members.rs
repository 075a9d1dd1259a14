//! Members, known by the email Access asserts, each with a role; the changes an admin may make,
//! which never leave the workspace without an admin; and the first admins, named by the
//! deployer in `BACKBOARD_ADMINS` before anyone is a member.

use super::role::Role;

/// One row of `members` ([`super::schema::MEMBERS`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub id: String,
    /// Lower-cased, as [`parse_email`] makes it.
    pub email: String,
    pub role: Role,
    /// Unix milliseconds.
    pub added_at: i64,
    pub added_by: String,
}

/// An email as members are known by it: trimmed, lower-cased, one `@` with something on
/// either side, no spaces or control characters, at most 254 bytes.
pub fn parse_email(s: &str) -> Result<String, String> {
    let email = s.trim().to_ascii_lowercase();
    let ok = email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, ',' | '"' | '<' | '>'))
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && !domain.is_empty() && !domain.contains('@') && !domain.starts_with('.')
        });
    if ok {
        Ok(email)
    } else {
        Err(format!("{:?} is not an email address", s.trim()))
    }
}

/// Reads `BACKBOARD_ADMINS`: comma-separated emails who are admins whatever the table says, so
/// the first admin can sign in and add the others. Unset: none.
pub fn bootstrap_admins(setting: Option<&str>) -> Result<Vec<String>, String> {
    setting
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| parse_email(s).map_err(|e| format!("BACKBOARD_ADMINS: {e}")))
        .collect()
}

/// The role of whoever signed in as `email`: admin if the deployer named them, else their
/// member row's, else none (not a member: refused).
pub fn role_of(email: &str, members: &[Member], admins: &[String]) -> Option<Role> {
    let email = parse_email(email).ok()?;
    if admins.contains(&email) {
        return Some(Role::Admin);
    }
    members.iter().find(|m| m.email == email).map(|m| m.role)
}

/// What an admin does to the members.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    Add { email: String, role: Role },
    SetRole { id: String, role: Role },
    Remove { id: String },
}

/// Checks a change against the current members: no email twice, no unknown id, and at least
/// one admin left (counting the deployer's `admins` as admins).
pub fn check(members: &[Member], admins: &[String], change: &Change) -> Result<(), String> {
    let find = |id: &str| members.iter().find(|m| m.id == id).ok_or_else(|| format!("no member {id:?}"));
    let after: Vec<(String, Role)> = match change {
        Change::Add { email, role } => {
            let email = parse_email(email)?;
            if members.iter().any(|m| m.email == email) {
                return Err(format!("{email} is a member already"));
            }
            members.iter().map(|m| (m.email.clone(), m.role)).chain([(email, *role)]).collect()
        }
        Change::SetRole { id, role } => {
            find(id)?;
            members.iter().map(|m| (m.email.clone(), if m.id == *id { *role } else { m.role })).collect()
        }
        Change::Remove { id } => {
            find(id)?;
            members.iter().filter(|m| m.id != *id).map(|m| (m.email.clone(), m.role)).collect()
        }
    };
    let admin_left = !admins.is_empty() || after.iter().any(|(_, r)| *r == Role::Admin);
    if admin_left {
        Ok(())
    } else {
        Err("the workspace would have no admin left; make another member admin first".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(id: &str, email: &str, role: Role) -> Member {
        Member { id: id.into(), email: email.into(), role, added_at: 0, added_by: "x".into() }
    }

    fn team() -> Vec<Member> {
        vec![member("m1", "ana@example.com", Role::Admin), member("m2", "bo@example.com", Role::Viewer)]
    }

    #[test]
    fn emails_are_normalized_and_checked() {
        assert_eq!(parse_email("  Ana@Example.COM "), Ok("ana@example.com".into()));
        for bad in ["", "ana", "@example.com", "ana@", "a b@example.com", "a@b@c", "a@.x", "\"a\"@x", "a,b@x"] {
            assert!(parse_email(bad).is_err(), "{bad:?}");
        }
        assert!(parse_email(&format!("{}@x.example", "a".repeat(250))).is_err());
    }

    #[test]
    fn roles_come_from_the_row_or_the_deployer() {
        let admins = bootstrap_admins(Some(" Boss@Example.com , ")).unwrap();
        assert_eq!(admins, ["boss@example.com"]);
        assert_eq!(role_of("BO@example.com", &team(), &admins), Some(Role::Viewer));
        assert_eq!(role_of("boss@example.com", &team(), &admins), Some(Role::Admin));
        assert_eq!(role_of("eve@example.com", &team(), &admins), None);
        assert_eq!(role_of("not an email", &team(), &admins), None);
        assert!(bootstrap_admins(Some("boss")).unwrap_err().starts_with("BACKBOARD_ADMINS"));
        assert_eq!(bootstrap_admins(None), Ok(vec![]));
    }

    #[test]
    fn the_last_admin_stays() {
        let none: &[String] = &[];
        let demote = Change::SetRole { id: "m1".into(), role: Role::Operator };
        assert!(check(&team(), none, &demote).unwrap_err().contains("no admin left"));
        assert!(check(&team(), none, &Change::Remove { id: "m1".into() }).is_err());
        // With a second admin, or a deployer's admin, it may go.
        let mut two = team();
        two[1].role = Role::Admin;
        assert_eq!(check(&two, none, &demote), Ok(()));
        assert_eq!(check(&team(), &["boss@example.com".into()], &demote), Ok(()));
        assert_eq!(check(&team(), none, &Change::Remove { id: "m2".into() }), Ok(()));
    }

    #[test]
    fn adds_and_changes_name_real_members() {
        let none: &[String] = &[];
        let add = |email: &str| Change::Add { email: email.into(), role: Role::Operator };
        assert_eq!(check(&team(), none, &add("cy@example.com")), Ok(()));
        assert!(check(&team(), none, &add("ANA@example.com")).unwrap_err().contains("member already"));
        assert!(check(&team(), none, &add("cy")).is_err());
        assert!(check(&team(), none, &Change::Remove { id: "m9".into() }).unwrap_err().contains("no member"));
        // The very first member must be an admin unless the deployer named one.
        assert!(check(&[], none, &add("cy@example.com")).is_err());
        assert_eq!(check(&[], none, &Change::Add { email: "cy@example.com".into(), role: Role::Admin }), Ok(()));
    }
}
