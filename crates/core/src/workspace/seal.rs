//! Provider tokens sealed at rest with AES-256-GCM. A sealed token is text,
//! `v1.<kid>.<nonce>.<ciphertext>` (base64url without padding), with its own 96-bit nonce; the
//! connection's id is authenticated with it, so a sealed token copied to another row does not
//! open. The nonce comes in as an argument: the worker passes `crypto.getRandomValues` bytes.

use std::fmt;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use super::keyring::{Keyring, SealKey};
use crate::secret::Token;

/// The text form's version prefix.
const VERSION: &str = "v1";
/// Bytes in a nonce.
pub const NONCE_BYTES: usize = 12;
/// Longest sealed text read: a token of a few KB, with room.
const MAX_SEALED: usize = 16 * 1024;

/// Why a sealed token did not open. The messages are safe to log: no key, no token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OpenError {
    /// Not `v1.<kid>.<nonce>.<ciphertext>`.
    Malformed,
    /// A version this build does not read.
    Version(String),
    /// Sealed under a key the keyring no longer holds.
    UnknownKey(String),
    /// The ciphertext, its nonce or its connection id do not match: tampered, or moved.
    Forged,
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenError::Malformed => f.write_str("the sealed token is not v1.<kid>.<nonce>.<ciphertext>"),
            OpenError::Version(v) => write!(f, "the sealed token's version {v:?} is not v1"),
            OpenError::UnknownKey(kid) => {
                write!(f, "the token was sealed under key {kid:?}, which BACKBOARD_SEAL_KEYS no longer holds")
            }
            OpenError::Forged => {
                f.write_str("the sealed token does not open: tampered with, or from another connection")
            }
        }
    }
}

/// The parts of a sealed token's text.
struct Parts<'a> {
    kid: &'a str,
    nonce: [u8; NONCE_BYTES],
    ciphertext: Vec<u8>,
}

fn parse(sealed: &str) -> Result<Parts<'_>, OpenError> {
    if sealed.len() > MAX_SEALED {
        return Err(OpenError::Malformed);
    }
    let mut it = sealed.split('.');
    let (Some(version), Some(kid), Some(nonce), Some(ciphertext), None) =
        (it.next(), it.next(), it.next(), it.next(), it.next())
    else {
        return Err(OpenError::Malformed);
    };
    if version != VERSION {
        return Err(if version.len() <= 8 { OpenError::Version(version.into()) } else { OpenError::Malformed });
    }
    let nonce: [u8; NONCE_BYTES] =
        URL_SAFE_NO_PAD.decode(nonce).ok().and_then(|n| n.try_into().ok()).ok_or(OpenError::Malformed)?;
    let ciphertext = URL_SAFE_NO_PAD.decode(ciphertext).map_err(|_| OpenError::Malformed)?;
    if kid.is_empty() || ciphertext.len() < 16 {
        return Err(OpenError::Malformed);
    }
    Ok(Parts { kid, nonce, ciphertext })
}

/// What the tag authenticates besides the token: the version, the key id and the connection.
fn associated(kid: &str, connection_id: &str) -> Vec<u8> {
    format!("backboard-seal\0{VERSION}\0{kid}\0{connection_id}").into_bytes()
}

fn cipher(key: &SealKey) -> Aes256Gcm {
    Aes256Gcm::new(&Key::<Aes256Gcm>::from(*key.bytes()))
}

/// The key id a sealed token names, for finding the rows a rotation must reseal.
pub fn kid_of(sealed: &str) -> Option<&str> {
    parse(sealed).ok().map(|p| p.kid)
}

