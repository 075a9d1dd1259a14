//! ServerAvatar's create-backup form (seeds/serveravatar-create-backup.txt).
//!
//! Every rule lives in the core: [`CreateForm::applicable`] decides which fields are shown,
//! [`CreateForm::validate`] decides what is wrong and builds the one request that may be sent,
//! and [`parse_create`] reads the answer. This module only lays the form out (with the form
//! toolkit) and sends the request once (POSTs are never retried).

use backboard_core::providers::serveravatar::{
    parse_create, validation_errors, Applicable, ApplicationExtension, BackupType, CreateForm, CreateRequest,
    DatabaseExtension, RetentionPeriod, Schedule, StorageProvider, CREATE_FIELDS,
};
use backboard_core::{Connection, Error, FieldError};
use leptos::prelude::*;

use super::call::{Call, P};
use crate::actions::send_once;
use crate::clock::now;
use crate::state::{load_connection, AppState};
use crate::ui::{Form, OutcomeView, Task};

/// The form as the core should judge it: fields that do not apply to the current choices are
/// hidden, so they are left out (the person's typing stays in the form, for when they come back).
fn effective(form: &CreateForm) -> CreateForm {
    let ap = form.applicable();
    let mut f = form.clone();
    if !ap.name {
        f.name.clear();
    }
    if !ap.schedule {
        f.schedule.clear();
    }
    if !ap.retention_period {
        f.retention_period.clear();
    }
    if !ap.start_backup {
        f.start_backup.clear();
    }
    if !ap.application_extension {
        f.application_extension.clear();
    }
    if !ap.database_extension {
        f.database_extension.clear();
    }
    f
}

fn check(form: &CreateForm) -> Result<CreateRequest, Vec<FieldError>> {
    effective(form).validate(now())
}

fn backup_types() -> Vec<(&'static str, &'static str)> {
    BackupType::KNOWN
        .iter()
        .map(|t| {
            let text = match t {
                BackupType::Application => "Application (files and database)",
                BackupType::Filesystem => "Filesystem (files only)",
                BackupType::Database => "Database only",
                BackupType::Other(_) => t.as_str(),
            };
            (t.as_str(), text)
        })
        .collect()
}

fn storage() -> Vec<(&'static str, &'static str)> {
    StorageProvider::KNOWN
        .iter()
        .map(|p| {
            let text = match p {
                StorageProvider::Gdrive => "Google Drive",
                StorageProvider::AmazonS3 => "Amazon S3",
                StorageProvider::Dropbox => "Dropbox",
                StorageProvider::ServerAvatar => "ServerAvatar storage",
                StorageProvider::Wasabi => "Wasabi",
                StorageProvider::CustomS3 => "Custom S3",
                StorageProvider::Other(_) => p.as_str(),
            };
            (p.as_str(), text)
        })
        .collect()
}

/// Choices whose value is their text.
fn same<T: 'static>(known: &'static [T], text: fn(&'static T) -> &'static str) -> Vec<(&'static str, &'static str)> {
    known.iter().map(|k| (text(k), text(k))).collect()
}

/// Sends a valid create once and reads the answer: the provider's words on success; on a
/// refusal, its message and what it said about which field.
async fn create(call: &Call, request: CreateRequest) -> Result<String, (String, Vec<FieldError>)> {
    let automatic = request.body().automatic_backup;
    let response =
        send_once(P, request.to_request(&call.base, &call.account)).await.map_err(|e| (e.to_string(), Vec::new()))?;
    match parse_create(&response, automatic) {
        Ok(Ok(outcome)) => Ok(outcome.message().to_string()),
        Ok(Err(failure)) => {
            let error = Error::from_response(P, &response);
            let message = match &error {
                Error::Http { message, .. } => message.clone(),
                other => other.to_string(),
            };
            let mut fields = validation_errors(&response.body);
            if let Some(field) = failure.field() {
                fields.retain(|f| f.field != field);
                fields.insert(0, FieldError::new(field, message));
            }
            Err((error.to_string(), fields))
        }
        Err(e) => Err((e.to_string(), Vec::new())),
    }
}

