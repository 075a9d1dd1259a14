//! Cloudflare Access's identity: the `Cf-Access-Jwt-Assertion` header verified. RS256 only,
//! with a kid from the team's keys ([`super::jwks`]); `aud` must name the application, `iss` the
//! team, and `exp`/`nbf` hold within [`LEEWAY`]. The RSA check itself is the host's
//! ([`Verifier`]): the worker has WebCrypto, which costs its wasm nothing.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Deserialize;
use time::OffsetDateTime;

use super::jwks::{Jwk, JwksCache, Lookup};
use crate::http::origin_of;

/// The request header Access sets.
pub const HEADER: &str = "Cf-Access-Jwt-Assertion";
/// Clock difference tolerated on `exp` and `nbf`, in seconds: the edge's clock and Access's
/// agree closely, and a minute keeps a token issued "now" from being early.
pub const LEEWAY: i64 = 60;
/// Longest assertion read; Access's are about 1 KB.
const MAX_LEN: usize = 8 * 1024;

/// The application the worker sits behind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessConfig {
    /// `https://<team>.cloudflareaccess.com`: the tokens' `iss`, and where the certs are.
    pub issuer: String,
    /// The Access application's AUD tag.
    pub audience: String,
}

impl AccessConfig {
    /// `team` is the team name (`acme`), its domain (`acme.cloudflareaccess.com`), or an origin
    /// (`https://acme.cloudflareaccess.com`; plain http only on loopback, for tests).
    pub fn new(team: &str, audience: &str) -> Result<Self, String> {
        let team = team.trim().trim_end_matches('/');
        let audience = audience.trim();
        if audience.is_empty() {
            return Err("the Access application's AUD tag is empty".into());
        }
        let issuer = if team.contains("://") {
            let origin = origin_of(team).filter(|o| o == team).ok_or_else(|| format!("{team:?} is not an origin"))?;
            let loopback = ["http://127.0.0.1", "http://localhost"]
                .iter()
                .any(|l| origin == *l || origin.strip_prefix(l).is_some_and(|rest| rest.starts_with(':')));
            if !origin.starts_with("https://") && !loopback {
                return Err(format!("{team:?} must be https"));
            }
            origin
        } else {
            let name = team.strip_suffix(".cloudflareaccess.com").unwrap_or(team);
            if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
                return Err(format!("{team:?} is not a Cloudflare Access team name"));
            }
            format!("https://{}.cloudflareaccess.com", name.to_ascii_lowercase())
        };
        Ok(Self { issuer, audience: audience.to_string() })
    }

    /// Where the team's signing keys are.
    pub fn certs_url(&self) -> String {
        format!("{}/cdn-cgi/access/certs", self.issuer)
    }
}

/// Why an assertion was refused: for the log, never for the caller, who gets a bare 401.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Denied {
    Missing,
    Malformed,
    /// Not RS256 (`none`, HS256, ...).
    Algorithm(String),
    UnknownKey,
    Signature,
    Audience,
    Issuer,
    Expired,
    NotYetValid,
    NoEmail,
}

impl std::fmt::Display for Denied {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Denied::Missing => f.write_str("no Access assertion"),
            Denied::Malformed => f.write_str("the Access assertion is not a JWT"),
            Denied::Algorithm(a) => write!(f, "the Access assertion's alg {a:?} is not RS256"),
            Denied::UnknownKey => f.write_str("the Access assertion's kid is not among the team's keys"),
            Denied::Signature => f.write_str("the Access assertion's signature does not verify"),
            Denied::Audience => f.write_str("the Access assertion is for another application"),
            Denied::Issuer => f.write_str("the Access assertion is from another team"),
            Denied::Expired => f.write_str("the Access assertion has expired"),
            Denied::NotYetValid => f.write_str("the Access assertion is not valid yet"),
            Denied::NoEmail => f.write_str("the Access assertion names no email (a service token?)"),
        }
    }
}

