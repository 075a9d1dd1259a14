//! A load shown as it goes: read when made, again when a signal the read tracks changes or on
//! [`Loaded::refetch`]; a stale answer is dropped. The value is erased so that one load type
//! (its code compiled once) serves every load of the SPA.
//!
//! Not Leptos's `LocalResource`: measured, its async machinery added 9.0 KB gzip to the SPA for
//! these three small reads (an effect and a task, as here, hold the same behaviour).

use std::any::Any;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::rc::Rc;

use leptos::prelude::*;

type Fetched = Result<Rc<dyn Any>, String>;
type Fetch = Box<dyn Fn() -> Pin<Box<dyn Future<Output = Fetched>>>>;

/// Something read from a provider: `None` while it is read, then the answer or what went wrong.
pub struct Loaded<T> {
    value: RwSignal<Option<Fetched>, LocalStorage>,
    again: Trigger,
    ty: PhantomData<fn() -> T>,
}

impl<T> Clone for Loaded<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Loaded<T> {}

#[inline(never)]
fn start(fetch: Fetch) -> (RwSignal<Option<Fetched>, LocalStorage>, Trigger) {
    let value = RwSignal::new_local(None);
    let again = Trigger::new();
    let generation = StoredValue::new(0u64);
    Effect::new(move |_| {
        again.track();
        let read = fetch();
        let this = generation.get_value() + 1;
        generation.set_value(this);
        value.set(None);
        leptos::task::spawn_local(async move {
            let answer = read.await;
            if generation.try_get_value() == Some(this) {
                let _ = value.try_set(Some(answer));
            }
        });
    });
    (value, again)
}

impl<T: 'static> Loaded<T> {
    pub fn new<F, Fu>(fetch: F) -> Self
    where
        F: Fn() -> Fu + 'static,
        Fu: Future<Output = Result<T, String>> + 'static,
    {
        let fetch: Fetch = Box::new(move || {
            let read = fetch();
            Box::pin(async move { read.await.map(|value| Rc::new(value) as Rc<dyn Any>) })
        });
        let (value, again) = start(fetch);
        Loaded { value, again, ty: PhantomData }
    }

    /// The answer so far (tracked).
    pub fn get(self) -> Option<Result<Rc<T>, String>> {
        let fetched = self.value.get()?;
        Some(fetched.map(|value| value.downcast::<T>().expect("a load keeps its type")))
    }

    pub fn refetch(self) {
        self.again.notify();
    }
}
