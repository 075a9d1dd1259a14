//! ServerAvatar's actions in the SPA (the rules are `backboard_core::providers::serveravatar`;
//! creating a backup is `create.rs`):
//!
//! - in a backup's details panel: delete (the bulk API with this one id) and the download of
//!   its filesystem and/or database part. The temporary URL (valid 60 s) is asked for at click
//!   time, handed to the browser at once and never kept;
//! - below the list, per connection: delete several backups at once, the archive views
//!   (filesystem, database, application; all pages through the core's paging engine) and the
//!   servers that were deleted but still have backups.

use backboard_core::display::{absolute, human_size};
use backboard_core::paging::{fetch_all, send, Options, Progress, RetryPolicy};
use backboard_core::providers::serveravatar as provider;
use backboard_core::providers::serveravatar::{
    self as sa, delete_validation_errors, downloadable_parts, ArchiveEndpoint, ArchiveKind, DeleteForm, DeletedServer,
    DownloadForm, Part,
};
use backboard_core::providers::Details;
use backboard_core::Account;
use backboard_core::{Backup, Connection, Error, FieldError, Provider};
use leptos::prelude::*;

use super::northflank::shared::{
    clock, demo_file, demo_link, field_error, kept_action, notice_of, open_download, revoke, said, title,
};
use super::{reconcile, remove_listed, send_once, Action, Confirm, OutcomeView};
use crate::transport::FetchTransport;
use crate::{base_for, now, AppState};

const P: Provider = Provider::ServerAvatar;

#[derive(Clone)]
struct Call {
    state: AppState,
    connection: Connection,
    account: provider::Account,
    base: String,
}

impl Call {
    fn of(state: AppState, connection: &Connection) -> Option<Call> {
        let Account::ServerAvatar(account) = &connection.account else { return None };
        Some(Call { state, account: account.clone(), base: base_for(connection), connection: connection.clone() })
    }

    /// Deletes `ids` with one call. `Err` carries what to show: the provider's message, or the
    /// per-id messages of a 422 (`fields`).
    async fn delete(&self, ids: &[String]) -> Result<String, (String, Vec<FieldError>)> {
        let request = DeleteForm { ids: ids.to_vec() }
            .validate(now())
            .map_err(|errors| ("Nothing was sent.".to_string(), errors))?;
        let response = send_once(P, sa::delete_request(&self.base, &self.account, &request))
            .await
            .map_err(|e| (said(&e), Vec::new()))?;
        sa::parse_delete(&response).map_err(|e| (said(&e), delete_validation_errors(&response.body)))
    }
}

fn part_words(part: Part) -> &'static str {
    match part {
        Part::Filesystem => "files",
        Part::Database => "database",
    }
}

/// Asks for a fresh temporary URL of one part and hands it to the browser right away; the URL
/// is not kept anywhere (it is dead a minute later).
async fn download(call: Call, backup_id: String, part: Part) -> Result<String, String> {
    let form = DownloadForm { backup_id, part: part.as_str().into() };
    let request =
        form.validate(now()).map_err(|errors| errors.into_iter().map(|e| e.message).collect::<Vec<_>>().join(" "))?;
    let response =
        send_once(P, sa::download_request(&call.base, &call.account, &request)).await.map_err(|e| said(&e))?;
    let asked = clock();
    match sa::parse_download(&response) {
        Ok(url) => open_download(&url.into_string(), None)?,
        Err(e) => {
            // The in-page demo's URLs are `demo://`: fetched here, offered as a Blob URL.
            let demo = crate::demo::is_demo(&call.connection)
                .then(|| demo_link(&response.body, &["temporaryUrl"]))
                .flatten()
                .ok_or_else(|| said(&e))?;
            let (blob, file) = demo_file(P, &demo).await?;
            open_download(&blob, Some(&file))?;
            gloo_timers::callback::Timeout::new(60_000, move || revoke(&blob)).forget();
        }
    }
    Ok(format!(
        "Download of the {} opened with a fresh link (asked for at {asked}, valid 60 s). \
         Nothing opened? Press again: every press asks for a new link.",
        part_words(part)
    ))
}

#[derive(Clone)]
struct Subject {
    call: Call,
    id: String,
    name: String,
}

