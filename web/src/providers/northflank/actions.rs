//! A Northflank addon backup's actions, in its details panel: abort (while it runs), restore and a
//! download link (once it is completed), delete; long-running answers are followed with
//! `poll_until` while the details stay open.

use std::rc::Rc;

use backboard_core::providers::northflank::BackupStatus;
use backboard_core::providers::northflank::{self as nf, BackupDetails, RestoreForm};
use backboard_core::providers::Details;
use backboard_core::{Backup, Connection, Provider};
use leptos::prelude::*;

use super::call::{Call, P};
use crate::actions::{reconcile, remove_listed, send_once};
use crate::clock::{now, time_of_day};
use crate::state::AppState;
use crate::ui::text::title;
use crate::ui::{BackupScope, Confirm, Download, Notices, OutcomeView, Task};

fn restore_words(r: &nf::LastRestore) -> String {
    let mut text = format!("Last restore: {}", r.status);
    if let Some(t) = r.restore_timestamp {
        text.push_str(&format!(", started {}", backboard_core::display::absolute(t)));
    }
    if let Some(t) = r.completed_at {
        text.push_str(&format!(", finished {}", backboard_core::display::absolute(t)));
    }
    text
}

/// What an action is about, read when it starts.
#[derive(Clone)]
struct Subject {
    call: Call,
    id: String,
    name: String,
}

/// The backup's actions and what they learnt, kept by the list while its details are open.
#[derive(Clone, Copy)]
struct Panel {
    subject: StoredValue<Option<Subject>>,
    abort: Task<()>,
    restore: Task<()>,
    fetch_link: Task<()>,
    delete: Task<()>,
    last_restore: RwSignal<Option<nf::LastRestore>>,
    /// The link as Northflank gave it (a file held in the page in the in-page demo).
    link: RwSignal<Option<Download>>,
}

impl Panel {
    fn new(scope: BackupScope) -> Self {
        let subject = StoredValue::new(None::<Subject>);
        let last_restore = RwSignal::new(None::<nf::LastRestore>);
        let link = RwSignal::new(None::<Download>);
        let notices = Notices::get();
        let alive = move || scope.alive();
        let current = move || subject.get_value().ok_or_else(|| "This backup's details are closed.".to_string());

        let abort = Task::new_saying(|say| {
            move |_: &()| {
                let subject = current();
                async move {
                    let Subject { call, id, name } = subject?;
                    let response = send_once(P, nf::abort_request(&call.base, &call.account, &call.addon, &id))
                        .await
                        .map_err(|e| e.to_string())?;
                    nf::parse_abort(&response).map_err(|e| e.to_string())?;
                    let each = move |d: &BackupDetails| {
                        say.say(format!("Aborting “{name}”: Northflank says “{}”.", d.backup.status))
                    };
                    let (last, settled) = call.follow(id, Rc::new(alive), Rc::new(each)).await?;
                    Ok(if settled {
                        format!("Abort finished: Northflank says “{}”.", last.backup.status)
                    } else {
                        format!("Abort accepted; Northflank said “{}” when last asked.", last.backup.status)
                    })
                }
            }
        });

        let restore = Task::new_saying(|say| {
            move |_: &()| {
                let subject = current();
                async move {
                    let Subject { call, id, name } = subject?;
                    // Both source fields blank: the addon's own backup, restored into it.
                    let request = RestoreForm::default()
                        .validate(now())
                        .map_err(|errors| errors.into_iter().map(|e| e.message).collect::<Vec<_>>().join(" "))?;
                    let response =
                        send_once(P, nf::restore_request(&call.base, &call.account, &call.addon, &id, &request))
                            .await
                            .map_err(|e| e.to_string())?;
                    let restore_id = nf::parse_restore(&response).map_err(|e| e.to_string())?.restore_id;
                    say.say(format!("Restore {restore_id} started; asking Northflank how it goes…"));
                    let each = {
                        let restore_id = restore_id.clone();
                        move |d: &BackupDetails| {
                            last_restore.set(d.last_restore.clone());
                            if let Some(r) = &d.last_restore {
                                say.say(format!("Restore {restore_id}: Northflank says “{}”.", r.status));
                            }
                        }
                    };
                    let (last, settled) = call.follow(id, Rc::new(alive), Rc::new(each)).await?;
                    let now =
                        last.last_restore.map(|r| r.status.to_string()).unwrap_or_else(|| "no restore yet".into());
                    Ok(if settled {
                        format!("Restore {restore_id} of “{name}”: Northflank says “{now}”.")
                    } else {
                        format!("Restore {restore_id} started; Northflank said “{now}” when last asked.")
                    })
                }
            }
        });

        let fetch_link = Task::new(move |_: &()| {
            let subject = current();
            async move {
                let Subject { call, id, .. } = subject?;
                let request = nf::download_link_request(&call.base, &call.account, &call.addon, &id);
                let response = send_once(P, request).await.map_err(|e| e.to_string())?;
                let offered = match nf::parse_download_link(&response) {
                    Ok(l) => Download::link(l.download_link),
                    Err(e) => {
                        // The in-page demo's links are `demo://`: fetched here, offered as a file.
                        let demo = crate::demo::is_demo(&call.connection)
                            .then(|| crate::demo::link_in(&response.body, &["data", "downloadLink"]))
                            .flatten()
                            .ok_or_else(|| e.to_string())?;
                        Download::from_demo(P, &demo).await?
                    }
                };
                link.set(Some(offered));
                Ok(format!("Northflank made a download link at {}; it works for a limited time.", time_of_day()))
            }
        });

        let delete = Task::new(move |_: &()| {
            let subject = current();
            async move {
                let Subject { call, id, name } = subject?;
                // At once from the list; reconciling afterwards brings it back if Northflank refused.
                remove_listed(call.state, &call.connection.id, &id);
                let answer = match send_once(P, nf::delete_request(&call.base, &call.account, &call.addon, &id)).await {
                    Ok(response) => nf::parse_delete(&response).map_err(|e| e.to_string()),
                    Err(e) => Err(e.to_string()),
                };
                reconcile(call.state, call.connection.clone());
                let result = match answer {
                    Ok(()) => Ok(format!("Deleted the backup “{name}” ({id}).")),
                    Err(e) => Err(format!("“{name}” was not deleted: {e}")),
                };
                notices.said(&call.connection.id, result.clone());
                result
            }
        });

        Panel { subject, abort, restore, fetch_link, delete, last_restore, link }
    }

