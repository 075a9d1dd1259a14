//! The one form toolkit. A [`Form`] holds what was typed, judges it with the core's validator
//! (which also builds the typed request to send) and shows the messages next to their fields.
//!
//! When a message shows, the same rule in every form: a field's problem shows once the field has
//! been left (blur, but not for the submit button) or, for a choice, changed, and every problem
//! shows once a submit was tried; from then on the messages follow the typing. What the provider
//! said about a field shows until that field is edited. A problem of the whole form (field name
//! `""`) shows above the submit button, by the same rule. A form that sends
//! ([`Form::submit_to`]) does nothing while its action runs.

use std::sync::Arc;

use backboard_core::FieldError;
use leptos::ev::{FocusEvent, SubmitEvent};
use leptos::prelude::*;
use leptos::text_prop::TextProp;
use wasm_bindgen::JsCast;

use super::task::Task;

/// A field's value as the form holds it, and the change typing makes (the form's type erased, so
/// that the controls are compiled once).
type Getter<T> = Arc<dyn Fn() -> T + Send + Sync>;
type Setter<T> = Arc<dyn Fn(T) + Send + Sync>;

/// The core's validator of a form: the typed request, or the problems by field.
pub type Check<F, R> = fn(&F) -> Result<R, Vec<FieldError>>;

/// What a form shows next to its fields, whatever its values are (so that every form's fields
/// are drawn by the same code, compiled once).
#[derive(Clone, Copy)]
pub struct Feedback {
    /// The validator's problems with what is typed now.
    problems: Memo<Vec<FieldError>>,
    touched: RwSignal<Vec<&'static str>>,
    submitted: RwSignal<bool>,
    /// The provider's own messages about fields, from its last answer.
    said: RwSignal<Vec<FieldError>>,
    prefix: StoredValue<String>,
    /// Controls to focus for a field other than its own id (a group's first filled row).
    aims: StoredValue<Vec<(&'static str, String)>>,
}

/// `databaseRestores` covers `databaseRestores.targetDatabaseId` too.
fn covers(field: &str, name: &str) -> bool {
    field == name || (!name.is_empty() && field.strip_prefix(name).is_some_and(|rest| rest.starts_with('.')))
}

/// The messages about `name` in `list`, once each, or None.
fn messages(list: &[FieldError], name: &str) -> Option<String> {
    let mut found: Vec<&str> = Vec::new();
    for e in list.iter().filter(|e| covers(e.field, name)) {
        if !found.contains(&e.message.as_str()) {
            found.push(&e.message);
        }
    }
    (!found.is_empty()).then(|| found.join(" "))
}

/// Moves the keyboard focus to the element with this id.
pub fn focus(id: &str) {
    let element = document().get_element_by_id(id);
    if let Some(element) = element.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = element.focus();
    }
}

impl Feedback {
    /// The id of the control of `name`.
    pub fn id(self, name: &str) -> String {
        format!("{}-{}", self.prefix.with_value(String::clone), name.replace('.', "-"))
    }

    /// What to show next to `name` now, by the rule above.
    pub fn message(self, name: &'static str) -> Option<String> {
        let shown = self.submitted.get() || self.touched.with(|t| t.contains(&name));
        shown
            .then(|| self.problems.with(|p| messages(p, name)))
            .flatten()
            .or_else(|| self.said.with(|s| messages(s, name)))
    }

    pub fn invalid(self, name: &'static str) -> bool {
        self.message(name).is_some()
    }

    /// The field was left (or a choice made): its problems show from now on.
    pub fn touch(self, name: &'static str) {
        if !self.touched.with_untracked(|t| t.contains(&name)) {
            self.touched.update(|t| t.push(name));
        }
    }

