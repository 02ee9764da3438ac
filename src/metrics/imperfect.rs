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
    /// From each measured crash to its mark-down (bounded: exact up to
    /// `detection_times::EXACT_KEEP`, then binned).
    pub detection: super::detection_times::DetectionTimes,
    /// Per outage (in the order of `RepResult::outages`): nanoseconds in
    /// each phase of `PHASES`; empty once the outages spilled to disk
    /// (`RepResult::outage_spill` holds every row then).
    pub outage_phases_ns: Vec<[u64; PHASES.len()]>,
    /// Nanoseconds in each phase of `PHASES`, summed over every outage.
    pub phase_totals_ns: [u64; PHASES.len()],
    /// Split-brain intervals [from, to), clipped to the measured interval
    /// (the first replication only, at most `model::TRACE_CAP`).
    pub split_intervals: Vec<(u64, u64)>,
}

/// The phases of an outage (SPEC §8 `downtime_breakdown_s`), in order.
pub const PHASES: [&str; 6] = [
    "detection",
    "decision",
    "fencing",
    "start",
    "switch",
    "repair",
];
pub const DETECTION: u8 = 0;
pub const DECISION: u8 = 1;
pub const FENCING: u8 = 2;
pub const START: u8 = 3;
pub const SWITCH: u8 = 4;
pub const REPAIR: u8 = 5;

/// Splits each outage `[start, end)` over the phase records `(from,
/// phase)` (sorted by time; the phase holds until the next record).
pub fn split_outages(outages: &[(u64, u64)], records: &[(u64, u8)]) -> Vec<[u64; PHASES.len()]> {
    split_outages_at(outages, records).0
}

/// As `split_outages`, and the index of the first record a later outage
/// (starting no earlier than the last of these) can still need: the
/// records before it can be dropped and the split of later outages over
/// the rest is the same (issue 8: a replication splits its outages as they
/// close instead of keeping every record until it ends).
pub fn split_outages_at(
    outages: &[(u64, u64)],
    records: &[(u64, u8)],
) -> (Vec<[u64; PHASES.len()]>, usize) {
    let mut out = Vec::with_capacity(outages.len());
    let mut i = 0;
    for &(s, e) in outages {
        let mut acc = [0u64; PHASES.len()];
        // The last record at or before s.
        while i + 1 < records.len() && records[i + 1].0 <= s {
            i += 1;
        }
        let (mut j, mut t) = (i, s);
        while t < e {
            let ph = match records.get(j) {
                Some(&(from, ph)) if from <= t => ph,
                _ => REPAIR,
            };
            let next = records.get(j + 1).map_or(e, |r| r.0.clamp(t, e));
            acc[usize::from(ph)] += next - t;
            t = next;
            j += 1;
        }
        out.push(acc);
    }
    (out, i)
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
    /// Every measured detection time (bounded: exact up to a million).
    pub detection: super::detection_times::DetectionTimes,
    /// Seconds per run in each phase of the outages.
    pub breakdown_s: [Welford; PHASES.len()],
    /// Per outage, in the order of `Outcome::outage_list`.
    pub outage_phases_ns: Vec<[u64; PHASES.len()]>,
    /// The first replication's split-brain intervals (for the timeline).
    #[serde(default)]
    pub split_intervals: Vec<(u64, u64)>,
}

impl ImperfectAgg {
    pub fn add(&mut self, r: &ImperfectStats) {
        self.false_markdowns.add(r.false_markdowns as f64);
        self.false_failovers.add(r.false_failovers as f64);
        self.split_brain_s.add(r.split_brain_ns as f64 / 1e9);
        if r.detection.n > 0 {
            let (sum, n) = (r.detection.sum_ns, r.detection.n);
            self.detection_mean_s.add(sum as f64 / n as f64 / 1e9);
        }
        self.detection.merge(&r.detection);
        for (w, total) in self.breakdown_s.iter_mut().zip(r.phase_totals_ns) {
            w.add(total as f64 / 1e9);
        }
        self.outage_phases_ns.extend_from_slice(&r.outage_phases_ns);
        if self.breakdown_s[0].n == 1 {
            self.split_intervals.clone_from(&r.split_intervals);
        }
    }

    pub fn merge(&mut self, o: &ImperfectAgg) {
        self.false_markdowns.merge(&o.false_markdowns);
        self.false_failovers.merge(&o.false_failovers);
        self.split_brain_s.merge(&o.split_brain_s);
        self.detection_mean_s.merge(&o.detection_mean_s);
        self.detection.merge(&o.detection);
        for (a, b) in self.breakdown_s.iter_mut().zip(&o.breakdown_s) {
            a.merge(b);
        }
        self.outage_phases_ns.extend_from_slice(&o.outage_phases_ns);
        if self.breakdown_s[0].n == o.breakdown_s[0].n {
            // This one was empty: the first replication is o's.
            self.split_intervals.clone_from(&o.split_intervals);
        }
    }

    /// Mean detection time over every crash of every replication, seconds.
    pub fn detection_mean(&self) -> Option<f64> {
        self.detection.mean_s()
    }

    /// The p99 detection time (nearest rank over all crashes), seconds.
    pub fn detection_p99(&self) -> Option<f64> {
        self.detection.p99_s()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outages_split_over_the_phase_records() {
        let rec = [
            (0, REPAIR),
            (100, DETECTION),
            (103, SWITCH),
            (108, REPAIR),
            (200, FENCING),
        ];
        let out = split_outages(&[(100, 108), (150, 210), (300, 310)], &rec);
        assert_eq!(out[0], [3, 0, 0, 0, 5, 0]);
        assert_eq!(out[1], [0, 0, 10, 0, 0, 50]);
        assert_eq!(out[2], [0, 0, 10, 0, 0, 0]);
    }
}
