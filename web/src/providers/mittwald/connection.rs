//! mittwald's part of the connection form: a project, with mittwald's own list filters.

use backboard_core::providers::mittwald::{Account as Project, ListQuery, SortOrder};
use backboard_core::Connection;
use backboard_core::{Account, Provider};
use leptos::prelude::*;

use crate::providers::draft::{Draft, Kind};
use crate::ui::Form;

pub const KIND: Kind = Kind {
    value: "mittwald",
    label: "mittwald project",
    ids: &["Project id (uuid)"],
    provider: Provider::Mittwald,
    options: true,
    account: |draft, token| {
        Account::Mittwald(Project {
            token,
            project_id: draft.id(0),
            query: ListQuery {
                search_term: Some(draft.option("searchTerm").trim().to_string()).filter(|s| !s.is_empty()),
                with_exports_only: draft.flag("withExportsOnly").then_some(true),
                sort_order: Some(draft.option("sortOrder")).filter(|s| !s.is_empty()).map(|s| SortOrder::parse(s)),
                running_restores_only: draft.flag("runningRestoresOnly").then_some(true),
            },
        })
    },
};

/// The form filled from a project's connection.
pub fn draft(account: &Project, draft: &mut Draft) {
    draft.kind = KIND.value.into();
    draft.ids[0] = account.project_id.clone();
    let q = &account.query;
    draft.set_option("searchTerm", q.search_term.clone().unwrap_or_default());
    draft.set_option("sortOrder", q.sort_order.as_ref().map(|s| s.to_string()).unwrap_or_default());
    draft.set_flag("withExportsOnly", q.with_exports_only.unwrap_or(false));
    draft.set_flag("runningRestoresOnly", q.running_restores_only.unwrap_or(false));
}

const ORDERS: [(&str, &str); 3] =
    [("", "mittwald's default"), ("newestFirst", "Newest first"), ("oldestFirst", "Oldest first")];

/// mittwald's own filters of the list.
pub fn filters(form: Form<Draft, Connection>) -> AnyView {
    view! {
        <fieldset class="fields mittwald-filters">
            <legend>"mittwald's own filters"</legend>
            {form.field("searchTerm", "Search term", |d| d.option("searchTerm"), |d, v| d.set_option("searchTerm", v)).input()}
            {form.field("sortOrder", "Order", |d| d.option("sortOrder"), |d, v| d.set_option("sortOrder", v)).select(ORDERS.to_vec())}
            {form.checkbox("withExportsOnly", "Only backups with an export", |d| d.flag("withExportsOnly"), |d, on| d.set_flag("withExportsOnly", on))}
            {form.checkbox("runningRestoresOnly", "Only backups being restored", |d| d.flag("runningRestoresOnly"), |d, on| d.set_flag("runningRestoresOnly", on))}
        </fieldset>
    }
    .into_any()
}
