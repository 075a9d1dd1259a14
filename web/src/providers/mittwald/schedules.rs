//! A mittwald project's backup schedules, on its source's page: list, create, edit and delete.

use backboard_core::providers::mittwald::{
    self as mw, CreateSchedule, CreateScheduleForm, ProjectBackupSchedule, UpdateSchedule, UpdateScheduleForm,
};
use backboard_core::{Connection, FieldError};
use leptos::prelude::*;

use super::call::{account_of, act, P};
use crate::actions::read;
use crate::clock::now;
use crate::transport::base_for;
use crate::ui::{Confirm, Form, Loaded, OutcomeView, Task};

const CRON_HINT: &str =
    "Five parts: minute hour day month weekday; at most hourly, like 0 3 * * * (daily at 03:00 UTC).";
const TTL_HINT: &str = "7d to 365d, like 30d.";
const ORDER: &[&str] = &["description", "schedule", "ttl"];

type Schedules = Loaded<Vec<ProjectBackupSchedule>>;

fn check_update(form: &UpdateScheduleForm) -> Result<UpdateSchedule, Vec<FieldError>> {
    form.validate(now())
}

fn check_create(form: &CreateScheduleForm) -> Result<CreateSchedule, Vec<FieldError>> {
    form.validate(now())
}

/// The schedule being edited (one at a time) and its form.
#[derive(Clone, Copy)]
struct Editing {
    id: RwSignal<Option<String>>,
    form: Form<UpdateScheduleForm, UpdateSchedule>,
    save: Task<(String, UpdateSchedule)>,
}

