//! Below the list, per ServerAvatar connection: delete several backups at once, the archive views
//! (filesystem, database, application; every page through the core's paging engine) and the
//! servers that were deleted but still have backups.

use backboard_core::display::{absolute, human_size};
use backboard_core::paging::{fetch_all, Options, Progress};
use backboard_core::providers::serveravatar as provider;
use backboard_core::providers::serveravatar::{
    self as sa, ArchiveEndpoint, ArchiveKind, DeleteForm, DeleteRequest, DeletedServer,
};
use backboard_core::providers::Details;
use backboard_core::{Backup, Connection, FieldError, Provider};
use leptos::prelude::*;

use super::call::{Call, P};
use crate::actions::{read, reconcile, remove_listed};
use crate::clock::now;
use crate::state::AppState;
use crate::transport::FetchTransport;
use crate::ui::text::{count, title};
use crate::ui::{Confirm, Form, Notices, OutcomeView, Task};

/// ServerAvatar's tools for one organization, on its source's page: create a backup, bulk
/// delete, the archives and the deleted servers.
#[component]
pub fn Tools(connection: Connection) -> impl IntoView {
    let state = expect_context::<AppState>();
    Call::of(state, &connection).map(|call| {
        view! {
            // In workspace mode, only what the member's role may call is shown.
            {crate::workspace::may_call(Provider::ServerAvatar, "create_backup").then(|| view! { <super::CreateBackup connection=connection.clone()/> })}
            <OrganizationTools call=call/>
        }
    })
}

#[component]
fn OrganizationTools(call: Call) -> impl IntoView {
    let prefix = format!("sa-{}", call.connection.id);
    let title_id = format!("{prefix}-title");
    let labelled_by = title_id.clone();
    let label = call.connection.label.clone();
    let notice = Notices::get().view(call.connection.id.clone());
    let call = StoredValue::new(call);
    view! {
        <section class="provider-tools sa-tools" aria-labelledby=labelled_by>
            <h2 id=title_id>{format!("ServerAvatar “{label}”: bulk delete, archive, deleted servers")}</h2>
            {notice}
            {crate::workspace::may_call(Provider::ServerAvatar, "delete_backups").then(|| view! { <BulkDelete call=call prefix=prefix.clone()/> })}
            <Archive call=call prefix=prefix.clone()/>
            <DeletedServers call=call/>
        </section>
    }
}

#[allow(clippy::ptr_arg)] // a form validator takes its values as the form holds them
fn chosen_ids(ids: &Vec<String>) -> Result<DeleteRequest, Vec<FieldError>> {
    DeleteForm { ids: ids.clone() }.validate(now())
}

/// Choose several of the connection's backups and delete them with one call.
#[component]
fn BulkDelete(call: StoredValue<Call>, prefix: String) -> impl IntoView {
    let state = call.with_value(|c| c.state);
    let connection_id = call.with_value(|c| c.connection.id.clone());
    let form = Form::new(format!("{prefix}-bulk"), Vec::<String>::new(), chosen_ids, &["ids"]);
    let backups = Memo::new(move |_| {
        state.loads.with(|loads| {
            loads
                .iter()
                .find(|(id, _, _)| *id == connection_id)
                .map(|(_, _, load)| load.backups().to_vec())
                .unwrap_or_default()
        })
    });
    // Ids no longer listed drop out of the choice.
    Effect::new(move |_| {
        let listed: Vec<String> = backups.with(|b| b.iter().map(|b| b.id.clone()).collect());
        if form.values.with_untracked(|c| c.iter().any(|id| !listed.contains(id))) {
            form.values.update(|c| c.retain(|id| listed.contains(id)));
        }
    });
    let valid = Memo::new(move |_| form.values.with(|ids| chosen_ids(ids).is_ok()));
    let names = move || {
        let ids = form.values.get();
        backups.with(|b| {
            b.iter()
                .filter(|b| ids.contains(&b.id))
                .map(|b| format!("“{}” (id {})", title(b), b.id))
                .collect::<Vec<_>>()
        })
    };
    let delete = Task::new(move |ids: &Vec<String>| {
        let (ids, call) = (ids.clone(), call.get_value());
        async move {
            match call.delete(&ids).await {
                Ok(message) => {
                    for id in &ids {
                        remove_listed(call.state, &call.connection.id, id);
                    }
                    form.values.set(Vec::new());
                    form.reset();
                    reconcile(call.state, call.connection.clone());
                    Ok(format!("Deleted {} backups (ids {}): {message}", ids.len(), ids.join(", ")))
                }
                Err((message, fields)) => {
                    form.refused(fields);
                    Err(message)
                }
            }
        }
    });
    let on_confirm = move || {
        if form.try_submit().is_some() {
            let ids = form.values.get_untracked();
            delete.run(format!("Deleting {} backups…", ids.len()), ids);
        }
    };
    let toggle = move |id: String, on: bool| {
        form.set("ids", |c| {
            c.retain(|x| *x != id);
            if on {
                c.push(id);
            }
        });
    };
    view! {
        <fieldset class="bulk-delete" aria-describedby=form.described_by("ids", false)>
            <legend>"Delete several backups"</legend>
            <div class="pick-list" id=form.id("ids") role="group" aria-label="Backups to delete" tabindex="0">
                <For each=move || backups.get() key=|b| (b.id.clone(), b.status_raw.clone()) let:b>
                    {
                        let id = b.id.clone();
                        let checked_id = id.clone();
                        let text = format!("{} · id {} · {}", title(&b), b.id, b.status_raw);
                        view! {
                            <label class="check">
                                <input type="checkbox" name="ids" value=id.clone()
                                    prop:checked=move || form.values.with(|c| c.contains(&checked_id))
                                    on:change=move |ev| toggle(id.clone(), event_target_checked(&ev))/>
                                {text}
                            </label>
                        }
                    }
                </For>
            </div>
            {form.notes("ids", None)}
            <div class="submit-row">
                {move || {
                    let chosen_names = names();
                    if valid.get() {
                        let n = chosen_names.len();
                        let question = format!(
                            "Delete {} from cloud storage: {}? This cannot be undone.",
                            count(n, "backup", "backups"),
                            chosen_names.join(", ")
                        );
                        view! {
                            <Confirm label=format!("Delete the {n} selected") question=question
                                confirm_label=format!("Delete {}", count(n, "backup", "backups"))
                                progress=delete.progress on_confirm=on_confirm/>
                        }.into_any()
                    } else {
                        view! {
                            <button type="button" class="danger" on:click=move |_| { form.try_submit(); }>"Delete the selected"</button>
                        }.into_any()
                    }
                }}
                <OutcomeView progress=delete.progress/>
            </div>
        </fieldset>
    }
}

