//! The one error type of the core. Messages are for people and never contain tokens.

use std::fmt;

use crate::provider::Provider;

/// One problem with one field of a form, shown next to that field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self { field, message: message.into() }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Error {
    /// No HTTP answer: network down, DNS, CORS refused, connection reset.
    Transport { provider: Provider, message: String },
    /// The provider answered with an error status; `message` is the provider's own text.
    Http { provider: Provider, status: u16, message: String, retry_after_secs: Option<u64> },
    /// The answer did not have the documented shape; `field` is the JSON path that failed.
    Parse { provider: Provider, field: String, message: String },
    /// Input rejected before anything was sent.
    Validation(Vec<FieldError>),
    /// A connection is missing something it needs (token, ids).
    Config(String),
}

impl Error {
    pub fn provider(&self) -> Option<Provider> {
        match self {
            Error::Transport { provider, .. } | Error::Http { provider, .. } | Error::Parse { provider, .. } => {
                Some(*provider)
            }
            _ => None,
        }
    }

    /// Worth retrying a GET: network failure, rate limit, gateway trouble.
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Transport { .. } => true,
            Error::Http { status, .. } => matches!(status, 429 | 502 | 503 | 504),
            _ => false,
        }
    }

    /// Builds the error for a non-success response, taking the provider's own message.
    pub fn from_response(provider: Provider, response: &crate::http::Response) -> Self {
        let retry_after_secs = response.header("retry-after").and_then(|v| v.trim().parse::<u64>().ok());
        Error::Http {
            provider,
            status: response.status,
            message: provider_message(&response.body)
                .unwrap_or_else(|| format!("HTTP {} without a message", response.status)),
            retry_after_secs,
        }
    }
}

/// The human message of a provider's error body: `{"message"}` (ServerAvatar, mittwald),
/// `{"error": {"message"}}` or `{"error": "..."}` (Northflank and gateways), plus mittwald's
/// validation details. Bodies that are not JSON give their first line of text, if short.
pub fn provider_message(body: &[u8]) -> Option<String> {
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(body) {
        let mut msg = v
            .get("message")
            .and_then(|m| m.as_str())
            .or_else(|| v.get("error").and_then(|e| e.get("message")).and_then(|m| m.as_str()))
            .or_else(|| v.get("error").and_then(|e| e.as_str()))
            // A blank message says nothing: fall back to the details or the status.
            .filter(|m| !m.trim().is_empty())
            .map(str::to_string);
        if let Some(list) = v.get("validationErrors").and_then(|e| e.as_array()) {
            let details: Vec<String> = list
                .iter()
                .filter_map(|e| {
                    let m = e.get("message")?.as_str().filter(|m| !m.trim().is_empty())?;
                    Some(match e.get("path").and_then(|p| p.as_str()) {
                        Some(p) if !p.is_empty() => format!("{p}: {m}"),
                        _ => m.to_string(),
                    })
                })
                .collect();
            if !details.is_empty() {
                let joined = details.join("; ");
                msg = Some(match msg {
                    Some(m) => format!("{m} ({joined})"),
                    None => joined,
                });
            }
        }
        if let Some(errors) = v.get("errors").and_then(|e| e.as_object()) {
            // Laravel validation: {"message", "errors": {"field": ["..."]}}
            let details: Vec<String> = errors
                .values()
                .filter_map(|list| list.as_array())
                .flat_map(|l| l.iter().filter_map(|m| m.as_str().filter(|m| !m.trim().is_empty()).map(str::to_string)))
                .collect();
            if !details.is_empty() && msg.is_none() {
                msg = Some(details.join("; "));
            }
        }
        return msg;
    }
    let text = String::from_utf8_lossy(body);
    let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    (line.len() <= 200 && !line.starts_with('<')).then(|| line.to_string())
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Transport { provider, message } => write!(f, "{provider} could not be reached: {message}"),
            Error::Http { provider, status, message, .. } => write!(f, "{provider} answered {status}: {message}"),
            Error::Parse { provider, field, message } => {
                write!(f, "{provider} sent an unexpected answer at `{field}`: {message}")
            }
            Error::Validation(errors) => {
                let parts: Vec<String> = errors.iter().map(|e| format!("{}: {}", e.field, e.message)).collect();
                write!(f, "invalid input: {}", parts.join("; "))
            }
            Error::Config(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::Response;

    #[test]
    fn takes_the_providers_message() {
        let r = Response::new(404, r#"{"message": "Organization not found!"}"#);
        let e = Error::from_response(Provider::ServerAvatar, &r);
        assert_eq!(e.to_string(), "ServerAvatar answered 404: Organization not found!");
        assert!(!e.is_transient());
    }

    #[test]
    fn mittwald_validation_details_and_retry_after() {
        let body = r#"{"type":"ValidationError","message":"Validation failed","validationErrors":[{"message":"must be uuid","path":"projectId","type":"format"}]}"#;
        let r = Response::new(400, body).with_header("Retry-After", "3");
        match Error::from_response(Provider::Mittwald, &r) {
            Error::Http { message, retry_after_secs, .. } => {
                assert_eq!(message, "Validation failed (projectId: must be uuid)");
                assert_eq!(retry_after_secs, Some(3));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn non_json_bodies() {
        assert_eq!(provider_message(b"upstream timed out\n"), Some("upstream timed out".into()));
        assert_eq!(provider_message(b"<html><body>502</body></html>"), None);
        assert_eq!(
            provider_message(br#"{"error":{"status":401,"message":"Unauthorized"}}"#),
            Some("Unauthorized".into())
        );
    }

    #[test]
    fn a_blank_message_falls_back_to_the_status() {
        // Found by the property test: `{"error": ""}` once gave an empty message.
        assert_eq!(provider_message(br#"{"error": ""}"#), None);
        assert_eq!(provider_message(br#"{"message": "  ", "errors": {"x": ["Bad x."]}}"#), Some("Bad x.".into()));
        let err = Error::from_response(Provider::Northflank, &crate::http::Response::new(401, r#"{"error": ""}"#));
        assert_eq!(err.to_string(), "Northflank answered 401: HTTP 401 without a message");
    }

    #[test]
    fn blank_details_fall_back_to_the_status() {
        // Found by the long property run (seed 4242): a list of blank details said nothing.
        let err = Error::from_response(Provider::ServerAvatar, &Response::new(401, r#"{"errors": {"active": [""]}}"#));
        assert_eq!(err.to_string(), "ServerAvatar answered 401: HTTP 401 without a message");
        let blank = r#"{"validationErrors": [{"message": " ", "path": ""}, {"message": "", "path": "x"}]}"#;
        assert_eq!(provider_message(blank.as_bytes()), None);
        assert_eq!(provider_message(br#"{"errors": {"a": ["", "Bad a."]}}"#), Some("Bad a.".into()));
    }
}
