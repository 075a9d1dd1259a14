//! The workspace's members, by email, each with a role: listed, added, their role changed,
//! removed. The worker refuses leaving the workspace without an admin, in words shown here.

use backboard_core::http::encode_component;
use backboard_core::workspace::client::{self, Member};
use backboard_core::workspace::Role;
use gloo_net::http::Method;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::json;

use super::call;

fn role_options(selected: String) -> impl IntoView {
    Role::ALL
        .iter()
        .map(|r| view! { <option value=r.as_str() selected=selected == r.as_str()>{r.as_str()}</option> })
        .collect_view()
}

#[component]
pub fn Members() -> impl IntoView {
    let members = RwSignal::new(Vec::<Member>::new());
    let admins = RwSignal::new(Vec::<String>::new());
    let error = RwSignal::new(None::<String>);
    let load = move || {
        spawn_local(async move {
            let read = call(Method::GET, "/members", None).await.and_then(|t| {
                Ok((client::list_of::<Member>(&t, "members")?, client::list_of::<String>(&t, "admins")?))
            });
            match read {
                Ok((list, named)) => {
                    members.set(list);
                    admins.set(named);
                }
                Err(e) => error.set(Some(e)),
            }
        })
    };
    load();
    let change = move |method: Method, email: String, body: Option<serde_json::Value>| {
        spawn_local(async move {
            match call(method, &format!("/members/{}", encode_component(&email)), body.as_ref()).await {
                Ok(_) => {
                    error.set(None);
                    load();
                }
                Err(e) => error.set(Some(e)),
            }
        })
    };
    let email = RwSignal::new(String::new());
    let role = RwSignal::new("viewer".to_string());
    let add_error = RwSignal::new(None::<String>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = json!({ "email": email.get_untracked().trim(), "role": role.get_untracked() });
        spawn_local(async move {
            match call(Method::POST, "/members", Some(&body)).await {
                Ok(_) => {
                    email.set(String::new());
                    add_error.set(None);
                    load();
                }
                Err(e) => add_error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="ws-members" aria-labelledby="members-title">
            <h2 id="members-title">"Members"</h2>
            {move || error.get().map(|e| view! { <p class="error" role="alert">"⚠ " {e}</p> })}
            {move || (!admins.with(Vec::is_empty)).then(|| view! {
                <p class="deployment-admins">"Admins named by the deployment (BACKBOARD_ADMINS): " {admins.get().join(", ")}</p>
            })}
            <table class="ws-table">
                <thead><tr><th scope="col">"Email"</th><th scope="col">"Role"</th><th scope="col"><span class="sr-only">"Actions"</span></th></tr></thead>
                <tbody>
                    <For each=move || members.get() key=|m| (m.email.clone(), m.role.clone()) let:m>
                        {
                            let (e1, e2) = (m.email.clone(), m.email.clone());
                            view! {
                                <tr>
                                    <td>{m.email.clone()}</td>
                                    <td>
                                        <select aria-label=format!("Role of {}", m.email)
                                            on:change=move |ev| change(Method::PATCH, e1.clone(), Some(json!({ "role": event_target_value(&ev) })))>
                                            {role_options(m.role.clone())}
                                        </select>
                                    </td>
                                    <td><button type="button" class="danger" aria-label=format!("Remove {}", m.email)
                                        on:click=move |_| change(Method::DELETE, e2.clone(), None)>"Remove"</button></td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
            <form class="ws-form" aria-label="Add a member" on:submit=add>
                <div class="field">
                    <label for="member-email">"Email"</label>
                    <input id="member-email" type="email" required=true prop:value=move || email.get()
                        on:input=move |ev| email.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="member-role">"Role"</label>
                    <select id="member-role" on:change=move |ev| role.set(event_target_value(&ev))>{role_options("viewer".into())}</select>
                </div>
                {move || add_error.get().map(|e| view! { <p class="error" role="alert">"⚠ " {e}</p> })}
                <div class="actions"><button type="submit" class="primary">"Add member"</button></div>
            </form>
        </section>
    }
}
