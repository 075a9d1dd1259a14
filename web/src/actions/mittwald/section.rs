//! Below the list, one section per mittwald connection: create a backup, and the project's
//! backup schedules (list, create, edit, delete).

use std::cell::RefCell;
use std::collections::HashMap;

use backboard_core::providers::mittwald as provider;
use backboard_core::providers::mittwald::{self as mw, ProjectBackupSchedule};
use backboard_core::{Connection, Provider};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{account_of, act, input_field, lasting, local_value, read, show_invalid, Errors, Fetch};
use crate::actions::{reconcile, replace_listed, Action, Confirm, OutcomeView};
use crate::{base_for, now, AppState};

thread_local! {
    static NOTICES: RefCell<HashMap<String, Action>> = RefCell::new(HashMap::new());
}

/// The connection's notices that outlive a details panel: a deleted backup's panel closes, so
/// the provider's answer shows here.
pub(super) fn notice(connection_id: &str) -> Action {
    NOTICES.with(|n| *n.borrow_mut().entry(connection_id.to_string()).or_insert_with(|| lasting(Action::default)))
}

/// mittwald's per-connection tools, below the list.
#[component]
pub fn Section() -> impl IntoView {
    let state = expect_context::<AppState>();
    let connections = Memo::new(move |_| {
        state.connections.with(|list| {
            list.iter().filter(|c| c.provider() == Provider::Mittwald).cloned().collect::<Vec<Connection>>()
        })
    });
    view! {
        <For
            each=move || connections.get()
            key=|c| format!("{}|{}|{}", c.id, c.label, c.source().id)
            let:connection
        >
            <ConnectionTools connection=connection/>
        </For>
    }
}

/// Something only safe in an HTML id (connection ids are generated, but may come from storage).
fn id_part(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect()
}

#[component]
fn ConnectionTools(connection: Connection) -> impl IntoView {
    let Some(_) = account_of(&connection) else {
        return ().into_any();
    };
    let prefix = format!("mw-{}", id_part(&connection.id));
    let heading = format!("{prefix}-title");
    let heading_id = heading.clone();
    let notice = notice(&connection.id);
    let connection = StoredValue::new(connection);
    view! {
        <section class="mw-tools" aria-labelledby=heading>
            <h2 id=heading_id>{connection.with_value(|c| format!("mittwald: {} (project {})", c.label, c.source().id))}</h2>
            <OutcomeView action=notice/>
            <CreateBackup connection=connection prefix=prefix.clone()/>
            <Schedules connection=connection prefix=prefix/>
        </section>
    }
    .into_any()
}

#[component]
fn CreateBackup(connection: StoredValue<Connection>, prefix: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    let action = Action::default();
    let errors: Errors = RwSignal::new(Vec::new());
    let description = RwSignal::new(String::new());
    // A month ahead: inside mittwald's 7 days to 1 year.
    let expiration = RwSignal::new(local_value(now() + time::Duration::days(30)));
    let description_id = format!("{prefix}-create-description");
    let expiration_id = format!("{prefix}-create-expiration");
    let order = StoredValue::new([("description", description_id.clone()), ("expirationTime", expiration_id.clone())]);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if action.busy() {
            return;
        }
        errors.set(Vec::new());
        let form = mw::CreateBackupForm {
            description: description.get_untracked(),
            expiration_time: expiration.get_untracked(),
        };
        let body = match form.validate(now()) {
            Ok(body) => body,
            Err(list) => return order.with_value(|order| show_invalid(errors, list, order)),
        };
        let connection = connection.get_value();
        let Some(account) = account_of(&connection) else { return };
        action.run("Creating the backup at mittwald…", async move {
            let request = mw::create_backup_request(&base_for(&connection), &account, &body);
            let backup = act(request, mw::parse_create_backup, Some(errors), None).await?;
            let name = backup.description.clone().unwrap_or_else(|| backup.id.clone());
            let status = backup.status.clone();
            replace_listed(state, &connection.id, provider::normalize(backup, &connection.source()));
            reconcile(state, connection);
            Ok(format!("mittwald created the backup “{name}” (status {status}); it is in the list."))
        });
    };
    view! {
        <form class="mw-form mw-create" novalidate on:submit=submit aria-labelledby=format!("{prefix}-create-title")>
            <h3 id=format!("{prefix}-create-title")>"Create a backup"</h3>
            <div class="mw-row">
                {input_field(description_id, "description", "Description".into(), Some("Optional.".into()), "text", None, description, errors)}
                {input_field(expiration_id, "expirationTime", "Keep until (UTC)".into(), Some("Required: 7 days to 1 year from now.".into()), "datetime-local", None, expiration, errors)}
            </div>
            <div class="submit-row">
                <button type="submit" class="primary" disabled=move || action.busy()>"Create backup"</button>
                <OutcomeView action=action/>
            </div>
        </form>
    }
}

