//! Below the list, per Northflank addon connection: create a backup (it shows up in progress,
//! then completed) and create a backup schedule.

use std::rc::Rc;

use backboard_core::providers::northflank::{
    self as nf, BackupDetails, CreateForm, CreateRequest, ScheduleForm, ScheduleRequest,
};
use backboard_core::{Connection, FieldError, Provider};
use leptos::prelude::*;

use super::call::{Call, P};
use crate::actions::{reconcile, replace_listed, send_once};
use crate::clock::now;
use crate::state::AppState;
use crate::ui::{Form, Notices, OutcomeView, Task};

/// An addon's tools on its source's page (a backup destination has none).
#[component]
pub fn Tools(connection: Connection) -> impl IntoView {
    let state = expect_context::<AppState>();
    // Both of its forms are an operator's: in workspace mode a viewer sees neither.
    let may = crate::workspace::may_call(Provider::Northflank, "create_backup")
        && crate::workspace::may_call(Provider::Northflank, "create_schedule");
    Call::of(state, &connection).filter(|_| may).map(|call| view! { <AddonTools call=call/> })
}

const CREATE_ORDER: &[&str] =
    &["name", "backupType", "compressionType", "customDestinationId", "additionalDestinations"];
const BACKUP_TYPES: [(&str, &str); 2] = [("snapshot", "Snapshot (Northflank's default)"), ("dump", "Dump")];
const COMPRESSIONS: [(&str, &str); 3] = [("", "Northflank's default"), ("gz", "gz"), ("zstd", "zstd")];
const SCHEDULE_ORDER: &[&str] = &["interval", "minute", "hour", "day", "backupType", "retentionTime"];
const INTERVALS: [(&str, &str); 3] = [("hourly", "Hourly"), ("daily", "Daily"), ("weekly", "Weekly")];

/// The create form as the core judges it: fields that do not apply to the chosen type are
/// hidden, so left out (what was typed in them stays for when they come back).
fn check_create(form: &CreateForm) -> Result<CreateRequest, Vec<FieldError>> {
    let ap = form.applicable();
    let mut f = form.clone();
    if !ap.compression_type {
        f.compression_type.clear();
    }
    if !ap.custom_destination_id {
        f.custom_destination_id.clear();
    }
    if !ap.additional_destinations {
        f.additional_destinations.clear();
    }
    f.validate(now())
}

fn check_schedule(form: &ScheduleForm) -> Result<ScheduleRequest, Vec<FieldError>> {
    let ap = form.applicable();
    let mut f = form.clone();
    if !ap.hour {
        f.hour.clear();
    }
    if !ap.day {
        f.day.clear();
    }
    f.validate(now())
}

/// A backup created here, followed until it settles.
#[derive(Clone, Debug, PartialEq)]
struct Created {
    id: String,
    name: String,
    status: String,
    settled: bool,
}

/// Follows a created backup until it settles, showing each status it goes through.
async fn follow_created(call: Call, id: String, created: RwSignal<Vec<Created>>) {
    let each = {
        let id = id.clone();
        move |d: &BackupDetails| {
            let status = d.backup.status.to_string();
            created.update(|list| {
                if let Some(c) = list.iter_mut().find(|c| c.id == id) {
                    c.status = status;
                }
            })
        }
    };
    let follow = call.clone().follow(id.clone(), Rc::new(|| true), Rc::new(each)).await;
    created.update(|list| {
        if let Some(c) = list.iter_mut().find(|c| c.id == id) {
            c.settled = true;
            if let Err(e) = &follow {
                c.status = format!("unknown ({e})");
            }
        }
    });
    reconcile(call.state, call.connection.clone());
}

