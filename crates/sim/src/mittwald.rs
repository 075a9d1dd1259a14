//! mittwald: project backups with limit/skip/page and the X-Pagination-* headers.

use serde_json::{json, Value};
use time::OffsetDateTime;

use backboard_core::http::{Method, Request, Response};

use crate::data::{self, Rng};
use crate::{get_param, Config, DEMO_MW_PROJECT, DEMO_MW_TOKEN};

/// mittwald's default `limit`.
pub const DEFAULT_LIMIT: usize = 1000;

pub struct State {
    /// Newest first.
    backups: Vec<Value>,
}

fn error(status: u16, kind: &str, message: &str) -> Response {
    Response::json(status, &json!({"type": kind, "message": message}))
}

fn validation(path: &str, message: &str) -> Response {
    Response::json(
        400,
        &json!({"type": "ValidationError", "message": "Validation failed",
                "validationErrors": [{"message": message, "path": path, "type": "format"}]}),
    )
}

impl State {
    pub fn generate(config: &Config, rng: &mut Rng, now: OffsetDateTime) -> Self {
        let mut backups: Vec<Value> =
            (0..config.mittwald).map(|i| data::mittwald_backup(i, DEMO_MW_PROJECT, rng, now)).collect();
        backups.sort_by(|a, b| b["requestedAt"].as_str().cmp(&a["requestedAt"].as_str()));
        Self { backups }
    }

    pub fn handle(
        &mut self,
        request: &Request,
        path: &[&str],
        params: &[(String, String)],
        _now: OffsetDateTime,
        _config: &Config,
    ) -> Response {
        let token = request
            .header_value("authorization")
            .and_then(|v| v.strip_prefix("Bearer "))
            .or_else(|| request.header_value("x-access-token"));
        match token {
            None => return error(401, "UnauthorizedError", "no access token given"),
            Some(t) if t != DEMO_MW_TOKEN => return error(403, "PermissionDeniedError", "permission denied"),
            _ => {}
        }
        match (request.method, path) {
            (Method::Get, ["v2", "projects", project, "backups"]) => self.list(project, params),
            _ => error(404, "NotFoundError", "route not found"),
        }
    }

    fn list(&self, project: &str, params: &[(String, String)]) -> Response {
        if project.len() != 36 || project.split('-').count() != 5 {
            return validation("projectId", "must be a valid uuid");
        }
        if project != DEMO_MW_PROJECT {
            return error(403, "PermissionDeniedError", "permission denied");
        }
        let num = |k: &str| -> Result<Option<usize>, Response> {
            match get_param(params, k) {
                None => Ok(None),
                Some(s) => s.parse::<usize>().map(Some).map_err(|_| validation(k, "must be a non-negative integer")),
            }
        };
        let flag = |k: &str| -> Result<bool, Response> {
            match get_param(params, k) {
                None | Some("false") => Ok(false),
                Some("true") => Ok(true),
                Some(_) => Err(validation(k, "must be a boolean")),
            }
        };
        let parsed = (|| {
            Ok::<_, Response>((
                num("limit")?,
                num("skip")?,
                num("page")?,
                flag("withExportsOnly")?,
                flag("runningRestoresOnly")?,
            ))
        })();
        let (limit, skip, page, exports_only, running_restores_only) = match parsed {
            Ok(v) => v,
            Err(r) => return r,
        };
        let limit = limit.unwrap_or(DEFAULT_LIMIT).max(1);
        let sort = get_param(params, "sortOrder").unwrap_or("newestFirst");
        if !matches!(sort, "oldestFirst" | "newestFirst") {
            return validation("sortOrder", "must be one of oldestFirst, newestFirst");
        }
        let term = get_param(params, "searchTerm").unwrap_or("").to_lowercase();
        let mut matching: Vec<&Value> = self
            .backups
            .iter()
            .filter(|b| {
                term.is_empty()
                    || b["description"].as_str().is_some_and(|d| d.to_lowercase().contains(&term))
                    || b["id"].as_str().is_some_and(|d| d.contains(&term))
            })
            .filter(|b| !exports_only || !b["export"].is_null())
            .filter(|b| {
                !running_restores_only || b["restore"]["phase"] == "running" || b["restorePath"]["phase"] == "running"
            })
            .collect();
        if sort == "oldestFirst" {
            matching.reverse();
        }
        let skip = skip.unwrap_or_else(|| page.map(|p| p.saturating_sub(1) * limit).unwrap_or(0));
        let total = matching.len();
        let items: Vec<Value> = matching.into_iter().skip(skip).take(limit).cloned().collect();
        Response::json(200, &Value::Array(items))
            .with_header("X-Pagination-Limit", limit.to_string())
            .with_header("X-Pagination-Skip", skip.to_string())
            .with_header("X-Pagination-Page", (skip / limit + 1).to_string())
            .with_header("X-Pagination-TotalCount", total.to_string())
    }
}
