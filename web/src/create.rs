//! ServerAvatar's create-backup form (seeds/serveravatar-create-backup.txt).
//!
//! Every rule lives in the core: [`CreateForm::applicable`] decides which fields are shown,
//! [`CreateForm::validate`] decides what is wrong and builds the one [`CreateRequest`] that may
//! be sent, and [`parse_create`] reads the answer. This module only lays the form out, shows
//! those answers next to the fields, and sends the request once (POSTs are never retried).

use std::cell::Cell;

use backboard_core::paging::{send, RetryPolicy};
use backboard_core::providers::serveravatar::{
    parse_create, validation_errors, ApplicationExtension, BackupType, CreateForm, DatabaseExtension, RetentionPeriod,
    Schedule, StorageProvider, CREATE_FIELDS as FIELDS,
};
use backboard_core::Account;
use backboard_core::{Connection, Error, FieldError, Provider};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::transport::FetchTransport;
use crate::{base_for, described_by, focus, load_connection, now, AppState};

// FIELDS (the core's CREATE_FIELDS) is in the order the form shows them, which is the order
// errors are walked in: the first one gets the focus.

fn control_id(field: &str) -> String {
    format!("sa-create-{field}")
}

/// What the server said about the last submit.
#[derive(Clone, Debug, PartialEq)]
enum Answer {
    Created(String),
    Refused(String),
}

/// The form's reactive state; every part is a signal, so the whole is `Copy`.
#[derive(Clone, Copy)]
struct Ctx {
    form: RwSignal<CreateForm>,
    /// Fields the person has left (or chosen a value in): their errors show from then on.
    touched: RwSignal<Vec<&'static str>>,
    /// After a submit every error shows.
    submitted: RwSignal<bool>,
    /// Errors the server attributed to a field; a field's go away when it is edited.
    server_errors: RwSignal<Vec<(&'static str, String)>>,
    /// Bumped on submit so that "in the future" is judged again at that moment.
    clock: RwSignal<u32>,
    errors: Memo<Vec<FieldError>>,
    applicable: Memo<backboard_core::providers::serveravatar::Applicable>,
}

/// The form as the core should judge it: fields that do not apply to the current choices are
/// hidden, so they are left out (the person's typing stays in `form`, for when they come back).
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

impl Ctx {
    fn new() -> Self {
        let form = RwSignal::new(CreateForm { start_backup_from_now: true, ..CreateForm::default() });
        let clock = RwSignal::new(0u32);
        let errors = Memo::new(move |_| {
            clock.track();
            form.with(|f| effective(f).validate(now()).err().unwrap_or_default())
        });
        let applicable = Memo::new(move |_| form.with(CreateForm::applicable));
        Ctx {
            form,
            touched: RwSignal::new(Vec::new()),
            submitted: RwSignal::new(false),
            server_errors: RwSignal::new(Vec::new()),
            clock,
            errors,
            applicable,
        }
    }

    /// The error to show next to `field`, if any: the core's once the field was touched or the
    /// form submitted, else what the server said about it.
    fn error(self, field: &'static str) -> Option<String> {
        let show = self.submitted.get() || self.touched.with(|t| t.contains(&field));
        let client = show.then(|| self.errors.with(|e| e.iter().find(|e| e.field == field).map(|e| e.message.clone())));
        client
            .flatten()
            .or_else(|| self.server_errors.with(|s| s.iter().find(|(f, _)| *f == field).map(|(_, m)| m.clone())))
    }

    fn touch(self, field: &'static str) {
        if !self.touched.with_untracked(|t| t.contains(&field)) {
            self.touched.update(|t| t.push(field));
        }
    }

