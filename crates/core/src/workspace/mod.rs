//! A team's workspace at the edge, as pure decisions: the worker stores and fetches, these
//! decide.
//!
//! - `role`: roles, what each route does ([`Act`]), and who may do it (default deny).
//! - `routes`: every route a workspace answers, each with its act.
//! - `keyring`: the sealing keys from the worker secret, current and older.
//! - `audit`: the audit log's entries, their CSV export and their retention.
//! - `apikey`: personal API keys for scripts, stored as hashes, each with a role.
//! - `jwks`: Cloudflare Access's signing keys, and when to fetch them again.
//! - `jwt`: the `Cf-Access-Jwt-Assertion` verified (the RSA check is the host's).
//! - `connections`: connection rows (token sealed, the rest JSON), what the API lists, the import.
//! - `schema`: the D1 tables' columns, tied to `worker/migrations/0001_workspace.sql`.
//! - `seal`: provider tokens sealed at rest (AES-256-GCM, bound to their connection), and rotation.

pub mod apikey;
pub mod audit;
pub mod connections;
pub mod jwks;
pub mod jwt;
pub mod keyring;
pub mod role;
pub mod routes;
pub mod schema;
pub mod seal;

pub use role::{permitted, Act, Role};
