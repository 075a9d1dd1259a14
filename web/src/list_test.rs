//! The list owns what a backup's details hold: 200 backups' details opened and closed, one after
//! the other, leave no per-backup state and no reactive node of theirs behind.

use backboard_core::view::View;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

use crate::providers::samples::samples;
use crate::state::{AppState, Load};
use crate::table::BackupList;
use crate::ui::scope::{live, nodes_alive};
use crate::ui::Notices;

wasm_bindgen_test_configure!(run_in_browser);

/// Backups per provider: 201 in all, 200 of them opened and closed.
const EACH: usize = 67;

async fn settle() {
    for _ in 0..3 {
        gloo_timers::future::TimeoutFuture::new(0).await;
    }
}

fn find(root: &web_sys::Element, selector: &str) -> Option<web_sys::HtmlElement> {
    root.query_selector(selector).ok().flatten().and_then(|e| e.dyn_into().ok())
}

/// Waits until `selector` matches inside `root` (the lazily loaded actions arrive a few turns
/// after the panel).
async fn wait_for(root: &web_sys::Element, selector: &str) -> web_sys::HtmlElement {
    for _ in 0..200 {
        if let Some(found) = find(root, selector) {
            return found;
        }
        gloo_timers::future::TimeoutFuture::new(5).await;
    }
    panic!("nothing matched {selector}");
}

fn search(root: &web_sys::Element, text: &str) {
    let input: web_sys::HtmlInputElement = find(root, "input[type=search]").unwrap().unchecked_into();
    input.set_value(text);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    input.dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap()).unwrap();
}

#[wasm_bindgen_test]
async fn details_opened_and_closed_200_times_leave_no_state_behind() {
    let container = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&container).unwrap();
    let root: web_sys::Element = container.clone();
    let samples = samples(EACH);
    let mut names: Vec<String> = samples.iter().flat_map(|(_, list)| list.iter().map(|b| b.name.clone())).collect();
    names.truncate(200);
    let state = AppState {
        connections: RwSignal::new(samples.iter().map(|(c, _)| c.clone()).collect()),
        keep: RwSignal::new(crate::store::Keep::Tab),
        keep_error: RwSignal::new(None),
        loads: RwSignal::new(samples.into_iter().map(|(c, list)| (c.id, 1, Load::Done(list))).collect()),
        generation: StoredValue::new(1),
    };
    let handle = leptos::mount::mount_to(container.unchecked_into(), move || {
        provide_context(state);
        Notices::provide();
        let view = RwSignal::new(View::default());
        view! { <BackupList view=view/> }
    });
    settle().await;
    let (baseline, nodes_baseline) = (live(), nodes_alive());

    for name in &names {
        search(&root, name);
        settle().await;
        find(&root, "button.row-open").expect("the row is listed").click();
        // Each provider's actions, made with their per-backup state.
        wait_for(&root, "aside.details .provider-actions, aside.details .mw-actions").await;
        assert_eq!(live(), baseline + 1, "{name}: one backup's state while its details are open");
        find(&root, "button[aria-label='Close the details']").unwrap().click();
        settle().await;
        assert!(find(&root, "aside.details").is_none(), "{name}: the details closed");
        assert_eq!(live(), baseline, "{name}: its state is disposed once the details close");
    }
    assert_eq!(nodes_alive(), nodes_baseline, "no reactive node of 200 closed details is left");

    // A backup that leaves the list while open takes its state along.
    search(&root, &names[0]);
    settle().await;
    find(&root, "button.row-open").unwrap().click();
    wait_for(&root, "aside.details .provider-actions").await;
    assert_eq!(live(), baseline + 1);
    state.loads.update(|l| l.retain(|(_, _, load)| !load.backups().iter().any(|b| b.name == names[0])));
    settle().await;
    assert_eq!(live(), baseline, "a backup gone from the list leaves no state");
    drop(handle);
}