    /// The control of `name` lost the focus. Leaving it for the form's submit button does not
    /// count: the submit shows every problem at once, while a message appearing between press and
    /// release would move the button from under the pointer (and the click would be lost).
    pub fn leave(self, name: &'static str, ev: &FocusEvent) {
        let to_submit = ev
            .related_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|e| e.get_attribute("type").as_deref() == Some("submit"));
        if !to_submit {
            self.touch(name);
        }
    }

    /// `name` was edited: what the provider said about it no longer applies.
    fn edited(self, name: &'static str) {
        if self.said.with_untracked(|s| s.iter().any(|e| covers(e.field, name))) {
            self.said.update(|s| s.retain(|e| !covers(e.field, name)));
        }
    }

    /// A submit begins: the provider's last messages go, and the values are judged anew.
    #[inline(never)]
    fn submitting(self, clock: Trigger) {
        self.said.set(Vec::new());
        clock.notify();
    }

    /// A refused submit: every problem shows, and the first field in `order` with one (or the
    /// control aimed at for it) gets the focus.
    #[inline(never)]
    fn refuse(self, errors: &[FieldError], order: &[&'static str]) {
        self.submitted.set(true);
        let first = order.iter().chain(&[""]).find(|n| errors.iter().any(|e| covers(e.field, n)));
        if let Some(name) = first {
            let aimed = self.aims.with_value(|a| a.iter().find(|(n, _)| n == name).map(|(_, id)| id.clone()));
            focus(&aimed.unwrap_or_else(|| self.id(name)));
        }
    }

    /// `aria-describedby` of the control of `name`: its hint, and its message while there is one.
    pub fn described_by(self, name: &'static str, hint: bool) -> impl Fn() -> Option<String> + Send + Sync + 'static {
        let id = self.id(name);
        move || {
            let ids: Vec<String> =
                [hint.then(|| format!("{id}-hint")), self.invalid(name).then(|| format!("{id}-error"))]
                    .into_iter()
                    .flatten()
                    .collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    }

    /// The hint and the message under the control of `name`. The message is text with an icon,
    /// never color alone; its slot keeps its line while empty, so a message appearing when a
    /// field is left does not move the submit button from under a click that started on it.
    pub fn notes(self, name: &'static str, hint: Option<String>) -> AnyView {
        let id = self.id(name);
        let hint_id = format!("{id}-hint");
        let error_id = format!("{id}-error");
        view! {
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            <div class="error-slot">
                {move || self.message(name).map(|m| view! {
                    <p class="field-error" id=error_id.clone()>
                        <span class="icon" aria-hidden="true">"⚠"</span>
                        <span class="visually-hidden">"Error: "</span>
                        " "
                        {m}
                    </p>
                })}
            </div>
        }
        .into_any()
    }

    /// "Nothing was sent: …" under the submit button, while fields have problems after a submit.
    pub fn summary(self) -> AnyView {
        (move || {
            let n = if self.submitted.get() {
                self.problems.with(|p| {
                    let mut fields: Vec<&str> = p.iter().map(|e| e.field).filter(|f| !f.is_empty()).collect();
                    fields.sort_unstable();
                    fields.dedup();
                    fields.len()
                })
            } else {
                0
            };
            (n > 0).then(|| {
                let what = if n == 1 { "field needs a fix, it is" } else { "fields need a fix, they are" };
                view! {
                    <p class="error" role="alert">
                        <span class="icon" aria-hidden="true">"⚠"</span>
                        {format!(" Nothing was sent: {n} {what} marked above.")}
                    </p>
                }
            })
        })
        .into_any()
    }

    /// A problem of the whole form (no field of its own).
    pub fn alert(self) -> AnyView {
        (move || self.message("").map(|m| view! { <p class="error" role="alert">"⚠ " {m}</p> })).into_any()
    }
}

/// A form's values and its validator, with the [`Feedback`] its fields show; `Copy`.
pub struct Form<F: Send + Sync + 'static, R: 'static> {
    pub values: RwSignal<F>,
    check: Check<F, R>,
    /// Judges the values again at each submit, so that "in the future" means then.
    clock: Trigger,
    /// Fields in the order the form shows them: the first with a problem gets the focus.
    order: &'static [&'static str],
    pub feedback: Feedback,
}

impl<F: Send + Sync + 'static, R: 'static> Clone for Form<F, R> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<F: Send + Sync + 'static, R: 'static> Copy for Form<F, R> {}

impl<F: Send + Sync + 'static, R: 'static> Form<F, R> {
    /// `prefix` makes the controls' ids; `order` lists the fields as the form shows them.
    pub fn new(prefix: impl Into<String>, initial: F, check: Check<F, R>, order: &'static [&'static str]) -> Self {
        let values = RwSignal::new(initial);
        let clock = Trigger::new();
        let feedback = Feedback {
            problems: Memo::new(move |_| {
                clock.track();
                values.with(|v| check(v).err().unwrap_or_default())
            }),
            touched: RwSignal::new(Vec::new()),
            submitted: RwSignal::new(false),
            said: RwSignal::new(Vec::new()),
            prefix: StoredValue::new(prefix.into()),
            aims: StoredValue::new(Vec::new()),
        };
        Self { values, check, clock, order, feedback }
    }

    pub fn id(self, name: &str) -> String {
        self.feedback.id(name)
    }

    pub fn invalid(self, name: &'static str) -> bool {
        self.feedback.invalid(name)
    }

    pub fn touch(self, name: &'static str) {
        self.feedback.touch(name)
    }

    pub fn leave(self, name: &'static str, ev: &FocusEvent) {
        self.feedback.leave(name, ev)
    }

    pub fn described_by(self, name: &'static str, hint: bool) -> impl Fn() -> Option<String> + Send + Sync + 'static {
        self.feedback.described_by(name, hint)
    }

    pub fn notes(self, name: &'static str, hint: Option<String>) -> AnyView {
        self.feedback.notes(name, hint)
    }

    pub fn summary(self) -> AnyView {
        self.feedback.summary()
    }

    pub fn alert(self) -> AnyView {
        self.feedback.alert()
    }

    /// Changes the values; what the provider said about `name` no longer applies.
    pub fn set(self, name: &'static str, change: impl FnOnce(&mut F)) {
        self.values.update(change);
        self.feedback.edited(name);
    }

    /// Focus `id` instead of the field's own control when `name` is the first with a problem.
    pub fn aim(self, name: &'static str, id: String) {
        self.feedback.aims.update_value(|a| {
            a.retain(|(n, _)| *n != name);
            a.push((name, id));
        });
    }

    /// A submit: the typed request when the validator accepts the values, else None with every
    /// problem shown and the first field with one focused. The provider's last messages go.
    pub fn try_submit(self) -> Option<R> {
        self.feedback.submitting(self.clock);
        self.values.with_untracked(self.check).map_err(|errors| self.feedback.refuse(&errors, self.order)).ok()
    }

    /// The form's submit handler for an action: nothing while `task` runs (no double submit:
    /// a second click, Enter or a scripted submit do nothing), and a valid form runs it with the
    /// typed request (`input` adds what else the run needs).
    pub fn submit_to<I: 'static>(
        self,
        task: Task<I>,
        busy: &'static str,
        input: impl Fn(R) -> Option<I> + Copy + 'static,
    ) -> impl Fn(SubmitEvent) + Copy + 'static {
        move |ev| {
            ev.prevent_default();
            if task.pending() {
                return;
            }
            if let Some(run) = self.try_submit().and_then(input) {
                task.run(busy, run);
            }
        }
    }

    /// The provider refused, saying what is wrong with which fields.
    pub fn refused(self, errors: Vec<FieldError>) {
        self.feedback.said.set(errors);
    }

    /// Fresh feedback for the next submit (after one went through); the values stay.
    pub fn reset(self) {
        self.feedback.touched.set(Vec::new());
        self.feedback.submitted.set(false);
        self.feedback.said.set(Vec::new());
    }

    /// A labelled text box for `name`; finish it with [`Field::input`] or [`Field::select`].
    pub fn field(
        self,
        name: &'static str,
        label: impl Into<TextProp>,
        get: fn(&F) -> &String,
        set: fn(&mut F, String),
    ) -> Field {
        Field::new(
            self.feedback,
            name,
            label.into(),
            Arc::new(move || self.values.with(|f| get(f).clone())),
            Arc::new(move |v| self.set(name, |f| set(f, v))),
        )
    }

    /// A labelled checkbox for `name` (a choice: it counts as touched once changed).
    pub fn checkbox(
        self,
        name: &'static str,
        label: &'static str,
        get: fn(&F) -> bool,
        set: fn(&mut F, bool),
    ) -> AnyView {
        checkbox(
            self.feedback,
            name,
            label,
            Arc::new(move || self.values.with(get)),
            Arc::new(move |on| self.set(name, |f| set(f, on))),
        )
    }
}

