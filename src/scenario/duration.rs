//! Durations as exact decimals: `"250us"`, `"1.5h"`, `"30d"`, or a bare number
//! of seconds. Parsed without floating point so `"0.1s"` is exactly 100 ms.

use crate::sim::time::{NS_PER_MS, NS_PER_S, NS_PER_US};

const UNITS: &[(&str, u64)] = &[
    ("ns", 1),
    ("us", NS_PER_US),
    ("µs", NS_PER_US),
    ("ms", NS_PER_MS),
    ("s", NS_PER_S),
    ("m", 60 * NS_PER_S),
    ("h", 3_600 * NS_PER_S),
    ("d", 86_400 * NS_PER_S),
];

/// What a valid duration looks like, for error messages.
pub const DURATION_HELP: &str =
    "a duration such as \"250us\", \"150ms\", \"2s\", \"15m\", \"1.5h\", \"30d\" (a bare number means seconds)";

/// Parses a duration into whole nanoseconds (rounded half up).
pub fn parse_duration(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '_'))
        .unwrap_or(t.len());
    let (number, unit) = (&t[..split], t[split..].trim());
    let unit_ns = if unit.is_empty() {
        NS_PER_S
    } else {
        UNITS
            .iter()
            .find(|(u, _)| *u == unit)
            .map(|(_, ns)| *ns)
            .ok_or_else(|| format!("unknown unit {unit:?} in {text:?}; expected {DURATION_HELP}"))?
    };
    if t.starts_with('-') {
        return Err(format!("{text:?} is negative; durations are at least 0"));
    }
    let number: String = number.chars().filter(|c| *c != '_').collect();
    let (int, frac) = number.split_once('.').unwrap_or((&number, ""));
    if int.is_empty() && frac.is_empty() || frac.contains('.') || frac.len() > 18 {
        return Err(format!("{text:?} is not {DURATION_HELP}"));
    }
    let too_large = || format!("{text:?} is too large");
    let int: u128 = if int.is_empty() {
        0
    } else {
        int.parse().map_err(|_| too_large())?
    };
    let scale = 10u128.pow(frac.len() as u32);
    let frac_v: u128 = if frac.is_empty() {
        0
    } else {
        frac.parse().map_err(|_| too_large())?
    };
    let unit_ns = u128::from(unit_ns);
    let whole = int.checked_mul(unit_ns).ok_or_else(too_large)?;
    let part = frac_v * unit_ns;
    let rounded = part / scale + u128::from((part % scale) * 2 >= scale);
    let ns = whole.checked_add(rounded).ok_or_else(too_large)?;
    u64::try_from(ns).map_err(|_| too_large())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_unit_exactly() {
        assert_eq!(parse_duration("250us"), Ok(250_000));
        assert_eq!(parse_duration("150ms"), Ok(150_000_000));
        assert_eq!(parse_duration("2s"), Ok(2 * NS_PER_S));
        assert_eq!(parse_duration("15m"), Ok(900 * NS_PER_S));
        assert_eq!(parse_duration("1.5h"), Ok(5_400 * NS_PER_S));
        assert_eq!(parse_duration("30d"), Ok(30 * 86_400 * NS_PER_S));
        assert_eq!(parse_duration("0.1"), Ok(100_000_000));
        assert_eq!(parse_duration("1_000ms"), Ok(NS_PER_S));
        assert_eq!(parse_duration(".5s"), Ok(NS_PER_S / 2));
        assert_eq!(parse_duration("0.0000000015s"), Ok(2)); // 1.5 ns rounds half up
    }

    #[test]
    fn rejects_nonsense() {
        assert!(parse_duration("5 parsecs").is_err());
        assert!(parse_duration("-3s").is_err());
        assert!(parse_duration("").is_err());
        assert!(parse_duration("1.2.3s").is_err());
        assert!(parse_duration("99999999999999999999d").is_err());
    }
}
