//! Connections sealed on this device with the browser's WebCrypto: a key derived from the
//! passphrase (PBKDF2-SHA-256), AES-256-GCM with a fresh nonce per write. The format and its
//! checks are the core's (`backboard_core::vault`); the derived key lives only in this page's
//! memory, never in storage.

use std::cell::RefCell;

use backboard_core::vault::{self, Sealed, VaultError};
use backboard_core::Connection;
use js_sys::{Array, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AesDerivedKeyParams, AesGcmParams, CryptoKey, Pbkdf2Params, SubtleCrypto};

/// The key the page seals with, and the salt it was derived with (kept with every write).
#[derive(Clone)]
struct Key {
    key: CryptoKey,
    salt: Vec<u8>,
}

thread_local! {
    static KEY: RefCell<Option<Key>> = const { RefCell::new(None) };
}

fn crypto() -> Result<web_sys::Crypto, String> {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .ok_or_else(|| "this browser offers no WebCrypto, so connections cannot be kept encrypted".to_string())
}

fn subtle() -> Result<SubtleCrypto, String> {
    Ok(crypto()?.subtle())
}

fn random(len: usize) -> Result<Vec<u8>, String> {
    let mut bytes = vec![0u8; len];
    crypto()?.get_random_values_with_u8_array(&mut bytes).map_err(|_| "no random numbers".to_string())?;
    Ok(bytes)
}

async fn wait(promise: Result<js_sys::Promise, JsValue>) -> Result<JsValue, JsValue> {
    JsFuture::from(promise?).await
}

fn failed(what: &str) -> impl Fn(JsValue) -> String + '_ {
    move |_| format!("the browser could not {what}")
}

/// The AES-GCM key for `passphrase` and `salt`.
async fn derive(passphrase: &str, salt: &[u8], iterations: u32) -> Result<CryptoKey, String> {
    let subtle = subtle()?;
    let raw = Uint8Array::from(passphrase.as_bytes());
    let usages = Array::of1(&JsValue::from_str("deriveKey"));
    let base = wait(subtle.import_key_with_str("raw", &raw, "PBKDF2", false, &usages))
        .await
        .map_err(failed("read the passphrase"))?;
    let params = Pbkdf2Params::new_with_str("PBKDF2", "SHA-256", iterations, &Uint8Array::from(salt));
    let aes = AesDerivedKeyParams::new("AES-GCM", 256);
    let usages = Array::of2(&JsValue::from_str("encrypt"), &JsValue::from_str("decrypt"));
    let key = wait(subtle.derive_key_with_object_and_object(&params, &base.unchecked_into(), &aes, false, &usages))
        .await
        .map_err(failed("derive a key from the passphrase"))?;
    Ok(key.unchecked_into())
}

fn gcm(nonce: &[u8]) -> AesGcmParams {
    let params = AesGcmParams::new("AES-GCM", &Uint8Array::from(nonce));
    params.set_additional_data(&Uint8Array::from(vault::AAD));
    params
}

/// Derives a key from a newly chosen passphrase (a fresh salt) and keeps it for the next writes.
pub async fn choose(passphrase: &str) -> Result<(), String> {
    let salt = random(vault::SALT_LEN)?;
    let key = derive(passphrase, &salt, vault::ITERATIONS).await?;
    KEY.with(|k| *k.borrow_mut() = Some(Key { key, salt }));
    Ok(())
}

/// Opens a stored record with `passphrase`; on success its key is kept for the next writes.
/// A wrong passphrase changes nothing.
pub async fn open(passphrase: &str, sealed: &Sealed) -> Result<Vec<Connection>, String> {
    let parts = sealed.parts().map_err(|e| e.to_string())?;
    let key = derive(passphrase, &parts.salt, parts.iterations).await?;
    let plain = wait(subtle()?.decrypt_with_object_and_u8_array(&gcm(&parts.nonce), &key, &parts.ciphertext))
        .await
        .map_err(|_| VaultError::Passphrase.to_string())?;
    let list = vault::connections(&Uint8Array::new(&plain).to_vec()).map_err(|e| e.to_string())?;
    KEY.with(|k| *k.borrow_mut() = Some(Key { key, salt: parts.salt }));
    Ok(list)
}

/// Drops the key from memory.
pub fn forget_key() {
    KEY.with(|k| *k.borrow_mut() = None);
}

/// The record for `connections`, sealed with the kept key under a fresh nonce.
pub async fn seal(connections: &[Connection]) -> Result<Sealed, String> {
    let Key { key, salt } = KEY.with(|k| k.borrow().clone()).ok_or("no passphrase was given")?;
    let nonce = random(vault::NONCE_LEN)?;
    let sealed = wait(subtle()?.encrypt_with_object_and_u8_array(&gcm(&nonce), &key, &vault::plaintext(connections)))
        .await
        .map_err(failed("encrypt the connections"))?;
    Ok(Sealed::new(&salt, &nonce, &Uint8Array::new(&sealed).to_vec()))
}
