//! A team's workspace at the edge, as pure decisions: the worker stores and fetches, these
//! decide.
//!
//! - `role`: roles, what each route does ([`Act`]), and who may do it (default deny).
//! - `routes`: every route a workspace answers, each with its act.

pub mod role;
pub mod routes;

pub use role::{permitted, Act, Role};
