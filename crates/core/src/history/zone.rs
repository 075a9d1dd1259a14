//! Time zones without a tz database: the host says which offset a zone has at an instant (the
//! worker asks JavaScript's `Intl`, tests a real tz database), and the core derives the rest.

use time::{Duration, OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// A time zone: its offset from UTC at any instant.
pub trait Zone {
    fn offset_at(&self, utc: OffsetDateTime) -> UtcOffset;
}

/// A fixed offset (UTC itself, or a zone without DST).
impl Zone for UtcOffset {
    fn offset_at(&self, _: OffsetDateTime) -> UtcOffset {
        *self
    }
}

/// The wall-clock time in `zone` at `utc`.
pub fn local(zone: &dyn Zone, utc: OffsetDateTime) -> PrimitiveDateTime {
    let t = utc.to_offset(zone.offset_at(utc));
    PrimitiveDateTime::new(t.date(), t.time())
}

/// What a wall-clock time is in UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolved {
    /// Happens once.
    Once(OffsetDateTime),
    /// Happens twice (the clock was turned back): both instants, earlier first.
    Twice(OffsetDateTime, OffsetDateTime),
    /// Does not happen (the clock was turned forward over it). `after` reads it with the offset
    /// before the jump: 02:30 becomes 03:30 when clocks go from 02:00 to 03:00.
    Skipped { after: OffsetDateTime },
}

impl Resolved {
    /// The instant to act at: the only one, the first of two, or the end of the jump.
    pub fn first(self) -> OffsetDateTime {
        match self {
            Resolved::Once(t) | Resolved::Twice(t, _) | Resolved::Skipped { after: t } => t,
        }
    }
}

/// Resolves a wall-clock time in `zone`. Offsets are probed a day either side, so any zone
/// whose offset changes at most once in two days is resolved exactly (every real one).
pub fn resolve(zone: &dyn Zone, wall: PrimitiveDateTime) -> Resolved {
    let naive = wall.assume_utc();
    let probe = |d: i64| naive.checked_add(Duration::days(d)).map_or(UtcOffset::UTC, |t| zone.offset_at(t));
    let (before, after) = (probe(-1), probe(1));
    let mut hits: Vec<OffsetDateTime> = [before, after]
        .into_iter()
        .map(|o| wall.assume_offset(o))
        .filter(|t| zone.offset_at(*t) == t.offset())
        .map(|t| t.to_offset(UtcOffset::UTC))
        .collect();
    hits.sort();
    hits.dedup();
    match hits.as_slice() {
        [one] => Resolved::Once(*one),
        [a, b, ..] => Resolved::Twice(*a, *b),
        [] => Resolved::Skipped { after: wall.assume_offset(before).to_offset(UtcOffset::UTC) },
    }
}
