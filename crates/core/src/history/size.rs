//! Unusual size: a completed backup much smaller or larger than the ones before it usually
//! means something changed that nobody meant to change (a database left out, a volume not
//! mounted, logs piling up).

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::display::human_size;
use crate::health::SizePoint;

/// When a size is unusual: it differs from the median of the `window` completed backups before
/// it by more than `tolerance_pct` percent of that median, and at least `min_points` of them
/// exist.
///
/// Defaults: `window` 7 (a week of daily backups, or a day and a half of 6-hourly ones; the
/// median of 7 ignores up to 3 odd sizes, so one outlier does not move the yardstick), 50 %
/// (day-to-day growth of sites and databases is a few percent, so half the usual size or one
/// and a half times it is a change of kind, not of load), and `min_points` 3 (the median of one
/// or two sizes is just those sizes; a new source is not judged on its first backups).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SizeRule {
    pub window: u32,
    pub tolerance_pct: u32,
    pub min_points: u32,
}

impl Default for SizeRule {
    fn default() -> Self {
        Self { window: 7, tolerance_pct: 50, min_points: 3 }
    }
}

impl SizeRule {
    /// A rule that can judge: a window of 1 to 100, at least 1 point and no more than the
    /// window, a tolerance from 1 to 1000 %.
    pub fn validate(&self) -> Result<(), String> {
        if !(1..=100).contains(&self.window) {
            return Err(format!("the size window {} must be from 1 to 100 backups", self.window));
        }
        if self.min_points == 0 || self.min_points > self.window {
            return Err(format!(
                "the size rule needs from 1 to {} earlier backups (its window), not {}",
                self.window, self.min_points
            ));
        }
        if !(1..=1000).contains(&self.tolerance_pct) {
            return Err(format!("the size tolerance {} % must be from 1 to 1000 %", self.tolerance_pct));
        }
        Ok(())
    }
}

/// A backup whose size is unusual, and what it was compared with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unusual {
    #[serde(with = "time::serde::rfc3339")]
    pub time: OffsetDateTime,
    pub bytes: u64,
    pub median: u64,
    /// Signed percent change from the median (rounded toward zero); None when the median is 0.
    pub change_pct: Option<i64>,
    /// How many earlier backups the median was taken over.
    pub compared: u32,
}

impl Unusual {
    /// "the newest backup is 40 MiB, 60 % smaller than the median of the 7 before it (100 MiB)".
    pub fn words(&self) -> String {
        let how = match self.change_pct {
            Some(p) if p < 0 => format!("{} % smaller than", -p),
            Some(p) => format!("{p} % larger than"),
            None => "not empty, unlike".to_string(),
        };
        format!(
            "the newest backup is {}, {how} the median of the {} before it ({})",
            human_size(self.bytes),
            self.compared,
            human_size(self.median)
        )
    }
}

/// The median; of an even count, the mean of the middle two (rounded down).
pub fn median(values: &[u64]) -> Option<u64> {
    let mut v = values.to_vec();
    v.sort_unstable();
    let n = v.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(v[n / 2]),
        _ => Some(((u128::from(v[n / 2 - 1]) + u128::from(v[n / 2])) / 2) as u64),
    }
}

/// Judges `point` against the sizes before it (oldest first).
fn judge(point: &SizePoint, before: &[SizePoint], rule: &SizeRule) -> Option<Unusual> {
    rule.validate().ok()?;
    let window = &before[before.len().saturating_sub(rule.window as usize)..];
    if window.len() < rule.min_points as usize {
        return None;
    }
    let sizes: Vec<u64> = window.iter().map(|p| p.bytes).collect();
    let m = median(&sizes)?;
    let diff = i128::from(point.bytes) - i128::from(m);
    let unusual = if m == 0 {
        point.bytes > 0
    } else {
        diff.unsigned_abs() * 100 > u128::from(m) * u128::from(rule.tolerance_pct)
    };
    unusual.then(|| Unusual {
        time: point.time,
        bytes: point.bytes,
        median: m,
        change_pct: (m > 0).then(|| (diff * 100 / i128::from(m)) as i64),
        compared: window.len() as u32,
    })
}

/// The newest size, if it is unusual. `sizes` are oldest first (as health's `sizes`).
pub fn newest_unusual(sizes: &[SizePoint], rule: &SizeRule) -> Option<Unusual> {
    let (newest, before) = sizes.split_last()?;
    judge(newest, before, rule)
}

/// Every unusual size of a history (oldest first), for the size chart's marks.
pub fn unusual_points(sizes: &[SizePoint], rule: &SizeRule) -> Vec<Unusual> {
    (0..sizes.len()).filter_map(|i| judge(&sizes[i], &sizes[..i], rule)).collect()
}
