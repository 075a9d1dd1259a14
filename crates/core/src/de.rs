//! Parsing helpers shared by the provider modules: JSON with field paths on error, open enums
//! that keep unknown values, and the providers' date and number encodings.

use serde::de::DeserializeOwned;
use serde::de::Visitor;
use serde::{Deserialize, Deserializer, Serializer};
use time::format_description::well_known::Rfc3339;
use time::{macros::format_description, OffsetDateTime, PrimitiveDateTime};

use crate::error::Error;
use crate::provider::Provider;

/// Parses JSON into `T`. Good input pays nothing for good errors: only on failure is the
/// field that broke named, by walking the text up to where serde_json stopped (see
/// [`path_at`]), instead of a second, path-tracking deserializer for every type (which
/// doubled the parsers' share of the wasm).
pub fn parse_json<T: DeserializeOwned>(provider: Provider, body: &[u8]) -> Result<T, Error> {
    // One UTF-8 check of the whole body is cheaper than serde_json's check of every string,
    // and only one deserializer per type is compiled (from_str; the SPA's size counts it).
    let text = std::str::from_utf8(body).map_err(|e| {
        let offset = e.valid_up_to();
        let line = 1 + body[..offset].iter().filter(|&&b| b == b'\n').count();
        let column = offset - body[..offset].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        Error::Parse {
            provider,
            field: path_at(body, offset),
            message: format!("invalid UTF-8 at line {line} column {}", column + 1),
        }
    })?;
    serde_json::from_str::<T>(text).map_err(|e| {
        let offset = byte_offset(body, e.line(), e.column());
        Error::Parse { provider, field: path_at(body, offset), message: e.to_string() }
    })
}

/// serde_json's 1-based line and byte column as an offset into `body` (the bytes read so far).
fn byte_offset(body: &[u8], line: usize, column: usize) -> usize {
    let line_start = match line {
        0 | 1 => 0,
        n => body.iter().enumerate().filter(|(_, &b)| b == b'\n').nth(n - 2).map_or(body.len(), |(i, _)| i + 1),
    };
    (line_start + column).min(body.len())
}

enum Frame {
    Object(Option<String>),
    Array(usize),
}

fn render(stack: &[Frame]) -> String {
    let mut out = String::new();
    for frame in stack {
        match frame {
            Frame::Object(Some(key)) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Frame::Object(None) => {}
            Frame::Array(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// The path (`data.backups[3].config.size`, `[0]`, `.` for the whole body) of the value the
/// parser was at when it stopped after `offset` bytes: the last value begun or finished before
/// then.
pub fn path_at(body: &[u8], offset: usize) -> String {
    let mut stack: Vec<Frame> = Vec::new();
    // How many frames of the stack name the last value begun or finished. Every later change
    // to those frames is itself such an event, so rendering them once at the end is exact
    // (and linear, however deep the input nests).
    let mut last = 0;
    let mut i = 0;
    while i < offset.min(body.len()) {
        match body[i] {
            b'{' => {
                last = stack.len();
                stack.push(Frame::Object(None));
                i += 1;
            }
            b'[' => {
                stack.push(Frame::Array(0));
                // A failure right after `[` is about the first element (an empty list's own
                // errors come after its `]`).
                last = stack.len();
                i += 1;
            }
            b'}' | b']' => {
                stack.pop();
                last = stack.len();
                i += 1;
            }
            b',' => {
                match stack.last_mut() {
                    // The next element, even before a byte of it is read (a peek failed).
                    Some(Frame::Array(n)) => {
                        *n += 1;
                        last = stack.len();
                    }
                    Some(Frame::Object(key)) => *key = None,
                    None => {}
                }
                i += 1;
            }
            b'"' => {
                let end = string_end(body, i);
                if let Some(Frame::Object(key @ None)) = stack.last_mut() {
                    let raw = &body[i..end];
                    *key = Some(
                        serde_json::from_slice::<String>(raw)
                            .unwrap_or_else(|_| String::from_utf8_lossy(raw).trim_matches('"').to_string()),
                    );
                }
                // A key stands for its member's value, even before a byte of it is read.
                last = stack.len();
                i = end;
            }
            b if b.is_ascii_whitespace() || b == b':' => i += 1,
            _ => {
                last = stack.len();
                while i < body.len()
                    && !matches!(body[i], b',' | b'}' | b']' | b':' | b'"')
                    && !body[i].is_ascii_whitespace()
                {
                    i += 1;
                }
            }
        }
    }
    let path = render(&stack[..last.min(stack.len())]);
    if path.is_empty() {
        ".".to_string()
    } else {
        path
    }
}

/// Index just past the string that starts at `start` (a `"`), or the end of the input.
fn string_end(body: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < body.len() {
        match body[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    body.len()
}

/// An enum of documented string values that keeps any other value as `Other`.
macro_rules! open_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($variant,)+
            /// A value the documents do not list, kept as sent.
            Other(String),
        }

        impl $name {
            /// The documented values, in the documents' order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $text,)+
                    $name::Other(s) => s.as_str(),
                }
            }

            pub fn parse(s: &str) -> Self {
                match s {
                    $($text => $name::$variant,)+
                    other => $name::Other(other.to_string()),
                }
            }

            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Other(_))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::de::with_str(d, |s| Ok($name::parse(s)))
            }
        }
    };
}
pub(crate) use open_enum;

