//! The audit log: who did what, with which role, on which connection and backup, and the
//! outcome; shown as a table and exported as the worker's CSV.

use backboard_core::workspace::client::{self, AuditEntry};
use gloo_net::http::Method;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::call;
use crate::ui::Download;

fn outcome(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[component]
pub fn Audit() -> impl IntoView {
    let entries = RwSignal::new(Vec::<AuditEntry>::new());
    let error = RwSignal::new(None::<String>);
    let load = move || {
        spawn_local(async move {
            match call(Method::GET, "/audit?format=json", None).await.and_then(|t| client::list_of(&t, "entries")) {
                Ok(list) => {
                    error.set(None);
                    entries.set(list)
                }
                Err(e) => error.set(Some(e)),
            }
        })
    };
    load();
    let export = move |_| {
        spawn_local(async move {
            let file = call(Method::GET, "/audit?format=csv", None)
                .await
                .and_then(|csv| Download::file("backboard-audit.csv", "text/csv", csv.as_bytes()))
                .and_then(Download::open);
            if let Err(e) = file {
                error.set(Some(format!("The audit log could not be exported: {e}")));
            }
        })
    };
    view! {
        <section class="ws-audit" aria-labelledby="audit-title">
            <h2 id="audit-title">"Audit log"</h2>
            <div class="actions">
                <button type="button" on:click=move |_| load()>"Refresh"</button>
                <button type="button" on:click=export>"Export CSV"</button>
            </div>
            {move || error.get().map(|e| view! { <p class="error" role="alert">"⚠ " {e}</p> })}
            <div class="table-scroll">
                <table class="ws-table audit-table">
                    <thead><tr>
                        <th scope="col">"When"</th><th scope="col">"Who"</th><th scope="col">"Role"</th><th scope="col">"What"</th>
                        <th scope="col">"Connection"</th><th scope="col">"Backup"</th><th scope="col">"Route"</th><th scope="col">"Outcome"</th>
                    </tr></thead>
                    <tbody>
                        {move || entries.get().into_iter().map(|e| view! {
                            <tr>
                                <td>{e.at}</td><td>{e.who}</td><td>{e.role}</td><td>{e.act}</td>
                                <td>{e.connection.unwrap_or_default()}</td><td>{e.backup.unwrap_or_default()}</td>
                                <td>{e.route}</td><td>{outcome(&e.outcome)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