/// The create-backup form for a ServerAvatar connection (on its source's page).
#[component]
pub fn CreateBackup(connection: Connection) -> impl IntoView {
    let state = expect_context::<AppState>();
    let form = Form::new(
        "sa-create",
        CreateForm { start_backup_from_now: true, ..CreateForm::default() },
        check,
        CREATE_FIELDS,
    );
    let applicable = Memo::new(move |_| form.values.with(CreateForm::applicable));
    let shows = move |part: fn(&Applicable) -> bool| move || applicable.with(part);
    let connection = StoredValue::new(connection);
    let send = Task::new(move |(call, request): &(Call, CreateRequest)| {
        let (call, request) = (call.clone(), request.clone());
        async move {
            match create(&call, request).await {
                Ok(message) => {
                    // Fresh form feedback for the next one; the values stay for a similar backup.
                    form.reset();
                    load_connection(state, call.connection);
                    Ok(message)
                }
                Err((message, fields)) => {
                    form.refused(fields);
                    Err(format!("Not created: {message}"))
                }
            }
        }
    });
    let submit = form.submit_to(send, "Sending to ServerAvatar…", move |request| {
        Some((Call::of(state, &connection.get_value())?, request))
    });
    let pending = move || send.pending();

    view! {
        <section class="create-backup" aria-labelledby="create-title">
            <h2 id="create-title">"Create a backup at ServerAvatar"</h2>
                <form class="create-form" on:submit=submit aria-describedby="create-intro">
                    <p id="create-intro" class="hint">
                        "Starts an instant backup, or creates an automatic backup plan, on one of your servers. "
                        "Fields marked “required” must be filled in; nothing is sent until the form is valid."
                    </p>
                    <fieldset>
                        <legend>"Where"</legend>
                        <div class="fields">
                            {form.field("server", "Server id", |f| &f.server, |f, v| f.server = v)
                                .hint("Required. The number of the server to back up, like 15.").placeholder("15").numeric().input()}
                        </div>
                    </fieldset>
                    <fieldset>
                        <legend>"What"</legend>
                        <div class="fields">
                            <KindField form=form/>
                            <Show when=shows(|a| a.name)>
                                {form.field("name", "Backup name", |f| &f.name, |f, v| f.name = v)
                                    .hint("Optional; only an instant backup takes a name.").input()}
                            </Show>
                            {form.field("type", "What to back up", |f| &f.backup_type, |f, v| f.backup_type = v)
                                .hint("Required.").blank("Choose…").select(backup_types())}
                            {form.field("application_id", "Application id", |f| &f.application_id, |f, v| f.application_id = v)
                                .hint("Required. Your server application's id, like 4246.").placeholder("4246").numeric().input()}
                            {form.field("database_id", "Database id", |f| &f.database_id, |f, v| f.database_id = v)
                                .hint("Optional. Your server database's id, like 4223.").placeholder("4223").numeric().input()}
                            <Show when=shows(|a| a.application_extension)>
                                {form.field("application_extension", "Files archive format", |f| &f.application_extension, |f, v| f.application_extension = v)
                                    .hint("Required for application and filesystem backups.").blank("Choose…")
                                    .select(same(ApplicationExtension::KNOWN, ApplicationExtension::as_str))}
                            </Show>
                            <Show when=shows(|a| a.database_extension)>
                                {form.field("database_extension", "Database dump format", |f| &f.database_extension, |f, v| f.database_extension = v)
                                    .hint("Required for application and database backups.").blank("Choose…")
                                    .select(same(DatabaseExtension::KNOWN, DatabaseExtension::as_str))}
                            </Show>
                        </div>
                    </fieldset>
                    <fieldset>
                        <legend>"Storage"</legend>
                        <div class="fields">
                            {form.field("provider", "Cloud storage", |f| &f.provider, |f, v| f.provider = v)
                                .hint("Required. Where the backup is stored.").blank("Choose…").select(storage())}
                            {form.field("cloud_storage_provider_id", "Cloud storage id", |f| &f.cloud_storage_provider_id, |f, v| f.cloud_storage_provider_id = v)
                                .hint("Required. The id of your integrated cloud storage, like 10.").placeholder("10").numeric().input()}
                            {form.field("retention_period", "Retention period", |f| &f.retention_period, |f, v| f.retention_period = v)
                                .hint("Required for ServerAvatar's own storage, optional otherwise.").blank("Choose…")
                                .select(same(RetentionPeriod::KNOWN, RetentionPeriod::as_str))}
                        </div>
                    </fieldset>
                    <Show when=shows(|a| a.schedule)>
                        <fieldset>
                            <legend>"When"</legend>
                            <div class="fields">
                                {form.field("schedule", "Schedule", |f| &f.schedule, |f, v| f.schedule = v)
                                    .hint("Required for an automatic backup plan.").blank("Choose…")
                                    .select(same(Schedule::KNOWN, Schedule::as_str))}
                                {form.checkbox("start_backup_from_now", "Start from now", |f| f.start_backup_from_now, |f, on| f.start_backup_from_now = on)}
                                <Show when=shows(|a| a.start_backup)>
                                    {form.field("start_backup", "Start at (UTC)", |f| &f.start_backup, |f, v| f.start_backup = v)
                                        .hint("Required when not starting from now. Format YYYY-MM-DD HH:MM, like 2023-07-13 17:49, in the future.")
                                        .placeholder("2023-07-13 17:49").input()}
                                </Show>
                            </div>
                        </fieldset>
                    </Show>
                    <div class="submit-row">
                        <button type="submit" class="primary" disabled=pending aria-busy=move || pending().then_some("true")>
                            {move || if pending() { "Creating…" } else { "Create backup" }}
                        </button>
                        <div class="form-status" aria-live="polite">
                            {form.summary()}
                            <OutcomeView progress=send.progress/>
                        </div>
                    </div>
                </form>
        </section>
    }
}

/// Instant backup or automatic backup plan (`automatic_backup`), as two radio buttons.
#[component]
fn KindField(form: Form<CreateForm, CreateRequest>) -> impl IntoView {
    let automatic = move || form.values.with(|f| f.automatic_backup);
    let choose = move |on: bool| {
        form.set("automatic_backup", |f| f.automatic_backup = on);
        form.touch("automatic_backup");
    };
    view! {
        <fieldset class="field kind" id=form.id("automatic_backup")>
            <legend>"Kind of backup"</legend>
            <label>
                <input type="radio" name="automatic_backup" value="0" prop:checked=move || !automatic() on:change=move |_| choose(false)/>
                " Instant backup"
            </label>
            <label>
                <input type="radio" name="automatic_backup" value="1" prop:checked=automatic on:change=move |_| choose(true)/>
                " Automatic backup plan"
            </label>
            {form.notes("automatic_backup", None)}
        </fieldset>
    }
}
