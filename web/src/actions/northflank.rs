//! Northflank's actions in the SPA (the rules are `backboard_core::providers::northflank`):
//!
//! - in an addon backup's details panel: abort (while it runs), restore and a download link
//!   (once it is completed), delete; long-running answers are followed with `poll_until`;
//! - below the list, per addon connection: create a backup (it shows up in progress, then
//!   completed) and create a backup schedule.

pub(crate) mod shared;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use backboard_core::paging::{send, RetryPolicy};
use backboard_core::providers::northflank::{self as nf, Addon, BackupDetails, CreateForm, RestoreForm, ScheduleForm};
use backboard_core::providers::northflank::{self as provider, BackupStatus, Listed, Target};
use backboard_core::providers::Details;
use backboard_core::Account;
use backboard_core::{Backup, Connection, FieldError, Provider};
use leptos::prelude::*;

use self::shared::{
    clock, demo_file, demo_link, kept, kept_action, notice_of, panel_open, revoke, said, select_field, text_field,
    title, Form,
};
use super::{poll_until, reconcile, remove_listed, replace_listed, send_once, Action, Confirm, Outcome, OutcomeView};
use crate::transport::FetchTransport;
use crate::{base_for, now, AppState};

const P: Provider = Provider::Northflank;
/// Checks of one long-running state: with the 1 s … 30 s backoff, about five minutes.
const MAX_CHECKS: u32 = 14;

/// Everything a call needs: where to send it and for which addon.
#[derive(Clone)]
struct Call {
    state: AppState,
    connection: Connection,
    account: provider::Account,
    addon: Addon,
    base: String,
}

impl Call {
    fn of(state: AppState, connection: &Connection) -> Option<Call> {
        let Account::Northflank(account) = &connection.account else { return None };
        Some(Call {
            state,
            addon: Addon::of_account(account)?,
            account: account.clone(),
            base: base_for(connection),
            connection: connection.clone(),
        })
    }

    /// The backup as the list shows it.
    fn listed(&self, details: &BackupDetails) -> Backup {
        provider::normalize(Listed::Addon(details.backup.clone()), &self.connection.source())
    }

    /// Reads one backup (a GET, so retried on transient failures).
    async fn get(&self, backup_id: &str) -> Result<BackupDetails, String> {
        let request = nf::get_request(&self.base, &self.account, &self.addon, backup_id);
        let response =
            send(&FetchTransport, P, request, &RetryPolicy::default(), &Cell::new(1)).await.map_err(|e| said(&e))?;
        nf::parse_get(&response).map_err(|e| said(&e))
    }

    /// Reads the backup now, then with `poll_until` until nothing more changes by itself
    /// (`BackupDetails::is_settled`), putting every answer in the list and handing it to `each`.
    /// Returns the last answer and whether it had settled.
    async fn follow(
        self,
        backup_id: String,
        alive: impl Fn() -> bool,
        each: impl Fn(&BackupDetails) + 'static,
    ) -> Result<(BackupDetails, bool), String> {
        let last: Rc<RefCell<Option<Result<BackupDetails, String>>>> = Rc::default();
        let each = Rc::new(each);
        let check = {
            let last = last.clone();
            move || {
                let (call, id, last, each) = (self.clone(), backup_id.clone(), last.clone(), each.clone());
                async move {
                    let answer = call.get(&id).await;
                    let settled = match &answer {
                        Ok(details) => {
                            replace_listed(call.state, &call.connection.id, call.listed(details));
                            each(details);
                            details.is_settled()
                        }
                        Err(_) => true,
                    };
                    *last.borrow_mut() = Some(answer);
                    settled
                }
            }
        };
        if !check().await {
            poll_until(check, alive, MAX_CHECKS).await;
        }
        let answer = last.borrow_mut().take().unwrap_or_else(|| Err("Northflank was not asked".into()))?;
        let settled = answer.is_settled();
        Ok((answer, settled))
    }
}

fn restore_words(r: &nf::LastRestore) -> String {
    let mut text = format!("Last restore: {}", r.status);
    if let Some(t) = r.restore_timestamp {
        text.push_str(&format!(", started {}", backboard_core::display::absolute(t)));
    }
    if let Some(t) = r.completed_at {
        text.push_str(&format!(", finished {}", backboard_core::display::absolute(t)));
    }
    text
}

