//! Northflank in the SPA (the rules are `backboard_core::actions::northflank`): an addon
//! backup's actions, the addon's tools below the list (create a backup, create a schedule) and
//! the connection form's part (an addon, or a backup destination).

mod actions;
mod connection;
mod tools;

use std::cell::RefCell;
use std::rc::Rc;

use backboard_core::actions::northflank::{self as nf, Addon, BackupDetails};
use backboard_core::connection::Account;
use backboard_core::providers::northflank::{self as provider, Listed};
use backboard_core::{Backup, Connection, Provider};
use leptos::prelude::*;

pub use actions::Actions;
pub use connection::{draft, ADDON, DESTINATION};
pub use tools::Section;

use crate::actions::{poll_until, read, replace_listed};
use crate::state::AppState;
use crate::transport::base_for;

const P: Provider = Provider::Northflank;

/// What a destination backup's details point out: the schedules it travels with.
pub fn highlights(backup: &provider::DestinationBackup) -> Vec<AnyView> {
    backup.schedules.iter().flatten().map(|s| view! { <li>"Schedule: " {s.in_words()}</li> }.into_any()).collect()
}
/// Checks of one long-running state: with the 1 s … 30 s backoff, about five minutes.
const MAX_CHECKS: u32 = 14;

/// Everything a call needs: where to send it and for which addon.
#[derive(Clone)]
struct Call {
    state: AppState,
    connection: Connection,
    account: provider::Account,
    addon: Addon,
    base: String,
}

impl Call {
    /// Actions work on an addon's own backups: only an addon connection has them.
    fn of(state: AppState, connection: &Connection) -> Option<Call> {
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
    fn listed(&self, details: &BackupDetails) -> Backup {
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
    async fn follow(
        self,
        backup_id: String,
        alive: impl Fn() -> bool,
        each: impl Fn(&BackupDetails) + 'static,
    ) -> Result<(BackupDetails, bool), String> {
        let last: Rc<RefCell<Option<Result<BackupDetails, String>>>> = Rc::default();
        let each = Rc::new(each);
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
            poll_until(check, alive, MAX_CHECKS).await;
        }
        let answer = last.borrow_mut().take().unwrap_or_else(|| Err("Northflank was not asked".into()))?;
        let settled = answer.is_settled();
        Ok((answer, settled))
    }
}
