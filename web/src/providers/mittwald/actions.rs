//! A mittwald backup's details panel: edit and delete (export and restore have files of their
//! own; what the panel holds is the [`Store`]).

use backboard_core::providers::mittwald as mw;
use backboard_core::providers::Details;
use backboard_core::{Backup, Connection, Error, Provider};
use leptos::prelude::*;

use super::call::{account_of, Ctx};
use super::export::{ExportBackup, ExportForm};
use super::restore::{RestoreBackup, RestoreForm};
use super::store::{watch, Long, Store};
use crate::actions::remove_listed;
use crate::state::AppState;
use crate::transport::base_for;
use crate::ui::{BackupScope, Confirm, Notices, OutcomeView};

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
    let scope = expect_context::<BackupScope>();
    let store = scope.get_or_init(|| Store::new(scope, &listed));
    // The list's copy is the freshest, unless a poll is reading the backup right now.
    if !store.polling_export.get_value() && !store.polling_restore.get_value() {
        store.latest.set(Some(listed.clone()));
    }
    let name = listed.description.clone().filter(|d| !d.trim().is_empty()).unwrap_or_else(|| listed.id.clone());
    store.ctx.set_value(Some(Ctx {
        state,
        base: base_for(&connection),
        connection,
        account,
        id: listed.id.clone(),
        name,
    }));
    if mw::export_running(&listed) {
        watch(store, Long::Export, ExportForm::of(store).task.progress);
    }
    if mw::restore_running(&listed) {
        watch(store, Long::Restore, RestoreForm::of(store).task.progress);
    }
    let completed = listed.status == "Completed";
    // In workspace mode, only what the member's role may call is shown.
    let may = |route| crate::workspace::may_call(Provider::Mittwald, route);
    view! {
        <div class="mw-actions">
            {may("update_backup").then(|| view! { <EditBackup store=store/> })}
            {match mw::check_deletable(&listed) {
                Ok(()) if !may("delete_backup") => ().into_any(),
                Ok(()) => view! { <DeleteBackup store=store/> }.into_any(),
                Err(Error::Validation(reasons)) => view! {
                    <p class="muted mw-not-deletable">
                        <span aria-hidden="true">"🔒 "</span>
                        {reasons.into_iter().map(|r| r.message).collect::<Vec<_>>().join(" ")}
                    </p>
                }.into_any(),
                Err(e) => view! { <p class="muted">{e.to_string()}</p> }.into_any(),
            }}
            {may("export_backup").then(|| view! { <ExportBackup store=store completed=completed/> })}
            {may("restore_backup").then(|| view! { <RestoreBackup store=store completed=completed/> })}
        </div>
    }
    .into_any()
}

#[component]
fn EditBackup(store: Store) -> impl IntoView {
    let form = store.edit_form;
    let submit = form.submit_to(store.edit, "Saving at mittwald…", Some);
    view! {
        <div class="mw-block">
            <button type="button" aria-expanded=move || store.edit_open.get().to_string()
                aria-controls="mw-edit-form"
                on:click=move |_| store.edit_open.update(|o| *o = !*o)>
                "Edit description or expiration"
            </button>
            <Show when=move || store.edit_open.get()>
                <form id="mw-edit-form" class="mw-form" novalidate on:submit=submit aria-label="Edit the backup">
                    {form.field("description", "Description", |v| &v.description, |v, s| v.description = s)
                        .hint("Optional; empty clears it.").input()}
                    {form.field("expirationTime", "Keep until (UTC)", |v| &v.expiration, |v, s| v.expiration = s)
                        .hint("7 days to 1 year from now. Left as it is, it is not changed.").kind("datetime-local").input()}
                    <div class="submit-row">
                        <button type="submit" class="primary" disabled=move || store.edit.pending()>"Save changes"</button>
                        {form.summary()}
                    </div>
                </form>
            </Show>
            <OutcomeView progress=store.edit.progress/>
        </div>
    }
}

#[component]
fn DeleteBackup(store: Store) -> impl IntoView {
    let name = store.ctx().map(|c| c.name).unwrap_or_default();
    let on_confirm = move || {
        let Some(ctx) = store.ctx() else { return };
        if store.delete.pending() {
            return;
        }
        Notices::get().busy(&ctx.connection.id, format!("Deleting the backup “{}” at mittwald…", ctx.name));
        // At once off the list (this closes the panel); `reconcile` puts it back if mittwald refuses.
        remove_listed(ctx.state, &ctx.connection.id, &ctx.id);
        store.delete.run("Deleting…", ());
    };
    view! {
        <div class="mw-block">
            <Confirm
                label="Delete backup".into()
                question=format!("Delete the backup “{name}” at mittwald? This cannot be undone.")
                confirm_label=format!("Delete “{name}”")
                progress=store.delete.progress
                on_confirm=on_confirm
            />
            <OutcomeView progress=store.delete.progress/>
        </div>
    }
}
