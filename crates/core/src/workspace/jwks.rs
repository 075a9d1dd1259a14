//! Cloudflare Access's signing keys: where they are, how they read, and when to fetch them
//! again. `https://<team>.cloudflareaccess.com/cdn-cgi/access/certs` answers
//! `{keys: [{kid, kty, alg, use, e, n}], public_cert, public_certs}`; Access rotates its key every
//! six weeks and keeps the previous one valid for seven days, listing both.

use serde::Deserialize;
use time::{Duration, OffsetDateTime};

/// How long fetched keys are used before they are fetched again.
pub const TTL: Duration = Duration::hours(1);
/// The least time between two fetches, however many unknown kids arrive: a flood of made-up
/// kids cannot become a flood of requests to Cloudflare.
pub const REFETCH_MIN: Duration = Duration::minutes(5);
/// Keys older than this are not used even when a fetch is not allowed yet (or failed).
pub const MAX_STALE: Duration = Duration::days(1);

/// One RSA signing key, as a JWK: the modulus and exponent in base64url, for WebCrypto's
/// `importKey("jwk", ...)`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Jwk {
    pub kid: String,
    pub kty: String,
    #[serde(default)]
    pub alg: Option<String>,
    #[serde(default, rename = "use")]
    pub use_: Option<String>,
    pub n: String,
    pub e: String,
}

#[derive(Deserialize)]
struct Document {
    keys: Vec<serde_json::Value>,
}

/// The RS256 signing keys of a certs document; `public_cert(s)` (the same keys as PEM) and
/// entries of other kinds are ignored.
pub fn parse_jwks(body: &str) -> Result<Vec<Jwk>, String> {
    let doc: Document = serde_json::from_str(body).map_err(|e| format!("the Access certs are not a JWKS: {e}"))?;
    let keys: Vec<Jwk> = doc
        .keys
        .into_iter()
        .filter_map(|k| serde_json::from_value::<Jwk>(k).ok())
        .filter(|k| k.kty == "RSA")
        .filter(|k| k.alg.as_deref().is_none_or(|a| a == "RS256"))
        .filter(|k| k.use_.as_deref().is_none_or(|u| u == "sig"))
        .filter(|k| !k.kid.is_empty() && !k.n.is_empty() && !k.e.is_empty())
        .collect();
    if keys.is_empty() {
        return Err("the Access certs hold no RS256 signing key".into());
    }
    Ok(keys)
}

/// What to do for a token's kid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lookup<'a> {
    /// Verify with this key.
    Found(&'a Jwk),
    /// Fetch the certs now, hand them to [`JwksCache::fetched`] (or report
    /// [`JwksCache::fetch_failed`]), then look up again.
    Fetch,
    /// No such key, and no fetch is due: refuse the token.
    Unknown,
}

/// The keys an isolate holds, and when it last fetched them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JwksCache {
    keys: Vec<Jwk>,
    fetched_at: Option<OffsetDateTime>,
    attempted_at: Option<OffsetDateTime>,
}

impl JwksCache {
    fn may_fetch(&self, now: OffsetDateTime) -> bool {
        self.attempted_at.is_none_or(|t| now - t >= REFETCH_MIN || now < t)
    }