    /// Changes the form; what the server said about this field no longer applies.
    fn set(self, field: &'static str, change: impl FnOnce(&mut CreateForm)) {
        self.form.update(change);
        if self.server_errors.with_untracked(|s| s.iter().any(|(f, _)| *f == field)) {
            self.server_errors.update(|s| s.retain(|(f, _)| *f != field));
        }
    }
}

/// The create-backup form for a ServerAvatar connection.
#[component]
pub fn CreateBackup() -> impl IntoView {
    let state = expect_context::<AppState>();
    let ctx = Ctx::new();
    let chosen = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let answer = RwSignal::new(None::<Answer>);

    let connections = Memo::new(move |_| {
        state.connections.with(|list| {
            list.iter().filter(|c| c.provider() == Provider::ServerAvatar).cloned().collect::<Vec<Connection>>()
        })
    });
    let selected = move || {
        let id = chosen.get();
        connections.with(|list| list.iter().find(|c| c.id == id).or(list.first()).cloned())
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let Some(connection) = selected() else { return };
        let Account::ServerAvatar(account) = connection.account.clone() else { return };
        answer.set(None);
        ctx.server_errors.set(Vec::new());
        ctx.clock.update(|c| *c = c.wrapping_add(1));
        let create = match ctx.form.with_untracked(|f| effective(f).validate(now())) {
            Ok(create) => create,
            Err(errors) => {
                ctx.submitted.set(true);
                if let Some(first) = FIELDS.iter().find(|f| errors.iter().any(|e| e.field == **f)) {
                    focus(&control_id(first));
                }
                return;
            }
        };
        pending.set(true);
        spawn_local(async move {
            let request = create.to_request(&base_for(&connection), &account);
            let automatic = create.body().automatic_backup;
            // Not a GET: `send` makes exactly one attempt, so the backup is never created twice.
            let result =
                send(&FetchTransport, Provider::ServerAvatar, request, &RetryPolicy::default(), &Cell::new(1)).await;
            let (reply, field_errors) = match result {
                Err(e) => (Answer::Refused(e.to_string()), Vec::new()),
                Ok(response) => match parse_create(&response, automatic) {
                    Ok(Ok(outcome)) => (Answer::Created(outcome.message().to_string()), Vec::new()),
                    Ok(Err(failure)) => {
                        let error = Error::from_response(Provider::ServerAvatar, &response);
                        let message = match &error {
                            Error::Http { message, .. } => message.clone(),
                            other => other.to_string(),
                        };
                        let mut fields: Vec<(&'static str, String)> =
                            validation_errors(&response.body).into_iter().map(|e| (e.field, e.message)).collect();
                        if let Some(field) = failure.field() {
                            fields.retain(|(f, _)| *f != field);
                            fields.insert(0, (field, message));
                        }
                        (Answer::Refused(error.to_string()), fields)
                    }
                    Err(e) => (Answer::Refused(e.to_string()), Vec::new()),
                },
            };
            pending.set(false);
            if let Answer::Created(_) = reply {
                // Fresh form feedback for the next one; the values stay for a similar backup.
                ctx.submitted.set(false);
                ctx.touched.set(Vec::new());
                load_connection(state, connection);
            }
            ctx.server_errors.set(field_errors);
            answer.set(Some(reply));
        });
    };

    let has_connections = move || connections.with(|l| !l.is_empty());
    let invalid_count = move || {
        if ctx.submitted.get() {
            ctx.errors.with(Vec::len)
        } else {
            0
        }
    };

    view! {
        <section class="create-backup" aria-labelledby="create-title">
            <h2 id="create-title">"Create a backup at ServerAvatar"</h2>
            <Show
                when=has_connections
                fallback=|| view! {
                    <p class="empty">
                        "No ServerAvatar connection yet. Add one under “Add a connection” above: choose "
                        "“ServerAvatar organization”, paste your API token and give the organization id "
                        "(or press “Try the demo”). Then this form can create backups on its servers."
                    </p>
                }
            >
                <form class="create-form" on:submit=submit aria-describedby="create-intro">
                    <p id="create-intro" class="hint">
                        "Starts an instant backup, or creates an automatic backup plan, on one of your servers. "
                        "Fields marked “required” must be filled in; nothing is sent until the form is valid."
                    </p>
                    <fieldset>
                        <legend>"Where"</legend>
                        <div class="fields">
                            <div class="field">
                                <label for="sa-create-connection">"ServerAvatar connection"</label>
                                <select
                                    id="sa-create-connection"
                                    name="connection"
                                    on:change=move |ev| chosen.set(event_target_value(&ev))
                                >
                                    <For each=move || connections.get() key=|c| c.id.clone() let:c>
                                        {
                                            let id = c.id.clone();
                                            let text = format!("{} (organization {})", c.label, c.source().id);
                                            view! {
                                                <option
                                                    value=c.id.clone()
                                                    prop:selected=move || selected().is_some_and(|s| s.id == id)
                                                >
                                                    {text}
                                                </option>
                                            }
                                        }
                                    </For>
                                </select>
                            </div>
                            {text_field(ctx, "server", "Server id", Some("Required. The number of the server to back up, like 15."), "15", true, |f| &f.server, |f, v| f.server = v)}
                        </div>
                    </fieldset>
                    <fieldset>
                        <legend>"What"</legend>
                        <div class="fields">
                            {kind_field(ctx)}
                            <Show when=move || ctx.applicable.get().name>
                                {text_field(ctx, "name", "Backup name", Some("Optional; only an instant backup takes a name."), "", false, |f| &f.name, |f, v| f.name = v)}
                            </Show>
                            {select_field(ctx, "type", "What to back up", Some("Required."), &BACKUP_TYPES, |f| &f.backup_type, |f, v| f.backup_type = v)}
                            {text_field(ctx, "application_id", "Application id", Some("Required. Your server application's id, like 4246."), "4246", true, |f| &f.application_id, |f, v| f.application_id = v)}
                            {text_field(ctx, "database_id", "Database id", Some("Optional. Your server database's id, like 4223."), "4223", true, |f| &f.database_id, |f, v| f.database_id = v)}
                            <Show when=move || ctx.applicable.get().application_extension>
                                {select_field(ctx, "application_extension", "Files archive format", Some("Required for application and filesystem backups."), &APPLICATION_EXTENSIONS, |f| &f.application_extension, |f, v| f.application_extension = v)}
                            </Show>
                            <Show when=move || ctx.applicable.get().database_extension>
                                {select_field(ctx, "database_extension", "Database dump format", Some("Required for application and database backups."), &DATABASE_EXTENSIONS, |f| &f.database_extension, |f, v| f.database_extension = v)}
                            </Show>
                        </div>
                    </fieldset>
                    <fieldset>
                        <legend>"Storage"</legend>
                        <div class="fields">
                            {select_field(ctx, "provider", "Cloud storage", Some("Required. Where the backup is stored."), &STORAGE, |f| &f.provider, |f, v| f.provider = v)}
                            {text_field(ctx, "cloud_storage_provider_id", "Cloud storage id", Some("Required. The id of your integrated cloud storage, like 10."), "10", true, |f| &f.cloud_storage_provider_id, |f, v| f.cloud_storage_provider_id = v)}
                            {select_field(ctx, "retention_period", "Retention period", Some("Required for ServerAvatar's own storage, optional otherwise."), &RETENTION, |f| &f.retention_period, |f, v| f.retention_period = v)}
                        </div>
                    </fieldset>
                    <Show when=move || ctx.applicable.get().schedule>
                        <fieldset>
                            <legend>"When"</legend>
                            <div class="fields">
                                {select_field(ctx, "schedule", "Schedule", Some("Required for an automatic backup plan."), &SCHEDULES, |f| &f.schedule, |f, v| f.schedule = v)}
                                <div class="field check">
                                    <label>
                                        <input
                                            id=control_id("start_backup_from_now")
                                            type="checkbox"
                                            name="start_backup_from_now"
                                            prop:checked=move || ctx.form.with(|f| f.start_backup_from_now)
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                ctx.set("start_backup_from_now", |f| f.start_backup_from_now = on);
                                            }
                                        />
                                        " Start from now"
                                    </label>
                                </div>
                                <Show when=move || ctx.applicable.get().start_backup>
                                    {text_field(ctx, "start_backup", "Start at (UTC)", Some("Required when not starting from now. Format YYYY-MM-DD HH:MM, like 2023-07-13 17:49, in the future."), "2023-07-13 17:49", false, |f| &f.start_backup, |f, v| f.start_backup = v)}
                                </Show>
                            </div>
                        </fieldset>
                    </Show>
                    <div class="submit-row">
                        <button
                            type="submit"
                            class="primary"
                            disabled=move || pending.get()
                            aria-busy=move || pending.get().then_some("true")
                        >
                            {move || if pending.get() { "Creating…" } else { "Create backup" }}
                        </button>
                        <div class="form-status" aria-live="polite">
                            {move || match invalid_count() {
                                0 => None,
                                n => Some(view! {
                                    <p class="error">
                                        <span class="icon" aria-hidden="true">"⚠"</span>
                                        {format!(" Nothing was sent: {n} {} marked below.", if n == 1 { "field needs a fix, it is" } else { "fields need a fix, they are" })}
                                    </p>
                                }),
                            }}
                            {move || pending.get().then(|| view! { <p class="muted">"Sending to ServerAvatar…"</p> })}
                            {move || answer.get().map(|a| match a {
                                Answer::Created(m) => view! {
                                    <p class="ok" role="status">
                                        <span class="icon" aria-hidden="true">"✓"</span>
                                        " "
                                        {m}
                                    </p>
                                }.into_any(),
                                Answer::Refused(m) => view! {
                                    <p class="error" role="alert">
                                        <span class="icon" aria-hidden="true">"⚠"</span>
                                        " Not created: "
                                        {m}
                                    </p>
                                }.into_any(),
                            })}
                        </div>
                    </div>
                </form>
            </Show>
        </section>
    }
}

type Options = [(&'static str, &'static str)];

static BACKUP_TYPES: std::sync::LazyLock<Vec<(&'static str, &'static str)>> = std::sync::LazyLock::new(|| {
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
});

static STORAGE: std::sync::LazyLock<Vec<(&'static str, &'static str)>> = std::sync::LazyLock::new(|| {
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
});

fn same<T: 'static>(known: &'static [T], text: fn(&'static T) -> &'static str) -> Vec<(&'static str, &'static str)> {
    known.iter().map(|k| (text(k), text(k))).collect()
}

static SCHEDULES: std::sync::LazyLock<Vec<(&'static str, &'static str)>> =
    std::sync::LazyLock::new(|| same(Schedule::KNOWN, Schedule::as_str));
static RETENTION: std::sync::LazyLock<Vec<(&'static str, &'static str)>> =
    std::sync::LazyLock::new(|| same(RetentionPeriod::KNOWN, RetentionPeriod::as_str));
static APPLICATION_EXTENSIONS: std::sync::LazyLock<Vec<(&'static str, &'static str)>> =
    std::sync::LazyLock::new(|| same(ApplicationExtension::KNOWN, ApplicationExtension::as_str));
static DATABASE_EXTENSIONS: std::sync::LazyLock<Vec<(&'static str, &'static str)>> =
    std::sync::LazyLock::new(|| same(DatabaseExtension::KNOWN, DatabaseExtension::as_str));

/// The hint and the error under a control. The error is text with an icon, not only a color.
fn notes(ctx: Ctx, field: &'static str, hint: Option<&'static str>) -> impl IntoView {
    let id = control_id(field);
    let error_id = format!("{id}-error");
    view! {
        {hint.map(|h| view! { <p class="hint" id=format!("{id}-hint")>{h}</p> })}
        // The slot keeps its line while empty: an error appearing when a field loses focus must
        // not move the submit button from under a click that started on it.
        <div class="error-slot">
            {move || ctx.error(field).map(|message| view! {
                <p class="field-error" id=error_id.clone()>
                    <span class="icon" aria-hidden="true">"⚠"</span>
                    <span class="visually-hidden">"Error: "</span>
                    " "
                    {message}
                </p>
            })}
        </div>
    }
}

#[allow(clippy::too_many_arguments)]
fn text_field(
    ctx: Ctx,
    field: &'static str,
    label: &'static str,
    hint: Option<&'static str>,
    placeholder: &'static str,
    numeric: bool,
    get: fn(&CreateForm) -> &String,
    set: fn(&mut CreateForm, String),
) -> impl IntoView {
    let id = control_id(field);
    let has_error = move || ctx.error(field).is_some();
    let value = move || ctx.form.with(|f| get(f).clone());
    let on_input = move |ev| {
        let v = event_target_value(&ev);
        ctx.set(field, |f| set(f, v));
    };
    view! {
        <div class="field" class:invalid=has_error>
            <label for=id.clone()>{label}</label>
            <input
                id=id
                type="text"
                name=field
                autocomplete="off"
                inputmode=numeric.then_some("numeric")
                placeholder=(!placeholder.is_empty()).then_some(placeholder)
                prop:value=value
                aria-invalid=move || has_error().then_some("true")
                aria-describedby=move || described_by(&control_id(field), hint.is_some(), has_error())
                on:input=on_input
                on:blur=move |_| ctx.touch(field)
            />
            {notes(ctx, field, hint)}
        </div>
    }
}

fn select_field(
    ctx: Ctx,
    field: &'static str,
    label: &'static str,
    hint: Option<&'static str>,
    options: &'static Options,
    get: fn(&CreateForm) -> &String,
    set: fn(&mut CreateForm, String),
) -> impl IntoView {
    let id = control_id(field);
    let has_error = move || ctx.error(field).is_some();
    let current = move || ctx.form.with(|f| get(f).clone());
    view! {
        <div class="field" class:invalid=has_error>
            <label for=id.clone()>{label}</label>
            <select
                id=id
                name=field
                aria-invalid=move || has_error().then_some("true")
                aria-describedby=move || described_by(&control_id(field), hint.is_some(), has_error())
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    ctx.set(field, |f| set(f, v));
                    ctx.touch(field);
                }
                on:blur=move |_| ctx.touch(field)
            >
                <option value="" prop:selected=move || current().is_empty()>"Choose…"</option>
                {options
                    .iter()
                    .map(|(value, text)| {
                        view! { <option value=*value prop:selected=move || current() == *value>{*text}</option> }
                    })
                    .collect_view()}
            </select>
            {notes(ctx, field, hint)}
        </div>
    }
}

/// Instant backup or automatic backup plan (`automatic_backup`), as two radio buttons.
fn kind_field(ctx: Ctx) -> impl IntoView {
    let automatic = move || ctx.form.with(|f| f.automatic_backup);
    let choose = move |on: bool| ctx.set("automatic_backup", |f| f.automatic_backup = on);
    view! {
        <fieldset class="field kind" id=control_id("automatic_backup")>
            <legend>"Kind of backup"</legend>
            <label>
                <input
                    type="radio"
                    name="automatic_backup"
                    value="0"
                    prop:checked=move || !automatic()
                    on:change=move |_| choose(false)
                />
                " Instant backup"
            </label>
            <label>
                <input
                    type="radio"
                    name="automatic_backup"
                    value="1"
                    prop:checked=automatic
                    on:change=move |_| choose(true)
                />
                " Automatic backup plan"
            </label>
            {notes(ctx, "automatic_backup", None)}
        </fieldset>
    }
}
