//! The workspace's connections saved to the worker: added and changed with a token the page
//! sends once and never reads back, removed by id.

use backboard_core::Connection;
use gloo_net::http::Method;
use serde_json::Value;

use crate::state::AppState;

use super::{call, reload, Workspace};

/// Adds (`editing` false) or changes a connection. A blank token when changing keeps the one
/// the workspace holds.
pub async fn save_connection(
    state: AppState,
    ws: Workspace,
    connection: &Connection,
    editing: bool,
    token_typed: bool,
) -> Result<(), String> {
    let mut body = serde_json::to_value(connection).map_err(|e| e.to_string())?;
    if let Value::Object(fields) = &mut body {
        fields.remove("id");
        if editing && !token_typed {
            fields.remove("token");
        }
    }
    match editing {
        true => {
            let path = format!("/connections/{}", backboard_core::http::encode_component(&connection.id));
            call(Method::PATCH, &path, Some(&body)).await?
        }
        false => call(Method::POST, "/connections", Some(&body)).await?,
    };
    reload(state, ws).await;
    Ok(())
}

pub async fn remove_connection(state: AppState, ws: Workspace, id: &str) -> Result<(), String> {
    call(Method::DELETE, &format!("/connections/{}", backboard_core::http::encode_component(id)), None).await?;
    reload(state, ws).await;
    Ok(())
}
