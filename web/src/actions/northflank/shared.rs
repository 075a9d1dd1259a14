//! What the Northflank and ServerAvatar actions share beyond `actions/mod.rs`: state that
//! outlives the details panel (the table rebuilds the panel whenever the list changes), opening
//! a download, the in-page demo's `demo://` links, and the messages shown next to a field.

use std::any::Any;
use std::cell::RefCell;
use std::collections::HashMap;

use backboard_core::http::{Method, Request};
use backboard_core::{Error, FieldError, Provider};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::actions::{Action, Outcome};
use crate::transport::FetchTransport;
use crate::{described_by, focus};

/// The owner of every kept signal (never cleaned up) and the signals by key.
type Kept = (Owner, HashMap<String, Box<dyn Any>>);

thread_local! {
    static KEPT: RefCell<Option<Kept>> = const { RefCell::new(None) };
}

/// A signal that lives as long as the page, the same one for the same `key`. An action started
/// in the details panel goes on (and its answer stays visible) when the panel is rebuilt.
pub fn kept<T: Send + Sync + 'static>(key: &str, init: impl FnOnce() -> T) -> RwSignal<T> {
    let value = init();
    KEPT.with(|kept| {
        let mut kept = kept.borrow_mut();
        let (owner, map) = kept.get_or_insert_with(|| {
            // A root of its own, never cleaned up; whatever owner was current stays current.
            let previous = Owner::current();
            let root = Owner::new_root(None);
            match previous {
                Some(p) => p.set(),
                None => root.clone().unset(),
            }
            (root, HashMap::new())
        });
        if let Some(signal) = map.get(key).and_then(|s| s.downcast_ref::<RwSignal<T>>()) {
            return *signal;
        }
        let signal = owner.with(|| RwSignal::new(value));
        map.insert(key.to_string(), Box::new(signal));
        signal
    })
}

/// An [`Action`] kept under `key` (see [`kept`]).
pub fn kept_action(key: &str) -> Action {
    Action { outcome: kept(key, || Outcome::Idle) }
}

/// Counts the open details panels of `key` while the calling component lives; the returned
/// check is `poll_until`'s `alive`: polling stops once no panel of that backup is open.
pub fn panel_open(key: &str) -> impl Fn() -> bool + Copy + 'static {
    let open = kept(&format!("{key}:open"), || 0u32);
    open.update_untracked(|n| *n += 1);
    on_cleanup(move || open.update_untracked(|n| *n = n.saturating_sub(1)));
    move || open.try_get_untracked().is_some_and(|n| n > 0)
}

/// The message to show for a failed call: the provider's own words where it gave some.
pub fn said(error: &Error) -> String {
    error.to_string()
}

/// The first problem of `field`, if any.
pub fn problem(errors: &[FieldError], field: &str) -> Option<String> {
    errors.iter().find(|e| e.field == field).map(|e| e.message.clone())
}

/// A field's message: an icon and the word "Error", not only a color.
pub fn field_error(id: String, message: impl Fn() -> Option<String> + Send + Sync + 'static) -> impl IntoView {
    move || {
        message().map(|m| {
            view! {
                <p class="field-error" id=id.clone()>
                    <span class="icon" aria-hidden="true">"⚠"</span>
                    <span class="visually-hidden">"Error: "</span>
                    " "
                    {m}
                </p>
            }
        })
    }
}

/// A backup's name for sentences and labels (isolated: a name may carry bidi controls), or its
/// id when it has none.
pub fn title(backup: &backboard_core::Backup) -> String {
    if backup.name.is_empty() {
        backup.id.clone()
    } else {
        isolate(&backup.name)
    }
}

/// A connection's latest delete, shown below the list (the panel closes with the backup).
/// `provider` keeps each provider's notices apart.
pub fn notice_of(provider: &str, connection_id: &str) -> RwSignal<Option<Result<String, String>>> {
    kept(&format!("{provider}:{connection_id}:notice"), || None)
}

/// The time of day in UTC, "12:04:31", for "asked for at …".
pub fn clock() -> String {
    let t = crate::now();
    format!("{:02}:{:02}:{:02} UTC", t.hour(), t.minute(), t.second())
}

/// Hands a URL to the browser as a download: a new tab for a provider's link (its answer says
/// "attachment", so the page stays), or the file itself for a Blob URL with its name.
pub fn open_download(url: &str, file_name: Option<&str>) -> Result<(), String> {
    let anchor = document()
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        .ok_or("the browser could not open the link")?;
    anchor.set_href(url);
    anchor.set_rel("noopener noreferrer");
    match file_name {
        Some(name) => anchor.set_download(name),
        None => anchor.set_target("_blank"),
    }
    anchor.click();
    Ok(())
}

/// An in-page demo link (`demo://sim/...`), which the browser cannot open: the file is fetched
/// through the demo's transport and offered as a Blob URL instead. Returns the Blob URL and
/// the file's name (from `Content-Disposition`).
pub async fn demo_file(provider: Provider, url: &str) -> Result<(String, String), String> {
    let response = backboard_core::http::Transport::send(&FetchTransport, Request::new(Method::Get, url))
        .await
        .map_err(|e| e.to_string())?;
    if !response.is_success() {
        return Err(said(&Error::from_response(provider, &response)));
    }
    let name = response
        .header("content-disposition")
        .and_then(|d| d.split("filename=").nth(1))
        .map(|n| n.trim().trim_matches('"').to_string())
        .filter(|n| !n.is_empty() && !n.contains(['/', '\\']))
        .unwrap_or_else(|| "backup".into());
    let bytes = js_sys::Uint8Array::from(response.body.as_slice());
    let blob = web_sys::Blob::new_with_u8_array_sequence(&js_sys::Array::of1(&bytes))
        .map_err(|_| "the browser could not hold the file".to_string())?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "the browser could not offer the file".to_string())?;
    Ok((url, name))
}

