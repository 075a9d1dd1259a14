//! Connections kept on a device, sealed under a passphrase: what is stored, its version and its
//! parameters, and what a stored value turns out to be. The browser derives the key
//! (PBKDF2-SHA-256) and seals (AES-256-GCM) with WebCrypto and draws the salt and nonce; this
//! decides what is written and refuses what it cannot trust.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::Connection;

/// The format written today.
pub const VERSION: u32 = 1;
/// PBKDF2-SHA-256 iterations for a new store, and the fewest a stored one may name (fewer would
/// let a copied store be guessed faster).
pub const ITERATIONS: u32 = 600_000;
/// The most a stored record may ask for: more would hang the page before it could say anything.
pub const MAX_ITERATIONS: u32 = 10_000_000;
pub const SALT_LEN: usize = 16;
pub const NONCE_LEN: usize = 12;
/// Bound into every seal as AES-GCM's additional data: a ciphertext of anything else does not open.
pub const AAD: &[u8] = b"backboard.vault.v1";
const KDF: &str = "PBKDF2-SHA-256";
const CIPHER: &str = "AES-256-GCM";

/// The stored record: everything needed to open it again, except the passphrase.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sealed {
    pub v: u32,
    pub kdf: String,
    pub iterations: u32,
    pub cipher: String,
    /// Base64 (standard, padded), as are `nonce` and `ciphertext`.
    pub salt: String,
    pub nonce: String,
    pub ciphertext: String,
}

/// A [`Sealed`] record's parts, decoded and checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parts {
    pub iterations: u32,
    pub salt: Vec<u8>,
    pub nonce: Vec<u8>,
    pub ciphertext: Vec<u8>,
}

