//! mittwald actions in the SPA (see the module above for the shared pieces).
//!
//! In a backup's details panel ([`Actions`]): update its description and expiration, delete it
//! (only when mittwald marks it deletable), export it (then poll until the download is ready),
//! delete the export, and restore databases and paths (pickers fed by the backup's own dump list
//! and file tree; then poll until the restore settles). Below the list ([`Section`], one per
//! mittwald connection): create a backup, and list, create, edit and delete backup schedules.
//!
//! Every rule is the core's (`backboard_core::providers::mittwald`): forms validate there before
//! anything is sent, requests are built and answers read there. The details panel is rebuilt
//! whenever the list changes, so what a person typed or started for a backup lives in a
//! [`Store`] that outlasts it; polling ends when the panel for that backup closes.

mod section;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use backboard_core::paging::{send, RetryPolicy};
use backboard_core::providers::mittwald::{self as provider, ProjectBackup};
use backboard_core::providers::mittwald::{self as mw, ProjectBackupPath};
use backboard_core::providers::Details;
use backboard_core::Account;
use backboard_core::{Backup, Connection, Error, FieldError, Provider, Request, Response};
use leptos::prelude::*;
use leptos::reactive::owner::Owner;
use leptos::task::spawn_local;

pub use section::Section;

use super::{poll_until, reconcile, remove_listed, replace_listed, send_once, Action, Confirm, Outcome, OutcomeView};
use crate::table::safe_link;
use crate::transport::FetchTransport;
use crate::{base_for, described_by, focus, now, AppState};

