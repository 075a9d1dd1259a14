//! What a mittwald backup's details point out: its export (with the download and checksum) and
//! its restores.

use backboard_core::providers::mittwald::ProjectBackup;
use leptos::prelude::*;

use crate::ui::text::safe_link;

/// What a backup's details point out: its export (with the download and checksum) and restores.
pub fn highlights(b: &ProjectBackup) -> Vec<AnyView> {
    let mut out = Vec::new();
    if let Some(export) = &b.export {
        let phase = export.phase.as_ref().map(|p| p.to_string()).unwrap_or_else(|| "unknown".into());
        out.push(view! { <li>{format!("Export ({}): {phase}", export.format)}</li> }.into_any());
        if let Some(url) = export.download_url.as_deref().and_then(safe_link) {
            out.push(
                view! { <li><a href=url rel="noopener noreferrer" target="_blank">"Download the export"</a></li> }
                    .into_any(),
            );
        }
        if let Some(sum) = &export.sha256_checksum {
            out.push(view! { <li>"SHA-256: " <code>{sum.clone()}</code></li> }.into_any());
        }
    }
    if let Some(restore) = &b.restore {
        out.push(view! { <li>{format!("Restore: {}", restore.phase)}</li> }.into_any());
    }
    if let Some(path) = &b.restore_path {
        out.push(view! { <li>{format!("Path restore {} → {}: {}", path.source_path, path.determined_target_path, path.phase)}</li> }.into_any());
    }
    out
}