fn load_schedules(connection: Connection, list: RwSignal<Fetch<Vec<ProjectBackupSchedule>>>) {
    let Some(account) = account_of(&connection) else { return };
    list.set(Fetch::Loading);
    spawn_local(async move {
        let result = read(mw::list_schedules_request(&base_for(&connection), &account)).await;
        list.set(match result.and_then(|r| mw::parse_list_schedules(&r)) {
            Ok(schedules) => Fetch::Ready(schedules),
            Err(e) => Fetch::Failed(e.to_string()),
        });
    });
}

/// The schedule being edited and its form.
#[derive(Clone, Copy)]
struct Editing {
    id: RwSignal<Option<String>>,
    is_system: StoredValue<bool>,
    description: RwSignal<String>,
    schedule: RwSignal<String>,
    ttl: RwSignal<String>,
    errors: Errors,
    action: Action,
}

const CRON_HINT: &str =
    "Five parts: minute hour day month weekday; at most hourly, like 0 3 * * * (daily at 03:00 UTC).";
const TTL_HINT: &str = "7d to 365d, like 30d.";

#[component]
fn Schedules(connection: StoredValue<Connection>, prefix: String) -> impl IntoView {
    let list = RwSignal::new(Fetch::<Vec<ProjectBackupSchedule>>::Idle);
    load_schedules(connection.get_value(), list);
    let editing = Editing {
        id: RwSignal::new(None),
        is_system: StoredValue::new(false),
        description: RwSignal::new(String::new()),
        schedule: RwSignal::new(String::new()),
        ttl: RwSignal::new(String::new()),
        errors: RwSignal::new(Vec::new()),
        action: Action::default(),
    };
    let delete = Action::default();
    let title = format!("{prefix}-schedules-title");
    let title_id = title.clone();
    let prefix = StoredValue::new(prefix);
    view! {
        <div class="mw-schedules" role="group" aria-labelledby=title>
            <div class="section-head">
                <h3 id=title_id>"Backup schedules"</h3>
                <button type="button" on:click=move |_| load_schedules(connection.get_value(), list)>"Reload schedules"</button>
            </div>
            {move || match list.get() {
                Fetch::Idle | Fetch::Loading => view! { <p class="muted" role="status">"Reading the schedules…"</p> }.into_any(),
                Fetch::Failed(e) => view! { <p class="error" role="alert">"⚠ The schedules could not be read: " {e}</p> }.into_any(),
                Fetch::Ready(schedules) if schedules.is_empty() => view! { <p class="muted">"No backup schedules."</p> }.into_any(),
                Fetch::Ready(schedules) => view! {
                    <ul class="mw-schedule-list">
                        {schedules.into_iter().map(|s| view! {
                            <ScheduleItem schedule=s connection=connection list=list editing=editing delete=delete prefix=prefix.get_value()/>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            <OutcomeView action=delete/>
            <CreateSchedule connection=connection list=list prefix=prefix.get_value()/>
        </div>
    }
}

#[component]
fn ScheduleItem(
    schedule: ProjectBackupSchedule,
    connection: StoredValue<Connection>,
    list: RwSignal<Fetch<Vec<ProjectBackupSchedule>>>,
    editing: Editing,
    delete: Action,
    prefix: String,
) -> impl IntoView {
    let name = schedule.description.clone().filter(|d| !d.trim().is_empty()).unwrap_or_else(|| schedule.id.clone());
    let id = schedule.id.clone();
    let is_editing = {
        let id = id.clone();
        move || editing.id.with(|e| e.as_deref() == Some(id.as_str()))
    };
    let start_edit = {
        let s = schedule.clone();
        move |_| {
            let form = mw::UpdateScheduleForm::from_schedule(&s);
            editing.is_system.set_value(form.is_system_backup);
            editing.description.set(form.description);
            editing.schedule.set(form.schedule);
            editing.ttl.set(form.ttl);
            editing.errors.set(Vec::new());
            editing.action.reset();
            editing.id.set(Some(s.id.clone()));
        }
    };
    let on_delete = {
        let id = id.clone();
        let name = name.clone();
        move || {
            if delete.busy() {
                return;
            }
            let connection = connection.get_value();
            let Some(account) = account_of(&connection) else { return };
            let id = id.clone();
            let name = name.clone();
            delete.run(format!("Deleting the schedule “{name}”…"), async move {
                let request = mw::delete_schedule_request(&base_for(&connection), &account, &id);
                let result = act(request, mw::parse_delete_schedule, None, None).await;
                load_schedules(connection, list);
                result
                    .map(|()| format!("mittwald deleted the schedule “{name}”."))
                    .map_err(|e| format!("The schedule “{name}” was not deleted: {e}"))
            });
        }
    };
    // Copy closures for `Confirm`.
    let on_delete = StoredValue::new(on_delete);
    let on_delete = move || on_delete.with_value(|f| f());
    let summary = format!(
        "{} · keep {}",
        schedule.schedule,
        schedule.ttl.clone().unwrap_or_else(|| "as mittwald decides".into())
    );
    let edit_label = format!("Edit the schedule “{name}”");
    let item_id = id.clone();
    let form_prefix = format!("{prefix}-schedule-{}", id_part(&id));
    view! {
        <li class="mw-schedule" data-schedule=item_id>
            <div class="mw-schedule-head">
                <strong>{name.clone()}</strong>
                {schedule.is_system_backup.then(|| view! { <span class="badge mw-system">"System backup (stays daily)"</span> })}
                <code>{summary}</code>
                <button type="button" aria-label=edit_label aria-expanded={let e = is_editing.clone(); move || e().to_string()} on:click=start_edit>"Edit"</button>
                {if schedule.is_system_backup {
                    view! { <span class="muted">"mittwald's own schedule cannot be deleted."</span> }.into_any()
                } else {
                    view! {
                        <Confirm
                            label="Delete schedule".into()
                            question=format!("Delete the schedule “{name}” ({})? Backups it made stay.", schedule.schedule)
                            confirm_label=format!("Delete the schedule “{name}”")
                            action=delete
                            on_confirm=on_delete
                        />
                    }.into_any()
                }}
            </div>
            <Show when=is_editing.clone()>
                <EditSchedule id=id.clone() connection=connection list=list editing=editing prefix=form_prefix.clone()/>
            </Show>
        </li>
    }
}

#[component]
fn EditSchedule(
    id: String,
    connection: StoredValue<Connection>,
    list: RwSignal<Fetch<Vec<ProjectBackupSchedule>>>,
    editing: Editing,
    prefix: String,
) -> impl IntoView {
    let errors = editing.errors;
    let action = editing.action;
    let ids = StoredValue::new([
        ("description", format!("{prefix}-description")),
        ("schedule", format!("{prefix}-cron")),
        ("ttl", format!("{prefix}-ttl")),
    ]);
    let schedule_id = StoredValue::new(id);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if action.busy() {
            return;
        }
        errors.set(Vec::new());
        let form = mw::UpdateScheduleForm {
            is_system_backup: editing.is_system.get_value(),
            description: editing.description.get_untracked(),
            schedule: editing.schedule.get_untracked(),
            ttl: editing.ttl.get_untracked(),
        };
        let body = match form.validate(now()) {
            Ok(body) => body,
            Err(list) => return ids.with_value(|ids| show_invalid(errors, list, ids)),
        };
        let connection = connection.get_value();
        let Some(account) = account_of(&connection) else { return };
        let id = schedule_id.get_value();
        action.run("Saving the schedule at mittwald…", async move {
            let request = mw::update_schedule_request(&base_for(&connection), &account, &id, &body);
            // A refusal without field messages (412: the system schedule must stay daily) is
            // about the schedule: it shows there too.
            act(request, mw::parse_update_schedule, Some(errors), Some("schedule")).await?;
            editing.id.set(None);
            load_schedules(connection, list);
            Ok("mittwald saved the schedule.".to_string())
        });
    };
    let system_note = move || {
        editing
            .is_system
            .get_value()
            .then(|| view! { <p class="hint">"This is mittwald's system backup: it can be changed, but must stay daily (one minute and one hour)."</p> })
    };
    let [(_, d), (_, c), (_, t)] = ids.get_value();
    view! {
        <form class="mw-form" novalidate on:submit=submit aria-label="Edit the schedule">
            {system_note}
            <div class="mw-row">
                // mittwald keeps the system schedule's description: it is neither shown for editing nor sent.
                <Show when=move || !editing.is_system.get_value()>
                    {input_field(d.clone(), "description", "Schedule description".into(), Some("Optional; empty clears it.".into()), "text", None, editing.description, errors)}
                </Show>
                {input_field(c, "schedule", "Schedule (cron)".into(), Some(CRON_HINT.into()), "text", Some("0 3 * * *"), editing.schedule, errors)}
                {input_field(t, "ttl", "Keep backups for".into(), Some(TTL_HINT.into()), "text", Some("30d"), editing.ttl, errors)}
            </div>
            <div class="submit-row">
                <button type="submit" class="primary" disabled=move || action.busy()>"Save schedule"</button>
                <button type="button" on:click=move |_| editing.id.set(None)>"Cancel"</button>
            </div>
            <OutcomeView action=action/>
        </form>
    }
}

#[component]
fn CreateSchedule(
    connection: StoredValue<Connection>,
    list: RwSignal<Fetch<Vec<ProjectBackupSchedule>>>,
    prefix: String,
) -> impl IntoView {
    let action = Action::default();
    let errors: Errors = RwSignal::new(Vec::new());
    let description = RwSignal::new(String::new());
    let schedule = RwSignal::new(String::new());
    let ttl = RwSignal::new(String::new());
    let ids = StoredValue::new([
        ("description", format!("{prefix}-new-schedule-description")),
        ("schedule", format!("{prefix}-new-schedule-cron")),
        ("ttl", format!("{prefix}-new-schedule-ttl")),
    ]);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if action.busy() {
            return;
        }
        errors.set(Vec::new());
        let form = mw::CreateScheduleForm {
            description: description.get_untracked(),
            schedule: schedule.get_untracked(),
            ttl: ttl.get_untracked(),
        };
        let body = match form.validate(now()) {
            Ok(body) => body,
            Err(list) => return ids.with_value(|ids| show_invalid(errors, list, ids)),
        };
        let connection = connection.get_value();
        let Some(account) = account_of(&connection) else { return };
        action.run("Creating the schedule at mittwald…", async move {
            let request = mw::create_schedule_request(&base_for(&connection), &account, &body);
            let created = act(request, mw::parse_create_schedule, Some(errors), None).await?;
            load_schedules(connection, list);
            Ok(format!("mittwald created the schedule ({}).", created.id))
        });
    };
    let [(_, d), (_, c), (_, t)] = ids.get_value();
    let title = format!("{prefix}-new-schedule-title");
    let title_id = title.clone();
    view! {
        <form class="mw-form" novalidate on:submit=submit aria-labelledby=title>
            <h4 id=title_id>"New schedule"</h4>
            <div class="mw-row">
                {input_field(d, "description", "Schedule description".into(), Some("Optional.".into()), "text", None, description, errors)}
                {input_field(c, "schedule", "Schedule (cron)".into(), Some(CRON_HINT.into()), "text", Some("0 3 * * *"), schedule, errors)}
                {input_field(t, "ttl", "Keep backups for".into(), Some(TTL_HINT.into()), "text", Some("30d"), ttl, errors)}
            </div>
            <div class="submit-row">
                <button type="submit" class="primary" disabled=move || action.busy()>"Create schedule"</button>
                <OutcomeView action=action/>
            </div>
        </form>
    }
}
