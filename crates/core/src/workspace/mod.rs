//! A team's workspace at the edge, as pure decisions: the worker stores and fetches, these
//! decide.
//!
//! - `role`: roles, what each route does ([`Act`]), and who may do it (default deny).
//! - `routes`: every route a workspace answers, each with its act.
//! - `keyring`: the sealing keys from the worker secret, current and older.
//! - `seal`: provider tokens sealed at rest (AES-256-GCM, bound to their connection), and rotation.

pub mod keyring;
pub mod role;
pub mod routes;
pub mod seal;

pub use role::{permitted, Act, Role};
