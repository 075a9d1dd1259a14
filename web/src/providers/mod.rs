//! Every provider's part of the SPA, behind one registry: the only place that matches on a
//! provider. A provider is a folder here (its details-panel actions, its tools below the list,
//! its forms, its part of the connection form) and a line in each table below.

mod mittwald;
mod northflank;
mod serveravatar;

use backboard_core::connection::Account;
use backboard_core::model::Details;
use backboard_core::{Backup, Connection, FieldError, Provider, Token};
use leptos::prelude::*;

use crate::state::{connection_of, AppState};
use crate::ui::lazy::PartMissing;
use crate::ui::Form;

// ---------------------------------------------------------------------------------------------
// A backup's details

/// The actions for one backup in its details panel: a part of the app of its own, loaded when a
/// backup's details first open (cut out by wasm-split, see `cargo xtask build-web`). Splitting the
/// health overview, create form and provider tools too was measured and dropped: the first
/// download shrank to 326 KB, but the page did more work at start (Lighthouse 66-70 against 81-86).
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
/// whole record (every documented field).
pub fn details(backup: &Backup) -> (Vec<AnyView>, Option<serde_json::Value>) {
    let (highlights, raw) = match &backup.details {
        Details::ServerAvatar(b) => (Vec::new(), serde_json::to_value(b)),
        Details::NorthflankAddon(b) => (Vec::new(), serde_json::to_value(b)),
        Details::NorthflankDestination(b) => (northflank::highlights(b), serde_json::to_value(b)),
        Details::Mittwald(b) => (mittwald::highlights(b), serde_json::to_value(b)),
    };
    (highlights, raw.ok())
}

// ---------------------------------------------------------------------------------------------
// Below the list

/// Every provider's forms that create backups on their own (not tied to one connection's tools).
#[component]
pub fn CreateForms() -> impl IntoView {
    view! { <serveravatar::CreateBackup/> }
}

/// Every provider's per-connection tools (create forms, schedules, archive views).
#[component]
pub fn Sections() -> impl IntoView {
    view! {
        <mittwald::Section/>
        <northflank::Section/>
        <serveravatar::Section/>
    }
}

// ---------------------------------------------------------------------------------------------
// The connection form

/// The connection form's fields as typed; kept as they are when something is wrong.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Draft {
    /// Which [`Kind`] (its `value`).
    pub kind: String,
    pub label: String,
    /// Empty while editing: the connection keeps its token.
    pub token: String,
    /// The ids the kind asks for, as its `ids` name them.
    pub ids: [String; 2],
    /// The provider's own options by name (mittwald's list filters).
    options: Vec<(&'static str, String)>,
    /// The connection being edited, or the id a new one gets.
    pub connection_id: String,
    pub kept_token: Option<Token>,
}

static NOTHING: String = String::new();

impl Draft {
    pub fn new(kind: &str) -> Self {
        Draft { kind: kind.to_string(), ..Draft::default() }
    }

    /// The `i`th id, as typed without surrounding blanks.
    pub fn id(&self, i: usize) -> String {
        self.ids[i].trim().to_string()
    }

    pub fn option(&self, name: &str) -> &String {
        self.options.iter().find(|(n, _)| *n == name).map(|(_, v)| v).unwrap_or(&NOTHING)
    }

    pub fn set_option(&mut self, name: &'static str, value: String) {
        self.options.retain(|(n, _)| *n != name);
        self.options.push((name, value));
    }

    pub fn flag(&self, name: &str) -> bool {
        self.option(name) == "true"
    }

    pub fn set_flag(&mut self, name: &'static str, on: bool) {
        self.set_option(name, if on { "true".into() } else { String::new() });
    }
}

/// One kind of connection the form offers.
pub struct Kind {
    /// The form's value for it (`<select name="provider">`).
    pub value: &'static str,
    pub label: &'static str,
    /// The labels of the ids it asks for (one or two).
    pub ids: &'static [&'static str],
    /// The provider's own options, below the ids.
    pub options: Option<fn(Form<Draft, Connection>) -> AnyView>,
    pub account: fn(&Draft, Token) -> Account,
}

/// Every kind of connection, in the form's order.
pub const KINDS: [&Kind; 4] = [&serveravatar::KIND, &northflank::ADDON, &northflank::DESTINATION, &mittwald::KIND];

pub fn kind(value: &str) -> Option<&'static Kind> {
    KINDS.into_iter().find(|k| k.value == value)
}

/// The form filled from a connection (the token stays blank: blank keeps it).
pub fn draft_of(connection: &Connection) -> Draft {
    let mut draft = Draft {
        label: connection.label.clone(),
        connection_id: connection.id.clone(),
        kept_token: Some(connection.account.token().clone()),
        ..Draft::default()
    };
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
