//! `cargo xtask bench history`: what one cron run costs in D1 with 50 sources and 90 days of
//! history: statements, rows read and written (as D1 reports them, from the run's log line),
//! and the run's wall time. The history is seeded into a local D1 first; the 4 demo sources are
//! listed by the simulator, 46 more mittwald projects answer 403 (listed as unknown), so each run
//! judges and records all 50.

use std::fmt::Write as _;
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::procs::{self, Procs};
use crate::{apply_migrations, build_worker, cargo, root, run, setup, Result};

pub const SOURCES: usize = 50;
pub const DAYS: i64 = 90;
const DAY: i64 = 86_400;

/// One measured run.
pub struct RunCost {
    pub statements: f64,
    pub rows_read: f64,
    pub rows_written: f64,
    pub wall_ms: f64,
}

/// The 50 sources: the demo's 4, and mittwald projects the simulator does not know.
fn sources() -> Vec<Value> {
    let mut list: Vec<Value> = backboard_sim::demo_connections().as_array().cloned().unwrap_or_default();
    // The rest are copies of the demo's project source with projects the simulator does not
    // know (they answer 403 and are recorded as unknown).
    let template = list.iter().find(|c| c.get("projectId").is_some()).cloned().unwrap_or_default();
    let mut n = 0;
    while list.len() < SOURCES {
        n += 1;
        let mut copy = template.clone();
        copy["label"] = format!("bench project {n}").into();
        copy["projectId"] = format!("00000000-0000-4000-8000-{n:012}").into();
        list.push(copy);
    }
    for s in &mut list {
        s["threshold"] = "1d".into();
    }
    list
}

fn key_of(source: &Value) -> Result<String> {
    let c: backboard_core::Connection =
        serde_json::from_value(source.clone()).map_err(|e| format!("bench source {source}: {e}"))?;
    Ok(backboard_core::health::source_key(c.provider(), &c.source()))
}

/// 90 days before `now` of each source: one restore point and one day row a day, 96 runs a day,
/// the source's settings and expected interval.
fn seed_sql(keys: &[String], now: i64) -> String {
    let start = now - DAYS * DAY;
    let mut sql = String::new();
    let day_text = |t: i64| {
        let d = time::OffsetDateTime::from_unix_timestamp(t).map(|t| t.date()).unwrap_or(time::Date::MIN);
        backboard_core::history::day_text(d)
    };
    for (i, key) in keys.iter().enumerate() {
        let _ =
            writeln!(sql, "INSERT INTO source_settings (source, label, added_at) VALUES ('{key}', 's{i}', {start});");
        let _ = writeln!(
            sql,
            "INSERT INTO expected_intervals (source, from_at, every_secs, origin) VALUES ('{key}', {start}, {DAY}, 'threshold');"
        );
        for d in 0..DAYS {
            let t = start + d * DAY + 3600;
            let _ = writeln!(
                sql,
                "INSERT INTO restore_points VALUES ('{key}', 'seed-{d}', {t}, 1000000, {t});\n\
                 INSERT INTO source_days VALUES ('{key}', '{}', {t}, {t}, 96, 'healthy', 'healthy');",
                day_text(t)
            );
        }
    }
    for r in 0..DAYS * 96 {
        let _ = writeln!(sql, "INSERT INTO runs VALUES ({}, {SOURCES}, 0);", start + r * 900);
    }
    sql
}

/// The numbers of the cron's log line "D1: N statements, R rows read, W written".
fn cost_of(log: &str) -> Option<(f64, f64, f64)> {
    let line = log.lines().rev().find(|l| l.contains(" statements, ") && l.contains("D1: "))?;
    let nums: Vec<f64> =
        line.split("D1: ").nth(1)?.split(|c: char| !c.is_ascii_digit()).filter_map(|n| n.parse().ok()).collect();
    match nums.as_slice() {
        [s, r, w, ..] => Some((*s, *r, *w)),
        _ => None,
    }
}

fn get(addr: &str, path: &str) -> Result<u16> {
    use std::io::Write;
    let mut s = std::net::TcpStream::connect(addr).map_err(|e| format!("{addr}: {e}"))?;
    s.set_read_timeout(Some(Duration::from_secs(120))).map_err(|e| e.to_string())?;
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").map_err(|e| e.to_string())?;
    let mut answer = String::new();
    s.read_to_string(&mut answer).map_err(|e| e.to_string())?;
    answer.split_whitespace().nth(1).and_then(|c| c.parse().ok()).ok_or_else(|| format!("{path}: no status"))
}

