//! Words about backups and links, the same everywhere.

use backboard_core::Backup;

/// A name to put inside a sentence: one that carries bidi controls (the simulator serves a
/// "\u{202E}" name, as a hostile record could) is wrapped in an isolate (FSI … PDI), so it
/// cannot reverse the words around it. Plain names are left as they are.
pub fn isolate(name: &str) -> String {
    let bidi = |c: char| matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    if name.chars().any(bidi) {
        format!("\u{2068}{name}\u{2069}")
    } else {
        name.to_string()
    }
}

/// A backup's name for sentences and labels (isolated), or its id when it has none.
pub fn title(backup: &Backup) -> String {
    if backup.name.is_empty() {
        backup.id.clone()
    } else {
        isolate(&backup.name)
    }
}

/// Only plain web links become anchors; anything else (javascript:, data:) stays text.
pub fn safe_link(url: &str) -> Option<String> {
    (url.starts_with("https://") || url.starts_with("http://")).then(|| url.to_string())
}

/// "1 backup", "2 backups".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
