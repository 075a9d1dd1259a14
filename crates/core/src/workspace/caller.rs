//! Who is calling, and the answer to a call before anything is done: which credential the
//! request carries, the caller it proves, 401/403/404 or go, and the audit entry it leaves.

use time::OffsetDateTime;

use super::apikey;
use super::audit::{Entry, Outcome, Via};
use super::role::{Act, Role};

/// The credential a request carries. Access's assertion wins: a browser behind Access always
/// has one, and a script's API key is only looked at without it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Credential<'a> {
    Access(&'a str),
    Key(&'a str),
    None,
}

/// Reads the `Cf-Access-Jwt-Assertion` and `Authorization` headers.
pub fn credential<'a>(assertion: Option<&'a str>, authorization: Option<&'a str>) -> Credential<'a> {
    match (assertion.map(str::trim).filter(|a| !a.is_empty()), apikey::from_authorization(authorization)) {
        (Some(jwt), _) => Credential::Access(jwt),
        (None, Some(key)) => Credential::Key(key),
        (None, None) => Credential::None,
    }
}

/// Proof that a caller may make a call: [`super::routes::provider_upstream`] takes one, so no
/// provider call leaves the workspace without [`Caller::decide`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Permit(());

/// A caller once their credential is checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    /// The email (the key's owner for a key); empty when nobody is proven.
    pub who: String,
    pub via: Via,
    /// The API key's id.
    pub key: Option<String>,
    /// None: proven, but not a member (or nobody proven).
    pub role: Option<Role>,
}

impl Caller {
    pub fn anonymous() -> Self {
        Self { who: String::new(), via: Via::Anonymous, key: None, role: None }
    }

    /// Signed in through Access, with the role the members give the email.
    pub fn access(email: &str, role: Option<Role>) -> Self {
        Self { who: email.to_string(), via: Via::Access, key: None, role }
    }

    /// A valid, unrevoked key: its owner and its own role.
    pub fn key(key: &apikey::ApiKey) -> Self {
        Self { who: key.owner.clone(), via: Via::Key, key: Some(key.id.clone()), role: Some(key.role) }
    }

    /// Go, or the status to refuse with: 404 for a request that is no route (whoever asks), 401
    /// when nobody is proven, 403 when the caller is no member or their role falls short. The
    /// answer's body says no more than the status.
    pub fn decide(&self, act: Option<Act>) -> Result<Permit, u16> {
        let act = act.ok_or(404u16)?;
        match self.role {
            _ if self.via == Via::Anonymous => Err(401),
            Some(role) if role.may(act) => Ok(Permit(())),
            _ => Err(403),
        }
    }

    /// The audit entry of one action by this caller.
    pub fn entry(
        &self,
        action: String,
        connection: Option<&str>,
        backup: Option<&str>,
        outcome: Outcome,
        at: OffsetDateTime,
    ) -> Entry {
        Entry {
            at,
            who: self.who.clone(),
            via: self.via,
            key: self.key.clone(),
            role: self.role,
            connection: connection.map(str::to_string),
            backup: backup.map(str::to_string),
            action,
            outcome,
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn the_assertion_wins_over_a_key() {
        let key = "bbk_0123456789abcdef_".to_string() + &"ab".repeat(32);
        let bearer = format!("Bearer {key}");
        assert_eq!(credential(Some("a.b.c"), Some(&bearer)), Credential::Access("a.b.c"));
        assert_eq!(credential(Some(" "), Some(&bearer)), Credential::Key(&key));
        assert_eq!(credential(None, Some("Bearer demo-api-key")), Credential::None);
        assert_eq!(credential(None, None), Credential::None);
    }

    #[test]
    fn refusals_say_only_their_status() {
        let viewer = Caller::access("bo@example.com", Some(Role::Viewer));
        assert!(viewer.decide(Some(Act::Read)).is_ok());
        assert_eq!(viewer.decide(Some(Act::Create)), Err(403));
        assert_eq!(viewer.decide(None), Err(404));
        assert_eq!(Caller::access("eve@example.com", None).decide(Some(Act::Read)), Err(403));
        assert_eq!(Caller::anonymous().decide(Some(Act::Read)), Err(401));
        assert_eq!(Caller::anonymous().decide(None), Err(404));
        let (key, _) = apikey::generate([3; apikey::RANDOM_BYTES], Role::Operator, "ci@example.com", "", NOW);
        let script = Caller::key(&key);
        assert!(script.decide(Some(Act::Create)).is_ok());
        assert_eq!(script.decide(Some(Act::Delete)), Err(403));
    }

    const NOW: OffsetDateTime = datetime!(2026-12-01 10:00 UTC);

    #[test]
    fn entries_name_the_caller_and_the_call() {
        let (key, _) = apikey::generate([3; apikey::RANDOM_BYTES], Role::Operator, "ci@example.com", "", NOW);
        let e = Caller::key(&key).entry("mittwald.create_backup".into(), Some("c-1"), None, Outcome::Ok(201), NOW);
        assert_eq!((e.who.as_str(), e.via, e.key.as_deref()), ("ci@example.com", Via::Key, Some(key.id.as_str())));
        assert_eq!((e.role, e.connection.as_deref(), e.backup), (Some(Role::Operator), Some("c-1"), None));
    }
}
