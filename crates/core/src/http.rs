//! Request and response descriptions, and the one trait that does I/O: [`Transport`].
//!
//! The core builds [`Request`]s and parses [`Response`]s; whoever embeds it (the browser, the
//! worker, a test) supplies the transport. That keeps every rule testable without a socket.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s.to_ascii_uppercase().as_str() {
            "GET" => Method::Get,
            "POST" => Method::Post,
            "PUT" => Method::Put,
            "PATCH" => Method::Patch,
            "DELETE" => Method::Delete,
            _ => return None,
        })
    }

    /// Safe to repeat after a transient failure; creating or deleting is never retried.
    pub fn is_idempotent_read(self) -> bool {
        matches!(self, Method::Get)
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Header names whose values are credentials and must never be printed.
fn is_secret_header(name: &str) -> bool {
    name.eq_ignore_ascii_case("authorization")
        || name.eq_ignore_ascii_case("x-access-token")
        || name.eq_ignore_ascii_case("cookie")
}

#[derive(Clone, PartialEq, Eq)]
pub struct Request {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
}

impl Request {
    pub fn new(method: Method, url: impl Into<String>) -> Self {
        Self { method, url: url.into(), headers: Vec::new(), body: None }
    }

    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_string(), value.into()));
        self
    }

    pub fn json_body(mut self, body: String) -> Self {
        self.headers.push(("Content-Type".into(), "application/json".into()));
        self.body = Some(body);
        self
    }

    pub fn header_value(&self, name: &str) -> Option<&str> {
        header_lookup(&self.headers, name)
    }

    /// Path and query of the URL (everything after the authority), for routing in simulators.
    pub fn path_and_query(&self) -> &str {
        path_and_query(&self.url)
    }
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), if is_secret_header(k) { "***" } else { v.as_str() }))
            .collect();
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &headers)
            .field("body", &self.body)
            .finish()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self { status, headers: Vec::new(), body: body.into() }
    }

    /// A JSON answer; any serializable value, so callers can answer from borrowed data.
    pub fn json<T: serde::Serialize + ?Sized>(status: u16, value: &T) -> Self {
        Self::new(status, serde_json::to_vec(value).unwrap_or_default()).with_header("Content-Type", "application/json")
    }

    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_string(), value.into()));
        self
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        header_lookup(&self.headers, name)
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

fn header_lookup<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

pub fn path_and_query(url: &str) -> &str {
    let after_scheme = url.find("://").map(|i| &url[i + 3..]).unwrap_or(url);
    match after_scheme.find('/') {
        Some(i) if url.contains("://") => &after_scheme[i..],
        Some(_) => after_scheme,
        None if url.contains("://") => "/",
        None => after_scheme,
    }
}

/// Path and query (without `?`) of a serialized URL, the fragment dropped: what a URL parser
/// would give for an already-normalized URL such as a runtime's `request.url`, without parsing
/// it again on every request.
pub fn split_path_query(url: &str) -> (&str, Option<&str>) {
    let pq = path_and_query(url);
    let pq = pq.split_once('#').map_or(pq, |(before, _)| before);
    match pq.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (pq, None),
    }
}

/// The origin (scheme://host[:port]) of an http(s) URL; None for other schemes, userinfo, or a
/// host with characters no origin has. Used where allowed origins are decided and where a
/// provider hands out a link to open.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    (matches!(scheme, "http" | "https") && !host.is_empty() && !host.contains(['@', ' ', ';', '\'', '"']))
        .then(|| format!("{scheme}://{host}"))
}

/// A failure below HTTP: no status was received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransportError {
    pub message: String,
}

impl TransportError {
    pub fn new(message: impl Into<String>) -> Self {
        Self { message: message.into() }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The I/O the core needs from its host. Not `Send`: browsers and workers are single-threaded.
#[allow(async_fn_in_trait)]
pub trait Transport {
    async fn send(&self, request: Request) -> Result<Response, TransportError>;
    /// Waits, for retry backoff. Hosts without timers may return at once.
    async fn sleep(&self, millis: u64);
}

impl<T: Transport> Transport for &T {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        (**self).send(request).await
    }
    async fn sleep(&self, millis: u64) {
        (**self).sleep(millis).await
    }
}

/// Percent-encodes a query or path component (RFC 3986 unreserved characters pass).
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Decodes `%XX` escapes and `+` (as space) of a query component; invalid escapes stay literal.
pub fn decode_component(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(v) => {
                        out.push(v);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Splits a query string into decoded pairs.
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => (decode_component(k), decode_component(v)),
            None => (decode_component(pair), String::new()),
        })
        .collect()
}

/// Builds `?a=b&c=d` (empty when there are no pairs).
pub fn build_query(pairs: &[(&str, String)]) -> String {
    if pairs.is_empty() {
        return String::new();
    }
    let joined: Vec<String> =
        pairs.iter().map(|(k, v)| format!("{}={}", encode_component(k), encode_component(v))).collect();
    format!("?{}", joined.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_credentials() {
        let r = Request::new(Method::Get, "https://x/y").header("Authorization", "Bearer abc123");
        let s = format!("{r:?}");
        assert!(!s.contains("abc123"), "{s}");
        assert!(s.contains("***"));
    }

    #[test]
    fn path_and_query_of_urls() {
        assert_eq!(
            path_and_query("http://127.0.0.1:8790/serveravatar/organizations/5/backups?page=2"),
            "/serveravatar/organizations/5/backups?page=2"
        );
        assert_eq!(path_and_query("https://api.mittwald.de"), "/");
        assert_eq!(path_and_query("/a/b?c"), "/a/b?c");
    }

    #[test]
    fn path_and_query_split_of_serialized_urls() {
        assert_eq!(
            split_path_query("http://127.0.0.1:8787/proxy/a/b?page=2&x=%20"),
            ("/proxy/a/b", Some("page=2&x=%20"))
        );
        assert_eq!(split_path_query("https://w.example/api/v1/backups"), ("/api/v1/backups", None));
        assert_eq!(split_path_query("https://w.example/p?"), ("/p", Some("")));
        assert_eq!(split_path_query("https://w.example/p?q=1#frag"), ("/p", Some("q=1")));
        assert_eq!(split_path_query("https://w.example/p#f?not-a-query"), ("/p", None));
        assert_eq!(split_path_query("https://w.example"), ("/", None));
    }

    #[test]
    fn query_round_trip() {
        let q = build_query(&[("searchTerm", "a b&c=ü".to_string()), ("page", "2".into())]);
        assert_eq!(
            parse_query(&q[1..]),
            vec![("searchTerm".to_string(), "a b&c=ü".to_string()), ("page".into(), "2".into())]
        );
        assert_eq!(decode_component("%zz%4"), "%zz%4");
        assert_eq!(decode_component("%"), "%");
    }
}
