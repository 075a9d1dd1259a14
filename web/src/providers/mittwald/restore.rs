//! A mittwald backup's restore: databases (each of the backup's dumps into a database of the
//! project) and paths picked from the backup's own file tree; then polled until it settles.

use backboard_core::providers::mittwald::{self as mw, DatabaseRestoreForm, ProjectBackupPath, RestoreBackupForm};
use backboard_core::FieldError;
use leptos::prelude::*;

use super::call::{act, fetch_backup, P};
use super::store::{watch, Long, Store};
use crate::actions::read;
use crate::clock::now;
use crate::ui::{Form, Loaded, OutcomeView, Task};

/// The restore form as typed: per dump (same order), the database to restore it into (empty:
/// skip that dump), and the paths chosen.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct RestoreValues {
    dumps: Vec<String>,
    targets: Vec<String>,
    sources: Vec<String>,
    target_path: String,
    clear_target: bool,
}

fn check(v: &RestoreValues) -> Result<mw::RestoreBackup, Vec<FieldError>> {
    // A dump whose target is left empty is skipped (an empty row), keeping the row numbers of the
    // core's messages equal to the dumps' places in the form.
    let database_restores = v
        .dumps
        .iter()
        .enumerate()
        .map(|(i, dump)| {
            let target = v.targets.get(i).cloned().unwrap_or_default();
            DatabaseRestoreForm {
                database_backup_dump: if target.trim().is_empty() { String::new() } else { dump.clone() },
                target_database_id: target,
            }
        })
        .collect();
    RestoreBackupForm {
        database_restores,
        source_paths: v.sources.clone(),
        target_restore_path: v.target_path.clone(),
        clear_target_path: v.clear_target,
    }
    .validate(now())
}

const DATABASES: &str = "databaseRestores";
const SOURCES: &str = "pathRestore.sourcePaths";
const TARGET: &str = "pathRestore.targetRestorePath";

/// The restore's form and action, kept with the backup's other state.
#[derive(Clone, Copy)]
pub(super) struct RestoreForm {
    pub task: Task<mw::RestoreBackup>,
    form: Form<RestoreValues, mw::RestoreBackup>,
    open: RwSignal<bool>,
}

impl RestoreForm {
    pub fn of(store: Store) -> Self {
        store.scope.get_or_init(|| Self::new(store))
    }

    fn new(store: Store) -> Self {
        let form = Form::new("mw-restore", RestoreValues::default(), check, &[DATABASES, SOURCES, TARGET]);
        let task = Task::new(move |body: &mw::RestoreBackup| {
            let (ctx, body) = (store.ctx(), body.clone());
            async move {
                let ctx = ctx.ok_or("This backup's details are closed.")?;
                let request = mw::restore_backup_request(&ctx.base, &ctx.account, &ctx.id, &body);
                act(request, mw::parse_restore_backup, None).await.map_err(|r| {
                    form.refused(r.fields);
                    r.message
                })?;
                if let Ok(backup) = fetch_backup(&ctx).await {
                    store.latest.set(Some(backup));
                }
                if store.scope.alive() {
                    watch(store, Long::Restore, Self::of(store).task.progress);
                }
                Ok("mittwald started the restore; its progress shows here.".to_string())
            }
        });
        RestoreForm { task, form, open: RwSignal::new(false) }
    }
}

/// The backup's database dumps and file tree, read once the form first opens.
#[derive(Clone, Copy)]
struct Pickers {
    dumps: Loaded<Vec<String>>,
    dir: RwSignal<String>,
    listing: Loaded<ProjectBackupPath>,
}