/// `true`/`false`, `1`/`0` (PHP APIs send both), `"1"`/`"0"`.
pub mod flag {
    use super::*;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
        // A visitor, like `Decimal`'s: an untagged enum would buffer the value first.
        struct V;
        impl Visitor<'_> for V {
            type Value = bool;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a boolean, 1/0 or \"1\"/\"0\"")
            }
            fn visit_bool<E: serde::de::Error>(self, b: bool) -> Result<bool, E> {
                Ok(b)
            }
            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<bool, E> {
                Ok(n != 0)
            }
            // Whole numbers up to i64's range, like visit_i64; larger ones are no flag.
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<bool, E> {
                i64::try_from(n)
                    .map(|n| n != 0)
                    .map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(n), &self))
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<bool, E> {
                match s {
                    "1" | "true" => Ok(true),
                    "0" | "false" | "" => Ok(false),
                    _ => Err(E::custom(format!("expected a boolean, got {s:?}"))),
                }
            }
        }
        d.deserialize_any(V)
    }

    pub fn serialize<S: Serializer>(v: &bool, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bool(*v)
    }

    pub mod option {
        use super::*;

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
            #[derive(Deserialize)]
            struct W(#[serde(with = "super")] bool);
            Ok(Option::<W>::deserialize(d)?.map(|w| w.0))
        }

        pub fn serialize<S: Serializer>(v: &Option<bool>, s: S) -> Result<S::Ok, S::Error> {
            match v {
                Some(b) => s.serialize_bool(*b),
                None => s.serialize_none(),
            }
        }
    }
}

/// Laravel's "Y-m-d H:i:s" (no zone; ServerAvatar's API runs in UTC).
pub mod laravel_time {
    use super::*;

    pub fn parse(s: &str) -> Option<OffsetDateTime> {
        let fmt = format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
        PrimitiveDateTime::parse(s, fmt)
            .ok()
            .map(PrimitiveDateTime::assume_utc)
            .and_then(writable)
            .or_else(|| rfc3339(s))
    }

    pub fn format(t: OffsetDateTime) -> String {
        let fmt = format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
        t.format(fmt).unwrap_or_default()
    }

    pub mod option {
        use super::*;

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<OffsetDateTime>, D::Error> {
            with_opt_str(d, |s| match s {
                "" => Ok(None),
                s => super::parse(s)
                    .map(Some)
                    .ok_or_else(|| format!("expected a date like 2025-02-11 11:12:22, got {s:?}")),
            })
        }

        pub fn serialize<S: Serializer>(v: &Option<OffsetDateTime>, s: S) -> Result<S::Ok, S::Error> {
            match v {
                Some(t) => s.serialize_str(&super::format(*t)),
                None => s.serialize_none(),
            }
        }
    }
}

/// Only instants RFC 3339 can write (years 0000 to 9999): `[year]` also reads "-0001", and
/// epoch numbers reach any year, but one such date would make a whole list unserializable.
fn writable(t: OffsetDateTime) -> Option<OffsetDateTime> {
    (0..=9999).contains(&t.year()).then_some(t)
}

