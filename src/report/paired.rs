//! A-vs-B answers for `hasim compare` (issue 11 §5): each scenario's
//! difference from the first, replication by replication, with a 95 %
//! Student-t interval, downtime per year for every scenario, and with an
//! SLA the yearly downtime budget and the share each scenario uses.
//!
//! Every scenario of a comparison runs on the same seed, so replication r
//! of each draws from the same streams (common random numbers): where the
//! scenarios share `[nodes]` their failures coincide. The difference
//! d_r = B_r − A_r then varies far less than B and A do apart, and its mean
//! gets an interval d̄ ± t(0.975, n−1)·s_d/√n much tighter than the two
//! separate intervals suggest.

use super::compare::YEAR_S;
use super::html;
use super::tables::{num, opt, to_csv};
use crate::i18n::{t, tf};
use crate::montecarlo::Outcome;
use crate::scenario::Scenario;
use crate::stats::Welford;

/// One scenario's row of `differences.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct Difference {
    pub scenario: String,
    pub baseline: String,
    /// Replications present in both runs (paired by index).
    pub paired: u32,
    /// Mean downtime per year (s) of this scenario.
    pub downtime_per_year_s: f64,
    /// Mean of (this − baseline) downtime per year (s), paired.
    pub diff_per_year_s: f64,
    /// 95 % half-width of `diff_per_year_s` (paired, Student t); None with
    /// fewer than two pairs.
    pub diff_ci95: Option<f64>,
    /// Mean of (this − baseline) uptime.
    pub uptime_diff: f64,
    pub uptime_diff_ci95: Option<f64>,
    /// SLA in percent, the yearly budget (s) and the share of it used.
    pub sla: Option<(f64, f64, f64)>,
}

/// The yearly downtime an SLA of `percent` allows, in seconds, to the
/// nanosecond (99.95 % gives 15778.8 s, not 15778.799999998).
/// Worked in integer parts per million of a year in nanoseconds.
pub fn budget_per_year_s(percent: f64) -> f64 {
    let ppm = (percent * 10_000.0).round().clamp(0.0, 1e6) as u128;
    let year_ns = (YEAR_S as u128) * 1_000_000_000;
    ((1_000_000 - ppm) * year_ns / 1_000_000) as f64 / 1e9
}

/// Each scenario against the first (the first against itself: zero).
pub fn differences(
    scenarios: &[Scenario],
    outcomes: &[Outcome],
    sla: Option<f64>,
) -> Vec<Difference> {
    let Some(base) = outcomes.first() else {
        return Vec::new();
    };
    let base_name = scenarios[0].name.clone();
    scenarios
        .iter()
        .zip(outcomes)
        .map(|(sc, o)| {
            let (mut d_up, mut d_year) = (Welford::default(), Welford::default());
            for &(rep, up) in &o.per_rep {
                if let Ok(i) = base.per_rep.binary_search_by_key(&rep, |p| p.0) {
                    let du = up - base.per_rep[i].1;
                    d_up.add(du);
                    d_year.add(-du * YEAR_S);
                }
            }
            let dpy = (1.0 - o.uptime.mean_or_zero()) * YEAR_S;
            Difference {
                scenario: sc.name.clone(),
                baseline: base_name.clone(),
                paired: d_up.n as u32,
                downtime_per_year_s: dpy,
                diff_per_year_s: d_year.mean_or_zero(),
                diff_ci95: d_year.ci95(),
                uptime_diff: d_up.mean_or_zero(),
                uptime_diff_ci95: d_up.ci95(),
                sla: sla.or(sc.sla).map(|p| {
                    let b = budget_per_year_s(p);
                    (p, b, dpy / b)
                }),
            }
        })
        .collect()
}

const HEADER: [&str; 11] = [
    "scenario",
    "baseline",
    "paired_replications",
    "downtime_per_year_s",
    "downtime_per_year_s_diff",
    "downtime_per_year_s_diff_ci95",
    "uptime_diff",
    "uptime_diff_ci95",
    "sla_percent",
    "sla_budget_per_year_s",
    "sla_budget_share",
];

fn cells(d: &Difference) -> Vec<String> {
    vec![
        d.scenario.clone(),
        d.baseline.clone(),
        d.paired.to_string(),
        num(d.downtime_per_year_s),
        num(d.diff_per_year_s),
        opt(d.diff_ci95),
        num(d.uptime_diff),
        opt(d.uptime_diff_ci95),
        opt(d.sla.map(|s| s.0)),
        opt(d.sla.map(|s| s.1)),
        opt(d.sla.map(|s| s.2)),
    ]
}

/// `differences.csv`: one row per scenario, the first against itself.
pub fn csv(rows: &[Difference]) -> String {
    to_csv(&HEADER, rows.iter().map(cells))
}

fn signed(s: f64) -> String {
    let h = crate::sim::time::human_s(s.abs());
    if s < 0.0 {
        tf("paired.less", &[&h])
    } else if s > 0.0 {
        tf("paired.more", &[&h])
    } else {
        t("paired.same")
    }
}

/// One sentence per scenario, for the terminal and the page.
pub fn sentences(rows: &[Difference]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, d) in rows.iter().enumerate() {
        let mut s = tf(
            "paired.per_year",
            &[
                &d.scenario,
                &crate::sim::time::human_s(d.downtime_per_year_s),
            ],
        );
        if i > 0 && d.paired > 0 {
            s.push_str(&tf(
                "paired.against",
                &[
                    &d.baseline,
                    &signed(d.diff_per_year_s),
                    &d.diff_ci95
                        .map(|c| format!(" ± {} (95 %)", crate::sim::time::human_s(c)))
                        .unwrap_or_default(),
                    &d.paired,
                ],
            ));
        }
        if let Some((p, b, share)) = d.sla {
            s.push_str(&tf(
                "paired.sla",
                &[
                    &p,
                    &crate::sim::time::human_s(b),
                    &format!("{:.1}", share * 100.0),
                    &if share > 1.0 {
                        t("paired.over_budget")
                    } else {
                        String::new()
                    },
                ],
            ));
        }
        s.push_str(&t("end.period"));
        out.push(s);
    }
    out
}

/// A CSV number for reading: four significant digits (the CSV keeps
/// every digit). Text and whole numbers stay as they are.
fn readable(cell: String) -> String {
    match cell.parse::<f64>() {
        Ok(x) if cell.contains('.') && x != 0.0 && x.is_finite() => {
            let decimals = (3 - libm::floor(libm::log10(x.abs())) as i32).max(0) as usize;
            format!("{x:.decimals$}")
        }
        _ => cell,
    }
}

/// The page's table: the CSV's rows, numbers to four significant digits.
pub fn table(rows: &[Difference]) -> html::Table {
    html::Table {
        caption: t("paired.caption"),
        header: HEADER.iter().map(|h| h.to_string()).collect(),
        rows: rows
            .iter()
            .map(|d| cells(d).into_iter().map(readable).collect())
            .collect(),
        note: Some(t("paired.note")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_keep_four_significant_digits() {
        for (cell, shown) in [
            ("85699.61642460876", "85700"),
            ("-2556.750000000634", "-2557"),
            ("913.4569545179543", "913.5"),
            ("0.00008101851851853859", "0.00008102"),
            ("0.0", "0.0"),
            ("10", "10"),
            ("cold-standby", "cold-standby"),
            ("", ""),
        ] {
            assert_eq!(readable(cell.to_string()), shown, "{cell}");
        }
    }
}