impl Pickers {
    fn of(store: Store, form: Form<RestoreValues, mw::RestoreBackup>) -> Self {
        store.scope.get_or_init(|| {
            let dumps = Loaded::new(move || {
                let ctx = store.ctx();
                async move {
                    let ctx = ctx.ok_or("This backup's details are closed.")?;
                    let list = read(P, mw::database_dumps_request(&ctx.base, &ctx.account, &ctx.id))
                        .await
                        .and_then(|r| mw::parse_database_dumps(&r))
                        .map_err(|e| e.to_string())?;
                    form.values.update(|v| {
                        v.targets.resize(list.len(), String::new());
                        v.dumps = list.clone();
                    });
                    Ok(list)
                }
            });
            let dir = RwSignal::new("/".to_string());
            // A new directory asked for drops the answer for the one left.
            let listing = Loaded::new(move || {
                let (ctx, dir) = (store.ctx(), dir.get());
                async move {
                    let ctx = ctx.ok_or("This backup's details are closed.")?;
                    read(P, mw::directories_request(&ctx.base, &ctx.account, &ctx.id, &dir))
                        .await
                        .and_then(|r| mw::parse_directories(&r))
                        .map_err(|e| e.to_string())
                }
            });
            Pickers { dumps, dir, listing }
        })
    }
}

fn parent_dir(dir: &str) -> String {
    match dir.trim_end_matches('/').rsplit_once('/') {
        Some(("", _)) | None => "/".into(),
        Some((parent, _)) => parent.to_string(),
    }
}

/// The restore as mittwald reports it: what goes where, and its phase.
fn restore_state(backup: &backboard_core::providers::mittwald::ProjectBackup) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(r) = &backup.restore {
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
    if let Some(p) = &backup.restore_path {
        parts.push(format!("Path restore {} → {}: {}", p.source_path, p.determined_target_path, p.phase));
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}

#[component]
pub(super) fn RestoreBackup(store: Store, completed: bool) -> impl IntoView {
    let RestoreForm { task, form, open } = RestoreForm::of(store);
    let running = move || store.latest.with(|b| b.as_ref().is_some_and(mw::restore_running));
    let submit = form.submit_to(task, "Asking mittwald to restore…", Some);
    view! {
        <div class="mw-block" role="group" aria-labelledby="mw-restore-title">
            <h4 id="mw-restore-title">"Restore"</h4>
            <p class="mw-restore-state" role="status">
                {move || store.latest.with(|b| b.as_ref().and_then(restore_state)).unwrap_or_else(|| "Not restored.".into())}
            </p>
            {completed.then(|| view! {
                <button type="button" aria-expanded=move || open.get().to_string()
                    aria-controls="mw-restore-form" on:click=move |_| open.update(|o| *o = !*o)>"Restore from this backup…"</button>
            })}
            <Show when=move || completed && open.get()>
                {
                    let pickers = Pickers::of(store, form);
                    view! {
                        <form id="mw-restore-form" class="mw-form mw-restore" novalidate on:submit=submit aria-label="Restore from the backup">
                            <Databases form=form pickers=pickers/>
                            <PathPicker form=form pickers=pickers/>
                            <div class="submit-row">
                                <button type="submit" class="primary" disabled=move || task.pending() || running()>"Start restore"</button>
                                {form.summary()}
                            </div>
                        </form>
                    }
                }
            </Show>
            <OutcomeView progress=task.progress/>
        </div>
    }
}

#[component]
fn Databases(form: Form<RestoreValues, mw::RestoreBackup>, pickers: Pickers) -> impl IntoView {
    view! {
        <fieldset class="mw-group">
            <legend>"Databases"</legend>
            {move || match pickers.dumps.get() {
                None => view! { <p class="muted" role="status">"Reading the backup's database dumps…"</p> }.into_any(),
                Some(Err(e)) => view! {
                    <p class="error" role="alert">"⚠ The database dumps could not be read: " {e} " "
                        <button type="button" on:click=move |_| pickers.dumps.refetch()>"Try again"</button>
                    </p>
                }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="muted">"This backup holds no database dumps."</p> }.into_any(),
                Some(Ok(list)) => list.iter().cloned().enumerate().map(|(i, dump)| {
                    let id = format!("mw-restore-db-{i}");
                    let value = move || form.values.with(|v| v.targets.get(i).cloned().unwrap_or_default());
                    view! {
                        <div class="field" class:invalid=move || form.invalid(DATABASES)>
                            <label for=id.clone()>{format!("Restore {dump} into database id")}</label>
                            <input id=id type="text" name=format!("target-{i}") autocomplete="off"
                                placeholder="9d8c7b6a-5f4e-4d3c-2b1a-0f9e8d7c6b5a"
                                prop:value=value
                                aria-invalid=move || form.invalid(DATABASES).then_some("true")
                                aria-describedby=form.described_by(DATABASES, true)
                                on:input=move |ev| {
                                    let typed = event_target_value(&ev);
                                    form.set(DATABASES, |v| {
                                        if v.targets.len() <= i {
                                            v.targets.resize(i + 1, String::new());
                                        }
                                        v.targets[i] = typed;
                                    });
                                    // A problem with the databases focuses the first one filled in.
                                    let first = form.values.with_untracked(|v| v.targets.iter().position(|t| !t.trim().is_empty()));
                                    form.aim(DATABASES, format!("mw-restore-db-{}", first.unwrap_or(0)));
                                }
                                on:blur=move |ev| form.leave(DATABASES, &ev)/>
                        </div>
                    }
                }).collect_view().into_any(),
            }}
            {form.notes(DATABASES, Some("The id (a UUID) of a database of the project. Leave empty to skip that dump.".into()))}
        </fieldset>
    }
}