/// Frees a Blob URL made by [`demo_file`].
pub fn revoke(url: &str) {
    if url.starts_with("blob:") {
        let _ = web_sys::Url::revoke_object_url(url);
    }
}

/// A `demo://` link in a JSON answer at `path` (e.g. `["data", "downloadLink"]`), for the
/// in-page demo only: the core rightly refuses anything but http(s) links from a provider.
pub fn demo_link(body: &[u8], path: &[&str]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let link = path.iter().try_fold(&value, |v, k| v.get(k))?.as_str()?;
    link.starts_with(&format!("{}/", crate::demo::BASE)).then(|| link.to_string())
}

/// A form's state: what was typed (kept as typed when something is wrong), whether a submit
/// was tried (messages show from then on), and the core validator's problems.
pub struct Form<F: Send + Sync + 'static> {
    pub values: RwSignal<F>,
    pub submitted: RwSignal<bool>,
    pub errors: Memo<Vec<FieldError>>,
    prefix: StoredValue<String>,
}

impl<F: Send + Sync + 'static> Clone for Form<F> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<F: Send + Sync + 'static> Copy for Form<F> {}

impl<F: Send + Sync + 'static> Form<F> {
    /// `problems` is the core's validator over the fields that apply (hidden ones left out).
    pub fn new(prefix: String, initial: F, problems: fn(&F) -> Vec<FieldError>) -> Self {
        let values = RwSignal::new(initial);
        Self {
            values,
            submitted: RwSignal::new(false),
            errors: Memo::new(move |_| values.with(problems)),
            prefix: StoredValue::new(prefix),
        }
    }

    pub fn id(self, field: &str) -> String {
        format!("{}-{field}", self.prefix.get_value())
    }

    /// The message shown next to `field` (after a submit was tried).
    pub fn error(self, field: &'static str) -> Option<String> {
        if self.submitted.get() {
            self.errors.with(|e| problem(e, field))
        } else {
            None
        }
    }

    /// After a refused submit: every message shows and the first field in `order` with a
    /// problem gets the focus.
    pub fn refuse(self, errors: &[FieldError], order: &[&str]) {
        self.submitted.set(true);
        if let Some(first) = order.iter().find(|f| errors.iter().any(|e| e.field == **f)) {
            focus(&self.id(first));
        }
    }

    /// "Nothing was sent: …" under the submit button, while there are problems.
    pub fn summary(self) -> impl IntoView {
        move || {
            let n = if self.submitted.get() { self.errors.with(Vec::len) } else { 0 };
            (n > 0).then(|| {
                let what = if n == 1 { "field needs a fix, it is" } else { "fields need a fix, they are" };
                view! {
                    <p class="error" role="alert">
                        <span class="icon" aria-hidden="true">"⚠"</span>
                        {format!(" Nothing was sent: {n} {what} marked above.")}
                    </p>
                }
            })
        }
    }
}

/// A labelled text box bound to one field of a form, with its hint and its message.
pub fn text_field<F: Send + Sync + 'static>(
    form: Form<F>,
    field: &'static str,
    label: &'static str,
    hint: &'static str,
    get: fn(&F) -> &String,
    set: fn(&mut F, String),
) -> impl IntoView {
    let id = form.id(field);
    let has_error = move || form.error(field).is_some();
    let described = {
        let id = id.clone();
        move || described_by(&id, !hint.is_empty(), has_error())
    };
    view! {
        <div class="field" class:invalid=has_error>
            <label for=id.clone()>{label}</label>
            <input id=id.clone() type="text" name=field autocomplete="off"
                prop:value=move || form.values.with(|f| get(f).clone())
                aria-invalid=move || has_error().then_some("true")
                aria-describedby=described
                on:input=move |ev| { let v = event_target_value(&ev); form.values.update(|f| set(f, v)) }/>
            {(!hint.is_empty()).then(|| view! { <p class="hint" id=format!("{id}-hint")>{hint}</p> })}
            {field_error(format!("{id}-error"), move || form.error(field))}
        </div>
    }
}

/// A labelled choice bound to one field of a form; `options` are (value, text).
pub fn select_field<F: Send + Sync + 'static>(
    form: Form<F>,
    field: &'static str,
    label: &'static str,
    options: &'static [(&'static str, &'static str)],
    get: fn(&F) -> &String,
    set: fn(&mut F, String),
) -> impl IntoView {
    let id = form.id(field);
    let has_error = move || form.error(field).is_some();
    let current = move || form.values.with(|f| get(f).clone());
    let described = {
        let id = id.clone();
        move || described_by(&id, false, has_error())
    };
    view! {
        <div class="field" class:invalid=has_error>
            <label for=id.clone()>{label}</label>
            <select id=id.clone() name=field
                aria-invalid=move || has_error().then_some("true")
                aria-describedby=described
                on:change=move |ev| { let v = event_target_value(&ev); form.values.update(|f| set(f, v)) }>
                {options.iter().map(|(value, text)| view! {
                    <option value=*value prop:selected=move || current() == *value>{*text}</option>
                }).collect_view()}
            </select>
            {field_error(format!("{id}-error"), move || form.error(field))}
        </div>
    }
}

/// A name to put inside a sentence: one that carries bidi controls (the simulator serves a
/// "\u{202E}" name, as a hostile record could) is wrapped in an isolate (FSI … PDI), so it
/// cannot reverse the words around it. Plain names are left as they are.
pub fn isolate(name: &str) -> String {
    let bidi = |c: char| matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    if name.chars().any(bidi) {
        format!("\u{2068}{name}\u{2069}")
    } else {
        name.to_string()
    }
}
