//! Every provider's part of the SPA, behind one registry: the only place that matches on a
//! provider. A provider is a folder here (its details-panel actions, its tools on a source's
//! page, its forms, its part of the connection form) and a line in each table below.

mod draft;
mod mittwald;
mod northflank;
mod part;
#[cfg(test)]
pub mod samples;
mod serveravatar;

pub use draft::{Draft, Kind};
pub use part::Part;
use part::Views;

use backboard_core::Account;
use backboard_core::{Backup, Connection, FieldError, Provider, Token};
use leptos::prelude::*;

use crate::state::{connection_of, AppState};
use crate::ui::lazy::PartMissing;

// ---------------------------------------------------------------------------------------------
// Each provider's part of the app

/// One provider's part: a wasm-split function, or, in tests (which link no split loader), the
/// part at hand.
macro_rules! part_fn {
    ($provider:ident, $part:ident) => {
        #[cfg(all(feature = "split", not(test)))]
        #[wasm_split_helpers::wasm_split($part, fallible)]
        pub fn $part() -> Result<&'static dyn Part, PartMissing> {
            Ok(&$provider::Ui)
        }

        #[cfg(any(test, not(feature = "split")))]
        pub async fn $part() -> Result<&'static dyn Part, PartMissing> {
            Ok(&$provider::Ui)
        }
    };
}

/// A provider's panels, forms and parsers are a part of the app of their own (cut out by
/// wasm-split, see `cargo xtask build-web`), loaded when a connection of that provider is first
/// listed, and fetched beside the main module when a kept connection needs it
/// (`crate::preload`). A visitor with only mittwald connections never downloads the others'.
mod parts {
    use super::*;

    part_fn!(serveravatar, serveravatar_part);
    part_fn!(northflank, northflank_part);
    part_fn!(mittwald, mittwald_part);
}

/// `provider`'s part, loaded on first use.
pub async fn part_of(provider: Provider) -> Result<&'static dyn Part, PartMissing> {
    match provider {
        Provider::ServerAvatar => parts::serveravatar_part().await,
        Provider::Northflank => parts::northflank_part().await,
        Provider::Mittwald => parts::mittwald_part().await,
    }
}

// ---------------------------------------------------------------------------------------------
// A backup's details

/// The highlights of a backup's record and its actions, for its details panel, from its
/// provider's part. The connection is looked up when called (under the view's owner), the part
/// loaded when awaited.
pub fn backup_actions_view(backup: Backup) -> impl std::future::Future<Output = Result<AnyView, PartMissing>> {
    let connection = connection_of(expect_context::<AppState>(), &backup);
    async move {
        let Some(connection) = connection else {
            return Ok(view! { <p class="muted">"This backup's connection was removed; no actions."</p> }.into_any());
        };
        let part = part_of(backup.provider).await?;
        let highlights = part.highlights(&backup);
        let actions = part.actions(backup, connection);
        Ok(view! {
            <ul class="highlights">{highlights}</ul>
            <section class="backup-actions" aria-label="Actions">{actions}</section>
        }
        .into_any())
    }
}

/// A backup's whole record (every documented field), read back from the JSON the list's export
/// writes, so its serializer is compiled once.
pub fn record(backup: &Backup) -> Option<serde_json::Value> {
    serde_json::to_string_pretty(&backup.details)
        .ok()
        .and_then(|json| serde_json::from_slice::<serde_json::Value>(json.as_bytes()).ok())
        .and_then(|mut tagged| tagged.get_mut("record").map(serde_json::Value::take))
}

// ---------------------------------------------------------------------------------------------
// A source's page

/// The provider's tools for one source, from its provider's part.
pub async fn source_tools_view(connection: Connection) -> Result<AnyView, PartMissing> {
    Ok(part_of(connection.provider()).await?.tools(connection))
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
