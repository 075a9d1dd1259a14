//! The list owns what a backup's details hold: 200 backups' details opened and closed, one after
//! the other, leave no per-backup state and no reactive node of theirs behind.

use backboard_core::connection::{Account, Connection};
use backboard_core::providers::{mittwald, northflank};
use backboard_core::{Backup, Token};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

use crate::state::{AppState, Load};
use crate::table::BackupList;
use crate::ui::scope::{live, nodes_alive};
use crate::ui::Notices;

wasm_bindgen_test_configure!(run_in_browser);

const EACH: usize = 100;

fn connections() -> [Connection; 2] {
    [
        Connection {
            id: "nf".into(),
            label: "Addon".into(),
            account: Account::Northflank(northflank::Account {
                token: Token::new("t"),
                target: northflank::Target::Addon { project_id: "p".into(), addon_id: "a".into() },
            }),
        },
        Connection {
            id: "mw".into(),
            label: "Project".into(),
            account: Account::Mittwald(mittwald::Account {
                token: Token::new("t"),
                project_id: "3f7c2a9e-1b4d-4c8e-9a2f-6d5e4c3b2a10".into(),
                query: Default::default(),
            }),
        },
    ]
}

/// Backups with names no other contains (`n017z`), so a search finds exactly one.
fn backups(connections: &[Connection; 2]) -> [Vec<Backup>; 2] {
    let addon = (0..EACH)
        .map(|i| {
            let record = serde_json::json!({
                "id": format!("nf-{i}"), "name": format!("n{i:03}z"), "status": "completed",
                "config": { "size": "1024" }
            });
            let record = serde_json::from_value(record).unwrap();
            northflank::normalize(northflank::Listed::Addon(record), &connections[0].source())
        })
        .collect();
    let project = (0..EACH)
        .map(|i| {
            let record = serde_json::json!({
                "id": format!("mw-{i}"), "projectId": "3f7c2a9e-1b4d-4c8e-9a2f-6d5e4c3b2a10",
                "description": format!("m{i:03}z"), "status": "Completed", "deletable": true
            });
            mittwald::normalize(serde_json::from_value(record).unwrap(), &connections[1].source())
        })
        .collect();
    [addon, project]
}

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
    input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
}

#[wasm_bindgen_test]
async fn details_opened_and_closed_200_times_leave_no_state_behind() {
    let container = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&container).unwrap();
    let root: web_sys::Element = container.clone();
    let connections = connections();
    let [addon, project] = backups(&connections);
    let names: Vec<String> = addon.iter().chain(&project).map(|b| b.name.clone()).collect();
    let state = AppState {
        connections: RwSignal::new(connections.to_vec()),
        keep_on_device: RwSignal::new(false),
        loads: RwSignal::new(vec![("nf".into(), 1, Load::Done(addon)), ("mw".into(), 2, Load::Done(project))]),
        generation: StoredValue::new(2),
    };
    let handle = leptos::mount::mount_to(container.unchecked_into(), move || {
        provide_context(state);
        Notices::provide();
        view! { <BackupList/> }
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
    state.loads.update(|l| l.retain(|(id, _, _)| id != "nf"));
    settle().await;
    assert_eq!(live(), baseline, "a backup gone from the list leaves no state");
    drop(handle);
}
