//! The `summary.json` keys of SPEC §8: false mark-downs, false failovers,
//! split-brain seconds and detection times.

use crate::montecarlo::Outcome;
use serde::Serialize;

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct ImperfectSummary {
    /// Mark-downs of a running, reachable node, per run.
    pub false_markdowns: f64,
    /// Failovers decided while the old primary was running, per run.
    pub false_failovers: f64,
    /// Seconds per run during which two or more nodes acted as primary.
    pub split_brain_s: f64,
    /// From a crash to its mark-down; null without a detected crash.
    pub detection_s: Option<Detection>,
    /// Mean seconds per run in each phase of the outages; they add up to
    /// `downtime_s`.
    pub downtime_breakdown_s: Breakdown<f64>,
    /// Heartbeats can be lost or late (not written: it picks the sweep
    /// charts).
    #[serde(skip)]
    pub lossy: bool,
}

/// One value per outage phase (SPEC §8).
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Breakdown<T> {
    pub detection: T,
    pub decision: T,
    pub fencing: T,
    pub start: T,
    pub switch: T,
    pub repair: T,
}

impl<T: Copy> Breakdown<T> {
    fn from_fn(f: impl Fn(usize) -> T) -> Self {
        Breakdown {
            detection: f(0),
            decision: f(1),
            fencing: f(2),
            start: f(3),
            switch: f(4),
            repair: f(5),
        }
    }

    /// In the order of `metrics::imperfect::PHASES`.
    pub fn values(&self) -> [T; 6] {
        [
            self.detection,
            self.decision,
            self.fencing,
            self.start,
            self.switch,
            self.repair,
        ]
    }
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Detection {
    pub mean: f64,
    pub p99: f64,
}

impl ImperfectSummary {
    pub fn new(sc: &crate::scenario::Scenario, o: &Outcome) -> Self {
        let i = &o.imperfect;
        ImperfectSummary {
            false_markdowns: i.false_markdowns.mean_or_zero(),
            false_failovers: i.false_failovers.mean_or_zero(),
            split_brain_s: i.split_brain_s.mean_or_zero(),
            detection_s: i
                .detection_mean()
                .zip(i.detection_p99())
                .map(|(mean, p99)| Detection { mean, p99 }),
            downtime_breakdown_s: Breakdown::from_fn(|k| i.breakdown_s[k].mean_or_zero()),
            lossy: sc.detection.miss > 0.0,
        }
    }
}

/// The 95 % half-widths of the means above (added to `ci95`).
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct ImperfectCi95 {
    pub false_markdowns: Option<f64>,
    pub false_failovers: Option<f64>,
    pub split_brain_s: Option<f64>,
    /// Of the replications' mean detection times.
    pub detection_s_mean: Option<f64>,
    pub downtime_breakdown_s: Breakdown<Option<f64>>,
}

impl ImperfectCi95 {
    pub fn new(o: &Outcome) -> Self {
        let i = &o.imperfect;
        ImperfectCi95 {
            false_markdowns: i.false_markdowns.ci95(),
            false_failovers: i.false_failovers.ci95(),
            split_brain_s: i.split_brain_s.ci95(),
            detection_s_mean: i.detection_mean_s.ci95(),
            downtime_breakdown_s: Breakdown::from_fn(|k| i.breakdown_s[k].ci95()),
        }
    }
}
