//! On a mittwald source's page: create a backup, and the project's backup schedules.

use backboard_core::providers::mittwald as provider;
use backboard_core::providers::mittwald::{self as mw, CreateBackup, CreateBackupForm};
use backboard_core::{Connection, FieldError, Provider};
use leptos::prelude::*;

use super::call::{account_of, act, local_value};
use super::schedules::Schedules;
use crate::actions::{reconcile, replace_listed};
use crate::clock::now;
use crate::state::AppState;
use crate::transport::base_for;
use crate::ui::{Form, Notices, OutcomeView, Task};

/// A project's tools on its source's page.
#[component]
pub fn Tools(connection: Connection) -> impl IntoView {
    account_of(&connection).is_some().then(|| view! { <ConnectionTools connection=connection/> })
}

/// Something only safe in an HTML id (connection ids are generated, but may come from storage).
pub(super) fn id_part(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect()
}

#[component]
fn ConnectionTools(connection: Connection) -> impl IntoView {
    let prefix = format!("mw-{}", id_part(&connection.id));
    let heading = format!("{prefix}-title");
    let heading_id = heading.clone();
    let notice = Notices::get().view(connection.id.clone());
    let connection = StoredValue::new(connection);
    view! {
        <section class="mw-tools" aria-labelledby=heading>
            <h2 id=heading_id>{connection.with_value(|c| format!("mittwald: {} (project {})", c.label, c.source().id))}</h2>
            {notice}
            // In workspace mode, only what the member's role may call is shown.
            {crate::workspace::may_call(Provider::Mittwald, "create_backup").then(|| view! { <NewBackup connection=connection prefix=prefix.clone()/> })}
            {crate::workspace::may_call(Provider::Mittwald, "create_schedule").then(|| view! { <Schedules connection=connection prefix=prefix/> })}
            {(!crate::workspace::may_call(Provider::Mittwald, "create_backup")).then(|| view! {
                <p class="muted">"Your role may look at this project's backups, not create backups or schedules."</p>
            })}
        </section>
    }
}

fn check(form: &CreateBackupForm) -> Result<CreateBackup, Vec<FieldError>> {
    form.validate(now())
}

#[component]
fn NewBackup(connection: StoredValue<Connection>, prefix: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    // A month ahead: inside mittwald's 7 days to 1 year.
    let initial =
        CreateBackupForm { description: String::new(), expiration_time: local_value(now() + time::Duration::days(30)) };
    let form = Form::new(format!("{prefix}-create"), initial, check, &["description", "expirationTime"]);
    let create = Task::new(move |body: &CreateBackup| {
        let (connection, body) = (connection.get_value(), body.clone());
        async move {
            let account = account_of(&connection).ok_or("This connection is no mittwald project.")?;
            let request = mw::create_backup_request(&base_for(&connection), &account, &body);
            let backup = act(request, mw::parse_create_backup, None).await.map_err(|r| {
                form.refused(r.fields);
                r.message
            })?;
            let name = backup.description.clone().unwrap_or_else(|| backup.id.clone());
            let status = backup.status.clone();
            replace_listed(state, &connection.id, provider::normalize(backup, &connection.source()));
            reconcile(state, connection);
            Ok(format!("mittwald created the backup “{name}” (status {status}); it is in the list."))
        }
    });
    let submit = form.submit_to(create, "Creating the backup at mittwald…", Some);
    let title = format!("{prefix}-create-title");
    let labelled_by = title.clone();
    view! {
        <form class="mw-form mw-create" novalidate on:submit=submit aria-labelledby=labelled_by>
            <h3 id=title>"Create a backup"</h3>
            <div class="mw-row">
                {form.field("description", "Description", |f| &f.description, |f, v| f.description = v).hint("Optional.").input()}
                {form.field("expirationTime", "Keep until (UTC)", |f| &f.expiration_time, |f, v| f.expiration_time = v)
                    .hint("Required: 7 days to 1 year from now.").kind("datetime-local").input()}
            </div>
            <div class="submit-row">
                <button type="submit" class="primary" disabled=move || create.pending()>"Create backup"</button>
                {form.summary()}
                <OutcomeView progress=create.progress/>
            </div>
        </form>
    }
}
