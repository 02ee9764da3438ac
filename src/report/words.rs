//! Small grammar for the sentences hasim writes for people (`explain`, the
//! report's paragraph): plurals, counts said as words, durations and
//! distributions said as a reader would say them, and user text made safe
//! to print. One place, so that "1 requests" or "fails every about 15d"
//! cannot come back in one sentence while fixed in another.

use crate::i18n::{t, tf};
use crate::scenario::Dist;
use crate::sim::time::{human, NS_PER_MS, NS_PER_S, NS_PER_US};

/// `n` and the noun, singular for exactly one: "1 request", "2 requests".
pub fn plural(n: u64, noun: &str) -> String {
    format!("{n} {}", noun_for(n == 1, noun))
}

/// As [`plural`], for a mean that may have a fraction: "1 outage",
/// "0.5 outages", "2.25 outages".
pub fn plural_f(x: f64, noun: &str) -> String {
    format!("{} {}", count_f(x), noun_for(x == 1.0, noun))
}

fn noun_for(one: bool, noun: &str) -> String {
    if one {
        noun.to_string()
    } else if let Some(stem) = noun
        .strip_suffix('y')
        .filter(|s| !s.ends_with(['a', 'e', 'o']))
    {
        format!("{stem}ies")
    } else if noun.ends_with('s') || noun.ends_with("ch") || noun.ends_with('x') {
        format!("{noun}es")
    } else {
        format!("{noun}s")
    }
}

/// A mean count: whole numbers bare, others with two decimals.
pub fn count_f(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x}")
    } else {
        format!("{x:.2}")
    }
}

/// How often: "once", "twice", "3 times".
pub fn times(n: u64) -> String {
    if crate::i18n::zh() {
        return tf("words.times", &[&n]);
    }
    match n {
        1 => "once".into(),
        2 => "twice".into(),
        _ => format!("{n} times"),
    }
}

/// As [`times`] for a mean over runs: "once", "0.5 times", "1.25 times".
pub fn times_f(x: f64) -> String {
    if x.fract() == 0.0 && (0.0..=u64::MAX as f64).contains(&x) {
        times(x as u64)
    } else {
        format!("{} times", count_f(x))
    }
}

/// "1st", "2nd", "3rd", "4th", "11th", "21st".
pub fn ordinal(n: u32) -> String {
    if crate::i18n::zh() {
        return n.to_string();
    }
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// A duration in words when it is a round number of one unit ("15 days",
/// "1 hour", "90 minutes", "150 ms"), else the compact form ("1h 02m").
pub fn duration(ns: u64) -> String {
    const UNITS: [(u64, &str, u64); 6] = [
        (86_400 * NS_PER_S, "day", u64::MAX),
        (3600 * NS_PER_S, "hour", 999),
        (60 * NS_PER_S, "minute", 999),
        (NS_PER_S, "second", 999),
        (NS_PER_MS, "ms", 999),
        (NS_PER_US, "us", 999),
    ];
    if ns == 0 {
        return t("words.zero");
    }
    for (unit, name, most) in UNITS {
        if ns.is_multiple_of(unit) && ns / unit <= most {
            let n = ns / unit;
            return if name.len() == 2 {
                format!("{n} {name}")
            } else if crate::i18n::zh() {
                format!("{n} {}", unit_zh(name))
            } else {
                plural(n, name)
            };
        }
    }
    human(ns)
}

/// A time unit in Chinese (`--lang zh`).
fn unit_zh(name: &str) -> &'static str {
    match name {
        "day" => "天",
        "hour" => "小时",
        "minute" => "分钟",
        _ => "秒",
    }
}

/// A duration held as a float (a mean, a median, a scale), to three
/// significant figures in the largest unit it reaches: "15 days",
/// "1.5 hours", "24 minutes", "2.5 ms"; None when it is not finite.
fn duration_f(ns: f64) -> Option<String> {
    const UNITS: [(f64, &str); 6] = [
        (86_400e9, "day"),
        (3600e9, "hour"),
        (60e9, "minute"),
        (1e9, "second"),
        (1e6, "ms"),
        (1e3, "us"),
    ];
    if !ns.is_finite() || ns >= 1e19 {
        return None;
    }
    let (unit, name) = UNITS
        .iter()
        .copied()
        .find(|(u, _)| ns >= *u)
        .unwrap_or((1.0, "ns"));
    let v = ns / unit;
    let digits = (2 - libm::floor(libm::log10(v.max(1.0))) as i32).max(0);
    let scale = libm::pow(10.0, f64::from(digits));
    let v = libm::round(v * scale) / scale;
    let text = format!("{v:.*}", digits as usize);
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    Some(if name.len() == 2 {
        format!("{text} {name}")
    } else if crate::i18n::zh() {
        format!("{text} {}", unit_zh(name))
    } else {
        format!("{text} {}", noun_for(text == "1", name))
    })
}

