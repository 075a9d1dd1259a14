//! Parts of the app loaded after the first render (wasm-split): shown once they have arrived,
//! and, when one cannot be loaded, a message in its place with a button that tries again.

use leptos::prelude::*;

/// A lazily loaded part could not be fetched (offline, or a newer deployment replaced it).
pub struct PartMissing;

impl From<wasm_split_helpers::SplitLoaderError> for PartMissing {
    fn from(_: wasm_split_helpers::SplitLoaderError) -> Self {
        PartMissing
    }
}

pub fn lazy_part<F, Fut>(what: &'static str, load: F) -> impl IntoView
where
    F: Fn() -> Fut + Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<AnyView, PartMissing>> + 'static,
{
    let attempt = RwSignal::new(0u32);
    view! {
        <Suspense fallback=|| ()>
            {move || {
                attempt.track();
                // Made here, under the view's owner, so what it reads from the context is there.
                let loading = load();
                // The loader's future lives on the page's one thread.
                Suspend::new(send_wrapper::SendWrapper::new(async move {
                    match loading.await {
                        Ok(part) => part,
                        Err(PartMissing) => view! {
                            <p class="error part-missing" role="alert">
                                {format!("The {what} could not be loaded (offline, or Backboard was updated). ")}
                                <button type="button" on:click=move |_| attempt.update(|n| *n += 1)>"Try again"</button>
                            </p>
                        }
                        .into_any(),
                    }
                }))
            }}
        </Suspense>
    }
}
