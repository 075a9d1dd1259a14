//! `cargo xtask <command>`: everything from a bare machine to a running demo or a green test run.
//!
//! - `setup`        install what is missing (idempotent; fast when everything is there)
//! - `demo`         build and run simulator + worker (workerd) + static SPA, until Ctrl-C
//! - `test`         fmt, clippy, native tests, wasm-bindgen tests in Chromium, e2e suite
//! - `contracts`    the simulator and the core against the providers' published contracts
//! - `e2e [f..]`    build, start the stack, run the e2e suite (or only the named files)
//! - `bench`        every performance goal beside its baseline; table + target/bench/results.json
//! - `fuzz`         the core's never-panic properties at 1,000,000 cases each (not part of `test`)
//! - `build-web`    trunk release build into dist/
//! - `build-worker` worker-build release build into worker/build/
//! - `check-providers` fails if code outside the provider registries names a provider

mod bench;
mod bench_history;
mod first_call;
mod fuzz;
mod page;
mod part_contents;
mod preload;
mod procs;
mod providers_check;
mod setup;
mod shell;
mod static_server;

use std::path::{Path, PathBuf};
use std::process::Command;

use backboard_core::Provider;
use procs::Procs;

pub type Result<T = ()> = std::result::Result<T, String>;

/// Ports, overridable by environment variables (documented in the README).
pub struct Ports {
    pub sim: u16,
    pub worker: u16,
    pub web: u16,
}

impl Ports {
    pub(crate) fn from_env() -> Self {
        let port = |name: &str, default: u16| std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
        Self {
            sim: port("BACKBOARD_SIM_PORT", 8790),
            worker: port("BACKBOARD_WORKER_PORT", 8787),
            web: port("BACKBOARD_WEB_PORT", 8080),
        }
    }
}

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2).expect("workspace root").to_path_buf()
}

/// Runs a command to completion, failing with its name when it fails.
pub fn run(cmd: &mut Command) -> Result {
    let shown = format!("{cmd:?}");
    eprintln!("xtask: $ {shown}");
    let status = cmd.status().map_err(|e| format!("{shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({status})"))
    }
}

pub fn cargo() -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(root());
    c
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::ensure_all().map(|_| ()),
        Some("demo") => demo(),
        Some("bench") => bench::bench(&args[1..]),
        Some("fuzz") => fuzz::fuzz(&args[1..]),
        Some("e2e") => setup::ensure_all().and_then(|env| e2e(&env, &args[1..])),
        Some("contracts") => setup::ensure_npm_in(&root().join("tests")).and_then(|_| contracts()),
        Some("test") => test(),
        Some("build-web") => setup::ensure_all().and_then(|env| build_web(&env)),
        Some("build-worker") => setup::ensure_all().and_then(|env| build_worker(&env)),
        Some("check-providers") => providers_check::check(),
        _ => {
            eprintln!("usage: cargo xtask <setup | demo | test | contracts | e2e [file ...] | bench [group ...] | fuzz [--cases N] [--seed N] | build-web | build-worker | check-providers>");
            std::process::exit(2);
        }
    };
    if let Err(e) = result {
        eprintln!("xtask: error: {e}");
        std::process::exit(1);
    }
}

pub fn build_web(env: &setup::Tools) -> Result {
    let mut cmd = Command::new(&env.trunk);
    cmd.current_dir(root()).args(["build", "--release", "--offline"]).env("PATH", &env.path);
    // Trunk refuses NO_COLOR=1 and similar CI values; keep its environment plain.
    cmd.env_remove("NO_COLOR");
    run(&mut cmd)?;
    split_web(env, &root().join("dist"))?;
    build_demo_module(env, &root().join("dist/demo"))?;
    // A team's page starts from its worker's answers (who is signed in, the connections): its
    // first screen is not the personal one, so none is rendered into it.
    match std::env::var("BACKBOARD_WORKSPACE_URL") {
        Ok(workspace) => page::set_workspace(&root().join("dist"), &workspace)?,
        Err(_) => shell::render(&root().join("dist"))?,
    }
    // Where the published page talks to: the deployment's worker, and a simulator only if one
    // is published (the local defaults otherwise). The CSP follows.
    let proxy = std::env::var("BACKBOARD_PROXY_URL").unwrap_or_else(|_| "http://127.0.0.1:8787".into());
    let simulator = std::env::var("BACKBOARD_SIMULATOR_URL").unwrap_or_else(|_| "http://127.0.0.1:8790".into());
    page::configure(&root().join("dist"), &proxy, &simulator)
}

