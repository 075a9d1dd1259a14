//! A team's workspace at the edge, as pure decisions: the worker stores, fetches and draws the
//! random bytes; these decide. Time comes in as `now`.
//!
//! - `role`: roles, what a route does ([`Act`]), and who may do it.
//! - `routes`: every route a workspace answers, each with its act (default deny).
//! - `jwks`, `jwt`: Cloudflare Access's keys and its `Cf-Access-Jwt-Assertion` verified (the
//!   RSA check itself is the host's WebCrypto).
//! - `apikey`: personal API keys for scripts, stored as hashes, each with a role.
//! - `members`: members by email, the first admins, no workspace left without an admin.
//! - `client`: the SPA's side: where its calls go, the answers it reads, what a role shows.
//! - `caller`: the credential a request carries, the caller, and 401/403/404 or go.
//! - `keyring`, `seal`: provider tokens sealed at rest (AES-256-GCM, bound to their connection)
//!   under keys from `BACKBOARD_SEAL_KEYS`, and their rotation.
//! - `connections`: connection rows (token sealed, the rest JSON), what the API lists, the import
//!   of `BACKBOARD_SOURCES`.
//! - `audit`: the audit log's entries, their CSV export and their retention.
//! - `schema`: the D1 tables' columns, tied to `worker/migrations/0001_workspace.sql`.

pub mod apikey;
pub mod audit;
pub mod caller;
pub mod client;
pub mod connections;
pub mod inject;
pub mod jwks;
pub mod jwt;
pub mod keyring;
pub mod members;
pub mod role;
pub mod routes;
pub mod schema;
pub mod seal;

pub use role::{permitted, Act, Role};
