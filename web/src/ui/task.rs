//! One action of a button or form: Leptos's local [`Action`], the words shown while it runs, and
//! its answer. A click or submit while it runs does nothing (no double submit).

use std::future::Future;

use leptos::prelude::*;

/// An action's answer: `Ok` is the success in words, `Err` what went wrong.
pub type Said = Result<String, String>;

/// What an action shows next to its button or form.
#[derive(Clone, Copy)]
pub struct Progress {
    pending: Memo<bool>,
    value: MappedSignal<Option<Said>>,
    busy: RwSignal<String>,
}

impl Progress {
    /// Whether the work runs now (tracked).
    pub fn pending(self) -> bool {
        self.pending.try_get().unwrap_or(false)
    }

    /// An answer that came after the work returned (a poll that settled), unless it runs again.
    pub fn settle(self, said: Said) {
        if self.pending.try_get_untracked() == Some(false) {
            let _ = self.value.try_set(Some(said));
        }
    }

    /// Forgets the last answer (a destructive action asks again).
    pub fn clear(self) {
        let _ = self.value.try_set(None);
    }
}

/// What a running action's work says it is doing (shown while it runs).
#[derive(Clone, Copy)]
pub struct Say(RwSignal<String>);

impl Say {
    pub fn say(self, text: impl Into<String>) {
        self.0.set(text.into());
    }
}

/// One action. `I` is what each run is given (often the typed request a form validated).
pub struct Task<I: 'static> {
    action: Action<I, Said>,
    pub progress: Progress,
}

impl<I: 'static> Clone for Task<I> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<I: 'static> Copy for Task<I> {}

impl<I: 'static> Task<I> {
    pub fn new<F, Fu>(work: F) -> Self
    where
        F: Fn(&I) -> Fu + 'static,
        Fu: Future<Output = Said> + 'static,
    {
        Self::new_saying(|_| work)
    }

    /// An action whose work says how it goes while it runs (a page of a long read, a poll).
    pub fn new_saying<M, F, Fu>(make: M) -> Self
    where
        M: FnOnce(Say) -> F,
        F: Fn(&I) -> Fu + 'static,
        Fu: Future<Output = Said> + 'static,
    {
        let busy = RwSignal::new(String::new());
        let action = Action::new_local(make(Say(busy)));
        Self { action, progress: Progress { pending: action.pending(), value: action.value(), busy } }
    }

    /// Starts the work with `input`, saying `busy` meanwhile, unless it runs already.
    pub fn run(self, busy: impl Into<String>, input: I) {
        if self.progress.pending.get_untracked() {
            return;
        }
        self.progress.busy.set(busy.into());
        self.action.dispatch_local(input);
    }

    pub fn pending(self) -> bool {
        self.progress.pending()
    }
}

/// A line of status: a polite status while busy or on success, an alert on failure; an icon and
/// words, never color alone.
pub fn status_line(busy: bool, said: Said) -> AnyView {
    match (busy, said) {
        (true, Ok(text) | Err(text)) => view! { <p class="action-status busy" role="status">{text}</p> }.into_any(),
        (false, Ok(text)) => view! { <p class="action-status ok" role="status">"✓ " {text}</p> }.into_any(),
        (false, Err(text)) => view! { <p class="action-status error" role="alert">"⚠ " {text}</p> }.into_any(),
    }
}

/// An action's words while it runs, then its answer.
#[component]
pub fn OutcomeView(progress: Progress) -> impl IntoView {
    move || {
        if progress.pending() {
            return progress.busy.try_get().map(|text| status_line(true, Ok(text)));
        }
        progress.value.try_get().flatten().map(|said| status_line(false, said))
    }
}