pub fn rfc3339(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339).ok()
}

pub fn format_rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

/// RFC 3339 timestamps; an empty string counts as absent (Northflank sends "" for unfinished).
pub mod rfc3339_time {
    use super::*;

    pub mod option {
        use super::*;

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<OffsetDateTime>, D::Error> {
            with_opt_str(d, |s| match s {
                "" => Ok(None),
                s => rfc3339(s).map(Some).ok_or_else(|| format!("expected an RFC 3339 date-time, got {s:?}")),
            })
        }

        pub fn serialize<S: Serializer>(v: &Option<OffsetDateTime>, s: S) -> Result<S::Ok, S::Error> {
            match v {
                Some(t) => s.serialize_str(&format_rfc3339(*t)),
                None => s.serialize_none(),
            }
        }
    }
}

/// A number that may come as a JSON number or a decimal string ("1234", "1729232400000.0").
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Decimal(pub f64);

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // A visitor rather than an untagged enum: that one buffers every value before trying
        // its variants, which made this the slowest field of a Northflank list.
        struct V;
        impl Visitor<'_> for V {
            type Value = Decimal;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a decimal number or a decimal string")
            }
            fn visit_f64<E: serde::de::Error>(self, n: f64) -> Result<Decimal, E> {
                Ok(Decimal(n))
            }
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Decimal, E> {
                Ok(Decimal(n as f64))
            }
            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Decimal, E> {
                Ok(Decimal(n as f64))
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Decimal, E> {
                match s.trim().parse::<f64>() {
                    Ok(n) if n.is_finite() => Ok(Decimal(n)),
                    _ => Err(E::custom(format!("expected a decimal number, got {s:?}"))),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// Hands a JSON string to `f` without copying it (serde's `Cow<str>` always copies); `f`'s
/// error becomes the parse error.
pub(crate) fn with_str<'de, D, T, F>(d: D, f: F) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    F: FnOnce(&str) -> Result<T, String>,
{
    struct V<F>(F);
    impl<T, F: FnOnce(&str) -> Result<T, String>> Visitor<'_> for V<F> {
        type Value = T;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<T, E> {
            (self.0)(s).map_err(E::custom)
        }
    }
    d.deserialize_str(V(f))
}

/// [`with_str`] for a string that may be null or absent.
pub(crate) fn with_opt_str<'de, D, T, F>(d: D, f: F) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    F: FnOnce(&str) -> Result<Option<T>, String>,
{
    struct V<F>(F);
    impl<'de, T, F: FnOnce(&str) -> Result<Option<T>, String>> Visitor<'de> for V<F> {
        type Value = Option<T>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a string or null")
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Option<T>, E> {
            Ok(None)
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Option<T>, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
            with_str(d, self.0)
        }
    }
    d.deserialize_option(V(f))
}

impl serde::Serialize for Decimal {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.0)
    }
}

impl Decimal {
    /// As a whole non-negative number, saturating (never panics on huge or negative input).
    pub fn to_u64(self) -> Option<u64> {
        (self.0.is_finite() && self.0 >= 0.0).then(|| self.0.round().min(u64::MAX as f64) as u64)
    }

