//! How mittwald is called: a project's account, one backup's context, actions sent once with
//! mittwald's refusals by field, and the backup read again.

use backboard_core::providers::mittwald as mw;
use backboard_core::providers::mittwald::{self as provider, ProjectBackup};
use backboard_core::Account;
use backboard_core::{Connection, Error, FieldError, Provider, Request, Response};

use crate::actions::{read, replace_listed, send_once};
use crate::state::AppState;

pub(super) const P: Provider = Provider::Mittwald;

/// Everything an action needs about its backup, cloned out before any await.
#[derive(Clone)]
pub(super) struct Ctx {
    pub state: AppState,
    pub connection: Connection,
    pub account: provider::Account,
    pub base: String,
    pub id: String,
    /// How the backup is named to people: its description, else its id.
    pub name: String,
}

pub(super) fn account_of(connection: &Connection) -> Option<provider::Account> {
    let Account::Mittwald(account) = &connection.account else { return None };
    Some(account.clone())
}

/// What mittwald refused: its message, and what it said about which fields.
pub(super) struct Refusal {
    pub message: String,
    pub fields: Vec<FieldError>,
}

/// Sends an action once and reads the answer with `parse`. A refusal's per-field messages come
/// back for the form's fields; a refusal without them (412 …) is put on `refusal_field`.
pub(super) async fn act<T>(
    request: Request,
    parse: fn(&Response) -> Result<T, Error>,
    refusal_field: Option<&'static str>,
) -> Result<T, Refusal> {
    let response = send_once(P, request).await.map_err(|e| Refusal {
        message: format!("{e}. It was sent once and not repeated; reload the list to see whether it took effect."),
        fields: Vec::new(),
    })?;
    parse(&response).map_err(|e| {
        let mut fields = mw::validation_errors(&response.body);
        if let (true, Some(field), Error::Http { message, .. }) = (fields.is_empty(), refusal_field, &e) {
            fields.push(FieldError::new(field, format!("mittwald refused: {message}")));
        }
        Refusal { message: e.to_string(), fields }
    })
}

/// Reads one backup again (after an action, or while polling).
pub(super) async fn fetch_backup(ctx: &Ctx) -> Result<ProjectBackup, Error> {
    let response = read(P, mw::get_backup_request(&ctx.base, &ctx.account, &ctx.id)).await?;
    mw::parse_get_backup(&response)
}

/// Puts a fresh copy of the backup in the list.
pub(super) fn relist(ctx: &Ctx, backup: ProjectBackup) {
    replace_listed(ctx.state, &ctx.connection.id, provider::normalize(backup, &ctx.connection.source()));
}

/// `2025-03-01T12:00` (UTC), the value of a datetime-local input, which the core reads as UTC.
pub(super) fn local_value(t: time::OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!("{:04}-{:02}-{:02}T{:02}:{:02}", t.year(), u8::from(t.month()), t.day(), t.hour(), t.minute())
}