const KINDS: [(&str, &str); 3] =
    [("filesystem", "Filesystem"), ("database", "Database"), ("application", "Application")];

#[allow(clippy::ptr_arg)] // a form validator takes its values as the form holds them
fn archive_kind(kind: &String) -> Result<ArchiveKind, Vec<FieldError>> {
    ArchiveKind::parse(kind).ok_or_else(|| vec![FieldError::new("kind", "Choose an archive.")])
}

/// One archive view, every page read through the paging engine.
#[component]
fn Archive(call: StoredValue<Call>, prefix: String) -> impl IntoView {
    let form =
        Form::new(format!("{prefix}-archive"), ArchiveKind::Filesystem.as_str().to_string(), archive_kind, &["kind"]);
    let rows = RwSignal::new(None::<(ArchiveKind, Vec<Backup>)>);
    let show: Task<ArchiveKind> = Task::new_saying(|progress| {
        move |kind: &ArchiveKind| {
            let (kind, call) = (*kind, call.get_value());
            async move {
                let endpoint = ArchiveEndpoint { base: call.base.clone(), account: call.account.clone(), kind };
                let mut on_page = |p: Progress| {
                    let text = match p.pages_known {
                        Some(k) => format!("Reading the {} archive: page {} of {k}…", kind.as_str(), p.pages_done),
                        None => format!("Reading the {} archive: page {}…", kind.as_str(), p.pages_done),
                    };
                    progress.say(text);
                };
                let list = fetch_all(&FetchTransport, &endpoint, &Options::default(), &mut on_page)
                    .await
                    .map_err(|e| e.to_string())?;
                let source = call.connection.source();
                let list: Vec<Backup> = list.into_iter().map(|b| provider::normalize(b, &source)).collect();
                let n = list.len();
                rows.set(Some((kind, list)));
                Ok(format!("The {} archive has {}.", kind.as_str(), count(n, "backup", "backups")))
            }
        }
    });
    let on_show = move |_| {
        if let Some(kind) = form.try_submit() {
            show.run(format!("Reading the {} archive…", kind.as_str()), kind);
        }
    };
    view! {
        <div class="archive">
            <h3>"Archive"</h3>
            <div class="fields">
                {form.field("kind", "Archive of", |k| k, |k, v| *k = v).select(KINDS.to_vec())}
                <button type="button" disabled=move || show.pending() on:click=on_show>"Show the archive"</button>
            </div>
            <OutcomeView progress=show.progress/>
            {move || rows.get().map(|(kind, list)| view! {
                // Scrollable, so it takes the focus: the keyboard scrolls it too.
                <div class="table-scroll small" tabindex="0" role="region" aria-label=format!("Archived {} backups, scrollable", kind.as_str())>
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
    let servers = RwSignal::new(None::<Vec<DeletedServer>>);
    let show: Task<()> = Task::new(move |_: &()| {
        let call = call.get_value();
        async move {
            let response =
                read(P, sa::deleted_servers_request(&call.base, &call.account)).await.map_err(|e| e.to_string())?;
            let list = sa::parse_deleted_servers(&response).map_err(|e| e.to_string())?;
            let n = list.len();
            servers.set(Some(list));
            Ok(format!(
                "{} still {} backups.",
                count(n, "deleted server", "deleted servers"),
                if n == 1 { "has" } else { "have" }
            ))
        }
    });
    view! {
        <div class="deleted-servers">
            <h3>"Deleted servers"</h3>
            <button type="button" disabled=move || show.pending()
                on:click=move |_| show.run("Asking ServerAvatar for its deleted servers…", ())>"Show the deleted servers"</button>
            <OutcomeView progress=show.progress/>
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