#[component]
pub(super) fn Schedules(connection: StoredValue<Connection>, prefix: String) -> impl IntoView {
    let list: Schedules = Loaded::new(move || {
        let connection = connection.get_value();
        async move {
            let account = account_of(&connection).ok_or("This connection is no mittwald project.")?;
            read(P, mw::list_schedules_request(&base_for(&connection), &account))
                .await
                .and_then(|r| mw::parse_list_schedules(&r))
                .map_err(|e| e.to_string())
        }
    });
    let id = RwSignal::new(None::<String>);
    let form = Form::new(format!("{prefix}-edit-schedule"), UpdateScheduleForm::default(), check_update, ORDER);
    let save = Task::new(move |(schedule_id, body): &(String, UpdateSchedule)| {
        let (connection, schedule_id, body) = (connection.get_value(), schedule_id.clone(), body.clone());
        async move {
            let account = account_of(&connection).ok_or("This connection is no mittwald project.")?;
            let request = mw::update_schedule_request(&base_for(&connection), &account, &schedule_id, &body);
            // A refusal without field messages (412: the system schedule must stay daily) is
            // about the schedule: it shows there too.
            act(request, mw::parse_update_schedule, Some("schedule")).await.map_err(|r| {
                form.refused(r.fields);
                r.message
            })?;
            id.set(None);
            list.refetch();
            Ok("mittwald saved the schedule.".to_string())
        }
    });
    let editing = Editing { id, form, save };
    let delete = Task::new(move |(schedule_id, name): &(String, String)| {
        let (connection, schedule_id, name) = (connection.get_value(), schedule_id.clone(), name.clone());
        async move {
            let account = account_of(&connection).ok_or("This connection is no mittwald project.")?;
            let request = mw::delete_schedule_request(&base_for(&connection), &account, &schedule_id);
            let result = act(request, mw::parse_delete_schedule, None).await;
            list.refetch();
            result
                .map(|()| format!("mittwald deleted the schedule “{name}”."))
                .map_err(|r| format!("The schedule “{name}” was not deleted: {}", r.message))
        }
    });
    let title = format!("{prefix}-schedules-title");
    let labelled_by = title.clone();
    let prefix = StoredValue::new(prefix);
    view! {
        <div class="mw-schedules" role="group" aria-labelledby=labelled_by>
            <div class="section-head">
                <h3 id=title>"Backup schedules"</h3>
                <button type="button" on:click=move |_| list.refetch()>"Reload schedules"</button>
            </div>
            {move || match list.get() {
                None => view! { <p class="muted" role="status">"Reading the schedules…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">"⚠ The schedules could not be read: " {e}</p> }.into_any(),
                Some(Ok(schedules)) if schedules.is_empty() => view! { <p class="muted">"No backup schedules."</p> }.into_any(),
                Some(Ok(schedules)) => view! {
                    <ul class="mw-schedule-list">
                        {schedules.iter().cloned().map(|s| view! {
                            <ScheduleItem schedule=s editing=editing delete=delete/>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            <OutcomeView progress=delete.progress/>
            <NewSchedule connection=connection list=list prefix=prefix.get_value()/>
        </div>
    }
}

#[component]
fn ScheduleItem(schedule: ProjectBackupSchedule, editing: Editing, delete: Task<(String, String)>) -> impl IntoView {
    let name = schedule.description.clone().filter(|d| !d.trim().is_empty()).unwrap_or_else(|| schedule.id.clone());
    let id = StoredValue::new(schedule.id.clone());
    let is_editing = move || editing.id.with(|e| id.with_value(|i| e.as_deref() == Some(i.as_str())));
    let start_edit = {
        let s = schedule.clone();
        move |_| {
            editing.form.values.set(UpdateScheduleForm::from_schedule(&s));
            editing.form.reset();
            editing.save.progress.clear();
            editing.id.set(Some(s.id.clone()));
        }
    };
    let delete_as = StoredValue::new((schedule.id.clone(), name.clone()));
    let on_delete = move || {
        let (id, name) = delete_as.get_value();
        delete.run(format!("Deleting the schedule “{name}”…"), (id, name));
    };
    let summary = format!(
        "{} · keep {}",
        schedule.schedule,
        schedule.ttl.clone().unwrap_or_else(|| "as mittwald decides".into())
    );
    let edit_label = format!("Edit the schedule “{name}”");
    view! {
        <li class="mw-schedule" data-schedule=schedule.id.clone()>
            <div class="mw-schedule-head">
                <strong>{name.clone()}</strong>
                {schedule.is_system_backup.then(|| view! { <span class="badge mw-system">"System backup (stays daily)"</span> })}
                <code>{summary}</code>
                <button type="button" aria-label=edit_label aria-expanded=move || is_editing().to_string() on:click=start_edit>"Edit"</button>
                {if schedule.is_system_backup {
                    view! { <span class="muted">"mittwald's own schedule cannot be deleted."</span> }.into_any()
                } else if !crate::workspace::may_call(backboard_core::Provider::Mittwald, "delete_schedule") {
                    // In workspace mode, deleting a schedule is an admin's.
                    ().into_any()
                } else {
                    view! {
                        <Confirm
                            label="Delete schedule".into()
                            question=format!("Delete the schedule “{name}” ({})? Backups it made stay.", schedule.schedule)
                            confirm_label=format!("Delete the schedule “{name}”")
                            progress=delete.progress
                            on_confirm=on_delete
                        />
                    }.into_any()
                }}
            </div>
            <Show when=is_editing>
                <EditSchedule id=id.get_value() editing=editing/>
            </Show>
        </li>
    }
}

#[component]
fn EditSchedule(id: String, editing: Editing) -> impl IntoView {
    let Editing { form, save, .. } = editing;
    let schedule_id = StoredValue::new(id);
    let submit =
        form.submit_to(save, "Saving the schedule at mittwald…", move |body| Some((schedule_id.get_value(), body)));
    let system_note = move || {
        form.values.with(|v| v.is_system_backup).then(|| {
            view! { <p class="hint">"This is mittwald's system backup: it can be changed, but must stay daily (one minute and one hour)."</p> }
        })
    };
    view! {
        <form class="mw-form" novalidate on:submit=submit aria-label="Edit the schedule">
            {system_note}
            <div class="mw-row">
                // mittwald keeps the system schedule's description: it is neither shown for editing nor sent.
                <Show when=move || !form.values.with(|v| v.is_system_backup)>
                    {form.field("description", "Schedule description", |f| &f.description, |f, v| f.description = v)
                        .hint("Optional; empty clears it.").input()}
                </Show>
                {form.field("schedule", "Schedule (cron)", |f| &f.schedule, |f, v| f.schedule = v)
                    .hint(CRON_HINT).placeholder("0 3 * * *").input()}
                {form.field("ttl", "Keep backups for", |f| &f.ttl, |f, v| f.ttl = v).hint(TTL_HINT).placeholder("30d").input()}
            </div>
            <div class="submit-row">
                <button type="submit" class="primary" disabled=move || save.pending()>"Save schedule"</button>
                <button type="button" on:click=move |_| editing.id.set(None)>"Cancel"</button>
                {form.summary()}
            </div>
            <OutcomeView progress=save.progress/>
        </form>
    }
}

#[component]
fn NewSchedule(connection: StoredValue<Connection>, list: Schedules, prefix: String) -> impl IntoView {
    let form = Form::new(format!("{prefix}-new-schedule"), CreateScheduleForm::default(), check_create, ORDER);
    let create = Task::new(move |body: &CreateSchedule| {
        let (connection, body) = (connection.get_value(), body.clone());
        async move {
            let account = account_of(&connection).ok_or("This connection is no mittwald project.")?;
            let request = mw::create_schedule_request(&base_for(&connection), &account, &body);
            let created = act(request, mw::parse_create_schedule, None).await.map_err(|r| {
                form.refused(r.fields);
                r.message
            })?;
            list.refetch();
            Ok(format!("mittwald created the schedule ({}).", created.id))
        }
    });
    let submit = form.submit_to(create, "Creating the schedule at mittwald…", Some);
    let title = format!("{prefix}-new-schedule-title");
    let labelled_by = title.clone();
    view! {
        <form class="mw-form" novalidate on:submit=submit aria-labelledby=labelled_by>
            <h4 id=title>"New schedule"</h4>
            <div class="mw-row">
                {form.field("description", "Schedule description", |f| &f.description, |f, v| f.description = v).hint("Optional.").input()}
                {form.field("schedule", "Schedule (cron)", |f| &f.schedule, |f, v| f.schedule = v)
                    .hint(CRON_HINT).placeholder("0 3 * * *").input()}
                {form.field("ttl", "Keep backups for", |f| &f.ttl, |f, v| f.ttl = v).hint(TTL_HINT).placeholder("30d").input()}
            </div>
            <div class="submit-row">
                <button type="submit" class="primary" disabled=move || create.pending()>"Create schedule"</button>
                {form.summary()}
                <OutcomeView progress=create.progress/>
            </div>
        </form>
    }
}