/// The actions for one ServerAvatar backup, in its details panel.
#[component]
pub fn Actions(backup: Backup, connection: Connection) -> impl IntoView {
    let state = expect_context::<AppState>();
    let (Some(call), Details::ServerAvatar(record)) = (Call::of(state, &connection), &backup.details) else {
        return ().into_any();
    };
    let key = format!("sa:{}:{}", connection.id, backup.id);
    let delete = kept_action(&format!("{key}:delete"));
    let name = title(&backup);
    let parts = downloadable_parts(record);
    let nothing = parts.is_empty();
    let subject = StoredValue::new(Subject { call, id: backup.id.clone(), name: name.clone() });

    let on_delete = move || {
        let Subject { call, id, name } = subject.get_value();
        let notice = notice_of("sa", &call.connection.id);
        delete.run(format!("Deleting “{name}”…"), async move {
            let result = match call.delete(std::slice::from_ref(&id)).await {
                Ok(message) => {
                    remove_listed(call.state, &call.connection.id, &id);
                    reconcile(call.state, call.connection.clone());
                    let m = format!("Deleted “{name}” (id {id}): {message}");
                    notice.set(Some(Ok(m.clone())));
                    Ok(m)
                }
                Err((message, fields)) => {
                    let details: Vec<String> = fields.into_iter().map(|f| f.message).collect();
                    Err(if details.is_empty() { message } else { format!("{message} {}", details.join(" ")) })
                }
            };
            result
        });
    };

    let downloads = parts
        .into_iter()
        .map(|part| {
            let action = kept_action(&format!("{key}:download:{}", part.as_str()));
            let text = match part {
                Part::Filesystem => "Download the files",
                Part::Database => "Download the database",
            };
            let on_click = move |_| {
                let Subject { call, id, .. } = subject.get_value();
                action.run(
                    format!("Asking ServerAvatar for a link to the {}…", part_words(part)),
                    download(call, id, part),
                );
            };
            view! {
                <div class="download-part">
                    <button type="button" disabled=move || action.busy() on:click=on_click
                        aria-label=format!("{text} of “{name}”")>{text}</button>
                    <OutcomeView action=action/>
                </div>
            }
        })
        .collect_view();
    view! {
        <div class="provider-actions">
            <p class="current-status">"ServerAvatar status: " <strong>{record.status.clone()}</strong></p>
            {downloads}
            {nothing.then(|| view! { <p class="muted">"Nothing of this backup is in cloud storage to download."</p> })}
            <Confirm
                label="Delete".to_string()
                question=format!("Delete the backup “{name}” (id {}) from its cloud storage? This cannot be undone.", backup.id)
                confirm_label=format!("Delete “{name}”")
                action=delete
                on_confirm=on_delete
            />
            <OutcomeView action=delete/>
        </div>
    }
    .into_any()
}

/// ServerAvatar's per-connection tools, below the list.
#[component]
pub fn Section() -> impl IntoView {
    let state = expect_context::<AppState>();
    let list = Memo::new(move |_| {
        state
            .connections
            .with(|list| list.iter().filter(|c| c.provider() == Provider::ServerAvatar).cloned().collect::<Vec<_>>())
    });
    view! {
        <For each=move || list.get() key=|c| (c.id.clone(), c.label.clone()) let:connection>
            <OrganizationTools connection=connection/>
        </For>
    }
}

#[component]
fn OrganizationTools(connection: Connection) -> impl IntoView {
    let state = expect_context::<AppState>();
    let Some(call) = Call::of(state, &connection) else { return ().into_any() };
    let prefix = format!("sa-{}", connection.id);
    let title_id = format!("{prefix}-title");
    let labelled_by = title_id.clone();
    let label = connection.label.clone();
    let call = StoredValue::new(call);
    let notice = notice_of("sa", &connection.id);
    view! {
        <section class="provider-tools sa-tools" aria-labelledby=labelled_by>
            <h2 id=title_id>{format!("ServerAvatar “{label}”: bulk delete, archive, deleted servers")}</h2>
            {move || notice.get().map(|n| match n {
                Ok(m) => view! { <p class="action-status ok" role="status">"✓ " {m}</p> }.into_any(),
                Err(m) => view! { <p class="action-status error" role="alert">"⚠ " {m}</p> }.into_any(),
            })}
            <BulkDelete call=call prefix=prefix.clone()/>
            <Archive call=call prefix=prefix.clone()/>
            <DeletedServers call=call/>
        </section>
    }
    .into_any()
}

