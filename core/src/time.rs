//! Human relative dates ("3 days ago") for testimonial cards. Pure, so the
//! widget and tests agree on the wording.

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;
const MONTH: i64 = 30 * DAY;
const YEAR: i64 = 365 * DAY;

/// How long before `now_ms` the moment `then_ms` was, in words.
/// Future times (clock skew) read as "just now".
pub fn relative(now_ms: i64, then_ms: i64) -> String {
    let ago = now_ms.saturating_sub(then_ms);
    let (n, unit) = match ago {
        i64::MIN..MINUTE => return "just now".to_owned(),
        MINUTE..HOUR => (ago / MINUTE, "minute"),
        HOUR..DAY => (ago / HOUR, "hour"),
        DAY..MONTH => (ago / DAY, "day"),
        MONTH..YEAR => (ago / MONTH, "month"),
        _ => (ago / YEAR, "year"),
    };
    if n == 1 {
        format!("1 {unit} ago")
    } else {
        format!("{n} {unit}s ago")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn wording() {
        let now = 1_700_000_000_000;
        assert_eq!(relative(now, now), "just now");
        assert_eq!(relative(now, now + 5 * DAY), "just now");
        assert_eq!(relative(now, now - 59_999), "just now");
        assert_eq!(relative(now, now - MINUTE), "1 minute ago");
        assert_eq!(relative(now, now - 5 * HOUR), "5 hours ago");
        assert_eq!(relative(now, now - DAY), "1 day ago");
        assert_eq!(relative(now, now - 45 * DAY), "1 month ago");
        assert_eq!(relative(now, now - 800 * DAY), "2 years ago");
    }

    proptest! {
        #[test]
        fn never_panics(now in any::<i64>(), then in any::<i64>()) {
            let s = relative(now, then);
            prop_assert!(s == "just now" || s.ends_with(" ago"));
        }
    }
}
