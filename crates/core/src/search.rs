//! The list's text search, built once per list so that a keystroke at 10,000 backups costs
//! about what it costs at 100: each searched value is lower-cased once, and a value many
//! backups share (a source's label and id, a status word, a schedule's name) is one entry that
//! a search word tests once, not once per backup. Repeats are found among each field's latest
//! few values rather than through a hash map, whose code in the app's main wasm would weigh
//! more than the rare repeat the short list misses.

use crate::model::Backup;

/// How many values each backup is searched by (see [`values_of`]).
const FIELDS: usize = 5;
/// How many of a field's latest distinct values a new one is compared with before it counts as
/// new: a list repeats a few values per field (its sources, a handful of status words and
/// schedule names), and a value missed only costs a second copy.
const RECENT: usize = 16;

/// The values a backup is searched by; the shared ones first, so a word they hold decides a
/// backup before its own id is looked at.
fn values_of(b: &Backup) -> [&str; FIELDS] {
    [&b.source.label, &b.source.id, &b.status_raw, &b.name, &b.id]
}

/// One distinct value, lower-cased, with the set of characters it holds.
#[derive(Clone, Debug)]
struct Value {
    text: String,
    chars: u64,
}

/// Every backup's searched values, a value its field repeats kept once.
#[derive(Clone, Debug, Default)]
pub struct SearchIndex {
    values: Vec<Value>,
    /// Per backup (in the list's order), its values as indices into `values`.
    rows: Vec<[u32; FIELDS]>,
}

/// A coarse set of the characters in `text`: one bit per letter and digit, the rest folded into
/// the remaining bits. A value lacking one of a word's bits cannot contain the word.
fn char_set(text: &str) -> u64 {
    text.bytes().fold(0, |set, b| {
        let bit = match b {
            b'a'..=b'z' => b - b'a',
            b'0'..=b'9' => 26 + b - b'0',
            _ => 36 + b % 28,
        };
        set | 1 << bit
    })
}

impl SearchIndex {
    pub fn new(backups: &[Backup]) -> Self {
        let mut values = Vec::new();
        // Per field, its latest distinct values as given and their place in `values`.
        let mut recent: [Vec<(&str, u32)>; FIELDS] = Default::default();
        let rows = backups
            .iter()
            .map(|b| {
                let mut row = [0; FIELDS];
                for ((slot, v), seen) in row.iter_mut().zip(values_of(b)).zip(&mut recent) {
                    *slot = match seen.iter().rev().find(|(text, _)| *text == v) {
                        Some(&(_, id)) => id,
                        None => {
                            let text = v.to_lowercase();
                            values.push(Value { chars: char_set(&text), text });
                            let id = (values.len() - 1) as u32;
                            if seen.len() == RECENT {
                                seen.remove(0);
                            }
                            seen.push((v, id));
                            id
                        }
                    };
                }
                row
            })
            .collect();
        Self { values, rows }
    }

    /// How many backups the index was built from.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// A search for `needle`: every whitespace-separated word must occur, case-insensitively,
    /// within one of a backup's values (name, id, source label, source id, raw status).
    pub fn search(&self, needle: &str) -> Search<'_> {
        let words = needle
            .to_lowercase()
            .split_whitespace()
            .map(|w| Word { chars: char_set(w), text: w.to_string(), known: vec![Known::Unknown; self.values.len()] })
            .collect();
        Search { index: self, words }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Known {
    Unknown,
    Absent,
    Present,
}

struct Word {
    text: String,
    chars: u64,
    /// Per distinct value, whether it holds this word, once looked at.
    known: Vec<Known>,
}

impl Word {
    fn in_value(&mut self, values: &[Value], v: u32) -> bool {
        let slot = &mut self.known[v as usize];
        if *slot == Known::Unknown {
            let value = &values[v as usize];
            let held = value.chars & self.chars == self.chars && value.text.contains(&self.text);
            *slot = if held { Known::Present } else { Known::Absent };
        }
        *slot == Known::Present
    }
}

/// One search over a [`SearchIndex`]; it remembers which values hold each word as it goes.
pub struct Search<'a> {
    index: &'a SearchIndex,
    words: Vec<Word>,
}