/// A distribution of durations as an amount, to follow "in", "after" or
/// "takes": "20 minutes", "20 minutes on average (exponential)", "between
/// 1 and 3 ms (uniform)", "a median of 20 minutes (log-normal, σ 0.6)".
pub fn amount(d: &Dist) -> String {
    match *d {
        Dist::Fixed(v) => duration(v),
        Dist::Exponential { mean_ns } => tf(
            "words.exp",
            &[&duration_f(mean_ns).unwrap_or_else(|| t("words.unbounded"))],
        ),
        Dist::Uniform { min_ns, max_ns } => tf("words.uniform", &[&between(min_ns, max_ns)]),
        Dist::LogNormal { median_ns, sigma } => tf(
            "words.lognormal",
            &[
                &duration_f(median_ns).unwrap_or_else(|| t("words.unbounded")),
                &sigma,
                &mean_clause(d),
            ],
        ),
        Dist::Weibull { shape, scale_ns } => match duration_f(d.mean_ns()) {
            Some(mean) => tf(
                "words.weibull",
                &[&mean, &shape, &duration_f(scale_ns).unwrap_or_default()],
            ),
            None => tf(
                "words.weibull_inf",
                &[&shape, &duration_f(scale_ns).unwrap_or_default()],
            ),
        },
    }
}

fn mean_clause(d: &Dist) -> String {
    duration_f(d.mean_ns()).map_or(String::new(), |m| tf("words.mean", &[&m]))
}

/// As [`amount`], to stand inside parentheses: "5 minutes on average,
/// exponential", "between 150 and 300 ms, uniform".
pub fn amount_inside(d: &Dist) -> String {
    if *d == Dist::Fixed(0) {
        return t("words.at_once");
    }
    let a = amount(d);
    if crate::i18n::zh() {
        return match a.split_once('（') {
            Some((head, tail)) => format!("{head}，{}", tail.trim_end_matches('）')),
            None => a,
        };
    }
    match a.split_once(" (") {
        Some((head, tail)) => format!("{head}, {}", tail.trim_end_matches(')')),
        None => a,
    }
}

/// "between 1 and 3 ms", "between 150 ms and 1 second".
pub fn between(min_ns: u64, max_ns: u64) -> String {
    let (a, b) = (duration(min_ns), duration(max_ns));
    match (a.split_once(' '), b.split_once(' ')) {
        // Same unit: say it once ("between 1 and 3 ms").
        (Some((na, ua)), Some((nb, ub)))
            if ua.trim_end_matches('s') == ub.trim_end_matches('s') =>
        {
            tf("words.between_unit", &[&na, &nb, &ub])
        }
        _ => tf("words.between", &[&a, &b]),
    }
}

/// How often a node fails, as a verb phrase after "fails": "on average
/// every 15 days (exponential)", "every 30 days exactly", "after running
/// between 10 and 20 days (uniform)".
pub fn every(d: &Dist) -> String {
    match *d {
        Dist::Fixed(v) => tf("words.every_exactly", &[&duration(v)]),
        Dist::Exponential { mean_ns } => tf(
            "words.every_exp",
            &[&duration_f(mean_ns).unwrap_or_else(|| t("words.unbounded_time"))],
        ),
        Dist::Weibull { .. } if d.mean_ns().is_finite() && d.mean_ns() < 1e19 => {
            let a = amount(d);
            let on_average = t("words.on_average");
            let (mean, rest) = if crate::i18n::zh() {
                a.split_once(on_average.as_str())
                    .map_or((a.as_str(), ""), |(_, r)| {
                        r.split_at(r.find('（').unwrap_or(r.len()))
                    })
            } else {
                a.split_once(on_average.as_str()).unwrap_or((&a, ""))
            };
            tf("words.every_weibull", &[&mean, &rest])
        }
        _ => tf("words.after_running", &[&amount(d)]),
    }
}

/// The first letter in upper case.
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// User text made safe for a terminal (`terminal_safe`), a tab becoming a
/// space so that columns stay aligned.
pub fn printable(s: &str) -> String {
    terminal_safe(s).replace('\t', " ")
}

