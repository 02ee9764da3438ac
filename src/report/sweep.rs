//! `hasim sweep`: the metrics a sweep charts, each point's folder and its
//! own report. The index (`sweep.csv`, charts, page) is built as points
//! complete by `sweep_stream.rs`.

use super::{File, Summary};
use crate::error::Result;
use crate::montecarlo::Outcome;
use crate::scenario::Scenario;

/// A grid point's folder name: its index and assignments, made safe.
pub fn point_dir(i: usize, point: &[(String, String)]) -> String {
    let label: String = point
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._=,-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .take(80)
        .collect();
    format!("{:03}-{label}", i + 1)
}

pub(crate) type Metric = (
    &'static str,
    &'static str,
    fn(&Summary) -> Option<(f64, Option<f64>)>,
    (f64, f64),
);

pub(crate) const FRACTION: (f64, f64) = (0.0, 1.0);
pub(crate) const NON_NEGATIVE: (f64, f64) = (0.0, f64::INFINITY);

pub(crate) const METRICS: [Metric; 8] = [
    (
        "sweep_uptime",
        "uptime",
        |s| Some((s.uptime, s.ci95.as_ref().and_then(|c| c.uptime))),
        FRACTION,
    ),
    (
        "sweep_downtime",
        "downtime per run (s)",
        |s| Some((s.downtime_s, s.ci95.as_ref().and_then(|c| c.downtime_s))),
        NON_NEGATIVE,
    ),
    (
        "sweep_outages",
        "outages per run",
        |s| Some((s.outages, s.ci95.as_ref().and_then(|c| c.outages))),
        NON_NEGATIVE,
    ),
    (
        "sweep_failovers",
        "failovers per run",
        |s| Some((s.failovers, s.ci95.as_ref().and_then(|c| c.failovers))),
        NON_NEGATIVE,
    ),
    (
        "sweep_availability",
        "availability (requests)",
        |s| {
            s.availability
                .map(|a| (a, s.ci95.as_ref().and_then(|c| c.availability)))
        },
        FRACTION,
    ),
    (
        "sweep_latency_p99",
        "p99 latency (ms)",
        |s| s.latency_ms.as_ref().map(|l| (l.p99, None)),
        NON_NEGATIVE,
    ),
    // SPEC §8: the detection trade-off (only when heartbeats can be lost,
    // so that other sweeps keep their charts).
    (
        "sweep_detection",
        "mean detection time (s)",
        |s| {
            let i = &s.imperfect;
            let ci = s.ci95.as_ref().and_then(|c| c.imperfect.detection_s_mean);
            i.detection_s
                .as_ref()
                .filter(|_| i.lossy)
                .map(|d| (d.mean, ci))
        },
        NON_NEGATIVE,
    ),
    (
        "sweep_false_failovers",
        "false failovers per run",
        |s| {
            let ci = s.ci95.as_ref().and_then(|c| c.imperfect.false_failovers);
            s.imperfect
                .lossy
                .then_some((s.imperfect.false_failovers, ci))
        },
        NON_NEGATIVE,
    ),
];

/// Grid point `i`'s own report, under `points/<its folder>/`.
pub fn point_files(
    i: usize,
    p: &[(String, String)],
    sc: &Scenario,
    o: &Outcome,
) -> Result<Vec<File>> {
    Ok(super::render(sc, o)?
        .into_iter()
        .map(|(name, body)| (format!("points/{}/{name}", point_dir(i, p)), body))
        .collect())
}