/// Cuts the app's wasm at its split points (wasm-split; the `#[wasm_split]` functions in web/src), which then
/// load on first use. Trunk has written the page, the css and an unsplit, unoptimized build;
/// this replaces its js and wasm with the split ones and puts the parts in `split-<build hash>/`,
/// so a new build never meets an old part in a cache. The result is kept in target/web-split
/// and redone only when the app's wasm changed.
fn split_web(env: &setup::Tools, dist: &Path) -> Result {
    let root = root();
    let raw = root.join("target/wasm32-unknown-unknown/release/backboard-web.wasm");
    let work = root.join("target/web-split");
    let done = work.join("optimized");
    if modified(&done.join(".complete")) < modified(&raw) {
        let _ = std::fs::remove_dir_all(&work);
        let (parts, bindgen, done_parts) = (work.join("parts"), work.join("bindgen"), done.join("parts"));
        for dir in [&parts, &bindgen, &done_parts] {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        run(Command::new(&env.wasm_split).args(["--out-name", "backboard-web"]).arg(&raw).arg(&parts))?;
        run(Command::new(&env.wasm_bindgen)
            .args(["--target", "web", "--no-typescript", "--keep-lld-exports", "--out-dir"])
            .arg(&bindgen)
            .arg(parts.join("backboard-web.wasm")))?;
        let mut wasm = vec![(bindgen.join("backboard-web_bg.wasm"), done.join("backboard-web_bg.wasm"))];
        for entry in std::fs::read_dir(&parts).map_err(|e| e.to_string())? {
            let path = entry.map_err(|e| e.to_string())?.path();
            let name = path.file_name().unwrap_or_default().to_string_lossy().to_string();
            if name.ends_with(".wasm") && name != "backboard-web.wasm" {
                wasm.push((path.clone(), done_parts.join(&name)));
            } else if name.ends_with(".js") {
                std::fs::copy(&path, done_parts.join(&name)).map_err(|e| e.to_string())?;
            }
        }
        for (from, to) in wasm {
            run(Command::new(&env.wasm_opt)
                .args(["-Oz", "--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext"])
                .args(["--enable-mutable-globals", "--enable-reference-types"])
                .arg(&from)
                .arg("-o")
                .arg(&to)
                .env("PATH", &env.path))?;
        }
        std::fs::copy(bindgen.join("backboard-web.js"), done.join("backboard-web.js")).map_err(|e| e.to_string())?;
        copy_dir(&bindgen.join("snippets"), &done.join("snippets"))?;
        std::fs::write(done.join(".complete"), "").map_err(|e| e.to_string())?;
    }
    let main = work.join("parts/backboard-web.wasm");
    part_contents::check(&std::fs::read(&main).map_err(|e| format!("{}: {e}", main.display()))?)?;

    // Trunk's names carry the build's hash: keep them, so its index.html stays right.
    let stem = std::fs::read_dir(dist)
        .map_err(|e| format!("{}: {e}", dist.display()))?
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().to_string()))
        .find_map(|n| n.strip_prefix("backboard-web-").and_then(|h| h.strip_suffix("_bg.wasm")).map(str::to_string))
        .ok_or("trunk wrote no backboard-web-<hash>_bg.wasm")?;
    let parts_dir = format!("split-{stem}");
    let copy =
        |from: &Path, to: &Path| std::fs::copy(from, to).map(|_| ()).map_err(|e| format!("{}: {e}", from.display()));
    copy(&done.join("backboard-web_bg.wasm"), &dist.join(format!("backboard-web-{stem}_bg.wasm")))?;
    let js = std::fs::read_to_string(done.join("backboard-web.js")).map_err(|e| e.to_string())?;
    // Only the import statements: the wasm's import object keeps the module's own name.
    let js = js.replace("from \"./__wasm_split.js\"", &format!("from \"./{parts_dir}/__wasm_split.js\""));
    std::fs::write(dist.join(format!("backboard-web-{stem}.js")), js).map_err(|e| e.to_string())?;
    copy_dir(&done.join("snippets"), &dist.join("snippets"))?;
    copy_dir(&done.join("parts"), &dist.join(&parts_dir))?;
    let loader = dist.join(&parts_dir).join("__wasm_split.js");
    let text = std::fs::read_to_string(&loader).map_err(|e| format!("{}: {e}", loader.display()))?;
    if !text.contains("\"./backboard-web.js\"") {
        return Err("wasm-split's loader no longer imports ./backboard-web.js; update split_web".into());
    }
    let text = text.replace("\"./backboard-web.js\"", &format!("\"../backboard-web-{stem}.js\""));
    // The loader starts a part's fetch before its dependencies are in and awaits it after;
    // a failed fetch then surfaces as an unhandled rejection besides the handled failure.
    let text = text.replace("import.meta.url));", "import.meta.url)); src.catch(() => {});");
    std::fs::write(&loader, &text).map_err(|e| e.to_string())?;
    preload::write(dist, &parts_dir, &text)
}

