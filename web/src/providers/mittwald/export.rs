//! A mittwald backup's export: ask for one (then poll until the download is ready), download it
//! with its checksum shown, delete it.

use backboard_core::providers::mittwald::{self as mw, ExportBackupForm};
use backboard_core::FieldError;
use leptos::prelude::*;

use super::call::{act, fetch_backup, relist, P};
use super::store::{watch, Long, Store};
use crate::clock::now;
use crate::ui::text::safe_link;
use crate::ui::{Confirm, Download, Form, OutcomeView, Task};

fn check(form: &ExportBackupForm) -> Result<mw::ExportBackup, Vec<FieldError>> {
    form.validate(now())
}

/// The export's form and actions, kept with the backup's other state.
#[derive(Clone, Copy)]
pub(super) struct ExportForm {
    pub task: Task<mw::ExportBackup>,
    form: Form<ExportBackupForm, mw::ExportBackup>,
    delete: Task<()>,
}

impl ExportForm {
    pub fn of(store: Store) -> Self {
        store.scope.get_or_init(|| Self::new(store))
    }

    fn new(store: Store) -> Self {
        let form = Form::new(
            "mw-export",
            ExportBackupForm { format: "tar".into(), password: String::new() },
            check,
            &["format", "password"],
        );
        let task = Task::new(move |body: &mw::ExportBackup| {
            let (ctx, body) = (store.ctx(), body.clone());
            async move {
                let ctx = ctx.ok_or("This backup's details are closed.")?;
                let format = body.format().to_string();
                let request = mw::export_backup_request(&ctx.base, &ctx.account, &ctx.id, &body);
                act(request, mw::parse_export_backup, None).await.map_err(|r| {
                    form.refused(r.fields);
                    r.message
                })?;
                form.values.update(|v| v.password.clear());
                if let Ok(backup) = fetch_backup(&ctx).await {
                    store.latest.set(Some(backup));
                }
                if let Some(me) = store.scope.alive().then(|| Self::of(store)) {
                    watch(store, Long::Export, me.task.progress);
                }
                Ok(format!(
                    "mittwald is preparing the {format} archive; the download link follows here when it is ready."
                ))
            }
        });
        let delete = Task::new(move |_: &()| {
            let ctx = store.ctx();
            async move {
                let ctx = ctx.ok_or("This backup's details are closed.")?;
                let request = mw::delete_export_request(&ctx.base, &ctx.account, &ctx.id);
                act(request, mw::parse_delete_export, None).await.map_err(|r| r.message)?;
                if let Ok(backup) = fetch_backup(&ctx).await {
                    store.latest.set(Some(backup.clone()));
                    relist(&ctx, backup);
                }
                Ok("mittwald deleted the export.".to_string())
            }
        });
        ExportForm { task, form, delete }
    }
}

/// The download of a finished export: a link, or for the in-page demo (whose `demo://` address
/// is no browser URL) a button that fetches the file through the demo.
fn download_view(url: &str, format: &str) -> AnyView {
    let label = format!("Download the export ({format})");
    if let Some(url) = safe_link(url) {
        return view! { <a href=url download="" rel="noopener noreferrer">{label}</a> }.into_any();
    }
    if !url.starts_with(&format!("{}/", crate::demo::BASE)) {
        return view! { <p>"Download address: " <code>{url.to_string()}</code></p> }.into_any();
    }
    let url = url.to_string();
    let fetch = Task::new(move |_: &()| {
        let url = url.clone();
        async move { Download::from_demo(P, &url).await.and_then(Download::open).map(|()| String::new()) }
    });
    view! {
        <button type="button" on:click=move |_| fetch.run("", ())>{label}</button>
        {move || fetch.progress.failure().map(|e| view! { <p class="action-status error" role="alert">"⚠ " {e}</p> })}
    }
    .into_any()
}

#[component]
pub(super) fn ExportBackup(store: Store, completed: bool) -> impl IntoView {
    let ExportForm { task, form, delete } = ExportForm::of(store);
    let export = move || store.latest.with(|b| b.as_ref().and_then(|b| b.export.clone()));
    let running = move || store.latest.with(|b| b.as_ref().is_some_and(mw::export_running));
    let submit = form.submit_to(task, "Asking mittwald for an export…", Some);
    let name = store.ctx().map(|c| c.name).unwrap_or_default();
    let formats: Vec<(&'static str, &'static str)> =
        mw::ExportFormat::KNOWN.iter().map(|f| (f.as_str(), f.as_str())).collect();
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
                        {download_view(url, &format)}
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
                    progress=delete.progress
                    on_confirm=move || delete.run("Deleting the export…", ())
                />
            </Show>
            <OutcomeView progress=delete.progress/>
            {if completed {
                let formats = formats.clone();
                view! {
                    <Show when=move || !running()>
                        <form class="mw-form" novalidate on:submit=submit aria-label="Export the backup">
                            {form.field("format", "Archive format", |v| &v.format, |v, s| v.format = s).select(formats.clone())}
                            {form.field("password", "Archive password", |v| &v.password, |v, s| v.password = s)
                                .hint("Optional.").kind("password").input()}
                            <div class="submit-row">
                                <button type="submit" class="primary" disabled=move || task.pending()>"Export"</button>
                                {form.summary()}
                            </div>
                        </form>
                    </Show>
                }.into_any()
            } else {
                view! { <p class="muted">"Export and restore become possible once the backup is completed."</p> }.into_any()
            }}
            <OutcomeView progress=task.progress/>
        </div>
    }
}
