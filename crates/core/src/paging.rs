//! The one paging engine: page numbers (Laravel), offsets with a total (mittwald headers) and
//! cursors (Northflank), with bounded concurrency, ordered results, progress and GET retries.

use std::cell::Cell;
use std::collections::HashSet;

use futures::stream::{self, StreamExt};

use crate::error::Error;
use crate::http::{Request, Response, Transport};
use crate::provider::Provider;

/// Which page to ask for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PageRef {
    Number(u32),
    Offset { skip: u64, limit: u64 },
    Cursor(Option<String>),
}

/// What a page tells about the rest of the list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Continuation {
    /// Numbered pages up to and including this one.
    LastPage(u32),
    /// Offset paging: this many items in all, fetched `limit` at a time.
    Total { total: u64, limit: u64 },
    /// Cursor paging: the next cursor, or `None` when this was the last page.
    Next(Option<String>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct PageResult<T> {
    pub items: Vec<T>,
    pub continuation: Continuation,
}

/// One listing endpoint of one provider: how to ask for a page and how to read it.
pub trait Endpoint {
    type Item;
    fn provider(&self) -> Provider;
    fn first_page(&self) -> PageRef;
    fn request(&self, page: &PageRef) -> Request;
    fn parse(&self, page: &PageRef, response: &Response) -> Result<PageResult<Self::Item>, Error>;
    /// Identity of an item, to drop duplicates when the list shifts while being read.
    fn key(&self, item: &Self::Item) -> String;
}

/// Progress of one listing, reported after every page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Progress {
    pub pages_done: u32,
    /// Known for page-number and offset APIs after the first page; unknown for cursors.
    pub pages_known: Option<u32>,
    pub items: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    pub base_delay_ms: u64,
    pub max_delay_ms: u64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self { max_attempts: 4, base_delay_ms: 200, max_delay_ms: 20_000 }
    }
}

#[derive(Clone, Debug)]
pub struct Options {
    /// Pages in flight at once once the total is known.
    pub concurrency: usize,
    pub retry: RetryPolicy,
    /// A list longer than this many pages is cut off with an error, not fetched forever.
    pub max_pages: u32,
    /// Seeds the backoff jitter (fixed in tests, anything in production).
    pub jitter_seed: u64,
}

impl Default for Options {
    fn default() -> Self {
        Self { concurrency: 6, retry: RetryPolicy::default(), max_pages: 20_000, jitter_seed: 0x9E37_79B9_7F4A_7C15 }
    }
}

/// The delay before retry `attempt` (1-based): the server's Retry-After if it gave one, else
/// exponential backoff with "full jitter" (a random point between half and all of the step).
pub fn backoff_delay(policy: &RetryPolicy, attempt: u32, retry_after_secs: Option<u64>, random: u64) -> u64 {
    if let Some(secs) = retry_after_secs {
        return secs.saturating_mul(1000).min(policy.max_delay_ms);
    }
    let step = policy.base_delay_ms.saturating_mul(1u64 << attempt.saturating_sub(1).min(20)).min(policy.max_delay_ms);
    let half = step / 2;
    half + random % (step - half + 1)
}

fn next_random(state: &Cell<u64>) -> u64 {
    // xorshift64*: enough for jitter, no dependency, same on wasm and native.
    let mut x = state.get().max(1);
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    state.set(x);
    x.wrapping_mul(0x2545_F491_4F6C_DD1D)
}

/// Sends a request, retrying GETs on transient failures (network, 429, 502, 503, 504).
/// Other methods are sent exactly once. Error statuses that are not retried are returned as
/// responses, for the caller to read the provider's message.
pub async fn send<T: Transport>(
    transport: &T,
    provider: Provider,
    request: Request,
    policy: &RetryPolicy,
    rng: &Cell<u64>,
) -> Result<Response, Error> {
    let retryable = request.method.is_idempotent_read();
    let mut attempt = 1;
    loop {
        let result = transport.send(request.clone()).await;
        let (error, retry_after) = match result {
            Ok(response) => {
                let err = Error::from_response(provider, &response);
                if response.is_success() || !err.is_transient() {
                    return Ok(response);
                }
                let retry_after = match &err {
                    Error::Http { retry_after_secs, .. } => *retry_after_secs,
                    _ => None,
                };
                (Err(response), retry_after)
            }
            Err(e) => (Ok(Error::Transport { provider, message: e.message }), None),
        };
        if !retryable || attempt >= policy.max_attempts {
            return match error {
                Err(response) => Ok(response),
                Ok(e) => Err(e),
            };
        }
        transport.sleep(backoff_delay(policy, attempt, retry_after, next_random(rng))).await;
        attempt += 1;
    }
}

