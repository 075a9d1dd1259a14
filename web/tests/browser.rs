//! Browser-only code, run in headless Chromium by wasm-bindgen-test.

use backboard_core::http::{Method, Request, Transport};
use backboard_core::providers::serveravatar;
use backboard_core::Token;
use backboard_core::{Account, Connection};
use backboard_web::store::{self, Keep};
use backboard_web::{transport::FetchTransport, vault};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn connection() -> Connection {
    Connection {
        id: "c1".into(),
        label: "Prod".into(),
        account: Account::ServerAvatar(serveravatar::Account {
            token: Token::new("secret-token-123"),
            organization: "5".into(),
        }),
    }
}

fn local() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

#[wasm_bindgen_test]
fn connections_stay_in_the_tab_unless_kept() {
    store::forget_everything();
    store::save_in_tab(&[connection()]);
    assert_eq!(store::load_connections(), (vec![connection()], Keep::Tab));
    assert_eq!(local().get_item("backboard.connections").unwrap(), None, "tokens are not written to the device");
    store::forget_everything();
}

#[wasm_bindgen_test]
async fn kept_connections_are_sealed_and_open_only_with_their_passphrase() {
    store::forget_everything();
    vault::choose("correct horse battery").await.unwrap();
    let sealed = vault::seal(&[connection()]).await.unwrap();
    store::save_sealed(&sealed);
    let dump: Vec<String> = (0..local().length().unwrap()).filter_map(|i| local().key(i).unwrap()).collect();
    for key in &dump {
        assert!(
            !local().get_item(key).unwrap().unwrap_or_default().contains("secret-token-123"),
            "{key} holds the token"
        );
    }
    let (list, keep) = store::load_connections();
    assert!(list.is_empty());
    let Keep::Locked(stored) = keep else { panic!("not locked: {keep:?}") };
    assert_eq!(stored, sealed);
    vault::forget_key();
    let wrong = vault::open("wrong horse", &stored).await.unwrap_err();
    assert!(wrong.contains("does not open"), "{wrong}");
    assert!(matches!(store::load_connections().1, Keep::Locked(_)), "a wrong passphrase loses nothing");
    assert_eq!(vault::open("correct horse battery", &stored).await.unwrap(), vec![connection()]);
    // Every write has its own nonce.
    assert_ne!(vault::seal(&[connection()]).await.unwrap().nonce, sealed.nonce);
    store::forget_everything();
    assert_eq!(local().get_item("backboard.vault").unwrap(), None);
}

#[wasm_bindgen_test]
fn the_earlier_plain_store_is_read_until_a_passphrase_is_chosen() {
    store::forget_everything();
    local().set_item("backboard.remember", "true").unwrap();
    local().set_item("backboard.connections", &serde_json::to_string(&[connection()]).unwrap()).unwrap();
    assert_eq!(store::load_connections(), (vec![connection()], Keep::Plain));
    store::forget_everything();
}

#[wasm_bindgen_test]
async fn fetch_failures_name_no_url_or_token() {
    // Port 9 (discard) on loopback: nothing listens, the fetch fails below HTTP.
    let req = Request::new(Method::Get, "http://127.0.0.1:9/proxy/serveravatar/organizations/5/backups")
        .header("Authorization", "secret-token-123");
    let err = FetchTransport.send(req).await.unwrap_err();
    assert!(!err.message.contains("secret-token-123"));
    assert!(!err.message.contains("127.0.0.1"));
}
