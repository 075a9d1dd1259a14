//! The one line on top of the overview: is everything backed up, and if not, what is wrong.

use super::plural;
use super::verdict::Verdict;

/// The line for a set of sources, `None` for one whose first list is still being read.
/// "All 4 sources are backed up." / "1 of 4 sources is failing, 1 has a warning." /
/// "3 of 4 sources are backed up; 1 is still being checked."
pub fn summary_line(verdicts: &[Option<Verdict>]) -> String {
    let total = verdicts.len();
    if total == 0 {
        return "No sources yet: add a connection, or try the demo.".into();
    }
    let count = |v: Verdict| verdicts.iter().filter(|x| **x == Some(v)).count();
    let (healthy, failing, warning, unknown) =
        (count(Verdict::Healthy), count(Verdict::Failing), count(Verdict::Warning), count(Verdict::Unknown));
    let checking = verdicts.iter().filter(|x| x.is_none()).count();
    let sources = plural(total, "source", "sources");
    if healthy == total {
        return if total == 1 {
            "The one source is backed up.".into()
        } else {
            format!("All {sources} are backed up.")
        };
    }
    let mut wrong = Vec::new();
    if failing > 0 {
        wrong.push(format!("{failing} {}", if failing == 1 { "is failing" } else { "are failing" }));
    }
    if warning > 0 {
        wrong.push(format!("{warning} {}", if warning == 1 { "has a warning" } else { "have warnings" }));
    }
    if unknown > 0 {
        wrong.push(format!("{unknown} cannot be checked"));
    }
    if checking > 0 {
        wrong.push(format!("{checking} {} still being checked", if checking == 1 { "is" } else { "are" }));
    }
    let verb = if healthy == 1 { "is" } else { "are" };
    format!("{healthy} of {sources} {verb} backed up; {}.", wrong.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Verdict::*;

    #[test]
    fn the_line_answers_first_then_names_what_is_wrong() {
        assert_eq!(summary_line(&[]), "No sources yet: add a connection, or try the demo.");
        assert_eq!(summary_line(&[Some(Healthy)]), "The one source is backed up.");
        assert_eq!(summary_line(&[Some(Healthy); 4]), "All 4 sources are backed up.");
        assert_eq!(
            summary_line(&[Some(Healthy), Some(Failing), Some(Warning), Some(Healthy)]),
            "2 of 4 sources are backed up; 1 is failing, 1 has a warning."
        );
        assert_eq!(
            summary_line(&[Some(Healthy), Some(Unknown), None, None]),
            "1 of 4 sources is backed up; 1 cannot be checked, 2 are still being checked."
        );
        assert_eq!(
            summary_line(&[Some(Failing), Some(Failing), Some(Warning), Some(Warning)]),
            "0 of 4 sources are backed up; 2 are failing, 2 have warnings."
        );
    }
}
