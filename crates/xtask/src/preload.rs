//! Each provider's part of the app (`web/src/providers/mod.rs`, split by wasm-split) is fetched
//! beside the main module when the visitor's kept connections need it: the app lists their
//! providers under `PARTS_KEY`, and a small script in `index.html`'s head, run before the main
//! module, adds a preload for each of their files. The page's CSP admits the script by its hash.

use std::path::Path;

use backboard_core::page::{PARTS_KEY, PRESSED_ATTR, SHELL_ATTR};
use backboard_core::Provider;

use crate::Result;

const META: &str = "<meta name=\"backboard-parts\"";

/// Every part in wasm-split's loader with the files it fetches: its own and the chunks it
/// shares with other parts.
fn parts_in(loader: &str) -> Vec<(String, Vec<String>)> {
    const EXPORT: &str = "export const __wasm_split_load_";
    let mut out = Vec::new();
    for piece in loader.split(EXPORT).skip(1) {
        let Some(name) = piece.split([' ', '=']).next().filter(|n| !n.is_empty()) else { continue };
        let deps = piece
            .rfind(", [")
            .and_then(|i| piece[i + 3..].split(']').next())
            .map(|d| d.split(',').filter_map(|c| c.trim().strip_prefix("__")).map(|c| format!("{c}.wasm")).collect())
            .unwrap_or_else(Vec::new);
        let files = std::iter::once(format!("split_{name}.wasm")).chain(deps).collect();
        out.push((name.to_string(), files));
    }
    out
}

/// The meta tag naming each provider's files, under `parts_dir`, and the script that preloads
/// them. Every provider must have its part: a provider without one is a build error.
fn head(loader: &str, parts_dir: &str) -> Result<String> {
    let parts = parts_in(loader);
    let mut entries = Vec::new();
    for provider in Provider::ALL {
        let name = format!("{}_part", provider.slug());
        let (_, files) = parts.iter().find(|(n, _)| *n == name).ok_or_else(|| {
            format!("wasm-split made no part {name} (web/src/providers/mod.rs names one per provider)")
        })?;
        entries.push(format!("{}={}", provider.slug(), files.join(",")));
    }
    Ok(format!(
        "{META} content=\"{parts_dir}/ {}\">\n<script>{}</script>\n",
        entries.join(" "),
        SCRIPT.replace("PARTS_KEY", PARTS_KEY).replace("SHELL_ATTR", SHELL_ATTR).replace("PRESSED_ATTR", PRESSED_ATTR)
    ))
}

/// Runs before the main module: the parts listed under `PARTS_KEY` (tab first, then device)
/// start downloading at once, and the loader's own fetch later finds them in the cache. A
/// visitor with such a list keeps connections: `<html class="kept">` has the first screen show
/// the list's place instead of the empty state (web/style.css). A button pressed in the shell is
/// marked busy and named under `PRESSED_ATTR`, for the app to press once it has started.
const SCRIPT: &str = "(function(){var d=document.documentElement;\
document.addEventListener('click',function(e){var b=document.body,c=e.target.closest&&e.target.closest('button');\
if(c&&b&&b.hasAttribute('SHELL_ATTR')){d.setAttribute('PRESSED_ATTR',c.textContent);c.setAttribute('aria-busy','true')}},true);\
try{var m=document.querySelector('meta[name=\"backboard-parts\"]');\
var w=sessionStorage.getItem('PARTS_KEY')||localStorage.getItem('PARTS_KEY');if(!m||!w)return;\
document.documentElement.classList.add('kept');\
var t=m.content.split(' '),f={},s={};t.slice(1).forEach(function(e){var p=e.split('=');f[p[0]]=p[1].split(',')});\
w.split(',').forEach(function(p){(f[p]||[]).forEach(function(x){if(s[x])return;s[x]=1;var l=document.createElement('link');\
l.rel='preload';l.as='fetch';l.crossOrigin='anonymous';l.href=t[0]+x;document.head.appendChild(l)})})}catch(e){}})();";

/// Writes the meta tag and the script into `dist/index.html`'s head, in place of earlier ones.
pub fn write(dist: &Path, parts_dir: &str, loader: &str) -> Result {
    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
    let html = match html.find(META) {
        Some(start) => {
            let end = html[start..].find("</script>\n").map(|e| start + e + "</script>\n".len()).unwrap_or(start);
            format!("{}{}", &html[..start], &html[end..])
        }
        None => html,
    };
    // Before trunk's module script, so the preloads start first.
    let at =
        html.find("<script type=\"module\"").or_else(|| html.find("</head>")).ok_or("index.html has no </head>")?;
    let html = format!("{}{}{}", &html[..at], head(loader, parts_dir)?, &html[at..]);
    std::fs::write(&index, html).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOADER: &str = r#"
        const __chunk_3 = makeLoad(() => {}, []);
        export const __wasm_split_load_mittwald_part = wrapAsyncCb(makeLoad(() => {
            const src = fetch(new URL("./split_mittwald_part.wasm", import.meta.url));
        }
        , [__chunk_3]));
        export const __wasm_split_load_northflank_part = wrapAsyncCb(makeLoad(() => {
        }
        , [__chunk_3, __chunk_4]));
        export const __wasm_split_load_serveravatar_part = wrapAsyncCb(makeLoad(() => {
        }
        , []));
"#;

    #[test]
    fn each_part_fetches_its_own_file_and_the_chunks_it_shares() {
        assert_eq!(
            parts_in(LOADER),
            vec![
                ("mittwald_part".into(), vec!["split_mittwald_part.wasm".into(), "chunk_3.wasm".into()]),
                (
                    "northflank_part".into(),
                    vec!["split_northflank_part.wasm".into(), "chunk_3.wasm".into(), "chunk_4.wasm".into()]
                ),
                ("serveravatar_part".into(), vec!["split_serveravatar_part.wasm".into()]),
            ]
        );
    }

    #[test]
    fn the_head_names_every_provider_and_reads_the_apps_key() {
        let head = head(LOADER, "split-ab").unwrap();
        assert!(head.starts_with("<meta name=\"backboard-parts\" content=\"split-ab/ serveravatar=split_serveravatar_part.wasm northflank=split_northflank_part.wasm,chunk_3.wasm,chunk_4.wasm mittwald=split_mittwald_part.wasm,chunk_3.wasm\">"), "{head}");
        assert!(head.contains(&format!("getItem('{PARTS_KEY}')")));
        assert!(!head.contains("'PARTS_KEY'"));
    }

    #[test]
    fn a_provider_without_its_part_fails_the_build() {
        let without = LOADER.replace("mittwald_part", "something_else");
        assert!(head(&without, "split-ab").unwrap_err().contains("mittwald_part"));
    }
}
