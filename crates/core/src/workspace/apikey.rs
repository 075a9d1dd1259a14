//! Personal API keys for scripts: `bbk_<id>_<secret>`, each with a role. Only the key's SHA-256
//! is stored; the plain key is returned once, by [`generate`], and never again: a lost key is
//! revoked and replaced.

use std::fmt;

use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use super::role::Role;
use crate::edge::constant_time_eq;

/// Every key starts so: easy to spot in a leaked file, and for secret scanners.
pub const PREFIX: &str = "bbk_";
/// Random bytes in the id (stored in clear, the row's key) and in the secret.
pub const ID_BYTES: usize = 8;
pub const SECRET_BYTES: usize = 32;
/// The randomness [`generate`] takes.
pub const RANDOM_BYTES: usize = ID_BYTES + SECRET_BYTES;

/// A stored key: never the key itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiKey {
    /// 16 lowercase hex digits, as in the key.
    pub id: String,
    /// SHA-256 of the whole key, 64 lowercase hex digits.
    pub hash: String,
    pub role: Role,
    /// Who made it (a member's email), and what for.
    pub owner: String,
    pub label: String,
    pub created_at: OffsetDateTime,
    pub revoked_at: Option<OffsetDateTime>,
}

/// The plain key, for the one answer that creates it. Hidden in Debug output.
#[derive(Clone, PartialEq, Eq)]
pub struct PlainKey(String);

impl PlainKey {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PlainKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PlainKey(***)")
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn hash(key: &str) -> String {
    hex(&Sha256::digest(key.as_bytes()))
}

/// A new key from `random` (the worker's `crypto.getRandomValues`): the row to store, and the
/// plain key to show once.
pub fn generate(
    random: [u8; RANDOM_BYTES],
    role: Role,
    owner: &str,
    label: &str,
    now: OffsetDateTime,
) -> (ApiKey, PlainKey) {
    let id = hex(&random[..ID_BYTES]);
    let plain = format!("{PREFIX}{id}_{}", hex(&random[ID_BYTES..]));
    let key = ApiKey {
        id,
        hash: hash(&plain),
        role,
        owner: owner.to_string(),
        label: label.trim().to_string(),
        created_at: now,
        revoked_at: None,
    };
    (key, PlainKey(plain))
}

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The id of a presented key (to find its row), if it has the form of one.
pub fn id_of(presented: &str) -> Option<&str> {
    let rest = presented.strip_prefix(PREFIX)?;
    let (id, secret) = rest.split_once('_')?;
    (is_hex(id, 2 * ID_BYTES) && is_hex(secret, 2 * SECRET_BYTES)).then_some(id)
}

/// The key in `Authorization: Bearer bbk_...`, if the header carries one.
pub fn from_authorization(header: Option<&str>) -> Option<&str> {
    header?.strip_prefix("Bearer ").map(str::trim).filter(|k| k.starts_with(PREFIX))
}

/// Why a key was refused: for the log; the caller gets a bare 401.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    Malformed,
    /// No row with the key's id.
    Unknown,
    /// A row with that id, but another key.
    Mismatch,
    Revoked,
}

/// The role a presented key carries, checked against its row (`None` when no row has its id).
/// The hashes are compared in constant time.
pub fn check(presented: &str, stored: Option<&ApiKey>, now: OffsetDateTime) -> Result<Role, Refused> {
    let id = id_of(presented).ok_or(Refused::Malformed)?;
    let key = stored.filter(|k| k.id == id).ok_or(Refused::Unknown)?;
    if !constant_time_eq(hash(presented).as_bytes(), key.hash.as_bytes()) {
        return Err(Refused::Mismatch);
    }
    match key.revoked_at {
        Some(at) if at <= now => Err(Refused::Revoked),
        _ => Ok(key.role),
    }
}

/// Revokes a key from `now` on; revoking again keeps the first time.
pub fn revoke(key: &mut ApiKey, now: OffsetDateTime) {
    key.revoked_at.get_or_insert(now);
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    const NOW: OffsetDateTime = datetime!(2026-12-01 10:00 UTC);

    fn random(fill: u8) -> [u8; RANDOM_BYTES] {
        let mut r = [fill; RANDOM_BYTES];
        r[0] = 0xa5;
        r[ID_BYTES] = 0x5a;
        r
    }

    #[test]
    fn a_key_is_shown_once_and_stored_as_its_hash() {
        let (row, plain) = generate(random(1), Role::Operator, "ana@example.com", " nightly ", NOW);
        let key = plain.expose();
        assert_eq!(key.len(), PREFIX.len() + 2 * ID_BYTES + 1 + 2 * SECRET_BYTES);
        assert!(key.starts_with("bbk_a501010101010101_5a01"), "{key}");
        assert_eq!(row.id, "a501010101010101");
        assert_eq!(row.hash.len(), 64);
        assert!(!row.hash.contains(&key[21..]) && !format!("{row:?}").contains(&key[21..]));
        assert_eq!(format!("{plain:?}"), "PlainKey(***)");
        assert_eq!(row.label, "nightly");
        assert_eq!(check(key, Some(&row), NOW), Ok(Role::Operator));
    }

    #[test]
    fn the_hash_is_sha256_of_the_whole_key() {
        assert_eq!(hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn other_keys_are_refused() {
        let (row, plain) = generate(random(1), Role::Admin, "a@x", "", NOW);
        let (other, other_plain) = generate(random(2), Role::Admin, "a@x", "", NOW);
        // Another secret under the same id.
        let forged = format!("{}{}", &plain.expose()[..22], &other_plain.expose()[22..]);
        assert_eq!(id_of(&forged), Some(row.id.as_str()));
        assert_eq!(check(&forged, Some(&row), NOW), Err(Refused::Mismatch));
        assert_eq!(check(plain.expose(), None, NOW), Err(Refused::Unknown));
        assert_eq!(check(plain.expose(), Some(&other), NOW), Err(Refused::Unknown));
        for bad in ["", "bbk_", "bbk_a5_5a", &plain.expose().to_uppercase(), &format!("{} ", plain.expose())] {
            assert_eq!(check(bad, Some(&row), NOW), Err(Refused::Malformed), "{bad:?}");
        }
    }

    #[test]
    fn a_revoked_key_is_refused_from_then_on() {
        let (mut row, plain) = generate(random(3), Role::Viewer, "a@x", "", NOW);
        let later = NOW + time::Duration::hours(1);
        revoke(&mut row, later);
        revoke(&mut row, later + time::Duration::hours(1));
        assert_eq!(row.revoked_at, Some(later));
        assert_eq!(check(plain.expose(), Some(&row), NOW), Ok(Role::Viewer));
        assert_eq!(check(plain.expose(), Some(&row), later), Err(Refused::Revoked));
    }

    #[test]
    fn keys_come_from_the_bearer_header() {
        let (_, plain) = generate(random(4), Role::Viewer, "a@x", "", NOW);
        let header = format!("Bearer {}", plain.expose());
        assert_eq!(from_authorization(Some(&header)), Some(plain.expose()));
        assert_eq!(from_authorization(Some("Bearer demo-api-key")), None);
        assert_eq!(from_authorization(Some(plain.expose())), None);
        assert_eq!(from_authorization(None), None);
    }
}
