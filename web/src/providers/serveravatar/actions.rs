//! A ServerAvatar backup's actions, in its details panel: delete (the bulk API with this one id)
//! and the download of its filesystem and/or database part. The temporary URL (valid 60 s) is
//! asked for at click time, handed to the browser at once and never kept.

use backboard_core::providers::serveravatar::{self as sa, downloadable_parts, DownloadForm, Part};
use backboard_core::providers::Details;
use backboard_core::{Backup, Connection, Provider};
use leptos::prelude::*;

use super::call::{Call, P};
use crate::actions::{reconcile, remove_listed, send_once};
use crate::clock::{now, time_of_day};
use crate::state::AppState;
use crate::ui::task::Said;
use crate::ui::text::title;
use crate::ui::{BackupScope, Confirm, Download, Notices, OutcomeView, Task};

fn part_words(part: Part) -> &'static str {
    match part {
        Part::Filesystem => "files",
        Part::Database => "database",
    }
}

/// Asks for a fresh temporary URL of one part and hands it to the browser right away; the URL
/// is not kept anywhere (it is dead a minute later).
async fn download(call: Call, backup_id: String, part: Part) -> Said {
    let form = DownloadForm { backup_id, part: part.as_str().into() };
    let request =
        form.validate(now()).map_err(|errors| errors.into_iter().map(|e| e.message).collect::<Vec<_>>().join(" "))?;
    let response =
        send_once(P, sa::download_request(&call.base, &call.account, &request)).await.map_err(|e| e.to_string())?;
    let asked = time_of_day();
    let offered = match sa::parse_download(&response) {
        Ok(url) => Download::link(url.into_string()),
        Err(e) => {
            // The in-page demo's URLs are `demo://`: fetched here, offered as a file.
            let demo = crate::demo::is_demo(&call.connection)
                .then(|| crate::demo::link_in(&response.body, &["temporaryUrl"]))
                .flatten()
                .ok_or_else(|| e.to_string())?;
            Download::from_demo(P, &demo).await?
        }
    };
    offered.open()?;
    Ok(format!(
        "Download of the {} opened with a fresh link (asked for at {asked}, valid 60 s). \
         Nothing opened? Press again: every press asks for a new link.",
        part_words(part)
    ))
}

/// What an action is about, read when it starts.
#[derive(Clone)]
struct Subject {
    call: Call,
    id: String,
    name: String,
}

/// The backup's actions, kept by the list while its details are open.
#[derive(Clone, Copy)]
struct Panel {
    subject: StoredValue<Option<Subject>>,
    delete: Task<()>,
    files: Task<()>,
    database: Task<()>,
}

impl Panel {
    fn new() -> Self {
        let subject = StoredValue::new(None::<Subject>);
        let notices = Notices::get();
        let delete = Task::new(move |_: &()| {
            let current = subject.get_value();
            async move {
                let Some(Subject { call, id, name }) = current else { return Err("Nothing to delete.".into()) };
                match call.delete(std::slice::from_ref(&id)).await {
                    Ok(message) => {
                        remove_listed(call.state, &call.connection.id, &id);
                        reconcile(call.state, call.connection.clone());
                        let m = format!("Deleted “{name}” (id {id}): {message}");
                        notices.said(&call.connection.id, Ok(m.clone()));
                        Ok(m)
                    }
                    Err((message, fields)) => {
                        let details: Vec<String> = fields.into_iter().map(|f| f.message).collect();
                        Err(if details.is_empty() { message } else { format!("{message} {}", details.join(" ")) })
                    }
                }
            }
        });
        let part = move |part: Part| {
            Task::new(move |_: &()| {
                let current = subject.get_value();
                async move {
                    let Some(Subject { call, id, .. }) = current else { return Err("Nothing to download.".into()) };
                    download(call, id, part).await
                }
            })
        };
        Panel { subject, delete, files: part(Part::Filesystem), database: part(Part::Database) }
    }

    fn task(self, part: Part) -> Task<()> {
        match part {
            Part::Filesystem => self.files,
            Part::Database => self.database,
        }
    }
}

/// The actions for one ServerAvatar backup, in its details panel.
#[component]
pub fn Actions(backup: Backup, connection: Connection) -> impl IntoView {
    let state = expect_context::<AppState>();
    let (Some(call), Details::ServerAvatar(record)) = (Call::of(state, &connection), &backup.details) else {
        return ().into_any();
    };
    let panel = expect_context::<BackupScope>().get_or_init(Panel::new);
    let name = title(&backup);
    panel.subject.set_value(Some(Subject { call, id: backup.id.clone(), name: name.clone() }));
    let parts = downloadable_parts(record);
    let nothing = parts.is_empty();
    let downloads = parts
        .into_iter()
        .filter(|part| {
            let route = match part {
                Part::Filesystem => "download_filesystem",
                Part::Database => "download_database",
            };
            crate::workspace::may_call(Provider::ServerAvatar, route)
        })
        .map(|part| {
            let task = panel.task(part);
            let text = match part {
                Part::Filesystem => "Download the files",
                Part::Database => "Download the database",
            };
            let on_click =
                move |_| task.run(format!("Asking ServerAvatar for a link to the {}…", part_words(part)), ());
            view! {
                <div class="download-part">
                    <button type="button" disabled=move || task.pending() on:click=on_click
                        aria-label=format!("{text} of “{name}”")>{text}</button>
                    <OutcomeView progress=task.progress/>
                </div>
            }
        })
        .collect_view();
    let delete = panel.delete;
    let on_delete = move || {
        let name = panel.subject.with_value(|s| s.as_ref().map(|s| s.name.clone()).unwrap_or_default());
        delete.run(format!("Deleting “{name}”…"), ())
    };
    view! {
        <div class="provider-actions">
            <p class="current-status">"ServerAvatar status: " <strong>{record.status.clone()}</strong></p>
            {downloads}
            {nothing.then(|| view! { <p class="muted">"Nothing of this backup is in cloud storage to download."</p> })}
            {crate::workspace::may_call(Provider::ServerAvatar, "delete_backups").then(|| view! {
                <Confirm
                    label="Delete".to_string()
                    question=format!("Delete the backup “{name}” (id {}) from its cloud storage? This cannot be undone.", backup.id)
                    confirm_label=format!("Delete “{name}”")
                    progress=delete.progress
                    on_confirm=on_delete
                />
            })}
            <OutcomeView progress=delete.progress/>
        </div>
    }
    .into_any()
}
