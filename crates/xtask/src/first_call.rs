//! The first request a connection's listing sends, caught before it leaves: the bench loads both
//! proxies with exactly the call the SPA makes, whichever provider the demo lists first.

use std::cell::RefCell;

use backboard_core::http::{Request, Response, Transport, TransportError};
use backboard_core::paging::{Options, RetryPolicy};
use backboard_core::Connection;

/// Records the request and answers nothing, so the listing stops after its first call.
#[derive(Default)]
struct Catch(RefCell<Option<Request>>);

impl Transport for Catch {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        self.0.borrow_mut().get_or_insert(request);
        Err(TransportError::new("caught"))
    }
    async fn sleep(&self, _millis: u64) {}
}

/// The first list request of `connection` under `base`.
pub fn first_list_request(connection: &Connection, base: &str) -> Option<Request> {
    let catch = Catch::default();
    let options = Options { retry: RetryPolicy { max_attempts: 1, ..RetryPolicy::default() }, ..Options::default() };
    let _ = futures::executor::block_on(connection.list_backups(&catch, base, &options, &mut |_| {}));
    catch.0.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;
    use backboard_core::http::Method;

    #[test]
    fn catches_page_one_of_the_first_demo_connection_with_its_token() {
        let first: Connection = serde_json::from_value(backboard_sim::demo_connections()[0].clone()).unwrap();
        let slug = first.provider().slug();
        let call = first_list_request(&first, slug).expect("a list sends a request");
        assert_eq!(call.method, Method::Get);
        assert!(call.url.starts_with(&format!("{slug}/")), "{}", call.url);
        let token = first.account.token().expose();
        assert!(call.headers.iter().any(|(_, v)| v.contains(token)), "{:?}", call.headers);
    }
}