#[component]
fn PathPicker(form: Form<RestoreValues, mw::RestoreBackup>, pickers: Pickers) -> impl IntoView {
    let Pickers { dir, listing, .. } = pickers;
    let toggle_source = move |path: String, on: bool| {
        form.set(SOURCES, |v| {
            v.sources.retain(|p| *p != path);
            if on {
                v.sources.push(path);
            }
        });
        form.touch(SOURCES);
    };
    view! {
        <fieldset class="mw-group" id=form.id(SOURCES) tabindex="-1" aria-describedby=form.described_by(SOURCES, false)>
            <legend>"Files and directories"</legend>
            <div class="mw-dir-head">
                <span>"In " <code>{move || dir.get()}</code></span>
                <Show when=move || dir.get() != "/">
                    <button type="button" on:click=move |_| dir.update(|d| *d = parent_dir(d))>"Up one level"</button>
                </Show>
            </div>
            {move || match listing.get() {
                None => view! { <p class="muted" role="status">"Reading the backup's files…"</p> }.into_any(),
                Some(Err(e)) => view! {
                    <p class="error" role="alert">"⚠ The files could not be read: " {e} " "
                        <button type="button" on:click=move |_| listing.refetch()>"Try again"</button>
                    </p>
                }.into_any(),
                Some(Ok(tree)) => {
                    let items = tree.items.clone().unwrap_or_default();
                    if items.is_empty() {
                        return view! { <p class="muted">"This directory is empty."</p> }.into_any();
                    }
                    view! {
                        <ul class="mw-tree">
                            {items.into_iter().map(|item| {
                                let path = item.absolute_path.clone();
                                let checked = { let path = path.clone(); move || form.values.with(|v| v.sources.contains(&path)) };
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
                                    view! { <button type="button" class="link" on:click=move |_| dir.set(path.clone())>{label}</button> }
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
                    let chosen = form.values.with(|v| v.sources.clone());
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
            {form.notes(SOURCES, None)}
            {form.field(TARGET, "Restore into (optional)", |v| &v.target_path, |v, s| v.target_path = s)
                .hint("An absolute path like /html/restored. Empty: back where the paths were.").placeholder("/html/restored").input()}
            {form.checkbox("clear-target", "Empty the target directory first", |v| v.clear_target, |v, on| v.clear_target = on)}
        </fieldset>
    }
}