/// What a backup's actions need, kept in one place for the `Copy` callbacks.
#[derive(Clone)]
struct Subject {
    call: Call,
    id: String,
    name: String,
}

/// The actions for one Northflank backup, in its details panel.
#[component]
pub fn Actions(backup: Backup, connection: Connection) -> impl IntoView {
    let state = expect_context::<AppState>();
    let (Some(call), Details::NorthflankAddon(record)) = (Call::of(state, &connection), &backup.details) else {
        return view! {
            <p class="muted">
                "Northflank's backup actions work on an addon's own backups: add a connection for the addon "
                "this backup was taken of (project id and addon id) to restore, download or delete it there."
            </p>
        }
        .into_any();
    };
    let key = format!("nf:{}:{}", connection.id, backup.id);
    let alive = panel_open(&key);
    let abort = kept_action(&format!("{key}:abort"));
    let restore = kept_action(&format!("{key}:restore"));
    let fetch_link = kept_action(&format!("{key}:link"));
    let delete = kept_action(&format!("{key}:delete"));
    let last_restore = kept(&format!("{key}:last-restore"), || None::<nf::LastRestore>);
    // The link as Northflank gave it (or a Blob URL in the in-page demo, with the file's name).
    let link = kept(&format!("{key}:link-url"), || None::<(String, Option<String>)>);
    let name = title(&backup);
    let status = record.status.clone();
    let subject = StoredValue::new(Subject { call, id: backup.id.clone(), name: name.clone() });

    let on_abort = move || {
        let Subject { call, id, name } = subject.get_value();
        abort.run(format!("Asking Northflank to abort “{name}”…"), async move {
            let response = send_once(P, nf::abort_request(&call.base, &call.account, &call.addon, &id))
                .await
                .map_err(|e| said(&e))?;
            nf::parse_abort(&response).map_err(|e| said(&e))?;
            let each = move |d: &BackupDetails| {
                abort.outcome.set(Outcome::Busy(format!("Aborting “{name}”: Northflank says “{}”.", d.backup.status)))
            };
            let (last, settled) = call.follow(id, alive, each).await?;
            Ok(if settled {
                format!("Abort finished: Northflank says “{}”.", last.backup.status)
            } else {
                format!("Abort accepted; Northflank said “{}” when last asked.", last.backup.status)
            })
        });
    };

    let on_restore = move || {
        let Subject { call, id, name } = subject.get_value();
        restore.run(format!("Asking Northflank to restore “{name}”…"), async move {
            // Both source fields blank: the addon's own backup, restored into it.
            let request = RestoreForm::default()
                .validate(now())
                .map_err(|errors| errors.into_iter().map(|e| e.message).collect::<Vec<_>>().join(" "))?;
            let response = send_once(P, nf::restore_request(&call.base, &call.account, &call.addon, &id, &request))
                .await
                .map_err(|e| said(&e))?;
            let restore_id = nf::parse_restore(&response).map_err(|e| said(&e))?.restore_id;
            restore.outcome.set(Outcome::Busy(format!("Restore {restore_id} started; asking Northflank how it goes…")));
            let each = {
                let restore_id = restore_id.clone();
                move |d: &BackupDetails| {
                    last_restore.set(d.last_restore.clone());
                    if let Some(r) = &d.last_restore {
                        restore
                            .outcome
                            .set(Outcome::Busy(format!("Restore {restore_id}: Northflank says “{}”.", r.status)));
                    }
                }
            };
            let (last, settled) = call.follow(id, alive, each).await?;
            let now = last.last_restore.map(|r| r.status.to_string()).unwrap_or_else(|| "no restore yet".into());
            Ok(if settled {
                format!("Restore {restore_id} of “{name}”: Northflank says “{now}”.")
            } else {
                format!("Restore {restore_id} started; Northflank said “{now}” when last asked.")
            })
        });
    };

    let on_link = move |_| {
        let Subject { call, id, .. } = subject.get_value();
        fetch_link.run("Asking Northflank for a download link…", async move {
            let request = nf::download_link_request(&call.base, &call.account, &call.addon, &id);
            let response = send_once(P, request).await.map_err(|e| said(&e))?;
            let (url, file) = match nf::parse_download_link(&response) {
                Ok(l) => (l.download_link, None),
                Err(e) => {
                    // The in-page demo's links are `demo://`: fetched here, offered as a Blob URL.
                    let demo = crate::demo::is_demo(&call.connection)
                        .then(|| demo_link(&response.body, &["data", "downloadLink"]))
                        .flatten()
                        .ok_or_else(|| said(&e))?;
                    let (blob, file) = demo_file(P, &demo).await?;
                    (blob, Some(file))
                }
            };
            if let Some((old, _)) = link.get_untracked() {
                revoke(&old);
            }
            link.set(Some((url, file)));
            Ok(format!("Northflank made a download link at {}; it works for a limited time.", clock()))
        });
    };

    let on_delete = move || {
        let Subject { call, id, name } = subject.get_value();
        let notice = notice_of("nf", &call.connection.id);
        delete.run(format!("Deleting “{name}”…"), async move {
            // At once from the list; reconciling afterwards brings it back if Northflank refused.
            remove_listed(call.state, &call.connection.id, &id);
            let answer = match send_once(P, nf::delete_request(&call.base, &call.account, &call.addon, &id)).await {
                Ok(response) => nf::parse_delete(&response).map_err(|e| said(&e)),
                Err(e) => Err(said(&e)),
            };
            reconcile(call.state, call.connection.clone());
            let result = match answer {
                Ok(()) => Ok(format!("Deleted the backup “{name}” ({id}).")),
                Err(e) => Err(format!("“{name}” was not deleted: {e}")),
            };
            notice.set(Some(result.clone()));
            result
        });
    };

    let abortable = matches!(status, BackupStatus::Scheduled | BackupStatus::InProgress);
    let completed = status == BackupStatus::Completed;
    let addon = subject.with_value(|s| format!("{}/{}", s.call.addon.project_id, s.call.addon.addon_id));
    let link_name = name.clone();
    view! {
        <div class="provider-actions">
            <p class="current-status">"Northflank status: " <strong>{status.to_string()}</strong></p>
            {abortable.then(|| view! {
                <Confirm
                    label="Abort".to_string()
                    question=format!("Abort the running backup “{name}”? Northflank stops it and keeps nothing of it.")
                    confirm_label=format!("Abort “{name}”")
                    action=abort
                    on_confirm=on_abort
                />
            })}
            <OutcomeView action=abort/>
            {completed.then(|| view! {
                <Confirm
                    label="Restore".to_string()
                    question=format!("Restore “{name}” into the addon {addon}? The addon's current data is replaced by this backup's.")
                    confirm_label=format!("Restore “{name}”")
                    action=restore
                    on_confirm=on_restore
                />
            })}
            <OutcomeView action=restore/>
            {move || last_restore.get().map(|r| view! { <p class="muted">{restore_words(&r)}</p> })}
            {completed.then(|| view! {
                <button type="button" disabled=move || fetch_link.busy() on:click=on_link>"Get a download link"</button>
            })}
            <OutcomeView action=fetch_link/>
            {move || link.get().map(|(href, file)| {
                let text = format!("Download “{link_name}”");
                view! { <p><a class="download-link" href=href target="_blank" rel="noopener noreferrer" download=file>{text}</a></p> }
            })}
            <Confirm
                label="Delete".to_string()
                question=format!("Delete the backup “{name}”? This cannot be undone.")
                confirm_label=format!("Delete “{name}”")
                action=delete
                on_confirm=on_delete
            />
            <OutcomeView action=delete/>
        </div>
    }
    .into_any()
}

