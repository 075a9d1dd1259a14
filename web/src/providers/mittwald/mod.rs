//! mittwald in the SPA (every rule is the core's, `backboard_core::actions::mittwald`: forms
//! validate there before anything is sent, requests are built and answers read there).
//!
//! In a backup's details panel ([`Actions`]): edit its description and expiration, delete it
//! (only when mittwald marks it deletable), export it (then poll until the download is ready),
//! delete the export, and restore databases and paths. Below the list ([`Section`], one per
//! mittwald connection): create a backup, and the project's backup schedules.

mod actions;
mod connection;
mod export;
mod restore;
mod schedules;
mod tools;

use backboard_core::actions::mittwald as mw;
use backboard_core::connection::Account;
use backboard_core::providers::mittwald::{self as provider, ProjectBackup};
use backboard_core::{Connection, Error, FieldError, Provider, Request, Response};
use leptos::prelude::*;

pub use actions::Actions;
pub use connection::{draft, KIND};
pub use tools::Section;

use crate::actions::{read, replace_listed, send_once};
use crate::state::AppState;
use crate::ui::text::safe_link;

const P: Provider = Provider::Mittwald;

/// What a backup's details point out: its export (with the download and checksum) and restores.
pub fn highlights(b: &ProjectBackup) -> Vec<AnyView> {
    let mut out = Vec::new();
    if let Some(export) = &b.export {
        let phase = export.phase.as_ref().map(|p| p.to_string()).unwrap_or_else(|| "unknown".into());
        out.push(view! { <li>{format!("Export ({}): {phase}", export.format)}</li> }.into_any());
        if let Some(url) = export.download_url.as_deref().and_then(safe_link) {
            out.push(
                view! { <li><a href=url rel="noopener noreferrer" target="_blank">"Download the export"</a></li> }
                    .into_any(),
            );
        }
        if let Some(sum) = &export.sha256_checksum {
            out.push(view! { <li>"SHA-256: " <code>{sum.clone()}</code></li> }.into_any());
        }
    }
    if let Some(restore) = &b.restore {
        out.push(view! { <li>{format!("Restore: {}", restore.phase)}</li> }.into_any());
    }
    if let Some(path) = &b.restore_path {
        out.push(view! { <li>{format!("Path restore {} → {}: {}", path.source_path, path.determined_target_path, path.phase)}</li> }.into_any());
    }
    out
}

/// Everything an action needs about its backup, cloned out before any await.
#[derive(Clone)]
struct Ctx {
    state: AppState,
    connection: Connection,
    account: provider::Account,
    base: String,
    id: String,
    /// How the backup is named to people: its description, else its id.
    name: String,
}

fn account_of(connection: &Connection) -> Option<provider::Account> {
    let Account::Mittwald(account) = &connection.account else { return None };
    Some(account.clone())
}

/// What mittwald refused: its message, and what it said about which fields.
struct Refusal {
    message: String,
    fields: Vec<FieldError>,
}

/// Sends an action once and reads the answer with `parse`. A refusal's per-field messages come
/// back for the form's fields; a refusal without them (412 …) is put on `refusal_field`.
async fn act<T>(
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
async fn fetch_backup(ctx: &Ctx) -> Result<ProjectBackup, Error> {
    let response = read(P, mw::get_backup_request(&ctx.base, &ctx.account, &ctx.id)).await?;
    mw::parse_get_backup(&response)
}

/// Puts a fresh copy of the backup in the list.
fn relist(ctx: &Ctx, backup: ProjectBackup) {
    replace_listed(ctx.state, &ctx.connection.id, provider::normalize(backup, &ctx.connection.source()));
}

/// `2025-03-01T12:00` (UTC), the value of a datetime-local input, which the core reads as UTC.
fn local_value(t: time::OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!("{:04}-{:02}-{:02}T{:02}:{:02}", t.year(), u8::from(t.month()), t.day(), t.hour(), t.minute())
}