/// Choose several of the connection's backups and delete them with one call.
#[component]
fn BulkDelete(call: StoredValue<Call>, prefix: String) -> impl IntoView {
    let state = call.with_value(|c| c.state);
    let connection_id = call.with_value(|c| c.connection.id.clone());
    let chosen = RwSignal::new(Vec::<String>::new());
    let tried = RwSignal::new(false);
    let server_errors = RwSignal::new(Vec::<String>::new());
    let action = Action::default();
    let backups = {
        let connection_id = connection_id.clone();
        Memo::new(move |_| {
            state.loads.with(|loads| {
                loads
                    .iter()
                    .find(|(id, _, _)| *id == connection_id)
                    .map(|(_, _, load)| load.backups().to_vec())
                    .unwrap_or_default()
            })
        })
    };
    // Ids no longer listed drop out of the choice.
    Effect::new(move |_| {
        let listed: Vec<String> = backups.with(|b| b.iter().map(|b| b.id.clone()).collect());
        if chosen.with_untracked(|c| c.iter().any(|id| !listed.contains(id))) {
            chosen.update(|c| c.retain(|id| listed.contains(id)));
        }
    });
    let problems = Memo::new(move |_| {
        chosen.with(|ids| DeleteForm { ids: ids.clone() }.validate(now()).err().unwrap_or_default())
    });
    let error_id = format!("{prefix}-bulk-ids-error");
    let list_id = format!("{prefix}-bulk-ids");
    let message = move || {
        let mut all: Vec<String> =
            if tried.get() { problems.with(|p| p.iter().map(|e| e.message.clone()).collect()) } else { Vec::new() };
        all.extend(server_errors.get());
        (!all.is_empty()).then(|| all.join(" "))
    };
    let has_error = move || message().is_some();
    let names = move || {
        let ids = chosen.get();
        backups.with(|b| {
            b.iter()
                .filter(|b| ids.contains(&b.id))
                .map(|b| format!("“{}” (id {})", title(b), b.id))
                .collect::<Vec<_>>()
        })
    };
    let on_confirm = move || {
        let ids = chosen.get_untracked();
        let call = call.get_value();
        server_errors.set(Vec::new());
        action.run(format!("Deleting {} backups…", ids.len()), async move {
            match call.delete(&ids).await {
                Ok(message) => {
                    for id in &ids {
                        remove_listed(call.state, &call.connection.id, id);
                    }
                    chosen.set(Vec::new());
                    tried.set(false);
                    reconcile(call.state, call.connection.clone());
                    Ok(format!("Deleted {} backups (ids {}): {message}", ids.len(), ids.join(", ")))
                }
                Err((message, fields)) => {
                    server_errors.set(fields.into_iter().map(|f| f.message).collect());
                    Err(message)
                }
            }
        });
    };
    let toggle = move |id: String, on: bool| {
        server_errors.set(Vec::new());
        chosen.update(|c| {
            c.retain(|x| *x != id);
            if on {
                c.push(id);
            }
        });
    };
    let described = {
        let error_id = error_id.clone();
        move || has_error().then(|| error_id.clone())
    };
    view! {
        <fieldset class="bulk-delete" aria-describedby=described>
            <legend>"Delete several backups"</legend>
            <div class="pick-list" id=list_id role="group" aria-label="Backups to delete" tabindex="0">
                <For each=move || backups.get() key=|b| (b.id.clone(), b.status_raw.clone()) let:b>
                    {
                        let id = b.id.clone();
                        let checked_id = id.clone();
                        let text = format!("{} · id {} · {}", title(&b), b.id, b.status_raw);
                        view! {
                            <label class="check">
                                <input type="checkbox" name="ids" value=id.clone()
                                    prop:checked=move || chosen.with(|c| c.contains(&checked_id))
                                    on:change=move |ev| toggle(id.clone(), event_target_checked(&ev))/>
                                {text}
                            </label>
                        }
                    }
                </For>
            </div>
            {field_error(error_id, message)}
            <div class="submit-row">
                {move || {
                    let chosen_names = names();
                    if problems.with(Vec::is_empty) {
                        let n = chosen_names.len();
                        let question = format!(
                            "Delete {n} {} from cloud storage: {}? This cannot be undone.",
                            if n == 1 { "backup" } else { "backups" },
                            chosen_names.join(", ")
                        );
                        view! {
                            <Confirm label=format!("Delete the {n} selected") question=question
                                confirm_label=format!("Delete {n} {}", if n == 1 { "backup" } else { "backups" })
                                action=action on_confirm=on_confirm/>
                        }.into_any()
                    } else {
                        view! {
                            <button type="button" class="danger" on:click=move |_| tried.set(true)>"Delete the selected"</button>
                        }.into_any()
                    }
                }}
                <OutcomeView action=action/>
            </div>
        </fieldset>
    }
}

const KINDS: &[(ArchiveKind, &str)] = &[
    (ArchiveKind::Filesystem, "Filesystem"),
    (ArchiveKind::Database, "Database"),
    (ArchiveKind::Application, "Application"),
];

