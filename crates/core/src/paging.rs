//! The one paging engine: page numbers (Laravel), offsets with a total (mittwald headers) and
//! cursors (Northflank), with bounded concurrency, ordered results, progress and GET retries.

use std::cell::Cell;
use std::collections::HashSet;

use futures::stream::{self, StreamExt};

use crate::error::Error;
use crate::http::{Request, Response, Transport};
use crate::model::Provider;

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

    match first.continuation.clone() {
        Continuation::Next(mut cursor) => {
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
        }
        Continuation::LastPage(mut last) => {
            last = too_many(u64::from(last))?;
            add(first.items, &mut items);
            progress(Progress { pages_done: done, pages_known: Some(last.max(1)), items: items.len() });
            let mut next = 2u32;
            while next <= last {
                let refs: Vec<PageRef> = (next..=last).map(PageRef::Number).collect();
                next = last + 1;
                let mut pages = stream::iter(refs)
                    .map(|r| fetch_page(transport, endpoint, r, options, &rng))
                    .buffered(options.concurrency.max(1));
                while let Some(page) = pages.next().await {
                    let page = page?;
                    done += 1;
                    if let Continuation::LastPage(l) = page.continuation {
                        last = last.max(too_many(u64::from(l))?);
                    }
                    add(page.items, &mut items);
                    progress(Progress { pages_done: done, pages_known: Some(last), items: items.len() });
                }
            }
        }
        Continuation::Total { total, limit } => {
            let limit = limit.max(1);
            let mut total = total;
            let pages_of = |total: u64| total.div_ceil(limit).max(1);
            too_many(pages_of(total))?;
            let skip0 = match first_ref {
                PageRef::Offset { skip, .. } => skip,
                _ => 0,
            };
            add(first.items, &mut items);
            progress(Progress { pages_done: done, pages_known: Some(pages_of(total) as u32), items: items.len() });
            let mut next_skip = skip0 + limit;
            while next_skip < total {
                let refs: Vec<PageRef> = (0..)
                    .map(|i| next_skip + i * limit)
                    .take_while(|s| *s < total)
                    .map(|skip| PageRef::Offset { skip, limit })
                    .collect();
                next_skip += refs.len() as u64 * limit;
                let mut pages = stream::iter(refs)
                    .map(|r| fetch_page(transport, endpoint, r, options, &rng))
                    .buffered(options.concurrency.max(1));
                while let Some(page) = pages.next().await {
                    let page = page?;
                    done += 1;
                    if let Continuation::Total { total: t, .. } = page.continuation {
                        too_many(pages_of(t))?;
                        total = total.max(t);
                    }
                    add(page.items, &mut items);
                    progress(Progress {
                        pages_done: done,
                        pages_known: Some(pages_of(total) as u32),
                        items: items.len(),
                    });
                }
            }
        }
    }
    Ok(items)
}
