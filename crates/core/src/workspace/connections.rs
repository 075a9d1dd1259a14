//! The workspace's connections as rows: the token sealed into its own column, everything else
//! (the SPA's and `BACKBOARD_SOURCES`' shape, `threshold` included) as JSON without it. What
//! the API lists is the row without the token column: no answer can carry a token.

use serde_json::{Map, Value};
use time::OffsetDateTime;

use super::audit::to_millis;
use super::keyring::Keyring;
use super::seal::{self, NONCE_BYTES};
use crate::monitor::{parse_source, Monitored};
use crate::secret::Token;

/// Random bytes in a connection id.
pub const ID_BYTES: usize = 8;

/// One row of `connections` ([`super::schema::CONNECTIONS`], same order).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectionRow {
    pub id: String,
    pub provider: String,
    pub label: String,
    /// The connection's JSON without `id`, `label` and `token`.
    pub settings: String,
    pub token_sealed: String,
    pub key_id: String,
    /// Unix milliseconds.
    pub created_at: i64,
    pub created_by: String,
    pub updated_at: i64,
}

/// A new connection's id, `c-` and 16 hex digits, from the worker's random bytes.
pub fn new_id(random: [u8; ID_BYTES]) -> String {
    let hex: String = random.iter().map(|b| format!("{b:02x}")).collect();
    format!("c-{hex}")
}

/// Checks a connection as given (the SPA's shape, with its token) and makes its row.
pub fn to_row(
    id: &str,
    given: Value,
    keyring: &Keyring,
    nonce: [u8; NONCE_BYTES],
    by: &str,
    now: OffsetDateTime,
) -> Result<ConnectionRow, String> {
    let Value::Object(mut fields) = given else { return Err("a connection is a JSON object".into()) };
    fields.remove("id");
    let monitored = parse_source(Value::Object(fields.clone()))?;
    let connection = &monitored.connection;
    connection.check().map_err(|e| e.to_string())?;
    let token = connection.account.token().clone();
    fields.remove("token");
    fields.remove("label");
    let sealed = seal::seal(keyring, id, &token, nonce);
    Ok(ConnectionRow {
        id: id.to_string(),
        provider: connection.provider().slug().to_string(),
        label: connection.label.clone(),
        settings: Value::Object(fields).to_string(),
        key_id: keyring.current().kid().to_string(),
        token_sealed: sealed,
        created_at: to_millis(now),
        created_by: by.to_string(),
        updated_at: to_millis(now),
    })
}

/// The row's connection as the API lists it: id, label and settings, never the token.
pub fn public(row: &ConnectionRow) -> Value {
    let mut fields = settings_of(row);
    fields.insert("id".into(), Value::String(row.id.clone()));
    fields.insert("label".into(), Value::String(row.label.clone()));
    fields.insert("provider".into(), Value::String(row.provider.clone()));
    Value::Object(fields)
}

fn settings_of(row: &ConnectionRow) -> Map<String, Value> {
    match serde_json::from_str(&row.settings) {
        Ok(Value::Object(fields)) => fields,
        _ => Map::new(),
    }
}

/// The row's connection with its token opened, for the worker's own calls: the proxy's
/// injected token and the monitoring cron.
pub fn open(row: &ConnectionRow, keyring: &Keyring) -> Result<Monitored, String> {
    let token = seal::open(keyring, &row.id, &row.token_sealed).map_err(|e| format!("{}: {e}", row.id))?;
    let mut fields = public(row).as_object().cloned().unwrap_or_default();
    fields.insert("token".into(), Value::String(token.expose().to_string()));
    parse_source(Value::Object(fields)).map_err(|e| format!("{}: {e}", row.id))
}

/// An admin's change to a row: new settings and label from `given` (the SPA's shape); the token
/// only if `given` has a non-empty one, else the sealed one is kept.
pub fn update(
    row: &ConnectionRow,
    given: Value,
    keyring: &Keyring,
    nonce: [u8; NONCE_BYTES],
    now: OffsetDateTime,
) -> Result<ConnectionRow, String> {
    let Value::Object(mut fields) = given else { return Err("a connection is a JSON object".into()) };
    let new_token = fields.get("token").and_then(Value::as_str).map(Token::from).filter(|t| !t.is_empty());
    let token = match new_token {
        Some(t) => t,
        None => seal::open(keyring, &row.id, &row.token_sealed).map_err(|e| e.to_string())?,
    };
    fields.insert("token".into(), Value::String(token.expose().to_string()));
    let changed = to_row(&row.id, Value::Object(fields), keyring, nonce, &row.created_by, now)?;
    if changed.provider != row.provider {
        return Err("a connection keeps its provider; add a new connection instead".into());
    }
    Ok(ConnectionRow { created_at: row.created_at, ..changed })
}

