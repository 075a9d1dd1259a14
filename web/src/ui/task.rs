//! One action of a button or form: Leptos's local [`Action`], the words shown while it runs, and
//! its answer. A click or submit while it runs does nothing (no double submit).

use std::any::Any;
use std::cell::RefCell;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

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

    /// What went wrong the last time (tracked), for actions that say nothing on success.
    pub fn failure(self) -> Option<String> {
        self.value.try_get().flatten().and_then(Result::err)
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

/// The work of one run: a boxed future, so that one Leptos action type (its code compiled once)
/// runs every task.
type Job = Pin<Box<dyn Future<Output = Said>>>;

/// The input of the action: the run's work, taken out when it starts.
struct JobCell(RefCell<Option<Job>>);

/// A task's work, given its input (erased, so that starting a run is compiled once).
type Work = Box<dyn Fn(Box<dyn Any>) -> Job>;

/// The Leptos action under every task, and what it shows.
#[derive(Clone, Copy)]
struct Runner {
    action: Action<JobCell, Said>,
    progress: Progress,
}

impl Runner {
    #[inline(never)]
    fn new(busy: RwSignal<String>) -> Self {
        let action = Action::new_local(|job: &JobCell| {
            job.0.borrow_mut().take().unwrap_or_else(|| Box::pin(async { Err("Nothing to do.".to_string()) }))
        });
        Runner { action, progress: Progress { pending: action.pending(), value: action.value(), busy } }
    }

    #[inline(never)]
    fn run(self, work: StoredValue<Work, LocalStorage>, busy: String, input: Box<dyn Any>) {
        if self.progress.pending.get_untracked() {
            return;
        }
        if let Some(job) = work.try_with_value(|work| work(input)) {
            self.progress.busy.set(busy);
            self.action.dispatch_local(JobCell(RefCell::new(Some(job))));
        }
    }
}

/// One action. `I` is what each run is given (often the typed request a form validated).
pub struct Task<I: 'static> {
    runner: Runner,
    work: StoredValue<Work, LocalStorage>,
    pub progress: Progress,
    input: PhantomData<fn(I)>,
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
        let work = make(Say(busy));
        let work: Work = Box::new(move |input: Box<dyn Any>| {
            let input = input.downcast::<I>().expect("a task's input keeps its type");
            Box::pin(work(&input))
        });
        let runner = Runner::new(busy);
        Self { runner, work: StoredValue::new_local(work), progress: runner.progress, input: PhantomData }
    }

    /// Starts the work with `input`, saying `busy` meanwhile, unless it runs already.
    pub fn run(self, busy: impl Into<String>, input: I) {
        self.runner.run(self.work, busy.into(), Box::new(input));
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