    /// The backup's name for the words shown while an action starts.
    fn name(self) -> String {
        self.subject.with_value(|s| s.as_ref().map(|s| s.name.clone()).unwrap_or_default())
    }
}

/// The actions for one Northflank backup, in its details panel.
#[component]
pub fn Actions(backup: Backup, connection: Connection) -> impl IntoView {
    let state = expect_context::<AppState>();
    let (Some(call), Details::NorthflankAddon(record)) = (Call::of(state, &connection), &backup.details) else {
        return view! {
            <p class="muted">
                "Northflank's backup actions work on an addon's own backups: add a connection for the addon "
                "this backup was taken of (project id and addon id) to restore, download or delete it there."
            </p>
        }
        .into_any();
    };
    let scope = expect_context::<BackupScope>();
    let panel = scope.get_or_init(move || Panel::new(scope));
    let name = title(&backup);
    let addon = format!("{}/{}", call.addon.project_id, call.addon.addon_id);
    panel.subject.set_value(Some(Subject { call, id: backup.id.clone(), name: name.clone() }));
    let Panel { abort, restore, fetch_link, delete, last_restore, link, .. } = panel;
    let status = record.status.clone();
    let abortable = matches!(status, BackupStatus::Scheduled | BackupStatus::InProgress);
    let completed = status == BackupStatus::Completed;
    let link_name = name.clone();
    // In workspace mode, only what the member's role may call is shown.
    let may = |route| crate::workspace::may_call(Provider::Northflank, route);
    let abortable = abortable && may("abort_backup");
    let restorable = completed && may("restore_backup");
    let linkable = completed && may("download_link");
    let deletable = may("delete_backup");
    view! {
        <div class="provider-actions">
            <p class="current-status">"Northflank status: " <strong>{status.to_string()}</strong></p>
            {abortable.then(|| view! {
                <Confirm
                    label="Abort".to_string()
                    question=format!("Abort the running backup “{name}”? Northflank stops it and keeps nothing of it.")
                    confirm_label=format!("Abort “{name}”")
                    progress=abort.progress
                    on_confirm=move || abort.run(format!("Asking Northflank to abort “{}”…", panel.name()), ())
                />
            })}
            <OutcomeView progress=abort.progress/>
            {restorable.then(|| view! {
                <Confirm
                    label="Restore".to_string()
                    question=format!("Restore “{name}” into the addon {addon}? The addon's current data is replaced by this backup's.")
                    confirm_label=format!("Restore “{name}”")
                    progress=restore.progress
                    on_confirm=move || restore.run(format!("Asking Northflank to restore “{}”…", panel.name()), ())
                />
            })}
            <OutcomeView progress=restore.progress/>
            {move || last_restore.get().map(|r| view! { <p class="muted">{restore_words(&r)}</p> })}
            {linkable.then(|| view! {
                <button type="button" disabled=move || fetch_link.pending()
                    on:click=move |_| fetch_link.run("Asking Northflank for a download link…", ())>"Get a download link"</button>
            })}
            <OutcomeView progress=fetch_link.progress/>
            {move || link.with(|l| l.as_ref().map(|d| (d.href().to_string(), d.file_name().map(str::to_string)))).map(|(href, file)| {
                let text = format!("Download “{link_name}”");
                view! { <p><a class="download-link" href=href target="_blank" rel="noopener noreferrer" download=file>{text}</a></p> }
            })}
            {deletable.then(|| view! {
                <Confirm
                    label="Delete".to_string()
                    question=format!("Delete the backup “{name}”? This cannot be undone.")
                    confirm_label=format!("Delete “{name}”")
                    progress=delete.progress
                    on_confirm=move || delete.run(format!("Deleting “{}”…", panel.name()), ())
                />
            })}
            <OutcomeView progress=delete.progress/>
        </div>
    }
    .into_any()
}
