//! The runtime's WebCrypto for the workspace: the RS256 check of an Access assertion (the core
//! leaves it to the host, `jwt::Verifier`) and random bytes for ids, nonces and API keys.

use backboard_core::workspace::jwks::Jwk;
use backboard_core::workspace::jwt::Verifier;
use wasm_bindgen::prelude::wasm_bindgen;
use worker::js_sys;
use worker::js_sys::futures::JsFuture;

#[wasm_bindgen(inline_js = "
export function rs256_verify(n, e, signed, signature) {
  const jwk = { kty: 'RSA', n, e, alg: 'RS256', ext: true };
  const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  return crypto.subtle.importKey('jwk', jwk, alg, false, ['verify'])
    .then((key) => crypto.subtle.verify(alg, key, signature, signed))
    .then((ok) => ok === true, () => false);
}
export function random_bytes(n) {
  return crypto.getRandomValues(new Uint8Array(n));
}")]
extern "C" {
    /// Resolves to whether `signature` is the key's RS256 signature of `signed`; false for a
    /// key WebCrypto does not take.
    fn rs256_verify(n: &str, e: &str, signed: &[u8], signature: &[u8]) -> js_sys::Promise;
    fn random_bytes(n: u32) -> js_sys::Uint8Array;
}

/// The Access assertion's signature check, by WebCrypto.
pub struct WebCrypto;

impl Verifier for WebCrypto {
    async fn rs256(&self, key: &Jwk, signed: &[u8], signature: &[u8]) -> bool {
        JsFuture::from(rs256_verify(&key.n, &key.e, signed, signature)).await.is_ok_and(|v| v.as_bool() == Some(true))
    }
}

/// `N` bytes from the runtime's CSPRNG.
pub fn random<const N: usize>() -> [u8; N] {
    let mut out = [0u8; N];
    random_bytes(N as u32).copy_to(&mut out);
    out
}
