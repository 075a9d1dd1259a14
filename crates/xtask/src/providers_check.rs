//! `cargo xtask check-providers`: fails when code outside the provider registries names a
//! provider, so that everything one provider means stays in its folders (docs/adding-a-provider.md).
//!
//! A line names a provider when its code (comments left out) contains a provider's slug or name,
//! in any case: `Provider::Mittwald`, `"serveravatar"`, `NorthflankAddon(`, `MITTWALD_BASE` and
//! `providers::mittwald::` all do. The words come from the core's facts table, so this file names
//! no provider and a new one is checked as soon as it has its row.
//!
//! Allowed: the paths in [`ALLOWED`], and unit tests: a top-level `#[cfg(test)] mod` (or
//! `pub(crate) mod`) block in a
//! Rust file, up to its closing `}` in column 0 (rustfmt's layout; a grep-level rule, not a parser).

use std::path::{Path, PathBuf};

use crate::{root, Result};

/// Where a provider may be named. An entry ending in `/` is a folder; one starting with `*/` is
/// that folder at any depth. Tests and benches exercise each provider by name.
const ALLOWED: &[&str] = &[
    "crates/core/src/provider.rs",
    "crates/core/src/providers/",
    "crates/sim/src/providers/",
    "web/src/providers/",
    "worker/wrangler.toml",
    "tests/",
    "*/tests/",
    "*/benches/",
];

/// Files checked, by extension. Prose (Markdown, the page's HTML) is not code.
const EXTENSIONS: &[&str] = &["rs", "mjs", "cjs", "js", "toml"];

/// Directories never entered: build output, installed packages, version control.
const SKIPPED_DIRS: &[&str] = &["target", "node_modules", "dist", "build", ".git", ".wrangler"];

/// The lowercase words that name a provider: every slug and display name of the facts table.
fn provider_words() -> Vec<String> {
    let mut words: Vec<String> = backboard_core::Provider::ALL
        .iter()
        .flat_map(|p| [p.slug().to_ascii_lowercase(), p.name().to_ascii_lowercase()])
        .collect();
    words.sort();
    words.dedup();
    words
}

fn is_allowed(path: &str) -> bool {
    ALLOWED.iter().any(|entry| match entry.strip_prefix("*/") {
        Some(folder) => path.starts_with(folder) || path.contains(&format!("/{folder}")),
        None if entry.ends_with('/') => path.starts_with(entry),
        None => path == *entry,
    })
}

/// The line without its comment: from `marker` on, unless the marker sits inside a string.
fn code_part<'a>(line: &'a str, marker: &str) -> &'a str {
    let mut from = 0;
    while let Some(i) = line[from..].find(marker) {
        let at = from + i;
        if line[..at].matches('"').count().is_multiple_of(2) {
            return &line[..at];
        }
        from = at + marker.len();
    }
    line
}

/// `(line number, text)` of each line of `text` whose code names a provider.
fn offending_lines(text: &str, extension: &str, words: &[String]) -> Vec<(usize, String)> {
    let marker = if extension == "toml" { "#" } else { "//" };
    let mut out = Vec::new();
    let mut lines = text.lines().enumerate().peekable();
    while let Some((i, line)) = lines.next() {
        if extension == "rs"
            && line == "#[cfg(test)]"
            && lines
                .peek()
                .is_some_and(|(_, l)| (l.starts_with("mod ") || l.starts_with("pub(crate) mod ")) && l.ends_with('{'))
        {
            for (_, l) in lines.by_ref() {
                if l == "}" {
                    break;
                }
            }
            continue;
        }
        let code = code_part(line, marker).to_ascii_lowercase();
        if words.iter().any(|w| code.contains(w.as_str())) {
            out.push((i + 1, line.trim().to_string()));
        }
    }
    out
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) -> Result {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if path.is_dir() {
            if !SKIPPED_DIRS.contains(&name.as_ref()) {
                collect(&path, files)?;
            }
        } else if path.extension().is_some_and(|e| EXTENSIONS.contains(&e.to_string_lossy().as_ref())) {
            files.push(path);
        }
    }
    Ok(())
}