impl Sealed {
    /// The record for a new seal: today's version and parameters.
    pub fn new(salt: &[u8], nonce: &[u8], ciphertext: &[u8]) -> Sealed {
        Sealed {
            v: VERSION,
            kdf: KDF.into(),
            iterations: ITERATIONS,
            cipher: CIPHER.into(),
            salt: STANDARD.encode(salt),
            nonce: STANDARD.encode(nonce),
            ciphertext: STANDARD.encode(ciphertext),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The stored record, or why it cannot be opened (none of which is the passphrase's fault).
    pub fn parse(text: &str) -> Result<Sealed, VaultError> {
        let sealed: Sealed = serde_json::from_str(text).map_err(|e| VaultError::Unreadable(e.to_string()))?;
        sealed.parts()?;
        Ok(sealed)
    }

    /// The decoded parts, each checked.
    pub fn parts(&self) -> Result<Parts, VaultError> {
        if self.v != VERSION {
            return Err(VaultError::Version(self.v));
        }
        if self.kdf != KDF || self.cipher != CIPHER {
            return Err(VaultError::Algorithm(format!("{} / {}", self.kdf, self.cipher)));
        }
        if !(ITERATIONS..=MAX_ITERATIONS).contains(&self.iterations) {
            return Err(VaultError::Iterations(self.iterations));
        }
        let bytes = |name: &'static str, value: &str, len: Option<usize>| {
            let b = STANDARD.decode(value).map_err(|_| VaultError::Field(name))?;
            match len {
                Some(n) if b.len() != n => Err(VaultError::Field(name)),
                // AES-GCM's tag alone is 16 bytes.
                None if b.len() < 16 => Err(VaultError::Field(name)),
                _ => Ok(b),
            }
        };
        Ok(Parts {
            iterations: self.iterations,
            salt: bytes("salt", &self.salt, Some(SALT_LEN))?,
            nonce: bytes("nonce", &self.nonce, Some(NONCE_LEN))?,
            ciphertext: bytes("ciphertext", &self.ciphertext, None)?,
        })
    }
}

/// What is sealed: the connections as JSON.
pub fn plaintext(connections: &[Connection]) -> Vec<u8> {
    serde_json::to_vec(connections).unwrap_or_else(|_| b"[]".to_vec())
}

/// The connections an opened seal holds.
pub fn connections(plaintext: &[u8]) -> Result<Vec<Connection>, VaultError> {
    serde_json::from_slice(plaintext).map_err(|e| VaultError::Unreadable(e.to_string()))
}

/// What a device's stored connections are.
#[derive(Clone, Debug, PartialEq)]
pub enum Stored {
    /// Sealed under a passphrase.
    Sealed(Sealed),
    /// The earlier plain format (a JSON list), to be sealed once a passphrase is chosen.
    Plain(Vec<Connection>),
}

/// Reads a stored value: a sealed record, or a list in the earlier plain format.
pub fn read(text: &str) -> Result<Stored, VaultError> {
    match text.trim_start().starts_with('[') {
        true => connections(text.as_bytes()).map(Stored::Plain),
        false => Sealed::parse(text).map(Stored::Sealed),
    }
}

/// Why stored connections cannot be opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VaultError {
    /// Not a record Backboard wrote.
    Unreadable(String),
    /// Written by another version of Backboard.
    Version(u32),
    Algorithm(String),
    Iterations(u32),
    /// A part that is not base64 or not its length.
    Field(&'static str),
    /// The passphrase does not open it (or it was altered).
    Passphrase,
}

impl std::fmt::Display for VaultError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VaultError::Unreadable(e) => write!(f, "the connections kept on this device cannot be read ({e})"),
            VaultError::Version(v) => write!(
                f,
                "the connections kept on this device were written in format {v}, which this version of Backboard does not read"
            ),
            VaultError::Algorithm(a) => write!(f, "the connections kept on this device use {a}, which Backboard does not use"),
            VaultError::Iterations(n) => write!(
                f,
                "the connections kept on this device name {n} key-derivation rounds; Backboard accepts {ITERATIONS} to {MAX_ITERATIONS}"
            ),
            VaultError::Field(name) => write!(f, "the connections kept on this device have a damaged {name}"),
            VaultError::Passphrase => {
                f.write_str("that passphrase does not open the connections kept on this device; nothing was changed, try again")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Sealed {
        Sealed::new(&[7; SALT_LEN], &[9; NONCE_LEN], &[1; 40])
    }

    #[test]
    fn a_new_record_is_read_back_with_its_parts() {
        let json = sample().to_json();
        let Stored::Sealed(s) = read(&json).unwrap() else { panic!("not sealed") };
        let parts = s.parts().unwrap();
        assert_eq!(parts.iterations, ITERATIONS);
        assert_eq!(parts.salt, vec![7; SALT_LEN]);
        assert_eq!(parts.nonce, vec![9; NONCE_LEN]);
        assert_eq!(parts.ciphertext, vec![1; 40]);
        assert!(json.contains("\"v\":1") && json.contains("PBKDF2-SHA-256") && json.contains("AES-256-GCM"));
    }

    #[test]
    fn the_earlier_plain_list_is_recognized() {
        let list = r#"[{"id":"c1","label":"Prod","provider":"mittwald","token":"t","projectId":"p-1"}]"#;
        match read(list) {
            Ok(Stored::Plain(l)) => assert_eq!(l[0].label, "Prod"),
            other => panic!("{other:?}"),
        }
        assert_eq!(read("[]"), Ok(Stored::Plain(Vec::new())));
    }

    #[test]
    fn records_that_cannot_be_trusted_are_refused_in_words() {
        let with = |f: fn(&mut Sealed)| {
            let mut s = sample();
            f(&mut s);
            Sealed::parse(&s.to_json()).unwrap_err()
        };
        assert_eq!(with(|s| s.v = 2), VaultError::Version(2));
        assert_eq!(with(|s| s.iterations = 1000), VaultError::Iterations(1000));
        assert_eq!(with(|s| s.iterations = u32::MAX), VaultError::Iterations(u32::MAX));
        assert!(matches!(with(|s| s.kdf = "scrypt".into()), VaultError::Algorithm(_)));
        assert_eq!(with(|s| s.salt = "AAAA".into()), VaultError::Field("salt"));
        assert_eq!(with(|s| s.nonce = "not base64!".into()), VaultError::Field("nonce"));
        assert_eq!(with(|s| s.ciphertext = STANDARD.encode([0; 8])), VaultError::Field("ciphertext"));
        assert!(matches!(read("{"), Err(VaultError::Unreadable(_))));
        assert!(matches!(read("[{]"), Err(VaultError::Unreadable(_))));
        for e in [with(|s| s.v = 2), with(|s| s.iterations = 1), VaultError::Passphrase] {
            assert!(e.to_string().contains("on this device"), "{e}");
        }
    }

    #[test]
    fn connections_go_in_and_out_as_json() {
        let list =
            connections(br#"[{"id":"c1","label":"A","provider":"mittwald","token":"t","projectId":"p"}]"#).unwrap();
        assert_eq!(connections(&plaintext(&list)).unwrap(), list);
        assert!(connections(b"\xff").is_err());
    }
}
