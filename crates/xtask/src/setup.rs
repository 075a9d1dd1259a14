//! Installs what the build and tests need, from the package registries only, at pinned
//! versions. Each step checks first, so a set-up machine passes through in a second or two.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{modified, root, run, Result};

/// The one place tool versions are pinned (wasm-bindgen's comes from Cargo.lock).
pub const TRUNK_VERSION: &str = "0.21.14";
pub const WORKER_BUILD_VERSION: &str = "0.8.7";
/// The load generator of `cargo xtask bench` (installed by the bench only).
pub const OHA_VERSION: &str = "1.16.0";
/// wasm-split (the CLI of wasm_split_cli_support), matching the wasm_split_helpers that Leptos'
/// `#[lazy]` uses.
pub const WASM_SPLIT_VERSION: &str = "0.2.3";

pub struct Tools {
    pub trunk: PathBuf,
    pub worker_build: PathBuf,
    pub wasm_bindgen: PathBuf,
    pub wasm_bindgen_test_runner: PathBuf,
    pub wasm_opt: PathBuf,
    pub wasm_split: PathBuf,
    pub esbuild: PathBuf,
    pub wrangler: PathBuf,
    /// PATH with the project's npm tools (wasm-opt 132 first) and cargo's bin directory.
    pub path: OsString,
}

pub fn cargo_bin() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from("/root/.cargo"))
        .join("bin")
}

/// The exact wasm-bindgen version the lockfile resolved.
pub fn locked_version(package: &str) -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let needle = format!("name = \"{package}\"\nversion = \"");
    let start = lock.find(&needle).ok_or_else(|| format!("{package} is not in Cargo.lock"))? + needle.len();
    Ok(lock[start..].split('"').next().unwrap_or_default().to_string())
}

fn version_of(bin: &Path) -> Option<String> {
    let out = Command::new(bin).arg("--version").output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

pub fn cargo_install(bin: &Path, krate: &str, version: &str, locked: bool) -> Result {
    if version_of(bin).is_some_and(|v| v.split_whitespace().any(|w| w == version)) {
        return Ok(());
    }
    eprintln!("xtask: installing {krate} {version} (once per machine)");
    let mut cmd = Command::new("cargo");
    cmd.args(["install", krate, "--version", version, "--force"]);
    if locked {
        cmd.arg("--locked");
    }
    // Installing from inside the workspace would pick up its rust-toolchain; that is fine.
    run(&mut cmd)
}

/// The CLI has no `--version`; cargo's own list of installed crates says which one is there.
fn ensure_wasm_split(bin: &Path) -> Result {
    let listed = Command::new("cargo").args(["install", "--list"]).output().map_err(|e| format!("cargo: {e}"))?;
    let wanted = format!("wasm_split_cli_support v{WASM_SPLIT_VERSION}:");
    if bin.join("wasm-split-cli").exists() && String::from_utf8_lossy(&listed.stdout).lines().any(|l| l == wanted) {
        return Ok(());
    }
    eprintln!("xtask: installing wasm_split_cli_support {WASM_SPLIT_VERSION} (once per machine)");
    run(Command::new("cargo").args(["install", "wasm_split_cli_support", "--version", WASM_SPLIT_VERSION]).args([
        "--features",
        "build-binary",
        "--locked",
        "--force",
    ]))
}

fn ensure_apt() -> Result {
    if Path::new("/usr/bin/chromium").exists() && Path::new("/usr/bin/chromedriver").exists() {
        return Ok(());
    }
    eprintln!("xtask: installing Debian's chromium and chromium-driver");
    run(Command::new("apt-get").arg("update").arg("-qq"))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "-qq", "--no-install-recommends", "chromium", "chromium-driver"])
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

fn ensure_npm() -> Result {
    ensure_npm_in(&root().join("tests"))
}

/// `npm ci` in `dir` unless its node_modules is newer than its package files.
pub fn ensure_npm_in(tests: &Path) -> Result {
    let tests = tests.to_path_buf();
    let installed = tests.join("node_modules/.package-lock.json");
    let lock = tests.join("package-lock.json");
    if installed.exists()
        && modified(&installed) >= modified(&lock)
        && modified(&installed) >= modified(&tests.join("package.json"))
    {
        return Ok(());
    }
    let verb = if lock.exists() { "ci" } else { "install" };
    run(Command::new("npm").current_dir(&tests).args([verb, "--no-audit", "--no-fund", "--loglevel=error"]))
}

fn ensure_wasm_target() -> Result {
    let out = Command::new("rustup").current_dir(root()).args(["target", "list", "--installed"]).output();
    match out {
        Ok(o) if String::from_utf8_lossy(&o.stdout).contains("wasm32-unknown-unknown") => Ok(()),
        Ok(_) => run(Command::new("rustup").current_dir(root()).args(["target", "add", "wasm32-unknown-unknown"])),
        Err(_) => Ok(()), // no rustup: the toolchain is managed elsewhere
    }
}

pub fn ensure_all() -> Result<Tools> {
    ensure_wasm_target()?;
    let bin = cargo_bin();
    let bindgen_version = locked_version("wasm-bindgen")?;
    // The registry lacks one dependency pinned in wasm-bindgen-cli's lockfile: no --locked.
    cargo_install(&bin.join("wasm-bindgen"), "wasm-bindgen-cli", &bindgen_version, false)?;
    cargo_install(&bin.join("trunk"), "trunk", TRUNK_VERSION, true)?;
    cargo_install(&bin.join("worker-build"), "worker-build", WORKER_BUILD_VERSION, true)?;
    ensure_wasm_split(&bin)?;
    ensure_apt()?;
    ensure_npm()?;
    let npm_bin = root().join("tests/node_modules/.bin");
    let esbuild = [npm_bin.join("esbuild"), root().join("tests/node_modules/esbuild/bin/esbuild")]
        .into_iter()
        .find(|p| p.exists())
        .ok_or("esbuild (a dependency of wrangler) is missing from tests/node_modules")?;
    let mut path = OsString::from(&npm_bin);
    path.push(":");
    path.push(&bin);
    if let Some(p) = std::env::var_os("PATH") {
        path.push(":");
        path.push(p);
    }
    Ok(Tools {
        trunk: bin.join("trunk"),
        worker_build: bin.join("worker-build"),
        wasm_bindgen: bin.join("wasm-bindgen"),
        wasm_bindgen_test_runner: bin.join("wasm-bindgen-test-runner"),
        wasm_opt: npm_bin.join("wasm-opt"),
        wasm_split: bin.join("wasm-split-cli"),
        esbuild,
        wrangler: npm_bin.join("wrangler"),
        path,
    })
}