/// Seals `token` for connection `connection_id` under the keyring's current key. `nonce` must
/// be fresh random bytes, never used before with this key.
pub fn seal(keyring: &Keyring, connection_id: &str, token: &Token, nonce: [u8; NONCE_BYTES]) -> String {
    let key = keyring.current();
    let aad = associated(key.kid(), connection_id);
    let payload = Payload { msg: token.expose().as_bytes(), aad: &aad };
    // Encryption fails only past GCM's length limit (64 GiB), far beyond any token.
    let ciphertext = cipher(key).encrypt(&Nonce::from(nonce), payload).unwrap_or_default();
    format!("{VERSION}.{}.{}.{}", key.kid(), URL_SAFE_NO_PAD.encode(nonce), URL_SAFE_NO_PAD.encode(ciphertext))
}

/// Opens a token sealed for `connection_id` under any key of the keyring.
pub fn open(keyring: &Keyring, connection_id: &str, sealed: &str) -> Result<Token, OpenError> {
    let parts = parse(sealed)?;
    let key = keyring.get(parts.kid).ok_or_else(|| OpenError::UnknownKey(parts.kid.to_string()))?;
    let aad = associated(parts.kid, connection_id);
    let plain = cipher(key)
        .decrypt(&Nonce::from(parts.nonce), Payload { msg: &parts.ciphertext, aad: &aad })
        .map_err(|_| OpenError::Forged)?;
    String::from_utf8(plain).map(Token::new).map_err(|_| OpenError::Forged)
}

/// A rotation's answer for one row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rotated {
    /// Already under the current key: nothing to write.
    Current,
    /// Resealed under the current key: write this text and its kid.
    Resealed(String),
}