#[inline(never)]
fn checkbox(
    feedback: Feedback,
    name: &'static str,
    label: &'static str,
    value: Getter<bool>,
    set: Setter<bool>,
) -> AnyView {
    view! {
        <div class="field check">
            <label>
                <input id=feedback.id(name) type="checkbox" name=name
                    prop:checked=move || value()
                    on:change=move |ev| {
                        set(event_target_checked(&ev));
                        feedback.touch(name);
                    }/>
                " " {label}
            </label>
        </div>
    }
    .into_any()
}

/// One labelled control of a form, with its hint and its message.
pub struct Field {
    feedback: Feedback,
    name: &'static str,
    label: TextProp,
    label_hidden: bool,
    hint: Option<String>,
    placeholder: Option<TextProp>,
    kind: &'static str,
    numeric: bool,
    blank: Option<&'static str>,
    disabled: Option<Signal<bool>>,
    value: Getter<String>,
    set: Setter<String>,
}

impl Field {
    #[inline(never)]
    fn new(
        feedback: Feedback,
        name: &'static str,
        label: TextProp,
        value: Getter<String>,
        set: Setter<String>,
    ) -> Self {
        Field {
            feedback,
            name,
            label,
            label_hidden: false,
            hint: None,
            placeholder: None,
            kind: "text",
            numeric: false,
            blank: None,
            disabled: None,
            value,
            set,
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn placeholder(mut self, placeholder: impl Into<TextProp>) -> Self {
        self.placeholder = Some(placeholder.into());
        self
    }

    /// The input's type (`password`, `datetime-local`); text by default.
    pub fn kind(mut self, kind: &'static str) -> Self {
        self.kind = kind;
        self
    }

    /// A number is typed: phones show digits.
    pub fn numeric(mut self) -> Self {
        self.numeric = true;
        self
    }

    /// The label is for assistive technology only (the control explains itself on screen).
    pub fn label_hidden(mut self) -> Self {
        self.label_hidden = true;
        self
    }

    /// A choice's first option, for no choice yet.
    pub fn blank(mut self, text: &'static str) -> Self {
        self.blank = Some(text);
        self
    }

    pub fn disabled(mut self, disabled: Signal<bool>) -> Self {
        self.disabled = Some(disabled);
        self
    }

    fn label_view(&self, id: &str) -> impl IntoView {
        let label = self.label.clone();
        view! { <label for=id.to_string() class:visually-hidden=self.label_hidden>{move || label.get()}</label> }
    }

    /// The field as a text box (typing changes the value; leaving it shows its problems).
    pub fn input(self) -> AnyView {
        let Field { feedback, name, disabled, numeric, kind, .. } = self;
        let (value, set) = (self.value.clone(), self.set.clone());
        let id = feedback.id(name);
        let placeholder = self.placeholder.clone();
        view! {
            <div class="field" class:invalid=move || feedback.invalid(name)>
                {self.label_view(&id)}
                <input id=id type=kind name=name autocomplete="off"
                    inputmode=numeric.then_some("numeric")
                    placeholder=move || placeholder.as_ref().map(|p| p.get())
                    disabled=move || disabled.is_some_and(|d| d.get())
                    prop:value=move || value()
                    aria-invalid=move || feedback.invalid(name).then_some("true")
                    aria-describedby=feedback.described_by(name, self.hint.is_some())
                    on:input=move |ev| set(event_target_value(&ev))
                    on:blur=move |ev| feedback.leave(name, &ev)/>
                {feedback.notes(name, self.hint.clone())}
            </div>
        }
        .into_any()
    }

    /// The field as a choice of `options`, (value, text) each.
    pub fn select(self, options: Vec<(&'static str, &'static str)>) -> AnyView {
        let Field { feedback, name, disabled, blank, .. } = self;
        let (value, set) = (self.value.clone(), self.set.clone());
        let id = feedback.id(name);
        let options = blank.map(|b| ("", b)).into_iter().chain(options);
        view! {
            <div class="field" class:invalid=move || feedback.invalid(name)>
                {self.label_view(&id)}
                <select id=id name=name
                    disabled=move || disabled.is_some_and(|d| d.get())
                    aria-invalid=move || feedback.invalid(name).then_some("true")
                    aria-describedby=feedback.described_by(name, self.hint.is_some())
                    on:change=move |ev| {
                        set(event_target_value(&ev));
                        feedback.touch(name);
                    }
                    on:blur=move |ev| feedback.leave(name, &ev)>
                    {options.map(|(option, text)| {
                        let value = value.clone();
                        view! { <option value=option prop:selected=move || value() == option>{text}</option> }
                    }).collect_view()}
                </select>
                {feedback.notes(name, self.hint.clone())}
            </div>
        }
        .into_any()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn a_group_covers_its_members_and_messages_show_once() {
        assert!(covers("databaseRestores.targetDatabaseId", "databaseRestores"));
        assert!(covers("ttl", "ttl"));
        assert!(!covers("ttlx", "ttl"));
        assert!(!covers("ttl", ""));
        let list = [FieldError::new("a.b", "Wrong."), FieldError::new("a", "Wrong."), FieldError::new("a", "Short.")];
        assert_eq!(messages(&list, "a").as_deref(), Some("Wrong. Short."));
        assert_eq!(messages(&list, "b"), None);
    }
}
