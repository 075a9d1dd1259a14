//! A minimal Leptos CSR page with one gloo-net fetch: what any such app costs before it does
//! anything. `cargo xtask bench` builds it the same way as the real SPA and compares sizes.

use leptos::prelude::*;

#[component]
fn App() -> impl IntoView {
    let text = LocalResource::new(|| async {
        match gloo_net::http::Request::get("./index.html").send().await {
            Ok(r) => r.text().await.unwrap_or_default().len().to_string(),
            Err(e) => e.to_string(),
        }
    });
    view! { <p>"fetched " {move || text.get()} " bytes"</p> }
}

fn main() {
    leptos::mount::mount_to_body(App);
}
