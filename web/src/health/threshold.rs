//! A source's threshold: how often a backup is expected, typed as an amount and a unit (kept on
//! this device by `store`), overriding the provider's schedules.

use backboard_core::FieldError;
use leptos::prelude::*;

use crate::ui::Form;

const UNITS: [(&str, &str, u64); 3] = [("minutes", "minutes", 60), ("hours", "hours", 3600), ("days", "days", 86_400)];
/// Ten years: anything longer is a typo.
const MAX_THRESHOLD_SECS: u64 = 3650 * 86_400;

/// The form's words for a threshold: the largest unit that divides it.
fn threshold_parts(secs: u64) -> (String, &'static str) {
    let (_, unit, size) =
        UNITS.iter().rev().find(|(_, _, size)| secs.is_multiple_of(*size)).copied().unwrap_or(UNITS[0]);
    ((secs / size).to_string(), unit)
}

/// The typed amount in seconds, or the message shown next to the field.
fn parse_threshold(amount: &str, unit: &str) -> Result<u64, String> {
    let amount = amount.trim();
    let size = UNITS.iter().find(|(u, _, _)| *u == unit).map(|u| u.2).ok_or("Choose minutes, hours or days.")?;
    if amount.is_empty() {
        return Err("Enter how often a backup should happen, e.g. 24 hours.".into());
    }
    let n: u64 = amount.parse().map_err(|_| format!("“{amount}” is not a whole number; enter e.g. 6 or 24."))?;
    if n == 0 {
        return Err("Enter a number greater than 0.".into());
    }
    n.checked_mul(size)
        .filter(|s| *s <= MAX_THRESHOLD_SECS)
        .ok_or_else(|| "That is more than ten years; enter a shorter interval.".into())
}

/// The threshold form's values: an amount and its unit.
#[derive(Clone, Debug, Default, PartialEq)]
struct Threshold {
    amount: String,
    unit: String,
}

fn check_threshold(t: &Threshold) -> Result<u64, Vec<FieldError>> {
    parse_threshold(&t.amount, &t.unit).map_err(|message| vec![FieldError::new("threshold", message)])
}

const UNIT_CHOICES: [(&str, &str); 3] = [(UNITS[0].0, UNITS[0].1), (UNITS[1].0, UNITS[1].1), (UNITS[2].0, UNITS[2].1)];

#[component]
pub fn ThresholdForm(
    connection_id: String,
    label: String,
    key: String,
    threshold: Signal<Option<u64>>,
) -> impl IntoView {
    let health = super::HealthState::get();
    let set_threshold = move |key, secs| health.set_threshold(key, secs);
    let (amount, unit) = threshold.get_untracked().map(threshold_parts).unwrap_or_else(|| (String::new(), "hours"));
    let form = Form::new(
        format!("health-{connection_id}"),
        Threshold { amount, unit: unit.to_string() },
        check_threshold,
        &["threshold"],
    );
    let key = StoredValue::new(key);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(secs) = form.try_submit() {
            set_threshold(key.get_value(), Some(secs));
        }
    };
    let clear = move |_| {
        form.values.update(|t| t.amount.clear());
        form.reset();
        set_threshold(key.get_value(), None);
    };
    view! {
        <form class="threshold" on:submit=on_submit novalidate=true aria-label=format!("Expected interval for {label}")>
            <div class="threshold-field">
                {form.field("threshold", "Expect a backup every", |t| &t.amount, |t, v| t.amount = v).numeric().input()}
                {form.field("threshold-unit", "Unit", |t| &t.unit, |t, v| t.unit = v).label_hidden().select(UNIT_CHOICES.to_vec())}
                <button type="submit">"Save threshold"</button>
                <Show when=move || threshold.get().is_some()>
                    <button type="button" on:click=clear>"Clear threshold"</button>
                </Show>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn thresholds_round_trip_through_the_form() {
        assert_eq!(parse_threshold("6", "hours"), Ok(6 * 3600));
        assert_eq!(parse_threshold(" 90 ", "minutes"), Ok(90 * 60));
        assert_eq!(threshold_parts(2 * 86_400), ("2".to_string(), "days"));
        assert_eq!(threshold_parts(90 * 60), ("90".to_string(), "minutes"));
        assert!(parse_threshold("", "hours").is_err());
        assert!(parse_threshold("0", "days").is_err());
        assert!(parse_threshold("1.5", "days").unwrap_err().contains("whole number"));
        assert!(parse_threshold("4000", "days").unwrap_err().contains("ten years"));
        assert!(parse_threshold("1", "weeks").is_err());
    }
}
