//! The sealing keys, read from the worker secret `BACKBOARD_SEAL_KEYS`: the current key seals,
//! the older ones still open what they sealed until [`Keyring::rotate`] has resealed it.
//!
//! Format: comma-separated `kid:key` entries, the first one current. A kid is 1 to 32 ASCII
//! letters, digits, `-` or `_`; a key is 32 random bytes in standard base64 with padding, as
//! `openssl rand -base64 32` prints it. Example: `k2:<44 chars>,k1:<44 chars>`.

use std::fmt;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

/// Bytes in a key (AES-256).
pub const KEY_BYTES: usize = 32;
/// Longest key id.
pub const MAX_KID: usize = 32;

/// One key and its id. Its bytes never show in Debug output or in an error.
#[derive(Clone, PartialEq, Eq)]
pub struct SealKey {
    kid: String,
    bytes: [u8; KEY_BYTES],
}

impl SealKey {
    pub fn new(kid: &str, bytes: [u8; KEY_BYTES]) -> Result<Self, KeyringError> {
        check_kid(kid)?;
        Ok(Self { kid: kid.to_string(), bytes })
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    pub(super) fn bytes(&self) -> &[u8; KEY_BYTES] {
        &self.bytes
    }

    /// The entry for `BACKBOARD_SEAL_KEYS`: `kid:base64`. For the command that makes a key.
    pub fn to_entry(&self) -> String {
        format!("{}:{}", self.kid, STANDARD.encode(self.bytes))
    }
}

impl fmt::Debug for SealKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SealKey({}, ***)", self.kid)
    }
}

/// Why the secret could not be read. Never carries key material.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyringError {
    Empty,
    /// Entry n (1-based) has no `:` between kid and key.
    NoColon(usize),
    BadKid(String),
    /// Entry n's key is not standard base64.
    NotBase64(usize),
    /// Entry n's key decodes to this many bytes, not 32.
    WrongLength(usize, usize),
    DuplicateKid(String),
}

impl fmt::Display for KeyringError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyringError::Empty => f.write_str("BACKBOARD_SEAL_KEYS is empty; set it to kid:<openssl rand -base64 32>"),
            KeyringError::NoColon(n) => write!(f, "BACKBOARD_SEAL_KEYS entry {n} is not kid:key"),
            KeyringError::BadKid(kid) => {
                write!(f, "BACKBOARD_SEAL_KEYS key id {kid:?} must be 1 to {MAX_KID} ASCII letters, digits, '-' or '_'")
            }
            KeyringError::NotBase64(n) => write!(f, "BACKBOARD_SEAL_KEYS entry {n}: the key is not standard base64"),
            KeyringError::WrongLength(n, len) => {
                write!(f, "BACKBOARD_SEAL_KEYS entry {n}: the key is {len} bytes; it must be {KEY_BYTES}")
            }
            KeyringError::DuplicateKid(kid) => write!(f, "BACKBOARD_SEAL_KEYS names key id {kid:?} twice"),
        }
    }
}

fn check_kid(kid: &str) -> Result<(), KeyringError> {
    let ok = !kid.is_empty()
        && kid.len() <= MAX_KID
        && kid.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        // A kid this malformed may be a pasted key: show only its shape.
        let shown = if kid.len() <= MAX_KID { kid.to_string() } else { format!("{} characters", kid.len()) };
        Err(KeyringError::BadKid(shown))
    }
}

/// The current key and the older ones, each kid once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keyring {
    keys: Vec<SealKey>,
}

impl Keyring {
    /// The current key first, then the older ones.
    pub fn new(current: SealKey, older: Vec<SealKey>) -> Result<Self, KeyringError> {
        let keys: Vec<SealKey> = std::iter::once(current).chain(older).collect();
        for (i, k) in keys.iter().enumerate() {
            if keys[..i].iter().any(|o| o.kid == k.kid) {
                return Err(KeyringError::DuplicateKid(k.kid.clone()));
            }
        }
        Ok(Self { keys })
    }

    /// Reads `BACKBOARD_SEAL_KEYS` (see the module's doc).
    pub fn parse(secret: &str) -> Result<Self, KeyringError> {
        let mut keys = Vec::new();
        for (i, entry) in secret.split(',').map(str::trim).enumerate() {
            let n = i + 1;
            if entry.is_empty() {
                continue;
            }
            let (kid, key) = entry.split_once(':').ok_or(KeyringError::NoColon(n))?;
            let kid = kid.trim();
            check_kid(kid)?;
            let bytes = STANDARD.decode(key.trim()).map_err(|_| KeyringError::NotBase64(n))?;
            let bytes: [u8; KEY_BYTES] =
                bytes.as_slice().try_into().map_err(|_| KeyringError::WrongLength(n, bytes.len()))?;
            keys.push(SealKey { kid: kid.to_string(), bytes });
        }
        let mut keys = keys.into_iter();
        let current = keys.next().ok_or(KeyringError::Empty)?;
        Self::new(current, keys.collect())
    }

    /// The key that seals.
    pub fn current(&self) -> &SealKey {
        &self.keys[0]
    }

    /// The key with this id, current or older.
    pub fn get(&self, kid: &str) -> Option<&SealKey> {
        self.keys.iter().find(|k| k.kid == kid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(fill: u8, len: usize) -> String {
        STANDARD.encode(vec![fill; len])
    }

    #[test]
    fn the_first_entry_is_current() {
        let ring = Keyring::parse(&format!(" k2:{} , k1:{}", b64(2, 32), b64(1, 32))).unwrap();
        assert_eq!(ring.current().kid(), "k2");
        assert_eq!(ring.get("k1").map(|k| k.bytes()[0]), Some(1));
        assert!(ring.get("k3").is_none());
        let key = SealKey::new("k9", [9; 32]).unwrap();
        assert_eq!(Keyring::parse(&key.to_entry()).unwrap().current(), &key);
    }

    #[test]
    fn bad_secrets_say_what_is_wrong_without_the_key() {
        let key = b64(7, 32);
        let cases = [
            ("".to_string(), KeyringError::Empty),
            (" , ".to_string(), KeyringError::Empty),
            (key.clone(), KeyringError::NoColon(1)),
            (format!("k1:{key},{key}"), KeyringError::NoColon(2)),
            (format!("k.1:{key}"), KeyringError::BadKid("k.1".into())),
            (format!(":{key}"), KeyringError::BadKid("".into())),
            ("k1:not base64!".to_string(), KeyringError::NotBase64(1)),
            (format!("k1:{}", b64(7, 16)), KeyringError::WrongLength(1, 16)),
            (format!("k1:{key},k1:{}", b64(8, 32)), KeyringError::DuplicateKid("k1".into())),
        ];
        for (secret, expected) in cases {
            let err = Keyring::parse(&secret).unwrap_err();
            assert_eq!(err, expected, "{secret:?}");
            assert!(!err.to_string().contains(&key), "{err}");
        }
        // A key pasted where the kid goes is not echoed.
        let long = format!("{}{}:{key}", b64(1, 32), b64(1, 32));
        assert!(!Keyring::parse(&long).unwrap_err().to_string().contains(&b64(1, 32)));
    }

    #[test]
    fn debug_hides_the_key() {
        let ring = Keyring::parse(&format!("k1:{}", b64(0xab, 32))).unwrap();
        let shown = format!("{ring:?}");
        assert!(shown.contains("k1") && !shown.contains("171") && !shown.contains(&b64(0xab, 32)), "{shown}");
    }
}
