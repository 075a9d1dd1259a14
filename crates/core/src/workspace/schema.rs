//! The workspace's D1 tables as the worker reads and writes them: each table's columns, in the
//! order of `worker/migrations/0001_workspace.sql`, which a test reads to keep the two the same.

/// One table and its columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [&'static str],
    /// The first column is an INTEGER id the database assigns: inserts leave it out.
    pub auto_id: bool,
}

impl Table {
    fn written(&self) -> &'static [&'static str] {
        if self.auto_id {
            &self.columns[1..]
        } else {
            self.columns
        }
    }

    /// `INSERT INTO t (a, b) VALUES (?1, ?2)`, binding the columns in order (an auto id left out).
    pub fn insert_sql(&self) -> String {
        let cols = self.written();
        let params: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
        format!("INSERT INTO {} ({}) VALUES ({})", self.name, cols.join(", "), params.join(", "))
    }

    /// `SELECT a, b FROM t`, every column in order.
    pub fn select_sql(&self) -> String {
        format!("SELECT {} FROM {}", self.columns.join(", "), self.name)
    }
}

pub const CONNECTIONS: Table = Table {
    name: "connections",
    columns: &[
        "id",
        "provider",
        "label",
        "settings",
        "token_sealed",
        "key_id",
        "created_at",
        "created_by",
        "updated_at",
    ],
    auto_id: false,
};

pub const MEMBERS: Table =
    Table { name: "members", columns: &["id", "email", "role", "added_at", "added_by"], auto_id: false };

pub const API_KEYS: Table = Table {
    name: "api_keys",
    columns: &["id", "hash", "role", "owner", "label", "created_at", "revoked_at"],
    auto_id: false,
};

pub const AUDIT_LOG: Table = Table {
    name: "audit_log",
    columns: &["id", "at", "who", "via", "key_id", "role", "connection_id", "backup_id", "action", "outcome", "status"],
    auto_id: true,
};

pub const TABLES: [Table; 4] = [CONNECTIONS, MEMBERS, API_KEYS, AUDIT_LOG];

/// Deletes the audit entries older than the retention cutoff (bind `audit::to_millis(cutoff)`).
pub const AUDIT_RETENTION_SQL: &str = "DELETE FROM audit_log WHERE at < ?1";

/// The connections a rotation must reseal: those not under the current key (bind its kid).
pub const ROWS_TO_RESEAL_SQL: &str = "SELECT id, token_sealed FROM connections WHERE key_id <> ?1";

#[cfg(test)]
mod tests {
    use super::*;

    const MIGRATION: &str = include_str!("../../../../worker/migrations/0001_workspace.sql");

    /// Each `CREATE TABLE name (...)`'s column names, in order (constraint lines skipped).
    fn tables_in(sql: &str) -> Vec<(String, Vec<String>)> {
        let sql: String = sql.lines().map(|l| l.split("--").next().unwrap_or("")).collect::<Vec<_>>().join("\n");
        let mut out = Vec::new();
        for chunk in sql.split("CREATE TABLE ").skip(1) {
            let (name, body) = chunk.split_once('(').expect("a column list");
            let body = &body[..body.find("\n);").expect("the end of the table")];
            let columns = body
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .filter_map(|l| l.split_whitespace().next())
                .filter(|w| !["PRIMARY", "UNIQUE", "CHECK", "FOREIGN", "CONSTRAINT"].contains(w))
                .map(str::to_string)
                .collect();
            out.push((name.trim().to_string(), columns));
        }
        out
    }

    #[test]
    fn the_migration_has_exactly_these_tables_and_columns() {
        let in_sql = tables_in(MIGRATION);
        let declared: Vec<(String, Vec<String>)> =
            TABLES.iter().map(|t| (t.name.to_string(), t.columns.iter().map(|c| c.to_string()).collect())).collect();
        assert_eq!(in_sql, declared);
        assert!(MIGRATION.contains("id INTEGER PRIMARY KEY AUTOINCREMENT,\n  at INTEGER NOT NULL"));
        assert!(MIGRATION.contains("CREATE INDEX audit_log_at ON audit_log (at);"));
        assert!(MIGRATION.contains("CREATE INDEX connections_key_id ON connections (key_id);"));
    }

    #[test]
    fn the_roles_and_outcomes_the_checks_allow_are_the_cores() {
        use crate::workspace::audit::{Outcome, Via};
        use crate::workspace::Role;
        let roles: Vec<String> = Role::ALL.iter().map(|r| format!("'{}'", r.as_str())).collect();
        assert_eq!(MIGRATION.matches(&format!("role IN ({})", roles.join(", "))).count(), 3);
        let outcomes = [Outcome::Ok(200), Outcome::Denied, Outcome::Failed(500)].map(|o| format!("'{}'", o.as_str()));
        assert!(MIGRATION.contains(&format!("outcome IN ({})", outcomes.join(", "))));
        let vias = [Via::Access, Via::Key, Via::Anonymous].map(|v| format!("'{}'", v.as_str()));
        assert!(MIGRATION.contains(&format!("via IN ({})", vias.join(", "))));
        let providers: Vec<String> = crate::Provider::ALL.iter().map(|p| format!("'{}'", p.slug())).collect();
        assert!(MIGRATION.contains(&format!("provider IN ({})", providers.join(", "))));
    }

    #[test]
    fn statements_bind_the_columns_in_order() {
        assert_eq!(
            MEMBERS.insert_sql(),
            "INSERT INTO members (id, email, role, added_at, added_by) VALUES (?1, ?2, ?3, ?4, ?5)"
        );
        assert!(AUDIT_LOG.insert_sql().starts_with("INSERT INTO audit_log (at, who, "));
        assert!(AUDIT_LOG.insert_sql().ends_with("?10)"));
        assert_eq!(API_KEYS.select_sql(), "SELECT id, hash, role, owner, label, created_at, revoked_at FROM api_keys");
    }
}