#[component]
fn AddonTools(call: Call) -> impl IntoView {
    let prefix = format!("nf-{}", call.connection.id);
    let title_id = format!("{prefix}-title");
    let labelled_by = title_id.clone();
    let label = call.connection.label.clone();
    let notice = Notices::get().view(call.connection.id.clone());
    let call = StoredValue::new(call);

    let created = RwSignal::new(Vec::<Created>::new());
    let form = Form::new(
        format!("{prefix}-create"),
        CreateForm { backup_type: "snapshot".into(), ..CreateForm::default() },
        check_create,
        CREATE_ORDER,
    );
    let applicable = Memo::new(move |_| form.values.with(CreateForm::applicable));
    let create = Task::new(move |request: &CreateRequest| {
        let (call, request) = (call.get_value(), request.clone());
        async move {
            let response = send_once(P, nf::create_request(&call.base, &call.account, &call.addon, &request))
                .await
                .map_err(|e| e.to_string())?;
            let details = nf::parse_create(&response).map_err(|e| e.to_string())?;
            replace_listed(call.state, &call.connection.id, call.listed(&details));
            let (id, name) = (details.backup.id.clone(), details.backup.name.clone());
            let status = details.backup.status.to_string();
            let message = format!("Northflank took the backup “{name}” ({id}); it is {status}.");
            created.update(|list| list.insert(0, Created { id: id.clone(), name, status, settled: false }));
            leptos::task::spawn_local(follow_created(call, id, created));
            Ok(message)
        }
    });
    let on_create = form.submit_to(create, "Sending the backup to Northflank…", Some);

    let schedule_form = Form::new(
        format!("{prefix}-schedule"),
        ScheduleForm { backup_type: "snapshot".into(), retention_time: "7".into(), ..ScheduleForm::default() },
        check_schedule,
        SCHEDULE_ORDER,
    );
    let schedule_applicable = Memo::new(move |_| schedule_form.values.with(ScheduleForm::applicable));
    let schedule = Task::new(move |request: &ScheduleRequest| {
        let (call, request) = (call.get_value(), request.clone());
        async move {
            let response = send_once(P, nf::schedule_request(&call.base, &call.account, &call.addon, &request))
                .await
                .map_err(|e| e.to_string())?;
            nf::parse_schedule(&response).map_err(|e| e.to_string())?;
            let s = &request.body().scheduling;
            Ok(format!("Northflank saved the {} schedule: {}.", s.interval, s.in_words()))
        }
    });
    let on_schedule = schedule_form.submit_to(schedule, "Sending the schedule to Northflank…", Some);

    view! {
        <section class="provider-tools nf-tools" aria-labelledby=labelled_by>
            <h2 id=title_id>{format!("Northflank addon “{label}”: new backups and schedules")}</h2>
            {notice}
            <form class="action-form nf-create" on:submit=on_create aria-label=format!("Create a Northflank backup of {label}") novalidate>
                <h3>"Create a backup"</h3>
                <div class="fields">
                    {form.field("name", "Backup name", |f| &f.name, |f, v| f.name = v)
                        .hint("Optional: 3 to 39 letters or digits, separated by single hyphens, spaces or colons.").input()}
                    {form.field("backupType", "Backup type", |f| &f.backup_type, |f, v| f.backup_type = v).select(BACKUP_TYPES.to_vec())}
                    <Show when=move || applicable.get().compression_type>
                        {form.field("compressionType", "Compression", |f| &f.compression_type, |f, v| f.compression_type = v)
                            .select(COMPRESSIONS.to_vec())}
                    </Show>
                    <Show when=move || applicable.get().custom_destination_id>
                        {form.field("customDestinationId", "Custom destination id", |f| &f.custom_destination_id, |f, v| f.custom_destination_id = v)
                            .hint("Optional: a backup destination to write the dump to.").input()}
                    </Show>
                    <Show when=move || applicable.get().additional_destinations>
                        {form.field("additionalDestinations", "Additional destinations", |f| &f.additional_destinations, |f, v| f.additional_destinations = v)
                            .hint("Optional: destination ids, separated by commas.").input()}
                    </Show>
                </div>
                <div class="submit-row">
                    <button type="submit" class="primary" disabled=move || create.pending()>"Create the backup"</button>
                    {form.summary()}
                    <OutcomeView progress=create.progress/>
                </div>
                <ul class="followed" aria-label="Backups created here" aria-live="polite">
                    <For each=move || created.get() key=|c| (c.id.clone(), c.status.clone(), c.settled) let:c>
                        <li>
                            {format!("“{}” ({}): {}", c.name, c.id, c.status)}
                            {(!c.settled).then(|| view! { <span class="muted">" (watching…)"</span> })}
                        </li>
                    </For>
                </ul>
            </form>
            <form class="action-form nf-schedule" on:submit=on_schedule aria-label=format!("Create a Northflank backup schedule for {label}") novalidate>
                <h3>"Create a backup schedule"</h3>
                <div class="fields">
                    {schedule_form.field("interval", "Interval", |f| &f.interval, |f, v| f.interval = v).blank("Choose…").select(INTERVALS.to_vec())}
                    {schedule_form.field("minute", "Minutes", |f| &f.minute, |f, v| f.minute = v)
                        .hint("0 to 59, separated by commas, e.g. 0, 30.").input()}
                    <Show when=move || schedule_applicable.get().hour>
                        {schedule_form.field("hour", "Hours", |f| &f.hour, |f, v| f.hour = v)
                            .hint("0 to 23 (UTC), separated by commas.").input()}
                    </Show>
                    <Show when=move || schedule_applicable.get().day>
                        {schedule_form.field("day", "Days", |f| &f.day, |f, v| f.day = v)
                            .hint("0 (Monday) to 6 (Sunday), separated by commas.").input()}
                    </Show>
                    {schedule_form.field("backupType", "Backup type", |f| &f.backup_type, |f, v| f.backup_type = v).select(BACKUP_TYPES.to_vec())}
                    {schedule_form.field("retentionTime", "Keep backups for", |f| &f.retention_time, |f, v| f.retention_time = v)
                        .hint("Whole days, e.g. 7.").input()}
                </div>
                <div class="submit-row">
                    <button type="submit" class="primary" disabled=move || schedule.pending()>"Create the schedule"</button>
                    {schedule_form.summary()}
                    <OutcomeView progress=schedule.progress/>
                </div>
            </form>
        </section>
    }
}