    /// The key for `kid`: fresh keys are used; stale keys or an unknown kid ask for one fetch
    /// at most every [`REFETCH_MIN`]; between fetches a key up to [`MAX_STALE`] old is still used.
    pub fn lookup(&self, kid: &str, now: OffsetDateTime) -> Lookup<'_> {
        let found = self.keys.iter().find(|k| k.kid == kid);
        let age = self.fetched_at.map(|t| now - t);
        let fresh = age.is_some_and(|a| a < TTL && a >= Duration::ZERO);
        match found {
            Some(key) if fresh => Lookup::Found(key),
            _ if self.may_fetch(now) => Lookup::Fetch,
            Some(key) if age.is_some_and(|a| a < MAX_STALE) => Lookup::Found(key),
            _ => Lookup::Unknown,
        }
    }

    /// The keys just fetched replace the old ones (a key Access dropped is gone).
    pub fn fetched(&mut self, keys: Vec<Jwk>, now: OffsetDateTime) {
        self.keys = keys;
        self.fetched_at = Some(now);
        self.attempted_at = Some(now);
    }

    /// A fetch that failed still counts against [`REFETCH_MIN`]; the old keys stay.
    pub fn fetch_failed(&mut self, now: OffsetDateTime) {
        self.attempted_at = Some(now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    /// The shape of Cloudflare's documented example, shortened.
    const CERTS: &str = r#"{
      "keys": [
        {"kid": "1a1c39", "kty": "RSA", "alg": "RS256", "use": "sig", "e": "AQAB", "n": "5PKw"},
        {"kid": "6c3bff", "kty": "RSA", "alg": "RS256", "use": "sig", "e": "AQAB", "n": "pOVd"},
        {"kid": "ec1", "kty": "EC", "crv": "P-256", "x": "a", "y": "b"},
        {"kid": "hs", "kty": "RSA", "alg": "HS256", "e": "AQAB", "n": "x"}
      ],
      "public_cert": {"kid": "1a1c39", "cert": "-----BEGIN CERTIFICATE-----\nMIID\n-----END CERTIFICATE-----\n"},
      "public_certs": [{"kid": "1a1c39", "cert": "-----BEGIN CERTIFICATE-----\nMIID\n-----END CERTIFICATE-----\n"}]
    }"#;

    fn key(kid: &str) -> Jwk {
        Jwk {
            kid: kid.into(),
            kty: "RSA".into(),
            alg: Some("RS256".into()),
            use_: None,
            n: "n".into(),
            e: "AQAB".into(),
        }
    }

    #[test]
    fn certs_yield_their_rs256_keys() {
        let keys = parse_jwks(CERTS).unwrap();
        assert_eq!(keys.iter().map(|k| k.kid.as_str()).collect::<Vec<_>>(), ["1a1c39", "6c3bff"]);
        assert_eq!(keys[0].n, "5PKw");
        assert!(parse_jwks(r#"{"keys": []}"#).unwrap_err().contains("no RS256"));
        assert!(parse_jwks("<html>").unwrap_err().contains("not a JWKS"));
    }

    const T0: OffsetDateTime = datetime!(2026-12-01 10:00 UTC);

    #[test]
    fn an_empty_cache_fetches() {
        let mut cache = JwksCache::default();
        assert_eq!(cache.lookup("a", T0), Lookup::Fetch);
        cache.fetched(vec![key("a")], T0);
        assert_eq!(cache.lookup("a", T0), Lookup::Found(&key("a")));
    }

    #[test]
    fn an_unknown_kid_refetches_once_per_interval() {
        let mut cache = JwksCache::default();
        cache.fetched(vec![key("a")], T0);
        let t = T0 + Duration::minutes(10);
        // Access rotated: the new kid fetches, and the new keys answer.
        assert_eq!(cache.lookup("b", t), Lookup::Fetch);
        cache.fetched(vec![key("b"), key("a")], t);
        assert_eq!(cache.lookup("b", t), Lookup::Found(&key("b")));
        // Made-up kids right after: no second fetch until the interval is over.
        assert_eq!(cache.lookup("zzz", t + Duration::seconds(1)), Lookup::Unknown);
        assert_eq!(cache.lookup("zzz", t + REFETCH_MIN - Duration::seconds(1)), Lookup::Unknown);
        assert_eq!(cache.lookup("zzz", t + REFETCH_MIN), Lookup::Fetch);
        // A known key is used meanwhile.
        assert_eq!(cache.lookup("a", t + Duration::seconds(1)), Lookup::Found(&key("a")));
    }

    #[test]
    fn stale_keys_are_refetched_and_used_only_for_a_while() {
        let mut cache = JwksCache::default();
        cache.fetched(vec![key("a")], T0);
        assert_eq!(cache.lookup("a", T0 + TTL - Duration::seconds(1)), Lookup::Found(&key("a")));
        let stale = T0 + TTL;
        assert_eq!(cache.lookup("a", stale), Lookup::Fetch);
        // Cloudflare did not answer: the stale key still serves until MAX_STALE.
        cache.fetch_failed(stale);
        assert_eq!(cache.lookup("a", stale), Lookup::Found(&key("a")));
        assert_eq!(cache.lookup("a", stale + REFETCH_MIN), Lookup::Fetch);
        cache.fetch_failed(T0 + MAX_STALE);
        assert_eq!(cache.lookup("a", T0 + MAX_STALE), Lookup::Unknown);
        // A key Access dropped is gone after the next fetch.
        cache.fetched(vec![key("b")], T0 + MAX_STALE + REFETCH_MIN);
        assert_eq!(cache.lookup("a", T0 + MAX_STALE + REFETCH_MIN), Lookup::Unknown);
    }

    #[test]
    fn a_clock_that_went_back_does_not_block_fetching() {
        let mut cache = JwksCache::default();
        cache.fetch_failed(T0);
        assert_eq!(cache.lookup("a", T0 - Duration::minutes(1)), Lookup::Fetch);
    }
}
