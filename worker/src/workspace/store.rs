//! The workspace's D1 tables (`worker/migrations/0001_workspace.sql`, columns declared in
//! `backboard_core::workspace::schema`): statements sent, rows read back into the core's types.

use backboard_core::history::Statement;
use backboard_core::workspace::apikey::ApiKey;
use backboard_core::workspace::audit::{from_millis, to_millis, Entry, Outcome, Via};
use backboard_core::workspace::connections::ConnectionRow;
use backboard_core::workspace::members::Member;
use backboard_core::workspace::schema::{API_KEYS, AUDIT_LOG, CONNECTIONS, MEMBERS};
use backboard_core::workspace::Role;
use serde_json::{json, Value};
use worker::Env;

use crate::d1;

fn statement(sql: impl Into<String>, params: Vec<Value>) -> Statement {
    Statement { sql: sql.into(), params }
}

/// Runs one statement; its rows.
pub async fn run(env: &Env, sql: impl Into<String>, params: Vec<Value>) -> Result<Vec<Value>, String> {
    let db = d1::database(env)?;
    let mut answers = d1::batch(&db, &[statement(sql, params)]).await?;
    Ok(answers.pop().map(|a| a.rows).unwrap_or_default())
}

/// Runs one write; how many rows it changed.
pub async fn write(env: &Env, sql: impl Into<String>, params: Vec<Value>) -> Result<usize, String> {
    let db = d1::database(env)?;
    let answers = d1::batch(&db, &[statement(sql, params)]).await?;
    Ok(answers.first().map_or(0, |a| a.rows_written))
}

fn text(row: &Value, col: &str) -> String {
    row.get(col).and_then(Value::as_str).unwrap_or_default().to_string()
}

fn opt_text(row: &Value, col: &str) -> Option<String> {
    row.get(col).and_then(Value::as_str).map(str::to_string)
}

fn int(row: &Value, col: &str) -> Option<i64> {
    row.get(col).and_then(Value::as_f64).map(|f| f as i64)
}

// --- connections ---

fn connection(row: &Value) -> ConnectionRow {
    ConnectionRow {
        id: text(row, "id"),
        provider: text(row, "provider"),
        label: text(row, "label"),
        settings: text(row, "settings"),
        token_sealed: text(row, "token_sealed"),
        key_id: text(row, "key_id"),
        created_at: int(row, "created_at").unwrap_or(0),
        created_by: text(row, "created_by"),
        updated_at: int(row, "updated_at").unwrap_or(0),
    }
}

fn connection_params(c: &ConnectionRow) -> Vec<Value> {
    vec![
        json!(c.id),
        json!(c.provider),
        json!(c.label),
        json!(c.settings),
        json!(c.token_sealed),
        json!(c.key_id),
        json!(c.created_at),
        json!(c.created_by),
        json!(c.updated_at),
    ]
}

pub async fn connections(env: &Env) -> Result<Vec<ConnectionRow>, String> {
    let rows = run(env, format!("{} ORDER BY created_at, id", CONNECTIONS.select_sql()), vec![]).await?;
    Ok(rows.iter().map(connection).collect())
}

pub async fn connection_by_id(env: &Env, id: &str) -> Result<Option<ConnectionRow>, String> {
    let rows = run(env, format!("{} WHERE id = ?1", CONNECTIONS.select_sql()), vec![json!(id)]).await?;
    Ok(rows.first().map(connection))
}

pub async fn insert_connection(env: &Env, c: &ConnectionRow) -> Result<(), String> {
    write(env, CONNECTIONS.insert_sql(), connection_params(c)).await.map(drop)
}

/// Replaces the row with the same id (label, settings, sealed token, key id, update time).
pub async fn update_connection(env: &Env, c: &ConnectionRow) -> Result<usize, String> {
    let sql = "UPDATE connections SET label = ?2, settings = ?3, token_sealed = ?4, key_id = ?5, updated_at = ?6 \
               WHERE id = ?1";
    let params = vec![
        json!(c.id),
        json!(c.label),
        json!(c.settings),
        json!(c.token_sealed),
        json!(c.key_id),
        json!(c.updated_at),
    ];
    write(env, sql, params).await
}

/// Writes a resealed token, only if the row still holds the one that was read.
pub async fn reseal_connection(env: &Env, id: &str, was: &str, sealed: &str, kid: &str) -> Result<usize, String> {
    let sql = "UPDATE connections SET token_sealed = ?3, key_id = ?4 WHERE id = ?1 AND token_sealed = ?2";
    write(env, sql, vec![json!(id), json!(was), json!(sealed), json!(kid)]).await
}

pub async fn delete_connection(env: &Env, id: &str) -> Result<usize, String> {
    write(env, "DELETE FROM connections WHERE id = ?1", vec![json!(id)]).await
}

// --- members ---

