//! How ServerAvatar is called: an organization's account and where its requests go.

use backboard_core::providers::serveravatar as provider;
use backboard_core::providers::serveravatar::{self as sa, delete_validation_errors, DeleteForm};
use backboard_core::Account;
use backboard_core::{Connection, FieldError, Provider};

use crate::actions::send_once;
use crate::clock::now;
use crate::state::AppState;
use crate::transport::base_for;

pub(super) const P: Provider = Provider::ServerAvatar;

/// Everything a call needs: where to send it and with which account.
#[derive(Clone)]
pub(super) struct Call {
    pub state: AppState,
    pub connection: Connection,
    pub account: provider::Account,
    pub base: String,
}

impl Call {
    pub(super) fn of(state: AppState, connection: &Connection) -> Option<Call> {
        let Account::ServerAvatar(account) = &connection.account else { return None };
        Some(Call { state, account: account.clone(), base: base_for(connection), connection: connection.clone() })
    }

    /// Deletes `ids` with one call. `Err` carries what to show: the provider's message, or the
    /// per-id messages of a 422 (`fields`).
    pub(super) async fn delete(&self, ids: &[String]) -> Result<String, (String, Vec<FieldError>)> {
        let request = DeleteForm { ids: ids.to_vec() }
            .validate(now())
            .map_err(|errors| ("Nothing was sent.".to_string(), errors))?;
        let response = send_once(P, sa::delete_request(&self.base, &self.account, &request))
            .await
            .map_err(|e| (e.to_string(), Vec::new()))?;
        sa::parse_delete(&response).map_err(|e| (e.to_string(), delete_validation_errors(&response.body)))
    }
}
