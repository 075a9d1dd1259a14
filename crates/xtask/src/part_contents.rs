//! What a provider's part holds must stay out of the main module: the core's list parsers
//! (`backboard_core::providers::<slug>::list`) and the app's panels (every module of
//! `backboard_web::providers::<slug>` but its piece of the connection form). Checked on
//! wasm-split's main module, whose name section still has the mangled names, so a call that
//! pulls a provider's code back into main fails the build instead of quietly growing it.

use backboard_core::Provider;

use crate::Result;

/// The provider-only functions named in `main` (a wasm module with its name section). Drop
/// glue is left out: the linker folds identical bodies into one, under any of their names.
fn strays(main: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(main);
    // Names sit between length and index bytes, which may read as letters: cut at each "_ZN".
    let paths = providers_paths();
    let symbols = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || "_$.".contains(c)))
        .flat_map(|run| run.split("_ZN").skip(1))
        .filter(|s| !s.contains("drop_in_place"));
    let mut found: Vec<String> = symbols.filter(|s| is_providers_own(s, &paths)).map(|s| format!("_ZN{s}")).collect();
    found.sort();
    found.dedup();
    found
}

/// A path in a mangled name, what must follow it for the name to be a provider's own, and what
/// following it is allowed.
type ProviderPath = (String, &'static str, Option<&'static str>);

/// Per provider: a function's own path (legacy mangling), and a type's path inside a generic's
/// name, for its list module in the core and its folder in the app (but its connection form).
fn providers_paths() -> Vec<ProviderPath> {
    Provider::ALL
        .into_iter()
        .flat_map(|provider| {
            let slug = provider.slug();
            [
                (format!("14backboard_core9providers{}{slug}", slug.len()), "4list", None),
                (format!("backboard_core..providers..{slug}.."), "list..", None),
                (format!("13backboard_web9providers{}{slug}", slug.len()), "", Some("10connection")),
                (format!("backboard_web..providers..{slug}.."), "", Some("connection..")),
            ]
        })
        .collect()
}

/// Whether a mangled name is a function of a provider's list module or of its panels.
fn is_providers_own(symbol: &str, paths: &[ProviderPath]) -> bool {
    paths.iter().any(|(path, inner, allowed)| {
        symbol.match_indices(path.as_str()).any(|(at, _)| {
            let rest = &symbol[at + path.len()..];
            rest.starts_with(inner) && !allowed.is_some_and(|a| rest.starts_with(a))
        })
    })
}

/// Fails when the main module holds code that belongs in a provider's part.
pub fn check(main: &[u8]) -> Result {
    match strays(main) {
        none if none.is_empty() => Ok(()),
        found => Err(format!(
            "the main module holds provider code that belongs in its part (web/src/providers/part.rs):\n  {}",
            found.join("\n  ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_providers_parser_or_panel_in_main_is_named() {
        let main = b" _ZN14backboard_core9providers8mittwald4list10parse_page17h0E \
            _ZN4core3ptr10drop_in_place17h9EA_ZN13backboard_web9providers10northflank5tools5Tools17h1E \
            _ZN90_$LT$backboard_core..providers..serveravatar..list..Listed$u20$as$u20$Clone$GT$5clone17h2E";
        let found = strays(main);
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(check(main).is_err());
    }

    #[test]
    fn shared_records_and_the_connection_form_may_stay() {
        let main = b"_ZN14backboard_core9providers8mittwald5model9SortOrder6as_str17h0E\
            _ZN13backboard_web9providers8mittwald10connection7filters17h1Ea\
            _ZN13backboard_web9providers4kind17h2E\
            _ZN4core3ptr60drop_in_place$LT$backboard_web..providers..northflank..actions..Panel$GT$17h3E";
        assert_eq!(strays(main), Vec::<String>::new());
        assert!(check(main).is_ok());
    }
}
