//! The SPA shows a provider's control only when the member's role may call its route, which it
//! names as a string (`may_call(Provider::X, "create_backup")`, or `may("...")` in a provider's
//! folder). Every such name must be one of that provider's declared routes: a typo would hide
//! the control from every role, and nothing else would say so.

use std::path::Path;

use backboard_core::{providers, Provider};

/// The string literals asked about in `text`: the literal argument of `may(` and the route
/// argument of `may_call(`.
fn names_asked(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for (marker, skip_to_comma) in [("may(", false), ("may_call(", true)] {
        for (at, _) in text.match_indices(marker) {
            let rest = &text[at + marker.len()..];
            let args = &rest[..rest.find(')').unwrap_or(rest.len())];
            let arg = if skip_to_comma { args.split_once(',').map_or("", |(_, r)| r) } else { args };
            if let Some(literal) = arg.trim().strip_prefix('"').and_then(|a| a.split('"').next()) {
                names.push(literal.to_string());
            }
        }
    }
    names
}

#[test]
fn every_route_name_the_spa_asks_about_is_declared() {
    let web = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/src/providers");
    let mut checked = 0;
    for provider in Provider::ALL {
        let dir = web.join(provider.slug());
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            for name in names_asked(&text) {
                let declared = providers::routes_of(provider).iter().any(|r| r.name == name);
                assert!(declared, "{}: {provider:?} declares no route {name:?}", path.display());
                checked += 1;
            }
        }
    }
    assert!(checked >= 10, "only {checked} names found: the SPA's way of asking changed");
}

#[test]
fn names_are_read_from_both_forms() {
    let text = r#"may_call(Provider::X, "create_backup") && may("delete_backup") || may(route)"#;
    assert_eq!(names_asked(text), ["delete_backup", "create_backup"]);
}
