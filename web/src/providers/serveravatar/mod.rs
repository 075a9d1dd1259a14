//! ServerAvatar in the SPA (the rules are `backboard_core::actions::serveravatar` and the
//! provider's create form in the core): a backup's actions, the organization's tools below the
//! list, the create-backup form and the connection form's part.

mod actions;
mod connection;
mod create;
mod tools;

use backboard_core::actions::serveravatar::{self as sa, delete_validation_errors, DeleteForm};
use backboard_core::connection::Account;
use backboard_core::providers::serveravatar as provider;
use backboard_core::{Connection, FieldError, Provider};

pub use actions::Actions;
pub use connection::{draft, KIND};
pub use create::CreateBackup;
pub use tools::Section;

use crate::actions::send_once;
use crate::clock::now;
use crate::state::AppState;
use crate::transport::base_for;

const P: Provider = Provider::ServerAvatar;

/// Everything a call needs: where to send it and with which account.
#[derive(Clone)]
struct Call {
    state: AppState,
    connection: Connection,
    account: provider::Account,
    base: String,
}

impl Call {
    fn of(state: AppState, connection: &Connection) -> Option<Call> {
        let Account::ServerAvatar(account) = &connection.account else { return None };
        Some(Call { state, account: account.clone(), base: base_for(connection), connection: connection.clone() })
    }

    /// Deletes `ids` with one call. `Err` carries what to show: the provider's message, or the
    /// per-id messages of a 422 (`fields`).
    async fn delete(&self, ids: &[String]) -> Result<String, (String, Vec<FieldError>)> {
        let request = DeleteForm { ids: ids.to_vec() }
            .validate(now())
            .map_err(|errors| ("Nothing was sent.".to_string(), errors))?;
        let response = send_once(P, sa::delete_request(&self.base, &self.account, &request))
            .await
            .map_err(|e| (e.to_string(), Vec::new()))?;
        sa::parse_delete(&response).map_err(|e| (e.to_string(), delete_validation_errors(&response.body)))
    }
}
