//! Simulated time: whole nanoseconds in a `u64`, never an accumulating float.
//!
//! `u64` nanoseconds reach 584 years, far beyond the longest horizon the
//! scenario loader accepts (`scenario::limits::MAX_HORIZON_NS`).

/// Nanoseconds per unit, for readability at call sites.
pub const NS_PER_US: u64 = 1_000;
pub const NS_PER_MS: u64 = 1_000_000;
pub const NS_PER_S: u64 = 1_000_000_000;

/// Converts nanoseconds to seconds for output files.
pub fn ns_to_s(ns: u64) -> f64 {
    ns as f64 / NS_PER_S as f64
}

/// Converts nanoseconds to milliseconds for output files.
pub fn ns_to_ms(ns: u64) -> f64 {
    ns as f64 / NS_PER_MS as f64
}

/// Rounds a non-negative float number of nanoseconds to a whole nanosecond,
/// saturating instead of wrapping for absurd draws from heavy tails.
pub fn round_ns(x: f64) -> u64 {
    if x.is_nan() || x <= 0.0 {
        0
    } else if x >= 1.0e19 {
        u64::MAX / 2
    } else {
        // Truncation of a positive float is floor, exactly, everywhere.
        (x + 0.5) as u64
    }
}

/// `human` for a (non-negative) number of seconds, as summaries hold them.
pub fn human_s(seconds: f64) -> String {
    human(round_ns(seconds * NS_PER_S as f64))
}

/// Writes a duration for people: `1h 02m`, `3.25s`, `150ms`.
pub fn human(ns: u64) -> String {
    let s = ns as f64 / NS_PER_S as f64;
    if ns == 0 {
        "0s".into()
    } else if ns < NS_PER_MS {
        format!("{}us", trim(ns as f64 / NS_PER_US as f64))
    } else if ns < NS_PER_S {
        format!("{}ms", trim(ns as f64 / NS_PER_MS as f64))
    } else if s < 60.0 {
        format!("{}s", trim(s))
    } else if s < 3600.0 {
        format!("{}m {:02}s", (s / 60.0) as u64, (s % 60.0) as u64)
    } else if s < 86_400.0 {
        format!(
            "{}h {:02}m",
            (s / 3600.0) as u64,
            ((s % 3600.0) / 60.0) as u64
        )
    } else {
        format!(
            "{}d {:02}h",
            (s / 86_400.0) as u64,
            ((s % 86_400.0) / 3600.0) as u64
        )
    }
}

fn trim(x: f64) -> String {
    let t = format!("{x:.3}");
    t.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_half_up_and_saturates() {
        assert_eq!(round_ns(0.49), 0);
        assert_eq!(round_ns(0.5), 1);
        assert_eq!(round_ns(-3.0), 0);
        assert_eq!(round_ns(f64::INFINITY), u64::MAX / 2);
    }

    #[test]
    fn human_durations() {
        assert_eq!(human(150 * NS_PER_MS), "150ms");
        assert_eq!(human(3_250 * NS_PER_MS), "3.25s");
        assert_eq!(human(3_720 * NS_PER_S), "1h 02m");
    }
}
