//! What imperfect detection cost in one replication (SPEC §8).

/// Counters of one replication, over the measured interval.
#[derive(Clone, Debug, Default)]
pub struct ImperfectStats {
    /// Mark-downs of a node that was running and reachable.
    pub false_markdowns: u64,
    /// Failovers decided while the old primary (master) was running.
    pub false_failovers: u64,
    /// Time during which two or more nodes acted as primary (master).
    pub split_brain_ns: u64,
    /// From each measured crash to its mark-down.
    pub detection_ns: Vec<u64>,
}

use crate::stats::Welford;

/// The same over replications (means with 95 % intervals; detection times
/// pooled for the p99).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct ImperfectAgg {
    pub false_markdowns: Welford,
    pub false_failovers: Welford,
    pub split_brain_s: Welford,
    /// Each replication's mean detection time (replications with a crash).
    pub detection_mean_s: Welford,
    /// Every measured detection time, in replication order.
    pub detection_ns: Vec<u64>,
}

impl ImperfectAgg {
    pub fn add(&mut self, r: &ImperfectStats) {
        self.false_markdowns.add(r.false_markdowns as f64);
        self.false_failovers.add(r.false_failovers as f64);
        self.split_brain_s.add(r.split_brain_ns as f64 / 1e9);
        if !r.detection_ns.is_empty() {
            let sum: u128 = r.detection_ns.iter().map(|&d| u128::from(d)).sum();
            self.detection_mean_s
                .add(sum as f64 / r.detection_ns.len() as f64 / 1e9);
        }
        self.detection_ns.extend_from_slice(&r.detection_ns);
    }

    pub fn merge(&mut self, o: &ImperfectAgg) {
        self.false_markdowns.merge(&o.false_markdowns);
        self.false_failovers.merge(&o.false_failovers);
        self.split_brain_s.merge(&o.split_brain_s);
        self.detection_mean_s.merge(&o.detection_mean_s);
        self.detection_ns.extend_from_slice(&o.detection_ns);
    }

    /// Mean detection time over every crash of every replication, seconds.
    pub fn detection_mean(&self) -> Option<f64> {
        let n = self.detection_ns.len();
        let sum: u128 = self.detection_ns.iter().map(|&d| u128::from(d)).sum();
        (n > 0).then(|| sum as f64 / n as f64 / 1e9)
    }

    /// The p99 detection time (nearest rank over all crashes), seconds.
    pub fn detection_p99(&self) -> Option<f64> {
        let mut v = self.detection_ns.clone();
        if v.is_empty() {
            return None;
        }
        v.sort_unstable();
        let rank = ((0.99 * v.len() as f64).ceil() as usize).clamp(1, v.len());
        Some(v[rank - 1] as f64 / 1e9)
    }
}
