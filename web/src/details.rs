//! A backup's details panel: the fields a person needs first (sizes in human units, times in the
//! reader's zone), the provider's highlights, a link to the provider, every field of its record
//! one click away, and the backup's actions (a lazily loaded part). What the actions hold lives in
//! the backup's scope, owned by the list, so the panel can be rebuilt whenever the backup's data
//! changes.

use backboard_core::Backup;
use leptos::prelude::*;

use crate::providers::{backup_actions_view, record};
use crate::ui::lazy::lazy_part;
use crate::ui::scope::Scopes;
use crate::ui::text::safe_link;
use crate::ui::when::LocalTime;
use backboard_core::display::human_size;

/// A backup's key in the list (and of its details' state).
pub fn key_of(b: &Backup) -> String {
    format!("{}:{}:{}", b.provider.slug(), b.source.id, b.id)
}

/// Flattens a provider record into ("a › b", value) rows, so every documented field shows.
fn flatten(prefix: &str, value: &serde_json::Value, out: &mut Vec<(String, String)>) {
    use serde_json::Value;
    let name = |k: &str| if prefix.is_empty() { words(k) } else { format!("{prefix} › {}", words(k)) };
    match value {
        Value::Object(map) => map.iter().for_each(|(k, v)| flatten(&name(k), v, out)),
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            out.push((prefix.to_string(), items.iter().map(scalar).collect::<Vec<_>>().join(", ")))
        }
        Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| flatten(&name(&(i + 1).to_string()), v, out)),
        other => out.push((prefix.to_string(), scalar(other))),
    }
}

/// "backup_configuration" and "restorePath" read as "backup configuration", "restore Path".
fn words(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    let mut prev_lower = false;
    for c in key.chars() {
        if c == '_' {
            out.push(' ');
        } else {
            if c.is_uppercase() && prev_lower {
                out.push(' ');
            }
            out.push(c);
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
    }
    out
}

fn scalar(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "—".into(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A time in the summary, or a word when the provider gives none.
fn when(t: Option<time::OffsetDateTime>, none: &'static str) -> AnyView {
    match t {
        Some(t) => view! { <LocalTime t=t/> }.into_any(),
        None => view! { <span class="muted">{none}</span> }.into_any(),
    }
}

#[component]
pub fn DetailsPanel(
    backup: Backup,
    scopes: Scopes,
    focused: StoredValue<Option<String>>,
    on_close: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let mut fields = Vec::new();
    if let Some(raw) = record(&backup) {
        flatten("", &raw, &mut fields);
    }
    let title = if backup.name.is_empty() { backup.id.clone() } else { backup.name.clone() };
    // Keyboard users land in the panel when it opens; Escape closes it.
    let panel = NodeRef::<leptos::html::Aside>::new();
    let key = key_of(&backup);
    provide_context(scopes.of(&key));
    Effect::new(move |_| {
        if let Some(el) = panel.get() {
            if focused.with_value(|f| f.as_deref() != Some(key.as_str())) {
                focused.set_value(Some(key.clone()));
                let _ = el.focus();
            }
        }
    });
    let provider = backup.provider.name();
    let status_said = (!backup.status_raw.eq_ignore_ascii_case(backup.status.as_str()))
        .then(|| format!(" ({provider} says “{}”)", backup.status_raw));
    let size = match backup.size_bytes {
        Some(bytes) => view! { <span title=format!("{bytes} bytes")>{human_size(bytes)}</span> }.into_any(),
        None => view! { <span class="muted">"not given"</span> }.into_any(),
    };
    let field_count = fields.len();
    view! {
        <aside class="details" aria-labelledby="details-title" tabindex="-1" node_ref=panel
            on:keydown=move |ev| if ev.key() == "Escape" { on_close() }>
            <div class="section-head">
                <h3 id="details-title">{title}</h3>
                <button type="button" on:click=move |_| on_close() aria-label="Close the details">"Close"</button>
            </div>
            <p class="muted">{format!("{provider} · {} {}", backup.source.kind, backup.source.label)}</p>
            <dl class="summary">
                <dt>"Status"</dt>
                <dd><span class=format!("badge status-{}", backup.status.as_str())>{backup.status.as_str()}</span>{status_said}</dd>
                <dt>"Size"</dt><dd>{size}</dd>
                <dt>"Contents"</dt><dd>{backup.contents.describe()}</dd>
                <dt>"Created"</dt><dd>{when(backup.created, "not given")}</dd>
                <dt>"Completed"</dt><dd>{when(backup.completed, "not yet")}</dd>
                <dt>"Expires"</dt><dd>{when(backup.expires, "no expiry given")}</dd>
                <dt>"Id"</dt><dd class="mono">{backup.id.clone()}</dd>
            </dl>
            {backup.link.as_deref().and_then(safe_link).map(|l| view! { <p><a href=l rel="noopener noreferrer" target="_blank">{format!("Open in {provider}")}</a></p> })}
            {let b = backup.clone(); lazy_part("actions for this backup", move || backup_actions_view(b.clone()))}
            <details class="raw-fields">
                <summary>{format!("All {field_count} fields from {provider}")}</summary>
                <dl class="fields">
                    {fields.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
                </dl>
            </details>
        </aside>
    }
}
