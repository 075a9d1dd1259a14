//! "Export CSV" and "Export JSON" of exactly the rows the list shows (filtered and sorted).

use backboard_core::Backup;
use leptos::prelude::*;

use crate::ui::text::count;
use crate::ui::Download;

#[component]
pub fn ExportButtons(rows: Memo<Vec<usize>>, all: Memo<Vec<Backup>>) -> impl IntoView {
    let status = RwSignal::new(None::<Result<String, String>>);
    let shown = move || {
        rows.with_untracked(|r| all.with_untracked(|a| r.iter().filter_map(|&i| a.get(i).cloned()).collect::<Vec<_>>()))
    };
    let export = move |json: bool| {
        let list = shown();
        let (name, mime, body) = if json {
            let body = serde_json::to_string_pretty(&list).map_err(|e| e.to_string());
            ("backboard-backups.json", "application/json", body)
        } else {
            ("backboard-backups.csv", "text/csv;charset=utf-8", Ok(backboard_core::edge::to_csv(&list)))
        };
        let result =
            body.and_then(|body| Download::file(name, mime, body.as_bytes())).and_then(Download::open).map(|()| {
                format!("Exported {} as {}.", count(list.len(), "backup", "backups"), if json { "JSON" } else { "CSV" })
            });
        status.set(Some(result));
    };
    let empty = move || rows.with(Vec::is_empty);
    view! {
        <div class="export" role="group" aria-label="Export the backups shown">
            <button type="button" disabled=empty on:click=move |_| export(false)>"Export CSV"</button>
            <button type="button" disabled=empty on:click=move |_| export(true)>"Export JSON"</button>
            {move || status.get().map(|s| match s {
                Ok(text) => view! { <span class="export-status ok" role="status">"✓ " {text}</span> }.into_any(),
                Err(text) => view! { <span class="export-status error" role="alert">"⚠ Export failed: " {text}</span> }.into_any(),
            })}
        </div>
    }
}
