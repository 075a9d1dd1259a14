//! What a mittwald backup's details hold, kept by the list while they are open ([`Store`]), and
//! the polls of a running export or restore.

use backboard_core::providers::mittwald::ProjectBackup;
use backboard_core::providers::mittwald::{self as mw, UpdateBackup, UpdateBackupForm};
use backboard_core::{Error, FieldError};
use leptos::prelude::*;

use super::call::{act, fetch_backup, local_value, relist, Ctx};
use crate::actions::{poll_until, reconcile};
use crate::clock::now;
use crate::ui::task::Progress;
use crate::ui::{BackupScope, Form, Notices, Task};

/// The edit form's values: what mittwald had is kept to tell whether the expiration changed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EditValues {
    pub description: String,
    pub expiration: String,
    expiration_was: String,
}

fn check_edit(v: &EditValues) -> Result<UpdateBackup, Vec<FieldError>> {
    // An expiration left as it was is not sent again (it may be nearer than 7 days now).
    let expiration_time =
        if v.expiration.trim() == v.expiration_was.trim() { String::new() } else { v.expiration.clone() };
    UpdateBackupForm { description: v.description.clone(), expiration_time }.validate(now())
}

/// What one backup's panel holds: the freshest copy of the backup, the forms as typed, each
/// action's state and whether a poll runs. Kept by the list while the details are open.
#[derive(Clone, Copy)]
pub struct Store {
    pub scope: BackupScope,
    pub ctx: StoredValue<Option<Ctx>>,
    pub latest: RwSignal<Option<ProjectBackup>>,
    pub polling_export: StoredValue<bool>,
    pub polling_restore: StoredValue<bool>,
    pub edit_open: RwSignal<bool>,
    pub edit: Task<UpdateBackup>,
    pub edit_form: Form<EditValues, UpdateBackup>,
    pub delete: Task<()>,
}

impl Store {
    pub fn new(scope: BackupScope, backup: &ProjectBackup) -> Self {
        let form = UpdateBackupForm::from_backup(backup);
        let expiration = backup.expires_at.map(local_value).unwrap_or_default();
        let ctx = StoredValue::new(None::<Ctx>);
        let latest = RwSignal::new(Some(backup.clone()));
        let edit_form = Form::new(
            "mw-edit",
            EditValues { description: form.description, expiration: expiration.clone(), expiration_was: expiration },
            check_edit,
            &["description", "expirationTime"],
        );
        let edit = Task::new(move |body: &UpdateBackup| {
            let (ctx, body) = (ctx.get_value(), body.clone());
            async move {
                let ctx = ctx.ok_or("This backup's details are closed.")?;
                let request = mw::update_backup_request(&ctx.base, &ctx.account, &ctx.id, &body);
                act(request, mw::parse_update_backup, None).await.map_err(|r| {
                    edit_form.refused(r.fields);
                    r.message
                })?;
                edit_form.values.update(|v| v.expiration_was = v.expiration.clone());
                if let Ok(backup) = fetch_backup(&ctx).await {
                    latest.set(Some(backup.clone()));
                    relist(&ctx, backup);
                }
                Ok("mittwald saved the description and expiration.".to_string())
            }
        });
        let notices = Notices::get();
        let delete = Task::new(move |_: &()| {
            let ctx = ctx.get_value();
            async move {
                let ctx = ctx.ok_or("This backup's details are closed.")?;
                let what = format!("“{}”", ctx.name);
                let request = mw::delete_backup_request(&ctx.base, &ctx.account, &ctx.id);
                let result = act(request, mw::parse_delete_backup, None).await;
                reconcile(ctx.state, ctx.connection.clone());
                let result = result
                    .map(|()| format!("mittwald deleted the backup {what}."))
                    .map_err(|r| format!("The backup {what} was not deleted: {}", r.message));
                notices.said(&ctx.connection.id, result.clone());
                result
            }
        });
        Store {
            scope,
            ctx,
            latest,
            polling_export: StoredValue::new(false),
            polling_restore: StoredValue::new(false),
            edit_open: RwSignal::new(false),
            edit,
            edit_form,
            delete,
        }
    }

    pub fn ctx(self) -> Option<Ctx> {
        self.ctx.try_get_value().flatten()
    }
}

#[derive(Clone, Copy, PartialEq)]
pub enum Long {
    Export,
    Restore,
}

/// Polls the backup until the export or restore settles, or the details close; then the
/// action's answer (`said`) tells how it ended.
pub fn watch(store: Store, kind: Long, said: Progress) {
    let flag = match kind {
        Long::Export => store.polling_export,
        Long::Restore => store.polling_restore,
    };
    let Some(ctx) = store.ctx() else { return };
    if flag.get_value() {
        return;
    }
    flag.set_value(true);
    leptos::task::spawn_local(async move {
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
        poll_until(check, move || store.scope.alive(), 40).await;
        let _ = flag.try_set_value(false);
        let Some(backup) = store.latest.try_get_untracked().flatten() else { return };
        // Settled: the action's answer now says how it ended (the state line says it too).
        match kind {
            Long::Export if !mw::export_running(&backup) => {
                let phase = backup.export.as_ref().and_then(|e| e.phase.as_ref());
                match (mw::export_download(&backup), phase) {
                    (Some(_), _) => said.settle(Ok("The export is ready to download.".into())),
                    (None, Some(phase)) => said.settle(Err(format!("The export ended {phase}, without a download."))),
                    (None, None) => {}
                }
            }
            Long::Restore if !mw::restore_running(&backup) => {
                if let Some(r) = &backup.restore {
                    said.settle(Ok(format!("The restore finished: {}.", r.phase)));
                }
            }
            _ => {}
        }
        relist(&ctx, backup);
    });
}