    /// Interpreted as milliseconds since the epoch.
    pub fn as_epoch_millis(self) -> Option<OffsetDateTime> {
        if !self.0.is_finite() {
            return None;
        }
        let nanos = (self.0 as i128).checked_mul(1_000_000)?;
        OffsetDateTime::from_unix_timestamp_nanos(nanos).ok().and_then(writable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        size: u32,
        when: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Outer {
        #[serde(rename = "da\"ta")]
        data: Vec<Vec<Inner>>,
    }

    fn field_of(body: &str) -> String {
        match parse_json::<Outer>(Provider::Mittwald, body.as_bytes()) {
            Err(Error::Parse { field, .. }) => field,
            other => panic!("{body}: {other:?}"),
        }
    }

    #[test]
    fn the_failing_field_is_named_from_where_the_parser_stopped() {
        // A wrong scalar, across lines, after an escaped key.
        assert_eq!(field_of("{\"da\\\"ta\": [[{\"size\": 1},\n {\"size\": \"big\"}]]}"), "da\"ta[0][1].size");
        // A container where a scalar belongs, before a byte of it is read.
        assert_eq!(field_of(r#"{"da\"ta": [[{"size": 1, "when": {"a": 1}}]]}"#), "da\"ta[0][0].when");
        // The first element of a list, and a later one.
        assert_eq!(field_of(r#"{"da\"ta": [["x"]]}"#), "da\"ta[0][0]");
        assert_eq!(field_of(r#"{"da\"ta": [[], 7]}"#), "da\"ta[1]");
        // A missing field names the object it is missing from.
        assert_eq!(field_of(r#"{"da\"ta": [[{"size": 1}, {"when": "now"}]]}"#), "da\"ta[0][1]");
        assert_eq!(field_of("{}"), ".");
        // Bodies that are not JSON at all.
        assert_eq!(field_of(""), ".");
        assert_eq!(field_of(r#"{"da\"ta": [[{"size": 1}"#), "da\"ta[0][0]");
        assert_eq!(path_at(b"[1, 2", 1000), "[1]");
    }

    #[test]
    fn a_body_that_is_not_utf8_is_a_parse_error_at_the_broken_string() {
        let body = b"{\"da\\\"ta\": [[{\"size\": 1, \"when\": \"n\xffw\"}]]}";
        match parse_json::<Outer>(Provider::Mittwald, body) {
            Err(Error::Parse { field, message, .. }) => {
                assert_eq!(field, "da\"ta[0][0].when");
                assert_eq!(message, "invalid UTF-8 at line 1 column 36");
            }
            other => panic!("{other:?}"),
        }
        // The same body, valid, parses (the fast path).
        assert!(parse_json::<Outer>(Provider::Mittwald, br#"{"da\"ta": [[{"size": 1, "when": "now"}]]}"#).is_ok());
    }

    #[test]
    fn flag_forms() {
        #[derive(Debug, Deserialize)]
        struct F(#[serde(with = "flag")] bool);
        #[derive(Debug, Deserialize)]
        struct O(#[serde(with = "flag::option")] Option<bool>);
        let f = |json: &str| serde_json::from_str::<F>(json).map(|f| f.0).map_err(|e| e.to_string());
        for (json, want) in [("true", true), ("false", false), ("1", true), ("0", false), ("-1", true)] {
            assert_eq!(f(json), Ok(want), "{json}");
        }
        for (json, want) in
            [(r#""1""#, true), (r#""true""#, true), (r#""0""#, false), (r#""false""#, false), (r#""""#, false)]
        {
            assert_eq!(f(json), Ok(want), "{json}");
        }
        assert!(f(r#""yes""#).unwrap_err().contains(r#"expected a boolean, got "yes""#));
        for bad in ["1.5", "null", "[]", "18446744073709551615"] {
            assert!(f(bad).is_err(), "{bad}");
        }
        assert_eq!(serde_json::from_str::<O>("null").unwrap().0, None);
        assert_eq!(serde_json::from_str::<O>(r#""1""#).unwrap().0, Some(true));
    }

    #[test]
    fn decimal_forms() {
        let d: Decimal = serde_json::from_str(r#""1729232400000.0""#).unwrap();
        assert_eq!(d.as_epoch_millis().unwrap().unix_timestamp(), 1_729_232_400);
        let d: Decimal = serde_json::from_str("1234").unwrap();
        assert_eq!(d.to_u64(), Some(1234));
        assert!(serde_json::from_str::<Decimal>(r#""12kb""#).is_err());
        assert_eq!(Decimal(-5.0).to_u64(), None);
        assert_eq!(Decimal(1e300).to_u64(), Some(u64::MAX));
        assert_eq!(Decimal(1e300).as_epoch_millis(), None);
    }

    #[test]
    fn laravel_dates() {
        let t = laravel_time::parse("2025-02-18 11:12:22").unwrap();
        assert_eq!(t.unix_timestamp(), 1_739_877_142);
        assert_eq!(laravel_time::format(t), "2025-02-18 11:12:22");
        assert!(laravel_time::parse("18.02.2025").is_none());
    }
}
