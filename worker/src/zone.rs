//! Time zones for the digest through JavaScript's `Intl` (the runtime's tz database), so the
//! wasm carries none: the offset at an instant is the local wall time `Intl` reads minus UTC.

use backboard_core::history::Zone;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};
use worker::js_sys::{global, Array, Date as JsDate, Function, Object, Reflect};
use worker::wasm_bindgen::{JsCast, JsValue};

/// An IANA zone ("Europe/Berlin") as `Intl.DateTimeFormat` knows it.
pub struct IntlZone {
    format: Object,
}

fn set(o: &Object, k: &str, v: &str) -> Result<(), String> {
    Reflect::set(o, &k.into(), &v.into()).map(|_| ()).map_err(|e| format!("Intl options: {e:?}"))
}

impl IntlZone {
    /// The zone named `name`; an unknown name is an error (`Intl` throws a RangeError).
    pub fn new(name: &str) -> Result<Self, String> {
        let options = Object::new();
        set(&options, "timeZone", name)?;
        set(&options, "hourCycle", "h23")?;
        for k in ["year", "month", "day", "hour", "minute", "second"] {
            set(&options, k, "numeric")?;
        }
        let intl = Reflect::get(&global(), &"Intl".into()).map_err(|_| "this runtime has no Intl".to_string())?;
        let ctor: Function = Reflect::get(&intl, &"DateTimeFormat".into())
            .ok()
            .and_then(|c| c.dyn_into().ok())
            .ok_or("this runtime has no Intl.DateTimeFormat")?;
        let args = Array::of2(&Array::of1(&"en-US".into()), &options);
        let format = Reflect::construct(&ctor, &args).map_err(|_| {
            format!("{name:?} is not a time zone this runtime knows (use an IANA name like Europe/Berlin)")
        })?;
        Ok(IntlZone { format: format.unchecked_into() })
    }

    /// The wall time `Intl` shows at `utc`, or None if its parts cannot be read.
    fn wall(&self, utc: OffsetDateTime) -> Option<PrimitiveDateTime> {
        let to_parts = Reflect::get(&self.format, &"formatToParts".into()).ok()?.dyn_into::<Function>().ok()?;
        let when = JsDate::new(&JsValue::from_f64((utc.unix_timestamp() * 1000) as f64));
        let parts: Array = to_parts.call1(&self.format, &when).ok()?.dyn_into().ok()?;
        let mut n = std::collections::HashMap::new();
        for p in parts.iter() {
            let kind = Reflect::get(&p, &"type".into()).ok()?.as_string()?;
            let value = Reflect::get(&p, &"value".into()).ok()?.as_string()?;
            if let Ok(v) = value.parse::<i32>() {
                n.insert(kind, v);
            }
        }
        let get = |k: &str| n.get(k).copied();
        let month = Month::try_from(u8::try_from(get("month")?).ok()?).ok()?;
        let date = Date::from_calendar_date(get("year")?, month, u8::try_from(get("day")?).ok()?).ok()?;
        // Some engines write midnight as 24 even with h23.
        let hour = u8::try_from(get("hour")? % 24).ok()?;
        let time = Time::from_hms(hour, u8::try_from(get("minute")?).ok()?, u8::try_from(get("second")?).ok()?).ok()?;
        Some(PrimitiveDateTime::new(date, time))
    }
}

impl Zone for IntlZone {
    /// UTC if `Intl` gives nothing readable (it always does for a zone it accepted).
    fn offset_at(&self, utc: OffsetDateTime) -> UtcOffset {
        let utc = utc.to_offset(UtcOffset::UTC).replace_nanosecond(0).unwrap_or(utc);
        self.wall(utc)
            .and_then(|w| {
                let secs = (w.assume_utc() - utc).whole_seconds();
                UtcOffset::from_whole_seconds(i32::try_from(secs).ok()?).ok()
            })
            .unwrap_or(UtcOffset::UTC)
    }
}