/// Northflank's per-connection tools, below the list: one block per addon connection.
#[component]
pub fn Section() -> impl IntoView {
    let state = expect_context::<AppState>();
    let addons = Memo::new(move |_| {
        state.connections.with(|list| {
            list.iter()
                .filter(|c| matches!(&c.account, Account::Northflank(a) if matches!(a.target, Target::Addon { .. })))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    view! {
        <For each=move || addons.get() key=|c| (c.id.clone(), c.label.clone()) let:connection>
            <AddonTools connection=connection/>
        </For>
    }
}

// ---------------------------------------------------------------------------------------------
// Create a backup, create a schedule

const CREATE_ORDER: [&str; 5] =
    ["name", "backupType", "compressionType", "customDestinationId", "additionalDestinations"];
const BACKUP_TYPES: &[(&str, &str)] = &[("snapshot", "Snapshot (Northflank's default)"), ("dump", "Dump")];
const COMPRESSIONS: &[(&str, &str)] = &[("", "Northflank's default"), ("gz", "gz"), ("zstd", "zstd")];
const SCHEDULE_ORDER: [&str; 6] = ["interval", "minute", "hour", "day", "backupType", "retentionTime"];
const INTERVALS: &[(&str, &str)] = &[("", "Choose…"), ("hourly", "Hourly"), ("daily", "Daily"), ("weekly", "Weekly")];

/// The create form as the core judges it: fields that do not apply to the chosen type are
/// hidden, so left out (what was typed in them stays for when they come back).
fn effective_create(form: &CreateForm) -> CreateForm {
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
    f
}

fn create_problems(form: &CreateForm) -> Vec<FieldError> {
    effective_create(form).validate(now()).err().unwrap_or_default()
}

fn effective_schedule(form: &ScheduleForm) -> ScheduleForm {
    let ap = form.applicable();
    let mut f = form.clone();
    if !ap.hour {
        f.hour.clear();
    }
    if !ap.day {
        f.day.clear();
    }
    f
}

fn schedule_problems(form: &ScheduleForm) -> Vec<FieldError> {
    effective_schedule(form).validate(now()).err().unwrap_or_default()
}

/// A backup created here, followed until it settles.
#[derive(Clone, Debug, PartialEq)]
struct Created {
    id: String,
    name: String,
    status: String,
    settled: bool,
}

#[component]
fn AddonTools(connection: Connection) -> impl IntoView {
    let state = expect_context::<AppState>();
    let Some(call) = Call::of(state, &connection) else { return ().into_any() };
    let prefix = format!("nf-{}", connection.id);
    let title_id = format!("{prefix}-title");
    let labelled_by = title_id.clone();
    let call = StoredValue::new(call);
    let notice = notice_of("nf", &connection.id);

    let create = Action::default();
    let created = RwSignal::new(Vec::<Created>::new());
    let form = Form::new(
        format!("{prefix}-create"),
        CreateForm { backup_type: "snapshot".into(), ..CreateForm::default() },
        create_problems,
    );
    let applicable = Memo::new(move |_| form.values.with(CreateForm::applicable));
    let on_create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if create.busy() {
            return;
        }
        let request = match form.values.with_untracked(|f| effective_create(f).validate(now())) {
            Ok(request) => request,
            Err(errors) => return form.refuse(&errors, &CREATE_ORDER),
        };
        let call = call.get_value();
        create.run("Sending the backup to Northflank…", async move {
            let response = send_once(P, nf::create_request(&call.base, &call.account, &call.addon, &request))
                .await
                .map_err(|e| said(&e))?;
            let details = nf::parse_create(&response).map_err(|e| said(&e))?;
            replace_listed(call.state, &call.connection.id, call.listed(&details));
            let (id, name) = (details.backup.id.clone(), details.backup.name.clone());
            let status = details.backup.status.to_string();
            let message = format!("Northflank took the backup “{name}” ({id}); it is {status}.");
            created.update(|list| {
                list.insert(0, Created { id: id.clone(), name: name.clone(), status: status.clone(), settled: false })
            });
            leptos::task::spawn_local(async move {
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
                let follow = call.clone().follow(id.clone(), || true, each).await;
                created.update(|list| {
                    if let Some(c) = list.iter_mut().find(|c| c.id == id) {
                        c.settled = true;
                        if let Err(e) = &follow {
                            c.status = format!("unknown ({e})");
                        }
                    }
                });
                reconcile(call.state, call.connection.clone());
            });
            Ok(message)
        });
    };

    let schedule = Action::default();
    let schedule_form = Form::new(
        format!("{prefix}-schedule"),
        ScheduleForm { backup_type: "snapshot".into(), retention_time: "7".into(), ..ScheduleForm::default() },
        schedule_problems,
    );
    let schedule_applicable = Memo::new(move |_| schedule_form.values.with(ScheduleForm::applicable));
    let on_schedule = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if schedule.busy() {
            return;
        }
        let request = match schedule_form.values.with_untracked(|f| effective_schedule(f).validate(now())) {
            Ok(request) => request,
            Err(errors) => return schedule_form.refuse(&errors, &SCHEDULE_ORDER),
        };
        let call = call.get_value();
        schedule.run("Sending the schedule to Northflank…", async move {
            let response = send_once(P, nf::schedule_request(&call.base, &call.account, &call.addon, &request))
                .await
                .map_err(|e| said(&e))?;
            nf::parse_schedule(&response).map_err(|e| said(&e))?;
            let s = &request.body().scheduling;
            Ok(format!("Northflank saved the {} schedule: {}.", s.interval, s.in_words()))
        });
    };

    let label = connection.label.clone();
    view! {
        <section class="provider-tools nf-tools" aria-labelledby=labelled_by>
            <h2 id=title_id>{format!("Northflank addon “{label}”: new backups and schedules")}</h2>
            {move || notice.get().map(|n| match n {
                Ok(m) => view! { <p class="action-status ok" role="status">"✓ " {m}</p> }.into_any(),
                Err(m) => view! { <p class="action-status error" role="alert">"⚠ " {m}</p> }.into_any(),
            })}
            <form class="action-form nf-create" on:submit=on_create aria-label=format!("Create a Northflank backup of {label}") novalidate>
                <h3>"Create a backup"</h3>
                <div class="fields">
                    {text_field(form, "name", "Backup name",
                        "Optional: 3 to 39 letters or digits, separated by single hyphens, spaces or colons.",
                        |f| &f.name, |f, v| f.name = v)}
                    {select_field(form, "backupType", "Backup type", BACKUP_TYPES, |f| &f.backup_type, |f, v| f.backup_type = v)}
                    <Show when=move || applicable.get().compression_type>
                        {select_field(form, "compressionType", "Compression", COMPRESSIONS, |f| &f.compression_type, |f, v| f.compression_type = v)}
                    </Show>
                    <Show when=move || applicable.get().custom_destination_id>
                        {text_field(form, "customDestinationId", "Custom destination id",
                            "Optional: a backup destination to write the dump to.",
                            |f| &f.custom_destination_id, |f, v| f.custom_destination_id = v)}
                    </Show>
                    <Show when=move || applicable.get().additional_destinations>
                        {text_field(form, "additionalDestinations", "Additional destinations",
                            "Optional: destination ids, separated by commas.",
                            |f| &f.additional_destinations, |f, v| f.additional_destinations = v)}
                    </Show>
                </div>
                <div class="submit-row">
                    <button type="submit" class="primary" disabled=move || create.busy()>"Create the backup"</button>
                    {form.summary()}
                    <OutcomeView action=create/>
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
                    {select_field(schedule_form, "interval", "Interval", INTERVALS, |f| &f.interval, |f, v| f.interval = v)}
                    {text_field(schedule_form, "minute", "Minutes", "0 to 59, separated by commas, e.g. 0, 30.",
                        |f| &f.minute, |f, v| f.minute = v)}
                    <Show when=move || schedule_applicable.get().hour>
                        {text_field(schedule_form, "hour", "Hours", "0 to 23 (UTC), separated by commas.",
                            |f| &f.hour, |f, v| f.hour = v)}
                    </Show>
                    <Show when=move || schedule_applicable.get().day>
                        {text_field(schedule_form, "day", "Days", "0 (Monday) to 6 (Sunday), separated by commas.",
                            |f| &f.day, |f, v| f.day = v)}
                    </Show>
                    {select_field(schedule_form, "backupType", "Backup type", BACKUP_TYPES, |f| &f.backup_type, |f, v| f.backup_type = v)}
                    {text_field(schedule_form, "retentionTime", "Keep backups for", "Whole days, e.g. 7.",
                        |f| &f.retention_time, |f, v| f.retention_time = v)}
                </div>
                <div class="submit-row">
                    <button type="submit" class="primary" disabled=move || schedule.busy()>"Create the schedule"</button>
                    {schedule_form.summary()}
                    <OutcomeView action=schedule/>
                </div>
            </form>
        </section>
    }
    .into_any()
}