/// When the file was last written; `None` if it is not there (older than anything).
pub(crate) fn modified(p: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(p).and_then(|m| m.modified()).ok()
}

/// Replaces `to` with a copy of the directory `from`.
fn copy_dir(from: &Path, to: &Path) -> Result {
    let _ = std::fs::remove_dir_all(to);
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if src.is_dir() {
            copy_dir(&src, &dst)?;
        } else {
            std::fs::copy(&src, &dst).map_err(|e| format!("{}: {e}", src.display()))?;
        }
    }
    Ok(())
}

/// The in-page demo (crates/demo) as its own wasm module beside the app, which imports it only
/// when someone tries the demo. Bindings and wasm-opt run again only when the wasm changed.
fn build_demo_module(env: &setup::Tools, out: &Path) -> Result {
    run(cargo().args(["build", "--release", "-p", "backboard-demo", "--lib", "--target", "wasm32-unknown-unknown"]))?;
    let wasm = root().join("target/wasm32-unknown-unknown/release/backboard_demo.wasm");
    let cache = root().join("target/demo-module");
    let optimized = cache.join("backboard_demo_bg.wasm");
    if modified(&optimized) < modified(&wasm) {
        // Bindings into raw/, then wasm-opt writes the final file last: a run that stops half
        // way leaves the old (or no) result, never an unoptimized one that looks current.
        let raw = cache.join("raw");
        run(Command::new(&env.wasm_bindgen)
            .args(["--target", "web", "--no-typescript", "--out-dir"])
            .arg(&raw)
            .arg(&wasm))?;
        std::fs::copy(raw.join("backboard_demo.js"), cache.join("backboard_demo.js")).map_err(|e| e.to_string())?;
        run(Command::new(&env.wasm_opt)
            .arg("-Oz")
            .arg(raw.join("backboard_demo_bg.wasm"))
            .arg("-o")
            .arg(&optimized)
            .env("PATH", &env.path))?;
    }
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    for name in ["backboard_demo.js", "backboard_demo_bg.wasm"] {
        std::fs::copy(cache.join(name), out.join(name)).map_err(|e| format!("{name}: {e}"))?;
    }
    Ok(())
}

pub fn build_worker(env: &setup::Tools) -> Result {
    let mut cmd = Command::new(&env.worker_build);
    cmd.current_dir(root().join("worker"))
        .arg("--release")
        .env("PATH", &env.path)
        .env("WASM_BINDGEN_BIN", &env.wasm_bindgen)
        .env("WASM_OPT_BIN", &env.wasm_opt)
        .env("ESBUILD_BIN", &env.esbuild);
    run(&mut cmd)
}

/// Builds everything the three processes need.
pub(crate) fn build_all(env: &setup::Tools) -> Result {
    run(cargo().args(["build", "--profile", "release-native", "-p", "backboard-sim", "--bin", "backboard-sim"]))?;
    build_web(env)?;
    build_worker(env)
}

/// The edge API's key in the demo and the tests (local only; a deployment sets its own secret).
pub const DEMO_API_KEY: &str = "demo-api-key";

/// The sources the local worker's edge API lists: the simulator's ready-made connections, plus
/// in tests one that fails (an organization whose API answers 500), for partial results.
pub(crate) fn edge_sources(with_failing: bool) -> String {
    let mut sources = backboard_sim::demo_connections();
    if with_failing {
        if let Some(list) = sources.as_array_mut() {
            list.push(backboard_sim::failing_connection());
        }
    }
    sources.to_string()
}