/// Rows for every source of a `BACKBOARD_SOURCES` secret, for the import command; one id and
/// one nonce per source, from the worker's randomness.
pub fn import(
    sources_json: &str,
    keyring: &Keyring,
    mut random: impl FnMut() -> ([u8; ID_BYTES], [u8; NONCE_BYTES]),
    by: &str,
    now: OffsetDateTime,
) -> Result<Vec<ConnectionRow>, String> {
    let list: Vec<Value> = serde_json::from_str(sources_json)
        .map_err(|e| format!("BACKBOARD_SOURCES is not a JSON array of sources: {e}"))?;
    list.into_iter()
        .enumerate()
        .map(|(i, v)| {
            let (id, nonce) = random();
            to_row(&new_id(id), v, keyring, nonce, by, now)
                .map_err(|e| format!("BACKBOARD_SOURCES, source {}: {e}", i + 1))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use time::macros::datetime;

    use super::*;
    use crate::workspace::keyring::SealKey;

    const NOW: OffsetDateTime = datetime!(2026-12-01 10:00 UTC);
    const TOKEN: &str = "mw-secret-token-987";

    fn ring() -> Keyring {
        Keyring::new(SealKey::new("k1", [1; 32]).unwrap(), vec![]).unwrap()
    }

    fn given() -> Value {
        json!({"provider": "mittwald", "label": "shop", "token": TOKEN, "projectId": "p1", "threshold": "26h"})
    }

    #[test]
    fn a_row_keeps_the_token_only_sealed() {
        let row = to_row("c-1", given(), &ring(), [9; 12], "ana@example.com", NOW).unwrap();
        assert_eq!((row.provider.as_str(), row.label.as_str(), row.key_id.as_str()), ("mittwald", "shop", "k1"));
        assert_eq!(row.settings, r#"{"projectId":"p1","provider":"mittwald","threshold":"26h"}"#);
        assert!(!format!("{row:?}").contains(TOKEN));
        let listed = public(&row);
        assert!(!listed.to_string().contains(TOKEN) && listed.get("token").is_none());
        assert_eq!(listed["id"], "c-1");
        let opened = open(&row, &ring()).unwrap();
        assert_eq!(opened.connection.account.token().expose(), TOKEN);
        assert_eq!((opened.connection.id.as_str(), opened.threshold_secs), ("c-1", Some(26 * 3600)));
    }

    #[test]
    fn a_row_moved_to_another_id_does_not_open() {
        let row = to_row("c-1", given(), &ring(), [9; 12], "a@x", NOW).unwrap();
        let moved = ConnectionRow { id: "c-2".into(), ..row };
        assert!(open(&moved, &ring()).unwrap_err().contains("another connection"));
    }

    #[test]
    fn incomplete_connections_are_refused() {
        let no_token = json!({"provider": "mittwald", "label": "shop", "projectId": "p1"});
        assert!(to_row("c-1", no_token, &ring(), [9; 12], "a@x", NOW).is_err());
        let blank = json!({"provider": "mittwald", "label": "shop", "token": " ", "projectId": "p1"});
        assert!(to_row("c-1", blank, &ring(), [9; 12], "a@x", NOW).unwrap_err().contains("API token"));
        assert!(to_row("c-1", json!([]), &ring(), [9; 12], "a@x", NOW).is_err());
    }

    #[test]
    fn an_update_keeps_the_token_unless_given_one() {
        let row = to_row("c-1", given(), &ring(), [9; 12], "a@x", NOW).unwrap();
        let later = NOW + time::Duration::hours(1);
        let renamed = json!({"provider": "mittwald", "label": "shop 2", "projectId": "p2"});
        let changed = update(&row, renamed, &ring(), [8; 12], later).unwrap();
        assert_eq!((changed.label.as_str(), changed.created_at), ("shop 2", row.created_at));
        assert_eq!(changed.updated_at, to_millis(later));
        assert_eq!(open(&changed, &ring()).unwrap().connection.account.token().expose(), TOKEN);
        let new_token = json!({"provider": "mittwald", "label": "shop", "projectId": "p2", "token": "new-one"});
        let changed = update(&row, new_token, &ring(), [8; 12], later).unwrap();
        assert_eq!(open(&changed, &ring()).unwrap().connection.account.token().expose(), "new-one");
        let other = json!({"provider": "serveravatar", "label": "x", "organization": "5"});
        assert!(update(&row, other, &ring(), [8; 12], later).unwrap_err().contains("keeps its provider"));
    }

    #[test]
    fn the_json_secret_imports_as_rows() {
        let secret = r#"[
            {"provider": "mittwald", "label": "shop", "token": "t1", "projectId": "p1", "threshold": "26h"},
            {"provider": "serveravatar", "label": "org", "token": "t2", "organization": "5"}
        ]"#;
        let mut n = 0u8;
        let rows = import(
            secret,
            &ring(),
            || {
                n += 1;
                ([n; 8], [n; 12])
            },
            "import",
            NOW,
        )
        .unwrap();
        assert_eq!(
            rows.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            ["c-0101010101010101", "c-0202020202020202"]
        );
        assert_eq!(open(&rows[1], &ring()).unwrap().connection.account.token().expose(), "t2");
        let bad = r#"[{"provider": "mittwald", "label": "a", "projectId": "p"}]"#;
        assert!(import(bad, &ring(), || ([0; 8], [0; 12]), "import", NOW)
            .unwrap_err()
            .starts_with("BACKBOARD_SOURCES, source 1"));
    }
}