async fn fetch_page<T: Transport, E: Endpoint>(
    transport: &T,
    endpoint: &E,
    page: PageRef,
    options: &Options,
    rng: &Cell<u64>,
) -> Result<PageResult<E::Item>, Error> {
    let response = send(transport, endpoint.provider(), endpoint.request(&page), &options.retry, rng).await?;
    endpoint.parse(&page, &response)
}

/// How a page-number or offset list names its pages: page `i` (1-based) and how many pages a
/// page's continuation announces. One loop below serves both.
enum Counted {
    Numbered,
    Offset { skip0: u64, limit: u64 },
}

impl Counted {
    fn page_ref(&self, index: u32) -> PageRef {
        match self {
            Counted::Numbered => PageRef::Number(index),
            Counted::Offset { skip0, limit } => {
                PageRef::Offset { skip: skip0 + u64::from(index - 1) * limit, limit: *limit }
            }
        }
    }

    fn pages(&self, continuation: &Continuation) -> Option<u64> {
        match (self, continuation) {
            (Counted::Numbered, Continuation::LastPage(last)) => Some(u64::from(*last)),
            (Counted::Offset { skip0, limit }, Continuation::Total { total, .. }) => {
                Some(total.saturating_sub(*skip0).div_ceil(*limit))
            }
            _ => None,
        }
    }
}