fn member(row: &Value) -> Option<Member> {
    Some(Member {
        id: text(row, "id"),
        email: text(row, "email"),
        role: Role::parse(&text(row, "role")).ok()?,
        added_at: int(row, "added_at").unwrap_or(0),
        added_by: text(row, "added_by"),
    })
}

pub async fn members(env: &Env) -> Result<Vec<Member>, String> {
    let rows = run(env, format!("{} ORDER BY email", MEMBERS.select_sql()), vec![]).await?;
    Ok(rows.iter().filter_map(member).collect())
}

pub async fn member_by_email(env: &Env, email: &str) -> Result<Vec<Member>, String> {
    let rows = run(env, format!("{} WHERE email = ?1", MEMBERS.select_sql()), vec![json!(email)]).await?;
    Ok(rows.iter().filter_map(member).collect())
}

pub async fn insert_member(env: &Env, m: &Member) -> Result<(), String> {
    let params = vec![json!(m.id), json!(m.email), json!(m.role.as_str()), json!(m.added_at), json!(m.added_by)];
    write(env, MEMBERS.insert_sql(), params).await.map(drop)
}

pub async fn set_member_role(env: &Env, id: &str, role: Role) -> Result<usize, String> {
    write(env, "UPDATE members SET role = ?2 WHERE id = ?1", vec![json!(id), json!(role.as_str())]).await
}

pub async fn delete_member(env: &Env, id: &str) -> Result<usize, String> {
    write(env, "DELETE FROM members WHERE id = ?1", vec![json!(id)]).await
}

// --- API keys ---

fn api_key(row: &Value) -> Option<ApiKey> {
    Some(ApiKey {
        id: text(row, "id"),
        hash: text(row, "hash"),
        role: Role::parse(&text(row, "role")).ok()?,
        owner: text(row, "owner"),
        label: text(row, "label"),
        created_at: from_millis(int(row, "created_at")?)?,
        revoked_at: int(row, "revoked_at").and_then(from_millis),
    })
}

pub async fn api_keys(env: &Env) -> Result<Vec<ApiKey>, String> {
    let rows = run(env, format!("{} ORDER BY created_at, id", API_KEYS.select_sql()), vec![]).await?;
    Ok(rows.iter().filter_map(api_key).collect())
}

pub async fn api_key_by_id(env: &Env, id: &str) -> Result<Option<ApiKey>, String> {
    let rows = run(env, format!("{} WHERE id = ?1", API_KEYS.select_sql()), vec![json!(id)]).await?;
    Ok(rows.first().and_then(api_key))
}

pub async fn insert_api_key(env: &Env, k: &ApiKey) -> Result<(), String> {
    let params = vec![
        json!(k.id),
        json!(k.hash),
        json!(k.role.as_str()),
        json!(k.owner),
        json!(k.label),
        json!(to_millis(k.created_at)),
        json!(k.revoked_at.map(to_millis)),
    ];
    write(env, API_KEYS.insert_sql(), params).await.map(drop)
}

/// Revokes a key not revoked yet; how many were.
pub async fn revoke_api_key(env: &Env, id: &str, at: i64) -> Result<usize, String> {
    write(env, "UPDATE api_keys SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL", vec![json!(id), json!(at)])
        .await
}

// --- audit log ---

fn entry(row: &Value) -> Option<Entry> {
    let status = int(row, "status").and_then(|s| u16::try_from(s).ok());
    Some(Entry {
        at: from_millis(int(row, "at")?)?,
        who: text(row, "who"),
        via: Via::parse(&text(row, "via"))?,
        key: opt_text(row, "key_id"),
        role: opt_text(row, "role").and_then(|r| Role::parse(&r).ok()),
        connection: opt_text(row, "connection_id"),
        backup: opt_text(row, "backup_id"),
        action: text(row, "action"),
        outcome: Outcome::from_parts(&text(row, "outcome"), status)?,
    })
}

pub async fn insert_entry(env: &Env, e: &Entry) -> Result<(), String> {
    let params = vec![
        json!(to_millis(e.at)),
        json!(e.who),
        json!(e.via.as_str()),
        json!(e.key),
        json!(e.role.map(Role::as_str)),
        json!(e.connection),
        json!(e.backup),
        json!(e.action),
        json!(e.outcome.as_str()),
        json!(e.outcome.status()),
    ];
    write(env, AUDIT_LOG.insert_sql(), params).await.map(drop)
}

/// The entries at or after `since` (Unix ms), newest first, at most `limit`.
pub async fn entries(env: &Env, since: i64, limit: u32) -> Result<Vec<Entry>, String> {
    let sql = format!("{} WHERE at >= ?1 ORDER BY at DESC, id DESC LIMIT ?2", AUDIT_LOG.select_sql());
    let rows = run(env, sql, vec![json!(since), json!(limit)]).await?;
    Ok(rows.iter().filter_map(entry).collect())
}
