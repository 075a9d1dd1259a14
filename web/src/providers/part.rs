//! What a provider's part of the app does for the rest of it. The rest only holds a
//! `&dyn Part` the part handed over, so every function behind it, the provider's parsers
//! included, is compiled into the part and downloaded with it.

use std::future::Future;
use std::pin::Pin;

use backboard_core::paging::{Options, Progress};
use backboard_core::providers::{ProviderApi, ScheduleSpec};
use backboard_core::{Backup, Connection, Error};
use leptos::prelude::*;

use super::Draft;
use crate::transport::{base_for, FetchTransport};
use crate::ui::Form;

/// Work a part does on the page's one thread.
pub type Work<T> = Pin<Box<dyn Future<Output = Result<T, Error>>>>;

/// One provider's part, as the rest of the app calls it.
pub trait Part {
    /// What a backup's details point out from its record.
    fn highlights(&self, backup: &Backup) -> Vec<AnyView>;
    /// The backup's actions, for its details panel.
    fn actions(&self, backup: Backup, connection: Connection) -> AnyView;
    /// The provider's tools on a source's page (create forms, schedules, archive views).
    fn tools(&self, connection: Connection) -> AnyView;
    /// The provider's own options in the connection form, below the ids.
    fn connection_options(&self, form: Form<Draft, Connection>) -> AnyView;
    /// Every backup of the connection, all pages, normalized.
    fn list(&self, connection: Connection, progress: Box<dyn FnMut(Progress)>) -> Work<Vec<Backup>>;
    /// The provider's backup schedules of the connection's source, for health.
    fn schedules(&self, connection: Connection) -> Work<Vec<ScheduleSpec>>;
}

/// What a provider's folder provides; its API's list and schedules come with it.
pub trait Views: Sync + 'static {
    type Api: ProviderApi;
    fn highlights(_backup: &Backup) -> Vec<AnyView> {
        Vec::new()
    }
    fn actions(backup: Backup, connection: Connection) -> AnyView;
    fn tools(connection: Connection) -> AnyView;
    fn connection_options(_form: Form<Draft, Connection>) -> AnyView {
        ().into_any()
    }
}

impl<V: Views> Part for V {
    fn highlights(&self, backup: &Backup) -> Vec<AnyView> {
        V::highlights(backup)
    }

    fn actions(&self, backup: Backup, connection: Connection) -> AnyView {
        V::actions(backup, connection)
    }

    fn tools(&self, connection: Connection) -> AnyView {
        V::tools(connection)
    }

    fn connection_options(&self, form: Form<Draft, Connection>) -> AnyView {
        V::connection_options(form)
    }

    fn list(&self, connection: Connection, mut progress: Box<dyn FnMut(Progress)>) -> Work<Vec<Backup>> {
        Box::pin(async move {
            let base = base_for(&connection);
            connection.list_backups_as::<V::Api, _>(&FetchTransport, &base, &Options::default(), &mut *progress).await
        })
    }

    fn schedules(&self, connection: Connection) -> Work<Vec<ScheduleSpec>> {
        Box::pin(async move { connection.schedules_as::<V::Api, _>(&FetchTransport, &base_for(&connection)).await })
    }
}
