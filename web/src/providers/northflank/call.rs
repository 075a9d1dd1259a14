//! How Northflank is called: an addon's account, where its requests go, and following a backup
//! until it settles.

use std::cell::RefCell;
use std::rc::Rc;

use backboard_core::providers::northflank::{self as nf, Addon, BackupDetails};
use backboard_core::providers::northflank::{self as provider, Listed};
use backboard_core::Account;
use backboard_core::{Backup, Connection, Provider};

use crate::actions::{poll_until, read, replace_listed};
use crate::state::AppState;
use crate::transport::base_for;

pub(super) const P: Provider = Provider::Northflank;
/// Checks of one long-running state: with the 1 s … 30 s backoff, about five minutes.
const MAX_CHECKS: u32 = 14;

/// Everything a call needs: where to send it and for which addon.
#[derive(Clone)]
pub(super) struct Call {
    pub state: AppState,
    pub connection: Connection,
    pub account: provider::Account,
    pub addon: Addon,
    pub base: String,
}

impl Call {
    /// Actions work on an addon's own backups: only an addon connection has them.
    pub(super) fn of(state: AppState, connection: &Connection) -> Option<Call> {
        let Account::Northflank(account) = &connection.account else { return None };
        Some(Call {
            state,
            addon: Addon::of_account(account)?,
            account: account.clone(),
            base: base_for(connection),
            connection: connection.clone(),
        })
    }

    /// The backup as the list shows it.
    pub(super) fn listed(&self, details: &BackupDetails) -> Backup {
        provider::normalize(Listed::Addon(details.backup.clone()), &self.connection.source())
    }

    /// Reads one backup (a GET, so retried on transient failures).
    async fn get(&self, backup_id: &str) -> Result<BackupDetails, String> {
        let request = nf::get_request(&self.base, &self.account, &self.addon, backup_id);
        let response = read(P, request).await.map_err(|e| e.to_string())?;
        nf::parse_get(&response).map_err(|e| e.to_string())
    }

    /// Reads the backup now, then with `poll_until` until nothing more changes by itself
    /// (`BackupDetails::is_settled`), putting every answer in the list and handing it to `each`.
    /// Returns the last answer and whether it had settled.
    pub(super) async fn follow(
        self,
        backup_id: String,
        alive: Rc<dyn Fn() -> bool>,
        each: Rc<dyn Fn(&BackupDetails)>,
    ) -> Result<(BackupDetails, bool), String> {
        let last: Rc<RefCell<Option<Result<BackupDetails, String>>>> = Rc::default();
        let check = {
            let last = last.clone();
            move || {
                let (call, id, last, each) = (self.clone(), backup_id.clone(), last.clone(), each.clone());
                async move {
                    let answer = call.get(&id).await;
                    let settled = match &answer {
                        Ok(details) => {
                            replace_listed(call.state, &call.connection.id, call.listed(details));
                            each(details);
                            details.is_settled()
                        }
                        Err(_) => true,
                    };
                    *last.borrow_mut() = Some(answer);
                    settled
                }
            }
        };
        if !check().await {
            poll_until(check, move || alive(), MAX_CHECKS).await;
        }
        let answer = last.borrow_mut().take().unwrap_or_else(|| Err("Northflank was not asked".into()))?;
        let settled = answer.is_settled();
        Ok((answer, settled))
    }
}