/// One archive view, every page read through the paging engine.
#[component]
fn Archive(call: StoredValue<Call>, prefix: String) -> impl IntoView {
    let kind = RwSignal::new(ArchiveKind::Filesystem);
    let action = Action::default();
    let rows = RwSignal::new(None::<(ArchiveKind, Vec<Backup>)>);
    let on_show = move |_| {
        let call = call.get_value();
        let kind = kind.get_untracked();
        action.run(format!("Reading the {} archive…", kind.as_str()), async move {
            let endpoint = ArchiveEndpoint { base: call.base.clone(), account: call.account.clone(), kind };
            let mut progress = |p: Progress| {
                let text = match p.pages_known {
                    Some(k) => format!("Reading the {} archive: page {} of {k}…", kind.as_str(), p.pages_done),
                    None => format!("Reading the {} archive: page {}…", kind.as_str(), p.pages_done),
                };
                action.outcome.set(super::Outcome::Busy(text));
            };
            let list = fetch_all(&FetchTransport, &endpoint, &Options::default(), &mut progress)
                .await
                .map_err(|e| said(&e))?;
            let source = call.connection.source();
            let list: Vec<Backup> = list.into_iter().map(|b| provider::normalize(b, &source)).collect();
            let n = list.len();
            rows.set(Some((kind, list)));
            Ok(format!("The {} archive has {n} {}.", kind.as_str(), if n == 1 { "backup" } else { "backups" }))
        });
    };
    let select_id = format!("{prefix}-archive-kind");
    view! {
        <div class="archive">
            <h3>"Archive"</h3>
            <div class="fields">
                <div class="field">
                    <label for=select_id.clone()>"Archive of"</label>
                    <select id=select_id name="archive-kind"
                        on:change=move |ev| if let Some(k) = ArchiveKind::parse(&event_target_value(&ev)) { kind.set(k) }>
                        {KINDS.iter().map(|(k, text)| view! {
                            <option value=k.as_str() prop:selected=move || kind.get() == *k>{*text}</option>
                        }).collect_view()}
                    </select>
                </div>
                <button type="button" disabled=move || action.busy() on:click=on_show>"Show the archive"</button>
            </div>
            <OutcomeView action=action/>
            {move || rows.get().map(|(kind, list)| view! {
                <div class="table-scroll small">
                    <table class="tool-table archive-table">
                        <caption>{format!("Archived {} backups", kind.as_str())}</caption>
                        <thead><tr>
                            <th scope="col">"Id"</th><th scope="col">"Name"</th><th scope="col">"Server"</th>
                            <th scope="col">"Status"</th><th scope="col">"Size"</th><th scope="col">"Created"</th>
                        </tr></thead>
                        <tbody>
                            {list.into_iter().map(|b| {
                                let server = match &b.details {
                                    Details::ServerAvatar(r) => r.server_id.map(|s| s.to_string()),
                                    _ => None,
                                };
                                view! { <tr>
                                    <td>{b.id.clone()}</td>
                                    <td>{title(&b)}</td>
                                    <td>{server.unwrap_or_else(|| "—".into())}</td>
                                    <td>{b.status_raw.clone()}</td>
                                    <td class="num">{b.size_bytes.map(human_size).unwrap_or_else(|| "—".into())}</td>
                                    <td>{b.created.map(absolute).unwrap_or_else(|| "—".into())}</td>
                                </tr> }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
        </div>
    }
}

/// Servers deleted at ServerAvatar whose backups are still kept (in the archive).
#[component]
fn DeletedServers(call: StoredValue<Call>) -> impl IntoView {
    let action = Action::default();
    let servers = RwSignal::new(None::<Vec<DeletedServer>>);
    let on_show = move |_| {
        let call = call.get_value();
        action.run("Asking ServerAvatar for its deleted servers…", async move {
            let request = sa::deleted_servers_request(&call.base, &call.account);
            // A GET: retried on transient failures like the list.
            let response = send(&FetchTransport, P, request, &RetryPolicy::default(), &std::cell::Cell::new(1))
                .await
                .map_err(|e: Error| said(&e))?;
            let list = sa::parse_deleted_servers(&response).map_err(|e| said(&e))?;
            let n = list.len();
            servers.set(Some(list));
            Ok(format!(
                "{n} deleted {} still {} backups.",
                if n == 1 { "server" } else { "servers" },
                if n == 1 { "has" } else { "have" }
            ))
        });
    };
    view! {
        <div class="deleted-servers">
            <h3>"Deleted servers"</h3>
            <button type="button" disabled=move || action.busy() on:click=on_show>"Show the deleted servers"</button>
            <OutcomeView action=action/>
            {move || servers.get().map(|list| view! {
                <table class="tool-table deleted-servers-table">
                    <caption>"Deleted servers with backups"</caption>
                    <thead><tr>
                        <th scope="col">"Id"</th><th scope="col">"Name"</th><th scope="col">"IP"</th><th scope="col">"Deleted"</th>
                    </tr></thead>
                    <tbody>
                        {list.into_iter().map(|s| view! { <tr>
                            <td>{s.id}</td>
                            <td>{s.name.unwrap_or_else(|| "—".into())}</td>
                            <td>{s.ip.unwrap_or_else(|| "—".into())}</td>
                            <td>{s.deleted_at.map(absolute).unwrap_or_else(|| "—".into())}</td>
                        </tr> }).collect_view()}
                    </tbody>
                </table>
            })}
        </div>
    }
}