/// Starts simulator, worker and static site; returns when all three answer.
/// Local settings of the worker that differ between the demo and the tests.
pub(crate) struct WorkerVars {
    pub sources: String,
    /// Tests shorten the upstream time limit so the timeout path runs in seconds.
    pub upstream_timeout_ms: Option<u32>,
}

impl WorkerVars {
    pub(crate) fn demo() -> Self {
        Self { sources: edge_sources(false), upstream_timeout_ms: None }
    }
    pub(crate) fn test() -> Self {
        Self { sources: edge_sources(true), upstream_timeout_ms: Some(5_000) }
    }
}

pub(crate) fn start_stack(env: &setup::Tools, ports: &Ports, procs: &mut Procs, vars: &WorkerVars) -> Result {
    let root = root();
    let sim_bin = root.join("target/release-native/backboard-sim");
    procs.spawn("simulator", Command::new(sim_bin).args(["--addr", &format!("127.0.0.1:{}", ports.sim)]))?;
    let sim = format!("http://127.0.0.1:{}", ports.sim);
    let origin = format!("http://127.0.0.1:{}", ports.web);
    // Local KV (the cron's state) and D1 (the history) under target/, not in the source tree.
    let state = root.join("target/wrangler-state");
    apply_migrations(env, &state)?;
    let mut wrangler = Command::new(&env.wrangler);
    wrangler
        .current_dir(root.join("worker"))
        .args(["dev", "--env", "demo", "--local", "--ip", "127.0.0.1", "--port", &ports.worker.to_string()])
        .args(["--show-interactive-dev-session=false", "--log-level", "warn"])
        .arg("--persist-to")
        .arg(&state)
        .args(Provider::ALL.iter().flat_map(|p| ["--var".to_string(), format!("{}:{sim}/{}", p.base_var(), p.slug())]))
        .args(["--var", &format!("ALLOWED_ORIGINS:{origin}")])
        .args(["--var", &format!("BACKBOARD_API_KEY:{DEMO_API_KEY}")])
        .args(["--var", &format!("BACKBOARD_SOURCES:{}", vars.sources)])
        .env("PATH", &env.path)
        .env("WRANGLER_SEND_METRICS", "false")
        .env("CI", "true");
    if let Some(ms) = vars.upstream_timeout_ms {
        wrangler.args(["--var", &format!("UPSTREAM_TIMEOUT_MS:{ms}")]);
    }
    procs.spawn("worker", &mut wrangler)?;
    let dist = root.join("dist");
    page::configure(&dist, &format!("http://127.0.0.1:{}", ports.worker), &sim)?;
    procs.spawn_thread("web", {
        let port = ports.web;
        move || static_server::serve(dist, port)
    });
    procs::wait_http(&format!("127.0.0.1:{}", ports.sim), "/_demo/connections", 30)?;
    procs::wait_http(&format!("127.0.0.1:{}", ports.worker), "/api/v1/health", 120)?;
    procs::wait_http(&format!("127.0.0.1:{}", ports.web), "/", 30)?;
    Ok(())
}

/// Creates or updates the local history database under `state` (the `--persist-to` of wrangler
/// dev) from worker/migrations; offline, nothing leaves the machine.
pub(crate) fn apply_migrations(env: &setup::Tools, state: &Path) -> Result {
    run(Command::new(&env.wrangler)
        .current_dir(root().join("worker"))
        .args(["d1", "migrations", "apply", "backboard", "--local", "--env", "demo", "--persist-to"])
        .arg(state)
        .env("PATH", &env.path)
        .env("WRANGLER_SEND_METRICS", "false")
        .env("CI", "true"))
}

fn demo() -> Result {
    let env = setup::ensure_all()?;
    build_all(&env)?;
    let ports = Ports::from_env();
    let mut procs = Procs::default();
    start_stack(&env, &ports, &mut procs, &WorkerVars::demo())?;
    println!();
    println!("Backboard demo is running:");
    println!("  open         http://127.0.0.1:{}/  and press “Try the demo”", ports.web);
    println!("  worker       http://127.0.0.1:{}  (CORS proxy + /api/v1/*)", ports.worker);
    println!(
        "  edge API     curl -H 'Authorization: Bearer {DEMO_API_KEY}' http://127.0.0.1:{}/api/v1/backups",
        ports.worker
    );
    println!("  simulator    http://127.0.0.1:{}", ports.sim);
    // The demo's connections, by hand: each one's token and ids as the connection form asks.
    for connection in backboard_sim::demo_connections().as_array().into_iter().flatten() {
        println!("  connection   {connection}");
    }
    println!("Press Ctrl-C to stop everything.");
    procs.wait_for_ctrl_c()
}

