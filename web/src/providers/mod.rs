//! Every provider's part of the SPA, behind one registry: the only place that matches on a
//! provider. A provider is a folder here (its details-panel actions, its tools on a source's
//! page, its forms, its part of the connection form) and a line in each table below.

mod draft;
mod mittwald;
mod northflank;
#[cfg(test)]
pub mod samples;
mod serveravatar;

pub use draft::{Draft, Kind};

use backboard_core::providers::Details;
use backboard_core::Account;
use backboard_core::{Backup, Connection, FieldError, Provider, Token};
use leptos::prelude::*;

use crate::state::{connection_of, AppState};
use crate::ui::lazy::PartMissing;

// ---------------------------------------------------------------------------------------------
// A backup's details

/// The actions for one backup in its details panel: a part of the app of its own, loaded when a
/// backup's details first open (cut out by wasm-split, see `cargo xtask build-web`). Only these:
/// with the health overview, create form and provider tools split too, the first download is
/// 326 KB but the page does more work at start (Lighthouse 66-70 against 81-86, measured).
#[cfg(not(test))]
#[wasm_split_helpers::wasm_split(backup_actions_view, fallible)]
pub fn backup_actions_view(backup: Backup) -> Result<AnyView, PartMissing> {
    Ok(view! { <BackupActions backup=backup/> }.into_any())
}

/// Tests link no split loader: the part is at hand.
#[cfg(test)]
pub async fn backup_actions_view(backup: Backup) -> Result<AnyView, PartMissing> {
    Ok(view! { <BackupActions backup=backup/> }.into_any())
}

#[component]
fn BackupActions(backup: Backup) -> impl IntoView {
    let state = expect_context::<AppState>();
    let Some(connection) = connection_of(state, &backup) else {
        return view! { <p class="muted">"This backup's connection was removed; no actions."</p> }.into_any();
    };
    let inner = match backup.provider {
        Provider::ServerAvatar => view! { <serveravatar::Actions backup=backup connection=connection/> }.into_any(),
        Provider::Northflank => view! { <northflank::Actions backup=backup connection=connection/> }.into_any(),
        Provider::Mittwald => view! { <mittwald::Actions backup=backup connection=connection/> }.into_any(),
    };
    view! { <section class="backup-actions" aria-label="Actions">{inner}</section> }.into_any()
}

/// What a backup's details show beyond the common fields: the provider's highlights, and its
/// whole record (every documented field). The record is read back from the JSON the list's
/// export writes, so its serializer is compiled once.
pub fn details(backup: &Backup) -> (Vec<AnyView>, Option<serde_json::Value>) {
    let highlights = match &backup.details {
        Details::ServerAvatar(_) | Details::NorthflankAddon(_) => Vec::new(),
        Details::NorthflankDestination(b) => northflank::highlights(b),
        Details::Mittwald(b) => mittwald::highlights(b),
    };
    let raw = serde_json::to_string_pretty(&backup.details)
        .ok()
        .and_then(|json| serde_json::from_slice::<serde_json::Value>(json.as_bytes()).ok())
        .and_then(|mut tagged| tagged.get_mut("record").map(serde_json::Value::take));
    (highlights, raw)
}

// ---------------------------------------------------------------------------------------------
// A source's page

/// The provider's tools for one source: a part of the app of its own, loaded when a source's
/// page first opens (most visits are to the overview and the list).
#[cfg(not(test))]
#[wasm_split_helpers::wasm_split(source_tools_view, fallible)]
pub fn source_tools_view(connection: Connection) -> Result<AnyView, PartMissing> {
    Ok(view! { <SourceTools connection=connection/> }.into_any())
}

/// Tests link no split loader: the part is at hand.
#[cfg(test)]
pub async fn source_tools_view(connection: Connection) -> Result<AnyView, PartMissing> {
    Ok(view! { <SourceTools connection=connection/> }.into_any())
}

/// The provider's tools for one source (create forms, schedules, archive views).
#[component]
fn SourceTools(connection: Connection) -> impl IntoView {
    match connection.provider() {
        Provider::ServerAvatar => view! { <serveravatar::Tools connection=connection/> }.into_any(),
        Provider::Northflank => view! { <northflank::Tools connection=connection/> }.into_any(),
        Provider::Mittwald => view! { <mittwald::Tools connection=connection/> }.into_any(),
    }
}

// ---------------------------------------------------------------------------------------------
// The connection form

/// Every kind of connection, in the form's order.
pub const KINDS: [&Kind; 4] = [&serveravatar::KIND, &northflank::ADDON, &northflank::DESTINATION, &mittwald::KIND];

pub fn kind(value: &str) -> Option<&'static Kind> {
    KINDS.into_iter().find(|k| k.value == value)
}

/// The form filled from a connection (the token stays blank: blank keeps it).
pub fn draft_of(connection: &Connection) -> Draft {
    let mut draft = Draft::new("");
    draft.label = connection.label.clone();
    draft.connection_id = connection.id.clone();
    draft.kept_token = Some(connection.account.token().clone());
    match &connection.account {
        Account::ServerAvatar(a) => serveravatar::draft(a, &mut draft),
        Account::Northflank(a) => northflank::draft(a, &mut draft),
        Account::Mittwald(a) => mittwald::draft(a, &mut draft),
    }
    draft
}

/// The connection a draft describes, checked by the core; an unknown kind is refused, not
/// guessed.
pub fn connection_of_draft(draft: &Draft) -> Result<Connection, Vec<FieldError>> {
    let whole = |message: String| vec![FieldError::new("", message)];
    let kind = kind(&draft.kind)
        .ok_or_else(|| whole(format!("“{}” is no kind of connection Backboard knows.", draft.kind)))?;
    let token = match (draft.token.trim(), &draft.kept_token) {
        ("", Some(kept)) => kept.clone(),
        (typed, _) => Token::new(typed),
    };
    let label = match draft.label.trim() {
        "" => kind.value.to_string(),
        l => l.to_string(),
    };
    let connection = Connection { id: draft.connection_id.clone(), label, account: (kind.account)(draft, token) };
    connection.check().map_err(|e| whole(e.to_string()))?;
    Ok(connection)
}