/// Messages a form shows next to its fields, by the core's field names.
type Errors = RwSignal<Vec<(&'static str, String)>>;

// ---------------------------------------------------------------------------------------------
// Sending and reading

fn account_of(connection: &Connection) -> Option<provider::Account> {
    match &connection.account {
        Account::Mittwald(a) => Some(a.clone()),
        _ => None,
    }
}

/// A read (GET): retried like the list's reads, as reading twice changes nothing.
async fn read(request: Request) -> Result<Response, Error> {
    send(&FetchTransport, Provider::Mittwald, request, &RetryPolicy::default(), &Cell::new(1)).await
}

/// Sends an action once and reads the answer with `parse`. A refusal's per-field messages go
/// next to the fields (`errors`); a refusal without them (412 …) goes to `refusal_field`.
async fn act<T>(
    request: Request,
    parse: fn(&Response) -> Result<T, Error>,
    errors: Option<Errors>,
    refusal_field: Option<&'static str>,
) -> Result<T, String> {
    let response = send_once(Provider::Mittwald, request).await.map_err(|e| {
        format!("{e}. It was sent once and not repeated; reload the list to see whether it took effect.")
    })?;
    parse(&response).map_err(|e| {
        if let Some(errors) = errors {
            let mut fields: Vec<(&'static str, String)> =
                mw::validation_errors(&response.body).into_iter().map(|f| (f.field, f.message)).collect();
            if let (true, Some(field), Error::Http { message, .. }) = (fields.is_empty(), refusal_field, &e) {
                fields.push((field, format!("mittwald refused: {message}")));
            }
            errors.set(fields);
        }
        e.to_string()
    })
}

/// Reads one backup again (after an action, or while polling).
async fn fetch_backup(ctx: &Ctx) -> Result<ProjectBackup, Error> {
    let response = read(mw::get_backup_request(&ctx.base, &ctx.account, &ctx.id)).await?;
    mw::parse_get_backup(&response)
}

/// Puts a fresh copy of the backup in the list.
fn relist(state: AppState, ctx: &Ctx, backup: ProjectBackup) {
    replace_listed(state, &ctx.connection.id, provider::normalize(backup, &ctx.connection.source()));
}

// ---------------------------------------------------------------------------------------------
// Forms

/// Shows the core's messages next to their fields and focuses the first field (in `order`,
/// the form's order of (field name prefix, control id)) that has one.
fn show_invalid(errors: Errors, list: Vec<FieldError>, order: &[(&'static str, String)]) {
    if let Some((_, id)) = order.iter().find(|(prefix, _)| list.iter().any(|e| matches_field(e.field, prefix))) {
        focus(id);
    }
    errors.set(list.into_iter().map(|e| (e.field, e.message)).collect());
}

/// `databaseRestores` covers `databaseRestores.targetDatabaseId` too.
fn matches_field(field: &str, prefix: &str) -> bool {
    field == prefix || field.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('.'))
}

fn has_error(errors: Errors, prefix: &'static str) -> bool {
    errors.with(|e| e.iter().any(|(f, _)| matches_field(f, prefix)))
}

/// The messages for a field (or a group of fields): text with an icon, never color alone.
fn error_note(errors: Errors, prefix: &'static str, id: String) -> impl IntoView {
    move || {
        let messages: Vec<String> =
            errors.with(|e| e.iter().filter(|(f, _)| matches_field(f, prefix)).map(|(_, m)| m.clone()).collect());
        (!messages.is_empty()).then(|| {
            view! {
                <p class="field-error" id=id.clone()>
                    <span class="icon" aria-hidden="true">"⚠"</span>
                    <span class="visually-hidden">"Error: "</span>
                    " "
                    {messages.join(" ")}
                </p>
            }
        })
    }
}

/// A labelled input with its hint and its error; typing clears what was said about it.
#[allow(clippy::too_many_arguments)]
fn input_field(
    id: String,
    field: &'static str,
    label: String,
    hint: Option<String>,
    kind: &'static str,
    placeholder: Option<&'static str>,
    value: RwSignal<String>,
    errors: Errors,
) -> impl IntoView {
    let has_hint = hint.is_some();
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = {
        let id = id.clone();
        move || described_by(&id, has_hint, has_error(errors, field))
    };
    view! {
        <div class="mw-field" class:invalid=move || has_error(errors, field)>
            <label for=id.clone()>{label}</label>
            <input
                id=id
                type=kind
                name=field
                autocomplete="off"
                placeholder=placeholder
                prop:value=move || value.get()
                aria-invalid=move || has_error(errors, field).then_some("true")
                aria-describedby=described
                on:input=move |ev| {
                    value.set(event_target_value(&ev));
                    errors.update(|e| e.retain(|(f, _)| !matches_field(f, field)));
                }
            />
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            {error_note(errors, field, error_id)}
        </div>
    }
}

/// `2025-03-01T12:00` (UTC), the value of a datetime-local input, which the core reads as UTC.
fn local_value(t: time::OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!("{:04}-{:02}-{:02}T{:02}:{:02}", t.year(), u8::from(t.month()), t.day(), t.hour(), t.minute())
}

// ---------------------------------------------------------------------------------------------
// State that outlives the details panel

#[derive(Clone, Debug, PartialEq)]
enum Fetch<T> {
    Idle,
    Loading,
    Ready(T),
    Failed(String),
}

/// What one backup's panel holds: the freshest copy of the backup, the forms as typed, each
/// action's state and whether a poll runs.
#[derive(Clone, Copy)]
struct Store {
    latest: RwSignal<Option<ProjectBackup>>,
    /// Panels showing this backup now (a rebuilt panel mounts before the old one goes).
    mounted: StoredValue<u32>,
    polling_export: StoredValue<bool>,
    polling_restore: StoredValue<bool>,

    edit: Action,
    edit_open: RwSignal<bool>,
    description: RwSignal<String>,
    expiration: RwSignal<String>,
    /// The expiration the form was filled with: left unchanged, it is not sent again.
    expiration_was: StoredValue<String>,
    edit_errors: Errors,

    delete: Action,

    export: Action,
    format: RwSignal<String>,
    password: RwSignal<String>,
    export_errors: Errors,
    delete_export: Action,

    restore: Action,
    restore_open: RwSignal<bool>,
    dumps: RwSignal<Fetch<Vec<String>>>,
    /// Per dump (same order), the database to restore it into; empty = skip that dump.
    targets: RwSignal<Vec<String>>,
    dir: RwSignal<String>,
    listing: RwSignal<Fetch<ProjectBackupPath>>,
    sources: RwSignal<Vec<String>>,
    target_path: RwSignal<String>,
    clear_target: RwSignal<bool>,
    restore_errors: Errors,
}

thread_local! {
    static LASTING: RefCell<Option<Owner>> = const { RefCell::new(None) };
    static STORES: RefCell<HashMap<String, Store>> = RefCell::new(HashMap::new());
}

/// Creates reactive values under an owner that lives as long as the app.
fn lasting<T>(f: impl FnOnce() -> T) -> T {
    let owner = LASTING.with(|slot| {
        slot.borrow_mut()
            .get_or_insert_with(|| {
                let mut top = Owner::current().unwrap_or_default();
                while let Some(parent) = top.parent() {
                    top = parent;
                }
                top.child()
            })
            .clone()
    });
    owner.with(f)
}

impl Store {
    fn new(backup: &ProjectBackup) -> Self {
        let form = mw::UpdateBackupForm::from_backup(backup);
        let expiration = backup.expires_at.map(local_value).unwrap_or_default();
        lasting(|| Store {
            latest: RwSignal::new(Some(backup.clone())),
            mounted: StoredValue::new(0),
            polling_export: StoredValue::new(false),
            polling_restore: StoredValue::new(false),
            edit: Action::default(),
            edit_open: RwSignal::new(false),
            description: RwSignal::new(form.description),
            expiration: RwSignal::new(expiration.clone()),
            expiration_was: StoredValue::new(expiration),
            edit_errors: RwSignal::new(Vec::new()),
            delete: Action::default(),
            export: Action::default(),
            format: RwSignal::new("tar".into()),
            password: RwSignal::new(String::new()),
            export_errors: RwSignal::new(Vec::new()),
            delete_export: Action::default(),
            restore: Action::default(),
            restore_open: RwSignal::new(false),
            dumps: RwSignal::new(Fetch::Idle),
            targets: RwSignal::new(Vec::new()),
            dir: RwSignal::new("/".into()),
            listing: RwSignal::new(Fetch::Idle),
            sources: RwSignal::new(Vec::new()),
            target_path: RwSignal::new(String::new()),
            clear_target: RwSignal::new(false),
            restore_errors: RwSignal::new(Vec::new()),
        })
    }

    fn for_backup(key: &str, backup: &ProjectBackup) -> Self {
        if let Some(store) = STORES.with(|s| s.borrow().get(key).copied()) {
            return store;
        }
        let store = Store::new(backup);
        STORES.with(|s| s.borrow_mut().insert(key.to_string(), store));
        store
    }

    fn alive(self) -> bool {
        self.mounted.get_value() > 0
    }
}

/// Everything an action needs about its backup, cloned out before any await.
#[derive(Clone)]
struct Ctx {
    connection: Connection,
    account: provider::Account,
    base: String,
    id: String,
    /// How the backup is named to people: its description, else its id.
    name: String,
}

#[derive(Clone, Copy, PartialEq)]
enum Long {
    Export,
    Restore,
}

/// Polls the backup until the export or restore settles, or the panel closes.
fn watch(state: AppState, ctx: Ctx, store: Store, kind: Long) {
    let flag = match kind {
        Long::Export => store.polling_export,
        Long::Restore => store.polling_restore,
    };
    if flag.get_value() {
        return;
    }
    flag.set_value(true);
    spawn_local(async move {
        let check = || {
            let ctx = ctx.clone();
            async move {
                match fetch_backup(&ctx).await {
                    Ok(backup) => {
                        let running = match kind {
                            Long::Export => mw::export_running(&backup),
                            Long::Restore => mw::restore_running(&backup),
                        };
                        store.latest.set(Some(backup));
                        !running
                    }
                    // Gone: nothing more to wait for.
                    Err(Error::Http { status: 404, .. }) => true,
                    Err(_) => false,
                }
            }
        };
        poll_until(check, move || store.alive(), 40).await;
        flag.set_value(false);
        let Some(backup) = store.latest.get_untracked() else { return };
        // Settled: the action's answer now says how it ended (the state line says it too).
        let (action, ended) = match kind {
            Long::Export if !mw::export_running(&backup) => (
                store.export,
                match (mw::export_download(&backup), backup.export.as_ref().and_then(|e| e.phase.as_ref())) {
                    (Some(_), _) => Some(Outcome::Done("The export is ready to download.".into())),
                    (None, Some(phase)) => {
                        Some(Outcome::Failed(format!("The export ended {phase}, without a download.")))
                    }
                    (None, None) => None,
                },
            ),
            Long::Restore if !mw::restore_running(&backup) => (
                store.restore,
                backup.restore.as_ref().map(|r| Outcome::Done(format!("The restore finished: {}.", r.phase))),
            ),
            _ => (store.export, None),
        };
        if let (Some(outcome), false) = (ended, action.busy()) {
            action.outcome.set(outcome);
        }
        relist(state, &ctx, backup);
    });
}

// ---------------------------------------------------------------------------------------------
// The details panel

/// The actions for one mittwald backup, in its details panel.
#[component]
pub fn Actions(backup: Backup, connection: Connection) -> impl IntoView {
    let state = expect_context::<AppState>();
    let Details::Mittwald(listed) = backup.details.clone() else {
        return ().into_any();
    };
    let Some(account) = account_of(&connection) else {
        return ().into_any();
    };
    let key = format!("{}:{}", connection.id, listed.id);
    let store = Store::for_backup(&key, &listed);
    // The list's copy is the freshest, unless a poll is reading the backup right now.
    if !store.polling_export.get_value() && !store.polling_restore.get_value() {
        store.latest.set(Some(listed.clone()));
    }
    store.mounted.update_value(|n| *n += 1);
    on_cleanup(move || {
        store.mounted.update_value(|n| *n = n.saturating_sub(1));
        // A rebuilt panel mounts again at once; a closed one does not: start afresh next time.
        gloo_timers::callback::Timeout::new(0, move || {
            if !store.alive() {
                STORES.with(|s| s.borrow_mut().remove(&key));
            }
        })
        .forget();
    });
    let name = listed.description.clone().filter(|d| !d.trim().is_empty()).unwrap_or_else(|| listed.id.clone());
    let ctx = Ctx { base: base_for(&connection), connection, account, id: listed.id.clone(), name };
    if mw::export_running(&listed) {
        watch(state, ctx.clone(), store, Long::Export);
    }
    if mw::restore_running(&listed) {
        watch(state, ctx.clone(), store, Long::Restore);
    }
    let completed = listed.status == "Completed";
    let deletable = mw::check_deletable(&listed);
    let ctx = StoredValue::new(ctx);

    view! {
        <div class="mw-actions">
            <EditBackup ctx=ctx store=store/>
            {match deletable {
                Ok(()) => view! { <DeleteBackup ctx=ctx store=store/> }.into_any(),
                Err(Error::Validation(reasons)) => view! {
                    <p class="muted mw-not-deletable">
                        <span aria-hidden="true">"🔒 "</span>
                        {reasons.into_iter().map(|r| r.message).collect::<Vec<_>>().join(" ")}
                    </p>
                }.into_any(),
                Err(e) => view! { <p class="muted">{e.to_string()}</p> }.into_any(),
            }}
            <ExportBackup ctx=ctx store=store completed=completed/>
            <RestoreBackup ctx=ctx store=store completed=completed/>
        </div>
    }
    .into_any()
}

#[component]
fn EditBackup(ctx: StoredValue<Ctx>, store: Store) -> impl IntoView {
    let state = expect_context::<AppState>();
    let errors = store.edit_errors;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if store.edit.busy() {
            return;
        }
        errors.set(Vec::new());
        let typed = store.expiration.get_untracked();
        // An expiration left as it was is not sent again (it may be nearer than 7 days now).
        let expiration_time =
            if typed.trim() == store.expiration_was.get_value().trim() { String::new() } else { typed };
        let form = mw::UpdateBackupForm { description: store.description.get_untracked(), expiration_time };
        let body = match form.validate(now()) {
            Ok(body) => body,
            Err(list) => {
                let order =
                    [("description", "mw-edit-description".into()), ("expirationTime", "mw-edit-expiration".into())];
                return show_invalid(errors, list, &order);
            }
        };
        let ctx = ctx.get_value();
        store.edit.run("Saving at mittwald…", async move {
            let request = mw::update_backup_request(&ctx.base, &ctx.account, &ctx.id, &body);
            act(request, mw::parse_update_backup, Some(errors), None).await?;
            store.expiration_was.set_value(store.expiration.get_untracked());
            if let Ok(backup) = fetch_backup(&ctx).await {
                store.latest.set(Some(backup.clone()));
                relist(state, &ctx, backup);
            }
            Ok("mittwald saved the description and expiration.".to_string())
        });
    };
    view! {
        <div class="mw-block">
            <button type="button" aria-expanded=move || store.edit_open.get().to_string()
                aria-controls="mw-edit-form"
                on:click=move |_| store.edit_open.update(|o| *o = !*o)>
                "Edit description or expiration"
            </button>
            <Show when=move || store.edit_open.get()>
                <form id="mw-edit-form" class="mw-form" novalidate on:submit=submit aria-label="Edit the backup">
                    {input_field("mw-edit-description".into(), "description", "Description".into(), Some("Optional; empty clears it.".into()), "text", None, store.description, errors)}
                    {input_field("mw-edit-expiration".into(), "expirationTime", "Keep until (UTC)".into(), Some("7 days to 1 year from now. Left as it is, it is not changed.".into()), "datetime-local", None, store.expiration, errors)}
                    <div class="submit-row">
                        <button type="submit" class="primary" disabled=move || store.edit.busy()>"Save changes"</button>
                    </div>
                </form>
            </Show>
            <OutcomeView action=store.edit/>
        </div>
    }
}

#[component]
fn DeleteBackup(ctx: StoredValue<Ctx>, store: Store) -> impl IntoView {
    let state = expect_context::<AppState>();
    let name = ctx.with_value(|c| c.name.clone());
    let on_confirm = move || {
        if store.delete.busy() {
            return;
        }
        let ctx = ctx.get_value();
        let notice = section::notice(&ctx.connection.id);
        let what = format!("“{}”", ctx.name);
        notice.outcome.set(Outcome::Busy(format!("Deleting the backup {what} at mittwald…")));
        // At once off the list (this closes the panel); `reconcile` puts it back if mittwald refuses.
        remove_listed(state, &ctx.connection.id, &ctx.id);
        store.delete.run("Deleting…", async move {
            let request = mw::delete_backup_request(&ctx.base, &ctx.account, &ctx.id);
            let result = act(request, mw::parse_delete_backup, None, None).await;
            reconcile(state, ctx.connection.clone());
            let result = result
                .map(|()| format!("mittwald deleted the backup {what}."))
                .map_err(|e| format!("The backup {what} was not deleted: {e}"));
            notice.outcome.set(match &result {
                Ok(m) => Outcome::Done(m.clone()),
                Err(m) => Outcome::Failed(m.clone()),
            });
            result
        });
    };
    view! {
        <div class="mw-block">
            <Confirm
                label="Delete backup".into()
                question=format!("Delete the backup “{name}” at mittwald? This cannot be undone.")
                confirm_label=format!("Delete “{name}”")
                action=store.delete
                on_confirm=on_confirm
            />
            <OutcomeView action=store.delete/>
        </div>
    }
}

#[component]
fn ExportBackup(ctx: StoredValue<Ctx>, store: Store, completed: bool) -> impl IntoView {
    let state = expect_context::<AppState>();
    let errors = store.export_errors;
    let export = move || store.latest.with(|b| b.as_ref().and_then(|b| b.export.clone()));
    let running = move || store.latest.with(|b| b.as_ref().is_some_and(mw::export_running));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if store.export.busy() {
            return;
        }
        errors.set(Vec::new());
        let form =
            mw::ExportBackupForm { format: store.format.get_untracked(), password: store.password.get_untracked() };
        let body = match form.validate(now()) {
            Ok(body) => body,
            Err(list) => {
                let order = [("format", "mw-export-format".into()), ("password", "mw-export-password".into())];
                return show_invalid(errors, list, &order);
            }
        };
        let ctx = ctx.get_value();
        let format = body.format().to_string();
        store.export.run("Asking mittwald for an export…", async move {
            let request = mw::export_backup_request(&ctx.base, &ctx.account, &ctx.id, &body);
            act(request, mw::parse_export_backup, Some(errors), None).await?;
            store.password.set(String::new());
            if let Ok(backup) = fetch_backup(&ctx).await {
                store.latest.set(Some(backup));
            }
            watch(state, ctx, store, Long::Export);
            Ok(format!("mittwald is preparing the {format} archive; the download link follows here when it is ready."))
        });
    };
    let delete_export = move || {
        if store.delete_export.busy() {
            return;
        }
        let ctx = ctx.get_value();
        store.delete_export.run("Deleting the export…", async move {
            let request = mw::delete_export_request(&ctx.base, &ctx.account, &ctx.id);
            act(request, mw::parse_delete_export, None, None).await?;
            if let Ok(backup) = fetch_backup(&ctx).await {
                store.latest.set(Some(backup.clone()));
                relist(state, &ctx, backup);
            }
            Ok("mittwald deleted the export.".to_string())
        });
    };
    let name = ctx.with_value(|c| c.name.clone());
    view! {
        <div class="mw-block" role="group" aria-labelledby="mw-export-title">
            <h4 id="mw-export-title">"Export"</h4>
            <p class="mw-export-state" role="status">
                {move || match export() {
                    None => "Not exported.".to_string(),
                    Some(e) => format!(
                        "Export ({}{}): {}",
                        e.format,
                        if e.with_password { ", with password" } else { "" },
                        e.phase.as_ref().map(|p| p.to_string()).unwrap_or_else(|| "unknown".into()),
                    ),
                }}
            </p>
            {move || store.latest.with(|b| {
                let b = b.as_ref()?;
                let (url, sum) = mw::export_download(b)?;
                let format = b.export.as_ref().map(|e| e.format.clone()).unwrap_or_default();
                let sum = sum.map(str::to_string);
                Some(view! {
                    <div class="mw-download">
                        {match safe_link(url) {
                            Some(url) => view! { <a href=url download="" rel="noopener noreferrer">{format!("Download the export ({format})")}</a> }.into_any(),
                            // The in-page demo's address (`demo://`) is no browser URL: the file is
                            // fetched through the demo and handed over as a Blob.
                            None if url.starts_with(&format!("{}/", crate::demo::BASE)) => {
                                let (url, label) = (url.to_string(), format!("Download the export ({format})"));
                                let failed = RwSignal::new(None::<String>);
                                let fetch = move |_| {
                                    let url = url.clone();
                                    spawn_local(async move {
                                        let offered = match super::northflank::shared::demo_file(Provider::Mittwald, &url).await {
                                            Ok((blob, file)) => super::northflank::shared::open_download(&blob, Some(&file)),
                                            Err(e) => Err(e),
                                        };
                                        failed.set(offered.err());
                                    });
                                };
                                view! {
                                    <button type="button" on:click=fetch>{label}</button>
                                    {move || failed.get().map(|e| view! { <p class="action-status error" role="alert">"⚠ " {e}</p> })}
                                }.into_any()
                            }
                            None => view! { <p>"Download address: " <code>{url.to_string()}</code></p> }.into_any(),
                        }}
                        <p>
                            "SHA-256 checksum: "
                            {match sum {
                                Some(sum) => view! { <code class="mw-checksum">{sum}</code> }.into_any(),
                                None => view! { <span class="muted">"mittwald gave none"</span> }.into_any(),
                            }}
                        </p>
                    </div>
                })
            })}
            <Show when=move || export().is_some() && !running()>
                <Confirm
                    label="Delete export".into()
                    question=format!("Delete the export of “{name}”? Its download link stops working.")
                    confirm_label="Delete the export".into()
                    action=store.delete_export
                    on_confirm=delete_export
                />
            </Show>
            <OutcomeView action=store.delete_export/>
            {if completed {
                view! {
                    <Show when=move || !running()>
                        <form class="mw-form" novalidate on:submit=submit aria-label="Export the backup">
                            <div class="mw-field" class:invalid=move || has_error(errors, "format")>
                                <label for="mw-export-format">"Archive format"</label>
                                <select id="mw-export-format" name="format"
                                    aria-invalid=move || has_error(errors, "format").then_some("true")
                                    aria-describedby=move || described_by("mw-export-format", false, has_error(errors, "format"))
                                    on:change=move |ev| { store.format.set(event_target_value(&ev)); errors.update(|e| e.retain(|(f, _)| *f != "format")); }>
                                    {mw::ExportFormat::KNOWN.iter().map(|f| {
                                        let value = f.as_str();
                                        view! { <option value=value prop:selected=move || store.format.get() == value>{value}</option> }
                                    }).collect_view()}
                                </select>
                                {error_note(errors, "format", "mw-export-format-error".into())}
                            </div>
                            {input_field("mw-export-password".into(), "password", "Archive password".into(), Some("Optional.".into()), "password", None, store.password, errors)}
                            <div class="submit-row">
                                <button type="submit" class="primary" disabled=move || store.export.busy()>"Export"</button>
                            </div>
                        </form>
                    </Show>
                }.into_any()
            } else {
                view! { <p class="muted">"Export and restore become possible once the backup is completed."</p> }.into_any()
            }}
            <OutcomeView action=store.export/>
        </div>
    }
}

/// Reads the backup's database dumps and the root of its file tree for the restore form.
fn load_pickers(ctx: Ctx, store: Store) {
    if matches!(store.dumps.get_untracked(), Fetch::Idle | Fetch::Failed(_)) {
        store.dumps.set(Fetch::Loading);
        let ctx = ctx.clone();
        spawn_local(async move {
            let result = read(mw::database_dumps_request(&ctx.base, &ctx.account, &ctx.id)).await;
            match result.and_then(|r| mw::parse_database_dumps(&r)) {
                Ok(list) => {
                    store.targets.update(|t| t.resize(list.len(), String::new()));
                    store.dumps.set(Fetch::Ready(list));
                }
                Err(e) => store.dumps.set(Fetch::Failed(e.to_string())),
            }
        });
    }
    if matches!(store.listing.get_untracked(), Fetch::Idle | Fetch::Failed(_)) {
        open_dir(ctx, store, store.dir.get_untracked());
    }
}

fn open_dir(ctx: Ctx, store: Store, dir: String) {
    store.dir.set(dir.clone());
    store.listing.set(Fetch::Loading);
    spawn_local(async move {
        let result = read(mw::directories_request(&ctx.base, &ctx.account, &ctx.id, &dir)).await;
        // An answer for a directory left meanwhile is dropped.
        if store.dir.get_untracked() != dir {
            return;
        }
        store.listing.set(match result.and_then(|r| mw::parse_directories(&r)) {
            Ok(tree) => Fetch::Ready(tree),
            Err(e) => Fetch::Failed(e.to_string()),
        });
    });
}

fn parent_dir(dir: &str) -> String {
    match dir.trim_end_matches('/').rsplit_once('/') {
        Some(("", _)) | None => "/".into(),
        Some((parent, _)) => parent.to_string(),
    }
}

#[component]
fn RestoreBackup(ctx: StoredValue<Ctx>, store: Store, completed: bool) -> impl IntoView {
    let state = expect_context::<AppState>();
    let errors = store.restore_errors;
    let restore_state = move || {
        store.latest.with(|b| {
            let b = b.as_ref()?;
            let mut parts = Vec::new();
            if let Some(r) = &b.restore {
                let mut what = Vec::new();
                for d in r.database_restores.iter().flatten() {
                    what.push(format!("{} → database {}", d.database_backup_dump, d.target_database_id));
                }
                if let Some(p) = &r.path_restore {
                    what.push(format!("{} → {}", p.source_paths.join(", "), p.determined_target_path));
                }
                parts.push(if what.is_empty() {
                    format!("Restore: {}", r.phase)
                } else {
                    format!("Restore: {} ({})", r.phase, what.join("; "))
                });
            }
            if let Some(p) = &b.restore_path {
                parts.push(format!("Path restore {} → {}: {}", p.source_path, p.determined_target_path, p.phase));
            }
            (!parts.is_empty()).then(|| parts.join(" · "))
        })
    };
    let running = move || store.latest.with(|b| b.as_ref().is_some_and(mw::restore_running));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if store.restore.busy() {
            return;
        }
        errors.set(Vec::new());
        let dumps = match store.dumps.get_untracked() {
            Fetch::Ready(d) => d,
            _ => Vec::new(),
        };
        let targets = store.targets.get_untracked();
        // A dump whose target is left empty is skipped (an empty row), keeping the row numbers
        // of the core's messages equal to the dumps' places in the form.
        let database_restores = dumps
            .iter()
            .enumerate()
            .map(|(i, dump)| {
                let target = targets.get(i).cloned().unwrap_or_default();
                mw::DatabaseRestoreForm {
                    database_backup_dump: if target.trim().is_empty() { String::new() } else { dump.clone() },
                    target_database_id: target,
                }
            })
            .collect();
        let form = mw::RestoreBackupForm {
            database_restores,
            source_paths: store.sources.get_untracked(),
            target_restore_path: store.target_path.get_untracked(),
            clear_target_path: store.clear_target.get_untracked(),
        };
        let body = match form.validate(now()) {
            Ok(body) => body,
            Err(list) => {
                let first_db =
                    (0..dumps.len()).find(|i| targets.get(*i).is_some_and(|t| !t.trim().is_empty())).unwrap_or(0);
                let order = [
                    ("databaseRestores", format!("mw-restore-db-{first_db}")),
                    ("pathRestore.sourcePaths", "mw-restore-paths".into()),
                    ("pathRestore.targetRestorePath", "mw-restore-target".into()),
                ];
                return show_invalid(errors, list, &order);
            }
        };
        let ctx = ctx.get_value();
        store.restore.run("Asking mittwald to restore…", async move {
            let request = mw::restore_backup_request(&ctx.base, &ctx.account, &ctx.id, &body);
            act(request, mw::parse_restore_backup, Some(errors), None).await?;
            if let Ok(backup) = fetch_backup(&ctx).await {
                store.latest.set(Some(backup));
            }
            watch(state, ctx, store, Long::Restore);
            Ok("mittwald started the restore; its progress shows here.".to_string())
        });
    };
    let toggle = move |_| {
        let open = !store.restore_open.get_untracked();
        store.restore_open.set(open);
        if open {
            load_pickers(ctx.get_value(), store);
        }
    };
    view! {
        <div class="mw-block" role="group" aria-labelledby="mw-restore-title">
            <h4 id="mw-restore-title">"Restore"</h4>
            <p class="mw-restore-state" role="status">{move || restore_state().unwrap_or_else(|| "Not restored.".into())}</p>
            {completed.then(|| view! {
                <button type="button" aria-expanded=move || store.restore_open.get().to_string()
                    aria-controls="mw-restore-form" on:click=toggle>"Restore from this backup…"</button>
            })}
            <Show when=move || completed && store.restore_open.get()>
                <form id="mw-restore-form" class="mw-form mw-restore" novalidate on:submit=submit aria-label="Restore from the backup">
                    <fieldset class="mw-group">
                        <legend>"Databases"</legend>
                        {move || match store.dumps.get() {
                            Fetch::Idle | Fetch::Loading => view! { <p class="muted" role="status">"Reading the backup's database dumps…"</p> }.into_any(),
                            Fetch::Failed(e) => view! {
                                <p class="error" role="alert">"⚠ The database dumps could not be read: " {e} " "
                                    <button type="button" on:click=move |_| load_pickers(ctx.get_value(), store)>"Try again"</button>
                                </p>
                            }.into_any(),
                            Fetch::Ready(list) if list.is_empty() => view! { <p class="muted">"This backup holds no database dumps."</p> }.into_any(),
                            Fetch::Ready(list) => list.into_iter().enumerate().map(|(i, dump)| {
                                let id = format!("mw-restore-db-{i}");
                                let value = move || store.targets.with(|t| t.get(i).cloned().unwrap_or_default());
                                view! {
                                    <div class="mw-field" class:invalid=move || has_error(errors, "databaseRestores")>
                                        <label for=id.clone()>{format!("Restore {dump} into database id")}</label>
                                        <input id=id.clone() type="text" name=format!("target-{i}") autocomplete="off"
                                            placeholder="9d8c7b6a-5f4e-4d3c-2b1a-0f9e8d7c6b5a"
                                            prop:value=value
                                            aria-invalid=move || has_error(errors, "databaseRestores").then_some("true")
                                            aria-describedby=move || described_by("mw-restore-db", true, has_error(errors, "databaseRestores"))
                                            on:input=move |ev| {
                                                let v = event_target_value(&ev);
                                                store.targets.update(|t| { if t.len() <= i { t.resize(i + 1, String::new()) } t[i] = v; });
                                                errors.update(|e| e.retain(|(f, _)| !matches_field(f, "databaseRestores")));
                                            }/>
                                    </div>
                                }
                            }).collect_view().into_any(),
                        }}
                        <p class="hint" id="mw-restore-db-hint">"The id (a UUID) of a database of the project. Leave empty to skip that dump."</p>
                        {error_note(errors, "databaseRestores", "mw-restore-db-error".into())}
                    </fieldset>
                    <PathPicker ctx=ctx store=store/>
                    <div class="submit-row">
                        <button type="submit" class="primary" disabled=move || store.restore.busy() || running()>"Start restore"</button>
                    </div>
                </form>
            </Show>
            <OutcomeView action=store.restore/>
        </div>
    }
}