/// Runs the measurement: the first run of a day (with retention) and another one the same day.
pub fn measure(env: &setup::Tools) -> Result<Vec<(String, RunCost)>> {
    run(cargo().args(["build", "--profile", "release-native", "-p", "backboard-sim", "--bin", "backboard-sim"]))?;
    build_worker(env)?;
    let free = || std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port());
    let (sim, worker) = (free().map_err(|e| e.to_string())?, free().map_err(|e| e.to_string())?);
    let state = root().join("target/bench/history-state");
    let _ = std::fs::remove_dir_all(&state);
    apply_migrations(env, &state)?;
    let list = sources();
    let keys = list.iter().map(key_of).collect::<Result<Vec<_>>>()?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    // Today's first quarter hour, after 90 days of runs up to yesterday's last: the measured run
    // is the first of its day.
    let first = (now / DAY) * DAY;
    let seed = root().join("target/bench/history-seed.sql");
    std::fs::write(&seed, seed_sql(&keys, first)).map_err(|e| e.to_string())?;
    run(Command::new(&env.wrangler)
        .current_dir(root().join("worker"))
        .args(["d1", "execute", "backboard", "--local", "--env", "demo", "--persist-to"])
        .arg(&state)
        .arg("--file")
        .arg(&seed)
        .env("PATH", &env.path)
        .env("WRANGLER_SEND_METRICS", "false")
        .env("CI", "true")
        .stdout(Stdio::null()))?;

    let mut procs = Procs::default();
    let sim_addr = format!("127.0.0.1:{sim}");
    procs.spawn(
        "simulator",
        Command::new(root().join("target/release-native/backboard-sim")).args(["--addr", &sim_addr]),
    )?;
    let log_path = root().join("target/bench/history-worker.log");
    let log = std::fs::File::create(&log_path).map_err(|e| e.to_string())?;
    let mut wrangler = Command::new(&env.wrangler);
    wrangler
        .current_dir(root().join("worker"))
        .args(["dev", "--env", "demo", "--local", "--ip", "127.0.0.1", "--port", &worker.to_string()])
        .args(["--show-interactive-dev-session=false", "--log-level", "log", "--test-scheduled", "--persist-to"])
        .arg(&state)
        .args(
            backboard_core::Provider::ALL
                .iter()
                .flat_map(|p| ["--var".to_string(), format!("{}:http://{sim_addr}/{}", p.base_var(), p.slug())]),
        )
        .args(["--var", &format!("BACKBOARD_SOURCES:{}", Value::Array(list))])
        .env("PATH", &env.path)
        .env("WRANGLER_SEND_METRICS", "false")
        .env("CI", "true")
        .stdout(log.try_clone().map_err(|e| e.to_string())?)
        .stderr(log);
    procs.spawn("worker", &mut wrangler)?;
    procs::wait_http(&sim_addr, "/_demo/connections", 30)?;
    let worker_addr = format!("127.0.0.1:{worker}");
    procs::wait_http(&worker_addr, "/api/v1/health", 120)?;

    let mut out = Vec::new();
    let mut seen = 0;
    for (name, at) in [("first run of a day (with retention)", first), ("another run the same day", first + 900)] {
        let started = Instant::now();
        let status = get(&worker_addr, &format!("/cdn-cgi/handler/scheduled?cron=*/15+*+*+*+*&time={}", at * 1000))?;
        let wall_ms = started.elapsed().as_secs_f64() * 1000.0;
        if status != 200 {
            return Err(format!("the cron answered {status}"));
        }
        // The log line is written before the answer; give the pipe a moment to land in the file.
        std::thread::sleep(Duration::from_millis(500));
        let text = std::fs::read_to_string(&log_path).map_err(|e| e.to_string())?;
        let (statements, rows_read, rows_written) = cost_of(text.get(seen..).unwrap_or_default())
            .ok_or_else(|| format!("no D1 cost in the worker's log ({})", log_path.display()))?;
        // The next run's line is after this one's.
        seen = text.len();
        out.push((name.to_string(), RunCost { statements, rows_read, rows_written, wall_ms }));
    }
    drop(procs);
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_cost_is_read_from_the_cron_log_line() {
        let log = "x\nbackboard cron: history: 0 new restore points, 2 new attempts; D1: 108 statements, 4521 rows read, 103 written\n";
        assert_eq!(super::cost_of(log), Some((108.0, 4521.0, 103.0)));
        assert_eq!(super::cost_of("nothing"), None);
    }
}
