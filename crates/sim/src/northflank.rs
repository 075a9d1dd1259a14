//! Northflank: addon backups and destination backups, cursor or page paging.

use serde_json::{json, Value};
use time::OffsetDateTime;

use backboard_core::http::{Method, Request, Response};

use crate::data::{self, Rng};
use crate::{get_param, Config, DEMO_NF_TOKEN};

pub const DEFAULT_PER_PAGE: usize = 50;
pub const MAX_PER_PAGE: usize = 100;

pub struct State {
    addon: Vec<Value>,
    destination: Vec<Value>,
}

fn error(status: u16, code: &str, message: &str) -> Response {
    Response::json(status, &json!({"error": {"status": status, "code": code, "message": message}}))
}

/// Cursors are opaque to clients; here they encode the offset of the next item.
fn cursor_for(offset: usize) -> String {
    format!("c{:x}", offset * 7919 + 13)
}

fn offset_of(cursor: &str) -> Option<usize> {
    let n = usize::from_str_radix(cursor.strip_prefix('c')?, 16).ok()?;
    (n >= 13 && (n - 13) % 7919 == 0).then(|| (n - 13) / 7919)
}

impl State {
    pub fn generate(config: &Config, rng: &mut Rng, now: OffsetDateTime) -> Self {
        Self {
            addon: (0..config.northflank_addon).map(|i| data::northflank_addon_backup(i, rng, now)).collect(),
            destination: (0..config.northflank_destination)
                .map(|i| data::northflank_destination_backup(i, rng, now))
                .collect(),
        }
    }

    pub fn handle(
        &mut self,
        request: &Request,
        path: &[&str],
        params: &[(String, String)],
        _now: OffsetDateTime,
        _config: &Config,
    ) -> Response {
        match request.header_value("authorization") {
            None => return error(401, "unauthenticated", "No API token was provided"),
            Some(v) if v != format!("Bearer {DEMO_NF_TOKEN}") => {
                return error(401, "unauthenticated", "The API token is invalid or has expired")
            }
            _ => {}
        }
        match (request.method, path) {
            (Method::Get, ["v1", "projects", project, "addons", addon, "backups"]) => {
                if *project != "demo-project" {
                    return error(404, "project_not_found", "Project not found");
                }
                if *addon != "postgres-main" {
                    return error(404, "addon_not_found", "Addon not found");
                }
                match page(&self.addon, params) {
                    Ok((items, pagination)) => {
                        Response::json(200, &json!({"data": {"backups": items}, "pagination": pagination}))
                    }
                    Err(r) => r,
                }
            }
            (Method::Get, ["v1", "backup-destinations", dest, "backups"]) => {
                if *dest != "offsite-s3" {
                    return error(404, "backup_destination_not_found", "Backup destination not found");
                }
                match page(&self.destination, params) {
                    Ok((items, pagination)) => Response::json(200, &json!({"data": items, "pagination": pagination})),
                    Err(r) => r,
                }
            }
            _ => error(404, "not_found", "Route not found"),
        }
    }
}

fn page(all: &[Value], params: &[(String, String)]) -> Result<(Vec<Value>, Value), Response> {
    let per_page = match get_param(params, "per_page") {
        None => DEFAULT_PER_PAGE,
        Some(s) => match s.parse::<usize>() {
            Ok(n) if (1..=MAX_PER_PAGE).contains(&n) => n,
            _ => return Err(error(400, "invalid_request", "per_page must be an integer between 1 and 100")),
        },
    };
    let start = match (get_param(params, "cursor"), get_param(params, "page")) {
        (Some(c), _) if !c.is_empty() => match offset_of(c) {
            Some(o) => o,
            None => return Err(error(400, "invalid_cursor", "The cursor is invalid")),
        },
        (_, Some(p)) => match p.parse::<usize>() {
            Ok(n) if n >= 1 => (n - 1).saturating_mul(per_page),
            _ => return Err(error(400, "invalid_request", "page must be a positive integer")),
        },
        _ => 0,
    };
    let start = start.min(all.len());
    let end = (start + per_page).min(all.len());
    let items = all[start..end].to_vec();
    let mut pagination = json!({"hasNextPage": end < all.len(), "count": items.len()});
    if end < all.len() {
        pagination["cursor"] = json!(cursor_for(end));
    }
    Ok((items, pagination))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_junk() {
        for o in [0, 1, 50, 9999] {
            assert_eq!(offset_of(&cursor_for(o)), Some(o));
        }
        assert_eq!(offset_of("c1"), None);
        assert_eq!(offset_of("zzz"), None);
    }
}