/// Reseals one row's token under the current key, unless it is sealed under it already.
/// `nonce` is used only when resealing.
pub fn rotate(
    keyring: &Keyring,
    connection_id: &str,
    sealed: &str,
    nonce: [u8; NONCE_BYTES],
) -> Result<Rotated, OpenError> {
    let token = open(keyring, connection_id, sealed)?;
    if kid_of(sealed) == Some(keyring.current().kid()) {
        return Ok(Rotated::Current);
    }
    Ok(Rotated::Resealed(seal(keyring, connection_id, &token, nonce)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(current: (&str, u8), older: &[(&str, u8)]) -> Keyring {
        let key = |(kid, fill): (&str, u8)| SealKey::new(kid, [fill; 32]).unwrap();
        Keyring::new(key(current), older.iter().copied().map(key).collect()).unwrap()
    }

    const TOKEN: &str = "nf-secret-token-123";

    #[test]
    fn a_sealed_token_opens_for_its_connection_only() {
        let ring = ring(("k1", 1), &[]);
        let sealed = seal(&ring, "conn-1", &Token::new(TOKEN), [7; 12]);
        assert!(sealed.starts_with("v1.k1.BwcHBwcHBwcHBwcH."), "{sealed}");
        assert!(!sealed.contains(TOKEN));
        assert_eq!(kid_of(&sealed), Some("k1"));
        assert_eq!(open(&ring, "conn-1", &sealed).unwrap().expose(), TOKEN);
        assert_eq!(open(&ring, "conn-2", &sealed), Err(OpenError::Forged));
    }

    /// Plain AES-256-GCM, as any other implementation computes it (here: Python's
    /// `cryptography`), so a sealed row can be opened by a tool outside the worker.
    #[test]
    fn the_ciphertext_is_standard_aes_256_gcm() {
        let sealed = seal(&ring(("k1", 1), &[]), "conn-1", &Token::new(TOKEN), [7; 12]);
        assert_eq!(sealed, "v1.k1.BwcHBwcHBwcHBwcH.45XH12rNw8Rtt3BfzaUJ55absvRNoZXreCopVw2oZeIJswM");
    }

    #[test]
    fn each_nonce_gives_another_ciphertext() {
        let ring = ring(("k1", 1), &[]);
        let a = seal(&ring, "c", &Token::new(TOKEN), [1; 12]);
        let b = seal(&ring, "c", &Token::new(TOKEN), [2; 12]);
        assert_ne!(a.rsplit('.').next(), b.rsplit('.').next());
    }

    #[test]
    fn tampering_is_detected() {
        let ring = ring(("k1", 1), &[]);
        let sealed = seal(&ring, "c", &Token::new(TOKEN), [3; 12]);
        let (head, ct) = sealed.rsplit_once('.').unwrap();
        let mut bytes = URL_SAFE_NO_PAD.decode(ct).unwrap();
        bytes[0] ^= 1;
        let flipped = format!("{head}.{}", URL_SAFE_NO_PAD.encode(&bytes));
        assert_eq!(open(&ring, "c", &flipped), Err(OpenError::Forged));
        let other_nonce = sealed.replacen("AwMDAwMDAwMDAwMD", "BAQEBAQEBAQEBAQE", 1);
        assert_eq!(open(&ring, "c", &other_nonce), Err(OpenError::Forged));
        // The same key under another id does not open it either: the kid is authenticated.
        let renamed = ring_with_same_bytes_as_k1();
        assert_eq!(open(&renamed, "c", &sealed.replacen("v1.k1.", "v1.k2.", 1)), Err(OpenError::Forged));
    }

    fn ring_with_same_bytes_as_k1() -> Keyring {
        ring(("k2", 1), &[])
    }

    #[test]
    fn malformed_texts_are_refused() {
        let ring = ring(("k1", 1), &[]);
        let good = seal(&ring, "c", &Token::new(TOKEN), [3; 12]);
        let parts: Vec<&str> = good.split('.').collect();
        for bad in [
            String::new(),
            "v1".into(),
            format!("{}.{}.{}", parts[0], parts[1], parts[2]),
            format!("{good}.x"),
            format!("v1..{}.{}", parts[2], parts[3]),
            format!("v1.k1.AAAA.{}", parts[3]),
            format!("v1.k1.{}.AAAA", parts[2]),
            format!("v1.k1.{}.{}", parts[2], "*not base64*"),
            "x".repeat(MAX_SEALED + 1),
        ] {
            assert_eq!(open(&ring, "c", &bad), Err(OpenError::Malformed), "{bad:?}");
        }
        assert_eq!(open(&ring, "c", &good.replacen("v1.", "v2.", 1)), Err(OpenError::Version("v2".into())));
        assert_eq!(open(&ring, "c", &good.replacen(".k1.", ".k0.", 1)), Err(OpenError::UnknownKey("k0".into())));
    }

    #[test]
    fn rotation_reseals_under_the_current_key_and_old_rows_still_open() {
        let old = ring(("k1", 1), &[]);
        let sealed = seal(&old, "c", &Token::new(TOKEN), [4; 12]);
        let new = ring(("k2", 2), &[("k1", 1)]);
        assert_eq!(open(&new, "c", &sealed).unwrap().expose(), TOKEN, "older keys still open");
        let Ok(Rotated::Resealed(resealed)) = rotate(&new, "c", &sealed, [5; 12]) else { panic!("not resealed") };
        assert_eq!(kid_of(&resealed), Some("k2"));
        assert_eq!(rotate(&new, "c", &resealed, [6; 12]), Ok(Rotated::Current));
        // Once every row is resealed, the old key can go.
        let only_new = ring(("k2", 2), &[]);
        assert_eq!(open(&only_new, "c", &resealed).unwrap().expose(), TOKEN);
        assert_eq!(open(&only_new, "c", &sealed), Err(OpenError::UnknownKey("k1".into())));
        assert_eq!(rotate(&new, "other", &sealed, [5; 12]), Err(OpenError::Forged));
    }

    #[test]
    fn errors_carry_no_secret() {
        let ring = ring(("k1", 1), &[]);
        let sealed = seal(&ring, "c", &Token::new(TOKEN), [3; 12]);
        let err = open(&ring, "d", &sealed).unwrap_err();
        assert!(!format!("{err} {err:?}").contains(TOKEN));
        assert_eq!(format!("{:?}", open(&ring, "c", &sealed)), "Ok(Token(***))");
    }
}