/// Fetches every page of a list and returns the items in the provider's order.
///
/// Page-number and offset APIs: the first page tells the total, then the rest are fetched
/// `options.concurrency` at a time (so N pages take about 1 + (N-1)/concurrency round trips).
/// If the total grows while reading, the extra pages are fetched too; duplicates are dropped.
/// Cursor APIs can only go one page after the other.
pub async fn fetch_all<T: Transport, E: Endpoint>(
    transport: &T,
    endpoint: &E,
    options: &Options,
    progress: &mut dyn FnMut(Progress),
) -> Result<Vec<E::Item>, Error> {
    let rng = Cell::new(options.jitter_seed);
    let mut seen = HashSet::new();
    let mut items = Vec::new();
    let mut add = |page_items: Vec<E::Item>, items: &mut Vec<E::Item>| {
        for item in page_items {
            if seen.insert(endpoint.key(&item)) {
                items.push(item);
            }
        }
    };
    let first_ref = endpoint.first_page();
    let first = fetch_page(transport, endpoint, first_ref.clone(), options, &rng).await?;
    let mut done = 1u32;
    let too_many = |pages: u64| -> Result<u32, Error> {
        u32::try_from(pages).ok().filter(|p| *p <= options.max_pages).ok_or_else(|| Error::Parse {
            provider: endpoint.provider(),
            field: "pagination".into(),
            message: format!("the list claims {pages} pages, more than the limit of {}", options.max_pages),
        })
    };

    let skip0 = match first_ref {
        PageRef::Offset { skip, .. } => skip,
        _ => 0,
    };
    let counted = match &first.continuation {
        Continuation::LastPage(_) => Counted::Numbered,
        Continuation::Total { limit, .. } => Counted::Offset { skip0, limit: (*limit).max(1) },
        Continuation::Next(cursor) => {
            let mut cursor = cursor.clone();
            add(first.items, &mut items);
            progress(Progress { pages_done: done, pages_known: cursor.is_none().then_some(done), items: items.len() });
            let mut used = HashSet::new();
            while let Some(c) = cursor.take() {
                if !used.insert(c.clone()) {
                    break; // a cursor seen before would loop forever
                }
                too_many(u64::from(done) + 1)?;
                let page = fetch_page(transport, endpoint, PageRef::Cursor(Some(c)), options, &rng).await?;
                done += 1;
                add(page.items, &mut items);
                cursor = match page.continuation {
                    Continuation::Next(next) => next,
                    _ => None,
                };
                progress(Progress {
                    pages_done: done,
                    pages_known: cursor.is_none().then_some(done),
                    items: items.len(),
                });
            }
            return Ok(items);
        }
    };

    let mut known = too_many(counted.pages(&first.continuation).unwrap_or(1))?.max(1);
    add(first.items, &mut items);
    progress(Progress { pages_done: done, pages_known: Some(known), items: items.len() });
    let mut next = 2u32;
    while next <= known {
        let refs: Vec<PageRef> = (next..=known).map(|i| counted.page_ref(i)).collect();
        next = known + 1;
        // Unordered, so a slow page never holds a slot while later ones wait to be handed
        // over; items are still added in the provider's order, as each prefix completes.
        let mut slots: Vec<Option<Vec<E::Item>>> = refs.iter().map(|_| None).collect();
        let mut next_slot = 0;
        let mut pages = stream::iter(refs.into_iter().enumerate())
            .map(|(k, r)| {
                let rng = &rng;
                async move { (k, fetch_page(transport, endpoint, r, options, rng).await) }
            })
            .buffer_unordered(options.concurrency.max(1));
        while let Some((k, page)) = pages.next().await {
            let page = page?;
            done += 1;
            // A list that grew while being read announces more pages; fetch those too.
            if let Some(pages) = counted.pages(&page.continuation) {
                known = known.max(too_many(pages)?);
            }
            slots[k] = Some(page.items);
            while let Some(ready) = slots.get_mut(next_slot).and_then(Option::take) {
                add(ready, &mut items);
                next_slot += 1;
            }
            progress(Progress { pages_done: done, pages_known: Some(known), items: items.len() });
        }
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::future::Future;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    use futures::executor::block_on;
    use serde_json::{json, Value};

    use super::*;
    use crate::http::{parse_query, Method, TransportError};

    /// A list of numbered items served by a fake provider in one of the three paging styles.
    #[derive(Clone, Copy, PartialEq)]
    enum Style {
        Numbered,
        Offset,
        Cursor,
    }

    const PER_PAGE: usize = 10;

    struct Fake {
        style: Style,
    }

    impl Endpoint for Fake {
        type Item = String;
        fn provider(&self) -> Provider {
            Provider::Mittwald
        }
        fn first_page(&self) -> PageRef {
            match self.style {
                Style::Numbered => PageRef::Number(1),
                Style::Offset => PageRef::Offset { skip: 0, limit: PER_PAGE as u64 },
                Style::Cursor => PageRef::Cursor(None),
            }
        }
        fn request(&self, page: &PageRef) -> Request {
            let query = match page {
                PageRef::Number(n) => format!("page={n}"),
                PageRef::Offset { skip, limit } => format!("skip={skip}&limit={limit}"),
                PageRef::Cursor(c) => format!("cursor={}", c.clone().unwrap_or_default()),
            };
            Request::new(Method::Get, format!("http://fake/list?{query}"))
        }
        fn parse(&self, _page: &PageRef, response: &Response) -> Result<PageResult<String>, Error> {
            if !response.is_success() {
                return Err(Error::from_response(self.provider(), response));
            }
            let v: Value = serde_json::from_slice(&response.body).expect("fake bodies are JSON");
            let items = v["items"].as_array().unwrap().iter().map(|i| i.as_str().unwrap().to_string()).collect();
            let continuation = match self.style {
                Style::Numbered => Continuation::LastPage(v["last_page"].as_u64().unwrap() as u32),
                Style::Offset => Continuation::Total { total: v["total"].as_u64().unwrap(), limit: PER_PAGE as u64 },
                Style::Cursor => Continuation::Next(v["next"].as_str().map(str::to_string)),
            };
            Ok(PageResult { items, continuation })
        }
        fn key(&self, item: &String) -> String {
            item.clone()
        }
    }

    /// An answer a test forces instead of the list's page.
    type Forced = Option<Result<Response, TransportError>>;
    type Hook = Box<dyn Fn(usize, &Request, &mut Vec<String>) -> Forced>;

    /// Serves `list` (which a test may change between calls) and records what was asked.
    struct Server {
        list: RefCell<Vec<String>>,
        /// Called before each answer with the request number (0-based); may change the list or
        /// replace the answer.
        hook: Hook,
        requests: RefCell<Vec<Request>>,
        sleeps: RefCell<Vec<u64>>,
        in_flight: Cell<usize>,
        max_in_flight: Cell<usize>,
        style: Style,
        scramble: bool,
    }

    fn items(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("b{i:05}")).collect()
    }

    impl Server {
        fn new(style: Style, n: usize) -> Self {
            Self::with_hook(style, n, |_, _, _| None)
        }
        fn with_hook(
            style: Style,
            n: usize,
            hook: impl Fn(usize, &Request, &mut Vec<String>) -> Forced + 'static,
        ) -> Self {
            Self {
                list: RefCell::new(items(n)),
                hook: Box::new(hook),
                requests: RefCell::default(),
                sleeps: RefCell::default(),
                in_flight: Cell::new(0),
                max_in_flight: Cell::new(0),
                style,
                scramble: false,
            }
        }
        fn answer(&self, request: &Request) -> Result<Response, TransportError> {
            let index = self.requests.borrow().len();
            self.requests.borrow_mut().push(request.clone());
            if let Some(answer) = (self.hook)(index, request, &mut self.list.borrow_mut()) {
                return answer;
            }
            let list = self.list.borrow();
            let query = parse_query(request.url.split_once('?').map_or("", |(_, q)| q));
            let get = |k: &str| query.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
            let start = match self.style {
                Style::Numbered => (get("page").parse::<usize>().unwrap() - 1) * PER_PAGE,
                Style::Offset => get("skip").parse().unwrap(),
                Style::Cursor => get("cursor").parse().unwrap_or(0),
            };
            let page: Vec<&String> = list.iter().skip(start).take(PER_PAGE).collect();
            let end = start + PER_PAGE;
            let body = json!({
                "items": page,
                "last_page": list.len().div_ceil(PER_PAGE).max(1),
                "total": list.len(),
                "next": (end < list.len()).then(|| end.to_string()),
            });
            Ok(Response::json(200, &body))
        }
    }

    /// Pending `n` times, so that concurrent requests really overlap (and, with different
    /// `n`, finish out of order).
    struct Yield(usize);
    impl Future for Yield {
        type Output = ();
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            if self.0 == 0 {
                return Poll::Ready(());
            }
            self.0 -= 1;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }

    impl Transport for Server {
        async fn send(&self, request: Request) -> Result<Response, TransportError> {
            self.in_flight.set(self.in_flight.get() + 1);
            self.max_in_flight.set(self.max_in_flight.get().max(self.in_flight.get()));
            // Scrambled: later pages may answer before earlier ones.
            let hash = request.url.bytes().fold(7usize, |h, b| h.wrapping_mul(31).wrapping_add(b.into()));
            let turns = if self.scramble { hash % 5 + 1 } else { 1 };
            Yield(turns).await;
            self.in_flight.set(self.in_flight.get() - 1);
            self.answer(&request)
        }
        async fn sleep(&self, millis: u64) {
            self.sleeps.borrow_mut().push(millis);
        }
    }

    fn run(server: &Server, options: &Options) -> (Result<Vec<String>, Error>, Vec<Progress>) {
        let mut seen = Vec::new();
        let result = block_on(fetch_all(server, &Fake { style: server.style }, options, &mut |p| seen.push(p)));
        (result, seen)
    }

    const STYLES: [Style; 3] = [Style::Numbered, Style::Offset, Style::Cursor];

    #[test]
    fn every_style_reads_empty_single_short_and_long_lists_in_order() {
        for style in STYLES {
            for n in [0, 1, 9, 10, 11, 37, 200] {
                let server = Server::new(style, n);
                let (result, progress) = run(&server, &Options::default());
                assert_eq!(result.unwrap(), items(n), "n={n}");
                let pages = n.div_ceil(PER_PAGE).max(1) as u32;
                assert_eq!(server.requests.borrow().len(), pages as usize, "n={n}");
                let last = progress.last().unwrap();
                assert_eq!((last.pages_done, last.pages_known, last.items), (pages, Some(pages), n), "n={n}");
                assert_eq!(progress.len(), pages as usize);
                // Page counts are known after the first page, except for cursors.
                if style != Style::Cursor {
                    assert!(progress.iter().all(|p| p.pages_known == Some(pages)));
                }
            }
        }
    }

    #[test]
    fn counted_pages_go_six_at_a_time_and_cursors_one_at_a_time() {
        for (style, expected) in [(Style::Numbered, 6), (Style::Offset, 6), (Style::Cursor, 1)] {
            let server = Server::new(style, 200);
            run(&server, &Options::default()).0.unwrap();
            assert_eq!(server.max_in_flight.get(), expected);
        }
        let server = Server::new(Style::Numbered, 200);
        run(&server, &Options { concurrency: 2, ..Options::default() }).0.unwrap();
        assert_eq!(server.max_in_flight.get(), 2);
    }

    #[test]
    fn pages_that_answer_out_of_order_still_give_the_providers_order() {
        for style in [Style::Numbered, Style::Offset] {
            let server = Server { scramble: true, ..Server::new(style, 237) };
            let (result, progress) = run(&server, &Options::default());
            assert_eq!(result.unwrap(), items(237));
            assert_eq!(server.max_in_flight.get(), 6);
            // The answers really came out of order (requests are logged as they are answered).
            let number = |u: &str| {
                let after = u.split('=').nth(1).unwrap_or("");
                after.split('&').next().and_then(|n| n.parse::<u64>().ok()).unwrap_or(0)
            };
            let answered: Vec<u64> = server.requests.borrow().iter().map(|r| number(&r.url)).collect();
            assert!(answered.windows(2).any(|w| w[0] > w[1]), "{answered:?}");
            // Items are counted as their prefix completes, never going back.
            assert!(progress.windows(2).all(|w| w[0].items <= w[1].items));
            assert_eq!(progress.last().unwrap().items, 237);
        }
    }

    #[test]
    fn a_list_that_grows_while_read_is_read_to_its_new_end_without_duplicates() {
        for style in [Style::Numbered, Style::Offset] {
            // 15 new backups arrive at the top after the first page: every page shifts by 15.
            let server = Server::with_hook(style, 25, |i, _, list| {
                if i == 1 {
                    let fresh: Vec<String> = (0..15).map(|k| format!("new{k:02}")).collect();
                    list.splice(0..0, fresh);
                }
                None
            });
            let (result, progress) = run(&server, &Options::default());
            let got = result.unwrap();
            let unique: HashSet<&String> = got.iter().collect();
            assert_eq!(unique.len(), got.len(), "no duplicates");
            assert!(items(25).iter().all(|b| got.contains(b)), "nothing old lost: {got:?}");
            assert_eq!(server.requests.borrow().len(), 4, "the fourth page, announced mid-way, was read");
            assert_eq!(progress.last().unwrap().pages_known, Some(4));
        }
    }

    #[test]
    fn a_list_that_shrinks_while_read_ends_cleanly() {
        for style in STYLES {
            let server = Server::with_hook(style, 35, |i, _, list| {
                if i == 1 {
                    list.truncate(22);
                }
                None
            });
            let got = run(&server, &Options::default()).0.unwrap();
            assert_eq!(got, items(22)[..got.len()].to_vec());
            assert!(got.len() >= 20);
        }
    }

    #[test]
    fn an_absurd_page_count_is_an_error_not_a_hang() {
        for style in [Style::Numbered, Style::Offset] {
            let server = Server::new(style, 5000);
            let err = run(&server, &Options { max_pages: 100, ..Options::default() }).0.unwrap_err();
            assert!(matches!(&err, Error::Parse { field, .. } if field == "pagination"), "{err:?}");
            assert_eq!(server.requests.borrow().len(), 1);
        }
        let server = Server::new(Style::Cursor, 5000);
        run(&server, &Options { max_pages: 100, ..Options::default() }).0.unwrap_err();
        assert_eq!(server.requests.borrow().len(), 100);
    }

    #[test]
    fn a_cursor_that_repeats_stops_the_listing() {
        let server = Server::with_hook(Style::Cursor, 0, |i, _, _| {
            Some(Ok(Response::json(200, &json!({"items": [format!("x{i}")], "next": "same"}))))
        });
        assert_eq!(run(&server, &Options::default()).0.unwrap(), ["x0", "x1"]);
    }

    fn status(code: u16) -> Forced {
        Some(Ok(Response::json(code, &json!({"message": format!("status {code}")}))))
    }

    #[test]
    fn transient_failures_of_gets_are_retried_with_growing_jittered_delays() {
        let server = Server::with_hook(Style::Numbered, 3, |i, _, _| match i {
            0 => status(503),
            1 => Some(Err(TransportError::new("connection reset"))),
            2 => status(502),
            _ => None,
        });
        let got = run(&server, &Options::default()).0.unwrap();
        assert_eq!(got.len(), 3);
        let sleeps = server.sleeps.borrow().clone();
        assert_eq!(sleeps.len(), 3);
        let policy = RetryPolicy::default();
        for (attempt, ms) in sleeps.iter().enumerate() {
            let step = policy.base_delay_ms << attempt;
            assert!((step / 2..=step).contains(ms), "attempt {attempt}: {ms} ms not in {}..={step}", step / 2);
        }
    }

    #[test]
    fn retry_after_is_honored_and_capped() {
        let server = Server::with_hook(Style::Numbered, 3, |i, _, _| {
            (i == 0).then(|| Ok(Response::json(429, &json!({"message": "slow down"})).with_header("Retry-After", "7")))
        });
        run(&server, &Options::default()).0.unwrap();
        assert_eq!(*server.sleeps.borrow(), [7000]);
        let policy = RetryPolicy::default();
        assert_eq!(backoff_delay(&policy, 1, Some(86_400), 0), policy.max_delay_ms);
    }

    #[test]
    fn retries_stop_after_the_last_attempt_with_the_providers_answer() {
        let server = Server::with_hook(Style::Numbered, 3, |_, _, _| status(503));
        let err = run(&server, &Options::default()).0.unwrap_err();
        assert!(matches!(&err, Error::Http { status: 503, message, .. } if message == "status 503"), "{err:?}");
        assert_eq!(server.requests.borrow().len(), 4);
        assert_eq!(server.sleeps.borrow().len(), 3);

        let server = Server::with_hook(Style::Numbered, 3, |_, _, _| Some(Err(TransportError::new("offline"))));
        let err = run(&server, &Options::default()).0.unwrap_err();
        assert!(matches!(&err, Error::Transport { message, .. } if message == "offline"), "{err:?}");
        assert_eq!(server.requests.borrow().len(), 4);
    }

    #[test]
    fn errors_that_will_not_change_are_not_retried() {
        for code in [400, 401, 403, 404, 422, 500] {
            let server = Server::with_hook(Style::Numbered, 3, move |_, _, _| status(code));
            let err = run(&server, &Options::default()).0.unwrap_err();
            assert!(matches!(err, Error::Http { status, .. } if status == code));
            assert_eq!(server.requests.borrow().len(), 1, "status {code}");
            assert!(server.sleeps.borrow().is_empty());
        }
    }

    #[test]
    fn posts_are_sent_exactly_once_even_on_transient_failures() {
        let server = Server::with_hook(Style::Numbered, 0, |_, _, _| status(503));
        let post = Request::new(Method::Post, "http://fake/create").json_body("{}".into());
        let response = block_on(send(&server, Provider::ServerAvatar, post, &RetryPolicy::default(), &Cell::new(1)));
        assert_eq!(response.unwrap().status, 503);
        assert_eq!(server.requests.borrow().len(), 1);
        assert!(server.sleeps.borrow().is_empty());
    }

    #[test]
    fn backoff_grows_exponentially_within_its_cap() {
        let policy = RetryPolicy { max_attempts: 30, base_delay_ms: 100, max_delay_ms: 5_000 };
        for attempt in 1..30 {
            let step = (100u64 << (attempt - 1).min(20)).min(5_000);
            for random in [0, 1, 77, u64::MAX] {
                let d = backoff_delay(&policy, attempt, None, random);
                assert!((step / 2..=step).contains(&d), "attempt {attempt}: {d}");
            }
        }
    }
}
