//! The history's store: the core's statements bound and sent to D1, their rows handed back as
//! JSON for the core to read.

use backboard_core::history::Statement;
use serde_json::Value;
use wasm_bindgen::JsValue;
use worker::{D1Database, Env};

/// The D1 binding of the history (`worker/wrangler.toml`).
pub const DB_BINDING: &str = "BACKBOARD_DB";

pub fn database(env: &Env) -> Result<D1Database, String> {
    env.d1(DB_BINDING).map_err(|e| format!("the D1 binding {DB_BINDING} is missing ({e})"))
}

/// One statement's answer: its rows and what D1 says it cost.
pub struct Answer {
    pub rows: Vec<Value>,
    pub rows_read: usize,
    pub rows_written: usize,
}

fn js(v: &Value) -> JsValue {
    match v {
        Value::Null => JsValue::NULL,
        Value::Bool(b) => JsValue::from_bool(*b),
        Value::Number(n) => n.as_f64().map_or(JsValue::NULL, JsValue::from_f64),
        Value::String(s) => JsValue::from_str(s),
        other => JsValue::from_str(&other.to_string()),
    }
}

/// Runs the statements as one batch (D1 runs a batch as one transaction: all or nothing), and
/// answers in their order. No statement, no request.
pub async fn batch(db: &D1Database, statements: &[Statement]) -> Result<Vec<Answer>, String> {
    if statements.is_empty() {
        return Ok(Vec::new());
    }
    let prepared = statements
        .iter()
        .map(|s| {
            let params: Vec<JsValue> = s.params.iter().map(js).collect();
            db.prepare(&s.sql).bind(&params).map_err(|e| format!("binding {:?}: {e}", s.sql))
        })
        .collect::<Result<Vec<_>, String>>()?;
    let results = db.batch(prepared).await.map_err(|e| format!("D1: {e}"))?;
    results
        .iter()
        .map(|r| {
            if let Some(e) = r.error() {
                return Err(format!("D1: {e}"));
            }
            let meta = r.meta().ok().flatten();
            Ok(Answer {
                rows: r.results::<Value>().map_err(|e| format!("D1 rows: {e}"))?,
                rows_read: meta.as_ref().and_then(|m| m.rows_read).unwrap_or(0),
                rows_written: meta.as_ref().and_then(|m| m.rows_written).unwrap_or(0),
            })
        })
        .collect()
}

/// The rows of the first `N` answers, for the core's `*_from_rows` that take a fixed set.
pub fn rows<const N: usize>(answers: &[Answer]) -> Result<[Vec<Value>; N], String> {
    let first: Vec<Vec<Value>> = answers.iter().take(N).map(|a| a.rows.clone()).collect();
    first.try_into().map_err(|_| format!("D1 answered {} statements, {N} were sent", answers.len()))
}