#[component]
fn PathPicker(ctx: StoredValue<Ctx>, store: Store) -> impl IntoView {
    let errors = store.restore_errors;
    let toggle_source = move |path: String, on: bool| {
        store.sources.update(|s| {
            s.retain(|p| *p != path);
            if on {
                s.push(path);
            }
        });
        errors.update(|e| e.retain(|(f, _)| *f != "pathRestore.sourcePaths"));
    };
    view! {
        <fieldset class="mw-group" id="mw-restore-paths" tabindex="-1"
            aria-describedby=move || described_by("mw-restore-paths", false, has_error(errors, "pathRestore.sourcePaths"))>
            <legend>"Files and directories"</legend>
            <div class="mw-dir-head">
                <span>"In " <code>{move || store.dir.get()}</code></span>
                <Show when=move || store.dir.get() != "/">
                    <button type="button" on:click=move |_| open_dir(ctx.get_value(), store, parent_dir(&store.dir.get_untracked()))>
                        "Up one level"
                    </button>
                </Show>
            </div>
            {move || match store.listing.get() {
                Fetch::Idle | Fetch::Loading => view! { <p class="muted" role="status">"Reading the backup's files…"</p> }.into_any(),
                Fetch::Failed(e) => view! {
                    <p class="error" role="alert">"⚠ The files could not be read: " {e} " "
                        <button type="button" on:click=move |_| open_dir(ctx.get_value(), store, store.dir.get_untracked())>"Try again"</button>
                    </p>
                }.into_any(),
                Fetch::Ready(tree) => {
                    let items = tree.items.clone().unwrap_or_default();
                    if items.is_empty() {
                        return view! { <p class="muted">"This directory is empty."</p> }.into_any();
                    }
                    view! {
                        <ul class="mw-tree">
                            {items.into_iter().map(|item| {
                                let path = item.absolute_path.clone();
                                let checked = { let path = path.clone(); move || store.sources.with(|s| s.contains(&path)) };
                                let on_change = { let path = path.clone(); move |ev| toggle_source(path.clone(), event_target_checked(&ev)) };
                                let kind = if item.is_symlink == Some(true) {
                                    format!("link to {}", item.target.clone().unwrap_or_default())
                                } else if item.is_dir() {
                                    "directory".into()
                                } else {
                                    item.size_bytes().map(backboard_core::display::human_size).unwrap_or_default()
                                };
                                let open = item.is_dir().then(|| {
                                    let path = path.clone();
                                    let label = format!("Open {}", item.name);
                                    view! { <button type="button" class="link" on:click=move |_| open_dir(ctx.get_value(), store, path.clone())>{label}</button> }
                                });
                                view! {
                                    <li>
                                        <label class="check">
                                            <input type="checkbox" aria-label=format!("Restore {path}") prop:checked=checked on:change=on_change/>
                                            <span aria-hidden="true">{if item.is_dir() { "📁 " } else { "📄 " }}</span>
                                            {format!("{}{}", item.name, if item.is_dir() { "/" } else { "" })}
                                        </label>
                                        <span class="muted">{kind}</span>
                                        {open}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
            <div class="mw-chosen">
                {move || {
                    let chosen = store.sources.get();
                    if chosen.is_empty() {
                        return view! { <p class="muted">"No paths chosen."</p> }.into_any();
                    }
                    view! {
                        <p>"Chosen paths:"</p>
                        <ul>
                            {chosen.into_iter().map(|p| {
                                let label = format!("Remove {p}");
                                let path = p.clone();
                                view! { <li><code>{p}</code> " " <button type="button" aria-label=label on:click=move |_| toggle_source(path.clone(), false)>"Remove"</button></li> }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </div>
            {error_note(errors, "pathRestore.sourcePaths", "mw-restore-paths-error".into())}
            {input_field("mw-restore-target".into(), "pathRestore.targetRestorePath", "Restore into (optional)".into(),
                Some("An absolute path like /html/restored. Empty: back where the paths were.".into()), "text", Some("/html/restored"), store.target_path, errors)}
            <label class="check">
                <input type="checkbox" name="clear-target" prop:checked=move || store.clear_target.get()
                    on:change=move |ev| store.clear_target.set(event_target_checked(&ev))/>
                "Empty the target directory first"
            </label>
        </fieldset>
    }
}