/// Lists every offending line as `file:line: text`, then the count per file; fails if any.
pub fn check() -> Result {
    let root = root();
    let words = provider_words();
    let mut files = Vec::new();
    collect(&root, &mut files)?;
    files.sort();
    let mut per_file = Vec::new();
    for file in files {
        let relative = file.strip_prefix(&root).unwrap_or(&file).to_string_lossy().replace('\\', "/");
        if is_allowed(&relative) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&file) else { continue };
        let extension = file.extension().unwrap_or_default().to_string_lossy().to_string();
        let found = offending_lines(&text, &extension, &words);
        for (line, code) in &found {
            println!("{relative}:{line}: {code}");
        }
        if !found.is_empty() {
            per_file.push((relative, found.len()));
        }
    }
    if per_file.is_empty() {
        println!("check-providers: no provider is named outside the registries");
        return Ok(());
    }
    println!();
    for (file, count) in &per_file {
        println!("{count:5}  {file}");
    }
    let total: usize = per_file.iter().map(|(_, n)| n).sum();
    Err(format!(
        "{total} lines in {} files name a provider outside the registries (allowed: {})",
        per_file.len(),
        ALLOWED.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words() -> Vec<String> {
        vec!["acme".into()]
    }

    #[test]
    fn code_naming_a_provider_is_found_and_comments_are_not() {
        let text = "let p = Provider::Acme;\n// acme in a comment\nlet u = \"https://api.acme.test\"; // acme\nlet x = 1; // ACME\n";
        let found: Vec<usize> = offending_lines(text, "rs", &words()).into_iter().map(|(n, _)| n).collect();
        assert_eq!(found, vec![1, 3]);
    }

    #[test]
    fn a_top_level_test_module_is_skipped_up_to_its_closing_brace() {
        let text = "#[cfg(test)]\nmod tests {\n    Acme(1);\n}\nfn f() { Acme(2) }\n";
        let found: Vec<usize> = offending_lines(text, "rs", &words()).into_iter().map(|(n, _)| n).collect();
        assert_eq!(found, vec![5]);
        // One its crate's other tests share.
        let text = "#[cfg(test)]\npub(crate) mod tests {\n    Acme(1);\n}\npub(crate) mod x { Acme(2) }\n";
        let found: Vec<usize> = offending_lines(text, "rs", &words()).into_iter().map(|(n, _)| n).collect();
        assert_eq!(found, vec![5]);
    }

    #[test]
    fn toml_comments_start_with_a_hash() {
        let text = "# ACME_BASE is set below\nACME_BASE = \"https://x.test/#acme\"\n";
        let found: Vec<usize> = offending_lines(text, "toml", &words()).into_iter().map(|(n, _)| n).collect();
        assert_eq!(found, vec![2]);
    }

    #[test]
    fn registries_tests_and_benches_are_allowed_and_nothing_else() {
        for path in [
            "crates/core/src/provider.rs",
            "crates/core/src/providers/acme/list.rs",
            "web/src/providers/mod.rs",
            "crates/sim/tests/contract.rs",
            "tests/e2e/list.test.mjs",
            "crates/sim/benches/parse.rs",
        ] {
            assert!(is_allowed(path), "{path}");
        }
        for path in
            ["crates/core/src/provider_facts.rs", "crates/core/src/health.rs", "worker/src/lib.rs", "contests/x.rs"]
        {
            assert!(!is_allowed(path), "{path}");
        }
    }

    #[test]
    fn the_words_come_from_the_facts_table() {
        let words = provider_words();
        assert!(!words.is_empty());
        assert!(words.iter().all(|w| *w == w.to_ascii_lowercase()));
    }
}