#[derive(Deserialize)]
struct Header {
    alg: String,
    #[serde(default)]
    kid: Option<String>,
    /// Extensions the token says must be understood: none are, so any refuses it (RFC 7515).
    #[serde(default)]
    crit: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Audience {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
struct Claims {
    #[serde(default)]
    aud: Option<Audience>,
    #[serde(default)]
    iss: Option<String>,
    #[serde(default)]
    exp: Option<f64>,
    #[serde(default)]
    nbf: Option<f64>,
    #[serde(default)]
    email: Option<String>,
}

/// An assertion taken apart, not yet trusted.
pub struct Assertion<'a> {
    kid: String,
    claims: Claims,
    signed: &'a str,
    signature: Vec<u8>,
}

fn json_part<T: for<'de> Deserialize<'de>>(part: &str) -> Result<T, Denied> {
    let bytes = URL_SAFE_NO_PAD.decode(part).map_err(|_| Denied::Malformed)?;
    serde_json::from_slice(&bytes).map_err(|_| Denied::Malformed)
}

/// Splits `header.payload.signature` and reads the header and claims. Refuses any alg but RS256
/// before anything else is looked at.
pub fn parse(token: &str) -> Result<Assertion<'_>, Denied> {
    let token = token.trim();
    if token.is_empty() {
        return Err(Denied::Missing);
    }
    if token.len() > MAX_LEN {
        return Err(Denied::Malformed);
    }
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Denied::Malformed);
    };
    let head: Header = json_part(header)?;
    if head.alg != "RS256" {
        let alg = head.alg.chars().take(16).collect();
        return Err(Denied::Algorithm(alg));
    }
    if head.crit.is_some() {
        return Err(Denied::Malformed);
    }
    let kid = head.kid.filter(|k| !k.is_empty()).ok_or(Denied::UnknownKey)?;
    let claims: Claims = json_part(payload)?;
    let signature = URL_SAFE_NO_PAD.decode(signature).map_err(|_| Denied::Malformed)?;
    if signature.is_empty() {
        return Err(Denied::Signature);
    }
    let signed = &token[..header.len() + 1 + payload.len()];
    Ok(Assertion { kid, claims, signed, signature })
}

impl Assertion<'_> {
    /// The key id the header names.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// Checks `aud`, `iss`, `exp` and `nbf` (with [`LEEWAY`]) and reads the email, lower-cased.
    pub fn check_claims(&self, config: &AccessConfig, now: OffsetDateTime) -> Result<String, Denied> {
        let c = &self.claims;
        let aud_ok = match &c.aud {
            Some(Audience::One(a)) => *a == config.audience,
            Some(Audience::Many(all)) => all.contains(&config.audience),
            None => false,
        };
        if !aud_ok {
            return Err(Denied::Audience);
        }
        if c.iss.as_deref() != Some(config.issuer.as_str()) {
            return Err(Denied::Issuer);
        }
        let now = now.unix_timestamp() as f64;
        match c.exp {
            Some(exp) if now <= exp + LEEWAY as f64 => {}
            _ => return Err(Denied::Expired),
        }
        if c.nbf.is_some_and(|nbf| now + (LEEWAY as f64) < nbf) {
            return Err(Denied::NotYetValid);
        }
        let email = c.email.as_deref().map(normalize_email).filter(|e| e.contains('@')).ok_or(Denied::NoEmail)?;
        Ok(email)
    }
}

/// Members are known by email, compared trimmed and lower-cased.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_ascii_lowercase()
}

/// The host's RSASSA-PKCS1-v1_5 SHA-256 check (WebCrypto's `verify`, in the worker).
#[allow(async_fn_in_trait)]
pub trait Verifier {
    async fn rs256(&self, key: &Jwk, signed: &[u8], signature: &[u8]) -> bool;
}

/// What to do with an assertion, given the isolate's key cache.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// The cache asks for the certs: fetch [`AccessConfig::certs_url`], update the cache, and
    /// call [`verify`] again.
    FetchKeys,
    /// Verified: the caller's email.
    Member(String),
    Denied(Denied),
}