fn test() -> Result {
    let env = setup::ensure_all()?;
    run(cargo().args(["fmt", "--all", "--", "--check"]))?;
    // Provider knowledge stays in the registries: a grep-level check, before anything builds.
    providers_check::check()?;
    // Clippy with warnings as errors: native members, the wasm crates for wasm32, and the
    // simulator as the in-page demo will build it (pure, no server, for wasm32).
    let wasm = ["--target", "wasm32-unknown-unknown"];
    let native_only = ["--workspace", "--exclude", "backboard-web", "--exclude", "backboard-worker"];
    let clippy_runs: [Vec<&str>; 3] = [
        [&native_only[..], &["--exclude", "backboard-bench-baseline", "--all-targets"]].concat(),
        [&["-p", "backboard-web", "-p", "backboard-worker", "--all-targets"][..], &wasm].concat(),
        [&["-p", "backboard-sim", "--no-default-features", "--lib", "-p", "backboard-demo"][..], &wasm].concat(),
    ];
    for args in clippy_runs {
        run(cargo().arg("clippy").args(args).args(["--", "-D", "warnings"]))?;
    }
    run(cargo().args(["test"]))?;
    // The worker's routing table, natively (the rest of the worker needs the runtime).
    run(cargo().args(["test", "-p", "backboard-worker", "--lib"]))?;
    contracts()?;
    // Browser-only code, in headless Chromium, with the parts linked in (no split loader there).
    run(cargo()
        .args(["test", "-p", "backboard-web", "--target", "wasm32-unknown-unknown", "--no-default-features"])
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", &env.wasm_bindgen_test_runner)
        .env("CHROMEDRIVER", "/usr/bin/chromedriver")
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120")
        .env("PATH", &env.path))?;
    e2e(&env, &[])
}

/// Records every call the core makes and the simulator's answers (a Rust test writes
/// target/contracts/exchanges.json), then checks them against tests/contracts/ offline.
fn contracts() -> Result {
    run(cargo().args(["test", "-p", "backboard-sim", "--test", "published_contracts"]))?;
    run(Command::new("node").current_dir(root().join("tests")).args(["--test", "contracts/"]))
}

/// Builds, starts the stack (with the failing edge source) and runs the e2e suite, or only the
/// given test files (`cargo xtask e2e security edge`).
fn e2e(env: &setup::Tools, only: &[String]) -> Result {
    build_all(env)?;
    let ports = Ports::from_env();
    let mut procs = Procs::default();
    start_stack(env, &ports, &mut procs, &WorkerVars::test())?;
    // dist/ as a static host would publish it with no simulator and no reachable worker (port 9
    // is closed): the in-page demo must work there alone.
    let static_site = root().join("target/e2e/static-site");
    copy_dir(&root().join("dist"), &static_site)?;
    page::configure(&static_site, "http://127.0.0.1:9", "")?;
    let files: Vec<String> = if only.is_empty() {
        vec!["e2e/".into()]
    } else {
        only.iter().map(|f| format!("e2e/{}.test.mjs", f.trim_end_matches(".test.mjs"))).collect()
    };
    let result = run(Command::new("node")
        .current_dir(root().join("tests"))
        .args(["--test", "--test-concurrency=1"])
        .args(&files)
        .env("BACKBOARD_WEB", format!("http://127.0.0.1:{}", ports.web))
        .env("BACKBOARD_WORKER", format!("http://127.0.0.1:{}", ports.worker))
        .env("BACKBOARD_SIM", format!("http://127.0.0.1:{}", ports.sim))
        .env("BACKBOARD_API_KEY", DEMO_API_KEY)
        // monitoring.test.mjs starts a worker of its own (its webhook, its KV, its cron).
        .env("BACKBOARD_WRANGLER", &env.wrangler)
        .env("BACKBOARD_WORKER_DIR", root().join("worker"))
        .env("BACKBOARD_STATIC_SITE", &static_site)
        .env("BACKBOARD_ARTIFACTS", root().join("target/e2e")));
    drop(procs);
    result
}
