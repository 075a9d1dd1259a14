//! The build writes the app's first screen into `index.html` (`crates/xtask/src/shell.rs`), so
//! the page paints before the wasm has arrived. Here the live app takes its place, in the same
//! task that mounts it: no frame shows both, or neither. A control focused or a button pressed
//! in the shell is focused or pressed in the app.

use backboard_core::page::{PRESSED_ATTR, SHELL_ATTR};
use leptos::prelude::IntoView;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, Node};

/// Mounts `app` to `<body>` and removes the shell it replaces, with the keyboard focus moved to
/// the same control in the app when a visitor had already reached one.
pub fn mount_over_shell<F, N>(app: F)
where
    F: FnOnce() -> N + 'static,
    N: IntoView,
{
    let body = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body());
    let Some(body) = body.filter(|b| b.has_attribute(SHELL_ATTR)) else {
        return leptos::mount::mount_to_body(app);
    };
    let shell: Vec<Node> = (0..body.child_nodes().length()).filter_map(|i| body.child_nodes().item(i)).collect();
    let focused = body.owner_document().and_then(|d| d.active_element()).filter(|e| e != body.as_ref() as &Element);
    leptos::mount::mount_to_body(app);
    for node in &shell {
        let _ = body.remove_child(node);
    }
    let _ = body.remove_attribute(SHELL_ATTR);
    if let Some(twin) = focused.and_then(|f| twin_of(&body, &f)) {
        let _ = twin.focus();
    }
    // A button pressed before the app started (the page's head script names it) is pressed now.
    let root = body.owner_document().and_then(|d| d.document_element());
    if let Some(text) = root.as_ref().and_then(|r| r.get_attribute(PRESSED_ATTR)) {
        let _ = root.map(|r| r.remove_attribute(PRESSED_ATTR));
        if let Some(button) = button_saying(&body, &text) {
            button.click();
        }
    }
}

/// The app's button whose text is `text`.
fn button_saying(body: &HtmlElement, text: &str) -> Option<HtmlElement> {
    let buttons = body.query_selector_all("button").ok()?;
    (0..buttons.length())
        .filter_map(|i| buttons.item(i)?.dyn_into::<HtmlElement>().ok())
        .find(|b| b.text_content().as_deref() == Some(text))
}

/// The app's control that stands where `shell_control` stood: same element, same text, same link.
fn twin_of(body: &HtmlElement, shell_control: &Element) -> Option<HtmlElement> {
    let tag = shell_control.tag_name().to_ascii_lowercase();
    let (text, href) = (shell_control.text_content(), shell_control.get_attribute("href"));
    let candidates = body.query_selector_all(&tag).ok()?;
    (0..candidates.length())
        .filter_map(|i| candidates.item(i)?.dyn_into::<HtmlElement>().ok())
        .find(|e| e.text_content() == text && e.get_attribute("href") == href)
}
