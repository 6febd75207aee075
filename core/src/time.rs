//! Relative dates for testimonial cards: which unit and how many of it. The
//! words come from the browser's `Intl.RelativeTimeFormat` in the widget's
//! locale ("2 days ago", "vor 2 Tagen", "منذ يومين"); the loader's first
//! paint picks the unit by the same rule (widget/loader/embed.js,
//! `relativeUnit`), to tell whether a date the edge wrote still reads the
//! same.

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;
const MONTH: i64 = 30 * DAY;
const YEAR: i64 = 365 * DAY;

/// How long before `now_ms` (unix ms) the moment `then_ms` was, as
/// `(count, unit)` in the largest whole unit: `"year"` (365 days),
/// `"month"` (30 days), `"day"`, `"hour"`, `"minute"`; under a minute (and
/// future times, from clock skew) is `(0, "second")`, which
/// `Intl.RelativeTimeFormat` with `numeric: "auto"` says as "now".
/// The unit names are `Intl.RelativeTimeFormat`'s.
pub fn relative_unit(now_ms: i64, then_ms: i64) -> (i64, &'static str) {
    let ago = now_ms.saturating_sub(then_ms);
    match ago {
        i64::MIN..MINUTE => (0, "second"),
        MINUTE..HOUR => (ago / MINUTE, "minute"),
        HOUR..DAY => (ago / HOUR, "hour"),
        DAY..MONTH => (ago / DAY, "day"),
        MONTH..YEAR => (ago / MONTH, "month"),
        _ => (ago / YEAR, "year"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn units() {
        let now = 1_700_000_000_000;
        assert_eq!(relative_unit(now, now), (0, "second"));
        assert_eq!(relative_unit(now, now + 5 * DAY), (0, "second"));
        assert_eq!(relative_unit(now, now - 59_999), (0, "second"));
        assert_eq!(relative_unit(now, now - MINUTE), (1, "minute"));
        assert_eq!(relative_unit(now, now - 5 * HOUR), (5, "hour"));
        assert_eq!(relative_unit(now, now - DAY), (1, "day"));
        assert_eq!(relative_unit(now, now - 45 * DAY), (1, "month"));
        assert_eq!(relative_unit(now, now - 800 * DAY), (2, "year"));
    }

    proptest! {
        #[test]
        fn never_panics_and_counts_whole_units(now in any::<i64>(), then in any::<i64>()) {
            let (n, unit) = relative_unit(now, then);
            prop_assert!(n >= 0);
            prop_assert!(["second", "minute", "hour", "day", "month", "year"].contains(&unit));
        }
    }
}