impl Search<'_> {
    /// Whether the backup at `row` (its place in the indexed list) matches every word.
    pub fn matches(&mut self, row: usize) -> bool {
        let (values, Some(own)) = (&self.index.values, self.index.rows.get(row)) else {
            return false;
        };
        self.words.iter_mut().all(|w| own.iter().any(|&v| w.in_value(values, v)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Contents, Source, Status};
    use crate::provider::Provider;
    use proptest::prelude::*;

    fn backup(id: &str, name: &str, label: &str, status_raw: &str) -> Backup {
        Backup {
            provider: Provider::Mittwald,
            source: Source { kind: "project".into(), id: format!("src-{label}"), label: label.into() },
            id: id.into(),
            name: name.into(),
            status: Status::from_words(status_raw),
            status_raw: status_raw.into(),
            created: None,
            completed: None,
            expires: None,
            size_bytes: None,
            contents: Contents::default(),
            link: None,
            details: crate::view::tests::minimal_details(id),
        }
    }

    /// The search as a plain scan: each word within one of the lower-cased values.
    fn scan(b: &Backup, needle: &str) -> bool {
        let needle = needle.to_lowercase();
        needle.split_whitespace().all(|w| values_of(b).iter().any(|v| v.to_lowercase().contains(w)))
    }

    fn hits(list: &[Backup], needle: &str) -> Vec<String> {
        let index = SearchIndex::new(list);
        let mut search = index.search(needle);
        (0..list.len()).filter(|&i| search.matches(i)).map(|i| list[i].id.clone()).collect()
    }

    #[test]
    fn words_match_within_any_value_case_insensitively() {
        let list = vec![
            backup("m1", "Shop nightly", "Shop project", "Completed"),
            backup("m2", "Shop weekly", "Shop project", "Failed"),
            backup("m3", "ÄRGER <img>", "Blog", "Completed"),
        ];
        assert_eq!(hits(&list, ""), ["m1", "m2", "m3"]);
        assert_eq!(hits(&list, "SHOP"), ["m1", "m2"]);
        assert_eq!(hits(&list, "shop  weekly"), ["m2"]);
        assert_eq!(hits(&list, "completed"), ["m1", "m3"]);
        assert_eq!(hits(&list, "src-blog"), ["m3"]);
        assert_eq!(hits(&list, "m2"), ["m2"]);
        assert_eq!(hits(&list, "ärger <img"), ["m3"]);
        assert!(hits(&list, "nothing like it").is_empty());
        // A word never spans two values.
        assert!(hits(&list, "nightlyshop").is_empty());
        assert!(!SearchIndex::new(&list).search("shop").matches(3), "a row past the list matches nothing");
    }

    #[test]
    fn shared_values_are_kept_once() {
        let list: Vec<Backup> = (0..100).map(|i| backup(&format!("id-{i}"), "Daily", "Shop", "Completed")).collect();
        let index = SearchIndex::new(&list);
        assert_eq!(index.len(), 100);
        // Each id, plus one label, one source id, one status word and one name.
        assert_eq!(index.values.len(), 104);
        // More names than are remembered, in turn: some are kept twice, and all are found.
        let names: Vec<String> = (0..RECENT + 4).map(|n| format!("Nightly{n}")).collect();
        let list: Vec<Backup> =
            (0..100).map(|i| backup(&format!("id-{i}"), &names[i % names.len()], "Shop", "Completed")).collect();
        assert!(SearchIndex::new(&list).values.len() > 100 + 3 + names.len());
        assert_eq!(hits(&list, "nightly3").len(), 5);
        assert_eq!(hits(&list, "NIGHTLY13 id-93").len(), 1);
    }

    proptest! {
        #[test]
        fn the_index_finds_what_a_plain_scan_finds(
            rows in proptest::collection::vec(("[a-cA-C0-9 ]{0,6}", "[a-cÄ<]{0,4}", "[ab]{1,2}", "[A-Cx]{0,5}"), 0..30),
            needle in "[a-cA-CÄä0-9< ]{0,6}",
        ) {
            let list: Vec<Backup> = rows.iter().map(|(id, name, label, status)| backup(id, name, label, status)).collect();
            let index = SearchIndex::new(&list);
            let mut search = index.search(&needle);
            for (i, b) in list.iter().enumerate() {
                prop_assert_eq!(search.matches(i), scan(b, &needle), "{:?} in {:?}", needle, b.id);
            }
        }
    }
}
