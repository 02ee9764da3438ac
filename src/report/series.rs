//! The series behind both the CSV files and the charts, computed once, so a
//! chart and its CSV can never disagree.

use crate::montecarlo::Outcome;
use crate::scenario::Scenario;

/// One row of `timeseries.csv`, one point of the time charts.
#[derive(Clone, Debug, PartialEq)]
pub struct WindowRow {
    pub start_s: f64,
    pub end_s: f64,
    pub uptime: Option<f64>,
    pub availability: Option<f64>,
    /// Request counts; None without a workload.
    pub offered: Option<u64>,
    pub succeeded: Option<u64>,
    pub failed: Option<u64>,
    pub p50_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    pub uptime_ci95: Option<f64>,
    pub availability_ci95: Option<f64>,
}

pub fn windows(sc: &Scenario, o: &Outcome) -> Vec<WindowRow> {
    let workload = o.requests.is_some();
    o.windows
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let start = sc.warmup_ns + i as u64 * sc.window_ns;
            let end = (start + sc.window_ns).min(sc.horizon_ns());
            let q = |p: f64| {
                w.latency_us
                    .as_ref()
                    .map(|h| h.value_at_quantile(p) as f64 / 1e3)
            };
            let count = |c: u64| workload.then_some(c);
            WindowRow {
                start_s: start as f64 / 1e9,
                end_s: end as f64 / 1e9,
                uptime: w.uptime.mean(),
                availability: w.availability.mean(),
                offered: count(w.offered),
                succeeded: count(w.succeeded),
                failed: count(w.failed),
                p50_ms: q(0.5),
                p99_ms: q(0.99),
                uptime_ci95: w.uptime.ci95(),
                availability_ci95: w.availability.ci95(),
            }
        })
        .collect()
}

/// Latency CDF points (ms, fraction ≤) from the pooled histogram.
pub fn latency_cdf(o: &Outcome) -> Vec<(f64, f64)> {
    let Some(h) = &o.latency_ns else {
        return Vec::new();
    };
    let total = h.len() as f64;
    let mut acc = 0u64;
    h.iter_recorded()
        .map(|v| {
            acc += v.count_at_value();
            (
                h.highest_equivalent(v.value_iterated_to()) as f64 / 1e6,
                acc as f64 / total,
            )
        })
        .collect()
}

/// Outage-duration CDF points (s, fraction ≤) over all replications.
pub fn outage_cdf(o: &Outcome) -> Vec<(f64, f64)> {
    if let Some(sp) = &o.outage_spill {
        // Too many outages to sort in memory: the log-binned histogram
        // (bins 1.1 % wide) draws the same curve to within a pixel.
        return sp.hist.cdf();
    }
    let mut d: Vec<f64> = o
        .outage_list
        .iter()
        .map(|(_, x)| x.duration_ns() as f64 / 1e9)
        .collect();
    d.sort_by(f64::total_cmp);
    let n = d.len() as f64;
    d.iter()
        .enumerate()
        .map(|(i, &x)| (x, (i + 1) as f64 / n))
        .collect()
}
