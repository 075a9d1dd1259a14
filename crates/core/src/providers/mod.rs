//! One module per provider, each with typed models, request builders and response parsers.

pub mod mittwald;
pub mod northflank;
pub mod serveravatar;
