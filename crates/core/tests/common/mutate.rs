//! Valid example answers, damaged the ways real answers go wrong: fields dropped or given twice,
//! values of another type, hostile unicode, numbers no Rust type holds, the text cut short.

use proptest::prelude::*;
use proptest::sample::{select, Index};
use serde_json::{json, Value};

use super::nodes;

/// Raw JSON no `serde_json::Value` can hold: out-of-range numbers, broken escapes.
const RAW: &[&str] = &[
    "1e400",
    "-1e400",
    "1e-400",
    "18446744073709551616",
    "-9223372036854775809",
    "123456789012345678901234567890.5",
    "9007199254740993",
    "1.7976931348623157e308",
    "-0",
    "\"\\ud800\"",
    "\"\\udfff\\ud800\"",
    "\"\\u0000\"",
];

/// Strings that break naive text handling.
fn unicode(n: usize) -> String {
    match n % 10 {
        0 => String::new(),
        1 => "\u{0}".into(),
        2 => "\u{202e}gnp.exe".into(),
        3 => "e\u{301}\u{301}\u{301}\u{301}".into(),
        4 => "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ☃ 🦀".into(),
        5 => "\u{feff}\u{fffd}\u{200b}".into(),
        6 => "🦀".repeat(300),
        7 => "a".repeat(5000),
        8 => " \t\r\n ".into(),
        _ => "<script>alert(1)</script>".into(),
    }
}

/// A value of another type in place of `old`.
fn retyped(old: &Value, n: usize) -> Value {
    match n % 11 {
        0 => Value::Null,
        1 => json!(true),
        2 => json!(0),
        3 => json!(-1),
        4 => json!(1.5),
        5 => json!(""),
        6 => json!("text"),
        7 => json!([]),
        8 => json!({}),
        9 => json!([old]),
        _ => json!({ "value": old }),
    }
}

/// The same value as another type: numbers as strings and back, booleans as words.
fn stringified(old: &Value) -> Value {
    match old {
        Value::Number(n) => Value::String(n.to_string()),
        Value::String(s) => s.parse::<serde_json::Number>().map(Value::Number).unwrap_or_else(|_| json!(s.len())),
        Value::Bool(b) => Value::String(b.to_string()),
        Value::Null => json!("null"),
        other => Value::String(other.to_string()),
    }
}

#[derive(Clone, Debug)]
pub enum Mutation {
    /// The node goes (an object's key, an array's item).
    Drop(Index),
    /// An object key given twice (the second with another value), or an array item twice.
    Duplicate(Index, usize),
    Retype(Index, usize),
    Stringify(Index),
    Unicode(Index, usize),
    /// Replaced by raw text: a huge number or a broken escape.
    Raw(Index, usize),
}

pub fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => any::<Index>().prop_map(Mutation::Drop),
        2 => (any::<Index>(), any::<usize>()).prop_map(|(i, n)| Mutation::Duplicate(i, n)),
        3 => (any::<Index>(), any::<usize>()).prop_map(|(i, n)| Mutation::Retype(i, n)),
        2 => any::<Index>().prop_map(Mutation::Stringify),
        2 => (any::<Index>(), any::<usize>()).prop_map(|(i, n)| Mutation::Unicode(i, n)),
        2 => (any::<Index>(), any::<usize>()).prop_map(|(i, n)| Mutation::Raw(i, n)),
    ]
}

/// One to four mutations, then maybe the text cut short.
pub fn mutations() -> impl Strategy<Value = (Vec<Mutation>, Option<Index>)> {
    (prop::collection::vec(mutation(), 1..5), prop::option::weighted(0.15, any::<Index>()))
}

/// Placeholders carried through the `Value` and swapped for raw text once rendered.
fn marker(n: usize) -> String {
    format!("\u{1}mutation-{n}\u{1}")
}

/// `example` with `mutations` applied in order, rendered, and cut at `cut` when given.
pub fn apply(example: &str, mutations: &[Mutation], cut: Option<Index>) -> Vec<u8> {
    let mut value: Value = serde_json::from_str(example).expect("examples are JSON");
    let mut raw: Vec<(String, String)> = Vec::new();
    for m in mutations {
        // The root counts as a node too: a whole answer of another type.
        let mut all: Vec<String> = nodes(&value).into_iter().map(|(_, pointer)| pointer).collect();
        all.push(String::new());
        let pick = |i: &Index| all[i.index(all.len())].clone();
        match m {
            Mutation::Drop(i) => {
                let pointer = pick(i);
                if let Some((parent, key)) = pointer.rsplit_once('/') {
                    let key = key.replace("~1", "/").replace("~0", "~");
                    match value.pointer_mut(parent) {
                        Some(Value::Object(map)) => {
                            map.remove(&key);
                        }
                        Some(Value::Array(items)) => {
                            items.remove(key.parse::<usize>().expect("array pointers are numbers"));
                        }
                        _ => {}
                    }
                }
            }
            Mutation::Duplicate(i, n) => {
                let pointer = pick(i);
                let Some((parent, key)) = pointer.rsplit_once('/') else { continue };
                let key = key.replace("~1", "/").replace("~0", "~");
                match value.pointer_mut(parent) {
                    Some(Value::Object(map)) => {
                        let Some(old) = map.get(&key).cloned() else { continue };
                        let mark = marker(raw.len());
                        raw.push((serde_json::to_string(&mark).unwrap(), serde_json::to_string(&key).unwrap()));
                        map.insert(mark, retyped(&old, *n));
                    }
                    Some(Value::Array(items)) => {
                        let at = key.parse::<usize>().expect("array pointers are numbers");
                        let copy = items[at].clone();
                        items.insert(at, copy);
                    }
                    _ => {}
                }
            }
            Mutation::Retype(i, n) => {
                let node = value.pointer_mut(&pick(i)).expect("picked from the tree");
                *node = retyped(node, *n);
            }
            Mutation::Stringify(i) => {
                let node = value.pointer_mut(&pick(i)).expect("picked from the tree");
                *node = stringified(node);
            }
            Mutation::Unicode(i, n) => {
                *value.pointer_mut(&pick(i)).expect("picked from the tree") = Value::String(unicode(*n));
            }
            Mutation::Raw(i, n) => {
                let mark = marker(raw.len());
                raw.push((serde_json::to_string(&mark).unwrap(), RAW[n % RAW.len()].to_string()));
                *value.pointer_mut(&pick(i)).expect("picked from the tree") = Value::String(mark);
            }
        }
    }
    let mut text = value.to_string();
    for (mark, replacement) in raw {
        text = text.replace(&mark, &replacement);
    }
    let mut bytes = text.into_bytes();
    if let Some(cut) = cut {
        bytes.truncate(cut.index(bytes.len() + 1));
    }
    bytes
}

/// Statuses an answer may come with: mostly its own, sometimes any other.
pub fn status_near(own: u16) -> impl Strategy<Value = u16> {
    prop_oneof![6 => Just(own), 2 => select(vec![200u16, 201, 204, 400, 401, 403, 404, 409, 412, 422, 429, 500, 502]), 1 => 100u16..600]
}