/// Verifies `token` completely: form and alg, key, signature, then the claims.
pub async fn verify<V: Verifier>(
    token: Option<&str>,
    config: &AccessConfig,
    cache: &JwksCache,
    verifier: &V,
    now: OffsetDateTime,
) -> Step {
    let assertion = match token.map(parse).unwrap_or(Err(Denied::Missing)) {
        Ok(a) => a,
        Err(d) => return Step::Denied(d),
    };
    let key = match cache.lookup(assertion.kid(), now) {
        Lookup::Found(key) => key,
        Lookup::Fetch => return Step::FetchKeys,
        Lookup::Unknown => return Step::Denied(Denied::UnknownKey),
    };
    if !verifier.rs256(key, assertion.signed.as_bytes(), &assertion.signature).await {
        return Step::Denied(Denied::Signature);
    }
    match assertion.check_claims(config, now) {
        Ok(email) => Step::Member(email),
        Err(d) => Step::Denied(d),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use futures::executor::block_on;
    use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
    use rsa::pkcs8::DecodePrivateKey;
    use rsa::signature::{SignatureEncoding, Signer, Verifier as _};
    use rsa::traits::PublicKeyParts;
    use rsa::{BigUint, RsaPrivateKey, RsaPublicKey};
    use serde_json::json;
    use time::macros::datetime;

    use super::*;

    /// Two 2048-bit keys made once with `openssl genpkey`, so no test waits for a key generation.
    fn key(which: char) -> &'static RsaPrivateKey {
        static A: OnceLock<RsaPrivateKey> = OnceLock::new();
        static B: OnceLock<RsaPrivateKey> = OnceLock::new();
        let (cell, pem) = match which {
            'a' => (&A, include_str!("testdata/access-key-a.pem")),
            _ => (&B, include_str!("testdata/access-key-b.pem")),
        };
        cell.get_or_init(|| RsaPrivateKey::from_pkcs8_pem(pem).expect("test key"))
    }

    fn jwk(which: char, kid: &str) -> Jwk {
        let public = key(which).to_public_key();
        Jwk {
            kid: kid.into(),
            kty: "RSA".into(),
            alg: Some("RS256".into()),
            use_: Some("sig".into()),
            n: URL_SAFE_NO_PAD.encode(public.n().to_bytes_be()),
            e: URL_SAFE_NO_PAD.encode(public.e().to_bytes_be()),
        }
    }

    /// Stands in for WebCrypto: RSASSA-PKCS1-v1_5 with SHA-256 against the JWK's n and e.
    struct Rsa;

    impl Verifier for Rsa {
        async fn rs256(&self, key: &Jwk, signed: &[u8], signature: &[u8]) -> bool {
            let int = |s: &str| URL_SAFE_NO_PAD.decode(s).ok().map(|b| BigUint::from_bytes_be(&b));
            let (Some(n), Some(e)) = (int(&key.n), int(&key.e)) else { return false };
            let Ok(public) = RsaPublicKey::new(n, e) else { return false };
            let Ok(signature) = Signature::try_from(signature) else { return false };
            VerifyingKey::<rsa::sha2::Sha256>::new(public).verify(signed, &signature).is_ok()
        }
    }

    const NOW: OffsetDateTime = datetime!(2026-12-01 10:00 UTC);
    const AUD: &str = "4714c1358e65fe4b408ad6d432a5f878f08194bdb4752441fd56faefa9b2b6f2";

    fn config() -> AccessConfig {
        AccessConfig::new("acme", AUD).unwrap()
    }

    fn b64(v: &serde_json::Value) -> String {
        URL_SAFE_NO_PAD.encode(v.to_string())
    }

    fn claims() -> serde_json::Value {
        let t = NOW.unix_timestamp();
        json!({
            "aud": [AUD], "email": "Ana@Example.com", "exp": t + 600, "iat": t - 10, "nbf": t - 10,
            "iss": "https://acme.cloudflareaccess.com", "type": "app", "identity_nonce": "x", "sub": "u1",
            "country": "DE"
        })
    }

    fn signed_by(which: char, header: &serde_json::Value, claims: &serde_json::Value) -> String {
        let input = format!("{}.{}", b64(header), b64(claims));
        let signature = SigningKey::<rsa::sha2::Sha256>::new(key(which).clone()).sign(input.as_bytes());
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()))
    }

    fn token_with(claims: &serde_json::Value) -> String {
        signed_by('a', &json!({"alg": "RS256", "kid": "ka", "typ": "JWT"}), claims)
    }

    fn cache() -> JwksCache {
        let mut cache = JwksCache::default();
        cache.fetched(vec![jwk('a', "ka"), jwk('b', "kb")], NOW);
        cache
    }

    fn check(token: &str) -> Step {
        block_on(verify(Some(token), &config(), &cache(), &Rsa, NOW))
    }

    fn with(change: impl FnOnce(&mut serde_json::Value)) -> String {
        let mut c = claims();
        change(&mut c);
        token_with(&c)
    }

    #[test]
    fn a_valid_assertion_names_its_member() {
        assert_eq!(check(&token_with(&claims())), Step::Member("ana@example.com".into()));
        // `aud` as one string, and no nbf.
        let t = with(|c| {
            c["aud"] = json!(AUD);
            c.as_object_mut().unwrap().remove("nbf");
        });
        assert_eq!(check(&t), Step::Member("ana@example.com".into()));
        assert_eq!(check(&with(|c| c["aud"] = json!(["other", AUD]))), Step::Member("ana@example.com".into()));
    }

    #[test]
    fn a_forged_or_altered_signature_is_refused() {
        // Signed by key b, claiming key a's kid.
        let forged = signed_by('b', &json!({"alg": "RS256", "kid": "ka"}), &claims());
        assert_eq!(check(&forged), Step::Denied(Denied::Signature));
        // Key a's signature over other claims.
        let good = token_with(&claims());
        let mut evil = claims();
        evil["email"] = json!("boss@example.com");
        let (_, sig) = good.rsplit_once('.').unwrap();
        let altered = format!("{}.{}.{sig}", b64(&json!({"alg": "RS256", "kid": "ka", "typ": "JWT"})), b64(&evil));
        assert_eq!(check(&altered), Step::Denied(Denied::Signature));
        // No signature, or a signature of the wrong length.
        let (head, _) = good.rsplit_once('.').unwrap();
        assert_eq!(check(&format!("{head}.")), Step::Denied(Denied::Signature));
        assert_eq!(check(&format!("{head}.AAAA")), Step::Denied(Denied::Signature));
        // Key b's own assertion verifies.
        let b = signed_by('b', &json!({"alg": "RS256", "kid": "kb"}), &claims());
        assert_eq!(check(&b), Step::Member("ana@example.com".into()));
    }

    #[test]
    fn an_unknown_kid_fetches_once_then_is_refused() {
        let t = signed_by('a', &json!({"alg": "RS256", "kid": "k-new"}), &claims());
        let mut cache = cache();
        let later = NOW + REFETCH;
        assert_eq!(block_on(verify(Some(&t), &config(), &cache, &Rsa, later)), Step::FetchKeys);
        cache.fetched(vec![jwk('b', "kb")], later);
        assert_eq!(block_on(verify(Some(&t), &config(), &cache, &Rsa, later)), Step::Denied(Denied::UnknownKey));
        // Access rotated to the new kid: after the fetch it verifies.
        let mut rotated = JwksCache::default();
        assert_eq!(block_on(verify(Some(&t), &config(), &rotated, &Rsa, NOW)), Step::FetchKeys);
        rotated.fetched(vec![jwk('a', "k-new")], NOW);
        assert_eq!(block_on(verify(Some(&t), &config(), &rotated, &Rsa, NOW)), Step::Member("ana@example.com".into()));
        // No kid at all.
        assert_eq!(check(&signed_by('a', &json!({"alg": "RS256"}), &claims())), Step::Denied(Denied::UnknownKey));
    }

    const REFETCH: time::Duration = super::super::jwks::REFETCH_MIN;

    #[test]
    fn time_bounds_hold_within_the_leeway() {
        let t = NOW.unix_timestamp();
        assert_eq!(check(&with(|c| c["exp"] = json!(t - LEEWAY))), Step::Member("ana@example.com".into()));
        assert_eq!(check(&with(|c| c["exp"] = json!(t - LEEWAY - 1))), Step::Denied(Denied::Expired));
        assert_eq!(check(&with(|c| c["exp"] = json!(t - 3600))), Step::Denied(Denied::Expired));
        assert_eq!(check(&with(|c| c["exp"] = json!(null))), Step::Denied(Denied::Expired));
        assert_eq!(check(&with(|c| c["nbf"] = json!(t + LEEWAY))), Step::Member("ana@example.com".into()));
        assert_eq!(check(&with(|c| c["nbf"] = json!(t + LEEWAY + 1))), Step::Denied(Denied::NotYetValid));
        assert_eq!(check(&with(|c| c["nbf"] = json!(t + 3600))), Step::Denied(Denied::NotYetValid));
    }

    #[test]
    fn another_application_or_team_is_refused() {
        assert_eq!(check(&with(|c| c["aud"] = json!(["other-app"]))), Step::Denied(Denied::Audience));
        assert_eq!(check(&with(|c| c["aud"] = json!("other-app"))), Step::Denied(Denied::Audience));
        assert_eq!(check(&with(|c| c["aud"] = json!([]))), Step::Denied(Denied::Audience));
        assert_eq!(check(&with(|c| c["aud"] = json!(null))), Step::Denied(Denied::Audience));
        for iss in ["https://evil.cloudflareaccess.com", "https://acme.cloudflareaccess.com/", "acme"] {
            assert_eq!(check(&with(|c| c["iss"] = json!(iss))), Step::Denied(Denied::Issuer), "{iss}");
        }
        assert_eq!(check(&with(|c| c["email"] = json!(""))), Step::Denied(Denied::NoEmail));
        assert_eq!(check(&with(|c| c["email"] = json!(null))), Step::Denied(Denied::NoEmail));
    }

    #[test]
    fn other_algorithms_are_refused_before_any_key_is_looked_at() {
        let body = b64(&claims());
        let none = format!("{}.{body}.", b64(&json!({"alg": "none", "kid": "ka"})));
        assert_eq!(check(&none), Step::Denied(Denied::Algorithm("none".into())));
        // HS256 "signed" with the public key as the HMAC secret: the classic confusion.
        let hs = format!("{}.{body}.c2lnbmF0dXJl", b64(&json!({"alg": "HS256", "kid": "ka"})));
        assert_eq!(check(&hs), Step::Denied(Denied::Algorithm("HS256".into())));
        let lower = signed_by('a', &json!({"alg": "rs256", "kid": "ka"}), &claims());
        assert_eq!(check(&lower), Step::Denied(Denied::Algorithm("rs256".into())));
        // Even with an empty cache, nothing is fetched for them.
        let empty = JwksCache::default();
        assert_eq!(
            block_on(verify(Some(&hs), &config(), &empty, &Rsa, NOW)),
            Step::Denied(Denied::Algorithm("HS256".into()))
        );
    }

    #[test]
    fn malformed_assertions_are_refused() {
        assert_eq!(block_on(verify(None, &config(), &cache(), &Rsa, NOW)), Step::Denied(Denied::Missing));
        let good = token_with(&claims());
        for bad in [
            "x".to_string(),
            "a.b".into(),
            format!("{good}.x"),
            format!("!{good}"),
            format!("{}.{}.sig", b64(&json!({"alg": "RS256", "kid": "ka"})), "bm90IGpzb24"),
            "x".repeat(MAX_LEN + 1),
        ] {
            assert_eq!(check(&bad), Step::Denied(Denied::Malformed), "{bad}");
        }
        assert_eq!(check("  "), Step::Denied(Denied::Missing));
        let crit = signed_by('a', &json!({"alg": "RS256", "kid": "ka", "crit": ["exp"]}), &claims());
        assert_eq!(check(&crit), Step::Denied(Denied::Malformed));
    }

    #[test]
    fn the_team_is_read_as_name_domain_or_origin() {
        let iss = |t: &str| AccessConfig::new(t, "aud").map(|c| c.issuer);
        assert_eq!(iss("acme"), Ok("https://acme.cloudflareaccess.com".into()));
        assert_eq!(iss("Acme.cloudflareaccess.com"), Ok("https://acme.cloudflareaccess.com".into()));
        assert_eq!(iss("https://acme.cloudflareaccess.com/"), Ok("https://acme.cloudflareaccess.com".into()));
        assert_eq!(iss("http://127.0.0.1:9911"), Ok("http://127.0.0.1:9911".into()));
        assert!(iss("http://acme.example").is_err());
        assert!(iss("http://127.0.0.1.evil.example").is_err());
        assert!(iss("https://acme.example/path").is_err());
        assert!(iss("acme/x").is_err());
        assert!(AccessConfig::new("acme", " ").is_err());
        assert_eq!(config().certs_url(), "https://acme.cloudflareaccess.com/cdn-cgi/access/certs");
    }
}
