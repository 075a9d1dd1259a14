//! backboard-core: everything Backboard knows about ServerAvatar, Northflank and mittwald
//! backups, with no I/O of its own. Hosts (browser, worker, tests) provide a [`http::Transport`].

pub mod answer;
pub mod connection;
pub mod cron;
pub mod de;
pub mod display;
pub mod edge;
pub mod error;
pub mod health;
pub mod history;
pub mod http;
pub mod model;
pub mod monitor;
pub mod page;
pub mod paging;
pub mod provider;
pub mod providers;
pub mod proxy;
pub mod route;
pub mod search;
pub mod secret;
pub mod vault;
pub mod view;
pub mod workspace;

pub use connection::Connection;
pub use error::{Error, FieldError};
pub use http::{Method, Request, Response, Transport, TransportError};
pub use model::{Backup, Status};
pub use provider::Provider;
pub use providers::Account;
pub use secret::Token;
