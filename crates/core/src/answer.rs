//! Reading the answer to an action: success, or the provider's error with its own message.

use serde::de::DeserializeOwned;

use crate::de::parse_json;
use crate::error::Error;
use crate::http::Response;
use crate::provider::Provider;

/// Reads an answer whose body carries nothing of interest (204, `{"data": {}}`, a message):
/// success, or the provider's error with its own message.
pub fn expect_success(provider: Provider, response: &Response) -> Result<(), Error> {
    if response.is_success() {
        Ok(())
    } else {
        Err(Error::from_response(provider, response))
    }
}

/// Reads a successful answer's JSON body as `T`, or the provider's error.
pub fn expect_json<T: DeserializeOwned>(provider: Provider, response: &Response) -> Result<T, Error> {
    expect_success(provider, response)?;
    parse_json(provider, &response.body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_and_the_providers_error() {
        assert_eq!(expect_success(Provider::Mittwald, &Response::new(204, "")), Ok(()));
        let err =
            expect_success(Provider::ServerAvatar, &Response::new(500, r#"{"message": "Backup not completed."}"#));
        assert_eq!(err.unwrap_err().to_string(), "ServerAvatar answered 500: Backup not completed.");
        let v: serde_json::Value = expect_json(Provider::Northflank, &Response::new(200, r#"{"data": {}}"#)).unwrap();
        assert_eq!(v["data"], serde_json::json!({}));
    }
}
