//! Browser-only code, run in headless Chromium by wasm-bindgen-test.

use backboard_core::http::{Method, Request, Transport};
use backboard_core::providers::serveravatar;
use backboard_core::Token;
use backboard_core::{Account, Connection};
use backboard_web::{store, transport::FetchTransport};
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

#[wasm_bindgen_test]
fn connections_stay_in_the_tab_unless_kept() {
    store::save_connections(&[connection()], false);
    assert_eq!(store::load_connections(), vec![connection()]);
    let local = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    assert_eq!(local.get_item("backboard.connections").unwrap(), None, "tokens are not written to the device");
    store::save_connections(&[connection()], true);
    assert!(local.get_item("backboard.connections").unwrap().unwrap().contains("secret-token-123"));
    assert!(store::remember());
    store::save_connections(&[], false);
    assert_eq!(local.get_item("backboard.connections").unwrap(), None);
    assert!(store::load_connections().is_empty());
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