/// `text` without terminal control: C0 controls other than newline and tab,
/// DEL, C1 controls, and whole escape sequences (CSI `ESC [ … final`; OSC,
/// DCS, SOS, PM and APC strings up to BEL or ST; any other `ESC x`) are
/// dropped. Everything else, Unicode included, is kept.
pub fn terminal_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\t' => out.push(c),
            '\u{1b}' => match chars.next() {
                Some('[') => {
                    // Parameters and intermediates, then one final byte.
                    while let Some(&p) = chars.peek() {
                        chars.next();
                        if ('\u{40}'..='\u{7e}').contains(&p) || !(' '..='\u{7e}').contains(&p) {
                            break;
                        }
                    }
                }
                Some(']' | 'P' | 'X' | '^' | '_') => {
                    // A string, ended by BEL, ST (ESC \ or U+009C) or the end.
                    while let Some(p) = chars.next() {
                        if p == '\u{7}' || p == '\u{9c}' {
                            break;
                        }
                        if p == '\u{1b}' {
                            if chars.peek() == Some(&'\\') {
                                chars.next();
                            }
                            break;
                        }
                    }
                }
                _ => {}
            },
            c if c.is_control() => {} // the rest of C0, DEL and C1
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals_and_counts() {
        assert_eq!(plural(1, "request"), "1 request");
        assert_eq!(plural(0, "request"), "0 requests");
        assert_eq!(plural(2, "retry"), "2 retries");
        assert_eq!(plural(3, "day"), "3 days");
        assert_eq!(plural(2, "class"), "2 classes");
        assert_eq!(plural_f(1.0, "outage"), "1 outage");
        assert_eq!(plural_f(0.5, "outage"), "0.50 outages");
        assert_eq!([1, 2, 3].map(times), ["once", "twice", "3 times"]);
        assert_eq!(times_f(1.0), "once");
        assert_eq!(times_f(0.3), "0.30 times");
        assert_eq!(
            [1, 2, 3, 4, 11, 12, 13, 21, 112].map(ordinal),
            ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "112th"]
        );
    }

    #[test]
    fn durations_in_words() {
        let s = NS_PER_S;
        assert_eq!(duration(15 * 86_400 * s), "15 days");
        assert_eq!(duration(86_400 * s), "1 day");
        assert_eq!(duration(36 * 3600 * s), "36 hours");
        assert_eq!(duration(5400 * s), "90 minutes");
        assert_eq!(duration(2 * s), "2 seconds");
        assert_eq!(duration(150 * NS_PER_MS), "150 ms");
        assert_eq!(duration(1530 * s), "25m 30s");
        assert_eq!(duration(0), "0 seconds");
        assert_eq!(between(NS_PER_MS, 3 * NS_PER_MS), "between 1 and 3 ms");
        assert_eq!(between(150 * NS_PER_MS, s), "between 150 ms and 1 second");
        assert_eq!(
            between(10 * 60 * s, 20 * 60 * s),
            "between 10 and 20 minutes"
        );
        assert_eq!(duration_f(5400e9).unwrap(), "1.5 hours");
        assert_eq!(duration_f(1436.6e9).unwrap(), "23.9 minutes");
        assert_eq!(duration_f(2_591_999.9e9).unwrap(), "30 days");
        assert_eq!(duration_f(86_400e9).unwrap(), "1 day");
        assert_eq!(duration_f(2.5e6).unwrap(), "2.5 ms");
        assert_eq!(duration_f(f64::INFINITY), None);
    }

    #[test]
    fn distributions_in_words() {
        let day = 86_400.0 * 1e9;
        let exp = Dist::Exponential {
            mean_ns: 15.0 * day,
        };
        assert_eq!(every(&exp), "on average every 15 days (exponential)");
        assert_eq!(amount(&exp), "15 days on average (exponential)");
        assert_eq!(amount_inside(&exp), "15 days on average, exponential");
        assert_eq!(
            every(&Dist::Fixed(30 * 86_400 * NS_PER_S)),
            "every 30 days exactly"
        );
        let ln = Dist::LogNormal {
            median_ns: 1200e9,
            sigma: 0.6,
        };
        assert!(amount(&ln).starts_with("a median of 20 minutes (log-normal, σ 0.6; mean "));
        // Weibull shape 1: the mean equals the scale.
        let wb = Dist::Weibull {
            shape: 1.0,
            scale_ns: 30.0 * day,
        };
        assert_eq!(
            every(&wb),
            "on average every 30 days (Weibull, shape 1, scale 30 days)"
        );
        for d in [&exp, &ln, &wb] {
            assert!(!every(d).contains("about") && !amount(d).contains("every about"));
        }
    }

    #[test]
    fn user_text_loses_control_characters() {
        assert_eq!(
            printable("a\u{1b}[2Jb\u{7}\u{9b}c\u{7f}\nd\te\r"),
            "abc\nd e"
        );
        assert_eq!(capitalise("node 1"), "Node 1");
    }
}
